import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { endPlanBody as endBody } from '@app/contracts';
import { parse } from '../common/zod';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuthUser } from '../auth/auth.types';
import { CurrentUser, Roles } from '../auth/decorators';
import { ActivationService } from './activation.service';

@ApiTags('plans')
@Controller('api/plans/:id')
export class ActivationController {
  constructor(private readonly activation: ActivationService) {}

  @Get('activation-preview')
  @Roles('coordinator', 'admin', 'leader')
  @ApiOperation({ summary: 'How many assignments activation will start, per item, and what still blocks it' })
  preview(@Param('id', ParseUUIDPipe) id: string) {
    return this.activation.preview(id);
  }

  @Post('activate')
  @HttpCode(202)
  @Roles('coordinator', 'admin')
  @ApiOperation({ summary: 'Start one assignment workflow per responsibility × unit × period (idempotent)' })
  activate(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: AuthUser) {
    return this.activation.activate(id, user.id);
  }

  @Post('cancel')
  @HttpCode(202)
  @Roles('coordinator', 'admin')
  @ApiOperation({ summary: 'Cancel the plan: every open assignment ends and no further notification goes out' })
  cancel(@Param('id', ParseUUIDPipe) id: string, @Body() body: unknown, @CurrentUser() user: AuthUser) {
    return this.activation.end(id, 'cancel', user.id, parse(endBody, body).reason);
  }

  @Post('close')
  @HttpCode(202)
  @Roles('coordinator', 'admin')
  @ApiOperation({ summary: 'Close a finished plan: open assignments end, the plan becomes read-only' })
  close(@Param('id', ParseUUIDPipe) id: string, @Body() body: unknown, @CurrentUser() user: AuthUser) {
    return this.activation.end(id, 'close', user.id, parse(endBody, body).reason);
  }

  @Get('activation')
  @Roles('coordinator', 'admin', 'leader')
  @ApiOperation({ summary: 'Progress of the activation workflow' })
  progress(@Param('id', ParseUUIDPipe) id: string) {
    return this.activation.progress(id);
  }
}
