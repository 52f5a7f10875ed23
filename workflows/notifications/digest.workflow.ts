// The hourly digest run, started by the Temporal Schedule `dondoc-daily-digest`. A schedule (not a
// long-running workflow with timers) because every run is a short, fresh history, a changed
// digest hour takes effect at the next :00 without signalling anything, and operators can pause,
// trigger or back-fill runs from the Temporal UI.
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { DailyDigestInput, DailyDigestReport, DigestActivities } from '../../libs/contracts/src/workflow/activities';
import { SCHEDULED_START_TIME } from '../../libs/contracts/src/workflow/activities';

/** Collecting is a few queries per unit and idempotent by outbox key, so plain retries are safe. */
export const DIGEST_RUN_RETRY = {
  initialInterval: '10 seconds',
  backoffCoefficient: 2,
  maximumInterval: '5 minutes',
  maximumAttempts: 10,
} as const;

const { runDailyDigests } = proxyActivities<DigestActivities>({
  startToCloseTimeout: '5 minutes',
  retry: DIGEST_RUN_RETRY,
});

export async function dailyDigestWorkflow(input: DailyDigestInput = {}): Promise<DailyDigestReport> {
  // The nominal :00 of the schedule, so a run that starts late (worker down) still serves that hour's units.
  const scheduled = workflowInfo().typedSearchAttributes.get(SCHEDULED_START_TIME);
  const asOf = scheduled ?? new Date();
  return runDailyDigests({ ...input, asOf: asOf.toISOString() });
}
