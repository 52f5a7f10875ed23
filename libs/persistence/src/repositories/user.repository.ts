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

/** Port: accounts. Sign-in throttling lives in LoginThrottle (per name and address, not per account). */
export abstract class UserRepository {
  abstract findById(id: string): Promise<UserEntity | null>;
  abstract findByUsername(username: string): Promise<UserEntity | null>;
  abstract list(query: UserListQuery): Promise<Page<UserEntity>>;
  /** Null when the username is taken. */
  abstract create(user: NewUser): Promise<UserEntity | null>;
  abstract update(id: string, patch: UserPatch): Promise<UserEntity | null>;
  abstract setPasswordHash(id: string, hash: string): Promise<boolean>;
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
    const result = await this.ds.getRepository(UserEntity).update({ id }, { passwordHash: hash });
    return (result.affected ?? 0) > 0;
  }
}
