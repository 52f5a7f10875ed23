// The inbox and dashboard SQL (shaped for the indexes of migration QuerySpeed: page first then rows, hour buckets
// for the timeline, a CASE for the matrix rank, the indicator reports' partial index) against a plain TypeScript
// reading of the same rows: random assignments of a throwaway plan, classified with classifyTimeliness.
// No timing here: speed is measured by `npm run bench -- queries`.
import { seededRandom } from '../support/seeded-random';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import {
  addLocalDays,
  ASSIGNMENT_STATUSES,
  type AssignmentStatus,
  classifyTimeliness,
  localDate,
  MS_PER_DAY,
  type Timeliness,
  TIMELINESS_VALUES,
  weekdayOf,
} from '@app/domain';
import {
  dataSourceOptions,
  type DashboardScope,
  type InboxFilter,
  type InboxSort,
  TIMELINESS_SEVERITY,
  TypeormAssignmentQueries,
  TypeormDashboardQueries,
} from '@app/persistence';

interface Row {
  workflowId: string;
  unitCode: string;
  itemKey: string;
  title: string;
  status: AssignmentStatus;
  deadline: Date | null;
  completedAt: Date | null;
  submittedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  indicatorValues: unknown;
}

const random = seededRandom;

const NOW = new Date(Date.UTC(2024, 4, 10, 5, 30));
const DUE_SOON_MS = 3 * MS_PER_DAY;
const UNITS = ['RQ-U1', 'RQ-U2', 'RQ-U3'];
const ITEMS = ['I.1', 'I.2', 'I.3', 'II.1', 'II.2'];
const HOUR = 3_600_000;
// Sunday 17:00 UTC is Monday 00:00 in Vietnam: instants next to it land in different local weeks.
const WEEK_EDGE = Date.UTC(2024, 3, 14, 17);

function makeRows(planId: string, n: number, rnd: () => number): Row[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const rows: Row[] = [];
  for (let i = 0; i < n; i++) {
    const status = pick(ASSIGNMENT_STATUSES);
    // Whole days around now, so many rows share a deadline and the workflow id decides their order.
    const deadline = rnd() < 0.15 ? null : new Date(NOW.getTime() + Math.round((rnd() - 0.6) * 40) * MS_PER_DAY + (rnd() < 0.2 ? HOUR : 0));
    const reportedAt = new Date((deadline ?? NOW).getTime() + Math.round((rnd() - 0.7) * 10 * MS_PER_DAY) + i);
    const submitted = status === 'submitted' || (status === 'done' && rnd() < 0.8) || (status === 'returned' && rnd() < 0.5);
    const createdAt = rnd() < 0.3 ? new Date(WEEK_EDGE + Math.round((rnd() - 0.5) * 4) * 1000) : new Date(NOW.getTime() - Math.floor(rnd() * 60 * MS_PER_DAY));
    const completedAt = status === 'done' ? (rnd() < 0.1 ? null : new Date(reportedAt.getTime() + MS_PER_DAY)) : null;
    const indicatorValues =
      status === 'done' && rnd() < 0.5
        ? rnd() < 0.1
          ? { not: 'an array' }
          : [
              { indicatorKey: pick(['K1', 'K2', 'K3']), value: Math.floor(rnd() * 100), ...(rnd() < 0.3 ? { denominator: 50 } : {}) },
              ...(rnd() < 0.3 ? [{ indicatorKey: 'K2', value: 'n/a' }] : []),
            ]
        : [];
    rows.push({
      workflowId: `rq:${planId}:${String(i).padStart(4, '0')}`,
      unitCode: pick(UNITS),
      itemKey: pick(ITEMS),
      title: `Việc ${pick(['báo cáo', 'kiểm tra', 'tuyên truyền'])} ${i % 7}`,
      status,
      deadline,
      completedAt,
      submittedAt: submitted ? reportedAt : null,
      createdAt,
      updatedAt: new Date(NOW.getTime() - Math.floor(rnd() * 30 * MS_PER_DAY) - i),
      indicatorValues,
    });
  }
  return rows;
}

