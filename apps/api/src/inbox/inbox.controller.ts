import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { inboxQuery, type InboxResponse } from '@app/contracts';
import { AssignmentQueries } from '@app/persistence';
import { type AuthUser } from '../auth/auth.types';
import { CurrentUser, Roles } from '../auth/decorators';
import { UnitScope } from '../auth/unit-scope';
import { parse } from '../common/zod';
import { dueSoonMs, toListItem } from './list-item';

@ApiTags('inbox')
@Controller('api/inbox')
@Roles('unit_head', 'unit_officer', 'coordinator', 'leader', 'admin')
export class InboxController {
  constructor(
    private readonly queries: AssignmentQueries,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiOperation({ summary: "A unit's assignments, filtered and paged, with counts by status and timeliness" })
  async list(@Query() query: unknown, @CurrentUser() user: AuthUser): Promise<InboxResponse> {
    const q = parse(inboxQuery, query);
    const scope = UnitScope.of(user);
    // A unit user always sees their own unit: a unitCode in the URL cannot widen or move the scope.
    const unitCodes = scope.all ? (q.unitCode ? [q.unitCode] : null) : scope.unitCodes;
    const now = new Date();
    const result = await this.queries.inbox({
      unitCodes,
      planId: q.planId,
      statuses: q.status,
      timeliness: q.timeliness,
      dueWithinDays: q.dueWithinDays,
      q: q.q,
      sort: q.sort,
      page: q.page,
      pageSize: q.pageSize,
      now,
      dueSoonMs: dueSoonMs(this.config),
    });
    return { items: result.items.map((r) => toListItem(r, now)), total: result.total, page: q.page, pageSize: q.pageSize, counts: result.counts };
  }
}
