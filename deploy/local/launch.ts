// The local stack behind `npm start`: PostgreSQL, Temporal dev server (with UI), worker and API as child
// processes, all stopped cleanly on Ctrl-C. Data lives in DATA_DIR (default .data/) and survives restarts.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startSmtpSink } from '../../libs/notifications/src/smtp-sink';
import { runDemoAfterStart } from '../seed/demo-launch';
import { resolveSamplePassword, resolveSecretKey, signInBanner } from './installation-secrets';
import { ensurePortFree, type ServiceHandle, startPostgres, startTemporalDevServer, stopChild } from './stack';

// Runs from its source (deploy/local/start.js loads it through run-ts.js): the repository is two levels up.
const ROOT = resolve(__dirname, '..', '..');

type ExitHook = ((hook: (done: () => void) => void) => void) & { forceExitTimeout(ms: number): void };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const exitHook = require('async-exit-hook') as ExitHook;

function log(msg: string): void {
  process.stderr.write(`\x1b[36m▶\x1b[0m ${msg}\n`);
}

function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`${name} must be a port number, got "${raw}"`);
  return n;
}

async function waitForHealth(url: string, timeoutMs: number, children: ChildProcess[]): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    const dead = children.find((c) => c.exitCode !== null);
    if (dead) throw new Error(`a Dondoc process exited during start-up (exit ${dead.exitCode}); see its log above`);
    try {
      const res = await fetch(url);
      last = await res.text();
      if (res.status === 200) return;
    } catch (err) {
      last = String(err);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`Dondoc did not become healthy within ${timeoutMs / 1000} s: ${last}`);
}

export interface LaunchOptions {
  temporalCliPath: string;
  /**
   * The Node arguments that start an app. npm start: the built entry point (dist/apps/<app>/src/main.js);
   * npm run dev (deploy/local/dev.js): `nest start <app> --watch`, which rebuilds and restarts it on every edit.
   */
  appArgs?: (app: 'worker' | 'api') => string[];
  /** How long the API may take to answer /health (a first watch-mode compile is slower than a built start). */
  readyTimeoutMs?: number;
}

export async function launch(opts: LaunchOptions): Promise<void> {
  const started = Date.now();
  const dataDir = resolve(ROOT, process.env.DATA_DIR ?? '.data');
  mkdirSync(dataDir, { recursive: true });
  const ports = {
    api: intEnv('PORT', 3000),
    postgres: intEnv('PG_PORT', 5433),
    temporal: intEnv('TEMPORAL_PORT', 7233),
    temporalUi: intEnv('TEMPORAL_UI_PORT', 8233),
    smtp: intEnv('SMTP_SINK_PORT', 2525),
  };
  await ensurePortFree(ports.api, 'Dondoc web app and API', 'PORT');

  const services: ServiceHandle[] = [];
  const children: ChildProcess[] = [];
  let stopping = false;
  const stopAll = async (code: number, done?: () => void): Promise<void> => {
    if (stopping) return done?.();
    stopping = true;
    log('Stopping Dondoc ...');
    await Promise.all(children.map((c) => stopChild(c, 10000)));
    for (const s of services.reverse()) await s.stop().catch((e: unknown) => log(`stop: ${String(e)}`));
    log('Stopped.');
    if (done) done();
    else process.exit(code);
  };
  // Ctrl-C (and any other exit signal) stops the worker, the API, Temporal and PostgreSQL in that order.
  exitHook((done) => {
    void stopAll(0, done);
  });
  exitHook.forceExitTimeout(40000);

  try {
    log('Starting PostgreSQL ...');
    const pg = await startPostgres({
      databaseUrl: process.env.DATABASE_URL,
      dataDir: join(dataDir, 'postgres'),
      port: ports.postgres,
      database: 'dondoc',
      log,
      ownProcessGroup: true,
    });
    services.push(pg);
    log('Starting the Temporal dev server ...');
    const temporal = await startTemporalDevServer({
      cliPath: opts.temporalCliPath,
      dbFile: join(dataDir, 'temporal', 'dev.sqlite'),
      port: ports.temporal,
      uiPort: ports.temporalUi,
      namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
      log,
      logFile: join(dataDir, 'temporal.log'),
      ownProcessGroup: true,
    });
    services.push(temporal);

    let smtpUrl = process.env.SMTP_URL;
    const caughtMailDir = join(dataDir, 'mail');
    if (!smtpUrl) {
      // No mail server configured: a local SMTP sink catches every message so a newcomer sees them.
      await ensurePortFree(ports.smtp, 'local SMTP sink', 'SMTP_SINK_PORT');
      const sink = await startSmtpSink({ port: ports.smtp, host: '127.0.0.1', storeDir: caughtMailDir });
      services.push({ stop: () => sink.stop() });
      smtpUrl = sink.url;
      log(`SMTP: local sink on ${sink.url}, caught messages in ${caughtMailDir}`);
    }

    const publicUrl = process.env.PUBLIC_URL ?? `http://127.0.0.1:${ports.api}`;
    const samplePassword = resolveSamplePassword(dataDir);
    const env = {
      ...process.env,
      DATABASE_URL: pg.url,
      TEMPORAL_ADDRESS: temporal.address,
      PORT: String(ports.api),
      PUBLIC_URL: publicUrl,
      DATA_DIR: dataDir,
      SMTP_URL: smtpUrl,
      CAUGHT_MAIL_DIR: caughtMailDir,
      DONDOC_SAMPLE_DATA: process.env.DONDOC_SAMPLE_DATA ?? 'true',
      // Per installation, never a published default (docs/security.md).
      DONDOC_SAMPLE_PASSWORD: samplePassword.password,
      SECRET_KEY: resolveSecretKey(dataDir),
    };
    const spawnApp = (name: 'worker' | 'api'): ChildProcess => {
      // The built apps need no loader: `nest build` rewrote the @app/* aliases to relative paths (docs/layout.md).
      const args = opts.appArgs ? opts.appArgs(name) : [join(ROOT, `dist/apps/${name}/src/main.js`)];
      const child = spawn(process.execPath, args, {
        cwd: ROOT,
        env,
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      child.once('exit', (code, signal) => {
        if (!stopping) {
          log(`${name} exited (${code ?? signal}); stopping everything`);
          void stopAll(1);
        }
      });
      children.push(child);
      return child;
    };
    log('Starting the worker and the API ...');
    spawnApp('worker');
    spawnApp('api');
    await waitForHealth(`http://127.0.0.1:${ports.api}/health`, opts.readyTimeoutMs ?? 120000, children);
    // The demo plan, made through the API now that it answers (deploy/seed/demo.ts, docs/demo.md).
    await runDemoAfterStart({ baseUrl: `http://127.0.0.1:${ports.api}`, root: ROOT, env, log });

    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    process.stderr.write(
      [
        '',
        `\x1b[32mDondoc is running\x1b[0m (ready in ${seconds} s). Ctrl-C stops everything; data stays in ${dataDir}.`,
        `  App:        ${publicUrl}/`,
        `  API docs:   ${publicUrl}/docs`,
        `  Health:     ${publicUrl}/health`,
        `  Temporal UI: ${temporal.uiUrl}`,
        signInBanner(samplePassword),
        '',
      ].join('\n'),
    );
  } catch (err) {
    log(err instanceof Error ? err.message : String(err));
    await stopAll(1);
  }
}
