import { CancelledFailure, Context } from '@temporalio/activity';
import { type Client, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { diffPlanVersions, type OrganisationDirectory, type PlanVersionAssignment } from '@app/domain';
import { type OrganisationRepository, type PlanRepository, type StoredAmendment } from '@app/persistence';
import { startAssignment } from '@app/temporal';
import {
  type AmendmentActivities,
  type AmendmentBatchResult,
  amendUpdate,
  type AssignmentInput,
  assignmentWorkflowId,
  cancelUpdate,
} from '@app/contracts/workflow';
import { alreadyOver } from './plan-control.activities';

export interface AmendmentDeps {
  plans: PlanRepository;
  organisation: OrganisationRepository;
  client: Client;
  taskQueue: string;
  /** Parallel calls inside one batch. */
  concurrency?: number;
}

export type AmendmentAction =
  | { type: 'cancel'; workflowId: string }
  | {
      type: 'amend';
      workflowId: string;
      input: AssignmentInput;
      previousDeadline: string | null;
      fields: string[];
    }
  | { type: 'start'; input: AssignmentInput };

/**
 * The amendment as a list of actions on workflows: cancel removed work, amend changed work, start new work.
 * Computed from the two documents stored with the amendment, so it is the same list on every resume.
 */
export function amendmentActions(
  amendment: StoredAmendment,
  directory: OrganisationDirectory,
): AmendmentAction[] {
  const input = (a: PlanVersionAssignment): AssignmentInput => ({ planId: amendment.planId, ...a });
  const idOf = (a: PlanVersionAssignment): string =>
    assignmentWorkflowId(amendment.planId, a.itemKey, a.unitCode, a.periodKey);
  const diff = diffPlanVersions(amendment.before, amendment.after, directory);
  return [
    ...diff.removed.map((a): AmendmentAction => ({ type: 'cancel', workflowId: idOf(a) })),
    ...diff.changed.map((c): AmendmentAction => ({
      type: 'amend',
      workflowId: idOf(c.after),
      input: input(c.after),
      previousDeadline: c.before.deadline,
      fields: c.fields,
    })),
    ...diff.added.map((a): AmendmentAction => ({ type: 'start', input: input(a) })),
  ];
}

export function createAmendmentActivities(deps: AmendmentDeps): AmendmentActivities {
  const cache = new Map<string, { amendment: StoredAmendment; actions: AmendmentAction[] }>();

  async function load(
    amendmentId: string,
  ): Promise<{ amendment: StoredAmendment; actions: AmendmentAction[] }> {
    const hit = cache.get(amendmentId);
    if (hit) return hit;
    const amendment = await deps.plans.getAmendment(amendmentId);
    if (!amendment)
      throw ApplicationFailure.nonRetryable(`amendment ${amendmentId} not found`, 'AMENDMENT_NOT_FOUND');
    const entry = { amendment, actions: amendmentActions(amendment, await deps.organisation.load()) };
    cache.set(amendmentId, entry);
    return entry;
  }

  return {
    async amendBatch({ amendmentId, offset, limit }): Promise<AmendmentBatchResult> {
      const { amendment, actions } = await load(amendmentId);
      const slice = actions.slice(offset, offset + limit);
      const counts = { started: 0, cancelled: 0, amended: 0, skipped: 0 };
      const reason = `Điều chỉnh kế hoạch: ${amendment.reason}`;
      const start = async (input: AssignmentInput): Promise<void> => {
        if ((await startAssignment(deps.client, deps.taskQueue, input)).outcome === 'started')
          counts.started++;
        else counts.skipped++;
      };
      const apply = async (action: AmendmentAction): Promise<void> => {
        if (action.type === 'start') return start(action.input);
        const handle = deps.client.workflow.getHandle(action.workflowId);
        try {
          if (action.type === 'cancel') {
            await handle.executeUpdate(cancelUpdate, { args: [{ actor: amendment.actor, reason }] });
            counts.cancelled++;
          } else {
            // No fixed update id: Temporal would answer a repeat from its cache and we could not tell it was one.
            // The workflow refuses an amendment it already applied (ALREADY_AMENDED), across continue-as-new too.
            await handle.executeUpdate(amendUpdate, {
              args: [
                {
                  actor: amendment.actor,
                  comment: amendment.reason,
                  amendmentId,
                  input: action.input,
                  previousDeadline: action.previousDeadline,
                  fields: action.fields,
                },
              ],
            });
            counts.amended++;
          }
        } catch (err) {
          if (
            err instanceof WorkflowUpdateFailedError &&
            err.cause instanceof ApplicationFailure &&
            err.cause.type === 'ALREADY_AMENDED'
          ) {
            counts.skipped++;
            return;
          }
          // Work the amended plan still wants but that never started (drift): start it as planned now.
          if (action.type === 'amend' && err instanceof WorkflowNotFoundError) return start(action.input);
          if (!alreadyOver(err)) throw err;
          counts.skipped++;
        }
      };
      let next = 0;
      await Promise.all(
        Array.from({ length: Math.min(deps.concurrency ?? 16, slice.length) }, async () => {
          for (let i = next++; i < slice.length; i = next++) {
            // The plan is being cancelled or closed: stop here (Temporal delivers this through heartbeats).
            if (Context.current().cancellationSignal.aborted)
              throw new CancelledFailure('amendment cancelled');
            await apply(slice[i]);
            if (i % 25 === 0) Context.current().heartbeat({ offset: offset + i });
          }
        }),
      );
      const nextOffset = offset + slice.length;
      Context.current().log.info('amendment batch', {
        amendmentId,
        offset,
        ...counts,
        total: actions.length,
      });
      return { ...counts, total: actions.length, nextOffset, done: nextOffset >= actions.length };
    },

    async finishAmendment({ amendmentId, status, totals }) {
      const { amendment } = await load(amendmentId);
      await deps.plans.finishAmendment(amendmentId, status, { ...totals }, amendment.actor);
      cache.delete(amendmentId);
    },
  };
}
