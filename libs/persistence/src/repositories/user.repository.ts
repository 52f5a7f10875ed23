import { Injectable } from '@nestjs/common';
import { Brackets, DataSource } from 'typeorm';
import { UserEntity, type UserLocale, type UserRole } from '../entities/user.entity';

export interface NewUser {
  username: string;
  displayName: string;
  email: string | null;
  passwordHash: string;
  role: UserRole;
  unitCode: string | null;
  locale: UserLocale;
}

export type UserPatch = Partial<Pick<UserEntity, 'displayName' | 'email' | 'role' | 'unitCode' | 'locale' | 'disabled'>>;

export interface UserListQuery {
  page: number;
  pageSize: number;
  q?: string;
  role?: UserRole;
  unitCode?: string;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** Port: accounts, including the per-account sign-in lockout counters. */
export abstract class UserRepository {
  abstract findById(id: string): Promise<UserEntity | null>;
  abstract findByUsername(username: string): Promise<UserEntity | null>;
  abstract list(query: UserListQuery): Promise<Page<UserEntity>>;
  /** Null when the username is taken. */
  abstract create(user: NewUser): Promise<UserEntity | null>;
  abstract update(id: string, patch: UserPatch): Promise<UserEntity | null>;
  abstract setPasswordHash(id: string, hash: string): Promise<boolean>;
  /** Counts one failure atomically; from the `maxAttempts`-th on, locks until `lockMs` from now. */
  abstract recordFailedLogin(id: string, maxAttempts: number, lockMs: number): Promise<{ lockedUntil: Date | null }>;
  abstract clearFailedLogins(id: string): Promise<void>;
}

@Injectable()
export class TypeormUserRepository extends UserRepository {
  constructor(private readonly ds: DataSource) {
    super();
  }

  findById(id: string): Promise<UserEntity | null> {
    return this.ds.getRepository(UserEntity).findOne({ where: { id } });
  }

  findByUsername(username: string): Promise<UserEntity | null> {
    return this.ds.getRepository(UserEntity).findOne({ where: { username: username.trim().toLowerCase() } });
  }

  async list(query: UserListQuery): Promise<Page<UserEntity>> {
    const qb = this.ds.getRepository(UserEntity).createQueryBuilder('u');
    if (query.role) qb.andWhere('u.role = :role', { role: query.role });
    if (query.unitCode) qb.andWhere('u.unit_code = :unitCode', { unitCode: query.unitCode });
    if (query.q) {
      const like = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      qb.andWhere(
        new Brackets((w) => {
          w.where('u.username ILIKE :like', { like }).orWhere('u.display_name ILIKE :like', { like }).orWhere('u.email ILIKE :like', { like });
        }),
      );
    }
    const [items, total] = await qb
      .orderBy('u.username', 'ASC')
      .skip((query.page - 1) * query.pageSize)
      .take(query.pageSize)
      .getManyAndCount();
    return { items, total, page: query.page, pageSize: query.pageSize };
  }

  async create(user: NewUser): Promise<UserEntity | null> {
    const rows: { id: string }[] = await this.ds.query(
      `INSERT INTO users (username, display_name, email, password_hash, role, unit_code, locale)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (username) DO NOTHING
       RETURNING id`,
      [user.username.toLowerCase(), user.displayName, user.email, user.passwordHash, user.role, user.unitCode, user.locale],
    );
    return rows.length === 0 ? null : this.findById(rows[0].id);
  }

  async update(id: string, patch: UserPatch): Promise<UserEntity | null> {
    if (Object.keys(patch).length > 0) await this.ds.getRepository(UserEntity).update({ id }, patch);
    return this.findById(id);
  }

  async setPasswordHash(id: string, hash: string): Promise<boolean> {
    const result = await this.ds
      .getRepository(UserEntity)
      .update({ id }, { passwordHash: hash, failedAttempts: 0, lockedUntil: null });
    return (result.affected ?? 0) > 0;
  }

  async recordFailedLogin(id: string, maxAttempts: number, lockMs: number): Promise<{ lockedUntil: Date | null }> {
    // One statement, so two replicas counting the same user's failures cannot lose an increment.
    const rows: { locked_until: Date | null }[] = await this.ds.query(
      `UPDATE users SET
         failed_attempts = CASE WHEN failed_attempts + 1 >= $2 THEN 0 ELSE failed_attempts + 1 END,
         locked_until = CASE WHEN failed_attempts + 1 >= $2 THEN now() + ($3 || ' milliseconds')::interval ELSE locked_until END
       WHERE id = $1
       RETURNING locked_until`,
      [id, maxAttempts, String(lockMs)],
    );
    const lockedUntil = rows[0]?.locked_until ?? null;
    return { lockedUntil: lockedUntil && lockedUntil.getTime() > Date.now() ? lockedUntil : null };
  }

  async clearFailedLogins(id: string): Promise<void> {
    await this.ds.query(`UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE id = $1 AND (failed_attempts <> 0 OR locked_until IS NOT NULL)`, [id]);
  }
}
