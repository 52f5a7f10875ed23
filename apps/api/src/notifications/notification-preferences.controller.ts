import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { notificationPreferencesBody } from '@app/contracts';
import { NotificationPreferencesRepository, type NotificationPreferences, OrganisationRepository } from '@app/persistence';
import { CurrentUser, Roles } from '../auth/decorators';
import { type AuthUser } from '../auth/auth.types';
import { ApiError, ApiErrorCode } from '../common/errors';
import { parse } from '../common/zod';

@ApiTags('notifications')
@Controller('api/units/:code/notification-preferences')
@Roles('unit_head', 'coordinator', 'admin')
export class NotificationPreferencesController {
  constructor(
    private readonly preferences: NotificationPreferencesRepository,
    private readonly organisation: OrganisationRepository,
  ) {}

  @Get()
  @ApiOperation({ summary: "A unit's mail preferences: immediate mails or one daily digest (defaults when never set)" })
  async get(@Param('code') code: string, @CurrentUser() user: AuthUser): Promise<NotificationPreferences> {
    await this.assertMayManage(code, user);
    return this.preferences.forUnit(code);
  }

  @Put()
  @ApiOperation({ summary: 'Choose immediate mails or a daily digest at a local hour; leaderSummary for the leader’s unit' })
  async put(@Param('code') code: string, @Body() body: unknown, @CurrentUser() user: AuthUser): Promise<NotificationPreferences> {
    const unit = await this.assertMayManage(code, user);
    const input = parse(notificationPreferencesBody, body);
    // Only the leader's unit has leadership escalations to summarise; elsewhere the flag would silently do nothing.
    if (input.leaderSummary && unit.kind !== 'district_committee') {
      throw new ApiError(ApiErrorCode.VALIDATION_FAILED, undefined, { leaderSummary: ['only for the district committee (the leader’s unit)'] });
    }
    return this.preferences.save({ unitCode: code, ...input, updatedBy: user.username });
  }

  /** A unit head manages only their own unit; others' units answer NOT_FOUND so codes cannot be probed. */
  private async assertMayManage(code: string, user: AuthUser) {
    if (user.role === 'unit_head' && user.unitCode !== code) throw new ApiError(ApiErrorCode.NOT_FOUND);
    const unit = (await this.organisation.load()).unit(code);
    if (!unit) throw new ApiError(ApiErrorCode.NOT_FOUND);
    return unit;
  }
}
