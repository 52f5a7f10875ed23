import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Request } from 'express';
import { z } from 'zod';
import { AuditRepository, type AuditLogEntity, type Page, USER_ROLES } from '@app/persistence';
import { Roles } from '../auth/decorators';
import { passwordPolicy } from '../auth/passwords';
import { parse } from '../common/zod';
import { UsersService, type UserView } from './users.service';

const role = z.enum(USER_ROLES);
const locale = z.enum(['vi', 'en']);
const unitCode = z.string().regex(/^[A-Z0-9]+(?:-[A-Z0-9]+)*$/).max(64);
const paging = {
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
};

const listUsersQuery = z.object({
  ...paging,
  q: z.string().trim().min(1).max(100).optional(),
  role: role.optional(),
  unitCode: unitCode.optional(),
});

const createUserBody = z.object({
  username: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, 'Chữ thường không dấu, số, dấu chấm, gạch nối; 2–64 ký tự'),
  displayName: z.string().trim().min(1).max(200),
  email: z.email().nullable().default(null),
  password: passwordPolicy,
  role,
  unitCode: unitCode.nullable().default(null),
  locale: locale.default('vi'),
});

const updateUserBody = z
  .object({
    displayName: z.string().trim().min(1).max(200),
    email: z.email().nullable(),
    role,
    unitCode: unitCode.nullable(),
    locale,
    disabled: z.boolean(),
  })
  .partial()
  .strict();

const resetPasswordBody = z.object({ password: passwordPolicy });

const listAuditQuery = z.object({
  ...paging,
  userId: z.uuid().optional(),
  action: z.string().max(100).optional(),
  targetType: z.string().max(100).optional(),
  targetId: z.string().max(200).optional(),
});

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
  @ApiOperation({ summary: 'Set a new password; every session of that user is revoked' })
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
