import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { assignmentActionBody as actionBody, startAssignmentBody } from '@app/contracts';
import { type AuthUser } from '../auth/auth.types';
import { CurrentUser, Roles } from '../auth/decorators';
import { IdempotencyKey } from '../common/idempotency';
import { parse } from '../common/zod';
import { type AssignmentAction, AssignmentsService } from './assignments.service';

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
  act(@Param('workflowId') workflowId: string, @Body() body: unknown, @CurrentUser() user: AuthUser, @IdempotencyKey() key: string | undefined) {
    return this.assignments.act(workflowId, user, parse(actionBody, body) as AssignmentAction, key);
  }
}
