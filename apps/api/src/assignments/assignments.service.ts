import { Injectable } from '@nestjs/common';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { AssignmentQueries } from '@app/persistence';
import { startAssignment, TemporalClientProvider } from '@app/temporal';
import {
  acknowledgeUpdate,
  approveUpdate,
  type AssignmentInput,
  type AssignmentSnapshot,
  cancelUpdate,
  decideExtensionUpdate,
  reassignUpdate,
  requestExtensionUpdate,
  returnUpdate,
  submitUpdate,
  updateProgressUpdate,
} from '@app/contracts/workflow';
import { type AuthUser, type Role } from '../auth/auth.types';
import { UnitScope } from '../auth/unit-scope';
import { isWorkflowRefusal, REFUSAL_ANSWER } from '@app/contracts';
import { ApiError, ApiErrorCode } from '../common/errors';
import { AttachmentsService } from '../attachments/attachments.service';
import { type AssignmentDetail, AssignmentDetailService } from '../inbox/assignment-detail.service';

export type AssignmentAction =
  | { type: 'acknowledge'; comment?: string }
  | { type: 'progress'; percent: number; comment?: string }
  | { type: 'submit'; text: string; indicatorValues?: { indicatorKey: string; value: number; denominator?: number }[]; attachments?: { id: string; name: string; size: number }[] }
  | { type: 'approve'; comment?: string }
  | { type: 'return'; comment: string }
  | { type: 'request-extension'; newDeadline: string; reason: string }
  | { type: 'decide-extension'; grant: boolean; comment?: string }
  | { type: 'reassign'; unitCode: string; comment?: string }
  | { type: 'cancel'; reason: string };

const UNIT_ROLES: readonly Role[] = ['unit_head', 'unit_officer'];

/** Who may take each action: the assignee unit does the work, the coordinator reviews and steers it. */
export const ACTION_ROLES: Record<AssignmentAction['type'], readonly Role[]> = {
  acknowledge: UNIT_ROLES,
  progress: UNIT_ROLES,
  submit: UNIT_ROLES,
  'request-extension': UNIT_ROLES,
  approve: ['coordinator'],
  return: ['coordinator'],
  'decide-extension': ['coordinator'],
  reassign: ['coordinator'],
  cancel: ['coordinator'],
};

@Injectable()
export class AssignmentsService {
  constructor(
    private readonly temporal: TemporalClientProvider,
    private readonly queries: AssignmentQueries,
    private readonly details: AssignmentDetailService,
    private readonly attachments: AttachmentsService,
  ) {}

  /** Starts the workflow; starting the same assignment again returns the existing one. */
  async start(input: AssignmentInput): Promise<{ workflowId: string }> {
    const { workflowId } = await startAssignment(this.temporal.client, this.temporal.taskQueue, input);
    return { workflowId };
  }

  /** docs/api-contract.md: the assignment with its place in the plan, events and notifications. */
  findOne(workflowId: string, user: AuthUser): Promise<AssignmentDetail> {
    return this.details.detail(workflowId, user);
  }

  /**
   * Sends the action to the workflow as an Update and answers with the workflow's own result. With the request's
   * idempotency key (docs/idempotency.md) the Update's id is derived from it: Temporal then runs a replayed
   * request's Update once and hands the replay the first outcome, even when the replica that sent it first died
   * before storing its answer.
   */
  async act(workflowId: string, user: AuthUser, action: AssignmentAction, idempotencyKey?: string): Promise<AssignmentSnapshot> {
    const scope = UnitScope.of(user);
    // Scope before role: another unit's assignment is NOT_FOUND whatever the action, so ids cannot be probed.
    if (!scope.all) {
      const row = await this.queries.ownerOf(workflowId);
      scope.assertVisible(row?.unitCode);
    }
    if (!ACTION_ROLES[action.type].includes(user.role)) throw new ApiError(ApiErrorCode.FORBIDDEN);
    const actor = user.id;
    // A unit user acts for their unit: the workflow itself refuses if the work is no longer that unit's.
    const unit = scope.all || !user.unitCode ? {} : { unitCode: user.unitCode };
    const handle = this.temporal.client.workflow.getHandle(workflowId);
    const updateId = idempotencyKey ? updateIdFor(idempotencyKey) : undefined;
    try {
      switch (action.type) {
        case 'acknowledge':
          return await handle.executeUpdate(acknowledgeUpdate, { updateId, args: [{ actor, ...unit, comment: action.comment }] });
        case 'progress':
          return await handle.executeUpdate(updateProgressUpdate, { updateId, args: [{ actor, ...unit, percent: action.percent, comment: action.comment }] });
        case 'submit':
          await this.attachments.assertBelongTo(workflowId, (action.attachments ?? []).map((a) => a.id));
          return await handle.executeUpdate(submitUpdate, {
            updateId,
            args: [{ actor, ...unit, text: action.text, indicatorValues: action.indicatorValues, attachments: action.attachments }],
          });
        case 'approve':
          return await handle.executeUpdate(approveUpdate, { updateId, args: [{ actor, comment: action.comment }] });
        case 'return':
          return await handle.executeUpdate(returnUpdate, { updateId, args: [{ actor, comment: action.comment }] });
        case 'request-extension':
          return await handle.executeUpdate(requestExtensionUpdate, { updateId, args: [{ actor, ...unit, newDeadline: action.newDeadline, reason: action.reason }] });
        case 'decide-extension':
          return await handle.executeUpdate(decideExtensionUpdate, { updateId, args: [{ actor, grant: action.grant, comment: action.comment }] });
        case 'reassign':
          return await handle.executeUpdate(reassignUpdate, { updateId, args: [{ actor, unitCode: action.unitCode, comment: action.comment }] });
        case 'cancel':
          return await handle.executeUpdate(cancelUpdate, { updateId, args: [{ actor, reason: action.reason }] });
      }
    } catch (err) {
      if (err instanceof WorkflowNotFoundError && (await this.hasEnded(handle))) throw new ApiError(ApiErrorCode.INVALID_TRANSITION);
      throw translateWorkflowError(err);
    }
  }

  /** Whether the workflow exists and has finished (approved or cancelled work takes no more actions). */
  private async hasEnded(handle: { describe(): Promise<{ status: { name: string } }> }): Promise<boolean> {
    try {
      return (await handle.describe()).status.name !== 'RUNNING';
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return false;
      throw err;
    }
  }
}

/** The Temporal update id of a request with an idempotency key: the same key gives the same id. */
export function updateIdFor(idempotencyKey: string): string {
  return `request:${idempotencyKey}`;
}

/**
 * The workflow's refusals (ApplicationFailure types, libs/contracts/src/refusals.ts) become the API's codes
 * and messages in the request's language. A completed workflow takes no Update: the client reports it as
 * not found, so the service asks the workflow's own state (see `act`) rather than reading the message.
 */
export function translateWorkflowError(err: unknown): Error {
  const cause = err instanceof WorkflowUpdateFailedError ? err.cause : err;
  if (cause instanceof ApplicationFailure && isWorkflowRefusal(cause.type)) {
    const answer = REFUSAL_ANSWER[cause.type];
    const fields = answer.code === ApiErrorCode.NOT_FOUND ? undefined : { [cause.type]: [answer.vi] };
    return new ApiError(answer.code, undefined, fields, undefined, answer);
  }
  if (err instanceof WorkflowNotFoundError) return new ApiError(ApiErrorCode.NOT_FOUND);
  return err instanceof Error ? err : new Error(String(err));
}
