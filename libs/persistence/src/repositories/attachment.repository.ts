import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AttachmentEntity } from '../entities/attachment.entity';

export type NewAttachment = Pick<AttachmentEntity, 'id' | 'workflowId' | 'name' | 'size' | 'contentType' | 'sha256' | 'uploadedBy'>;

/** Why an upload did not fit: the assignment's file count or its total bytes. */
export type AttachmentQuotaRefusal = 'files' | 'bytes';

/** Port: the files units attach to their assignments (metadata; the bytes live in the API's storage). */
export abstract class AttachmentRepository {
  abstract find(id: string): Promise<AttachmentEntity | null>;
  /** Stores the row if the assignment stays within both limits; otherwise stores nothing and says which limit. */
  abstract addWithinQuota(row: NewAttachment, limits: { maxFiles: number; maxBytes: number }): Promise<AttachmentQuotaRefusal | null>;
  /** How many of these distinct ids are attachments of this assignment. */
  abstract countOf(workflowId: string, ids: readonly string[]): Promise<number>;
}

@Injectable()
export class TypeormAttachmentRepository extends AttachmentRepository {
  constructor(private readonly ds: DataSource) {
    super();
  }

  find(id: string): Promise<AttachmentEntity | null> {
    return this.ds.getRepository(AttachmentEntity).findOne({ where: { id } });
  }

  addWithinQuota(row: NewAttachment, limits: { maxFiles: number; maxBytes: number }): Promise<AttachmentQuotaRefusal | null> {
    return this.ds.transaction(async (tx) => {
      // The assignment's row lock serialises uploads to it, so two at once cannot both fit under the quota.
      await tx.query(`SELECT 1 FROM assignments WHERE workflow_id = $1 FOR UPDATE`, [row.workflowId]);
      const [used] = await tx.query<{ n: number; bytes: string }[]>(
        `SELECT count(*)::int AS n, coalesce(sum(size), 0)::bigint AS bytes FROM attachments WHERE workflow_id = $1`,
        [row.workflowId],
      );
      if (used.n + 1 > limits.maxFiles) return 'files';
      if (Number(used.bytes) + row.size > limits.maxBytes) return 'bytes';
      await tx.getRepository(AttachmentEntity).insert(row);
      return null;
    });
  }

  async countOf(workflowId: string, ids: readonly string[]): Promise<number> {
    const rows = await this.ds.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM attachments WHERE workflow_id = $1 AND id = ANY($2::uuid[])`, [
      workflowId,
      [...new Set(ids)],
    ]);
    return rows[0]?.n ?? 0;
  }
}
