import { type Timeliness } from '@app/domain';

/**
 * SQL twin of classifyTimeliness (libs/domain/src/timeliness.ts). Dashboards aggregate hundreds of
 * thousands of rows, so timeliness must be computed inside PostgreSQL; this is the only place that
 * spells the rule in SQL, and test/integration/timeliness-sql.test.ts checks it against the domain
 * function on random rows. Keep the branch order identical to the TypeScript one.
 */
export interface TimelinessSqlInputs {
  /** SQL expressions (column references or placeholders), each evaluated once per row. */
  status: string;
  deadline: string;
  completedAt: string;
  submittedAt: string;
  /** A timestamptz expression, normally a bound parameter so every row of a request sees the same instant. */
  now: string;
  /** The due-soon window in milliseconds (a numeric expression). */
  dueSoonMs: string;
}

export function timelinessSql(i: TimelinessSqlInputs): string {
  const now = `(${i.now})::timestamptz`;
  return `(CASE
    WHEN ${i.status} = 'cancelled' THEN NULL
    WHEN ${i.status} = 'done' THEN
      CASE WHEN ${i.deadline} IS NULL OR COALESCE(${i.completedAt}, ${now}) <= ${i.deadline} THEN 'done_on_time' ELSE 'done_late' END
    WHEN ${i.deadline} IS NULL THEN 'no_deadline'
    WHEN ${i.status} = 'submitted' AND ${i.submittedAt} IS NOT NULL AND ${i.submittedAt} <= ${i.deadline} THEN 'open_on_time'
    WHEN ${i.deadline} < ${now} THEN 'open_overdue'
    WHEN ${i.deadline} <= ${now} + (${i.dueSoonMs}) * interval '1 millisecond' THEN 'due_soon'
    ELSE 'open_on_time'
  END)`;
}

/**
 * Timeliness of a row of `assignments` (aliased `alias`). The inputs map the read model onto the domain's:
 *  - submittedAt is the pending submission's time, kept in the `submitted_at` column by a trigger (migration
 *    Queries) from state->'submission'->>'submittedAt'.
 *  - completedAt: the domain judges 'done' by the accepted submission's time, not the reviewer's approval, so
 *    a done row uses its (last, accepted) submission's time and falls back to completed_at (approval) when an
 *    assignment was closed without a submission.
 */
export function assignmentTimelinessSql(alias: string, nowParam: string, dueSoonMsParam: string): string {
  return timelinessSql({
    status: `${alias}.status`,
    deadline: `${alias}.deadline`,
    completedAt: `COALESCE(${alias}.submitted_at, ${alias}.completed_at)`,
    submittedAt: `${alias}.submitted_at`,
    now: nowParam,
    dueSoonMs: dueSoonMsParam,
  });
}

/**
 * Order used where one class must stand for many (the dashboard matrix cell): the most alarming first.
 * Open overdue work beats late completion, which beats work about to fall due.
 */
export const TIMELINESS_SEVERITY: readonly Timeliness[] = ['open_overdue', 'done_late', 'due_soon', 'open_on_time', 'no_deadline', 'done_on_time'];

/**
 * SQL rank of a timeliness value by TIMELINESS_SEVERITY (1 = worst); NULL for cancelled rows. A simple CASE
 * (the expression is evaluated once) rather than array_position over an array literal, which builds the array
 * for every row of a plan.
 */
export function timelinessRankSql(expr: string): string {
  return `(CASE ${expr} ${TIMELINESS_SEVERITY.map((t, i) => `WHEN '${t}' THEN ${i + 1}`).join(' ')} END)`;
}
