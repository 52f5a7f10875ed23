// The real Temporal server on PostgreSQL, as `npm run cluster` runs it: schemas set up by temporal-sql-tool (a
// second run changes nothing), the namespace and Dondoc's search attributes registered from our code (twice:
// the second call adds nothing), a workflow found through SQL visibility by those attributes, and still there
// after the server is killed and started again. Runs in `npm run test:cluster` (docs/cluster.md says why not
// in `npm test`: building the server from source takes longer than that suite's budget allows).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client as TemporalClient, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { Client } from 'pg';
import { resolveBinary } from '../../deploy/local/binaries';
import { freePort, isPortFree, type PostgresHandle, startPostgres } from '../../deploy/local/stack';
import { registerNamespaceAndSearchAttributes } from '../../deploy/cluster/register';
import { Supervisor } from '../../deploy/cluster/supervisor';
import { ensureTemporalSchemas, pgServerOf, TEMPORAL_DATABASES, temporalServes, writeTemporalConfig } from '../../deploy/cluster/temporal-server';
import { SA, SEARCH_ATTRIBUTES } from '../../libs/contracts/src/workflow/search-attributes';

const log = (msg: string): void => void process.stderr.write(`[temporal-server.test] ${msg}\n`);

/**
 * Ten consecutive free ports for the server's services, below 32768: Temporal keeps membership ports in a
 * smallint column, so the OS's ephemeral ports (freePort) do not do.
 */
async function freeRange(length: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20000 + Math.floor(Math.random() * 12000);
    const free = await Promise.all(Array.from({ length }, (_, i) => isPortFree(base + i)));
    if (free.every(Boolean)) return base;
  }
  throw new Error('no range of free ports found');
}

async function schemaVersions(pgUrl: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const db of Object.values(TEMPORAL_DATABASES)) {
    const url = new URL(pgUrl);
    url.pathname = `/${db}`;
    const c = new Client({ connectionString: url.toString() });
    await c.connect();
    try {
      const rows = await c.query<{ curr_version: string; min_compatible_version: string }>('SELECT curr_version, min_compatible_version FROM schema_version');
      const tables = await c.query<{ n: string }>("SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public'");
      out[db] = `${rows.rows.map((r) => `${r.curr_version}/${r.min_compatible_version}`).join(',')} tables=${tables.rows[0].n}`;
    } finally {
      await c.end();
    }
  }
  return out;
}

