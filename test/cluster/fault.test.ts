// The cluster fault test (`npm run test:cluster`, docs/operations.md "Fault test"): a real cluster (PostgreSQL,
// the Temporal server, 2 workers, 2 API replicas behind nginx, the SMTP sink), a plan of ~2,000 assignments
// activated through the proxy, a deadline wave a few minutes later, unit officers working through the proxy the
// whole time, and meanwhile: kill -9 worker-1, kill -9 api-1, restart Temporal, restart PostgreSQL. Then it
// proves nothing was lost or done twice: assignments, transitions, timers, e-mails, answered requests.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { readCaughtMessages } from '@app/notifications';
import { dataSourceOptions, sampleAccounts, TypeormOrganisationRepository, TypeormPlanRepository } from '@app/persistence';
import { type ClusterHandle, startCluster } from '../../deploy/cluster/cluster';
import { call, percentile, ROOT, type Session, signIn, sleep, waitFor, wavePlan } from './support';

const phase = (m: string): void => void process.stderr.write(`[fault-test ${new Date().toISOString()}] ${m}\n`);

/**
 * 200 commune-level units × 10 duties = 2,000 assignments (the 17 sample communes have mail addresses). On a
 * machine shared with other heavy work activation is slower: FAULT_TEST_COMMUNES (≥ 17) and FAULT_TEST_WAVE_MIN
 * (minutes from activation to the first step; every assignment must exist by then) scale the run.
 */
const COMMUNES = Number(process.env.FAULT_TEST_COMMUNES ?? 200);
const DUTIES = 10;
const FIRST_STEP_MIN = Number(process.env.FAULT_TEST_WAVE_MIN ?? 6);
/** Minutes after activation when the wave's steps fall due. */
const WAVE_AT_MIN = { reminder: FIRST_STEP_MIN, overdue: FIRST_STEP_MIN + 1.5, escalation: FIRST_STEP_MIN + 3 };

interface RequestRecord {
  at: number;
  ms: number;
  status: number;
  kind: 'inbox' | 'acknowledge' | 'progress';
}

interface ActionRecord {
  workflowId: string;
  type: 'acknowledge' | 'progress';
  percent?: number;
  status: number;
}

