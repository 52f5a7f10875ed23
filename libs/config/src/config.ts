import { z } from 'zod';
import { type Env, envSchema } from './env.schema';
import { type MailBatchingConfig, parseMailBatching } from './mail-batching';

export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** The typed, namespaced configuration tree every process reads. */
export interface AppConfig {
  env: Env['NODE_ENV'];
  database: { url: string; poolMax: number };
  temporal: { address: string; namespace: string; taskQueue: string };
  mail: { smtpUrl: string; from: string; replyTo?: string; caughtDir?: string; batching: MailBatchingConfig };
  http: { port: number; host: string; publicUrl: string };
  dataDir: string;
  log: { level: Env['LOG_LEVEL']; pretty: boolean };
  secretKey: string;
  dueSoonDays: number;
  limits: { planBytes: number; planFileBytes: number; uploadBytes: number };
}

export function parseConfig(source: Record<string, string | undefined>): AppConfig {
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
  const batching = parseMailBatching(cleaned);
  if (batching.problems.length > 0) throw new ConfigError(batching.problems);
  return {
    env: e.NODE_ENV,
    database: { url: e.DATABASE_URL, poolMax: e.DATABASE_POOL_MAX },
    temporal: { address: e.TEMPORAL_ADDRESS, namespace: e.TEMPORAL_NAMESPACE, taskQueue: e.TASK_QUEUE },
    mail: { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM, replyTo: e.MAIL_REPLY_TO, caughtDir: e.CAUGHT_MAIL_DIR, batching: batching.value! },
    http: { port: e.PORT, host: e.HOST, publicUrl: e.PUBLIC_URL.replace(/\/$/, '') },
    dataDir: e.DATA_DIR,
    log: { level: e.LOG_LEVEL, pretty: e.LOG_PRETTY },
    secretKey: e.SECRET_KEY,
    dueSoonDays: e.DUE_SOON_DAYS,
    limits: { planBytes: e.PLAN_MAX_BYTES, planFileBytes: e.PLAN_FILE_MAX_BYTES, uploadBytes: e.UPLOAD_MAX_BYTES },
  };
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
