import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AssignmentListItem, dashboardQuery as planQuery, overdueQuery, type Paged } from '@app/contracts';
import { daysBetweenLocal } from '@app/domain';
import { AssignmentQueries } from '@app/persistence';
import { Roles } from '../auth/decorators';
import { parse } from '../common/zod';
import { toListItem } from '../inbox/list-item';
import { DashboardService } from './dashboard.service';

@ApiTags('dashboard')
@Controller('api/dashboard')
@Roles('leader', 'coordinator', 'admin')
export class DashboardController {
  constructor(
    private readonly dashboard: DashboardService,
    private readonly queries: AssignmentQueries,
  ) {}

  @Get('summary')
  @ApiOperation({ summary: 'Counts and rates by timeliness, counts by status' })
  async summary(@Query() query: unknown) {
    const q = parse(planQuery, query);
    await this.dashboard.requirePlan(q.planId);
    return this.dashboard.summary(this.dashboard.scope(q.planId, q.period));
  }

  @Get('by-unit')
  async byUnit(@Query() query: unknown) {
    const q = parse(planQuery, query);
    await this.dashboard.requirePlan(q.planId);
    return this.dashboard.byUnit(this.dashboard.scope(q.planId, q.period));
  }

  @Get('by-responsibility')
  async byResponsibility(@Query() query: unknown) {
    const q = parse(planQuery, query);
    const plan = await this.dashboard.planDocument(q.planId);
    return this.dashboard.byResponsibility(this.dashboard.scope(q.planId, q.period), plan);
  }

  @Get('matrix')
  async matrix(@Query() query: unknown) {
    const q = parse(planQuery, query);
    const plan = await this.dashboard.planDocument(q.planId);
    return this.dashboard.matrix(this.dashboard.scope(q.planId, q.period), plan);
  }

  @Get('overdue')
  @ApiOperation({ summary: 'Overdue open work of the plan, most late first, paged' })
  async overdue(@Query() query: unknown): Promise<Paged<AssignmentListItem & { daysLate: number }>> {
    const q = parse(overdueQuery, query);
    await this.dashboard.requirePlan(q.planId);
    const scope = this.dashboard.scope(q.planId, q.period);
    const { items, total } = await this.queries.overdue({ planId: q.planId, page: q.page, pageSize: q.pageSize, now: scope.now, dueSoonMs: scope.dueSoonMs });
    return {
      items: items.map((r) => ({ ...toListItem(r, scope.now), daysLate: r.deadline ? daysBetweenLocal(r.deadline, scope.now) : 0 })),
      total,
      page: q.page,
      pageSize: q.pageSize,
    };
  }

  @Get('indicators')
  async indicators(@Query() query: unknown) {
    const q = parse(planQuery, query);
    const plan = await this.dashboard.planDocument(q.planId);
    return this.dashboard.indicators(this.dashboard.scope(q.planId, q.period), plan);
  }

  @Get('timeline')
  async timeline(@Query() query: unknown) {
    const q = parse(planQuery, query);
    await this.dashboard.requirePlan(q.planId);
    return this.dashboard.timeline(this.dashboard.scope(q.planId, q.period));
  }
}
