export type PlanEndAction = 'cancel' | 'close';

export interface PlanEndInput {
  planId: string;
  action: PlanEndAction;
  actor: string;
  reason: string;
  batchSize: number;
  /** Carried across continue-as-new. */
  offset?: number;
  ended?: number;
}

export interface PlanControlActivities {
  /** Cancels the plan's activation if it still runs and waits until it has stopped starting assignments. */
  stopActivation(input: { planId: string }): Promise<void>;
  /** Ends the open assignments among [offset, offset+limit) of the plan's workflow ids; idempotent. */
  endAssignmentsBatch(input: { planId: string; actor: string; reason: string; offset: number; limit: number }): Promise<{
    ended: number;
    nextOffset: number;
    done: boolean;
  }>;
  markPlanEnded(input: { planId: string; action: PlanEndAction; actor: string }): Promise<void>;
}

export function planEndWorkflowId(planId: string): string {
  return `plan:${planId}:end`;
}
