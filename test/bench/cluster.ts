// `npm run bench -- cluster [--activation 2000] [--timers 1000] [--timer-lead 120] [--cache 400] [--only a,b,c,d] [--skip-queries]
// [queries args…]`: on a real cluster (deploy/cluster: PostgreSQL, the Temporal server, 2 workers, 2 API replicas
// behind nginx), the goals of issue 14 that concern the workers, each printed with PASS/FAIL:
//   (a) activation rate with 1 worker (worker-2 stopped) and with 2, ratio ≥ 1.6, with the CPU each process used;
//   (b) timer lateness: 1,000 deadlines due in the same second, p99 of (recorded in PostgreSQL − due) ≤ 2 s;
//   (c) worker memory per cached workflow at the chosen cache size ≤ 0.5 MiB;
//   (d) API p95 through the proxy at 10 M assignments (test/bench/cluster-queries.ts; --skip-queries, it seeds 10 M rows).
// CLUSTER_BENCH_DIR (default .data/cluster-bench) and CLUSTER_BENCH_BASE_PORT (8700) let two benches run side by side.
// Method and figures: docs/operations.md.
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { DataSource } from 'typeorm';
import { parseConfig } from '@app/config';
import { type EscalationStepConfig } from '@app/domain';
import { dataSourceOptions } from '@app/persistence';
import { type ClusterHandle, startCluster } from '../../deploy/cluster/cluster';
import { buildWorkflowBundle, call, inputsWithDeadline, measureWorkerMemory, percentile, ROOT, signIn, sleep, startAll, storeLeanPlan, waitFor } from '../cluster/support';

const log = (m: string): void => void process.stderr.write(`[bench cluster ${new Date().toISOString().slice(11, 19)}] ${m}\n`);
const out = (m: string): void => void process.stdout.write(`${m}\n`);
const verdict = (ok: boolean): string => (ok ? 'PASS' : 'FAIL');

/**
 * CPU seconds used so far by each cluster process together with everything it forked: each process counts for
 * its nearest ancestor that the supervisor started (PostgreSQL's backends, for one, run in a session of their
 * own, so their process group does not tell).
 */
function cpuByGroup(groups: Map<number, string>): Map<string, number> {
  const ticks = 100; // USER_HZ on Linux
  const procs = new Map<number, { ppid: number; seconds: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // Fields after the command (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    procs.set(Number(entry), { ppid: Number(fields[1]), seconds: (Number(fields[11]) + Number(fields[12])) / ticks });
  }
  const used = new Map<string, number>();
  for (const [pid, p] of procs) {
    let at: number | undefined = pid;
    for (let hops = 0; at !== undefined && at > 1 && hops < 20 && !groups.has(at); hops++) at = procs.get(at)?.ppid;
    const name = at === undefined ? undefined : groups.get(at);
    if (name) used.set(name, (used.get(name) ?? 0) + p.seconds);
  }
  return used;
}

function cpuDelta(before: Map<string, number>, after: Map<string, number>, seconds: number): string {
  return [...after]
    .map(([name, s]) => ({ name, cores: (s - (before.get(name) ?? 0)) / seconds }))
    .sort((a, b) => b.cores - a.cores)
    .map((c) => `${c.name} ${c.cores.toFixed(2)}`)
    .join(', ');
}

function groupsOf(cluster: ClusterHandle): Map<number, string> {
  // The supervised children (deploy/cluster/supervisor.ts); cpuByGroup counts their descendants with them.
  return new Map(cluster.processes().filter((p) => p.pid !== null).map((p) => [p.pid!, p.name]));
}

interface Flags {
  activation: number;
  timers: number;
  cache: number;
  /** Seconds from starting the timer workflows to their common deadline: all must be armed by then. */
  timerLead: number;
  only: Set<string>;
  rest: string[];
}

function parseFlags(args: string[]): Flags {
  const flags: Flags = { activation: 2000, timers: 1000, cache: parseConfig({ DATABASE_URL: 'postgres://x@127.0.0.1/x', NODE_ENV: 'test' }).worker.maxCachedWorkflows, timerLead: 120, only: new Set(['a', 'b', 'c', 'd']), rest: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = (): number => {
      const n = Number(args[++i]);
      if (!Number.isInteger(n) || n <= 0) throw new Error(`${a} needs a positive whole number`);
      return n;
    };
    if (a === '--activation') flags.activation = value();
    else if (a === '--timers') flags.timers = value();
    else if (a === '--cache') flags.cache = value();
    else if (a === '--timer-lead') flags.timerLead = value();
    else if (a === '--skip-queries') flags.only.delete('d');
    else if (a === '--only') flags.only = new Set((args[++i] ?? '').split(','));
    else flags.rest.push(a);
  }
  if (flags.activation % 100 !== 0 || flags.timers % 100 !== 0) throw new Error('--activation and --timers must be multiples of 100 (100 communes × duties)');
  return flags;
}

