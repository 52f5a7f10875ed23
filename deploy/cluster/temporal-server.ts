// The real Temporal server (not the CLI's dev server) on PostgreSQL: its YAML configuration, the databases and
// their schemas (temporal-sql-tool), and the command line that runs all four services in one process.
// docs/cluster.md explains the choices; Temporal's own reference for the keys is its config/ folder and docs.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { Client } from 'pg';

export interface PgServer {
  host: string;
  port: number;
  user: string;
  password: string;
}

export interface TemporalPorts {
  frontend: number;
  frontendHttp: number;
  history: number;
  matching: number;
  worker: number;
  membership: { frontend: number; history: number; matching: number; worker: number };
  metrics: number;
}

/** Ten consecutive ports from `base`: gRPC and membership for each service, the HTTP API and Prometheus. */
export function temporalPorts(base: number): TemporalPorts {
  return {
    frontend: base,
    frontendHttp: base + 1,
    history: base + 2,
    matching: base + 3,
    worker: base + 4,
    membership: { frontend: base + 5, history: base + 6, matching: base + 7, worker: base + 8 },
    metrics: base + 9,
  };
}

export const TEMPORAL_DATABASES = { default: 'temporal', visibility: 'temporal_visibility' } as const;

export interface TemporalServerConfig {
  /** The folder holding config/<env>.yaml and config/dynamicconfig.yaml. */
  root: string;
  env: string;
  args: string[];
  ports: TemporalPorts;
  address: string;
}

/** PostgreSQL's server, as Temporal and temporal-sql-tool see it, from the app database's URL. */
export function pgServerOf(url: string): PgServer {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
  };
}

// YAML scalars as JSON strings: JSON is valid YAML, so a password with a colon or a quote cannot break the file.
const q = (v: string | number): string => JSON.stringify(String(v));

/**
 * Writes the server's static configuration and its dynamic configuration (rewritten on every start).
 *
 * History shards: 16 for a new cluster (docs/operations.md, "History shards": 4 left timers firing later and the
 * wave's tail longer on one host). The count is fixed for the life of the databases; a cluster created with
 * another count keeps it, because the server takes the count recorded in its cluster metadata over the file's
 * (it logs the mismatch as a warning at start), so raising this default does not touch existing clusters.
 */
export const DEFAULT_HISTORY_SHARDS = 16;

