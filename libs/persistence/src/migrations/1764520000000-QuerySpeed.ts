import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Index shapes that match what the inbox and the dashboard ask (measured by `npm run bench -- queries`,
 * 1,000,000 assignments; the query plans are described next to each index).
 *
 * - Inbox of one unit: the page is read in the default order (deadline ascending, nulls last, then workflow id)
 *   straight from the index, so LIMIT stops after one page instead of sorting the unit's whole inbox; every
 *   column that filters, sorts or classifies the rows is in the index, so the facet counts and the other sorts
 *   are index-only scans and only the page's rows are fetched from the table. It replaces (unit_code, deadline),
 *   its prefix, and the unit covering index, whose (unit_code, plan_id) order also tempted the planner into a
 *   skip scan over every unit for a plan's dashboard.
 * - Dashboard of one plan: the plan covering index gains updated_at (the timeline's completion fallback), so
 *   every aggregate of a plan is an index-only scan.
 * - Open work by plan and deadline (overdue list and its count): the columns of the timeliness rule are included,
 *   so the count of a plan's overdue work reads only the open rows past their deadline, from the index. The list
 *   reads it in deadline order and sorts only ties by workflow id (a key column would triple the index's size).
 * - Indicator reports: only accepted submissions with indicator values, a small part of a plan's rows. The
 *   dashboard query repeats the predicate word for word (PostgreSQL uses a partial index only when the query's
 *   conditions contain its predicate).
 */
export class QuerySpeed1764520000000 implements MigrationInterface {
  name = 'QuerySpeed1764520000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX ix_assignments_unit_inbox ON assignments (unit_code, deadline, workflow_id)
      INCLUDE (plan_id, status, completed_at, submitted_at, updated_at)`);
    await q.query(`DROP INDEX IF EXISTS ix_assignments_unit_cover`);
    await q.query(`DROP INDEX IF EXISTS ix_assignments_unit_deadline`);

    await q.query(`
      CREATE INDEX ix_assignments_plan_aggregates ON assignments (plan_id, unit_code, item_key)
      INCLUDE (status, deadline, completed_at, submitted_at, created_at, updated_at)`);
    await q.query(`DROP INDEX IF EXISTS ix_assignments_plan_cover`);

    await q.query(`
      CREATE INDEX ix_assignments_open_plan_overdue ON assignments (plan_id, deadline)
      INCLUDE (status, completed_at, submitted_at) WHERE status NOT IN ('done', 'cancelled')`);
    await q.query(`DROP INDEX IF EXISTS ix_assignments_open_plan_deadline`);

    await q.query(`
      CREATE INDEX ix_assignments_plan_indicator_reports ON assignments (plan_id)
      WHERE status = 'done' AND jsonb_typeof(state->'submission'->'indicatorValues') = 'array'
        AND state->'submission'->'indicatorValues' <> '[]'::jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS ix_assignments_plan_indicator_reports`);
    await q.query(`CREATE INDEX ix_assignments_open_plan_deadline ON assignments (plan_id, deadline) WHERE status NOT IN ('done', 'cancelled')`);
    await q.query(`DROP INDEX IF EXISTS ix_assignments_open_plan_overdue`);
    await q.query(`
      CREATE INDEX ix_assignments_plan_cover ON assignments (plan_id, unit_code, item_key)
      INCLUDE (status, deadline, completed_at, submitted_at, created_at)`);
    await q.query(`DROP INDEX IF EXISTS ix_assignments_plan_aggregates`);
    await q.query(`CREATE INDEX ix_assignments_unit_deadline ON assignments (unit_code, deadline)`);
    await q.query(`
      CREATE INDEX ix_assignments_unit_cover ON assignments (unit_code, plan_id)
      INCLUDE (status, deadline, completed_at, submitted_at)`);
    await q.query(`DROP INDEX IF EXISTS ix_assignments_unit_inbox`);
  }
}