/**
 * (a) Activates a lean plan (`n` assignments, no deadline, no mail) through the proxy; assignments/s until every
 * one is projected, and when the activation workflow had started them all.
 */
async function activationRate(
  cluster: ClusterHandle,
  ds: DataSource,
  n: number,
  label: string,
): Promise<{ rate: number; seconds: number; startedAllAt: number; cpu: string }> {
  const plan = await storeLeanPlan(ds, 100, n / 100, `cluster-activation-${label}`);
  const coordinator = await signIn(cluster.proxyUrl, 'dieuphoi', cluster.samplePassword);
  const groups = groupsOf(cluster);
  const cpuBefore = cpuByGroup(groups);
  const t0 = Date.now();
  const res = await call(cluster.proxyUrl, coordinator, 'POST', `/api/plans/${plan.stored.id}/activate`, {});
  if (res.status !== 202) throw new Error(`activation refused: ${res.status} ${JSON.stringify(res.body)}`);
  await waitFor(
    `${n} assignments projected`,
    async () => Number((await ds.query('SELECT count(*)::int AS n FROM assignments WHERE plan_id = $1', [plan.stored.id]))[0].n),
    (c) => c >= n,
    30 * 60_000,
    250,
  );
  const seconds = (Date.now() - t0) / 1000;
  const cpu = cpuDelta(cpuBefore, cpuByGroup(groups), seconds);
  const activated = await waitFor(
    'the activation workflow to finish',
    // markPlanActivated, the activation workflow's last step, records this edit once every assignment is started.
    async () => ((await ds.query(`SELECT max(at) AS at FROM plan_edits WHERE plan_id = $1 AND action = 'activated'`, [plan.stored.id]))[0]?.at as Date | null) ?? null,
    (at) => at !== null,
    5 * 60_000,
    250,
  );
  return { rate: n / seconds, seconds, startedAllAt: (activated!.getTime() - t0) / 1000, cpu };
}

/**
 * (b) `n` assignments started straight on the cluster's queue, all with the same deadline a little ahead and a
 * one-step ladder at the deadline. Lateness = when the step reached PostgreSQL (the row's updated_at, written by
 * the step's projection) − the deadline; also the workflow's own clock at the step (the event's `at`).
 */
