import { type Client, WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy } from '@temporalio/client';
import { type AssignmentInput, assignmentWorkflowId, SA } from '@app/contracts/workflow';

/**
 * The one way an assignment workflow is started (API, activation). The id is deterministic and a finished
 * assignment is never started again, so every caller is idempotent: a repeat reports 'existing'.
 */
export async function startAssignment(
  client: Client,
  taskQueue: string,
  input: AssignmentInput,
): Promise<{ workflowId: string; outcome: 'started' | 'existing' }> {
  const workflowId = assignmentWorkflowId(input.planId, input.itemKey, input.unitCode, input.periodKey);
  try {
    await client.workflow.start('assignmentWorkflow', {
      workflowId,
      taskQueue,
      args: [input],
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      // Only the plan id at start, so operators and the reconciler find even a workflow no worker has run yet;
      // the workflow sets the others itself at its first transition, and writing them twice halves the start rate.
      typedSearchAttributes: [{ key: SA.planId, value: input.planId }],
    });
    return { workflowId, outcome: 'started' };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { workflowId, outcome: 'existing' };
    throw err;
  }
}
