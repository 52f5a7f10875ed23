import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
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

  @Get('activation')
  @Roles('coordinator', 'admin', 'leader')
  @ApiOperation({ summary: 'Progress of the activation workflow' })
  progress(@Param('id', ParseUUIDPipe) id: string) {
    return this.activation.progress(id);
  }
}
