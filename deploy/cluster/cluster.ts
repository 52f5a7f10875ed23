// A whole Dondoc cluster on one machine: PostgreSQL, the real Temporal server on it, the SMTP sink, N workers,
// M API replicas and nginx in front of them, each a supervised child process with its own log. `npm run cluster`
// (deploy/cluster/main.ts) runs it for people; the fault test and the cluster bench start it from code.
// The layout, ports and what differs from the containers: docs/cluster.md.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { Client } from 'pg';
import { resolveBinary } from '../local/binaries';
import { resolveSamplePassword, resolveSecretKey, type SamplePassword } from '../local/installation-secrets';
import { serverAccount } from '../local/postgres';
import { isPortFree, startPostgres, waitForTcp } from '../local/stack';
import { findNginx, writeNginxConfig } from './nginx';
import { registerNamespaceAndSearchAttributes } from './register';
import { type ChildSpec, Supervisor } from './supervisor';
import { ensureTemporalSchemas, pgServerOf, temporalServes, writeTemporalConfig } from './temporal-server';

const ROOT = resolve(__dirname, '..', '..');

export interface ClusterOptions {
  /** Root for state, logs (dir/logs/<process>.log), data; npm run cluster uses .data/cluster. */
  dir: string;
  /** Default 2. */
  workers?: number;
  /** Default 2. */
  apis?: number;
  /** An existing PostgreSQL (its server holds the app DB and Temporal's DBs); else embedded PostgreSQL under dir. */
  databaseUrl?: string;
  /** Extra env for the app processes (API + workers), e.g. WORKER_MAX_CACHED_WORKFLOWS. */
  env?: Record<string, string>;
  /** Load the sample organisation/accounts (default true). */
  sampleData?: boolean;
  log?: (msg: string) => void;
  /** First of the cluster's ports (default CLUSTER_BASE_PORT or 8400; the layout is in clusterPorts()). */
  basePort?: number;
}

export interface ClusterProcess {
  name: string;
  pid: number | null;
  state: 'starting' | 'running' | 'stopped' | 'restarting';
  restarts: number;
}

export interface ClusterHandle {
  /** nginx, e.g. http://127.0.0.1:8480 */
  proxyUrl: string;
  /** Each replica directly. */
  apiUrls: string[];
  /** Frontend host:port. */
  temporalAddress: string;
  namespace: string;
  /** The app database. */
  databaseUrl: string;
  /** readCaughtMessages(storeDir) from @app/notifications works. */
  smtp: { host: string; port: number; storeDir: string };
  metricsUrls: { apis: string[]; workers: string[] };
  /** The sample accounts' password (sampleData), also kept in dir/sample-password. */
  samplePassword: string;
  dir: string;
  /** Names: postgres, temporal, smtp, worker-1.., api-1.., nginx. */
  processes(): ClusterProcess[];
  /** Default SIGKILL, to the process and whatever it forked; the supervisor restarts it (back-off). */
  kill(name: string, signal?: NodeJS.Signals): void;
  /** Graceful stop, start, resolves when ready again. */
  restart(name: string): Promise<void>;
  /** Stop and keep it down (no auto-restart) … */
  stopProcess(name: string): Promise<void>;
  /** … until started again; resolves when ready. */
  startProcess(name: string): Promise<void>;
  waitReady(name: string, timeoutMs?: number): Promise<void>;
  /** Everything, in order (proxy, apis, workers drained, temporal, smtp, postgres). */
  stop(): Promise<void>;
}

/** Where each process listens, from the base port. Up to 9 workers and 9 API replicas. */
export function clusterPorts(base: number, workers: number, apis: number) {
  return {
    postgres: base + 1,
    temporalBase: base + 10,
    smtp: base + 25,
    apis: Array.from({ length: apis }, (_, i) => base + 41 + i),
    apiMetrics: Array.from({ length: apis }, (_, i) => base + 51 + i),
    workerMetrics: Array.from({ length: workers }, (_, i) => base + 61 + i),
    proxy: base + 80,
  };
}

