// `npm run bench -- queries [rows] [requests] [--concurrent N] [--seconds S] [--think-ms M] [--mix all|roles]
// [--log-level L]`: p50/p95 over HTTP of one unit's inbox, the district-wide inbox and each dashboard endpoint with
// `rows` assignments (default 1,000,000; two events each up to EVENT_ROWS_MAX), on its own embedded PostgreSQL (or
// DATABASE_URL); then, with --concurrent, the same reads from N signed-in users at once (which user asks what:
// LoadMix), each pausing a random think time of mean M ms (default 1000) after every answer, and once more with no
// pause (the closed loop that measures capacity; see runConcurrent). docs/read-performance.md has the figures.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { parseConfig } from '@app/config';
import { loadOrganisationDirectory } from '@app/domain';
import { dataSourceOptions, PlanRepository, runMigrations, sampleAccounts, seedSampleAccounts, TypeormOrganisationRepository, TypeormPlanRepository } from '@app/persistence';
import { TEST_SAMPLE_PASSWORD as SAMPLE_PASSWORD } from '../support/accounts';
import { seededRandom } from '../support/seeded-random';
import { parsePlan } from '@app/plan-parser';
import { createApiApp } from '../../apps/api/src/bootstrap';
import { freePort, startPostgres } from '../../deploy/local/stack';

// The shape of a province: districts of 30 units each; every plan belongs to one district and gives each of its
// units ITEMS duties over PERIODS monthly periods (28,800 assignments a plan, so 1,000,000 rows make 35 plans).
// The measured unit sits in district 0, so every tenth plan gives it work (a few thousand rows in its inbox); the
// measured plan is the first one, full.
const DISTRICTS = 10;
const DISTRICT_UNITS = 30;
const ITEMS = 80;
const PERIODS = 12;
const PER_PLAN = DISTRICT_UNITS * ITEMS * PERIODS;
const INBOX_UNIT = 'VQ-XA-AN-SON';
/** Rows per INSERT … SELECT: large enough to stream, small enough to show progress and keep the WAL moving. */
const BATCH_ROWS = 1_000_000;
/** Events are read by no measured endpoint; above this many assignments they are left out (time and disk). */
const EVENT_ROWS_MAX = 2_000_000;
const STATUSES = 'assigned,acknowledged,in_progress,submitted,returned,done,cancelled';

const log = (msg: string): void => {
  process.stdout.write(`${msg}\n`);
};

export interface BenchData {
  planIds: string[];
  /** Units with sample accounts, in the order of the seed's unit array (the first is INBOX_UNIT). */
  accountUnits: string[];
}

/** The sample organisation and its accounts (created if missing, with `password`), and the synthetic communes. */
export async function seedOrganisation(ds: DataSource, password: string): Promise<{ plan: ReturnType<typeof parsePlan>; accountUnits: string[] }> {
  const root = join(__dirname, '../..');
  const directory = loadOrganisationDirectory(readFileSync(join(root, 'deploy/seed/van-quan/organisation.yaml'), 'utf8'));
  const org = new TypeormOrganisationRepository(ds);
  await org.seedIfEmpty(directory.file);
  await seedSampleAccounts(ds, directory, password);
  // The sample commune whose officer reads the inbox plus 299 synthetic communes: 10 districts of 30.
  const synthetic = DISTRICTS * DISTRICT_UNITS - 1;
  await ds.query(`INSERT INTO units (code, name, short_name, kind) SELECT 'BENCH-U' || lpad(g::text, 3, '0'), 'Đơn vị thử ' || g, 'ĐV ' || g, 'commune' FROM generate_series(1, ${synthetic}) g ON CONFLICT DO NOTHING`);
  const sample = readFileSync(join(root, 'libs/plan-parser/fixtures/van-quan-2024-cong-tac-tre-em.md'), 'utf8');
  const accountUnits = [...new Set(sampleAccounts(directory).filter((a) => a.role === 'unit_officer' && a.unitCode).map((a) => a.unitCode!))].sort(
    (a, b) => Number(b === INBOX_UNIT) - Number(a === INBOX_UNIT) || (a < b ? -1 : 1),
  );
  return { plan: parsePlan({ text: sample, format: 'markdown' }, await org.load()), accountUnits };
}

