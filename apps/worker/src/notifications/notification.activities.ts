import { Context } from '@temporalio/activity';
import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { NOTIFICATION_DELIVERY_WORKFLOW, type NotificationDeliveryActivities, type NotificationRequest } from '@app/workflows/contracts';
import { type NotificationOutbox } from './notification-outbox';

/** Starts the delivery of recorded rows; a port so tests and other hosts can choose how. */
export interface DeliveryScheduler {
  schedule(request: Pick<NotificationRequest, 'workflowId' | 'stepKey'>, keys: string[]): Promise<void>;
}

/**
 * One delivery workflow per notification step, with an id derived from the step: a retried
 * requestNotification finds it already running (or done) instead of starting a second sender.
 */
export class TemporalDeliveryScheduler implements DeliveryScheduler {
  constructor(private readonly client: Client, private readonly taskQueue: string) {}

  async schedule(request: Pick<NotificationRequest, 'workflowId' | 'stepKey'>, keys: string[]): Promise<void> {
    try {
      await this.client.workflow.start(NOTIFICATION_DELIVERY_WORKFLOW, {
        workflowId: deliveryWorkflowId(request.workflowId, request.stepKey),
        taskQueue: this.taskQueue,
        args: [keys],
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }
}

export const deliveryWorkflowId = (workflowId: string, stepKey: string): string => `mail:${workflowId}|${stepKey}`;

/** Records a request in the outbox and schedules its delivery; the body of requestNotification. */
export async function recordAndSchedule(outbox: NotificationOutbox, scheduler: DeliveryScheduler, request: NotificationRequest): Promise<string[]> {
  const keys = await outbox.record(request);
  if (keys.length > 0) await scheduler.schedule(request, keys);
  return keys;
}

export function createNotificationActivities(outbox: NotificationOutbox): NotificationDeliveryActivities {
  return {
    async deliverOutbox(keys) {
      const report = await outbox.deliver(keys);
      Context.current().log.info('notification delivered', { ...report });
      return report;
    },
  };
}
