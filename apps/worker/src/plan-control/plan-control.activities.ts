import { Context } from '@temporalio/activity';
import { type Client, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { planAssignments } from '@app/domain';
import { type AssignmentReadModel, type OrganisationRepository, type PlanRepository } from '@app/persistence';
import { activationWorkflowId, amendmentWorkflowId, assignmentWorkflowId, cancelUpdate, type PlanControlActivities } from '@app/contracts/workflow';

export interface PlanControlDeps {
  plans: PlanRepository;
  organisation: OrganisationRepository;
  readModel: AssignmentReadModel;
  client: Client;
  concurrency?: number;
}

/** Ending an assignment that is already over, or was never started, is not an error here. */
export function alreadyOver(err: unknown): boolean {
  if (err instanceof WorkflowNotFoundError) return true;
  const cause = err instanceof WorkflowUpdateFailedError ? err.cause : err;
  if (cause instanceof ApplicationFailure && cause.type === 'INVALID_TRANSITION') return true;
  return /already completed|workflow execution already completed/i.test(err instanceof Error ? err.message : String(err));
}

export function createPlanControlActivities(deps: PlanControlDeps): PlanControlActivities {
  /**
   * Every workflow id the plan may have: the planned list (deterministic, so nothing still starting can hide)
   * and the read model's rows (assignments started by hand for this plan).
   */
  async function workflowIdsOf(planId: string): Promise<string[]> {
    const stored = await deps.plans.get(planId);
    if (!stored) throw ApplicationFailure.nonRetryable(`plan ${planId} not found`, 'PLAN_NOT_FOUND');
    const planned = planAssignments(stored.document, await deps.organisation.load()).assignments.map((a) =>
      assignmentWorkflowId(planId, a.itemKey, a.unitCode, a.periodKey),
    );
    const projected = (await deps.readModel.listForReconcile(planId)).map((r) => r.workflowId);
    return [...new Set([...planned, ...projected])].sort();
  }

  /** Cancels a workflow if it runs, and waits until it has stopped. */
  async function stopWorkflow(workflowId: string): Promise<void> {
    const handle = deps.client.workflow.getHandle(workflowId);
    try {
      if ((await handle.describe()).status.name !== 'RUNNING') return;
      await handle.cancel();
      for (;;) {
        Context.current().heartbeat();
        if ((await handle.describe()).status.name !== 'RUNNING') return;
        await Context.current().sleep(500);
      }
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return;
      throw err;
    }
  }

  return {
    async stopActivation({ planId }) {
      // Activation and a running amendment are the two ways work of the plan starts; both stop first.
      const amendments = await deps.plans.runningAmendments(planId);
      await stopWorkflow(activationWorkflowId(planId));
      for (const a of amendments) await stopWorkflow(amendmentWorkflowId(planId, a.id));
    },

    async endAssignmentsBatch({ planId, actor, reason, offset, limit }) {
      const ids = await workflowIdsOf(planId);
      const slice = ids.slice(offset, offset + limit);
      let ended = 0;
      let next = 0;
      await Promise.all(
        Array.from({ length: Math.min(deps.concurrency ?? 16, slice.length) }, async () => {
          for (let i = next++; i < slice.length; i = next++) {
            try {
              await deps.client.workflow.getHandle(slice[i]).executeUpdate(cancelUpdate, { args: [{ actor, reason }] });
              ended++;
            } catch (err) {
              if (!alreadyOver(err)) throw err;
            }
            if (i % 50 === 0) Context.current().heartbeat({ offset: offset + i });
          }
        }),
      );
      const nextOffset = offset + slice.length;
      return { ended, nextOffset, done: nextOffset >= ids.length };
    },

    async markPlanEnded({ planId, action, actor }) {
      const stored = await deps.plans.get(planId);
      const status = action === 'cancel' ? 'cancelled' : 'closed';
      if (stored && stored.status !== status) await deps.plans.setStatus(planId, status, actor);
    },
  };
}
