import { defineQuery } from '@temporalio/workflow';

export interface AmendmentInput {
  amendmentId: string;
  planId: string;
  batchSize: number;
  /** Carried across continue-as-new. */
  offset?: number;
  totals?: AmendmentTotals;
}

/** What an amendment did to running work. */
export interface AmendmentTotals {
  /** New assignments started. */
  started: number;
  /** Assignments of removed work that were still open and are now cancelled. */
  cancelled: number;
  /** Running assignments that took the new deadline, ladder or wording. */
  amended: number;
  /** Actions with nothing left to do: already finished, already applied, already started. */
  skipped: number;
  /** Actions in the amendment's list. */
  total: number;
}

export interface AmendmentBatchResult extends AmendmentTotals {
  nextOffset: number;
  done: boolean;
}

export interface AmendmentActivities {
  /** Applies the actions [offset, offset+limit) of the amendment's deterministic list; idempotent. */
  amendBatch(input: { amendmentId: string; offset: number; limit: number }): Promise<AmendmentBatchResult>;
  /** Records the outcome on the amendment and in the plan's audit trail (once). */
  finishAmendment(input: { amendmentId: string; status: 'done' | 'cancelled'; totals: AmendmentTotals }): Promise<void>;
}

export const amendmentProgressQuery = defineQuery<AmendmentTotals & { offset: number }>('amendmentProgress');

/** One workflow per amendment. */
export function amendmentWorkflowId(planId: string, amendmentId: string): string {
  return `plan:${planId}:amendment:${amendmentId}`;
}
