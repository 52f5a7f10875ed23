import { z } from 'zod';

const port = z.coerce.number().int().min(1).max(65535);
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
/** "count/seconds": at most `count` requests per `seconds` (a fixed window per user or per client address). */
const rate = z
  .string()
  .regex(/^\d+\/\d+$/, 'expected count/seconds, e.g. 20/600')
  .transform((v) => {
    const [count, seconds] = v.split('/').map(Number);
    return { count, windowMs: seconds * 1000 };
  })
  .refine((r) => r.count >= 1 && r.windowMs >= 1000, 'count and seconds must be at least 1');

/** Every environment variable Dondoc reads, validated once at boot. */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  /** Any one SQL statement of the apps is cancelled after this long, so a runaway query cannot hold a connection. */
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(15_000),
  TEMPORAL_ADDRESS: z.string().regex(/^[\w.-]+:\d+$/, 'expected host:port').default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  /**
   * Connecting to a secured Temporal (a production cluster, Temporal Cloud): TLS is on when TEMPORAL_TLS is true
   * or any TLS file, server name or API key is set. Files are PEM, read and checked at start (temporal-security.ts).
   */
  TEMPORAL_TLS: bool.optional(),
  TEMPORAL_TLS_CA_FILE: z.string().min(1).optional(),
  TEMPORAL_TLS_CERT_FILE: z.string().min(1).optional(),
  TEMPORAL_TLS_KEY_FILE: z.string().min(1).optional(),
  TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
  TEMPORAL_API_KEY: z.string().min(1).optional(),
  TEMPORAL_API_KEY_FILE: z.string().min(1).optional(),
  TASK_QUEUE: z.string().min(1).default('dondoc-assignments'),
  WORKFLOW_BUNDLE_PATH: z.string().min(1).optional(),
  /**
   * Worker sizing (docs/operations.md "Worker sizing"): how many workflow runs stay cached in memory, and how
   * many workflow/activity tasks one worker runs at once. The SDK's own cache default grows with the heap
   * limit (about 2,300 runs on a 4 GB heap), which is what made one worker reach 1.24 GB.
   */
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).max(100_000).default(400),
  /** Default 20, or the cache size when that is smaller. */
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: z.coerce.number().int().min(2).max(1000).optional(),
  WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().min(1).max(1000).default(40),
  /** One V8 context shared by all cached workflows (the SDK 1.24 default; far less memory per cached run). */
  WORKER_REUSE_V8_CONTEXT: bool.default(true),
  /**
   * How many task polls a worker keeps open: `auto` (default) lets the SDK add polls while the server has a
   * backlog, up to the task slots; a number fixes the maximum (the SDK's own default is 10, of which only 2 poll
   * the shared queue where cache misses and a restarted worker's work wait). docs/operations.md, "Timer lateness".
   */
  WORKER_POLLERS: z.union([z.literal('auto'), z.coerce.number().int().min(2).max(1000)]).default('auto'),
  /**
   * How long a workflow task may wait on this worker's sticky queue before the server moves it to the shared
   * queue, where any worker takes it and replays the whole history. 30 instead of the SDK's 10: under a deadline
   * wave most tasks waited longer than 10 s and were moved, adding work while the cluster was busiest.
   * docs/operations.md, "Sticky queue timeout".
   */
  WORKER_STICKY_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(30),
  SMTP_URL: z.url({ protocol: /^smtps?$/ }).default('smtp://127.0.0.1:2525'),
  MAIL_FROM: z.string().min(3).default('Dondoc <dondoc@vanquan.example.vn>'),
  MAIL_REPLY_TO: z.string().optional(),
  PORT: port.default(3000),
  HOST: z.string().default('127.0.0.1'),
  PUBLIC_URL: z.url().default('http://127.0.0.1:3000'),
  DATA_DIR: z.string().min(1).default('.data'),
  /**
   * Where attachment bytes live: `postgres` (default; every API replica serves every file) or `disk` under
   * DATA_DIR/attachments (one machine only). Files left on disk by older versions are still served (docs/deployment.md).
   */
  ATTACHMENT_STORAGE: z.enum(['postgres', 'disk']).default('postgres'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_PRETTY: bool.default(false),
  /**
   * Signs the links in e-mails. No default: a published one would let anyone forge links. `npm start`
   * generates one per installation, the tests set or generate theirs (config.ts).
   */
  SECRET_KEY: z.string().min(16).optional(),
  DUE_SOON_DAYS: z.coerce.number().int().min(0).max(60).default(3),
  PLAN_MAX_BYTES: z.coerce.number().int().min(1024).default(5 * 1024 * 1024),
  /** An uploaded plan file (.pdf scans run to tens of MB); PLAN_MAX_BYTES bounds the text taken from it. */
  PLAN_FILE_MAX_BYTES: z.coerce.number().int().min(1024).default(30 * 1024 * 1024),
  UPLOAD_MAX_BYTES: z.coerce.number().int().min(1024).default(10 * 1024 * 1024),
  /** Per assignment: how many files and how many bytes in all its attachments may hold. */
  ATTACHMENTS_MAX_PER_ASSIGNMENT: z.coerce.number().int().min(1).max(10_000).default(20),
  ATTACHMENTS_MAX_BYTES_PER_ASSIGNMENT: z.coerce.number().int().min(1024).default(100 * 1024 * 1024),
  CAUGHT_MAIL_DIR: z.string().optional(),
  /** Set by `npm start` only; production refuses it (config.ts). */
  DONDOC_SAMPLE_DATA: bool.default(false),
  /** The sample accounts' password; `npm start` generates one when unset (deploy/local/installation-secrets.ts). */
  DONDOC_SAMPLE_PASSWORD: z.string().trim().min(12, 'must be at least 12 characters').optional(),
  /** Where the built web UI lives when not at apps/web/dist next to the code (a packaged install). */
  WEB_DIST_DIR: z.string().min(1).optional(),
  /** Absolute lifetime of a session, however active (hours). */
  SESSION_MAX_AGE_HOURS: z.coerce.number().min(0.01).max(24 * 30).default(12),
  /** Sign-in throttling per (username, client address): free failures, then a delay doubling from this one. */
  LOGIN_FREE_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  LOGIN_BASE_DELAY_S: z.coerce.number().min(0.1).max(3600).default(30),
  LOGIN_MAX_DELAY_S: z.coerce.number().min(1).max(24 * 3600).default(3600),
  /** Failed sign-ins from one client address, all names together. */
  RATE_LIMIT_LOGIN_FAILURES_ADDRESS: rate.prefault('50/900'),
  RATE_LIMIT_IMPORT_USER: rate.prefault('20/600'),
  RATE_LIMIT_IMPORT_ADDRESS: rate.prefault('60/600'),
  RATE_LIMIT_EXPORT_USER: rate.prefault('60/600'),
  RATE_LIMIT_EXPORT_ADDRESS: rate.prefault('200/600'),
});

export type Env = z.infer<typeof envSchema>;
