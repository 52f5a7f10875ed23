import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { SessionEntity } from '../entities/session.entity';
import { UserEntity } from '../entities/user.entity';

export interface NewSession {
  id: string;
  userId: string;
  csrfToken: string;
  expiresAt: Date;
  absoluteExpiresAt: Date;
  ip: string | null;
  userAgent: string | null;
}

/** Rows a DELETE/UPDATE … RETURNING gave back: TypeORM's postgres driver answers those as [rows, count]. */
function returnedRows(result: unknown): number {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0].length;
  return Array.isArray(result) ? result.length : 0;
}

/** What a request needs of its session and its user: no password hash, no timestamps it does not read. */
export interface ActiveSession {
  session: Pick<SessionEntity, 'id' | 'userId' | 'csrfToken' | 'lastSeenAt'>;
  user: Pick<UserEntity, 'id' | 'username' | 'displayName' | 'role' | 'unitCode' | 'locale'>;
}

/** Port: server-side sessions, looked up on every request. */
export abstract class SessionRepository {
  abstract create(session: NewSession): Promise<void>;
  /** The session and its user, only while unexpired and the user is enabled. */
  abstract findActive(id: string): Promise<ActiveSession | null>;
  /** Slides the expiry forward, never past the session's absolute end. */
  abstract touch(id: string, expiresAt: Date): Promise<void>;
  abstract revoke(id: string): Promise<void>;
  /** Every session of the user but `exceptId` (the one changing its own password keeps going). */
  abstract revokeAllForUser(userId: string, exceptId?: string): Promise<number>;
  /** Deletes ended sessions and counters nobody needs any more; returns the sessions deleted. */
  abstract purgeExpired(): Promise<number>;
}

interface ActiveSessionRow {
  csrf_token: string;
  last_seen_at: Date;
  user_id: string;
  username: string;
  display_name: string;
  role: UserEntity['role'];
  unit_code: string | null;
  locale: UserEntity['locale'];
}

const FIND_ACTIVE_SQL = `SELECT s.csrf_token, s.last_seen_at, u.id AS user_id, u.username, u.display_name, u.role, u.unit_code, u.locale
  FROM sessions s JOIN users u ON u.id = s.user_id
  WHERE s.id = $1 AND s.expires_at > now() AND s.absolute_expires_at > now() AND NOT u.disabled`;

/** node-postgres's pool under TypeORM: only it takes a statement name (TypeORM's query() sends every statement unnamed). */
interface PgPool {
  query<R>(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: R[] }>;
}
/** The PostgreSQL driver's pool (its public `master`, typed `any` by TypeORM); any other driver is a setup error. */
const pgPool = (ds: DataSource): PgPool => {
  if (!(ds.driver instanceof PostgresDriver)) throw new Error(`sessions need the PostgreSQL driver, not ${ds.options.type}`);
  return ds.driver.master as PgPool;
};

@Injectable()
export class TypeormSessionRepository extends SessionRepository {
  constructor(private readonly ds: DataSource) {
    super();
  }

  async create(s: NewSession): Promise<void> {
    await this.ds.getRepository(SessionEntity).insert({ ...s, lastSeenAt: new Date() });
  }

  async findActive(id: string): Promise<ActiveSession | null> {
    // Every authenticated request runs this, so it is one statement (session joined to its enabled user) read
    // without entity hydration: two ORM queries were two round trips and most of the guard's CPU
    // (docs/read-performance.md). It is also a named statement, parsed and planned once per pooled connection
    // (a primary-key lookup and a join on the users' key: the one plan is right for every id). Nothing is cached:
    // signing out, disabling a user or changing a password takes effect on the very next request on every replica.
    const { rows } = await pgPool(this.ds).query<ActiveSessionRow>({ name: 'dondoc_session_active_v1', text: FIND_ACTIVE_SQL, values: [id] });
    const r = rows[0];
    if (!r) return null;
    return {
      session: { id, userId: r.user_id, csrfToken: r.csrf_token, lastSeenAt: r.last_seen_at },
      user: { id: r.user_id, username: r.username, displayName: r.display_name, role: r.role, unitCode: r.unit_code, locale: r.locale },
    };
  }

  async touch(id: string, expiresAt: Date): Promise<void> {
    await this.ds.query(`UPDATE sessions SET expires_at = LEAST($2::timestamptz, absolute_expires_at), last_seen_at = now() WHERE id = $1`, [id, expiresAt]);
  }

  async revoke(id: string): Promise<void> {
    await this.ds.getRepository(SessionEntity).delete({ id });
  }

  async revokeAllForUser(userId: string, exceptId?: string): Promise<number> {
    return returnedRows(await this.ds.query(`DELETE FROM sessions WHERE user_id = $1 AND id IS DISTINCT FROM $2 RETURNING id`, [userId, exceptId ?? null]));
  }

  async purgeExpired(): Promise<number> {
    const purged = returnedRows(await this.ds.query(`DELETE FROM sessions WHERE expires_at <= now() OR absolute_expires_at <= now() RETURNING id`));
    // A day without failures forgets a pair's count; a rate window a day old is over whatever its length.
    await this.ds.query(`DELETE FROM login_throttle WHERE updated_at < now() - interval '1 day' AND (blocked_until IS NULL OR blocked_until < now())`);
    await this.ds.query(`DELETE FROM rate_limits WHERE window_start < now() - interval '1 day'`);
    return purged;
  }
}

