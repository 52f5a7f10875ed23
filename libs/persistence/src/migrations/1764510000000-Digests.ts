import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * A unit may take one daily digest instead of separate reminders, and the leader one daily summary
 * instead of a mail per leadership escalation. Deferred notices stay in the outbox as
 * 'digest_pending' and point at the digest that covered them, so the admin view can explain where
 * a reminder went.
 */
export class Digests1764510000000 implements MigrationInterface {
  name = 'Digests1764510000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notification_preferences (
        unit_code text PRIMARY KEY,
        mode text NOT NULL DEFAULT 'immediate' CHECK (mode IN ('immediate', 'daily_digest')),
        digest_hour int NOT NULL DEFAULT 7 CHECK (digest_hour BETWEEN 0 AND 23),
        leader_summary boolean NOT NULL DEFAULT false,
        updated_by text,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // The hourly run asks "who wants their digest at this hour"; only units that opted in have a row worth reading.
    await q.query(`CREATE INDEX ix_notification_preferences_hour ON notification_preferences (digest_hour)
                   WHERE mode = 'daily_digest' OR leader_summary`);
    await q.query(`ALTER TABLE notifications ADD COLUMN covered_by text`);
    await q.query(`CREATE INDEX ix_notifications_digest_pending ON notifications (unit_code, created_at) WHERE status = 'digest_pending'`);
    await q.query(`CREATE INDEX ix_notifications_unit ON notifications (unit_code, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS ix_notifications_unit`);
    await q.query(`DROP INDEX IF EXISTS ix_notifications_digest_pending`);
    await q.query(`ALTER TABLE notifications DROP COLUMN IF EXISTS covered_by`);
    await q.query(`DROP TABLE IF EXISTS notification_preferences`);
  }
}
