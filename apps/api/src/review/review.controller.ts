import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AssignmentListItem, type ExtensionRequest, type Paged, queueQuery } from '@app/contracts';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { AssignmentQueries } from '@app/persistence';
import { Roles } from '../auth/decorators';
import { parse } from '../common/zod';
import { dueSoonMs, toListItem } from '../inbox/list-item';

/**
 * The coordinator's queues. Plans record no owning coordinator (one district office coordinates them all),
 * so every coordinator sees every plan's queue; planId narrows it.
 */
@ApiTags('review')
@Controller('api')
@Roles('coordinator', 'admin')
export class ReviewController {
  constructor(
    private readonly queries: AssignmentQueries,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('review-queue')
  @ApiOperation({ summary: 'Submitted assignments waiting for review, oldest submission first' })
  async reviewQueue(@Query() query: unknown): Promise<Paged<AssignmentListItem & { submittedAt: string | null }>> {
    const q = parse(queueQuery, query);
    const now = new Date();
    const { items, total } = await this.queries.reviewQueue({ ...q, now, dueSoonMs: dueSoonMs(this.config) });
    return {
      items: items.map((r) => ({ ...toListItem(r, now), submittedAt: r.submittedAt ? r.submittedAt.toISOString() : null })),
      total,
      page: q.page,
      pageSize: q.pageSize,
    };
  }

  @Get('extension-requests')
  @ApiOperation({ summary: 'Assignments with a pending extension request' })
  async extensionRequests(@Query() query: unknown): Promise<Paged<AssignmentListItem & { pendingExtension: ExtensionRequest | null }>> {
    const q = parse(queueQuery, query);
    const now = new Date();
    const { items, total } = await this.queries.extensionRequests({ ...q, now, dueSoonMs: dueSoonMs(this.config) });
    return {
      items: items.map((r) => ({ ...toListItem(r, now), pendingExtension: (r.state.pendingExtension as ExtensionRequest | undefined) ?? null })),
      total,
      page: q.page,
      pageSize: q.pageSize,
    };
  }
}
