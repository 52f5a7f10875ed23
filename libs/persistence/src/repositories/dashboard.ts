import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type Plan, type Timeliness } from '@app/domain';
import { assignmentTimelinessSql, TIMELINESS_SEVERITY, timelinessRankSql } from '../timeliness-sql';

/** Which rows of a plan a dashboard figure counts. */
export interface DashboardScope {
  planId: string;
  now: Date;
  dueSoonMs: number;
  /** Only work due in [from, to] (a reporting period such as 2024-H1). */
  deadlineFrom?: Date;
  deadlineTo?: Date;
}

export type GroupKey = 'unit_code' | 'item_key' | 'status';

export interface GroupedCount {
  unitCode?: string;
  itemKey?: string;
  status?: string;
  /** null for cancelled rows. */
  timeliness: Timeliness | null;
  n: number;
}

export interface MatrixCellRow {
  unitCode: string;
  itemKey: string;
  total: number;
  done: number;
  /** The worst class among the cell's rows (TIMELINESS_SEVERITY); null when all are cancelled. */
  timeliness: Timeliness | null;
}

export interface IndicatorReportRow {
  indicatorKey: string;
  unitCode: string;
  value: number;
  denominator: number | null;
}

export interface WeekRow {
  /** Monday of the week, Vietnam calendar. */
  week: string;
  total: number;
  done: number;
  doneOnTime: number;
}

export interface LateAssignmentRow {
  workflowId: string;
  unitCode: string;
  unitName: string;
  itemKey: string;
  title: string;
  deadline: Date;
  escalationLevel: number;
}

/** Port: aggregates of one plan's assignments, straight from PostgreSQL (never Temporal visibility). */
export abstract class DashboardQueries {
  abstract grouped(scope: DashboardScope, keys: readonly GroupKey[]): Promise<GroupedCount[]>;
  abstract matrix(scope: DashboardScope): Promise<MatrixCellRow[]>;
  abstract indicatorReports(scope: DashboardScope): Promise<IndicatorReportRow[]>;
  abstract timeline(scope: DashboardScope): Promise<WeekRow[]>;
  abstract late(scope: DashboardScope, limit: number): Promise<LateAssignmentRow[]>;
  abstract unitNames(codes: readonly string[]): Promise<Map<string, string>>;
  /**
   * Whether the plan exists (any status) and, with `withDocument`, its parsed document: the only parts of a plan
   * a dashboard reads. null when there is no such plan.
   */
  abstract plan(planId: string, withDocument: boolean): Promise<{ document: Plan | null } | null>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** WHERE clause for a scope; the timeliness expression is added only when the statement uses it. */
function scoped(s: DashboardScope, withTimeliness: boolean): { p: Params; where: string; t: string; now: string } {
  const p = new Params();
  const conds = [`a.plan_id = ${p.add(s.planId)}`];
  if (s.deadlineFrom) conds.push(`a.deadline >= ${p.add(s.deadlineFrom)}`);
  if (s.deadlineTo) conds.push(`a.deadline <= ${p.add(s.deadlineTo)}`);
  const now = withTimeliness ? p.add(s.now) : '';
  const t = withTimeliness ? assignmentTimelinessSql('a', now, p.add(s.dueSoonMs)) : '';
  return { p, where: conds.join(' AND '), t, now };
}

const COLUMN_OF: Record<GroupKey, 'unitCode' | 'itemKey' | 'status'> = { unit_code: 'unitCode', item_key: 'itemKey', status: 'status' };

@Injectable()
export class TypeormDashboardQueries extends DashboardQueries {
  constructor(private readonly ds: DataSource) {
    super();
  }

  async grouped(scope: DashboardScope, keys: readonly GroupKey[]): Promise<GroupedCount[]> {
    const { p, where, t } = scoped(scope, true);
    const cols = keys.map((k) => `a.${k}`);
    const rows = await this.ds.query<Record<string, string | number | null>[]>(
      `SELECT ${[...cols, `${t} AS timeliness`].join(', ')}, count(*)::int AS n
       FROM assignments a WHERE ${where} GROUP BY ${[...cols.map((_, i) => String(i + 1)), String(cols.length + 1)].join(', ')}`,
      p.values,
    );
    return rows.map((r) => {
      const out: GroupedCount = { timeliness: (r.timeliness as Timeliness | null) ?? null, n: Number(r.n) };
      for (const k of keys) out[COLUMN_OF[k]] = String(r[k]);
      return out;
    });
  }