async function timerLateness(cluster: ClusterHandle, ds: DataSource, client: Client, n: number, taskQueue: string, leadSeconds: number) {
  const plan = await storeLeanPlan(ds, 100, n / 100, 'cluster-timers');
  const ladder: EscalationStepConfig[] = [{ key: 'due', offset: 'PT0S', basis: 'calendar', audience: ['assignee'], kind: 'overdue' }];
  // Far enough for every start and first task on a busy machine; checked below.
  const due = new Date(Math.ceil((Date.now() + leadSeconds * 1000) / 1000) * 1000);
  const inputs = inputsWithDeadline(plan.stored.id, plan, due, ladder);
  const started = await startAll(client, taskQueue, inputs);
  await waitFor(
    `${n} assigned`,
    async () => Number((await ds.query('SELECT count(*)::int AS n FROM assignments WHERE plan_id = $1', [plan.stored.id]))[0].n),
    (c) => c >= n,
    Math.max(5000, due.getTime() - Date.now()),
    500,
  );
  const readyBeforeDueMs = due.getTime() - Date.now();
  log(`timers: ${started} workflows armed, due at ${due.toISOString()} (${(readyBeforeDueMs / 1000).toFixed(0)} s to go)`);
  const groups = groupsOf(cluster);
  await sleep(Math.max(0, due.getTime() - Date.now() - 2000));
  const cpuBefore = cpuByGroup(groups);
  const t0 = Date.now();
  await waitFor(
    `${n} steps recorded`,
    async () => Number((await ds.query(`SELECT count(*)::int AS n FROM assignments WHERE plan_id = $1 AND last_step_key = 'due'`, [plan.stored.id]))[0].n),
    (c) => c >= n,
    10 * 60_000,
    250,
  );
  const cpu = cpuDelta(cpuBefore, cpuByGroup(groups), (Date.now() - t0) / 1000);
  const rows: { recorded_ms: number; workflow_ms: number }[] = await ds.query(
    `SELECT extract(epoch FROM a.updated_at)::float8 * 1000 AS recorded_ms, extract(epoch FROM e.at)::float8 * 1000 AS workflow_ms
       FROM assignments a JOIN assignment_events e ON e.workflow_id = a.workflow_id AND e.type = 'step_fired'
      WHERE a.plan_id = $1`,
    [plan.stored.id],
  );
  const recorded = rows.map((r) => (r.recorded_ms - due.getTime()) / 1000);
  const workflowClock = rows.map((r) => (r.workflow_ms - due.getTime()) / 1000);
  // Where the time goes, from the histories of a sample: the server firing the timer (TimerFired), a worker
  // taking the workflow task it scheduled (WorkflowTaskStarted), the step's projection activity being taken.
  const sample: { workflow_id: string }[] = await ds.query(`SELECT workflow_id FROM assignments WHERE plan_id = $1 ORDER BY md5(workflow_id) LIMIT 100`, [plan.stored.id]);
  const fired: number[] = [];
  const taskStarted: number[] = [];
  const activityStarted: number[] = [];
  let tasksTimedOut = 0;
  let workflowsWithTimeout = 0;
  const T = temporal.api.enums.v1.EventType;
  for (const { workflow_id } of sample) {
    const events = (await client.workflow.getHandle(workflow_id).fetchHistory()).events ?? [];
    const at = (i: number): number => (events[i]?.eventTime ? tsToMs(events[i]!.eventTime!) - due.getTime() : NaN) / 1000;
    const i = events.findIndex((e) => e.eventType === T.EVENT_TYPE_TIMER_FIRED);
    if (i < 0) continue;
    fired.push(at(i));
    const started = events.findIndex((e, j) => j > i && e.eventType === T.EVENT_TYPE_WORKFLOW_TASK_STARTED);
    if (started >= 0) taskStarted.push(at(started));
    const activity = events.findIndex((e, j) => j > i && e.eventType === T.EVENT_TYPE_ACTIVITY_TASK_STARTED);
    if (activity >= 0) activityStarted.push(at(activity));
    // A workflow task left on a worker's sticky queue past its schedule-to-start timeout is timed out and scheduled
    // again on the shared queue, where any worker takes it and replays the whole history.
    const timedOut = events.filter((e, j) => j > i && e.eventType === T.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT);
    tasksTimedOut += timedOut.length;
    if (timedOut.length > 0) workflowsWithTimeout++;
  }
  return { n: rows.length, recorded, workflowClock, cpu, fired, taskStarted, activityStarted, tasksTimedOut, workflowsWithTimeout };
}

const dist = (v: number[]): string =>
  `p50 ${percentile(v, 50).toFixed(2)} s, p95 ${percentile(v, 95).toFixed(2)} s, p99 ${percentile(v, 99).toFixed(2)} s, max ${Math.max(...v).toFixed(2)} s`;

