import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type AssignmentStatus, type Timeliness } from '@app/domain';
import { assignmentTimelinessSql } from '../timeliness-sql';
import { inboxTotals, TotalsFolder } from './assignment-totals';

/** One assignment as lists show it; `daysLeft` is left to the caller, which owns the local-calendar rule. */
export interface AssignmentListRow {
  workflowId: string;
  planId: string;
  planTitle: string;
  planNumber: string | null;
  itemKey: string;
  kind: 'responsibility' | 'report';
  title: string;
  unitCode: string;
  unitName: string;
  periodKey: string;
  periodLabel: string;
  status: AssignmentStatus;
  timeliness: Timeliness | null;
  deadline: Date | null;
  progress: number;
  escalationLevel: number;
  updatedAt: Date;
  role: string;
  completedAt: Date | null;
  submittedAt: Date | null;
  /**
   * The workflow's state (submission, pending extension, notes): read by findOne, reviewQueue and
   * extensionRequests; inbox() and overdue() leave it empty ({}), their lists show nothing of it and it is the
   * largest column of a row.
   */
  state: Record<string, unknown>;
}

export type InboxSort = 'deadline' | '-deadline' | 'updated';

export interface InboxFilter {
  /** null = every unit (district-wide roles without a unit filter). */
  unitCodes: readonly string[] | null;
  planId?: string;
  statuses?: readonly AssignmentStatus[];
  timeliness?: readonly Timeliness[];
  /** Open work whose deadline falls within this many days from now (overdue work included). */
  dueWithinDays?: number;
  q?: string;
  sort: InboxSort;
  page: number;
  pageSize: number;
  now: Date;
  dueSoonMs: number;
}

export interface InboxResult {
  items: AssignmentListRow[];
  total: number;
  counts: { byStatus: Record<string, number>; byTimeliness: Record<string, number> };
}

export interface QueueFilter {
  planId?: string;
  unitCode?: string;
  page: number;
  pageSize: number;
  now: Date;
  dueSoonMs: number;
}

export interface EventRow {
  seq: number;
  type: string;
  actor: string;
  actorName: string | null;
  at: Date;
  comment: string | null;
  data: Record<string, unknown>;
}

export interface NotificationRow {
  stepKey: string;
  kind: string;
  recipient: string | null;
  status: string;
  sentAt: Date | null;
  subject: string | null;
}

/** Port: the read side of assignments (inbox, detail, coordinator queues, overdue list). */
/** Another unit's assignment on the same duty and period (the "who else works on this" list of the detail). */
export interface TeamRow {
  workflowId: string;
  unitCode: string;
  unitName: string | null;
  role: 'lead' | 'coordinate';
  status: AssignmentStatus;
  timeliness: Timeliness | null;
  progress: number;
  progressNote: string | null;
  deadline: Date | null;
  updatedAt: Date;
}

export abstract class AssignmentQueries {
  /** The other, not cancelled assignments of the same plan, item and period, leads first, then by unit code. */
  abstract team(a: { workflowId: string; planId: string; itemKey: string; periodKey: string }, now: Date, dueSoonMs: number): Promise<TeamRow[]>;
  abstract inbox(filter: InboxFilter): Promise<InboxResult>;
  abstract ownerOf(workflowId: string): Promise<{ unitCode: string; status: AssignmentListRow['status'] } | null>;
  abstract findOne(workflowId: string, now: Date, dueSoonMs: number): Promise<AssignmentListRow | null>;
  abstract events(workflowId: string): Promise<EventRow[]>;
  abstract notifications(workflowId: string): Promise<NotificationRow[]>;
  abstract reviewQueue(filter: QueueFilter): Promise<{ items: AssignmentListRow[]; total: number }>;
  abstract extensionRequests(filter: QueueFilter): Promise<{ items: AssignmentListRow[]; total: number }>;
  abstract overdue(filter: QueueFilter & { planId: string }): Promise<{ items: AssignmentListRow[]; total: number }>;
}

/** Builds positional parameters while a query is assembled, so conditions stay next to their values. */
class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

interface RawListRow {
  workflow_id: string;
  plan_id: string;
  plan_title: string;
  plan_number: string | null;
  item_key: string;
  kind: 'responsibility' | 'report';
  title: string;
  unit_code: string;
  unit_name: string | null;
  period_key: string;
  period_label: string;
  status: AssignmentStatus;
  timeliness: Timeliness | null;
  deadline: Date | null;
  progress: number;
  escalation_level: number;
  updated_at: Date;
  role: string;
  completed_at: Date | null;
  submitted_at: Date | null;
  state: Record<string, unknown> | null;
}

