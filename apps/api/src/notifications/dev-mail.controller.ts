import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { z } from 'zod';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { type CaughtMessage, readCaughtMessages } from '@app/notifications';
import { Roles } from '../auth/decorators';
import { ApiError, ApiErrorCode } from '../common/errors';
import { parse } from '../common/zod';

/**
 * A caught message's HTML came from our templates, but it is still mail: no scripts, no remote
 * loads (tracking pixels, fonts), no forms, and it may not frame or be framed.
 */
export const CAUGHT_HTML_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/** The sink's file ids (see smtp-sink.ts): anything else cannot name a file. */
const CAUGHT_ID = /^[0-9]{13}-[0-9a-f]{12}$/;

const listQuery = z.object({
  /** Only messages with this address among To/Cc/envelope recipients. */
  to: z.string().trim().min(1).max(320).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

export interface CaughtSummary {
  id: string;
  receivedAt: string;
  from: CaughtMessage['from'];
  to: CaughtMessage['to'];
  cc: CaughtMessage['cc'];
  subject: string;
  messageId: string | null;
  outboxKey: string | null;
  attachments: CaughtMessage['attachments'];
  size: number;
}

const summaryOf = (m: CaughtMessage): CaughtSummary => ({
  id: m.id,
  receivedAt: m.receivedAt,
  from: m.from,
  to: m.to,
  cc: m.cc,
  subject: m.subject,
  messageId: m.messageId,
  outboxKey: m.headers['x-dondoc-outbox-key'] ?? null,
  attachments: m.attachments,
  size: m.size,
});

/**
 * The local demo's mailbox: what the SMTP sink of `npm start` caught, so a demo shows the mails
 * without a real mail server. Absent (404) whenever the app runs without a sink.
 */
@ApiTags('dev')
@Controller('api/dev/mail')
@Roles('admin', 'coordinator', 'leader')
export class DevMailController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get()
  @ApiOperation({ summary: 'Caught messages of the local SMTP sink, newest first (only with CAUGHT_MAIL_DIR)' })
  async list(@Query() query: unknown): Promise<{ items: CaughtSummary[]; total: number; page: number; pageSize: number }> {
    const dir = this.dir();
    const q = parse(listQuery, query);
    const wanted = q.to?.toLowerCase();
    const all = (await readCaughtMessages(dir))
      .filter((m) => !wanted || [...m.to, ...m.cc].some((a) => a.address.toLowerCase() === wanted) || m.envelope.to.some((a) => a.toLowerCase() === wanted))
      .reverse();
    const start = (q.page - 1) * q.pageSize;
    return { items: all.slice(start, start + q.pageSize).map(summaryOf), total: all.length, page: q.page, pageSize: q.pageSize };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One caught message as JSON, or its HTML body at :id.html (served under a strict CSP)' })
  async one(@Param('id') param: string, @Res({ passthrough: true }) res: Response): Promise<CaughtMessage | string> {
    const dir = this.dir();
    // One route for both forms: an id never contains a dot, so ".html" cannot be part of one.
    const html = param.endsWith('.html');
    const message = await this.read(dir, html ? param.slice(0, -'.html'.length) : param);
    if (!html) return message;
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.setHeader('Content-Security-Policy', CAUGHT_HTML_CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    return message.html;
  }

  private dir(): string {
    const dir = this.config.mail.caughtDir;
    if (!dir) throw new ApiError(ApiErrorCode.NOT_FOUND);
    return dir;
  }

  private async read(dir: string, id: string): Promise<CaughtMessage> {
    if (!CAUGHT_ID.test(id)) throw new ApiError(ApiErrorCode.NOT_FOUND);
    try {
      return JSON.parse(await readFile(join(dir, `${id}.json`), 'utf8')) as CaughtMessage;
    } catch {
      throw new ApiError(ApiErrorCode.NOT_FOUND);
    }
  }
}
