import { type Timeliness } from '@app/domain';
import { assignmentTimelinessSql } from '../timeliness-sql';

/** Anything that runs SQL: a DataSource, or an EntityManager inside a transaction. */
export interface SqlRunner {
  query<T = unknown>(sql: string, params?: unknown[]): Promise<T>;
}

/** Assignments of one status and timeliness (null = cancelled), and whether they are open work due by the asked day. */
export interface TotalsCell {
  status: string;
  timeliness: Timeliness | null;
  dueWithin: boolean;
  n: number;
}

/**
 * The predicate of ix_assignments_clock_deadline (migration InboxTotals), word for word so the planner uses the
 * partial index: the rows whose totals carry a deadline day (assignment_total_day).
 */
const DAY_ROWS = `a.deadline IS NOT NULL AND (a.status NOT IN ('done', 'cancelled') OR (a.status = 'done' AND a.submitted_at IS NULL AND a.completed_at IS NULL))`;

const utcDay = (d: Date): string => d.toISOString().slice(0, 10);
/** The UTC hour a date falls in, as a `timestamp` literal (assignment_total_hour's bucket). */
const utcHour = (d: Date): string => `${d.toISOString().slice(0, 13)}:00:00`;

/**
 * Counts of the whole district (unitCode null) or of one unit by status and timeliness as of `now`, from
 * assignment_totals and its pending deltas. A stored day wholly before or after the instants that matter (now,
 * now + the due-soon window, now + dueWithinDays) classifies all its rows at once. Inside the days those instants
 * fall in, a unit reads its rows one by one (a hundred or so, from an index); the district, whose boundary days
 * hold tens of thousands of rows, classifies their other hours at once from assignment_hour_totals (migration
 * InboxHourTotals) and reads only the rows of the hours the instants fall in. The numbers are exactly those of a
 * count over the rows. See docs/read-performance.md.
 */
export async function inboxTotals(
  db: SqlRunner,
  unitCode: string | null,
  now: Date,
  dueSoonMs: number,
  dueWithinDays: number | undefined,
): Promise<TotalsCell[]> {
  const soon = new Date(now.getTime() + dueSoonMs);
  const due = new Date(now.getTime() + (dueWithinDays ?? 0) * 86_400_000);
  const boundaryDays = [...new Set([utcDay(now), utcDay(soon), utcDay(due)])];
  const boundaryHours = [...new Set([utcHour(now), utcHour(soon), utcHour(due)])];
  const district = unitCode === null;
  const params: unknown[] = [unitCode ?? '', utcDay(now), utcDay(soon), utcDay(due), boundaryDays, now, dueSoonMs, due];
  if (district) params.push(utcHour(now), utcHour(soon), utcHour(due), boundaryHours);
  const t = assignmentTimelinessSql('a', '$6', '$7');
  /** The rows of the buckets cut in two, one index range scan per bucket (an OR of ranges makes a bitmap scan that reads the table). */
  const rowsOf = (buckets: string, start: string, end: string): string =>
    `SELECT a.status, ${t}, (a.status NOT IN ('done', 'cancelled') AND a.deadline <= $8::timestamptz), count(*)
     FROM unnest(${buckets}) b(start)
     CROSS JOIN LATERAL (
       SELECT a.status, a.deadline, a.completed_at, a.submitted_at FROM assignments a
       WHERE ${district ? '' : 'a.unit_code = $1 AND '}${DAY_ROWS}
         AND a.deadline >= ${start} AND a.deadline < ${end}
     ) a
     GROUP BY 1, 2, 3`;
  const boundary = district
    ? // The boundary days by hour: whole hours classified at once, the hours of now, soon and due row by row.
      `SELECT status,
              CASE WHEN cls <> 'clock' THEN cls
                   WHEN status = 'done' THEN CASE WHEN hour < $9::timestamp THEN 'done_late' ELSE 'done_on_time' END
                   WHEN hour < $9::timestamp THEN 'open_overdue'
                   WHEN hour < $10::timestamp THEN 'due_soon'
                   ELSE 'open_on_time' END,
              (status NOT IN ('done', 'cancelled') AND hour < $11::timestamp),
              n
       FROM (
         SELECT hour, status, cls, sum(n) AS n FROM (
           SELECT h.hour, h.status, h.cls, h.n FROM unnest($5::date[]) b(day)
           CROSS JOIN LATERAL (SELECT h.hour, h.status, h.cls, h.n FROM assignment_hour_totals h WHERE h.hour >= b.day AND h.hour < b.day + 1) h
           UNION ALL
           SELECT hour, status, cls, n FROM assignment_hour_total_deltas WHERE hour::date = ANY($5::date[])
         ) x GROUP BY 1, 2, 3 HAVING sum(n) <> 0
       ) hours
       WHERE hour <> ALL($12::timestamp[])
       UNION ALL
       ${rowsOf('$12::timestamp[]', "b.start AT TIME ZONE 'UTC'", "(b.start + interval '1 hour') AT TIME ZONE 'UTC'")}`
    : rowsOf('$5::date[]', "b.start::timestamp AT TIME ZONE 'UTC'", "(b.start + 1)::timestamp AT TIME ZONE 'UTC'");
  const rows = await db.query<{ status: string; timeliness: Timeliness | null; due_within: boolean; n: string }[]>(
    `WITH cells AS (
       SELECT status, cls, day, sum(n) AS n FROM (
         SELECT status, cls, day, n FROM assignment_totals WHERE unit_code = $1
         UNION ALL
         SELECT status, cls, day, n FROM assignment_total_deltas WHERE unit_code = $1
       ) x GROUP BY 1, 2, 3 HAVING sum(n) <> 0
     )
     SELECT status,
            CASE WHEN cls = 'cancelled' THEN NULL
                 WHEN cls <> 'clock' THEN cls
                 WHEN status = 'done' THEN CASE WHEN day < $2::date THEN 'done_late' ELSE 'done_on_time' END
                 WHEN day < $2::date THEN 'open_overdue'
                 WHEN day < $3::date THEN 'due_soon'
                 ELSE 'open_on_time' END AS timeliness,
            (status NOT IN ('done', 'cancelled') AND day > '-infinity'::date AND day < $4::date) AS due_within,
            n
     FROM cells WHERE day <> ALL($5::date[])
     UNION ALL
     ${boundary}`,
    params,
  );
  return rows.map((r) => ({ status: r.status, timeliness: r.timeliness, dueWithin: r.due_within, n: Number(r.n) }));
}

/**
 * Folds the triggers' deltas into assignment_totals, at most once a second per process: the deltas of that
 * second are summed by every reader meanwhile, which stays cheap while they are few.
 */
export class TotalsFolder {
  private last = 0;
  private running: Promise<void> | null = null;

  constructor(private readonly intervalMs = 1000) {}

  async maybeFold(db: SqlRunner): Promise<void> {
    const at = Date.now();
    if (this.running || at - this.last < this.intervalMs) return;
    this.last = at;
    // A failed fold loses nothing (the deltas stay and are still summed by readers), so it must not fail a read.
    this.running = db.query('SELECT fold_assignment_totals(), fold_assignment_hour_totals()').then(
      () => undefined,
      () => undefined,
    );
    try {
      await this.running;
    } finally {
      this.running = null;
    }
  }
}
