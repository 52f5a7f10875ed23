// assignment_totals and assignment_hour_totals (migrations InboxTotals, InboxHourTotals) against a direct count over the rows, after the kinds of writes the
// projection and amendments make: upserts of new work, transitions, submissions, extensions (deadline moves),
// reassignment to another unit, cancellation, deletion, with and without folding the deltas in between. The
// direct count uses the timeliness rule of timeliness-sql.ts, which timeliness-sql.test.ts checks against the domain.
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { ASSIGNMENT_STATUSES, MS_PER_DAY } from '@app/domain';
import { assignmentTimelinessSql, dataSourceOptions, TypeormAssignmentQueries } from '@app/persistence';
import { inboxTotals } from '../../libs/persistence/src/repositories/assignment-totals';
import { seededRandom } from '../support/seeded-random';

const random = seededRandom;

const NOW = new Date(Date.UTC(2024, 4, 10, 5, 30));
const HOUR = 3_600_000;
const DUE_SOON_MS = 3 * MS_PER_DAY;
const tag = randomUUID().slice(0, 8);
const UNITS = [`IT-${tag}-A`, `IT-${tag}-B`, `IT-${tag}-C`];

type Key = string;
const keyOf = (status: string, timeliness: string | null, dueWithin: boolean): Key => `${status}|${timeliness ?? '-'}|${dueWithin}`;

/** The same figures counted row by row, in the caller's snapshot. */
async function direct(db: EntityManager, unitCode: string | null, now: Date, dueSoonMs: number, dueWithinDays: number | undefined): Promise<Map<Key, number>> {
  const due = new Date(now.getTime() + (dueWithinDays ?? 0) * MS_PER_DAY);
  const rows = await db.query<{ status: string; timeliness: string | null; due_within: boolean; n: number }[]>(
    `SELECT a.status, ${assignmentTimelinessSql('a', '$1', '$2')} AS timeliness,
            (a.status NOT IN ('done', 'cancelled') AND a.deadline IS NOT NULL AND a.deadline <= $3::timestamptz) AS due_within, count(*)::int AS n
     FROM assignments a WHERE ($4::text IS NULL OR a.unit_code = $4) GROUP BY 1, 2, 3`,
    [now, dueSoonMs, due, unitCode],
  );
  return new Map(rows.map((r) => [keyOf(r.status, r.timeliness, r.due_within), r.n]));
}

async function fromTotals(db: EntityManager, unitCode: string | null, now: Date, dueSoonMs: number, dueWithinDays: number | undefined): Promise<Map<Key, number>> {
  const out = new Map<Key, number>();
  for (const c of await inboxTotals(db, unitCode, now, dueSoonMs, dueWithinDays)) {
    // Without the filter the flag is computed for "due by now"; the direct count does the same.
    const k = keyOf(c.status, c.timeliness, c.dueWithin);
    out.set(k, (out.get(k) ?? 0) + c.n);
  }
  for (const [k, n] of out) if (n === 0) out.delete(k);
  return out;
}

