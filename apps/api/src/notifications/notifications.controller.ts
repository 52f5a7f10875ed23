import { Controller, Get, Param, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { outboxQuery as listQuery } from '@app/contracts';
import { OutboxRepository, type OutboxPage, type StoredLetter } from '@app/persistence';
import { Roles } from '../auth/decorators';
import { ApiError, ApiErrorCode } from '../common/errors';
import { parse } from '../common/zod';

/** RFC 6266: an ASCII fallback for old clients, the exact (possibly Vietnamese) name in filename*. */
export function attachmentDisposition(filename: string): string {
  const ascii = filename.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').replace(/[^A-Za-z0-9._-]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

function sendLetter(letter: StoredLetter | null, res: Response): StreamableFile {
  if (!letter) throw new ApiError(ApiErrorCode.NOT_FOUND);
  res.setHeader('Content-Disposition', attachmentDisposition(letter.filename));
  res.setHeader('Content-Type', letter.contentType);
  // Drafts name late units: keep them out of shared caches.
  res.setHeader('Cache-Control', 'private, no-store');
  return new StreamableFile(letter.content, { length: letter.content.length });
}

@ApiTags('notifications')
@Controller('api')
export class NotificationsController {
  constructor(private readonly outbox: OutboxRepository) {}

  @Get('notifications')
  @Roles('coordinator', 'admin')
  @ApiOperation({ summary: 'Outbox rows, newest first: one per recipient, failed ones with the server reason' })
  list(@Query() query: unknown): Promise<OutboxPage> {
    const q = parse(listQuery, query);
    return this.outbox.list({
      page: q.page,
      pageSize: q.pageSize,
      ...(q.status ? { status: q.status } : {}),
      ...(q.workflowId ? { workflowId: q.workflowId } : {}),
      ...(q.unitCode ? { unitCode: q.unitCode } : {}),
      ...(q.batchKey ? { batchKey: q.batchKey } : {}),
    });
  }

  @Get('letters/:id')
  @Roles('coordinator', 'admin', 'leader')
  @ApiOperation({ summary: 'An urging letter (.docx) drafted for a leadership escalation' })
  async letter(@Param('id') id: string, @Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    return sendLetter(await this.outbox.findLetter(id), res);
  }

  @Get('assignments/:workflowId/letter')
  @Roles('coordinator', 'admin', 'leader')
  @ApiOperation({ summary: 'The newest urging letter that covers an assignment (one letter per late unit and day lists all its overdue work)' })
  async letterOfAssignment(@Param('workflowId') workflowId: string, @Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    return sendLetter(await this.outbox.findLatestLetterForWorkflow(workflowId), res);
  }
}
