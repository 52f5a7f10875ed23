import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { escalationStepSchema } from '@app/domain';
import { type AuthUser } from '../auth/auth.types';
import { CurrentUser, Roles } from '../auth/decorators';
import { parse } from '../common/zod';
import { type AssignmentAction, AssignmentsService } from './assignments.service';

const isoInstant = z.iso.datetime({ offset: true });

export const startAssignmentBody = z.object({
  planId: z.uuid(),
  planNumber: z.string().nullable().default(null),
  planTitle: z.string().min(1),
  itemKey: z.string().min(1).max(64),
  kind: z.enum(['responsibility', 'report']).default('responsibility'),
  title: z.string().min(1).max(10000),
  role: z.enum(['lead', 'coordinate']).default('lead'),
  unitCode: z.string().min(1).max(64),
  leadUnitCode: z.string().nullable().default(null),
  periodKey: z.string().min(1).max(32).default('once'),
  periodLabel: z.string().default(''),
  deadline: isoInstant.nullable(),
  escalation: z.array(escalationStepSchema).max(20),
});

const actionBody = z.discriminatedUnion('type', [
  z.object({ type: z.literal('acknowledge'), comment: z.string().max(2000).optional() }),
  z.object({ type: z.literal('progress'), percent: z.number().int().min(0).max(100), comment: z.string().max(2000).optional() }),
  z.object({
    type: z.literal('submit'),
    text: z.string().min(1).max(20000),
    indicatorValues: z.array(z.object({ indicatorKey: z.string(), value: z.number(), denominator: z.number().optional() })).max(100).optional(),
    attachments: z.array(z.object({ id: z.string(), name: z.string(), size: z.number().int().nonnegative() })).max(20).optional(),
  }),
  z.object({ type: z.literal('approve'), comment: z.string().max(2000).optional() }),
  z.object({ type: z.literal('return'), comment: z.string().min(1).max(2000) }),
  z.object({ type: z.literal('request-extension'), newDeadline: isoInstant, reason: z.string().min(1).max(2000) }),
  z.object({ type: z.literal('decide-extension'), grant: z.boolean(), comment: z.string().max(2000).optional() }),
  z.object({ type: z.literal('reassign'), unitCode: z.string().min(1).max(64), comment: z.string().max(2000).optional() }),
  z.object({ type: z.literal('cancel'), reason: z.string().min(1).max(2000) }),
]);

@ApiTags('assignments')
@Controller('api/assignments')
export class AssignmentsController {
  constructor(private readonly assignments: AssignmentsService) {}

  @Post()
  @Roles('coordinator')
  @ApiOperation({ summary: 'Start one assignment workflow (idempotent by plan, item, unit and period)' })
  start(@Body() body: unknown): Promise<{ workflowId: string }> {
    return this.assignments.start(parse(startAssignmentBody, body));
  }

  @Get(':workflowId')
  @ApiOperation({ summary: 'An assignment from the read model, with its event history' })
  findOne(@Param('workflowId') workflowId: string, @CurrentUser() user: AuthUser) {
    return this.assignments.findOne(workflowId, user);
  }

  @Post(':workflowId/actions')
  @HttpCode(200)
  @ApiOperation({ summary: 'Acknowledge, report progress, submit, approve, return, extend, reassign or cancel' })
  act(@Param('workflowId') workflowId: string, @Body() body: unknown, @CurrentUser() user: AuthUser) {
    return this.assignments.act(workflowId, user, parse(actionBody, body) as AssignmentAction);
  }
}