const toRow = (r: RawListRow): AssignmentListRow => ({
  workflowId: r.workflow_id,
  planId: r.plan_id,
  planTitle: r.plan_title,
  planNumber: r.plan_number,
  itemKey: r.item_key,
  kind: r.kind,
  title: r.title,
  unitCode: r.unit_code,
  unitName: r.unit_name ?? r.unit_code,
  periodKey: r.period_key,
  periodLabel: r.period_label,
  status: r.status,
  timeliness: r.timeliness,
  deadline: r.deadline,
  progress: r.progress,
  escalationLevel: r.escalation_level,
  updatedAt: r.updated_at,
  role: r.role,
  completedAt: r.completed_at,
  submittedAt: r.submitted_at,
  state: r.state ?? {},
});

/** Columns of a list row; `t` is the timeliness expression of alias `a`; the state only when the caller reads it. */
function selectList(t: string, withState = true): string {
  return `a.workflow_id, a.plan_id, coalesce(p.title, '') AS plan_title, p.number AS plan_number, a.item_key, a.kind, a.title,
          a.unit_code, u.name AS unit_name, a.period_key, a.period_label, a.status, ${t} AS timeliness, a.deadline,
          a.progress, a.escalation_level, a.updated_at, a.role, a.completed_at, a.submitted_at, ${withState ? 'a.state' : 'NULL::jsonb AS state'}`;
}
const FROM_LIST = `FROM assignments a LEFT JOIN plans p ON p.id = a.plan_id LEFT JOIN units u ON u.code = a.unit_code`;

const ORDER: Record<InboxSort, string> = {
  // The workflow id breaks ties so paging is stable.
  deadline: 'a.deadline ASC NULLS LAST, a.workflow_id',
  '-deadline': 'a.deadline DESC NULLS LAST, a.workflow_id',
  updated: 'a.updated_at DESC, a.workflow_id',
};

@Injectable()
export class TypeormAssignmentQueries extends AssignmentQueries {
  private readonly folder = new TotalsFolder();

  constructor(private readonly ds: DataSource) {
    super();
  }

  async inbox(f: InboxFilter): Promise<InboxResult> {
    const p = new Params();
    const t = assignmentTimelinessSql('a', p.add(f.now), p.add(f.dueSoonMs));
    // The facet counts see the scope and plan only (docs/api-contract.md), the list sees every filter.
    const scope: string[] = [];
    // One unit (every unit user) compares with '=': only then can the planner read the unit's rows from
    // ix_assignments_unit_inbox already in deadline order and stop after the page.
    if (f.unitCodes?.length === 1) scope.push(`a.unit_code = ${p.add(f.unitCodes[0])}`);
    else if (f.unitCodes) scope.push(`a.unit_code = ANY(${p.add(f.unitCodes)}::text[])`);
    if (f.planId) scope.push(`a.plan_id = ${p.add(f.planId)}`);
    const narrow: string[] = [];
    // Cancelled work is nobody's work: hidden unless asked for by status.
    if (f.statuses?.length) narrow.push(`a.status = ANY(${p.add(f.statuses)}::text[])`);
    else narrow.push(`a.status <> 'cancelled'`);
    if (f.timeliness?.length) narrow.push(`${t} = ANY(${p.add(f.timeliness)}::text[])`);
    if (f.dueWithinDays !== undefined) {
      narrow.push(`a.status NOT IN ('done', 'cancelled') AND a.deadline <= ${p.add(f.now)}::timestamptz + ${p.add(f.dueWithinDays)} * interval '1 day'`);
    }
    if (f.q) narrow.push(`(a.title ILIKE ${p.add(`%${escapeLike(f.q)}%`)} OR a.item_key ILIKE ${p.add(`${escapeLike(f.q)}%`)})`);
    const scopeSql = scope.length ? scope.join(' AND ') : 'TRUE';
    const narrowSql = narrow.join(' AND ');

    const countsSql = `
      SELECT a.status, ${t} AS timeliness, count(*)::int AS n, (count(*) FILTER (WHERE ${narrowSql}))::int AS matching
      FROM assignments a WHERE ${scopeSql} GROUP BY 1, 2`;
    const pageParams = new Params();
    pageParams.values.push(...p.values);
    const limit = pageParams.add(f.pageSize);
    const offset = pageParams.add((f.page - 1) * f.pageSize);
    // The page is chosen first from the columns the inbox index holds (an index-only scan unless `q` asks for the
    // title), and only its rows are then read whole and joined: sorting the unit's full rows to keep twenty was
    // most of the inbox's time.
    const listSql = `
      SELECT ${selectList(t, false)}
      FROM (SELECT a.workflow_id FROM assignments a WHERE ${scopeSql} AND ${narrowSql} ORDER BY ${ORDER[f.sort]} LIMIT ${limit} OFFSET ${offset}) page
      JOIN assignments a ON a.workflow_id = page.workflow_id LEFT JOIN plans p ON p.id = a.plan_id LEFT JOIN units u ON u.code = a.unit_code
      ORDER BY ${ORDER[f.sort]}`;

    // The whole district or one unit without a plan or a text search: counts and total come from
    // assignment_totals (migration InboxTotals) instead of every row of the scope; the same numbers, see
    // docs/read-performance.md. A plan (28,800 rows at most in a district) or a text search still counts rows.
    const fromTotals = !f.planId && !f.q && (f.unitCodes === null || f.unitCodes.length === 1);
    const countRows = fromTotals ? this.totalsCounts(f) : this.ds.query<{ status: string; timeliness: string | null; n: number; matching: number }[]>(countsSql, p.values);
    const [counted, listRows] = await Promise.all([countRows, this.ds.query<RawListRow[]>(listSql, pageParams.values)]);
    const byStatus: Record<string, number> = {};
    const byTimeliness: Record<string, number> = {};
    let total = 0;
    for (const r of counted) {
      byStatus[r.status] = (byStatus[r.status] ?? 0) + r.n;
      if (r.timeliness) byTimeliness[r.timeliness] = (byTimeliness[r.timeliness] ?? 0) + r.n;
      total += r.matching;
    }
    return { items: listRows.map(toRow), total, counts: { byStatus, byTimeliness } };
  }

