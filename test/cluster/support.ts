// Shared by the fault test (fault.test.ts) and `npm run bench -- cluster`: synthetic assignment inputs with a
// deadline at a chosen instant, a worker process of our own to weigh, and small statistics helpers.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Client } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { type DataSource } from 'typeorm';
import { type AssignmentInput } from '@app/contracts/workflow';
import { endOfLocalDay, type EscalationStep, type EscalationStepConfig, localDate, type Plan, planAssignments } from '@app/domain';
import { TypeormOrganisationRepository, TypeormPlanRepository } from '@app/persistence';
import { startAssignment } from '@app/temporal';
import { toAssignmentInput } from '../../apps/worker/src/activation/activation.activities';
import { syntheticPlan } from '../support/synthetic-plan';
import { WORKFLOW_INTERCEPTOR_MODULES } from '../../libs/observability/src/workflow-interceptor-modules';

export const ROOT = join(__dirname, '..', '..');

/** Nearest-rank percentile of numbers (not necessarily sorted); NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `fn` until `ok`; throws with the last value after `timeoutMs`. */
export async function waitFor<T>(what: string, fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs: number, everyMs = 500): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs} ms (last: ${JSON.stringify(v)})`);
    await sleep(everyMs);
  }
}

/** Resident set size of a process in MiB, from /proc (Linux). */
export function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
  return kb / 1024;
}

/**
 * `duties` × `communes` one-off assignments on synthetic commune units that have no e-mail address (their notices
 * are recorded as undeliverable, never sent), stored as a draft plan in the app database. The organisation
 * directory is replaced by the synthetic one, which keeps the sample's district departments.
 */
export async function storeLeanPlan(ds: DataSource, communes: number, duties: number, sourceName: string) {
  const synthetic = syntheticPlan(communes, duties, { onlyCommuneDuties: true });
  await new TypeormOrganisationRepository(ds).replace(synthetic.directory.file);
  const stored = await new TypeormPlanRepository(ds).createDraft({ plan: synthetic.plan, warnings: [], sourceText: null, sourceName }, 'bench');
  return { ...synthetic, stored };
}

/**
 * The plan's assignments as workflow inputs, each with `deadline` and `ladder` instead of the plan's (the lean
 * synthetic plan has none): lets a test make many deadlines fall due at one chosen instant.
 */
export function inputsWithDeadline(
  planId: string,
  synthetic: ReturnType<typeof syntheticPlan>,
  deadline: Date,
  ladder: readonly EscalationStepConfig[],
): AssignmentInput[] {
  return planAssignments(synthetic.plan, synthetic.directory).assignments.map((a) => ({
    ...toAssignmentInput(planId, null, synthetic.plan.metadata.title, a),
    deadline: deadline.toISOString(),
    escalation: [...ladder],
  }));
}

/** Starts the inputs' assignment workflows, `concurrency` start requests in flight; returns how many were new. */
export async function startAll(client: Client, taskQueue: string, inputs: readonly AssignmentInput[], concurrency = 32): Promise<number> {
  let next = 0;
  let started = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < inputs.length; i = next++) if ((await startAssignment(client, taskQueue, inputs[i]!)).outcome === 'started') started++;
    }),
  );
  return started;
}

/** The workflow bundle built once into a file, as production ships it (WORKFLOW_BUNDLE_PATH). */
export async function buildWorkflowBundle(file: string, preloadModules?: string[]): Promise<string> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../workflows'),
    workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES,
    logger: new DefaultLogger('WARN'),
    ...(preloadModules ? { preloadModules } : {}),
  });
  writeFileSync(file, code);
  return file;
}

/** The real worker process (apps/worker/src/main.ts) with the given environment on top of ours. */
export function spawnWorker(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [join(ROOT, 'deploy/local/run-ts.js'), join(ROOT, 'apps/worker/src/main.ts')], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

interface MemoryUsage {
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

/** The worker module in memory-probe.ts: `measure()` collects garbage in it and returns its memory use. */
function startProbe(env: Record<string, string>, nodeArgs: string[]): { pid: number; ready: Promise<void>; measure(): Promise<MemoryUsage>; kill(): void } {
  const child = spawn(process.execPath, ['--expose-gc', ...nodeArgs, join(ROOT, 'deploy/local/run-ts.js'), join(__dirname, 'memory-probe.ts')], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'warn', ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const waiting: Array<(line: string) => void> = [];
  let buffered = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      waiting.shift()?.(line);
    }
  });
  const next = (): Promise<string> =>
    new Promise((resolve, reject) => {
      waiting.push(resolve);
      child.once('exit', (code) => reject(new Error(`memory probe exited (${code})`)));
    });
  return {
    pid: child.pid!,
    ready: next().then(() => undefined),
    measure: async () => {
      const answer = next();
      child.stdin!.write('measure\n');
      return JSON.parse(await answer) as MemoryUsage;
    },
    kill: () => void child.kill('SIGKILL'),
  };
}

export interface MemoryMeasurement {
  cacheSize: number;
  /** Workflows added on top of the warm-up ones, all cached. */
  cached: number;
  /** After a full GC, MiB: warm, with a full cache, after twice the cache size ran (evictions). */
  heap: { warm: number; full: number; beyond: number };
  /** Heap plus native memory V8 tracks (buffers, the workflow context's external memory). */
  live: { warm: number; full: number; beyond: number };
  rss: { warm: number; full: number; beyond: number };
  /** (live at a full cache − live warm) ÷ workflows added, MiB; and the same for RSS. */
  perWorkflowMiB: number;
  perWorkflowRssMiB: number;
}

const MiB = 1024 * 1024;

/**
 * Memory per cached assignment workflow: the production worker module (memory-probe.ts, its own task queue)
 * runs `warm` workflows (bundle loaded, V8 context and pools warmed), then enough more to fill its cache; each
 * waits on its deadline timer a month away, so it stays cached. (Memory at a full cache − memory warm) ÷ the
 * workflows added, measured after a full GC. Then as many again, which the cache must evict: memory should stay.
 */
export async function measureWorkerMemory(opts: {
  client: Client;
  ds: DataSource;
  env: Record<string, string>;
  cacheSize: number;
  taskQueue: string;
  bundlePath: string;
  log: (m: string) => void;
  warm?: number;
  /**
   * Workflows in the main thread (the SDK's debug mode, TEMPORAL_DEBUG) so that the collected, weighed heap is
   * theirs: normally they live in a worker thread's isolate, which neither gc() nor memoryUsage().heapUsed reach.
   */
  inMainThread?: boolean;
  /** Extra node flags, e.g. --max-old-space-size=384 (it bounds the workflow thread's heap as well). */
  nodeArgs?: string[];
}): Promise<MemoryMeasurement> {
  const warm = opts.warm ?? 50;
  const communes = 100;
  const duties = Math.ceil((opts.cacheSize * 2) / communes);
  const plan = await storeLeanPlan(opts.ds, communes, duties, 'cluster-memory');
  const ladder: EscalationStepConfig[] = [{ key: 'overdue', offset: 'PT0S', basis: 'calendar', audience: ['assignee'], kind: 'overdue' }];
  const inputs = inputsWithDeadline(plan.stored.id, plan, new Date(Date.now() + 30 * 86_400_000), ladder);
  const probe = startProbe({
    ...opts.env,
    TASK_QUEUE: opts.taskQueue,
    WORKFLOW_BUNDLE_PATH: opts.bundlePath,
    WORKER_MAX_CACHED_WORKFLOWS: String(opts.cacheSize),
    ...(opts.inMainThread ? { TEMPORAL_DEBUG: '1' } : {}),
  }, opts.nodeArgs ?? []);
  const projected = async (): Promise<number> =>
    Number((await opts.ds.query('SELECT count(*)::int AS n FROM assignments WHERE plan_id = $1', [plan.stored.id]))[0].n);
  const settle = async (n: number): Promise<MemoryUsage> => {
    await waitFor(`${n} assignments projected`, projected, (c) => c >= n, 600_000);
    // The last activities have answered; let their completions reach the worker before weighing it.
    await sleep(3000);
    return probe.measure();
  };
  const fmt = (m: MemoryUsage): string => `heap used ${(m.heapUsed / MiB).toFixed(1)} MiB, heap+external ${((m.heapUsed + m.external) / MiB).toFixed(1)} MiB, RSS ${(m.rss / MiB).toFixed(0)} MiB`;
  try {
    await probe.ready;
    await startAll(opts.client, opts.taskQueue, inputs.slice(0, warm));
    const w = await settle(warm);
    opts.log(`memory: ${warm} warm-up workflows: ${fmt(w)}`);
    await startAll(opts.client, opts.taskQueue, inputs.slice(warm, opts.cacheSize));
    const f = await settle(opts.cacheSize);
    opts.log(`memory: ${opts.cacheSize} cached workflows: ${fmt(f)}`);
    await startAll(opts.client, opts.taskQueue, inputs.slice(opts.cacheSize, opts.cacheSize * 2));
    const b = await settle(opts.cacheSize * 2);
    opts.log(`memory: ${opts.cacheSize * 2} workflows run (cache ${opts.cacheSize}): ${fmt(b)}`);
    const live = (m: MemoryUsage): number => (m.heapUsed + m.external) / MiB;
    const added = opts.cacheSize - warm;
    return {
      cacheSize: opts.cacheSize,
      cached: added,
      heap: { warm: w.heapUsed / MiB, full: f.heapUsed / MiB, beyond: b.heapUsed / MiB },
      live: { warm: live(w), full: live(f), beyond: live(b) },
      rss: { warm: w.rss / MiB, full: f.rss / MiB, beyond: b.rss / MiB },
      perWorkflowMiB: (live(f) - live(w)) / added,
      perWorkflowRssMiB: (f.rss - w.rss) / MiB / added,
    };
  } finally {
    // Its workflows stay behind, waiting a month on a queue nobody polls: harmless in a throw-away cluster.
    probe.kill();
  }
}

/** What a browser sends after signing in: the session cookie and the CSRF header. */
export interface Session {
  username: string;
  unitCode: string | null;
  headers: Record<string, string>;
}

export async function signIn(baseUrl: string, username: string, password: string): Promise<Session> {
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in as ${username}: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { user: { unitCode: string | null }; csrfToken: string };
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return { username, unitCode: body.user.unitCode, headers: { cookie, 'x-csrf-token': body.csrfToken } };
}

/** One request; a refused connection or a timeout counts as status 0 (no answer). */
export async function call<T = unknown>(baseUrl: string, session: Session | null, method: string, path: string, body?: unknown, timeoutMs = 15_000): Promise<{ status: number; body: T | null }> {
  try {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(session?.headers ?? {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let parsed: T | null = null;
    try {
      parsed = text ? (JSON.parse(text) as T) : null;
    } catch {
      // an HTML error page from the proxy
    }
    return { status: res.status, body: parsed };
  } catch {
    return { status: 0, body: null };
  }
}

/** An ISO-8601 duration of whole seconds, negative before the deadline ('-PT45600S'). */
export function secondsOffset(ms: number): string {
  const s = Math.round(ms / 1000);
  return `${s < 0 ? '-' : ''}PT${Math.abs(s)}S`;
}

/**
 * The fault test's plan: `duties` one-off duties for every commune-level unit (the sample's, which have mail
 * addresses, and synthetic ones up to `communes`, which have none), all due at the end of today (local), with a
 * ladder whose steps fall at the given instants, so a deadline wave washes over the cluster minutes after
 * activation: reminder (the unit), overdue (the unit and its head), escalation (the supervising department).
 */
export function wavePlan(communes: number, duties: number, steps: { reminder: Date; overdue: Date; escalation: Date }) {
  const base = syntheticPlan(communes, duties);
  const today = localDate(new Date());
  const deadline = endOfLocalDay(today);
  // Offsets are whole seconds: each step's instant as the workflows get it is derived here once, for the ladder and
  // for `due`, so the test measures lateness against it and "early" means early.
  const step = (key: string, at: Date, audience: EscalationStep['audience'], kind: EscalationStep['kind']) => {
    const offsetMs = Math.round((at.getTime() - deadline.getTime()) / 1000) * 1000;
    return { spec: { key, offset: secondsOffset(offsetMs), basis: 'calendar', audience, kind } satisfies EscalationStep, due: new Date(deadline.getTime() + offsetMs) };
  };
  const wave = [
    step('wave_reminder', steps.reminder, ['assignee'], 'reminder'),
    step('wave_overdue', steps.overdue, ['assignee', 'assignee_head'], 'overdue'),
    step('wave_escalation', steps.escalation, ['supervisor'], 'escalation'),
  ];
  const ladder: EscalationStep[] = wave.map((w) => w.spec);
  const due: Record<string, Date> = Object.fromEntries(wave.map((w) => [w.spec.key, w.due]));
  const responsibilities = base.plan.responsibilities
    .filter((r) => r.sectionKey === 'V.3')
    .map((r) => ({ ...r, deadline: { date: today, kind: 'explicit' as const, reason: 'Hạn của bài kiểm tra sự cố cụm máy chủ' }, escalationPolicy: ladder }));
  const plan: Plan = { ...base.plan, responsibilities, reportingRules: [], escalationPolicy: ladder };
  return { plan, directory: base.directory, ladder, due, assignments: planAssignments(plan, base.directory).assignments.length };
}
