import { createHash, randomUUID } from 'node:crypto';
import { type Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { AssignmentQueries, type AttachmentEntity, AttachmentRepository } from '@app/persistence';
import { type AuthUser } from '../auth/auth.types';
import { UnitScope } from '../auth/unit-scope';
import { ApiError, ApiErrorCode } from '../common/errors';
import { AttachmentStorage } from './attachment-storage';
import { checkFileType, decodeUploadName } from './file-types';

export interface UploadedFile {
  originalname: string;
  buffer: Buffer;
  size: number;
}

export interface AttachmentRef {
  id: string;
  name: string;
  size: number;
  contentType: string;
}

@Injectable()
export class AttachmentsService {
  constructor(
    private readonly assignments: AssignmentQueries,
    private readonly attachments: AttachmentRepository,
    private readonly storage: AttachmentStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The assignment, if this user may see it; another unit's is NOT_FOUND so ids cannot be probed. */
  private async visibleAssignment(workflowId: string, user: AuthUser): Promise<{ unitCode: string; status: string }> {
    const row = await this.assignments.ownerOf(workflowId);
    if (!row) throw new ApiError(ApiErrorCode.NOT_FOUND);
    UnitScope.of(user).assertVisible(row.unitCode);
    return row;
  }

  async upload(workflowId: string, user: AuthUser, file: UploadedFile | undefined): Promise<AttachmentRef> {
    const assignment = await this.visibleAssignment(workflowId, user);
    if (assignment.status === 'done' || assignment.status === 'cancelled') throw new ApiError(ApiErrorCode.INVALID_TRANSITION);
    if (!file) throw new ApiError(ApiErrorCode.VALIDATION_FAILED, undefined, { file: ['REQUIRED'] });
    // Path separators and control characters never reach a header or a file system.
    const name = [...decodeUploadName(file.originalname)].map((c) => (c === '/' || c === '\\' || c.charCodeAt(0) < 32 ? '_' : c)).join('').slice(0, 255);
    const type = checkFileType(name, file.buffer.subarray(0, 16));
    if (!type.ok) throw new ApiError(ApiErrorCode.VALIDATION_FAILED, undefined, { file: [type.reason] });
    const id = randomUUID();
    const { attachmentsPerAssignment: maxCount, attachmentBytesPerAssignment: maxBytes } = this.config.limits;
    await this.storage.put(id, file.buffer);
    try {
      const refused = await this.attachments.addWithinQuota(
        {
          id,
          workflowId,
          name,
          size: file.size,
          contentType: type.contentType,
          sha256: createHash('sha256').update(file.buffer).digest('hex'),
          uploadedBy: user.id,
        },
        { maxFiles: maxCount, maxBytes },
      );
      if (refused === 'files') throw new ApiError(ApiErrorCode.QUOTA_EXCEEDED, undefined, { file: [`MAX_FILES_PER_ASSIGNMENT:${maxCount}`] });
      if (refused === 'bytes') throw new ApiError(ApiErrorCode.QUOTA_EXCEEDED, undefined, { file: [`MAX_BYTES_PER_ASSIGNMENT:${maxBytes}`] });
    } catch (err) {
      // No row, no file: storage must not collect orphans when the database refuses.
      await this.storage.remove(id);
      throw err;
    }
    return { id, name, size: file.size, contentType: type.contentType };
  }

  async open(id: string, user: AuthUser): Promise<{ meta: AttachmentEntity; stream: Readable }> {
    const meta = /^[0-9a-f-]{36}$/i.test(id) ? await this.attachments.find(id) : null;
    if (!meta) throw new ApiError(ApiErrorCode.NOT_FOUND);
    await this.visibleAssignment(meta.workflowId, user);
    return { meta, stream: await this.storage.open(id) };
  }

  /** Submissions may cite only files uploaded for the same assignment. */
  async assertBelongTo(workflowId: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    if (!ids.every((id) => /^[0-9a-f-]{36}$/i.test(id))) throw new ApiError(ApiErrorCode.VALIDATION_FAILED, undefined, { attachments: ['UNKNOWN_ATTACHMENT'] });
    if ((await this.attachments.countOf(workflowId, ids)) !== new Set(ids).size) throw new ApiError(ApiErrorCode.VALIDATION_FAILED, undefined, { attachments: ['UNKNOWN_ATTACHMENT'] });
  }
}