  async matrix(scope: DashboardScope): Promise<MatrixCellRow[]> {
    const { p, where, t } = scoped(scope, true);
    const rows = await this.ds.query<{ unit_code: string; item_key: string; total: number; done: number; worst: number | null }[]>(
      `SELECT a.unit_code, a.item_key,
              (count(*) FILTER (WHERE a.status <> 'cancelled'))::int AS total,
              (count(*) FILTER (WHERE a.status = 'done'))::int AS done,
              min(${timelinessRankSql(t)}) AS worst
       FROM assignments a WHERE ${where} GROUP BY 1, 2`,
      p.values,
    );
    return rows.map((r) => ({
      unitCode: r.unit_code,
      itemKey: r.item_key,
      total: r.total,
      done: r.done,
      timeliness: r.worst === null ? null : (TIMELINESS_SEVERITY[r.worst - 1] ?? null),
    }));
  }

  /**
   * Accepted values only: an assignment's state holds its latest submission, and only a 'done' one was
   * accepted by the reviewer. When a unit reported the same indicator for several periods, its most recent
   * submission counts, so a unit is counted once per indicator.
   */
  async indicatorReports(scope: DashboardScope): Promise<IndicatorReportRow[]> {
    const { p, where } = scoped(scope, false);
    // The conditions on the submission's values change nothing (other rows have no elements) but name the
    // predicate of ix_assignments_plan_indicator_reports (migration QuerySpeed) word for word, so only the rows
    // that hold values are read.
    const rows = await this.ds.query<{ indicator_key: string; unit_code: string; value: string; denominator: string | null }[]>(
      `SELECT DISTINCT ON (v->>'indicatorKey', a.unit_code)
              v->>'indicatorKey' AS indicator_key, a.unit_code, v->>'value' AS value, v->>'denominator' AS denominator
       FROM assignments a
       CROSS JOIN LATERAL jsonb_array_elements(
         CASE WHEN jsonb_typeof(a.state->'submission'->'indicatorValues') = 'array' THEN a.state->'submission'->'indicatorValues' ELSE '[]'::jsonb END
       ) v
       WHERE ${where} AND a.status = 'done' AND jsonb_typeof(a.state->'submission'->'indicatorValues') = 'array'
         AND a.state->'submission'->'indicatorValues' <> '[]'::jsonb AND jsonb_typeof(v->'value') = 'number'
       ORDER BY v->>'indicatorKey', a.unit_code, a.submitted_at DESC NULLS LAST`,
      p.values,
    );
    return rows.map((r) => ({
      indicatorKey: r.indicator_key,
      unitCode: r.unit_code,
      value: Number(r.value),
      denominator: r.denominator === null ? null : Number(r.denominator),
    }));
  }

