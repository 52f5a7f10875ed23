import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { type Env, envSchema } from './env.schema';
import { type MailBatchingConfig, parseMailBatching } from './mail-batching';
import { parseTemporalSecurity, type TemporalSecurity } from './temporal-security';

export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** The typed, namespaced configuration tree every process reads. */
export interface AppConfig {
  env: Env['NODE_ENV'];
  database: { url: string; poolMax: number; statementTimeoutMs: number };
  /** workflowBundlePath: a pre-built workflow bundle the worker loads instead of bundling workflows/ itself. */
  temporal: { address: string; namespace: string; taskQueue: string; workflowBundlePath?: string } & TemporalSecurity;
  /** The Temporal worker's sizing (docs/operations.md "Worker sizing"). */
  worker: { maxCachedWorkflows: number; maxConcurrentWorkflowTasks: number; maxConcurrentActivities: number; reuseV8Context: boolean; pollers: 'auto' | number; stickyTimeoutSeconds: number };
  mail: { smtpUrl: string; from: string; replyTo?: string; caughtDir?: string; batching: MailBatchingConfig };
  http: { port: number; host: string; publicUrl: string };
  /** The built web UI's directory when set; otherwise the API looks for apps/web/dist itself. */
  web: { distDir?: string };
  dataDir: string;
  /** Where attachment bytes live (ATTACHMENT_STORAGE). */
  attachments: { storage: Env['ATTACHMENT_STORAGE'] };
  log: { level: Env['LOG_LEVEL']; pretty: boolean };
  secretKey: string;
  dueSoonDays: number;
  limits: {
    planBytes: number;
    planFileBytes: number;
    uploadBytes: number;
    attachmentsPerAssignment: number;
    attachmentBytesPerAssignment: number;
  };
  /** Demo accounts and plan (`npm start` only); the password comes from DONDOC_SAMPLE_PASSWORD. */
  sampleData: { enabled: boolean; password?: string };
  auth: {
    sessionMaxAgeMs: number;
    loginFreeFailures: number;
    loginBaseDelayMs: number;
    loginMaxDelayMs: number;
  };
  rateLimits: Record<RateLimitName, RateLimit>;
}

export interface RateLimit {
  count: number;
  windowMs: number;
}
export type RateLimitName = 'loginFailuresAddress' | 'importUser' | 'importAddress' | 'exportUser' | 'exportAddress';

/** The minimum length of SECRET_KEY in production: 32 characters (a 256-bit key written in hex or base64 is longer). */
export const PRODUCTION_SECRET_MIN = 32;

/**
 * What production refuses, each naming its setting. Checked after the schema, since they depend on NODE_ENV.
 * Sample data and the dev mailbox are demo tools; an http PUBLIC_URL would send session cookies in clear.
 */
function productionProblems(e: Env): { variable: string; message: string }[] {
  const problems: { variable: string; message: string }[] = [];
  if (e.NODE_ENV !== 'production') return problems;
  if (!e.SECRET_KEY) problems.push({ variable: 'SECRET_KEY', message: 'required in production (e.g. `openssl rand -hex 32`)' });
  else if (e.SECRET_KEY.length < PRODUCTION_SECRET_MIN)
    problems.push({ variable: 'SECRET_KEY', message: `must be at least ${PRODUCTION_SECRET_MIN} characters in production` });
  if (e.DONDOC_SAMPLE_DATA) problems.push({ variable: 'DONDOC_SAMPLE_DATA', message: 'sample data (demo accounts) is not allowed in production' });
  if (!e.PUBLIC_URL.startsWith('https://')) problems.push({ variable: 'PUBLIC_URL', message: 'must be an https:// address in production' });
  if (e.CAUGHT_MAIL_DIR) problems.push({ variable: 'CAUGHT_MAIL_DIR', message: 'the demo mailbox is not allowed in production' });
  return problems;
}

export interface ParseOptions {
  /**
   * False for tools that sign nothing (the CLI's reconcile): a missing SECRET_KEY is then not an error and
   * `secretKey` is a random one nobody else knows. Production still requires it.
   */
  requireSecret?: boolean;
}