describe('assignment_totals = a count over the rows', () => {
  let ds: DataSource;
  const rnd = random(14_2026);
  const ids: string[] = [];
  const planId = randomUUID();

  beforeAll(async () => {
    ds = await new DataSource(dataSourceOptions(process.env.DONDOC_TEST_DATABASE_URL!, 4)).initialize();
  });

  afterAll(async () => {
    await ds?.query(`DELETE FROM assignments WHERE plan_id = $1`, [planId]);
    await ds?.destroy();
  });

  /** Compares both ways of counting for the district and each unit, at instants that cut days in two. */
  async function expectSame(label: string): Promise<void> {
    const instants = [
      NOW,
      new Date(NOW.getTime() + 18.5 * HOUR),
      new Date(Date.UTC(2024, 4, 12, 0, 0)),
      new Date(NOW.getTime() - 4 * MS_PER_DAY),
      // Inside an hour that also holds deadlines a few minutes before and after it.
      new Date(NOW.getTime() + 7 * HOUR + 17 * 60_000),
    ];
    await ds.transaction('REPEATABLE READ', async (db) => {
      // The hour buckets themselves, including hours no instant below reaches.
      const hours = (sql: string) => db.query<{ hour: Date; status: string; cls: string; n: number }[]>(`${sql} ORDER BY 1, 2, 3`);
      expect(
        await hours(
          `SELECT hour, status, cls, sum(n)::int AS n FROM (SELECT hour, status, cls, n FROM assignment_hour_totals UNION ALL SELECT hour, status, cls, n FROM assignment_hour_total_deltas) x
           GROUP BY 1, 2, 3 HAVING sum(n) <> 0`,
        ),
      ).toEqual(
        await hours(
          `SELECT date_trunc('hour', a.deadline AT TIME ZONE 'UTC') AS hour, a.status, assignment_total_class(a.status, a.deadline, a.completed_at, a.submitted_at) AS cls, count(*)::int AS n
           FROM assignments a WHERE assignment_total_day(a.status, a.deadline, a.completed_at, a.submitted_at) > '-infinity'::date GROUP BY 1, 2, 3`,
        ),
      );
      for (const now of instants) {
        for (const unit of [null, ...UNITS]) {
          for (const [soon, within] of [[DUE_SOON_MS, undefined], [DUE_SOON_MS, 5], [0.5 * MS_PER_DAY, 0], [10 * MS_PER_DAY, 2], [1.5 * HOUR, 1]] as const) {
            const want = await direct(db, unit, now, soon, within);
            const got = await fromTotals(db, unit, now, soon, within);
            expect({ label, now, unit, soon, within, counts: Object.fromEntries(got) }).toEqual({ label, now, unit, soon, within, counts: Object.fromEntries(want) });
          }
        }
      }
    });
  }

  /** One upsert per row, in the shape of the projection's (assignment-read-model.ts). */
  async function upsert(workflowId: string, unitCode: string, status: string, deadline: Date | null, completedAt: Date | null, submittedAt: Date | null): Promise<void> {
    await ds.query(
      `INSERT INTO assignments (workflow_id, plan_id, item_key, kind, unit_code, period_key, title, status, deadline, completed_at, state)
       VALUES ($1, $2, 'I.1', 'responsibility', $3, 'P', 'Việc', $4, $5, $6, $7)
       ON CONFLICT (workflow_id) DO UPDATE SET unit_code = EXCLUDED.unit_code, status = EXCLUDED.status, deadline = EXCLUDED.deadline,
         completed_at = EXCLUDED.completed_at, state = EXCLUDED.state, updated_at = now()`,
      [workflowId, planId, unitCode, status, deadline, completedAt, submittedAt ? JSON.stringify({ submission: { text: 'x', submittedAt: submittedAt.toISOString() } }) : '{}'],
    );
  }

  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  // Deadlines around NOW, many on the days and hours the instants above cut: half on whole hours (some exactly at
  // an instant), half some minutes into an hour (some in the hour an instant falls in, before or after it).
  const someDeadline = (): Date | null =>
    rnd() < 0.1 ? null : new Date(NOW.getTime() + Math.round((rnd() - 0.5) * 14 * 24) * HOUR + (rnd() < 0.5 ? Math.floor(rnd() * 60) * 60_000 : 0));

  it('counts the same after inserts, one by one and in bulk', async () => {
    for (let i = 0; i < 120; i++) {
      const id = `it-totals:${planId}:${i}`;
      ids.push(id);
      const status = pick(ASSIGNMENT_STATUSES);
      const deadline = someDeadline();
      const submitted = status === 'submitted' || (status === 'done' && rnd() < 0.7) ? new Date(NOW.getTime() + (rnd() - 0.6) * 10 * MS_PER_DAY) : null;
      await upsert(id, pick(UNITS), status, deadline, status === 'done' && rnd() < 0.8 ? new Date(NOW.getTime() - rnd() * 5 * MS_PER_DAY) : null, submitted);
    }
    // A bulk statement, as a seed or an activation batch would write.
    await ds.query(
      `INSERT INTO assignments (workflow_id, plan_id, item_key, kind, unit_code, period_key, title, status, deadline)
       SELECT 'it-totals:' || $1::text || ':bulk:' || g, $1::uuid, 'I.2', 'responsibility', ($2::text[])[1 + g % 3], 'P', 'Việc', ($3::text[])[1 + g % 4],
              $4::timestamptz + (g % 97 - 48) * interval '3 hours'
       FROM generate_series(1, 400) g`,
      [planId, UNITS, ['assigned', 'in_progress', 'acknowledged', 'returned'], NOW],
    );
    await expectSame('inserted');
    await ds.query('SELECT fold_assignment_totals(), fold_assignment_hour_totals()');
    await expectSame('inserted, folded');
  });

  it('counts the same after transitions, extensions, reassignment, cancellation and deletion', async () => {
    for (let round = 0; round < 3; round++) {
      for (const id of ids) {
        const r = rnd();
        if (r < 0.25) {
          // A transition, possibly a submission or its approval.
          const status = pick(ASSIGNMENT_STATUSES);
          const deadline = (await ds.query<{ deadline: Date | null }[]>(`SELECT deadline FROM assignments WHERE workflow_id = $1`, [id]))[0]!.deadline;
          await upsert(id, pick(UNITS), status, deadline, status === 'done' && rnd() < 0.7 ? NOW : null, rnd() < 0.5 ? new Date(NOW.getTime() - rnd() * MS_PER_DAY) : null);
        } else if (r < 0.35) {
          // An extension: the deadline moves, nothing else.
          await ds.query(`UPDATE assignments SET deadline = deadline + interval '2 days' + $2 * interval '1 hour' WHERE workflow_id = $1`, [id, Math.floor(rnd() * 30)]);
        } else if (r < 0.4) {
          // An amendment that hands the duty to another unit.
          await ds.query(`UPDATE assignments SET unit_code = $2 WHERE workflow_id = $1`, [id, pick(UNITS)]);
        } else if (r < 0.45) {
          await ds.query(`UPDATE assignments SET status = 'cancelled' WHERE workflow_id = $1`, [id]);
        } else if (r < 0.5) {
          // Progress only: no delta at all.
          await ds.query(`UPDATE assignments SET progress = progress + 1, escalation_level = escalation_level + 1 WHERE workflow_id = $1`, [id]);
        }
      }
      // An amendment that cancels a duty everywhere, in one statement, and a deletion of part of the bulk rows.
      await ds.query(`UPDATE assignments SET status = 'cancelled' WHERE plan_id = $1 AND item_key = 'I.2' AND workflow_id LIKE $2`, [planId, `%:bulk:${round}%`]);
      await ds.query(`DELETE FROM assignments WHERE plan_id = $1 AND workflow_id LIKE $2`, [planId, `%:bulk:${round + 5}%`]);
      await expectSame(`round ${round}`);
      if (round !== 1) await ds.query('SELECT fold_assignment_totals(), fold_assignment_hour_totals()');
      await expectSame(`round ${round}, folded`);
    }
    // Recomputed from the rows (what a migration or a bulk load does): the same figures again.
    await ds.query('SELECT rebuild_assignment_totals(), rebuild_assignment_hour_totals()');
    await expectSame('rebuilt');
  });

  it('gives the inbox of a unit the counts and total of its rows', async () => {
    const queries = new TypeormAssignmentQueries(ds);
    for (const unit of UNITS) {
      for (const filter of [{}, { statuses: ['cancelled', 'done'] as const }, { timeliness: ['open_overdue', 'due_soon'] as const }, { dueWithinDays: 4 }]) {
        const got = await queries.inbox({ unitCodes: [unit], sort: 'deadline', page: 1, pageSize: 5, now: NOW, dueSoonMs: DUE_SOON_MS, ...filter, statuses: filter.statuses ? [...filter.statuses] : undefined, timeliness: filter.timeliness ? [...filter.timeliness] : undefined });
        // The same inbox with a plan filter is counted row by row (the path without totals).
        const rows = await queries.inbox({ unitCodes: [unit], planId, sort: 'deadline', page: 1, pageSize: 5, now: NOW, dueSoonMs: DUE_SOON_MS, ...filter, statuses: filter.statuses ? [...filter.statuses] : undefined, timeliness: filter.timeliness ? [...filter.timeliness] : undefined });
        expect({ unit, filter, total: got.total, counts: got.counts, ids: got.items.map((i) => i.workflowId) }).toEqual({ unit, filter, total: rows.total, counts: rows.counts, ids: rows.items.map((i) => i.workflowId) });
        expect(got.total).toBeGreaterThan(0);
      }
    }
  });
});