/** The state file that lets `npm run cluster -- stop|status|logs` act on a cluster started elsewhere. */
export interface ClusterState {
  supervisorPid: number;
  startedAt: string;
  dir: string;
  proxyUrl: string;
  apiUrls: string[];
  temporalAddress: string;
  temporalMetricsUrl: string;
  namespace: string;
  databaseUrl: string;
  smtp: { host: string; port: number; storeDir: string };
  metricsUrls: { apis: string[]; workers: string[] };
  samplePasswordFile: string;
  processes: (ClusterProcess & { log: string })[];
}

export const STATE_FILE = 'cluster.json';

const STOP_ORDER_PREFIXES = ['nginx', 'api-', 'worker-', 'temporal', 'smtp', 'postgres'];

function intOption(name: string, value: number | undefined, fallback: number, min: number, max: number): number {
  const n = value ?? fallback;
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be a whole number from ${min} to ${max}, got ${n}`);
  return n;
}

async function httpOk(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

/** Polls until the check passes; the supervisor's signal ends it when the start is over (timed out, exited). */
async function pollUntil(signal: AbortSignal, check: () => Promise<boolean>, intervalMs = 300): Promise<void> {
  while (!signal.aborted) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error('start abandoned');
}

async function pgAnswers(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function logSays(file: string, offset: number, needle: string): Promise<boolean> {
  const { open } = await import('node:fs/promises');
  const fh = await open(file, 'r').catch(() => null);
  if (!fh) return false;
  try {
    const { size } = await fh.stat();
    if (size <= offset) return false;
    const buf = Buffer.alloc(Math.min(size - offset, 4 * 1024 * 1024));
    await fh.read(buf, 0, buf.length, offset);
    return buf.toString('utf8').includes(needle);
  } finally {
    await fh.close();
  }
}

function writeJsonAtomic(file: string, value: unknown): void {
  const tmp = `${file}.${process.pid}.tmp`;
  // It holds the database URL, password included when DATABASE_URL has one: readable by its owner only.
  writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}

export async function startCluster(opts: ClusterOptions): Promise<ClusterHandle> {
  const log = opts.log ?? ((msg: string) => process.stderr.write(`[cluster] ${msg}\n`));
  const dir = resolve(opts.dir);
  const workers = intOption('workers', opts.workers, 2, 1, 9);
  const apis = intOption('apis', opts.apis, 2, 1, 9);
  // Below 32768 - 80: Temporal's membership ports must fit a smallint (temporal-server.ts).
  const basePort = intOption('basePort', opts.basePort, Number(process.env.CLUSTER_BASE_PORT ?? 8400), 1024, 32680);
  const ports = clusterPorts(basePort, workers, apis);
  const temporalPortsList = Array.from({ length: 10 }, (_, i) => ports.temporalBase + i);
  mkdirSync(join(dir, 'logs'), { recursive: true });

  for (const file of ['api', 'worker'].map((app) => join(ROOT, `dist/apps/${app}/src/main.js`))) {
    if (!existsSync(file)) throw new Error(`${file} is missing: build the apps first (npm run build, or npm run cluster which builds them)`);
  }
  const busy: number[] = [];
  const wanted = [
    ...(opts.databaseUrl ? [] : [ports.postgres]),
    ...temporalPortsList,
    ports.smtp,
    ...ports.apis,
    ...ports.apiMetrics,
    ...ports.workerMetrics,
    ports.proxy,
  ];
  for (const port of wanted) if (!(await isPortFree(port))) busy.push(port);
  if (busy.length > 0) {
    throw new Error(
      `Ports ${busy.join(', ')} are in use (the cluster uses ${basePort}..${basePort + 80}). Stop what uses them (an earlier cluster: npm run cluster -- stop) or choose another base with CLUSTER_BASE_PORT.`,
    );
  }

  const server = resolveBinary('server', { allowSdkDownload: false });
  const sqlTool = resolveBinary('sqlTool', { allowSdkDownload: false });
  const nginx = findNginx();
  if (!nginx) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const sys = require('../local/system-packages') as { ensureDebianPackages(p: unknown[], log: (m: string) => void): string[]; NGINX_PACKAGE: unknown };
    sys.ensureDebianPackages([sys.NGINX_PACKAGE], log);
  }
  const nginxPath = findNginx();
  if (!nginxPath) throw new Error('nginx is missing: install the Debian package nginx, or set NGINX_PATH');

  let statePersist: () => void = () => undefined;
  const supervisor = new Supervisor(join(dir, 'logs'), (msg) => {
    log(msg);
    writeFileSafe(join(dir, 'logs', 'supervisor.log'), `${new Date().toISOString()} ${msg}\n`);
  }, () => statePersist());
  // Whatever happens to this process, its children must not outlive it (each has its own process group).
  const orphanGuard = (): void => {
    for (const pid of supervisor.pids()) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
  };
  process.on('exit', orphanGuard);
  const stopAll = async (): Promise<void> => {
    const names = supervisor.list().map((p) => p.name);
    const ordered = STOP_ORDER_PREFIXES.flatMap((prefix) => names.filter((n) => n === prefix || (prefix.endsWith('-') && n.startsWith(prefix))));
    // The workers of one cluster drain in parallel, as do the replicas: each is independent of its siblings.
    for (const group of groupConsecutive(ordered)) await Promise.all(group.map((n) => supervisor.stopInOrder([n])));
    process.off('exit', orphanGuard);
  };

  try {
    // --- PostgreSQL ---------------------------------------------------------------------------------------
    let databaseUrl: string;
    if (opts.databaseUrl) {
      databaseUrl = opts.databaseUrl;
      log(`PostgreSQL: using ${new URL(databaseUrl).host} (Temporal's databases go on the same server)`);
    } else {
      // The shared start-up (deploy/local/stack.ts) initialises the data folder where the server account can
      // reach it and creates the app database; the supervisor then runs the same server as one of its children.
      const first = await startPostgres({ dataDir: join(dir, 'postgres'), port: ports.postgres, database: 'dondoc', log });
      await first.stop();
      databaseUrl = first.url;
      const account = serverAccount();
      const bin = join(first.binaries!.dir, 'bin', 'postgres');
      await supervisor.add({
        name: 'postgres',
        command: bin,
        args: ['-D', first.dataDir!, '-p', String(ports.postgres), '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300'],
        env: { ...process.env, LC_ALL: 'C.UTF-8', LC_MESSAGES: 'C' },
        ...(account.switched ? { uid: account.uid, gid: account.gid } : {}),
        stopSignal: 'SIGINT',
        stopTimeoutMs: 20_000,
        ready: ({ signal }) => pollUntil(signal, () => pgAnswers(databaseUrl)),
        readyTimeoutMs: 90_000,
      });
      log(`PostgreSQL: 127.0.0.1:${ports.postgres}, data in ${first.dataDir}`);
    }
    const pg = pgServerOf(databaseUrl);

    // --- Temporal -----------------------------------------------------------------------------------------
    log(`Temporal: server ${server.path} [${server.source}], schema tool ${sqlTool.path} [${sqlTool.source}]`);
    await ensureTemporalSchemas({ path: sqlTool.path!, log }, pg);
    const temporalConfig = writeTemporalConfig({ root: join(dir, 'temporal'), basePort: ports.temporalBase, pg });
    const temporalAddress = temporalConfig.address;
    await supervisor.add({
      name: 'temporal',
      command: server.path!,
      args: temporalConfig.args,
      cwd: temporalConfig.root,
      stopTimeoutMs: 30_000,
      ready: ({ signal }) => pollUntil(signal, () => temporalServes(temporalAddress), 500),
      readyTimeoutMs: 120_000,
    });
    const namespace = opts.env?.TEMPORAL_NAMESPACE ?? process.env.TEMPORAL_NAMESPACE ?? 'dondoc';
    const connection = await Connection.connect({ address: temporalAddress });
    try {
      await registerNamespaceAndSearchAttributes(connection, { namespace, log, timeoutMs: 90_000 });
    } finally {
      await connection.close();
    }
    log(`Temporal: ${temporalAddress}, namespace ${namespace}`);
    // Whether a worker process polls its task queue: Temporal lists its pollers by identity, which the SDK makes
    // "<pid>@<host>". This holds whatever the worker's log level (its "worker running" line is the quicker sign).
    const taskQueue = opts.env?.TASK_QUEUE ?? process.env.TASK_QUEUE ?? 'dondoc-assignments';
    const pollsTaskQueue = async (pid: number): Promise<boolean> => {
      let probe: Connection | null = null;
      try {
        probe = await Connection.connect({ address: temporalAddress, connectTimeout: 2000 });
        const res = await probe.workflowService.describeTaskQueue({
          namespace,
          taskQueue: { name: taskQueue },
          taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
        });
        return (res.pollers ?? []).some((p) => (p.identity ?? '').startsWith(`${pid}@`));
      } catch {
        return false;
      } finally {
        await probe?.close().catch(() => undefined);
      }
    };

    // --- SMTP sink ----------------------------------------------------------------------------------------
    const mailDir = join(dir, 'mail');
    await supervisor.add({
      name: 'smtp',
      command: process.execPath,
      args: [join(ROOT, 'deploy/local/run-ts.js'), join(ROOT, 'deploy/cluster/smtp-sink.ts')],
      cwd: ROOT,
      env: { ...process.env, SMTP_SINK_PORT: String(ports.smtp), SMTP_SINK_STORE: mailDir },
      ready: () => waitForTcp(ports.smtp, 60_000),
    });

    // --- Workers and API replicas -------------------------------------------------------------------------
    const proxyUrl = `http://127.0.0.1:${ports.proxy}`;
    const sampleData = opts.sampleData ?? true;
    const samplePassword: SamplePassword = resolveSamplePassword(dir, { ...process.env, ...opts.env });
    const common: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_NAMESPACE: namespace,
      SMTP_URL: `smtp://127.0.0.1:${ports.smtp}`,
      CAUGHT_MAIL_DIR: mailDir,
      PUBLIC_URL: proxyUrl,
      DONDOC_SAMPLE_DATA: sampleData ? 'true' : 'false',
      DONDOC_SAMPLE_PASSWORD: samplePassword.password,
      // One key for every replica: a link signed by one is checked by another.
      SECRET_KEY: resolveSecretKey(dir, { ...process.env, ...opts.env }),
      ...opts.env,
    };
    const appSpec = (app: 'api' | 'worker', index: number): ChildSpec => {
      const name = `${app}-${index + 1}`;
      // Each replica has a data folder of its own, as on separate machines: nothing may rely on a sibling's disk.
      const env: NodeJS.ProcessEnv = { ...common, DATA_DIR: join(dir, 'apps', name) };
      if (app === 'api') Object.assign(env, { PORT: String(ports.apis[index]), HOST: '127.0.0.1', METRICS_PORT: String(ports.apiMetrics[index]) });
      else env.WORKER_METRICS_PORT = String(ports.workerMetrics[index]);
      mkdirSync(join(dir, 'apps', name), { recursive: true });
      return {
        name,
        command: process.execPath,
        args: [join(ROOT, `dist/apps/${app}/src/main.js`)],
        cwd: ROOT,
        env,
        // A worker drains its in-flight tasks on SIGTERM (shutdownGraceTime in the worker) before exiting.
        stopTimeoutMs: app === 'worker' ? 60_000 : 20_000,
        ready:
          app === 'api'
            ? ({ signal }) => pollUntil(signal, () => httpOk(`http://127.0.0.1:${ports.apis[index]}/health`))
            : ({ pid, logFile, sinceLogOffset, signal }) =>
                pollUntil(signal, async () => (await logSays(logFile, sinceLogOffset, '"worker running"')) || (await pollsTaskQueue(pid)), 500),
        readyTimeoutMs: 180_000,
      };
    };
    log(`Starting ${workers} worker(s) and ${apis} API replica(s) ...`);
    await Promise.all([
      ...Array.from({ length: workers }, (_, i) => supervisor.add(appSpec('worker', i))),
      ...Array.from({ length: apis }, (_, i) => supervisor.add(appSpec('api', i))),
    ]);

    // --- nginx --------------------------------------------------------------------------------------------
    const maxBody = Number(common.PLAN_FILE_MAX_BYTES ?? 30 * 1024 * 1024);
    const layout = writeNginxConfig({ dir, listenPort: ports.proxy, upstreams: ports.apis, clientMaxBodyBytes: maxBody, logDir: join(dir, 'logs') });
    // nginx checks its configuration itself: a mistake is reported with its line, not as a process that died.
    const check = spawnSync(nginxPath, [...layout.args, '-t'], { encoding: 'utf8' });
    if (check.status !== 0) throw new Error(`nginx refused ${layout.conf}:\n${`${check.stdout}${check.stderr}`.trim()}`);
    await supervisor.add({
      name: 'nginx',
      command: nginxPath,
      args: layout.args,
      ready: ({ signal }) => pollUntil(signal, () => httpOk(`${proxyUrl}/health`)),
      readyTimeoutMs: 30_000,
    });

    const apiUrls = ports.apis.map((p) => `http://127.0.0.1:${p}`);
    const metricsUrls = {
      apis: ports.apiMetrics.map((p) => `http://127.0.0.1:${p}/metrics`),
      workers: ports.workerMetrics.map((p) => `http://127.0.0.1:${p}/metrics`),
    };
    const smtp = { host: '127.0.0.1', port: ports.smtp, storeDir: mailDir };
    const startedAt = new Date().toISOString();
    statePersist = () => {
      const state: ClusterState = {
        supervisorPid: process.pid,
        startedAt,
        dir,
        proxyUrl,
        apiUrls,
        temporalAddress,
        temporalMetricsUrl: `http://127.0.0.1:${temporalConfig.ports.metrics}/metrics`,
        namespace,
        databaseUrl,
        smtp,
        metricsUrls,
        samplePasswordFile: samplePassword.file,
        processes: supervisor.list().map((p) => ({ ...p, log: supervisor.logFileOf(p.name) })),
      };
      try {
        writeJsonAtomic(join(dir, STATE_FILE), state);
      } catch {
        // The folder went away (a test cleaning up): the state file is a convenience, not the cluster itself.
      }
    };
    statePersist();

    let stopped: Promise<void> | null = null;
    return {
      proxyUrl,
      apiUrls,
      temporalAddress,
      namespace,
      databaseUrl,
      smtp,
      metricsUrls,
      samplePassword: samplePassword.password,
      dir,
      processes: () => supervisor.list(),
      kill: (name, signal = 'SIGKILL') => supervisor.kill(name, signal),
      restart: (name) => supervisor.restart(name),
      stopProcess: (name) => supervisor.stopProcess(name),
      startProcess: (name) => supervisor.startProcess(name),
      waitReady: (name, timeoutMs) => supervisor.waitReady(name, timeoutMs),
      stop: () => {
        stopped ??= stopAll().then(() => {
          statePersist = () => undefined;
          try {
            writeJsonAtomic(join(dir, STATE_FILE), { stoppedAt: new Date().toISOString() });
          } catch {
            // as above
          }
        });
        return stopped;
      },
    };
  } catch (err) {
    log(`start failed: ${err instanceof Error ? err.message : String(err)}; stopping what started`);
    await stopAll();
    throw err;
  }
}

/** ['nginx','api-1','api-2','worker-1'] → [['nginx'],['api-1','api-2'],['worker-1']]: siblings stop together. */
function groupConsecutive(names: string[]): string[][] {
  const groups: string[][] = [];
  const kind = (n: string): string => n.replace(/-\d+$/, '');
  for (const n of names) {
    const last = groups[groups.length - 1];
    if (last && kind(last[0]) === kind(n)) last.push(n);
    else groups.push([n]);
  }
  return groups;
}

function writeFileSafe(file: string, line: string): void {
  try {
    writeFileSync(file, line, { flag: 'a' });
  } catch {
    // Logging must never take the cluster down.
  }
}