export async function benchCluster(args: string[]): Promise<void> {
  const flags = parseFlags(args);
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const dir = process.env.CLUSTER_BENCH_DIR ?? join(ROOT, '.data', 'cluster-bench');
  const taskQueue = 'dondoc-assignments';
  const cluster = await startCluster({
    dir,
    workers: 2,
    apis: 2,
    sampleData: true,
    basePort: Number(process.env.CLUSTER_BENCH_BASE_PORT ?? 8700),
    log,
    // LOG_LEVEL stays at info: the supervisor knows a worker is up by its "worker running" line.
    env: { TASK_QUEUE: taskQueue, WORKER_MAX_CACHED_WORKFLOWS: String(flags.cache) },
  });
  const ds = await new DataSource(dataSourceOptions(cluster.databaseUrl, 4)).initialize();
  const connection = await Connection.connect({ address: cluster.temporalAddress });
  const client = new Client({ connection, namespace: cluster.namespace });
  // Each part prints as soon as it is measured, so a later part failing loses nothing.
  const results = { push: (...lines: string[]): void => lines.forEach(out) };
  try {
    if (flags.only.has('a')) {
      // One worker, two, then one again: a run leaves more workflows and rows behind for the next, so the
      // two-worker figure is compared with the mean of the one-worker runs either side of it.
      log('(a) activation with worker-2 stopped');
      await cluster.stopProcess('worker-2');
      const one = await activationRate(cluster, ds, flags.activation, 'one');
      await cluster.startProcess('worker-2');
      log('(a) activation with both workers');
      const two = await activationRate(cluster, ds, flags.activation, 'two');
      log('(a) activation with worker-2 stopped, again');
      await cluster.stopProcess('worker-2');
      const again = await activationRate(cluster, ds, flags.activation, 'one-again');
      await cluster.startProcess('worker-2');
      const ratio = two.rate / ((one.rate + again.rate) / 2);
      const line = (name: string, r: typeof one): string =>
        `    ${name} ${r.rate.toFixed(1)} assignments/s (${r.seconds.toFixed(1)} s; all started at ${r.startedAllAt.toFixed(1)} s); CPU cores used: ${r.cpu}`;
      results.push(
        `(a) activation of ${flags.activation} assignments (activate through the proxy → every one projected):`,
        line('1 worker: ', one),
        line('2 workers:', two),
        line('1 worker: ', again),
        `    ratio ${ratio.toFixed(2)} (2 workers ÷ mean of the 1-worker runs; goal ≥ 1.60) ${verdict(ratio >= 1.6)}; machine: ${cpus().length} cores`,
      );
    }
    if (flags.only.has('b')) {
      log(`(b) ${flags.timers} deadlines in the same second`);
      const t = await timerLateness(cluster, ds, client, flags.timers, taskQueue, flags.timerLead);
      results.push(
        `(b) timer lateness, ${t.n} deadlines due in the same second (2 workers):`,
        `    recorded in PostgreSQL − due: ${dist(t.recorded)}  (goal p99 ≤ 2 s) ${verdict(percentile(t.recorded, 99) <= 2)}`,
        `    workflow clock at the step − due: ${dist(t.workflowClock)}`,
        `    from ${t.fired.length} histories: TimerFired − due: ${dist(t.fired)}`,
        `      its workflow task taken by a worker − due: ${dist(t.taskStarted)}`,
        `      the step's projection activity taken − due: ${dist(t.activityStarted)}`,
        `      workflow tasks timed out after the timer (sticky queue): ${t.tasksTimedOut} in ${t.workflowsWithTimeout} of ${t.fired.length} workflows`,
        `    CPU cores used while they fired: ${t.cpu}`,
      );
    }
    if (flags.only.has('c')) {
      log(`(c) memory per cached workflow, cache ${flags.cache}`);
      const bundle = await buildWorkflowBundle(join(dir, `memory-bundle-${randomUUID()}.js`));
      const m = await measureWorkerMemory({
        client,
        ds,
        env: { DATABASE_URL: cluster.databaseUrl, TEMPORAL_ADDRESS: cluster.temporalAddress, TEMPORAL_NAMESPACE: cluster.namespace, SMTP_URL: `smtp://${cluster.smtp.host}:${cluster.smtp.port}` },
        cacheSize: flags.cache,
        taskQueue: `cluster-memory-${randomUUID()}`,
        bundlePath: bundle,
        log,
        inMainThread: true,
      });
      rmSync(bundle, { force: true });
      results.push(
        `(c) worker memory, cache ${m.cacheSize} (${m.cached} workflows added to a warm worker, measured after a full GC):`,
        `    live heap: warm ${m.live.warm.toFixed(1)} MiB, full cache ${m.live.full.toFixed(1)} MiB, after ${m.cacheSize * 2} runs ${m.live.beyond.toFixed(1)} MiB`,
        `    per cached workflow ${m.perWorkflowMiB.toFixed(3)} MiB (goal ≤ 0.5) ${verdict(m.perWorkflowMiB <= 0.5)}; RSS warm ${m.rss.warm.toFixed(0)} → ${m.rss.full.toFixed(0)} → ${m.rss.beyond.toFixed(0)} MiB`,
      );
    }
    if (flags.only.has('d')) {
      log('(d) API latency at 10 M assignments (test/bench/cluster-queries.ts)');
      const { benchClusterQueries } = await import('./cluster-queries');
      await benchClusterQueries(cluster, flags.rest);
    }
  } finally {
    await connection.close();
    await ds.destroy();
    await cluster.stop();
  }
}
