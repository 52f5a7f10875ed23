import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Batched email (docs/email.md, "Batches"): notices still get one outbox row per (assignment, step,
 * recipient), but they wait in a batch and go out inside one message per recipient and batch.
 * Urging letters are drafted once per late unit, plan and day and remember every assignment they cover.
 */
export class Batches1764540000000 implements MigrationInterface {
  name = 'Batches1764540000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notification_batches (
        batch_key text PRIMARY KEY,
        class text NOT NULL CHECK (class IN ('new', 'daily')),
        plan_id text NOT NULL,
        recipient text NOT NULL,
        recipient_name text NOT NULL,
        recipient_locale text NOT NULL,
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closing', 'closed')),
        first_item_at timestamptz NOT NULL DEFAULT now(),
        last_item_at timestamptz NOT NULL DEFAULT now(),
        send_after timestamptz NOT NULL,
        item_count int NOT NULL DEFAULT 0,
        message_key text,
        created_at timestamptz NOT NULL DEFAULT now(),
        closed_at timestamptz
      )`);
    await q.query(`CREATE INDEX ix_notification_batches_open ON notification_batches (send_after) WHERE status = 'open'`);
    await q.query(`ALTER TABLE notifications ADD COLUMN batch_key text`);
    await q.query(`CREATE INDEX ix_notifications_batch ON notifications (batch_key) WHERE batch_key IS NOT NULL`);
    // One letter per (plan, unit, local day); older rows keep their per-step uniqueness and no key.
    await q.query(`ALTER TABLE urging_letters ADD COLUMN letter_key text, ADD COLUMN workflow_ids text[] NOT NULL DEFAULT '{}'`);
    await q.query(`CREATE UNIQUE INDEX ux_urging_letters_key ON urging_letters (letter_key) WHERE letter_key IS NOT NULL`);
    await q.query(`CREATE INDEX ix_urging_letters_covers ON urging_letters USING gin (workflow_ids)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS ix_urging_letters_covers`);
    await q.query(`DROP INDEX IF EXISTS ux_urging_letters_key`);
    await q.query(`ALTER TABLE urging_letters DROP COLUMN IF EXISTS workflow_ids, DROP COLUMN IF EXISTS letter_key`);
    await q.query(`DROP INDEX IF EXISTS ix_notifications_batch`);
    await q.query(`ALTER TABLE notifications DROP COLUMN IF EXISTS batch_key`);
    await q.query(`DROP TABLE IF EXISTS notification_batches`);
  }
}
