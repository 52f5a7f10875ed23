import { Injectable } from '@nestjs/common';
import { type Request } from 'express';
import { AuditRepository } from '@app/persistence';

export interface AuditTarget {
  type: string;
  id: string;
}

/** Writes audit entries with the request's user, address and id filled in. */
@Injectable()
export class AuditService {
  constructor(private readonly repo: AuditRepository) {}

  record(
    req: Request,
    action: string,
    target: AuditTarget | null,
    detail: Record<string, unknown> = {},
    actor?: { id: string | null; username: string | null },
  ): Promise<void> {
    const who = actor ?? { id: req.user?.id ?? null, username: req.user?.username ?? null };
    return this.repo.record({
      userId: who.id,
      username: who.username,
      action,
      targetType: target?.type ?? null,
      targetId: target?.id ?? null,
      detail,
      ip: req.ip ?? null,
      requestId: req.id === undefined ? null : String(req.id),
    });
  }
}
