import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Req, UploadedFile, UseFilters, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Request } from 'express';
import {
  importFileFields as importFileBody,
  importJsonBody,
  planEditBody as editBody,
  planEditsQuery as editsQuery,
  planListQuery as listQuery,
  resolveWarningBody as resolveBody,
  warningParams,
} from '@app/contracts';
import { Roles } from '../auth/decorators';
import { ApiError, ApiErrorCode } from '../common/errors';
import { RateLimited } from '../common/rate-limit';
import { parse } from '../common/zod';
import { actorOf, isUnitUser } from './actor';
import { PlanErrorFilter } from './plan-errors';
import { PlansService } from './plans.service';

/** The parts of an uploaded file we read; multer's memory storage fills them. */
interface UploadedPlanFile {
  originalname: string;
  buffer: Buffer;
  size: number;
}

@ApiTags('plans')
@Controller('api/plans')
@UseFilters(PlanErrorFilter)
export class PlansController {
  constructor(private readonly plans: PlansService) {}

  @Post('import')
  @Roles('coordinator', 'admin')
  @RateLimited('import')
  @ApiOperation({ summary: 'Import a plan (.pdf, scanned .pdf, .jpg/.png via OCR, .docx, .md or .txt upload in field "file", or JSON {text, format, name}) into a draft' })
  @ApiConsumes('multipart/form-data', 'application/json')
  @UseInterceptors(FileInterceptor('file'))
  importPlan(@Req() req: Request, @Body() body: unknown, @UploadedFile() file?: UploadedPlanFile) {
    if (file) {
      const { name } = parse(importFileBody, body ?? {});
      return this.plans.importPlan({ kind: 'file', buffer: file.buffer, name: name ?? file.originalname }, actorOf(req));
    }
    const { text, format, name } = parse(importJsonBody, body, { nulCheckedLater: ['text'] });
    return this.plans.importPlan({ kind: 'text', text, format, name: name ?? null }, actorOf(req));
  }

  @Get()
  @Roles('coordinator', 'leader', 'admin', 'unit_head', 'unit_officer')
  @ApiOperation({ summary: 'Plans, paged; filter by status, year and text in number or title (unit users: active plans only)' })
  list(@Req() req: Request, @Query() query: unknown) {
    const q = parse(listQuery, query);
    // Units work from active plans; drafts are the coordinator's business.
    const status = isUnitUser(req) ? 'active' : q.status;
    if (isUnitUser(req) && q.status !== undefined && q.status !== 'active') return { items: [], total: 0, page: q.page, pageSize: q.pageSize };
    return this.plans.list({ page: q.page, pageSize: q.pageSize, status, year: q.year, text: q.q, sort: q.sort, order: q.order });
  }

  @Get(':id')
  @Roles('coordinator', 'leader', 'admin', 'unit_head', 'unit_officer')
  @ApiOperation({ summary: 'A plan: document, warnings, status, revision and the numbered source text' })
  async get(@Req() req: Request, @Param('id') id: string) {
    const view = await this.plans.get(id);
    // A draft is invisible to units: the same answer as a plan that does not exist.
    if (isUnitUser(req) && view.status !== 'active') throw new ApiError(ApiErrorCode.NOT_FOUND, 'Không tìm thấy kế hoạch');
    return view;
  }

  @Get(':id/edits')
  @Roles('coordinator', 'leader', 'admin')
  @ApiOperation({ summary: 'Audit trail of a plan, oldest first, paged' })
  edits(@Param('id') id: string, @Query() query: unknown) {
    const q = parse(editsQuery, query);
    return this.plans.edits(id, q.page, q.pageSize);
  }

  @Patch(':id')
  @Roles('coordinator', 'admin')
  @ApiOperation({
    summary:
      'Edit a draft: {revision, changes: [{op?: set|remove, path, value} | {op: add, value} | {op: update, key, value} | {op: delete, key} | {op: split, key, parts} | {op: merge, keys, text?, recurrence?}]}; a stale revision is 409',
  })
  edit(@Req() req: Request, @Param('id') id: string, @Body() body: unknown) {
    const { revision, changes } = parse(editBody, body);
    return this.plans.edit(id, revision, changes, actorOf(req));
  }

  @Post(':id/warnings/:index/resolve')
  @Roles('coordinator', 'admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark an import warning as dealt with, with a note' })
  resolveWarning(@Req() req: Request, @Param('id') id: string, @Param('index') index: string, @Body() body: unknown) {
    const { note, revision } = parse(resolveBody, body);
    return this.plans.resolveWarning(id, parse(warningParams, { id, index }).index, note, actorOf(req), revision);
  }

  @Post(':id/validate')
  @Roles('coordinator', 'admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'What stands between the draft and activation: {valid, problems[]}' })
  validate(@Param('id') id: string) {
    return this.plans.validate(id);
  }
}