/**
 * `rows` assignments in batches of generated rows (one INSERT … SELECT FROM generate_series each). For a bulk load
 * the secondary indexes of assignments are dropped first and built once at the end (the unique workflow id index
 * stays: the projection's upserts need it if workers run meanwhile), and the row triggers are off while the
 * batches go in (so a bulk load into a live cluster wants its workers idle): the totals are rebuilt from the rows
 * once, then the tables are analysed.
 */
export async function seedBench(ds: DataSource, rows: number, password: string, log: (msg: string) => void): Promise<BenchData> {
  const { plan: parsed, accountUnits } = await seedOrganisation(ds, password);
  const { plan, warnings } = parsed;
  const indicatorKeys = plan.objectives.flatMap((o) => o.indicators.map((_, i) => `${o.key}.${i + 1}`));
  const plans: PlanRepository = new TypeormPlanRepository(ds);
  const planIds: string[] = [];
  const planCount = Math.ceil(rows / PER_PLAN);
  for (let i = 0; i < planCount; i++) planIds.push((await plans.createDraft({ plan, warnings, sourceText: null, sourceName: `bench-${i}` }, 'bench')).id);
  await ds.query(`UPDATE plans SET status = 'active', activated_at = now() WHERE id = ANY($1::uuid[])`, [planIds]);

  const started = Date.now();
  const indexes = await ds.query<{ name: string; def: string }[]>(
    `SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
     WHERE i.schemaname = current_schema() AND i.tablename = 'assignments' AND i.indexname <> 'ux_assignments_workflow_id'
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
  );
  // The totals are rebuilt once after the load, and the batches write submitted_at themselves (the row trigger
  // that mirrors it from the state would compute the same value, row by row).
  const triggers = [
    ...['insert', 'update', 'delete'].flatMap((op) => [`tg_assignment_totals_${op}`, `tg_assignment_hour_totals_${op}`]),
    'tg_assignments_submitted_at',
  ];
  const bulk = rows >= BATCH_ROWS;
  if (bulk) {
    for (const ix of indexes) await ds.query(`DROP INDEX IF EXISTS ${ix.name}`);
    for (const tg of triggers) await ds.query(`ALTER TABLE assignments DISABLE TRIGGER ${tg}`);
  }
  // One instant for every batch, so a batch's deadlines do not depend on when it ran.
  const base = new Date();
  try {
    for (let from = 0; from < rows; from += BATCH_ROWS) {
      const to = Math.min(rows, from + BATCH_ROWS);
      const t0 = Date.now();
      await insertBatch(ds, planIds, accountUnits, indicatorKeys, from, to, base);
      log(`  assignments ${to.toLocaleString('en')} / ${rows.toLocaleString('en')} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    }
  } finally {
    if (bulk) {
      const t0 = Date.now();
      // Built one after the other on one connection with more sort memory (CREATE INDEX uses parallel workers itself).
      const qr = ds.createQueryRunner();
      try {
        await qr.query(`SET maintenance_work_mem = '512MB'`);
        for (const ix of indexes) await qr.query(ix.def.replace(/^CREATE (UNIQUE )?INDEX /, 'CREATE $1INDEX IF NOT EXISTS '));
      } finally {
        await qr.release();
      }
      for (const tg of triggers) await ds.query(`ALTER TABLE assignments ENABLE TRIGGER ${tg}`);
      log(`  ${indexes.length} indexes rebuilt in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
  }
  if (bulk) await ds.query('SELECT rebuild_assignment_totals(), rebuild_assignment_hour_totals()');
  if (rows <= EVENT_ROWS_MAX) {
    await ds.query(
      `INSERT INTO assignment_events (workflow_id, seq, type, actor, at)
       SELECT a.workflow_id, s, CASE s WHEN 1 THEN 'assigned' ELSE 'acknowledged' END, 'system', a.created_at + s * interval '1 hour'
       FROM assignments a CROSS JOIN generate_series(1, 2) s WHERE a.plan_id = ANY($1::uuid[])`,
      [planIds],
    );
  }
  await ds.query('VACUUM ANALYZE assignments');
  await ds.query('VACUUM ANALYZE assignment_events');
  await ds.query('VACUUM ANALYZE assignment_totals');
  await ds.query('VACUUM ANALYZE assignment_hour_totals');
  const [size] = await ds.query<{ db: string; assignments: string }[]>(
    `SELECT pg_size_pretty(pg_database_size(current_database())) AS db, pg_size_pretty(pg_total_relation_size('assignments')) AS assignments`,
  );
  log(
    `seeded ${rows.toLocaleString('en')} assignments${rows <= EVENT_ROWS_MAX ? ` and ${(rows * 2).toLocaleString('en')} events` : ' (no events)'} in ` +
      `${((Date.now() - started) / 1000).toFixed(1)} s; database ${size!.db}, assignments with indexes ${size!.assignments}`,
  );
  return { planIds, accountUnits };
}

/**
 * Rows [from, to) of the generated province, one statement computed by generate_series; workflow ids have the
 * production shape (assignmentWorkflowId), so the indexes that hold them have their real size. Row g belongs to
 * plan g / PER_PLAN; inside a plan it walks units, then items, then periods. The unit array starts with the units
 * that have sample accounts (the measured commune first), then the synthetic communes. Deadlines run monthly from
 * about 7.5 months ago to 4 months ahead, spread over the month by item (so some fall within the due-soon window),
 * shifted a week per plan; one row in ten has none, whatever its plan, unit or item. Past work is mostly done (a
 * fifth of it late) or overdue, future work mostly open; a few rows are submitted, returned or cancelled. Some
 * accepted reports carry indicator values. submitted_at is written here (the trigger that mirrors it from the
 * state would set the same value) so a bulk load reads each row once.
 */
async function insertBatch(ds: DataSource, planIds: string[], accountUnits: string[], indicatorKeys: string[], from: number, to: number, base: Date): Promise<void> {
  await ds.query(
    `WITH u AS (SELECT array_cat($2::text[], array_agg(code ORDER BY code)) AS codes FROM units WHERE code LIKE 'BENCH-U%'),
     g AS (
       SELECT g, g / ${PER_PLAN} AS plan, g % ${PER_PLAN} AS r, (g * 7919) % 100 AS s, (g * 13) % 20 - 15 AS late_days
       FROM generate_series($3::bigint, $4::bigint - 1) g
     ),
     c AS (
       SELECT g.*, ($1::uuid[])[1 + plan::int] AS plan_id, (plan % ${DISTRICTS}) * ${DISTRICT_UNITS} + r % ${DISTRICT_UNITS} AS unit,
              (r / ${DISTRICT_UNITS}) % ${ITEMS} AS item, r / ${DISTRICT_UNITS * ITEMS} AS period,
              $6::timestamptz - interval '255 days' + (plan % 4) * interval '7 days' AS activated
       FROM g
     ),
     d AS (
       SELECT c.*, CASE WHEN (g / 7) % 10 = 3 THEN NULL
                        ELSE activated + interval '30 days' + period * interval '30 days' + item * interval '9 hours' END AS deadline
       FROM c
     ),
     st AS (
       SELECT d.*,
              CASE WHEN deadline IS NULL THEN
                     CASE WHEN s < 40 THEN 'done' WHEN s < 45 THEN 'submitted' WHEN s < 48 THEN 'cancelled' WHEN s < 65 THEN 'in_progress' ELSE 'assigned' END
                   WHEN deadline < $6::timestamptz THEN
                     CASE WHEN s < 70 THEN 'done' WHEN s < 73 THEN 'submitted' WHEN s < 76 THEN 'cancelled' WHEN s < 86 THEN 'in_progress'
                          WHEN s < 89 THEN 'returned' WHEN s < 92 THEN 'acknowledged' ELSE 'assigned' END
                   ELSE
                     CASE WHEN s < 15 THEN 'done' WHEN s < 20 THEN 'submitted' WHEN s < 23 THEN 'cancelled' WHEN s < 45 THEN 'in_progress'
                          WHEN s < 50 THEN 'returned' WHEN s < 60 THEN 'acknowledged' ELSE 'assigned' END
              END AS status,
              -- when the unit reported: around the deadline (up to 4 days late), never in the future; whole seconds
              -- (the submission's JSON keeps seconds, and submitted_at must equal what it says)
              date_trunc('second', LEAST(COALESCE(deadline, $6::timestamptz - (g % 60) * interval '1 day') + late_days * interval '1 day', $6::timestamptz - interval '1 hour')) AS reported_at
       FROM d
     )
     INSERT INTO assignments (workflow_id, plan_id, item_key, kind, unit_code, period_key, period_label, title, role, status, deadline,
                              completed_at, progress, escalation_level, last_seq, state, submitted_at, created_at, updated_at)
     SELECT 'asg:' || plan_id || ':B.' || (item + 1) || ':' || u.codes[1 + unit::int] || ':P' || period, plan_id, 'B.' || (item + 1), 'responsibility',
            u.codes[1 + unit::int], 'P' || period, 'Kỳ ' || (period + 1),
            'Nhiệm vụ thử ' || (item + 1), 'lead', status, deadline,
            CASE WHEN status = 'done' THEN reported_at + interval '2 days' END,
            CASE WHEN status IN ('done', 'submitted') THEN 100 WHEN status = 'in_progress' THEN 10 + s % 80 ELSE 0 END,
            CASE WHEN status NOT IN ('done', 'cancelled') AND deadline < $6::timestamptz THEN 1 + g % 3 ELSE 0 END, 2,
            CASE WHEN status IN ('done', 'submitted') THEN jsonb_build_object('submission', jsonb_build_object('text', 'x',
                   'submittedAt', to_char(reported_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                   'indicatorValues', CASE WHEN item % 8 = 0 AND cardinality($5::text[]) > 0
                     THEN jsonb_build_array(jsonb_build_object('indicatorKey', ($5::text[])[1 + (item / 8 + unit)::int % cardinality($5::text[])], 'value', g % 50))
                     ELSE '[]'::jsonb END,
                   'attachments', '[]'::jsonb, 'submittedBy', 'bench'))
                 ELSE '{}'::jsonb END,
            CASE WHEN status IN ('done', 'submitted') THEN reported_at END,
            activated, LEAST(COALESCE(reported_at, activated + period * interval '20 days'), $6::timestamptz)
     FROM st, u`,
    [planIds, accountUnits, from, to, indicatorKeys, base],
  );
}

export type Headers = Record<string, string>;

export async function login(base: string, username: string, password: string): Promise<Headers> {
  const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return { cookie };
}

async function measure(base: string, path: string, headers: Headers, n: number): Promise<{ p50: number; p95: number; bytes: number }> {
  let bytes = 0;
  for (let i = 0; i < 20; i++) await (await fetch(`${base}${path}`, { headers })).arrayBuffer();
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const res = await fetch(`${base}${path}`, { headers });
    const body = await res.arrayBuffer();
    times.push(performance.now() - t0);
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${Buffer.from(body).toString()}`);
    bytes = body.byteLength;
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(n * 0.5)], p95: times[Math.floor(n * 0.95)], bytes };
}

const DASHBOARDS = ['summary', 'by-unit', 'by-responsibility', 'matrix', 'overdue', 'indicators', 'timeline'];

/** What the concurrent users read: a request path for the user of loop `i` at its `k`th turn, and the goal (p95 ms). */
interface LoadCase {
  label: string;
  goalMs: number;
  /** Who asks this in the `roles` mix: a unit's person or a district-wide one (coordinator, leader, admin). */
  role: UserRole;
  request(i: number, k: number): { path: string; headers: Headers };
}

export type UserRole = 'unit' | 'district';

/** Signs in 50 (or `users`) sample accounts: unit officers and heads of different units, the coordinator, the leader, the admin. */
export async function signInUsers(base: string, password: string, accountUnits: string[], users: number): Promise<{ unit: Headers[]; district: Headers[] }> {
  const root = join(__dirname, '../..');
  const directory = loadOrganisationDirectory(readFileSync(join(root, 'deploy/seed/van-quan/organisation.yaml'), 'utf8'));
  const accounts = sampleAccounts(directory);
  const unitSet = new Set(accountUnits);
  const district = accounts.filter((a) => a.role === 'coordinator' || a.role === 'leader' || a.role === 'admin');
  const officers = accounts.filter((a) => a.role === 'unit_officer' && unitSet.has(a.unitCode!));
  const heads = accounts.filter((a) => a.role === 'unit_head' && unitSet.has(a.unitCode!));
  const unitUsers = [...officers, ...heads].slice(0, Math.max(1, users - district.length));
  // Sequential: the sign-in throttle counts per address, and each sign-in is a bcrypt compare.
  const unit: Headers[] = [];
  for (const a of unitUsers) unit.push(await login(base, a.username, password));
  const districtHeaders: Headers[] = [];
  for (const a of district) districtHeaders.push(await login(base, a.username, password));
  return { unit, district: districtHeaders };
}

export function loadCases(planIds: string[], users: { unit: Headers[]; district: Headers[] }): LoadCase[] {
  const unitUser = (i: number): Headers => users.unit[i % users.unit.length]!;
  const districtUser = (i: number): Headers => users.district[i % users.district.length]!;
  // Dashboards of a different plan from turn to turn, so no single plan's pages stay hot in the cache.
  const plan = (i: number, k: number): string => planIds[(i * 7 + k) % planIds.length]!;
  return [
    // No query beyond the session check every request makes: the floor the machine sets for any endpoint under
    // the same load (not a goal of its own).
    { label: 'floor: /api/auth/me', goalMs: Infinity, role: 'unit', request: (i) => ({ path: '/api/auth/me', headers: unitUser(i) }) },
    { label: 'inbox (one unit, page 1)', goalMs: 20, role: 'unit', request: (i) => ({ path: '/api/inbox', headers: unitUser(i) }) },
    { label: 'inbox (district-wide, no filter)', goalMs: 50, role: 'district', request: (i) => ({ path: '/api/inbox', headers: districtUser(i) }) },
    ...DASHBOARDS.map(
      (e): LoadCase => ({ label: `dashboard/${e}`, goalMs: 100, role: 'district', request: (i, k) => ({ path: `/api/dashboard/${e}?planId=${plan(i, k)}`, headers: districtUser(i) }) }),
    ),
  ];
}

export interface LoadResult {
  label: string;
  goalMs: number;
  n: number;
  errors: number;
  p50: number;
  p95: number;
  p99: number;
}

export interface LoadRun {
  results: LoadResult[];
  mix: LoadMix;
  /** Answers (any status) received during the measured seconds, per second: the capacity when thinkMs is 0. */
  answersPerSecond: number;
  thinkMs: number;
}

/**
 * A think time of mean `meanMs`, exponentially distributed (a person's pauses are mostly short with a long tail,
 * and the exponential keeps the arrivals of many independent users close to Poisson), capped at 10 means so one
 * draw cannot park a user for the whole run. 0 means no pause.
 */
export function thinkTime(random: () => number, meanMs: number): number {
  if (meanMs <= 0) return 0;
  return Math.min(10 * meanMs, -meanMs * Math.log(1 - random()));
}

/** The default mean think time; docs/read-performance.md ("Load model") argues for it. */
export const DEFAULT_THINK_MS = 1000;

/**
 * Which cases a user walks. `all`: every user walks every case (a unit user's loop also sends the dashboards and
 * the district inbox, as a district-wide account): 7 requests in 10 are dashboards, far more than 47 unit people
 * and 3 district-wide ones would send, so every endpoint gets many samples under a heavy mix. `roles`: the first
 * `unitUsers` loops are unit people and walk the unit cases only (their inbox and /api/auth/me), the rest are
 * district-wide people and walk the district inbox and the seven dashboards: the mix 50 people would make (the
 * district-wide figures then rest on few samples; measure longer).
 */
export type LoadMix = 'all' | 'roles';

export interface LoadOptions {
  loops: number;
  seconds: number;
  warmupSeconds?: number;
  thinkMs?: number;
  seed?: number;
  mix?: LoadMix;
  /** With mix `roles`: how many of the loops are unit people (the rest are district-wide). */
  unitUsers?: number;
}

/**
 * `loops` users at once for `seconds` (after `warmupSeconds` not counted), each walking its cases in turn
 * (see LoadMix), starting at a different one, so every endpoint is measured under the whole mixed load. Each
 * loop is one user; its cookie is reused, as a browser would. With `thinkMs` > 0 a user waits thinkTime() after each answer
 * (and a uniform [0, thinkMs) before its first request, so the users do not start in step); the draws come from
 * a generator seeded with `seed` + the user's number, so a run's schedule can be repeated. With 0 the loops fire
 * back to back: the offered load then adapts to the server, and the answers per second are its capacity.
 */
export async function runConcurrent(base: string, cases: LoadCase[], opts: LoadOptions): Promise<LoadRun> {
  const { loops, seconds, warmupSeconds = 3, thinkMs = 0, seed = 1, mix = 'all', unitUsers = loops } = opts;
  const all = cases.map((_, idx) => idx);
  const byRole = (role: UserRole): number[] => all.filter((idx) => cases[idx]!.role === role);
  const casesOf = (i: number): number[] => (mix === 'all' ? all : byRole(i < unitUsers ? 'unit' : 'district'));
  const times = cases.map(() => [] as number[]);
  const errors = cases.map(() => 0);
  const start = performance.now();
  const measureFrom = start + warmupSeconds * 1000;
  const end = measureFrom + seconds * 1000;
  const firstError: string[] = [];
  let answered = 0;
  const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
  await Promise.all(
    Array.from({ length: loops }, async (_, i) => {
      const random = seededRandom(seed + i);
      const mine = casesOf(i);
      if (thinkMs > 0) await sleep(random() * thinkMs);
      for (let k = 0; performance.now() < end; k++) {
        const c = mine[(i + k) % mine.length]!;
        const { path, headers } = cases[c]!.request(i, k);
        const t0 = performance.now();
        try {
          const res = await fetch(`${base}${path}`, { headers });
          await res.arrayBuffer();
          const t1 = performance.now();
          // Counted when the request was sent inside the window and answered before its end.
          if (t0 >= measureFrom && t1 <= end) {
            answered++;
            times[c]!.push(t1 - t0);
            if (res.status !== 200) {
              errors[c]!++;
              if (!firstError.length) firstError.push(`${path}: ${res.status}`);
            }
          }
        } catch (err) {
          if (t0 >= measureFrom) errors[c]!++;
          if (!firstError.length) firstError.push(`${path}: ${String(err)}`);
        }
        const pause = thinkTime(random, thinkMs);
        if (pause > 0 && performance.now() + pause < end) await sleep(pause);
        else if (pause > 0) break;
      }
    }),
  );
  if (firstError.length) process.stdout.write(`  first error: ${firstError[0]}\n`);
  const results = cases.map((c, idx) => {
    const t = times[idx]!.sort((a, b) => a - b);
    const at = (q: number): number => t[Math.min(t.length - 1, Math.floor(t.length * q))] ?? NaN;
    return { label: c.label, goalMs: c.goalMs, n: t.length, errors: errors[idx]!, p50: at(0.5), p95: at(0.95), p99: at(0.99) };
  });
  return { results, mix, answersPerSecond: answered / seconds, thinkMs };
}

export function printLoad(run: LoadRun, log: (msg: string) => void): boolean {
  let ok = true;
  const mix = run.mix === 'roles' ? 'mix by role' : 'every user walks every endpoint';
  log(
    run.thinkMs > 0
      ? `  ${mix}; think time: exponential, mean ${run.thinkMs} ms; ${run.answersPerSecond.toFixed(1)} answers/s`
      : `  ${mix}; closed loop (no think time): ${run.answersPerSecond.toFixed(1)} answers/s = the capacity at this mix`,
  );
  for (const r of run.results) {
    // An endpoint nobody asked (a mix without it) neither passes nor fails.
    if (r.n === 0) {
      log(`  ${r.label.padEnd(36)} n      0  (not in this mix)`);
      continue;
    }
    const pass = r.errors === 0 && r.p95 <= r.goalMs;
    ok &&= pass;
    const goal = Number.isFinite(r.goalMs) ? `  goal p95 ≤ ${r.goalMs} ms: ${pass ? 'PASS' : 'FAIL'}` : '';
    log(
      `  ${r.label.padEnd(36)} n ${String(r.n).padStart(6)}  p50 ${r.p50.toFixed(1).padStart(7)}  p95 ${r.p95.toFixed(1).padStart(7)}  p99 ${r.p99.toFixed(1).padStart(7)} ms` +
        `${goal}${r.errors ? ` (${r.errors} errors)` : ''}`,
    );
  }
  return ok;
}

/** `--mix all|roles` (default all; see LoadMix), or an error that names the flag. */
export function mixOf(flags: Map<string, string>): LoadMix {
  const raw = flags.get('mix') ?? 'all';
  if (raw !== 'all' && raw !== 'roles') throw new Error(`--mix must be all or roles (got ${raw})`);
  return raw;
}

/** `--think-ms` (default DEFAULT_THINK_MS): a non-negative number, or an error that names the flag. */
export function thinkMsOf(flags: Map<string, string>): number {
  const raw = flags.get('think-ms');
  const ms = raw === undefined ? DEFAULT_THINK_MS : Number(raw);
  if (!Number.isFinite(ms) || ms < 0) throw new Error(`--think-ms must be a number of milliseconds ≥ 0 (got ${raw})`);
  return ms;
}

/** `--name value` from the arguments, and the positional ones. */
export function parseArgs(args: string[]): { positional: string[]; flags: Map<string, string> } {
  const positional: string[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('--')) flags.set(a.slice(2), args[++i] ?? '');
    else positional.push(a);
  }
  return { positional, flags };
}