const timelinessOf = (r: Row): Timeliness | null =>
  classifyTimeliness({ status: r.status, deadline: r.deadline, completedAt: r.submittedAt ?? r.completedAt, submittedAt: r.submittedAt, now: NOW, dueSoonWithinMs: DUE_SOON_MS });

const byDeadline = (dir: 1 | -1) => (a: Row, b: Row): number => {
  if (a.deadline && b.deadline && a.deadline.getTime() !== b.deadline.getTime()) return dir * (a.deadline.getTime() - b.deadline.getTime());
  if (!a.deadline !== !b.deadline) return a.deadline ? -1 : 1;
  return a.workflowId < b.workflowId ? -1 : a.workflowId > b.workflowId ? 1 : 0;
};
const SORTS: Record<InboxSort, (a: Row, b: Row) => number> = {
  deadline: byDeadline(1),
  '-deadline': byDeadline(-1),
  updated: (a, b) => b.updatedAt.getTime() - a.updatedAt.getTime() || (a.workflowId < b.workflowId ? -1 : 1),
};

function countBy<T>(xs: readonly T[], key: (x: T) => string | null): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) {
    const k = key(x);
    if (k !== null) out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

/** Monday of the instant's Vietnam week. */
function weekOf(instant: Date): string {
  const day = localDate(instant);
  return addLocalDays(day, -((weekdayOf(day) + 6) % 7));
}

describe('inbox and dashboard queries = a plain reading of the rows', () => {
  const planId = randomUUID();
  let ds: DataSource;
  let rows: Row[];
  let inbox: TypeormAssignmentQueries;
  let dashboard: TypeormDashboardQueries;

  beforeAll(async () => {
    ds = await new DataSource(dataSourceOptions(process.env.DONDOC_TEST_DATABASE_URL!, 4)).initialize();
    rows = makeRows(planId, 600, random(20240510));
    await ds.query(
      `INSERT INTO assignments (workflow_id, plan_id, item_key, kind, unit_code, period_key, title, status, deadline, completed_at,
                                state, created_at, updated_at)
       SELECT r.workflow_id, $2, r.item_key, 'responsibility', r.unit_code, 'P', r.title, r.status, r.deadline, r.completed_at,
              CASE WHEN r.submitted_at IS NULL THEN '{}'::jsonb
                   ELSE jsonb_build_object('submission', jsonb_build_object('text', 'x', 'submittedAt', r.submitted_at, 'indicatorValues', r.indicator_values)) END,
              r.created_at, r.updated_at
       FROM jsonb_to_recordset($1::jsonb) AS r(workflow_id text, item_key text, unit_code text, title text, status text, deadline timestamptz,
                                               completed_at timestamptz, submitted_at text, created_at timestamptz, updated_at timestamptz, indicator_values jsonb)`,
      [
        JSON.stringify(
          rows.map((r) => ({
            workflow_id: r.workflowId,
            item_key: r.itemKey,
            unit_code: r.unitCode,
            title: r.title,
            status: r.status,
            deadline: r.deadline,
            completed_at: r.completedAt,
            submitted_at: r.submittedAt?.toISOString() ?? null,
            created_at: r.createdAt,
            updated_at: r.updatedAt,
            indicator_values: r.indicatorValues,
          })),
        ),
        planId,
      ],
    );
    inbox = new TypeormAssignmentQueries(ds);
    dashboard = new TypeormDashboardQueries(ds);
  });

  afterAll(async () => {
    await ds?.query(`DELETE FROM assignments WHERE plan_id = $1`, [planId]);
    await ds?.destroy();
  });

  it('pages, filters and counts an inbox like the rows say', async () => {
    const cases: Partial<InboxFilter>[] = [
      { unitCodes: ['RQ-U1'] },
      { unitCodes: ['RQ-U2'], sort: '-deadline', page: 2, pageSize: 7 },
      { unitCodes: ['RQ-U3'], sort: 'updated', page: 3, pageSize: 10 },
      { unitCodes: ['RQ-U1', 'RQ-U3'], planId, timeliness: ['open_overdue', 'due_soon'] },
      { unitCodes: ['RQ-U2'], planId, statuses: ['cancelled', 'done'], sort: '-deadline' },
      { unitCodes: ['RQ-U1'], dueWithinDays: 5, pageSize: 100 },
      { unitCodes: ['RQ-U3'], q: 'kiểm', page: 2, pageSize: 5 },
      { unitCodes: ['RQ-U2'], q: 'ii.' },
      { unitCodes: null, planId, sort: 'deadline', page: 4, pageSize: 13 },
      { unitCodes: [] },
    ];
    for (const c of cases) {
      const f: InboxFilter = { unitCodes: null, sort: 'deadline', page: 1, pageSize: 20, now: NOW, dueSoonMs: DUE_SOON_MS, ...c };
      const scope = rows.filter((r) => (!f.unitCodes || f.unitCodes.includes(r.unitCode)) && (!f.planId || f.planId === planId));
      const q = f.q?.toLowerCase();
      const matching = scope
        .filter((r) => (f.statuses ? f.statuses.includes(r.status) : r.status !== 'cancelled'))
        .filter((r) => !f.timeliness || f.timeliness.includes(timelinessOf(r)!))
        .filter((r) => f.dueWithinDays === undefined || (r.status !== 'done' && r.status !== 'cancelled' && !!r.deadline && r.deadline.getTime() <= NOW.getTime() + f.dueWithinDays * MS_PER_DAY))
        .filter((r) => !q || r.title.toLowerCase().includes(q) || r.itemKey.toLowerCase().startsWith(q))
        .sort(SORTS[f.sort]);
      const got = await inbox.inbox(f);
      expect({ case: c, total: got.total, ids: got.items.map((i) => i.workflowId) }).toEqual({
        case: c,
        total: matching.length,
        ids: matching.slice((f.page - 1) * f.pageSize, f.page * f.pageSize).map((r) => r.workflowId),
      });
      expect(got.items.map((i) => i.timeliness)).toEqual(got.items.map((i) => timelinessOf(rows.find((r) => r.workflowId === i.workflowId)!)));
      expect(got.counts).toEqual({ byStatus: countBy(scope, (r) => r.status), byTimeliness: countBy(scope, timelinessOf) });
    }
  });

  it('lists overdue work most late first, paged', async () => {
    const overdue = rows.filter((r) => timelinessOf(r) === 'open_overdue').sort(SORTS.deadline);
    expect(overdue.length).toBeGreaterThan(20);
    const got = await inbox.overdue({ planId, page: 2, pageSize: 15, now: NOW, dueSoonMs: DUE_SOON_MS });
    expect(got.total).toBe(overdue.length);
    expect(got.items.map((i) => i.workflowId)).toEqual(overdue.slice(15, 30).map((r) => r.workflowId));
  });

  const scopes: [string, (r: Row) => boolean, DashboardScope][] = [
    ['the whole plan', () => true, { planId, now: NOW, dueSoonMs: DUE_SOON_MS }],
    [
      'one period',
      (r) => !!r.deadline && r.deadline >= new Date(Date.UTC(2024, 3, 20)) && r.deadline <= new Date(Date.UTC(2024, 4, 20)),
      { planId, now: NOW, dueSoonMs: DUE_SOON_MS, deadlineFrom: new Date(Date.UTC(2024, 3, 20)), deadlineTo: new Date(Date.UTC(2024, 4, 20)) },
    ],
  ];

  it.each(scopes)('aggregates %s by status, unit, item and cell', async (_label, inScope, scope) => {
    const mine = rows.filter(inScope);
    for (const key of ['status', 'unit_code', 'item_key'] as const) {
      const field = ({ status: 'status', unit_code: 'unitCode', item_key: 'itemKey' } as const)[key];
      const got = await dashboard.grouped(scope, [key]);
      const flat = (xs: { k: string; t: string | null; n: number }[]): string[] => xs.map((x) => `${x.k}|${x.t}|${x.n}`).sort();
      const expected = Object.entries(countBy(mine, (r) => `${r[field]}|${timelinessOf(r)}`)).map(([kt, n]) => `${kt}|${n}`);
      expect(flat(got.map((g) => ({ k: String(g[field]), t: g.timeliness, n: g.n })))).toEqual(expected.sort());
    }
    const cells = await dashboard.matrix(scope);
    const expectedCells = new Map<string, { total: number; done: number; worst: number }>();
    for (const r of mine) {
      const c = expectedCells.get(`${r.unitCode}|${r.itemKey}`) ?? { total: 0, done: 0, worst: Infinity };
      const t = timelinessOf(r);
      if (r.status !== 'cancelled') c.total++;
      if (r.status === 'done') c.done++;
      if (t) c.worst = Math.min(c.worst, TIMELINESS_SEVERITY.indexOf(t));
      expectedCells.set(`${r.unitCode}|${r.itemKey}`, c);
    }
    expect(cells.map((c) => `${c.unitCode}|${c.itemKey}|${c.total}|${c.done}|${c.timeliness}`).sort()).toEqual(
      [...expectedCells].map(([k, c]) => `${k}|${c.total}|${c.done}|${Number.isFinite(c.worst) ? TIMELINESS_SEVERITY[c.worst] : null}`).sort(),
    );
  });

  it.each(scopes)('draws the weekly timeline of %s in Vietnam weeks', async (_label, inScope, scope) => {
    const mine = rows.filter((r) => inScope(r) && r.status !== 'cancelled');
    const created = countBy(mine, (r) => weekOf(r.createdAt));
    const done = mine.filter((r) => r.status === 'done');
    const finished = countBy(done, (r) => weekOf(r.completedAt ?? r.updatedAt));
    const onTime = countBy(done, (r) => (timelinessOf(r) === 'done_on_time' ? weekOf(r.completedAt ?? r.updatedAt) : null));
    const first = Object.keys(created).sort()[0]!;
    const last = [...Object.keys(created), weekOf(NOW)].sort().at(-1)!;
    const expected: { date: string; total: number; done: number; doneOnTime: number }[] = [];
    let sums = { total: 0, done: 0, doneOnTime: 0 };
    for (let w = first; w <= last; w = addLocalDays(w, 7)) {
      sums = { total: sums.total + (created[w] ?? 0), done: sums.done + (finished[w] ?? 0), doneOnTime: sums.doneOnTime + (onTime[w] ?? 0) };
      expected.push({ date: w, ...sums });
    }
    const got = await dashboard.timeline(scope);
    expect(got.map((w) => ({ date: w.week, total: w.total, done: w.done, doneOnTime: w.doneOnTime }))).toEqual(expected);
  });

  it('counts each unit once per indicator, its latest accepted value', async () => {
    const latest = new Map<string, { at: number; value: number; denominator: number | null }>();
    for (const r of rows) {
      if (r.status !== 'done' || !r.submittedAt || !Array.isArray(r.indicatorValues)) continue;
      for (const v of r.indicatorValues as { indicatorKey: string; value: unknown; denominator?: number }[]) {
        if (typeof v.value !== 'number') continue;
        const key = `${v.indicatorKey}|${r.unitCode}`;
        const at = r.submittedAt.getTime();
        const seen = latest.get(key);
        if (!seen || at > seen.at) latest.set(key, { at, value: v.value, denominator: v.denominator ?? null });
      }
    }
    expect(latest.size).toBeGreaterThan(3);
    const got = await dashboard.indicatorReports({ planId, now: NOW, dueSoonMs: DUE_SOON_MS });
    expect(got.map((g) => `${g.indicatorKey}|${g.unitCode}|${g.value}|${g.denominator}`).sort()).toEqual(
      [...latest].map(([k, v]) => `${k}|${v.value}|${v.denominator}`).sort(),
    );
  });

  it('classifies every row into one of the six classes or none', () => {
    expect(new Set(rows.map(timelinessOf)).size).toBe(TIMELINESS_VALUES.length + 1);
  });
});
