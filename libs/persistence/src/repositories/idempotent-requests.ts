import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** One key's row as a replay sees it (docs/idempotency.md). */
export interface IdempotentRequestRow {
  state: 'running' | 'done';
  requestHash: string;
  responseStatus: number | null;
  responseBody: unknown;
}

export interface IdempotentClaim {
  key: string;
  userId: string;
  method: string;
  path: string;
  requestHash: string;
  /** Who claims it: a fresh id per request, so a claim taken over is no longer the old owner's to complete. */
  owner: string;
  leaseMs: number;
  keepHours: number;
}

/** The `idempotent_requests` table (migration 1764580000000): the first answer to each scoped idempotency key. */
export abstract class IdempotentRequestStore {
  /**
   * Makes `owner` the key's owner when the key is new, expired, or running under a lapsed lease for the same
   * request; null when someone else holds it (or holds its answer). `tookOver`: a lapsed claim was taken.
   */
  abstract tryClaim(claim: IdempotentClaim): Promise<{ tookOver: boolean } | null>;
  abstract find(key: string): Promise<IdempotentRequestRow | null>;
  /** Extends the owner's lease while it works. */
  abstract renew(key: string, owner: string, leaseMs: number): Promise<void>;
  /** Stores the answer; a no-op when the claim was taken over meanwhile. */
  abstract complete(key: string, owner: string, status: number, body: unknown): Promise<void>;
  /** Forgets a running claim (its request failed), so the key can be tried again. */
  abstract release(key: string, owner: string): Promise<void>;
  abstract purgeExpired(): Promise<number>;
}

@Injectable()
export class TypeormIdempotentRequestStore extends IdempotentRequestStore {
  constructor(private readonly ds: DataSource) {
    super();
  }

  async tryClaim(c: IdempotentClaim): Promise<{ tookOver: boolean } | null> {
    // One statement, so two replicas claiming the same key at once cannot both win: the loser's ON CONFLICT
    // finds the winner's fresh row, which matches neither takeover condition, and returns nothing. `took_over` is
    // the lapsed-lease case only: the row the statement replaced (seen as it was before, through `prior`) had not
    // expired. Reusing an expired key is a fresh claim, not a takeover.
    const won: { took_over: boolean }[] = await this.ds.query(
      `WITH prior AS (SELECT expires_at FROM idempotent_requests WHERE key = $1)
       INSERT INTO idempotent_requests AS r (key, user_id, method, path, request_hash, state, owner, lease_until, expires_at)
       VALUES ($1, $2, $3, $4, $5, 'running', $6, now() + $7 * interval '1 millisecond', now() + $8 * interval '1 hour')
       ON CONFLICT (key) DO UPDATE SET request_hash = EXCLUDED.request_hash, state = 'running', owner = EXCLUDED.owner,
         lease_until = EXCLUDED.lease_until, response_status = NULL, response_body = NULL, created_at = now(),
         completed_at = NULL, expires_at = EXCLUDED.expires_at
       WHERE r.expires_at < now() OR (r.state = 'running' AND r.lease_until < now() AND r.request_hash = EXCLUDED.request_hash)
       RETURNING (xmax <> 0 AND EXISTS (SELECT 1 FROM prior WHERE prior.expires_at >= now())) AS took_over`,
      [c.key, c.userId, c.method, c.path, c.requestHash, c.owner, c.leaseMs, c.keepHours],
    );
    return won.length > 0 ? { tookOver: won[0]!.took_over } : null;
  }

  async find(key: string): Promise<IdempotentRequestRow | null> {
    const rows: { state: 'running' | 'done'; request_hash: string; response_status: number | null; response_body: unknown }[] = await this.ds.query(
      'SELECT state, request_hash, response_status, response_body FROM idempotent_requests WHERE key = $1',
      [key],
    );
    const row = rows[0];
    return row ? { state: row.state, requestHash: row.request_hash, responseStatus: row.response_status, responseBody: row.response_body } : null;
  }

  async renew(key: string, owner: string, leaseMs: number): Promise<void> {
    await this.ds.query(
      `UPDATE idempotent_requests SET lease_until = now() + $3 * interval '1 millisecond' WHERE key = $1 AND owner = $2 AND state = 'running'`,
      [key, owner, leaseMs],
    );
  }

  async complete(key: string, owner: string, status: number, body: unknown): Promise<void> {
    await this.ds.query(
      `UPDATE idempotent_requests SET state = 'done', response_status = $3, response_body = $4::jsonb, lease_until = NULL, completed_at = now()
        WHERE key = $1 AND owner = $2`,
      [key, owner, status, JSON.stringify(body === undefined ? null : body)],
    );
  }

  async release(key: string, owner: string): Promise<void> {
    await this.ds.query(`DELETE FROM idempotent_requests WHERE key = $1 AND owner = $2 AND state = 'running'`, [key, owner]);
  }

  async purgeExpired(): Promise<number> {
    // TypeORM answers a DELETE with [rows, affected count].
    const [, count] = (await this.ds.query('DELETE FROM idempotent_requests WHERE expires_at < now()')) as [unknown, number];
    return count;
  }
}
