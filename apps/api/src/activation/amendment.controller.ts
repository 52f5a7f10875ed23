import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, UseFilters } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { amendBody, amendmentPreviewBody as previewBody } from '@app/contracts';
import { type AuthUser } from '../auth/auth.types';
import { CurrentUser, Roles } from '../auth/decorators';
import { parse } from '../common/zod';
import { PlanErrorFilter } from '../plans/plan-errors';
import { toPlanChanges } from '../plans/plan-changes';
import { AmendmentService } from './amendment.service';

@ApiTags('plans')
@Controller('api/plans/:id')
@UseFilters(PlanErrorFilter)
export class AmendmentController {
  constructor(private readonly amendments: AmendmentService) {}

  @Post('amendment-preview')
  @HttpCode(200)
  @Roles('coordinator', 'admin')
  @ApiOperation({ summary: 'What an amendment of the active plan would start, cancel and amend; changes nothing' })
  preview(@Param('id', ParseUUIDPipe) id: string, @Body() body: unknown) {
    const { revision, changes } = parse(previewBody, body);
    return this.amendments.preview(id, revision, toPlanChanges(changes));
  }

  @Post('amendments')
  @HttpCode(202)
  @Roles('coordinator', 'admin')
  @ApiOperation({ summary: 'Amend the active plan: {revision, changes, reason}; new work starts, removed work is cancelled, moved deadlines re-arm' })
  amend(@Param('id', ParseUUIDPipe) id: string, @Body() body: unknown, @CurrentUser() user: AuthUser) {
    const { revision, changes, reason } = parse(amendBody, body);
    return this.amendments.amend(id, revision, toPlanChanges(changes), reason, user.id);
  }

  @Get('amendments')
  @Roles('coordinator', 'admin', 'leader')
  @ApiOperation({ summary: 'Amendments of the plan, newest first, with what each did' })
  list(@Param('id', ParseUUIDPipe) id: string) {
    return this.amendments.list(id);
  }

  @Get('amendments/:amendmentId')
  @Roles('coordinator', 'admin', 'leader')
  @ApiOperation({ summary: 'One amendment, with its progress while it runs' })
  get(@Param('id', ParseUUIDPipe) id: string, @Param('amendmentId', ParseUUIDPipe) amendmentId: string) {
    return this.amendments.get(id, amendmentId);
  }
}
