import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { csvExportQuery as csvQuery, exportQuery, uuidParam as planId } from '@app/contracts';
import { buildConsolidatedCsv, buildConsolidatedWorkbook, buildSummaryReport } from '@app/documents';
import { type Plan } from '@app/domain';
import { Roles } from '../auth/decorators';
import { contentDisposition } from '../attachments/file-types';
import { RateLimited } from '../common/rate-limit';
import { parse } from '../common/zod';
import { DashboardService } from '../dashboard/dashboard.service';
import { ConsolidatedDataBuilder } from './consolidated-data';

/** A file name people recognise in their downloads folder: plan number (or slug of the title), period, date. */
function fileBase(plan: Plan, period: string | undefined, now: Date): string {
  const id = (plan.metadata.number ?? plan.metadata.title).replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '').slice(0, 60);
  return `bao-cao-${id}${period ? `-${period}` : ''}-${now.toISOString().slice(0, 10)}`;
}

@ApiTags('exports')
@Controller('api/plans')
@Roles('leader', 'coordinator', 'admin')
@RateLimited('export')
export class ExportsController {
  constructor(
    private readonly dashboard: DashboardService,
    private readonly builder: ConsolidatedDataBuilder,
  ) {}

  private async load(id: string, period: string | undefined) {
    const plan = await this.dashboard.plan(parse(planId, id));
    const scope = this.dashboard.scope(plan.id, period);
    return { plan: plan.document, scope, data: await this.builder.build(plan.document, scope) };
  }

  private send(res: Response, body: Buffer, contentType: string, name: string): void {
    res.setHeader('content-type', contentType);
    res.setHeader('content-disposition', contentDisposition(name));
    res.setHeader('cache-control', 'no-store');
    res.end(body);
  }

  @Get(':id/export.xlsx')
  @ApiOperation({ summary: 'Consolidated workbook (summary, units, responsibilities, indicators, late units)' })
  async xlsx(@Param('id') id: string, @Query() query: unknown, @Res() res: Response): Promise<void> {
    const q = parse(exportQuery, query);
    const { plan, scope, data } = await this.load(id, q.period);
    this.send(res, await buildConsolidatedWorkbook(data), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', `${fileBase(plan, q.period, scope.now)}.xlsx`);
  }

  @Get(':id/export.csv')
  @ApiOperation({ summary: 'One table of the consolidated figures as CSV (UTF-8 with BOM)' })
  async csv(@Param('id') id: string, @Query() query: unknown, @Res() res: Response): Promise<void> {
    const q = parse(csvQuery, query);
    const { plan, scope, data } = await this.load(id, q.period);
    this.send(res, buildConsolidatedCsv(data, q.table), 'text/csv; charset=utf-8', `${fileBase(plan, q.period, scope.now)}-${q.table}.csv`);
  }

  @Get(':id/report.docx')
  @ApiOperation({ summary: 'Summary report in the administrative format (draft: number and date left for the clerk)' })
  async docx(@Param('id') id: string, @Query() query: unknown, @Res() res: Response): Promise<void> {
    const q = parse(exportQuery, query);
    const { plan, scope, data } = await this.load(id, q.period);
    const meta = plan.metadata;
    const recipient = plan.reportingRules[0]?.recipientText ?? 'cấp trên';
    const body = await buildSummaryReport({
      issuer: { name: meta.issuer.toUpperCase(), textName: meta.issuer, place: placeOf(meta.issuer), numberSuffix: 'BC-UBND' },
      data,
      title: `Kết quả thực hiện ${meta.title.charAt(0).toLowerCase()}${meta.title.slice(1)}${q.period ? ` (kỳ ${q.period})` : ''}`,
      recipient,
      signer: { authority: meta.signer?.onBehalfOf ?? undefined, title: meta.signer?.position ?? 'CHỦ TỊCH', name: meta.signer?.name ?? '' },
    });
    this.send(res, body, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', `${fileBase(plan, q.period, scope.now)}.docx`);
  }
}

/** "UBND huyện Văn Quan" → "Văn Quan", the place name of the date line. */
function placeOf(issuer: string): string {
  const m = /(?:huyện|thị xã|thành phố|tỉnh|xã|phường|thị trấn)\s+(.+)$/i.exec(issuer);
  return m?.[1]?.trim() ?? issuer;
}