describe('the real Temporal server on PostgreSQL', () => {
  const work = mkdtempSync(join(tmpdir(), 'dondoc-temporal-server-'));
  let pg: PostgresHandle;
  let supervisor: Supervisor;
  let address: string;
  const namespace = 'dondoc-server-test';

  beforeAll(async () => {
    const server = resolveBinary('server', { allowSdkDownload: false });
    const sqlTool = resolveBinary('sqlTool', { allowSdkDownload: false });
    pg = await startPostgres({ dataDir: join(work, 'postgres'), port: await freePort(), database: 'dondoc', log, persistent: false });

    const first = await ensureTemporalSchemas({ path: sqlTool.path!, log }, pgServerOf(pg.url));
    expect(first.map((r) => [r.database, r.action])).toEqual([
      ['temporal', 'created'],
      ['temporal_visibility', 'created'],
    ]);
    const before = await schemaVersions(pg.url);
    // A second start must find everything in place and change nothing.
    const second = await ensureTemporalSchemas({ path: sqlTool.path!, log }, pgServerOf(pg.url));
    expect(second.map((r) => r.action)).toEqual(['up to date', 'up to date']);
    expect(second.map((r) => r.version)).toEqual(first.map((r) => r.version));
    expect(await schemaVersions(pg.url)).toEqual(before);

    const config = writeTemporalConfig({ root: join(work, 'temporal'), basePort: await freeRange(10), pg: pgServerOf(pg.url) });
    address = config.address;
    supervisor = new Supervisor(join(work, 'logs'), log);
    await supervisor.add({
      name: 'temporal',
      command: server.path!,
      args: config.args,
      cwd: config.root,
      ready: async ({ signal }) => {
        while (!signal.aborted && !(await temporalServes(address))) await new Promise((r) => setTimeout(r, 500));
      },
      readyTimeoutMs: 120_000,
    });
  });

  afterAll(async () => {
    await supervisor?.stopInOrder(['temporal']);
    await pg?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('registers the namespace and the search attributes once, and finds a workflow by them through SQL visibility, across a server crash', async () => {
    const connection = await Connection.connect({ address });
    try {
      const first = await registerNamespaceAndSearchAttributes(connection, { namespace, log });
      expect(first.namespaceCreated).toBe(true);
      expect([...first.added].sort()).toEqual(Object.keys(SEARCH_ATTRIBUTES).sort());
      const second = await registerNamespaceAndSearchAttributes(connection, { namespace, log });
      expect(second).toEqual({ namespaceCreated: false, added: [] });

      const described = await connection.workflowService.describeNamespace({ namespace });
      expect(Number(described.config?.workflowExecutionRetentionTtl?.seconds)).toBe(30 * 24 * 3600);
      const listed = await connection.operatorService.listSearchAttributes({ namespace });
      for (const name of Object.keys(SEARCH_ATTRIBUTES)) expect(listed.customAttributes).toHaveProperty(name);

      // No worker polls this queue: the execution exists, waits for its first task and is indexed at once.
      const client = new TemporalClient({ connection, namespace });
      const deadline = new Date('2024-06-30T10:00:00.000Z');
      const ids = ['a', 'b'].map((s) => `server-test-${s}-${Date.now()}`);
      for (const [i, workflowId] of ids.entries()) {
        await client.workflow.start('assignmentWorkflow', {
          taskQueue: 'server-test-no-worker',
          workflowId,
          args: [],
          typedSearchAttributes: [
            { key: SA.planId, value: 'plan-server-test' },
            { key: SA.unitCode, value: i === 0 ? 'xa-an-son' : 'xa-bac-la' },
            { key: SA.status, value: 'pending' },
            { key: SA.deadline, value: deadline },
          ],
        });
      }
      const query = `DondocPlanId = "plan-server-test" AND DondocUnitCode = "xa-an-son" AND DondocDeadline <= "2024-07-01T00:00:00Z"`;
      const found = async (): Promise<string[]> => {
        const out: string[] = [];
        for await (const wf of client.workflow.list({ query })) out.push(wf.workflowId);
        return out;
      };
      const until = Date.now() + 30_000;
      let hits = await found();
      while (hits.length === 0 && Date.now() < until) {
        await new Promise((r) => setTimeout(r, 300));
        hits = await found();
      }
      expect(hits).toEqual([ids[0]]);
      const count = await client.workflow.count('DondocPlanId = "plan-server-test"');
      expect(count.count).toBe(2);

      // kill -9: everything the server had acknowledged is in PostgreSQL, so the supervisor's restart finds it.
      await connection.close();
      supervisor.kill('temporal');
      await new Promise((r) => setTimeout(r, 500));
      await supervisor.waitReady('temporal', 120_000);
      expect(supervisor.list()[0].restarts).toBe(1);
    } finally {
      await connection.close().catch(() => undefined);
    }

    const again = await Connection.connect({ address });
    try {
      const client = new TemporalClient({ connection: again, namespace });
      const hits: string[] = [];
      for await (const wf of client.workflow.list({ query: 'DondocUnitCode = "xa-bac-la"' })) {
        hits.push(wf.workflowId);
        expect(wf.status.name).toBe('RUNNING');
        expect(wf.typedSearchAttributes.get(SA.deadline)?.toISOString()).toBe('2024-06-30T10:00:00.000Z');
      }
      expect(hits).toHaveLength(1);
      await client.workflow.getHandle(hits[0]).terminate('test over');
      expect((await client.workflow.getHandle(hits[0]).describe()).status.name).toBe('TERMINATED');
      await expect(client.workflow.getHandle('never-started').describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
    } finally {
      await again.close();
    }
  });
});
