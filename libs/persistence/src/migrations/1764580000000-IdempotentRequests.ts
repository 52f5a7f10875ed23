import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Exactly-once state-changing requests (docs/idempotency.md): the first answer to each idempotency key, so a
 * request that nginx replays on another replica (or a client resends with the same Idempotency-Key) gets that
 * answer instead of doing the work again.
 *
 * `key` is already scoped: sha256 of (user id, method, path, the client's key), computed by the API, so one user's
 * key never finds another user's row. A row is 'running' while its first request is handled; its owner renews
 * `lease_until` every few seconds, so a row whose replica died is taken over once the lease lapses. 'done' rows
 * hold the response and are kept until `expires_at` (24 h); the API deletes expired rows in the background.
 */
export class IdempotentRequests1764580000000 implements MigrationInterface {
  name = 'IdempotentRequests1764580000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE idempotent_requests (
        key text PRIMARY KEY,
        user_id text NOT NULL,
        method text NOT NULL,
        path text NOT NULL,
        request_hash text NOT NULL,
        state text NOT NULL CHECK (state IN ('running', 'done')),
        owner text NOT NULL,
        lease_until timestamptz,
        response_status int,
        response_body jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz,
        expires_at timestamptz NOT NULL
      )`);
    await q.query('CREATE INDEX ix_idempotent_requests_expires_at ON idempotent_requests (expires_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE idempotent_requests');
  }
}