  /** The facet counts and the filtered total of inbox() from the totals table, in the shape of its count query. */
  private async totalsCounts(f: InboxFilter): Promise<{ status: string; timeliness: string | null; n: number; matching: number }[]> {
    // The fold runs beside this read, not before it: a reader sums the totals and the pending deltas in one
    // snapshot, so its answer is the same whether the fold has committed or not, and the request that happens to
    // start the second's fold no longer waits for that transaction (it was the slowest inbox answer each second).
    void this.folder.maybeFold(this.ds);
    const cells = await inboxTotals(this.ds, f.unitCodes?.[0] ?? null, f.now, f.dueSoonMs, f.dueWithinDays);
    // The list's conditions (the narrow filters of inbox()), applied to whole cells.
    const matches = (c: (typeof cells)[number]): boolean =>
      (f.statuses?.length ? f.statuses.includes(c.status as AssignmentStatus) : c.status !== 'cancelled') &&
      (!f.timeliness?.length || (c.timeliness !== null && f.timeliness.includes(c.timeliness))) &&
      (f.dueWithinDays === undefined || c.dueWithin);
    return cells.map((c) => ({ status: c.status, timeliness: c.timeliness, n: c.n, matching: matches(c) ? c.n : 0 }));
  }

  /** The unit and status of one assignment (what the API's scope and upload checks read), or null. */
  async team(a: { workflowId: string; planId: string; itemKey: string; periodKey: string }, now: Date, dueSoonMs: number): Promise<TeamRow[]> {
    const rows = await this.ds.query<
      Array<{
        workflow_id: string;
        unit_code: string;
        unit_name: string | null;
        role: 'lead' | 'coordinate';
        status: AssignmentStatus;
        timeliness: Timeliness | null;
        progress: number;
        progress_note: string | null;
        deadline: Date | null;
        updated_at: Date;
      }>
    >(
      `SELECT a.workflow_id, a.unit_code, u.name AS unit_name, a.role, a.status, ${assignmentTimelinessSql('a', '$5', '$6')} AS timeliness,
              a.progress, a.state->>'progressNote' AS progress_note, a.deadline, a.updated_at
       FROM assignments a LEFT JOIN units u ON u.code = a.unit_code
       WHERE a.plan_id = $1 AND a.item_key = $2 AND a.period_key = $3 AND a.workflow_id <> $4 AND a.status <> 'cancelled'
       ORDER BY a.role DESC, a.unit_code`,
      [a.planId, a.itemKey, a.periodKey, a.workflowId, now, dueSoonMs],
    );
    return rows.map((r) => ({
      workflowId: r.workflow_id,
      unitCode: r.unit_code,
      unitName: r.unit_name,
      role: r.role,
      status: r.status,
      timeliness: r.timeliness,
      progress: r.progress,
      progressNote: r.progress_note,
      deadline: r.deadline,
      updatedAt: r.updated_at,
    }));
  }

  async ownerOf(workflowId: string): Promise<{ unitCode: string; status: AssignmentListRow['status'] } | null> {
    const rows = await this.ds.query<Array<{ unit_code: string; status: AssignmentListRow['status'] }>>(
      'SELECT unit_code, status FROM assignments WHERE workflow_id = $1',
      [workflowId],
    );
    return rows[0] ? { unitCode: rows[0].unit_code, status: rows[0].status } : null;
  }

