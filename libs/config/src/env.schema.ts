import { z } from 'zod';

const port = z.coerce.number().int().min(1).max(65535);
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** Every environment variable Dondoc reads, validated once at boot. */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  TEMPORAL_ADDRESS: z.string().regex(/^[\w.-]+:\d+$/, 'expected host:port').default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TASK_QUEUE: z.string().min(1).default('dondoc-assignments'),
  SMTP_URL: z.url({ protocol: /^smtps?$/ }).default('smtp://127.0.0.1:2525'),
  MAIL_FROM: z.string().min(3).default('Dondoc <dondoc@vanquan.example.vn>'),
  MAIL_REPLY_TO: z.string().optional(),
  PORT: port.default(3000),
  HOST: z.string().default('127.0.0.1'),
  PUBLIC_URL: z.url().default('http://127.0.0.1:3000'),
  DATA_DIR: z.string().min(1).default('.data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_PRETTY: bool.default(false),
  SECRET_KEY: z.string().min(16).default('dondoc-local-development-secret'),
  DUE_SOON_DAYS: z.coerce.number().int().min(0).max(60).default(3),
  PLAN_MAX_BYTES: z.coerce.number().int().min(1024).default(5 * 1024 * 1024),
  /** An uploaded plan file (.pdf scans run to tens of MB); PLAN_MAX_BYTES bounds the text taken from it. */
  PLAN_FILE_MAX_BYTES: z.coerce.number().int().min(1024).default(30 * 1024 * 1024),
  UPLOAD_MAX_BYTES: z.coerce.number().int().min(1024).default(10 * 1024 * 1024),
  CAUGHT_MAIL_DIR: z.string().optional(),
});

export type Env = z.infer<typeof envSchema>;
