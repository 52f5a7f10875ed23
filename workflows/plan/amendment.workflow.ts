import {
  ActivityCancellationType,
  CancellationScope,
  continueAsNew,
  isCancellation,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { type AmendmentActivities, type AmendmentInput, type AmendmentTotals, amendmentProgressQuery } from '../../libs/contracts/src/workflow/amendment';

const { amendBatch, finishAmendment } = proxyActivities<AmendmentActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '20 seconds',
  // Cancelling the plan cancels its running amendment, and waits until the batch has stopped starting work.
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

const BATCHES_PER_RUN = 200;

/**
 * Carries an amendment of an active plan into its running work: new responsibilities start, removed ones
 * are cancelled, changed ones are amended in place (a moved deadline re-arms its ladder). Activities do the
 * work a batch at a time, for the same reason as activation: the history grows per batch, not per assignment.
 */
export async function planAmendmentWorkflow(input: AmendmentInput): Promise<AmendmentTotals> {
  let offset = input.offset ?? 0;
  const totals: AmendmentTotals = { ...(input.totals ?? { started: 0, cancelled: 0, amended: 0, skipped: 0, total: 0 }) };
  setHandler(amendmentProgressQuery, () => ({ ...totals, offset }));

  try {
    for (let batch = 0; ; batch++) {
      const res = await amendBatch({ amendmentId: input.amendmentId, offset, limit: input.batchSize });
      totals.started += res.started;
      totals.cancelled += res.cancelled;
      totals.amended += res.amended;
      totals.skipped += res.skipped;
      totals.total = res.total;
      offset = res.nextOffset;
      if (res.done) break;
      if (batch + 1 >= BATCHES_PER_RUN || workflowInfo().continueAsNewSuggested) {
        await continueAsNew<typeof planAmendmentWorkflow>({ ...input, offset, totals });
      }
    }
  } catch (err) {
    if (isCancellation(err)) {
      await CancellationScope.nonCancellable(() => finishAmendment({ amendmentId: input.amendmentId, status: 'cancelled', totals }));
    }
    throw err;
  }
  await finishAmendment({ amendmentId: input.amendmentId, status: 'done', totals });
  return totals;
}
