import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The outbox becomes one row per recipient that a worker really sends: who it goes to (to/cc, name,
 * locale), the rendered message, and why it failed. Urging letters attached to leadership mails are
 * kept so the same document can be downloaded later.
 */
export class Outbox1764490000000 implements MigrationInterface {
  name = 'Outbox1764490000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE notifications
        ADD COLUMN recipient_name text,
        ADD COLUMN recipient_kind text,
        ADD COLUMN recipient_locale text,
        ADD COLUMN rejected_reason text,
        ADD COLUMN last_attempt_at timestamptz`);
    // Support asks "did message <id> go out?" with the id from a recipient's mail headers.
    await q.query(`CREATE INDEX ix_notifications_message_id ON notifications (message_id) WHERE message_id IS NOT NULL`);
    await q.query(`
      CREATE TABLE urging_letters (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workflow_id text NOT NULL,
        step_key text NOT NULL,
        unit_code text NOT NULL,
        filename text NOT NULL,
        content_type text NOT NULL,
        content bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX ux_urging_letters_step ON urging_letters (workflow_id, step_key)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS urging_letters`);
    await q.query(`DROP INDEX IF EXISTS ix_notifications_message_id`);
    await q.query(`
      ALTER TABLE notifications
        DROP COLUMN IF EXISTS recipient_name,
        DROP COLUMN IF EXISTS recipient_kind,
        DROP COLUMN IF EXISTS recipient_locale,
        DROP COLUMN IF EXISTS rejected_reason,
        DROP COLUMN IF EXISTS last_attempt_at`);
  }
}
