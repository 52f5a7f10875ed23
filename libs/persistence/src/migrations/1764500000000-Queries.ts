import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * What the inbox, coordinator queues and dashboard read (measured by `npm run bench -- queries`).
 *
 * - `submitted_at` mirrors state->'submission'->>'submittedAt' so timeliness (which needs it) can be computed
 *   from plain columns and covered by indexes. A trigger keeps it, because the projection writes `state` as a
 *   whole and a text→timestamptz cast is not immutable, so a generated column is not allowed.
 * - No summary table: timeliness moves with the clock (open → due soon → overdue), so stored counts would be
 *   stale by the next minute. Covering indexes let a plan's rows be aggregated with index-only scans instead.
 */
export class Queries1764500000000 implements MigrationInterface {
  name = 'Queries1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE assignments ADD COLUMN submitted_at timestamptz`);
    await q.query(`
      CREATE FUNCTION assignments_submitted_at() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.submitted_at := (NEW.state->'submission'->>'submittedAt')::timestamptz;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER tg_assignments_submitted_at BEFORE INSERT OR UPDATE OF state ON assignments
      FOR EACH ROW EXECUTE FUNCTION assignments_submitted_at()`);
    await q.query(`UPDATE assignments SET submitted_at = (state->'submission'->>'submittedAt')::timestamptz WHERE state ? 'submission'`);

    // Inbox of one unit: the page comes from (unit_code, deadline) (already there); the counts read every row
    // of the unit, so they get a covering index and never touch the heap.
    await q.query(`
      CREATE INDEX ix_assignments_unit_cover ON assignments (unit_code, plan_id)
      INCLUDE (status, deadline, completed_at, submitted_at)`);
    // Dashboard of one plan: every aggregate reads these columns of all the plan's rows.
    await q.query(`
      CREATE INDEX ix_assignments_plan_cover ON assignments (plan_id, unit_code, item_key)
      INCLUDE (status, deadline, completed_at, submitted_at, created_at)`);
    // Overdue list: only open work can be overdue; the partial index stays small as plans get done.
    await q.query(`
      CREATE INDEX ix_assignments_open_plan_deadline ON assignments (plan_id, deadline)
      WHERE status NOT IN ('done', 'cancelled')`);
    await q.query(`CREATE INDEX ix_assignments_review_queue ON assignments (submitted_at) WHERE status = 'submitted'`);
    await q.query(`
      CREATE INDEX ix_assignments_pending_extension ON assignments (updated_at)
      WHERE jsonb_typeof(state->'pendingExtension') = 'object'`);

    await q.query(`
      CREATE TABLE attachments (
        id uuid PRIMARY KEY,
        workflow_id text NOT NULL,
        name text NOT NULL,
        size bigint NOT NULL,
        content_type text NOT NULL,
        sha256 text NOT NULL,
        uploaded_by uuid,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_attachments_workflow ON attachments (workflow_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS attachments`);
    for (const ix of [
      'ix_assignments_pending_extension',
      'ix_assignments_review_queue',
      'ix_assignments_open_plan_deadline',
      'ix_assignments_plan_cover',
      'ix_assignments_unit_cover',
    ]) {
      await q.query(`DROP INDEX IF EXISTS ${ix}`);
    }
    await q.query(`DROP TRIGGER IF EXISTS tg_assignments_submitted_at ON assignments`);
    await q.query(`DROP FUNCTION IF EXISTS assignments_submitted_at()`);
    await q.query(`ALTER TABLE assignments DROP COLUMN IF EXISTS submitted_at`);
  }
}
