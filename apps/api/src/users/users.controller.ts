import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Request } from 'express';
import { createUserBody, listAuditQuery, listUsersQuery, resetPasswordBody, updateUserBody } from '@app/contracts';
import { AuditRepository, type AuditLogEntity, type Page } from '@app/persistence';
import { Roles } from '../auth/decorators';
import { parse } from '../common/zod';
import { UsersService, type UserView } from './users.service';

@ApiTags('users')
@Roles('admin')
@Controller('api/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOperation({ summary: 'Accounts, paged and sorted by username; filter by text, role, unit' })
  list(@Query() query: unknown): Promise<Page<UserView>> {
    return this.users.list(parse(listUsersQuery, query));
  }

  @Post()
  @ApiOperation({ summary: 'Create an account (password at least 10 characters)' })
  create(@Req() req: Request, @Body() body: unknown): Promise<UserView> {
    return this.users.create(req, parse(createUserBody, body));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change role, unit, display name, locale or disabled' })
  update(@Req() req: Request, @Param('id', ParseUUIDPipe) id: string, @Body() body: unknown): Promise<UserView> {
    return this.users.update(req, id, parse(updateUserBody, body));
  }

  @Post(':id/reset-password')
  @HttpCode(204)
  @ApiOperation({ summary: 'Set a new password; every session of that user is revoked (an admin resetting their own keeps the one in use)' })
  resetPassword(@Req() req: Request, @Param('id', ParseUUIDPipe) id: string, @Body() body: unknown): Promise<void> {
    return this.users.resetPassword(req, id, parse(resetPasswordBody, body).password);
  }

  @Post(':id/unlock')
  @HttpCode(200)
  @ApiOperation({ summary: 'Lift the sign-in delays of an account at every client address; returns how many addresses were cleared' })
  unlock(@Req() req: Request, @Param('id', ParseUUIDPipe) id: string): Promise<{ cleared: number }> {
    return this.users.unlock(req, id);
  }
}

@ApiTags('audit')
@Roles('admin')
@Controller('api/audit')
export class AuditController {
  constructor(private readonly audit: AuditRepository) {}

  @Get()
  @ApiOperation({ summary: 'The audit trail, newest first, paged' })
  list(@Query() query: unknown): Promise<Page<AuditLogEntity>> {
    return this.audit.list(parse(listAuditQuery, query));
  }
}
