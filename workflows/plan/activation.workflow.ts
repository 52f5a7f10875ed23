import { ActivityCancellationType, continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import { type ActivationActivities, type ActivationInput, activationProgressQuery } from '../../libs/contracts/src/workflow/activation';

const { activateBatch, markPlanActivated } = proxyActivities<ActivationActivities>({
  startToCloseTimeout: '10 minutes',
  // A batch heartbeats every 50 starts; a dead worker's batch is handed to another one within this time.
  heartbeatTimeout: '20 seconds',
  // A cancelled activation (the plan is being cancelled) waits until its batch has stopped starting work.
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** Batches per run before continue-as-new: each batch adds ~6 events, so a run stays far below 50k. */
const BATCHES_PER_RUN = 200;

/**
 * Activates a plan by starting its assignment workflows from activities, a batch at a time.
 * Why activities and not child workflows: a child costs the parent several history events and stays
 * tied to it; a client start from an activity costs the parent nothing per assignment, is idempotent by
 * workflow id, and parallelises inside the batch. A killed worker resumes at the last finished batch.
 */
export async function planActivationWorkflow(input: ActivationInput): Promise<ActivationInput['totals']> {
  let offset = input.offset ?? 0;
  const totals = { ...(input.totals ?? { started: 0, existing: 0, total: 0 }) };
  setHandler(activationProgressQuery, () => ({ ...totals, offset }));

  for (let batch = 0; ; batch++) {
    const res = await activateBatch({ planId: input.planId, revision: input.revision, offset, limit: input.batchSize });
    totals.started += res.started;
    totals.existing += res.existing;
    totals.total = res.total;
    offset = res.nextOffset;
    if (res.done) break;
    if (batch + 1 >= BATCHES_PER_RUN || workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof planActivationWorkflow>({ ...input, offset, totals });
    }
  }
  await markPlanActivated({ planId: input.planId, total: totals.total });
  return totals;
}
