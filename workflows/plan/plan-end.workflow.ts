import { continueAsNew, proxyActivities, workflowInfo } from '@temporalio/workflow';
import { type PlanControlActivities, type PlanEndInput } from '../../libs/contracts/src/workflow/plan-control';

const { stopActivation, endAssignmentsBatch, markPlanEnded } = proxyActivities<PlanControlActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

const BATCHES_PER_RUN = 200;

/**
 * Cancels or closes a plan: activation stops first (so no assignment starts behind our back), then every
 * open assignment gets a cancel Update, which ends its timers: no notification goes out afterwards.
 */
export async function planEndWorkflow(input: PlanEndInput): Promise<{ ended: number }> {
  let offset = input.offset ?? 0;
  let ended = input.ended ?? 0;
  if (offset === 0) await stopActivation({ planId: input.planId });
  for (let batch = 0; ; batch++) {
    const res = await endAssignmentsBatch({ planId: input.planId, actor: input.actor, reason: input.reason, offset, limit: input.batchSize });
    ended += res.ended;
    offset = res.nextOffset;
    if (res.done) break;
    if (batch + 1 >= BATCHES_PER_RUN || workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof planEndWorkflow>({ ...input, offset, ended });
    }
  }
  await markPlanEnded({ planId: input.planId, action: input.action, actor: input.actor });
  return { ended };
}
