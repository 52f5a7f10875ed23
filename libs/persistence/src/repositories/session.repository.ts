import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SessionEntity } from '../entities/session.entity';
import { UserEntity } from '../entities/user.entity';

export interface NewSession {
  id: string;
  userId: string;
  csrfToken: string;
  expiresAt: Date;
  ip: string | null;
  userAgent: string | null;
}

/** Port: server-side sessions, looked up on every request. */
export abstract class SessionRepository {
  abstract create(session: NewSession): Promise<void>;
  /** The session and its user, only while unexpired and the user is enabled. */
  abstract findActive(id: string): Promise<{ session: SessionEntity; user: UserEntity } | null>;
  /** Slides the expiry forward. */
  abstract touch(id: string, expiresAt: Date): Promise<void>;
  abstract revoke(id: string): Promise<void>;
  abstract revokeAllForUser(userId: string): Promise<number>;
  abstract purgeExpired(): Promise<number>;
}

@Injectable()
export class TypeormSessionRepository extends SessionRepository {
  constructor(private readonly ds: DataSource) {
    super();
  }

  async create(s: NewSession): Promise<void> {
    await this.ds.getRepository(SessionEntity).insert({ ...s, lastSeenAt: new Date() });
  }

  async findActive(id: string): Promise<{ session: SessionEntity; user: UserEntity } | null> {
    const session = await this.ds
      .getRepository(SessionEntity)
      .createQueryBuilder('s')
      .where('s.id = :id', { id })
      .andWhere('s.expires_at > now()')
      .getOne();
    if (!session) return null;
    const user = await this.ds.getRepository(UserEntity).findOne({ where: { id: session.userId } });
    if (!user || user.disabled) return null;
    return { session, user };
  }

  async touch(id: string, expiresAt: Date): Promise<void> {
    await this.ds.getRepository(SessionEntity).update({ id }, { expiresAt, lastSeenAt: new Date() });
  }

  async revoke(id: string): Promise<void> {
    await this.ds.getRepository(SessionEntity).delete({ id });
  }

  async revokeAllForUser(userId: string): Promise<number> {
    const result = await this.ds.getRepository(SessionEntity).delete({ userId });
    return result.affected ?? 0;
  }

  async purgeExpired(): Promise<number> {
    const rows: unknown[] = await this.ds.query(`DELETE FROM sessions WHERE expires_at <= now() RETURNING id`);
    return rows.length;
  }
}

/** Port: failed sign-ins per IP and per name, shared by every API replica through PostgreSQL. */
export abstract class LoginFailureLog {
  abstract record(ip: string, username: string): Promise<void>;
  abstract countByIpSince(ip: string, since: Date): Promise<number>;
  abstract countByUsernameSince(username: string, since: Date): Promise<number>;
}

@Injectable()
export class TypeormLoginFailureLog extends LoginFailureLog {
  constructor(private readonly ds: DataSource) {
    super();
  }

  async record(ip: string, username: string): Promise<void> {
    await this.ds.query(`INSERT INTO login_failures (ip, username, at) VALUES ($1, $2, now())`, [ip, username.slice(0, 200)]);
    // Failures are rare, so pruning here keeps the table small without a scheduled job.
    await this.ds.query(`DELETE FROM login_failures WHERE at < now() - interval '1 day'`);
  }

  async countByIpSince(ip: string, since: Date): Promise<number> {
    const [{ n }]: { n: number }[] = await this.ds.query(`SELECT count(*)::int AS n FROM login_failures WHERE ip = $1 AND at >= $2`, [ip, since]);
    return n;
  }

  async countByUsernameSince(username: string, since: Date): Promise<number> {
    const [{ n }]: { n: number }[] = await this.ds.query(`SELECT count(*)::int AS n FROM login_failures WHERE username = $1 AND at >= $2`, [
      username,
      since,
    ]);
    return n;
  }
}