export function writeTemporalConfig(opts: { root: string; basePort: number; pg: PgServer; numHistoryShards?: number; logLevel?: string }): TemporalServerConfig {
  const ports = temporalPorts(opts.basePort);
  // Temporal records each host's membership port in a PostgreSQL smallint (cluster_membership.rpc_port): a port
  // above 32767 makes the server die at start with "out of range for type smallint".
  if (ports.membership.worker > 32767) {
    throw new Error(`Temporal's ports must stay below 32768 (its membership table stores them as smallint); base ${opts.basePort} is too high`);
  }
  const configDir = join(opts.root, 'config');
  mkdirSync(configDir, { recursive: true });
  const env = 'cluster';
  const store = (database: string, maxConns: number): string[] => [
    '      sql:',
    '        pluginName: "postgres12"',
    `        databaseName: ${q(database)}`,
    `        connectAddr: ${q(`${opts.pg.host}:${opts.pg.port}`)}`,
    '        connectProtocol: "tcp"',
    `        user: ${q(opts.pg.user)}`,
    `        password: ${q(opts.pg.password)}`,
    `        maxConns: ${maxConns}`,
    `        maxIdleConns: ${maxConns}`,
    '        maxConnLifetime: "1h"',
  ];
  const service = (grpc: number, membership: number, http?: number): string[] => [
    '    rpc:',
    `      grpcPort: ${grpc}`,
    `      membershipPort: ${membership}`,
    '      bindOnLocalHost: true',
    ...(http ? [`      httpPort: ${http}`] : []),
  ];
  const yaml = [
    '# Written by deploy/cluster/temporal-server.ts on every start: edit that file, not this one.',
    'log:',
    '  stdout: true',
    `  level: ${q(opts.logLevel ?? 'warn')}`,
    'persistence:',
    '  defaultStore: postgres-default',
    '  visibilityStore: postgres-visibility',
    `  numHistoryShards: ${opts.numHistoryShards ?? DEFAULT_HISTORY_SHARDS}`,
    '  datastores:',
    '    postgres-default:',
    // History, matching and the frontend share this pool; the apps' own pools are separate (DATABASE_POOL_MAX).
    // Sized with the task processors' worker counts in the dynamic configuration below.
    ...store(TEMPORAL_DATABASES.default, 40),
    '    postgres-visibility:',
    ...store(TEMPORAL_DATABASES.visibility, 10),
    'global:',
    '  membership:',
    '    maxJoinDuration: "30s"',
    '    broadcastAddress: "127.0.0.1"',
    '  metrics:',
    '    prometheus:',
    '      framework: "tally"',
    '      timerType: "histogram"',
    `      listenAddress: ${q(`127.0.0.1:${ports.metrics}`)}`,
    'services:',
    '  frontend:',
    ...service(ports.frontend, ports.membership.frontend, ports.frontendHttp),
    '  history:',
    ...service(ports.history, ports.membership.history),
    '  matching:',
    ...service(ports.matching, ports.membership.matching),
    '  worker:',
    ...service(ports.worker, ports.membership.worker),
    'clusterMetadata:',
    '  enableGlobalNamespace: false',
    '  failoverVersionIncrement: 10',
    '  masterClusterName: "active"',
    '  currentClusterName: "active"',
    '  clusterInformation:',
    '    active:',
    '      enabled: true',
    '      initialFailoverVersion: 1',
    '      rpcName: "frontend"',
    `      rpcAddress: ${q(`127.0.0.1:${ports.frontend}`)}`,
    'dcRedirectionPolicy:',
    '  policy: "noop"',
    // No archival: Dondoc keeps its own record of every transition in its database (docs/cluster.md).
    'archival:',
    '  history:',
    '    state: "disabled"',
    '  visibility:',
    '    state: "disabled"',
    'namespaceDefaults:',
    '  archival:',
    '    history:',
    '      state: "disabled"',
    '    visibility:',
    '      state: "disabled"',
    'dynamicConfigClient:',
    `  filepath: ${q(join(configDir, 'dynamicconfig.yaml'))}`,
    '  pollInterval: "10s"',
    '',
  ].join('\n');
  writeFileSync(join(configDir, `${env}.yaml`), yaml, { mode: 0o600 });
  writeFileSync(join(configDir, 'dynamicconfig.yaml'), DYNAMIC_CONFIG);
  return {
    root: opts.root,
    env,
    // --allow-no-auth: the frontend listens on loopback only; TLS and authorisation for a shared network are
    // the deployment's (docs/deployment.md). Without the flag v1.30 refuses to start with no authorizer.
    args: ['--config-file', join(configDir, `${env}.yaml`), '--allow-no-auth', 'start'],
    ports,
    address: `127.0.0.1:${ports.frontend}`,
  };
}

/** Values that differ from Temporal's defaults, each with the reason (docs/cluster.md lists them too). */
export const DYNAMIC_CONFIG = `# Written by deploy/cluster/temporal-server.ts on every start.
# Search attributes added by deploy/cluster/register.ts are usable at once, not after the cache's refresh
# (about a minute): the apps start their first workflows right after registration.
system.forceSearchAttributesCacheRefreshOnRead:
  - value: true
    constraints: {}
# The API accepts review decisions through workflow Updates; kept explicit so an upgrade cannot turn them off.
frontend.enableUpdateWorkflowExecution:
  - value: true
    constraints: {}
frontend.enableUpdateWorkflowExecutionAsyncAccepted:
  - value: true
    constraints: {}
# Dondoc's workflow ids are "<plan>:<unit>:<duty>:<period>" and stay well under this.
limit.maxIDLength:
  - value: 255
    constraints: {}
# History's task processors each default to 512 goroutines. With 1,000 deadlines due at once they all wait
# for the same few PostgreSQL connections; writes then pass their deadline, the shard's state becomes unknown
# and every task on it fails and is retried (measured: p50 lateness 181 s). A few dozen workers keep the
# database busy without a queue in front of it (docs/operations.md, "Timer lateness").
history.timerProcessorSchedulerWorkerCount:
  - value: 32
    constraints: {}
history.transferProcessorSchedulerWorkerCount:
  - value: 32
    constraints: {}
history.visibilityProcessorSchedulerWorkerCount:
  - value: 16
    constraints: {}
# Eager activity dispatch: when a workflow task schedules an activity on its own queue and the worker has a
# free slot, the server hands the activity back in the answer to that workflow task instead of writing a
# transfer task, queueing it in matching and waiting for a poll. Each ladder step schedules one activity, so
# this is one matching round trip and one task fewer per step (docs/operations.md, "Eager activities"). The
# SDK asks for it by default (ActivityOptions.allowEagerDispatch); the server's default is off.
system.enableActivityEagerExecution:
  - value: true
    constraints: {}
# One partition per task queue instead of 4. Partitions spread one queue over several matching hosts; this
# cluster has one. With 4, a task written to a partition that has no poller waiting at that moment is
# forwarded to the root partition at most 10 a second (matching.forwarderMaxRatePerSecond) or stored as
# backlog, so a burst (an activation, 1,000 deadlines at once) waits behind the forwarder while the workers
# idle (docs/operations.md, "Task queue partitions").
matching.numTaskqueueReadPartitions:
  - value: 1
    constraints: {}
matching.numTaskqueueWritePartitions:
  - value: 1
    constraints: {}
`;