export async function benchQueries(args: string[]): Promise<void> {
  const { positional, flags } = parseArgs(args);
  const rows = Number(positional[0] ?? 1_000_000);
  const requests = Number(positional[1] ?? 200);
  const concurrent = Number(flags.get('concurrent') ?? 0);
  const seconds = Number(flags.get('seconds') ?? 30);
  const thinkMs = thinkMsOf(flags);
  const loadMix = mixOf(flags);
  const work = mkdtempSync(join(tmpdir(), 'dondoc-bench-q-'));
  const pg = await startPostgres({ databaseUrl: process.env.DATABASE_URL, dataDir: join(work, 'pg'), port: await freePort(), database: 'dondoc_bench', log, persistent: false });
  try {
    await runMigrations(pg.url);
    const ds = await new DataSource(dataSourceOptions(pg.url, 4)).initialize();
    const { planIds, accountUnits } = await seedBench(ds, rows, SAMPLE_PASSWORD, log);
    await ds.destroy();
    // warn by default so the figures print clean; --log-level info adds the access log every deployment writes
    // (send stdout to a file then).
    const config = parseConfig({ NODE_ENV: 'test', DATABASE_URL: pg.url, LOG_LEVEL: flags.get('log-level') ?? 'warn', DATA_DIR: work, TEMPORAL_ADDRESS: '127.0.0.1:1' });
    const app = await createApiApp(config);
    await app.listen(0, '127.0.0.1');
    const base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    try {
      const officer = await login(base, 'xa-an-son.canbo', SAMPLE_PASSWORD);
      const leader = await login(base, 'lanhdao', SAMPLE_PASSWORD);
      const coordinator = await login(base, 'dieuphoi', SAMPLE_PASSWORD);
      const plan = planIds[0];
      const cases: [string, string, Headers][] = [
        // The session check alone: what every authenticated request costs before its own work.
        ['floor: /api/auth/me', '/api/auth/me', officer],
        ['inbox (one unit, page 1)', '/api/inbox', officer],
        ['inbox (one unit, plan + overdue filter)', `/api/inbox?planId=${plan}&timeliness=open_overdue`, officer],
        ['inbox (district-wide, no filter)', '/api/inbox', coordinator],
        ['inbox (district-wide, overdue filter)', '/api/inbox?timeliness=open_overdue', coordinator],
        ...DASHBOARDS.map((e): [string, string, Headers] => [`dashboard/${e}`, `/api/dashboard/${e}?planId=${plan}`, leader]),
      ];
      const mix = (await (await fetch(`${base}/api/dashboard/summary?planId=${plan}`, { headers: leader })).json()) as { total: number; counts: Record<string, number> };
      const inbox = (await (await fetch(`${base}/api/inbox?status=${STATUSES}`, { headers: officer })).json()) as { total: number };
      const all = (await (await fetch(`${base}/api/inbox`, { headers: coordinator })).json()) as { total: number };
      log(`${rows} assignments: ${planIds.length} plans, ${DISTRICTS} districts × ${DISTRICT_UNITS} units`);
      log(`measured plan: ${mix.total} open or done assignments ${JSON.stringify(mix.counts)}; measured inbox: ${inbox.total} rows; district-wide inbox: ${all.total} rows`);
      log(`${requests} sequential requests each after 20 warm-up:`);
      for (const [label, path, headers] of cases) {
        const m = await measure(base, path, headers, requests);
        log(`  ${label.padEnd(42)} p50 ${m.p50.toFixed(1).padStart(7)} ms   p95 ${m.p95.toFixed(1).padStart(7)} ms   (${m.bytes} bytes)`);
      }
      if (concurrent > 0) {
        const users = await signInUsers(base, SAMPLE_PASSWORD, accountUnits, concurrent);
        const cases = loadCases(planIds, users);
        // The users as people use the pages first, then the same users with no pause: the capacity.
        for (const think of thinkMs > 0 ? [thinkMs, 0] : [0]) {
          log(`${concurrent} concurrent users (${users.unit.length} unit users, ${users.district.length} district-wide users), ${seconds} s after 3 s warm-up, one API process (in this process):`);
          printLoad(await runConcurrent(base, cases, { loops: concurrent, seconds, thinkMs: think, mix: loadMix, unitUsers: users.unit.length }), log);
        }
      }
    } finally {
      await app.close();
    }
  } finally {
    await pg.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