  /**
   * Cumulative weekly series: total = work assigned by the end of the week, done = work done by then (at its
   * completion instant), doneOnTime = the part of it done by its deadline. Weeks are Monday-based in Vietnam
   * time, from the first assignment's week to the current one.
   *
   * Converting each row's instants to a Vietnam week was most of the cost, so the rows are first counted by the
   * UTC hour of their creation and of their completion (plain arithmetic, one pass of the plan's covering index
   * with a grouping set for each), and only those hours are converted. An hour never straddles the start of a
   * local week because Vietnam's offset is a whole number of hours (UTC+7 without daylight saving since 1975, which
   * libs/domain's time functions also rely on).
   */
  async timeline(scope: DashboardScope): Promise<WeekRow[]> {
    const { p, where, t, now } = scoped(scope, true);
    const week = (col: string): string => `date_trunc('week', (${col}) AT TIME ZONE 'Asia/Ho_Chi_Minh')::date`;
    const hour = (col: string): string => `date_bin('1 hour', ${col}, TIMESTAMPTZ '2000-01-01 00:00:00+00')`;
    const rows = await this.ds.query<{ week: string; total: number; done: number; done_on_time: number }[]>(
      `WITH hours AS (
         SELECT ${hour('a.created_at')} AS created_hour,
                CASE WHEN a.status = 'done' THEN ${hour('COALESCE(a.completed_at, a.updated_at)')} END AS done_hour,
                count(*)::int AS n, (count(*) FILTER (WHERE ${t} = 'done_on_time'))::int AS on_time
         FROM assignments a WHERE ${where} AND a.status <> 'cancelled'
         GROUP BY GROUPING SETS ((1), (2))
       ),
       -- created_at is never null, so a row of the first set has created_hour and one of the second has not.
       created AS (SELECT ${week('created_hour')} AS w, sum(n)::int AS n FROM hours WHERE created_hour IS NOT NULL GROUP BY 1),
       finished AS (
         SELECT ${week('done_hour')} AS w, sum(n)::int AS n, sum(on_time)::int AS on_time
         FROM hours WHERE done_hour IS NOT NULL GROUP BY 1
       ),
       weeks AS (
         SELECT generate_series(
           (SELECT min(w) FROM created),
           GREATEST((SELECT max(w) FROM created), ${week(`${now}::timestamptz`)}),
           interval '1 week')::date AS w
       )
       SELECT to_char(weeks.w, 'YYYY-MM-DD') AS week,
              (sum(COALESCE(created.n, 0)) OVER (ORDER BY weeks.w))::int AS total,
              (sum(COALESCE(finished.n, 0)) OVER (ORDER BY weeks.w))::int AS done,
              (sum(COALESCE(finished.on_time, 0)) OVER (ORDER BY weeks.w))::int AS done_on_time
       FROM weeks LEFT JOIN created ON created.w = weeks.w LEFT JOIN finished ON finished.w = weeks.w
       ORDER BY weeks.w`,
      p.values,
    );
    return rows.map((r) => ({ week: r.week, total: r.total, done: r.done, doneOnTime: r.done_on_time }));
  }

  async late(scope: DashboardScope, limit: number): Promise<LateAssignmentRow[]> {
    const { p, where, t, now } = scoped(scope, true);
    const rows = await this.ds.query<{ workflow_id: string; unit_code: string; unit_name: string | null; item_key: string; title: string; deadline: Date; escalation_level: number }[]>(
      `SELECT a.workflow_id, a.unit_code, u.name AS unit_name, a.item_key, a.title, a.deadline, a.escalation_level
       FROM assignments a LEFT JOIN units u ON u.code = a.unit_code
       WHERE ${where} AND a.status NOT IN ('done', 'cancelled') AND a.deadline < ${now}::timestamptz AND ${t} = 'open_overdue'
       ORDER BY a.deadline, a.unit_code, a.item_key LIMIT ${p.add(limit)}`,
      p.values,
    );
    return rows.map((r) => ({
      workflowId: r.workflow_id,
      unitCode: r.unit_code,
      unitName: r.unit_name ?? r.unit_code,
      itemKey: r.item_key,
      title: r.title,
      deadline: r.deadline,
      escalationLevel: r.escalation_level,
    }));
  }

  async unitNames(codes: readonly string[]): Promise<Map<string, string>> {
    if (codes.length === 0) return new Map();
    const rows = await this.ds.query<{ code: string; name: string }[]>(`SELECT code, name FROM units WHERE code = ANY($1::text[])`, [codes]);
    return new Map(rows.map((r) => [r.code, r.name]));
  }

  async plan(planId: string, withDocument: boolean): Promise<{ document: Plan | null } | null> {
    // Not the PlanRepository's entity: each dashboard request asked for it only to answer 404 or to read the
    // item titles and indicators, and hydrating the whole row (source text, warnings) through the ORM was a
    // visible share of a dashboard's CPU under load (docs/read-performance.md).
    if (!UUID.test(planId)) return null;
    const rows = await this.ds.query<{ document?: Plan }[]>(`SELECT ${withDocument ? 'document' : '1 AS found'} FROM plans WHERE id = $1::uuid`, [planId]);
    if (!rows[0]) return null;
    return { document: withDocument ? (rows[0].document ?? null) : null };
  }
}