describe('cluster under faults', () => {
  let cluster: ClusterHandle;
  let ds: DataSource;
  let connection: Connection;
  let client: Client;
  // Kept after the run (logs/<process>.log for a post-mortem); the next run starts it afresh.
  const dir = join(ROOT, '.data', 'cluster-fault');

  beforeAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    cluster = await startCluster({
      dir,
      workers: 2,
      apis: 2,
      sampleData: true,
      // Away from `npm run cluster`'s default 8400, so a cluster someone runs by hand does not collide.
      basePort: Number(process.env.FAULT_TEST_BASE_PORT ?? 8600),
      log: (m) => phase(`cluster: ${m}`),
      env: {
        // The wave's notices go out within the test: short batch periods, no quiet hours.
        MAIL_BATCH_QUIET_SECONDS: '5',
        MAIL_BATCH_MAX_SECONDS: '30',
        MAIL_QUIET_HOURS: 'off',
        // LOG_LEVEL stays at info: the supervisor knows a worker is up by its "worker running" line.
      },
    });
    ds = await new DataSource(dataSourceOptions(cluster.databaseUrl, 4)).initialize();
    connection = await Connection.connect({ address: cluster.temporalAddress });
    client = new Client({ connection, namespace: cluster.namespace });
  }, 20 * 60_000);

  afterAll(async () => {
    await connection?.close().catch(() => undefined);
    await ds?.destroy().catch(() => undefined);
    await cluster?.stop();
  }, 5 * 60_000);

  it('loses and duplicates nothing through worker, API replica, Temporal and PostgreSQL failures', async () => {
    // --- The plan: stored as a draft (the organisation directory grows to 200 communes), activated through the proxy.
    const t0 = Date.now();
    const at = (min: number): Date => new Date(t0 + min * 60_000);
    const steps = { reminder: at(WAVE_AT_MIN.reminder), overdue: at(WAVE_AT_MIN.overdue), escalation: at(WAVE_AT_MIN.escalation) };
    const wave = wavePlan(COMMUNES, DUTIES, steps);
    expect(wave.assignments).toBe(COMMUNES * DUTIES);
    await new TypeormOrganisationRepository(ds).replace(wave.directory.file);
    const stored = await new TypeormPlanRepository(ds).createDraft({ plan: wave.plan, warnings: [], sourceText: null, sourceName: 'fault-test' }, 'fault-test');
    const planId = stored.id;
    const proxy = cluster.proxyUrl;

    const coordinator = await signIn(proxy, 'dieuphoi', cluster.samplePassword);
    const officers: Session[] = [];
    for (const account of sampleAccounts(wave.directory).filter((a) => a.role === 'unit_officer' && a.unitCode?.startsWith('VQ-XA-'))) {
      officers.push(await signIn(proxy, account.username, cluster.samplePassword));
    }
    phase(`plan ${planId}: ${wave.assignments} assignments; ${officers.length} commune officers signed in`);

    const activate = await call<{ workflowId: string; expected: number }>(proxy, coordinator, 'POST', `/api/plans/${planId}/activate`, {});
    expect(activate.status).toBe(202);
    expect(activate.body?.expected).toBe(wave.assignments);

    // --- Traffic: every officer reads its inbox and works on its assignments; the coordinator reads district-wide.
    const requests: RequestRecord[] = [];
    const actions: ActionRecord[] = [];
    let traffic = true;
    const timed = async <T>(kind: RequestRecord['kind'], fn: () => Promise<{ status: number; body: T | null }>) => {
      const started = Date.now();
      const res = await fn();
      requests.push({ at: started, ms: Date.now() - started, status: res.status, kind });
      return res;
    };
    const nextPercent = new Map<string, number>();
    const officerLoop = async (s: Session): Promise<void> => {
      while (traffic) {
        const inbox = await timed<{ items: { workflowId: string; status: string }[] }>('inbox', () =>
          call(proxy, s, 'GET', `/api/inbox?planId=${planId}&pageSize=20`),
        );
        const items = inbox.body?.items ?? [];
        const item = items.length > 0 ? items[Math.floor(Math.random() * items.length)]! : undefined;
        if (item && item.status === 'assigned') {
          const res = await timed('acknowledge', () => call(proxy, s, 'POST', `/api/assignments/${encodeURIComponent(item.workflowId)}/actions`, { type: 'acknowledge' }));
          actions.push({ workflowId: item.workflowId, type: 'acknowledge', status: res.status });
        } else if (item && (item.status === 'acknowledged' || item.status === 'in_progress')) {
          // Each report on one assignment carries a percentage of its own, so a duplicate would show.
          const percent = (nextPercent.get(item.workflowId) ?? 0) + 1;
          if (percent < 100) {
            nextPercent.set(item.workflowId, percent);
            const res = await timed('progress', () =>
              call(proxy, s, 'POST', `/api/assignments/${encodeURIComponent(item.workflowId)}/actions`, { type: 'progress', percent }),
            );
            actions.push({ workflowId: item.workflowId, type: 'progress', percent, status: res.status });
          }
        }
        await sleep(250);
      }
    };
    const coordinatorLoop = async (): Promise<void> => {
      while (traffic) {
        await timed('inbox', () => call(proxy, coordinator, 'GET', `/api/inbox?planId=${planId}&pageSize=50`));
        await sleep(250);
      }
    };
    const trafficDone = Promise.all([...officers.map(officerLoop), coordinatorLoop()]);

    const projected = async (): Promise<number> => Number((await ds.query('SELECT count(*)::int AS n FROM assignments WHERE plan_id = $1', [planId]))[0].n);
    try {
      // --- 1. kill -9 a worker in the middle of activation.
      await waitFor('a quarter of the assignments projected', projected, (n) => n >= wave.assignments / 4, 5 * 60_000, 1000);
      phase(`kill -9 worker-1 (${await projected()} projected)`);
      cluster.kill('worker-1');
      await waitFor('every assignment projected', projected, (n) => n === wave.assignments, Math.max(60_000, steps.reminder.getTime() - Date.now() - 30_000), 2000);
      const activatedAt = Date.now();
      phase(`activation projected in ${((activatedAt - t0) / 1000).toFixed(0)} s; worker-1 is ${cluster.processes().find((p) => p.name === 'worker-1')?.state}`);

      // --- 2. kill -9 an API replica under traffic; the window lasts until it serves again.
      await sleep(10_000);
      const apiKilledAt = Date.now();
      phase('kill -9 api-1');
      cluster.kill('api-1');
      await sleep(1000);
      await cluster.waitReady('api-1', 180_000);
      await sleep(5000);
      const apiBackAt = Date.now();
      phase(`api-1 serving again after ${((apiBackAt - apiKilledAt) / 1000).toFixed(1)} s`);

      // --- 3. restart the Temporal server just before the reminders fall due.
      await sleep(Math.max(0, steps.reminder.getTime() - 15_000 - Date.now()));
      phase('restarting temporal');
      await cluster.restart('temporal');
      phase('temporal back');

      // --- 4. restart PostgreSQL (app data and Temporal's) just before the overdue notices.
      await sleep(Math.max(0, steps.overdue.getTime() - 10_000 - Date.now()));
      phase('restarting postgres');
      await cluster.restart('postgres');
      phase('postgres back');

      // --- The last step fires; every assignment must have recorded all three.
      await sleep(Math.max(0, steps.escalation.getTime() - Date.now()));
      const firedAll = async (): Promise<number> =>
        Number(
          (
            await ds.query(`SELECT count(*)::int AS n FROM assignment_events WHERE workflow_id LIKE $1 AND type = 'step_fired'`, [`asg:${planId}:%`])
          )[0].n,
        );
      // Not fatal when it times out: the proofs below name what is missing, and every other proof still runs.
      const fired = await waitFor('every step of every assignment fired', firedAll, (n) => n >= wave.assignments * wave.ladder.length, 10 * 60_000, 2000).catch(() => firedAll());
      phase(`${fired} of ${wave.assignments * wave.ladder.length} steps fired`);
      traffic = false;
      await trafficDone;

      // ===== Proofs =====
      // Each is checked and printed; all failures are reported together at the end, so one run shows them all.
      const problems: string[] = [];
      const check = (what: string, actual: unknown, expected: unknown): void => {
        if (JSON.stringify(actual) !== JSON.stringify(expected)) problems.push(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual).slice(0, 2000)}`);
      };
      // Assignments: one row per planned assignment, one workflow each, the same ids on both sides.
      const rows: { workflow_id: string }[] = await ds.query('SELECT workflow_id FROM assignments WHERE plan_id = $1', [planId]);
      const workflows: string[] = [];
      for await (const wf of client.workflow.list({ query: `DondocPlanId = '${planId}' AND WorkflowType = 'assignmentWorkflow'` })) workflows.push(wf.workflowId);
      const runningIds = new Set(workflows);
      phase(`assignments: ${rows.length} rows, ${workflows.length} workflow executions (${runningIds.size} ids)`);
      check('assignment rows', rows.length, wave.assignments);
      check('distinct workflow ids in the read model', new Set(rows.map((r) => r.workflow_id)).size, wave.assignments);
      // One execution per id: a continue-as-new would add runs, none is expected at this history length.
      check('workflow executions in visibility', workflows.length, wave.assignments);
      check('visibility ids = read-model ids', [...runningIds].sort().join() === rows.map((r) => r.workflow_id).sort().join(), true);

      // Transitions: 'assigned' once, each ladder step once, never a catch-up (every timer fired on time's side).
      const perType: { type: string; n: number; workflows: number }[] = await ds.query(
        `SELECT type, count(*)::int AS n, count(DISTINCT workflow_id)::int AS workflows FROM assignment_events WHERE workflow_id LIKE $1 GROUP BY type ORDER BY type`,
        [`asg:${planId}:%`],
      );
      phase(`events: ${JSON.stringify(perType)}`);
      const assigned = perType.find((t) => t.type === 'assigned');
      check("'assigned' once per assignment", assigned, { type: 'assigned', n: wave.assignments, workflows: wave.assignments });
      const stepDupes = await ds.query(
        `SELECT workflow_id, data->>'step' AS step, count(*)::int AS n FROM assignment_events
          WHERE workflow_id LIKE $1 AND type = 'step_fired' GROUP BY 1, 2 HAVING count(*) <> 1`,
        [`asg:${planId}:%`],
      );
      check('ladder steps recorded more than once', stepDupes, []);
      const byStep: { step: string; n: number; catch_up: number }[] = await ds.query(
        `SELECT data->>'step' AS step, count(*)::int AS n, count(*) FILTER (WHERE (data->>'catchUp')::boolean)::int AS catch_up
           FROM assignment_events WHERE workflow_id LIKE $1 AND type = 'step_fired' GROUP BY 1 ORDER BY 1`,
        [`asg:${planId}:%`],
      );
      check('each ladder step fired once per assignment, none as a catch-up', byStep, wave.ladder.map((s) => ({ step: s.key, n: wave.assignments, catch_up: 0 })).sort((a, b) => a.step.localeCompare(b.step)));
      const unfinished = await ds.query(`SELECT count(*)::int AS n FROM assignments WHERE plan_id = $1 AND last_step_key IS DISTINCT FROM 'wave_escalation'`, [planId]);
      check('assignments whose last step is not the escalation', unfinished[0].n, 0);

      // Timer lateness through the faults: when each step was recorded by its workflow vs when it was due.
      const lateness: { step: string; late_ms: number }[] = await ds.query(
        `SELECT data->>'step' AS step, extract(epoch FROM at)::float8 * 1000 AS at_ms FROM assignment_events WHERE workflow_id LIKE $1 AND type = 'step_fired'`,
        [`asg:${planId}:%`],
      ).then((r: { step: string; at_ms: number }[]) =>
        r.map((e) => ({ step: e.step, late_ms: e.at_ms - wave.due[e.step]!.getTime() })),
      );
      for (const s of wave.ladder) {
        const late = lateness.filter((l) => l.step === s.key).map((l) => l.late_ms / 1000);
        phase(`timer ${s.key}: late p50 ${percentile(late, 50).toFixed(2)} s, p99 ${percentile(late, 99).toFixed(2)} s, max ${Math.max(...late).toFixed(2)} s, early ${late.filter((l) => l < -0.001).length}`);
        // A durable timer never fires early.
        check(`${s.key} fired more than 1 s early`, late.filter((l) => l < -1).length, 0);
      }

      // The test's own actions: each answered one recorded exactly once; an unanswered one at most once.
      const actionEvents: { workflow_id: string; type: string; percent: number | null; n: number }[] = await ds.query(
        `SELECT workflow_id, type, (data->>'percent')::int AS percent, count(*)::int AS n FROM assignment_events
          WHERE workflow_id LIKE $1 AND type IN ('acknowledged', 'progress') GROUP BY 1, 2, 3`,
        [`asg:${planId}:%`],
      );
      const recorded = new Map(actionEvents.map((e) => [`${e.workflow_id}|${e.type === 'acknowledged' ? 'acknowledge' : 'progress'}|${e.percent ?? ''}`, e.n]));
      check('action transitions recorded more than once', actionEvents.filter((e) => e.n !== 1), []);
      const keyOf = (a: ActionRecord): string => `${a.workflowId}|${a.type}|${a.percent ?? ''}`;
      const ok = actions.filter((a) => a.status >= 200 && a.status < 300);
      const refused = actions.filter((a) => a.status >= 400 && a.status < 500);
      const unknown = actions.filter((a) => a.status === 0 || a.status >= 500);
      check('answered actions not recorded exactly once', ok.filter((a) => recorded.get(keyOf(a)) !== 1), []);
      // Acknowledging twice is refused by the workflow, never recorded twice; a refused report is not recorded.
      check('refused reports recorded', refused.filter((a) => a.type === 'progress' && recorded.has(keyOf(a))), []);
      const attempted = new Set(actions.map(keyOf));
      const strays = [...recorded.keys()].filter((k) => !attempted.has(k));
      check('transitions the test never asked for', strays, []);
      phase(`actions: ${ok.length} answered 2xx, ${refused.length} refused 4xx, ${unknown.length} without an answer; events ${actionEvents.length}`);

      // E-mails: wait until nothing is left to send, then every message went out exactly once.
      await waitFor(
        'the outbox drained',
        async () =>
          (
            await ds.query(
              `SELECT (SELECT count(*)::int FROM notifications WHERE status = 'pending') AS pending,
                      (SELECT count(*)::int FROM notification_batches WHERE status <> 'closed' AND send_after <= now()) AS batches`,
            )
          )[0] as { pending: number; batches: number },
        (v) => v.pending === 0 && v.batches === 0,
        5 * 60_000,
        2000,
      ).catch((err: unknown) => void problems.push(String(err)));
      await sleep(3000);
      const caught = await readCaughtMessages(cluster.smtp.storeDir);
      const sent: { message_id: string; n: number }[] = await ds.query(
        `SELECT message_id, count(*)::int AS n FROM notifications WHERE status = 'sent' AND message_id IS NOT NULL GROUP BY 1`,
      );
      const normalise = (id: string | null): string => (id ?? '(none)').replace(/^<|>$/g, '');
      const caughtIds = new Map<string, number>();
      for (const m of caught) caughtIds.set(normalise(m.messageId), (caughtIds.get(normalise(m.messageId)) ?? 0) + 1);
      const duplicated = [...caughtIds].filter(([, n]) => n > 1);
      const sentIds = new Set(sent.map((s) => normalise(s.message_id)));
      const missing = [...sentIds].filter((id) => !caughtIds.has(id));
      const strayMail = [...caughtIds.keys()].filter((id) => !sentIds.has(id));
      const attempts: { attempts: number; n: number }[] = await ds.query(`SELECT attempts, count(*)::int AS n FROM notifications WHERE status = 'sent' GROUP BY 1 ORDER BY 1`);
      phase(`mail: ${caught.length} messages caught, ${caughtIds.size} Message-IDs, ${sentIds.size} sent in the outbox; attempts ${JSON.stringify(attempts)}`);
      check('some mail caught', caught.length > 0, true);
      check('Message-IDs caught more than once', duplicated, []);
      check('sent in the outbox but not caught', missing, []);
      check('caught but unknown to the outbox', strayMail, []);

      // Requests through the proxy while api-1 was down (kill to serving again).
      // Every request in flight at some point of the window: those caught mid-way by the kill count too.
      const during = requests.filter((r) => r.at + r.ms >= apiKilledAt && r.at <= apiBackAt);
      const failedDuring = during.filter((r) => r.status === 0 || r.status >= 500);
      const answered = (during.length - failedDuring.length) / Math.max(1, during.length);
      const all5xx = requests.filter((r) => r.status === 0 || r.status >= 500);
      phase(
        `requests: ${requests.length} in all, ${all5xx.length} unanswered/5xx (Temporal and PostgreSQL restarts included); ` +
          `during the API replica loss ${during.length}, answered ${(answered * 100).toFixed(2)}% (${failedDuring.length} failed: ${JSON.stringify(failedDuring.map((r) => [r.kind, r.status, r.at - apiKilledAt]))}); ` +
          `inbox p95 ${percentile(requests.filter((r) => r.kind === 'inbox').map((r) => r.ms), 95)} ms`,
      );
      check('enough requests during the replica loss (> 50)', during.length > 50, true);
      check('share answered during the replica loss ≥ 0.99', answered >= 0.99, true);
      // Whatever failed did so at the instant of the kill, not while the replica was down.
      check('failures later than 2 s after the kill', failedDuring.filter((r) => r.at - apiKilledAt > 2000).length, 0);
      for (const p of problems) phase(`PROBLEM ${p}`);
      expect(problems).toEqual([]);
    } finally {
      traffic = false;
      await trafficDone;
      phase(`processes: ${JSON.stringify(cluster.processes().map((p) => [p.name, p.state, p.restarts]))}`);
    }
  });
});