  async findOne(workflowId: string, now: Date, dueSoonMs: number): Promise<AssignmentListRow | null> {
    const rows = await this.ds.query<RawListRow[]>(
      `SELECT ${selectList(assignmentTimelinessSql('a', '$2', '$3'))} ${FROM_LIST} WHERE a.workflow_id = $1`,
      [workflowId, now, dueSoonMs],
    );
    return rows[0] ? toRow(rows[0]) : null;
  }

  async events(workflowId: string): Promise<EventRow[]> {
    // Actors are user ids or 'system'; the text comparison keeps 'system' from failing a uuid cast.
    const rows = await this.ds.query<{ seq: number; type: string; actor: string; actor_name: string | null; at: Date; comment: string | null; data: Record<string, unknown> }[]>(
      `SELECT e.seq, e.type, e.actor, us.display_name AS actor_name, e.at, e.comment, e.data
       FROM assignment_events e LEFT JOIN users us ON us.id::text = e.actor
       WHERE e.workflow_id = $1 ORDER BY e.seq`,
      [workflowId],
    );
    return rows.map((r) => ({ seq: r.seq, type: r.type, actor: r.actor, actorName: r.actor_name, at: r.at, comment: r.comment, data: r.data }));
  }

  async notifications(workflowId: string): Promise<NotificationRow[]> {
    const rows = await this.ds.query<{ step_key: string; kind: string; recipient: string | null; status: string; sent_at: Date | null; subject: string | null }[]>(
      `SELECT step_key, kind, recipient, status, sent_at, subject FROM notifications WHERE workflow_id = $1 ORDER BY created_at, recipient`,
      [workflowId],
    );
    return rows.map((r) => ({ stepKey: r.step_key, kind: r.kind, recipient: r.recipient, status: r.status, sentAt: r.sent_at, subject: r.subject }));
  }

  reviewQueue(f: QueueFilter): Promise<{ items: AssignmentListRow[]; total: number }> {
    // Oldest submission first: the unit has waited longest for an answer.
    return this.pagedList(f, `a.status = 'submitted'`, 'a.submitted_at ASC NULLS LAST, a.workflow_id', true);
  }

  extensionRequests(f: QueueFilter): Promise<{ items: AssignmentListRow[]; total: number }> {
    return this.pagedList(f, `jsonb_typeof(a.state->'pendingExtension') = 'object'`, 'a.updated_at ASC, a.workflow_id', true);
  }

  overdue(f: QueueFilter & { planId: string }): Promise<{ items: AssignmentListRow[]; total: number }> {
    // The plain predicates let the partial index on open work do the narrowing; the timeliness test is the rule.
    return this.pagedList(
      f,
      (t, now) => `a.status NOT IN ('done', 'cancelled') AND a.deadline < ${now}::timestamptz AND ${t} = 'open_overdue'`,
      'a.deadline ASC, a.workflow_id',
      false,
    );
  }

  private async pagedList(
    f: QueueFilter,
    where: string | ((timeliness: string, nowParam: string) => string),
    order: string,
    withState: boolean,
  ): Promise<{ items: AssignmentListRow[]; total: number }> {
    // Built twice with fresh parameters: PostgreSQL refuses a parameter a statement never uses, and the count
    // does not select the timeliness column.
    const build = (p: Params, withTimeliness: boolean): { t: string; whereSql: string } => {
      const needT = withTimeliness || typeof where !== 'string';
      const now = needT ? p.add(f.now) : '';
      const t = needT ? assignmentTimelinessSql('a', now, p.add(f.dueSoonMs)) : '';
      const conds = [typeof where === 'string' ? where : where(t, now)];
      if (f.planId) conds.push(`a.plan_id = ${p.add(f.planId)}`);
      if (f.unitCode) conds.push(`a.unit_code = ${p.add(f.unitCode)}`);
      return { t, whereSql: conds.join(' AND ') };
    };
    const lp = new Params();
    const list = build(lp, true);
    const limit = lp.add(f.pageSize);
    const offset = lp.add((f.page - 1) * f.pageSize);
    const cp = new Params();
    const count = build(cp, false);
    const [rows, counted] = await Promise.all([
      this.ds.query<RawListRow[]>(`SELECT ${selectList(list.t, withState)} ${FROM_LIST} WHERE ${list.whereSql} ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}`, lp.values),
      this.ds.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM assignments a WHERE ${count.whereSql}`, cp.values),
    ]);
    return { items: rows.map(toRow), total: counted[0]?.n ?? 0 };
  }
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