export function parseConfig(source: Record<string, string | undefined>, options: ParseOptions = {}): AppConfig {
  // Empty strings count as unset, as shells and .env files often leave them.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue: z.core.$ZodIssue) => ({
        variable: String(issue.path[0] ?? '(root)'),
        message: issue.message,
      })),
    );
  }
  const e = parsed.data;
  const problems = productionProblems(e);
  // The SDK would quietly lower the task slots to the cache size; say so instead of running with other numbers.
  const cache = e.WORKER_MAX_CACHED_WORKFLOWS;
  if (cache > 0 && e.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS !== undefined && e.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS > cache)
    problems.push({ variable: 'WORKER_MAX_CONCURRENT_WORKFLOW_TASKS', message: `must not exceed WORKER_MAX_CACHED_WORKFLOWS (${cache}) unless the cache is off (0)` });
  if (cache === 1) problems.push({ variable: 'WORKER_MAX_CACHED_WORKFLOWS', message: 'must be 0 (no cache) or at least 2' });
  const temporalSecurity = parseTemporalSecurity(e, problems);
  const batching = parseMailBatching(cleaned);
  problems.push(...batching.problems);
  let secretKey = e.SECRET_KEY;
  if (!secretKey) {
    // Tests sign and check links within one process, so a random key per process serves them.
    if (e.NODE_ENV === 'test' || (options.requireSecret === false && e.NODE_ENV !== 'production')) secretKey = randomBytes(32).toString('hex');
    else if (e.NODE_ENV !== 'production') problems.push({ variable: 'SECRET_KEY', message: 'required (npm start generates one in DATA_DIR/secret-key)' });
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    env: e.NODE_ENV,
    database: { url: e.DATABASE_URL, poolMax: e.DATABASE_POOL_MAX, statementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS },
    temporal: { address: e.TEMPORAL_ADDRESS, namespace: e.TEMPORAL_NAMESPACE, taskQueue: e.TASK_QUEUE, workflowBundlePath: e.WORKFLOW_BUNDLE_PATH, ...temporalSecurity },
    worker: {
      maxCachedWorkflows: e.WORKER_MAX_CACHED_WORKFLOWS,
      maxConcurrentWorkflowTasks: e.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS ?? (cache > 0 ? Math.max(2, Math.min(20, cache)) : 20),
      maxConcurrentActivities: e.WORKER_MAX_CONCURRENT_ACTIVITIES,
      reuseV8Context: e.WORKER_REUSE_V8_CONTEXT,
      pollers: e.WORKER_POLLERS,
      stickyTimeoutSeconds: e.WORKER_STICKY_TIMEOUT_SECONDS,
    },
    mail: { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM, replyTo: e.MAIL_REPLY_TO, caughtDir: e.CAUGHT_MAIL_DIR, batching: batching.value! },
    http: { port: e.PORT, host: e.HOST, publicUrl: e.PUBLIC_URL.replace(/\/$/, '') },
    web: { distDir: e.WEB_DIST_DIR },
    dataDir: e.DATA_DIR,
    attachments: { storage: e.ATTACHMENT_STORAGE },
    log: { level: e.LOG_LEVEL, pretty: e.LOG_PRETTY },
    secretKey: secretKey!,
    dueSoonDays: e.DUE_SOON_DAYS,
    limits: {
      planBytes: e.PLAN_MAX_BYTES,
      planFileBytes: e.PLAN_FILE_MAX_BYTES,
      uploadBytes: e.UPLOAD_MAX_BYTES,
      attachmentsPerAssignment: e.ATTACHMENTS_MAX_PER_ASSIGNMENT,
      attachmentBytesPerAssignment: e.ATTACHMENTS_MAX_BYTES_PER_ASSIGNMENT,
    },
    sampleData: { enabled: e.DONDOC_SAMPLE_DATA, password: e.DONDOC_SAMPLE_PASSWORD },
    auth: {
      sessionMaxAgeMs: Math.round(e.SESSION_MAX_AGE_HOURS * 3600_000),
      loginFreeFailures: e.LOGIN_FREE_FAILURES,
      loginBaseDelayMs: Math.round(e.LOGIN_BASE_DELAY_S * 1000),
      loginMaxDelayMs: Math.round(e.LOGIN_MAX_DELAY_S * 1000),
    },
    rateLimits: {
      loginFailuresAddress: e.RATE_LIMIT_LOGIN_FAILURES_ADDRESS,
      importUser: e.RATE_LIMIT_IMPORT_USER,
      importAddress: e.RATE_LIMIT_IMPORT_ADDRESS,
      exportUser: e.RATE_LIMIT_EXPORT_USER,
      exportAddress: e.RATE_LIMIT_EXPORT_ADDRESS,
    },
  };
}

/**
 * One setting read and validated on its own, for tools that need a few settings but not a whole configuration
 * (the CLI's offline `import` has no database). Unset gives the schema's default; a bad value throws ConfigError.
 */
export function readSetting<K extends keyof Env>(source: Record<string, string | undefined>, name: K): Env[K] {
  const raw = source[name];
  const result = envSchema.shape[name].safeParse(raw === '' ? undefined : raw);
  if (!result.success) throw new ConfigError(result.error.issues.map((issue: z.core.$ZodIssue) => ({ variable: name, message: issue.message })));
  return result.data as Env[K];
}

/** Parses process.env once; a bad value stops start-up with a message naming the variable. */
export function loadConfigOrExit(source: Record<string, string | undefined> = process.env): AppConfig {
  try {
    return parseConfig(source);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
}
