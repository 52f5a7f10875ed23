import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditLogEntity } from '../entities/audit-log.entity';
import { type Page } from './user.repository';

export interface AuditEntry {
  userId: string | null;
  username: string | null;
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  detail?: Record<string, unknown>;
  ip?: string | null;
  requestId?: string | null;
}

export interface AuditListQuery {
  page: number;
  pageSize: number;
  userId?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
}

/** Port: the append-only audit trail. */
export abstract class AuditRepository {
  abstract record(entry: AuditEntry): Promise<void>;
  abstract list(query: AuditListQuery): Promise<Page<AuditLogEntity>>;
}

@Injectable()
export class TypeormAuditRepository extends AuditRepository {
  constructor(private readonly ds: DataSource) {
    super();
  }

  async record(e: AuditEntry): Promise<void> {
    await this.ds.query(
      `INSERT INTO audit_log (at, user_id, username, action, target_type, target_id, detail, ip, request_id)
       VALUES (now(), $1, $2, $3, $4, $5, $6, $7, $8)`,
      [e.userId, e.username, e.action, e.targetType ?? null, e.targetId ?? null, JSON.stringify(e.detail ?? {}), e.ip ?? null, e.requestId ?? null],
    );
  }

  async list(query: AuditListQuery): Promise<Page<AuditLogEntity>> {
    const qb = this.ds.getRepository(AuditLogEntity).createQueryBuilder('a');
    if (query.userId) qb.andWhere('a.user_id = :userId', { userId: query.userId });
    if (query.action) qb.andWhere('a.action = :action', { action: query.action });
    if (query.targetType) qb.andWhere('a.target_type = :targetType', { targetType: query.targetType });
    if (query.targetId) qb.andWhere('a.target_id = :targetId', { targetId: query.targetId });
    const [items, total] = await qb
      .orderBy('a.at', 'DESC')
      .addOrderBy('a.id', 'ASC')
      .skip((query.page - 1) * query.pageSize)
      .take(query.pageSize)
      .getManyAndCount();
    return { items, total, page: query.page, pageSize: query.pageSize };
  }
}