export type ThrottleVerdict = { allowed: true; failures: number } | { allowed: false; retryAfterMs: number };

export interface ThrottlePolicy {
  /** Failures (attempts not yet proven right) a pair may make before it has to wait. */
  freeFailures: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * Port: sign-in throttling per (username, client address), shared by every API replica. An attempt is
 * reserved as a failure before the password is checked, in one statement, so parallel guesses cannot slip
 * past the count; a right password then clears the pair. A pair only slows itself down: a stranger at
 * another address never delays the real user.
 */
export abstract class LoginThrottle {
  abstract reserve(username: string, ip: string, policy: ThrottlePolicy): Promise<ThrottleVerdict>;
  /** The attempt was right: the pair starts over. */
  abstract clear(username: string, ip: string): Promise<void>;
  /** An administrator lifts every delay of the name, at every address; returns the pairs cleared. */
  abstract clearUser(username: string): Promise<number>;
}

@Injectable()
export class TypeormLoginThrottle extends LoginThrottle {
  constructor(private readonly ds: DataSource) {
    super();
  }

  async reserve(username: string, ip: string, policy: ThrottlePolicy): Promise<ThrottleVerdict> {
    // The n-th failure from the `freeFailures`-th on makes the pair wait base·2^(n−free), capped; a pair
    // quiet for a day starts over. The WHERE refuses (returns no row) while the pair must still wait.
    const rows: { failures: number }[] = await this.ds.query(
      `INSERT INTO login_throttle AS t (username, ip, failures, blocked_until, updated_at)
       VALUES ($1, $2, 1, CASE WHEN 1 >= $3 THEN now() + LEAST($5::float8, $4::float8) * interval '1 millisecond' END, now())
       ON CONFLICT (username, ip) DO UPDATE SET
         failures = CASE WHEN t.updated_at < now() - interval '1 day' THEN 1 ELSE t.failures + 1 END,
         blocked_until = CASE
           WHEN (CASE WHEN t.updated_at < now() - interval '1 day' THEN 1 ELSE t.failures + 1 END) >= $3
           THEN now() + LEAST($5::float8, $4::float8 * power(2, LEAST(40, (CASE WHEN t.updated_at < now() - interval '1 day' THEN 1 ELSE t.failures + 1 END) - $3))) * interval '1 millisecond'
           END,
         updated_at = now()
       WHERE t.blocked_until IS NULL OR t.blocked_until <= now()
       RETURNING failures`,
      [username.slice(0, 200), ip, policy.freeFailures, policy.baseDelayMs, policy.maxDelayMs],
    );
    if (rows.length > 0) return { allowed: true, failures: rows[0].failures };
    const [row]: { wait_ms: number }[] = await this.ds.query(
      `SELECT GREATEST(0, EXTRACT(EPOCH FROM (blocked_until - now())) * 1000)::float8 AS wait_ms FROM login_throttle WHERE username = $1 AND ip = $2`,
      [username.slice(0, 200), ip],
    );
    return { allowed: false, retryAfterMs: Math.max(1000, Math.ceil(row?.wait_ms ?? 1000)) };
  }

  async clear(username: string, ip: string): Promise<void> {
    await this.ds.query(`DELETE FROM login_throttle WHERE username = $1 AND ip = $2`, [username.slice(0, 200), ip]);
  }

  async clearUser(username: string): Promise<number> {
    return returnedRows(await this.ds.query(`DELETE FROM login_throttle WHERE username = $1 RETURNING ip`, [username.slice(0, 200)]));
  }
}

export interface RateCount {
  /** Requests in the current window, this one included. */
  count: number;
  /** Until the window ends. */
  retryAfterMs: number;
}

/**
 * Port: fixed-window counters in PostgreSQL, so every API replica counts the same requests. `hit` counts
 * one request atomically and returns the count including it; `refund` takes one back (a sign-in that
 * proved right is not a failure).
 */
export abstract class RateLimitStore {
  abstract hit(bucket: string, key: string, windowMs: number): Promise<RateCount>;
  abstract refund(bucket: string, key: string): Promise<void>;
}

@Injectable()
export class TypeormRateLimitStore extends RateLimitStore {
  constructor(private readonly ds: DataSource) {
    super();
  }

  async hit(bucket: string, key: string, windowMs: number): Promise<RateCount> {
    const [row]: { count: number; retry_ms: number }[] = await this.ds.query(
      `INSERT INTO rate_limits AS r (bucket, key, window_start, count) VALUES ($1, $2, now(), 1)
       ON CONFLICT (bucket, key) DO UPDATE SET
         count = CASE WHEN r.window_start <= now() - $3::float8 * interval '1 millisecond' THEN 1 ELSE r.count + 1 END,
         window_start = CASE WHEN r.window_start <= now() - $3::float8 * interval '1 millisecond' THEN now() ELSE r.window_start END
       RETURNING count, GREATEST(0, EXTRACT(EPOCH FROM (window_start + $3::float8 * interval '1 millisecond' - now())) * 1000)::float8 AS retry_ms`,
      [bucket, key.slice(0, 200), windowMs],
    );
    return { count: row.count, retryAfterMs: Math.ceil(row.retry_ms) };
  }

  async refund(bucket: string, key: string): Promise<void> {
    await this.ds.query(`UPDATE rate_limits SET count = count - 1 WHERE bucket = $1 AND key = $2 AND count > 0`, [bucket, key.slice(0, 200)]);
  }
}
