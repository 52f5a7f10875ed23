import { type Client, WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy } from '@temporalio/client';
import { type AssignmentInput, assignmentWorkflowId, SA } from '@app/workflows/contracts';

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
      typedSearchAttributes: [
        { key: SA.planId, value: input.planId },
        { key: SA.unitCode, value: input.unitCode },
        { key: SA.status, value: 'assigned' },
        ...(input.deadline ? [{ key: SA.deadline, value: new Date(input.deadline) }] : []),
      ],
    });
    return { workflowId, outcome: 'started' };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { workflowId, outcome: 'existing' };
    throw err;
  }
}