export interface SqlTool {
  path: string;
  log: (msg: string) => void;
}

function runSqlTool(tool: SqlTool, pg: PgServer, database: string, args: string[]): string {
  // Credentials through the environment, never on a command line that `ps` shows to every user.
  const res = spawnSync(tool.path, ['--plugin', 'postgres12', ...args], {
    encoding: 'utf8',
    env: {
      ...process.env,
      SQL_HOST: pg.host,
      SQL_PORT: String(pg.port),
      SQL_USER: pg.user,
      SQL_PASSWORD: pg.password,
      SQL_DATABASE: database,
    },
    timeout: 180_000,
  });
  const out = `${res.stdout ?? ''}${res.stderr ?? ''}`;
  if (res.error || res.status !== 0) {
    throw new Error(`temporal-sql-tool ${args.join(' ')} on ${database} failed (${res.error?.message ?? `exit ${res.status}`}):\n${out.trim().split('\n').slice(-10).join('\n')}`);
  }
  return out;
}

async function withPg<T>(pg: PgServer, database: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ host: pg.host, port: pg.port, user: pg.user, password: pg.password, database });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export interface SchemaResult {
  database: string;
  /** What this call did: 'created' (new database), 'set up' (empty database got its schema), 'up to date'. */
  action: 'created' | 'set up' | 'up to date' | 'upgraded';
  version: string;
}

/**
 * Creates Temporal's two databases if missing, then sets up and upgrades their schemas with temporal-sql-tool
 * from the schemas built into it. Safe to run on every start: `setup-schema` only runs on a database with no
 * schema_version table, and `update-schema` applies only the versions newer than the recorded one.
 */
export async function ensureTemporalSchemas(tool: SqlTool, pg: PgServer): Promise<SchemaResult[]> {
  const results: SchemaResult[] = [];
  for (const [database, schemaName] of [
    [TEMPORAL_DATABASES.default, 'postgresql/v12/temporal'],
    [TEMPORAL_DATABASES.visibility, 'postgresql/v12/visibility'],
  ] as const) {
    const created = await withPg(pg, 'postgres', async (c) => {
      const exists = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
      if (exists.rowCount) return false;
      await c.query(`CREATE DATABASE "${database}"`);
      return true;
    });
    const versionBefore = await schemaVersion(pg, database);
    if (versionBefore === null) runSqlTool(tool, pg, database, ['setup-schema', '-v', '0.0']);
    runSqlTool(tool, pg, database, ['update-schema', '--schema-name', schemaName]);
    const version = (await schemaVersion(pg, database)) ?? '?';
    const action = created ? 'created' : versionBefore === null || versionBefore === '0.0' ? 'set up' : versionBefore === version ? 'up to date' : 'upgraded';
    tool.log(`Temporal: database ${database} ${action} (schema ${version})`);
    results.push({ database, action, version });
  }
  return results;
}

async function schemaVersion(pg: PgServer, database: string): Promise<string | null> {
  return withPg(pg, database, async (c) => {
    const table = await c.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'schema_version'");
    if (!table.rowCount) return null;
    const row = await c.query<{ curr_version: string }>('SELECT curr_version FROM schema_version LIMIT 1');
    return row.rows[0]?.curr_version ?? null;
  });
}

/** The frontend answers, and so do history and matching behind it (describing the system namespace needs them). */
export async function temporalServes(address: string): Promise<boolean> {
  let connection: Connection | null = null;
  try {
    connection = await Connection.connect({ address, connectTimeout: 2000 });
    await connection.workflowService.getSystemInfo({});
    await connection.workflowService.describeNamespace({ namespace: 'temporal-system' });
    return true;
  } catch {
    return false;
  } finally {
    await connection?.close().catch(() => undefined);
  }
}
