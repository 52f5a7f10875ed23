import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Amendments of active plans. The row keeps the document before and after, so the amendment workflow
 * computes the same start/cancel/amend list however often it resumes, whatever happens to the plan later.
 * At most one amendment of a plan runs at a time (the partial unique index), so they apply in order.
 */
export class Amendments1764530000000 implements MigrationInterface {
  name = 'Amendments1764530000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE plan_amendments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        plan_id uuid NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
        from_revision int NOT NULL,
        to_revision int NOT NULL,
        before_document jsonb NOT NULL,
        after_document jsonb NOT NULL,
        changes jsonb NOT NULL,
        reason text NOT NULL,
        actor text NOT NULL,
        status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'done', 'cancelled')),
        planned jsonb NOT NULL,
        result jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX ux_plan_amendments_running ON plan_amendments (plan_id) WHERE status = 'running'`);
    await q.query(`CREATE INDEX ix_plan_amendments_plan ON plan_amendments (plan_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS plan_amendments`);
  }
}
