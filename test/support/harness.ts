// Builds the real apps in-process against the services the global setup started.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type INestApplication, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { DataSource } from 'typeorm';
import { type AppConfig, parseConfig } from '@app/config';
import { loadOrganisationDirectory, type OrganisationDirectory } from '@app/domain';
import { seedSampleAccounts, TypeormOrganisationRepository } from '@app/persistence';
import { TEST_SAMPLE_PASSWORD as SAMPLE_PASSWORD } from './accounts';
import { createApiApp } from '../../apps/api/src/bootstrap';
import { WorkerModule } from '../../apps/worker/src/worker.module';

/** A config for one test file: its own task queue, so files never steal each other's tasks. */
export function testConfig(overrides: Record<string, string> = {}): AppConfig {
  const env = process.env;
  if (!env.DONDOC_TEST_DATABASE_URL) throw new Error('integration services are not running (global setup)');
  return parseConfig({
    NODE_ENV: 'test',
    DATABASE_URL: env.DONDOC_TEST_DATABASE_URL,
    TEMPORAL_ADDRESS: env.DONDOC_TEST_TEMPORAL_ADDRESS,
    TASK_QUEUE: `test-${randomUUID()}`,
    ...(env.WORKFLOW_BUNDLE_PATH ? { WORKFLOW_BUNDLE_PATH: env.WORKFLOW_BUNDLE_PATH } : {}),
    LOG_LEVEL: env.LOG_LEVEL ?? 'warn',
    // Every test file shares one database and signs in from 127.0.0.1 as the same sample accounts, so the
    // production limits would trip across files; the security suite sets its own low limits where it probes them.
    RATE_LIMIT_LOGIN_FAILURES_ADDRESS: '100000/60',
    RATE_LIMIT_IMPORT_USER: '100000/60',
    RATE_LIMIT_IMPORT_ADDRESS: '100000/60',
    RATE_LIMIT_EXPORT_USER: '100000/60',
    RATE_LIMIT_EXPORT_ADDRESS: '100000/60',
    ...overrides,
  });
}

let runtimeInstalled = false;

export async function startWorkerApp(config: AppConfig): Promise<INestApplicationContext> {
  if (!runtimeInstalled) {
    // The SDK logs every worker state change at INFO; tests want only warnings.
    Runtime.install({ logger: new DefaultLogger('ERROR') });
    runtimeInstalled = true;
  }
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: ['error'] });
  await app.init();
  return app;
}

export interface RunningApi {
  app: INestApplication;
  baseUrl: string;
  close(): Promise<void>;
}

export async function startApiApp(config: AppConfig): Promise<RunningApi> {
  const app = await createApiApp(config);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return { app, baseUrl: `http://127.0.0.1:${address.port}`, close: () => app.close() };
}

/** Polls until `fn` returns a value that passes `ok`, or fails with the last value seen. */
export async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await fn();
  while (!ok(last)) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
    last = await fn();
  }
  return last;
}

export async function http<T = unknown>(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: T; headers: Headers }> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}

export interface LoggedIn {
  user: { id: string; username: string; role: string; unitCode: string | null };
  csrfToken: string;
  /** Cookie and CSRF header to pass to `http` for every request as this user. */
  headers: Record<string, string>;
}

/** Signs in through the API and returns what a browser would send afterwards. */
export async function login(baseUrl: string, username: string, password: string): Promise<LoggedIn> {
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`login as ${username} failed: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { user: LoggedIn['user']; csrfToken: string };
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return { user: body.user, csrfToken: body.csrfToken, headers: { cookie, 'x-csrf-token': body.csrfToken } };
}

/** Loads the sample organisation (if the database has none) and its sample accounts; both idempotent. */
export async function seedSampleOrganisationAndAccounts(ds: DataSource): Promise<OrganisationDirectory> {
  const directory = loadOrganisationDirectory(readFileSync(join(__dirname, '../../deploy/seed/van-quan/organisation.yaml'), 'utf8'));
  await new TypeormOrganisationRepository(ds).seedIfEmpty(directory.file);
  await seedSampleAccounts(ds, directory, SAMPLE_PASSWORD);
  return directory;
}

export interface SampleStack {
  config: AppConfig;
  worker: INestApplicationContext;
  api: RunningApi;
  ds: DataSource;
  /** Signs in one of the sample accounts. */
  loginAs(username: string): Promise<LoggedIn>;
  close(): Promise<void>;
}

/** Worker and API on their own task queue, with the sample organisation and accounts loaded. */
export async function startSampleStack(overrides: Record<string, string> = {}): Promise<SampleStack> {
  const config = testConfig(overrides);
  const worker = await startWorkerApp(config);
  const api = await startApiApp(config);
  const ds = api.app.get(DataSource);
  await seedSampleOrganisationAndAccounts(ds);
  return {
    config,
    worker,
    api,
    ds,
    loginAs: (username) => login(api.baseUrl, username, SAMPLE_PASSWORD),
    close: async () => {
      await api.close();
      await worker.close();
    },
  };
}
