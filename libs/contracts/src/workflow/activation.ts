import { defineQuery } from '@temporalio/workflow';

export interface ActivationInput {
  planId: string;
  revision: number;
  batchSize: number;
  /** Carried across continue-as-new. */
  offset?: number;
  totals?: ActivationTotals;
}

export interface ActivationTotals {
  started: number;
  existing: number;
  total: number;
}

export interface BatchResult {
  started: number;
  existing: number;
  total: number;
  nextOffset: number;
  done: boolean;
}

export interface ActivationActivities {
  /** Starts the assignments [offset, offset+limit) of the plan's deterministic list; idempotent. */
  activateBatch(input: { planId: string; revision: number; offset: number; limit: number }): Promise<BatchResult>;
  markPlanActivated(input: { planId: string; total: number }): Promise<void>;
}

export const activationProgressQuery = defineQuery<ActivationTotals & { offset: number }>('activationProgress');

/** One activation per plan: pressing the button twice finds the same workflow. */
export function activationWorkflowId(planId: string): string {
  return `plan:${planId}:activation`;
}
