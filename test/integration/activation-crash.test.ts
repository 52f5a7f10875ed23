// A worker killed with SIGKILL in the middle of activating a 2,000-assignment plan: after a new worker takes
// over, every assignment has been started exactly once and every one is in the read model.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { loadOrganisationDirectory } from '@app/domain';
import { type SmtpSink, startSmtpSink } from '@app/notifications';
import { dataSourceOptions, TypeormOrganisationRepository, TypeormPlanRepository } from '@app/persistence';
import { activationProgressQuery } from '@app/contracts/workflow';
import { eventually, testConfig } from '../support/harness';
import { syntheticPlan } from '../support/synthetic-plan';

const ROOT = join(__dirname, '..', '..');
const phase = (m: string): void => void process.stderr.write(`[crash-test ${new Date().toISOString()}] ${m}\n`);

describe('activation survives a killed worker', () => {
  const config = testConfig();
  let ds: DataSource;
  let connection: Connection;
  let client: Client;
  let sink: SmtpSink;
  const workers: ChildProcess[] = [];

  /** The real worker process (apps/worker/src/main.ts), as production runs it. */
  function startWorker(): ChildProcess {
    const child = spawn(process.execPath, [join(ROOT, 'deploy/local/run-ts.js'), join(ROOT, 'apps/worker/src/main.ts')], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: config.database.url,
        TEMPORAL_ADDRESS: config.temporal.address,
        TASK_QUEUE: config.temporal.taskQueue,
        SMTP_URL: sink.url,
        LOG_LEVEL: 'error',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    workers.push(child);
    return child;
  }

  beforeAll(async () => {
    ds = await new DataSource(dataSourceOptions(config.database.url, 4)).initialize();
    connection = await Connection.connect({ address: config.temporal.address });
    client = new Client({ connection });
    sink = await startSmtpSink({ host: '127.0.0.1' });
  });

  afterAll(async () => {
    for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
    // Other suites expect the sample organisation exactly.
    const sample = loadOrganisationDirectory(readFileSync(join(ROOT, 'deploy/seed/van-quan/organisation.yaml'), 'utf8'));
    await new TypeormOrganisationRepository(ds).replace(sample.file);
    await sink?.stop();
    await connection?.close();
    await ds?.destroy();
  });

  it('starts every assignment exactly once after SIGKILL and restart', async () => {
    const { plan, directory, assignments } = syntheticPlan(200, 10, { onlyCommuneDuties: true });
    expect(assignments).toBe(2000); // 10 duties × 200 commune-level units
    await new TypeormOrganisationRepository(ds).replace(directory.file);
    const stored = await new TypeormPlanRepository(ds).createDraft({ plan, warnings: [], sourceText: null, sourceName: 'synthetic' }, 'test');

    phase('plan ready');
    const first = startWorker();
    const handle = await client.workflow.start('planActivationWorkflow', {
      workflowId: `crash-activation-${stored.id}`,
      taskQueue: config.temporal.taskQueue,
      args: [{ planId: stored.id, revision: stored.revision, batchSize: 100 }],
    });
    // Kill it for real once a good part, but not all, has started.
    await eventually(() => handle.query(activationProgressQuery).catch(() => ({ offset: 0 })), (p) => p.offset >= 500, 120000);
    phase('killing the worker');
    // Still running at the kill (describe needs no worker, unlike a query).
    expect((await handle.describe()).status.name).toBe('RUNNING');
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));

    startWorker();
    phase('second worker started');
    const totals = await handle.result();
    phase(`activation done: ${JSON.stringify(totals)}`);
    expect(totals?.total).toBe(assignments);
    // The batch that was running when the worker died is retried: what it had started counts as existing.
    expect((totals?.started ?? 0) + (totals?.existing ?? 0)).toBe(assignments);

    phase('waiting for visibility and the read model');
    // Exactly one workflow per assignment (ids are deterministic) and every one projected.
    await eventually(() => client.workflow.count(`DondocPlanId = '${stored.id}'`), (c) => c.count === assignments, 120000);
    await eventually(
      async () => (await ds.query('SELECT count(*)::int AS n FROM assignments WHERE plan_id = $1', [stored.id]))[0].n,
      (n) => n === assignments,
      180000,
    );
    const dupes = await ds.query(
      `SELECT item_key, unit_code, period_key, count(*)::int AS n FROM assignments WHERE plan_id = $1 GROUP BY 1, 2, 3 HAVING count(*) > 1`,
      [stored.id],
    );
    expect(dupes).toEqual([]);
  }, 400000);
});
