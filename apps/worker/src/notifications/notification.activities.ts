import { Context } from '@temporalio/activity';
import { type Client, ScheduleAlreadyRunning, ScheduleOverlapPolicy, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import {
  DAILY_DIGEST_SCHEDULE_ID,
  DAILY_DIGEST_WORKFLOW,
  type DigestActivities,
  NOTIFICATION_DELIVERY_WORKFLOW,
  type NotificationDeliveryActivities,
  type NotificationRequest,
} from '@app/workflows/contracts';
import { type DailyDigest } from './digest';
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

/**
 * Records a request in the outbox and schedules its delivery; the body of requestNotification.
 * Rows held for a digest count as recorded (the caller must not report "nobody to address") but
 * are not scheduled: the daily digest run covers them.
 */
export async function recordAndSchedule(outbox: NotificationOutbox, scheduler: DeliveryScheduler, request: NotificationRequest): Promise<string[]> {
  const { keys, held } = await outbox.recordRequest(request);
  if (keys.length > 0 && !held) await scheduler.schedule(request, keys);
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

export function createDigestActivities(digest: DailyDigest): DigestActivities {
  return {
    async runDailyDigests(input) {
      const report = await digest.run(input);
      Context.current().log.info('daily digests', { date: report.date, created: report.created.length, existing: report.existing.length });
      return report;
    },
  };
}

/**
 * Creates the hourly schedule, or points an existing one at this worker's task queue (a deploy may
 * rename it). Several workers starting at once race harmlessly: the loser sees "already running".
 */
export async function ensureDigestSchedule(client: Client, options: { taskQueue: string; scheduleId?: string }): Promise<void> {
  const scheduleId = options.scheduleId ?? DAILY_DIGEST_SCHEDULE_ID;
  const action = {
    type: 'startWorkflow' as const,
    workflowType: DAILY_DIGEST_WORKFLOW,
    workflowId: `digest-run:${scheduleId}`,
    taskQueue: options.taskQueue,
    args: [{}],
  };
  try {
    await client.schedule.create({
      scheduleId,
      // Every hour at :00 local time; each run serves the units whose digest hour it is.
      spec: { calendars: [{ hour: '*', minute: 0 }], timezone: 'Asia/Ho_Chi_Minh' },
      action,
      // A run is seconds long; if one is still going the next hour's units wait for the day after rather than race it.
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
    });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    const handle = client.schedule.getHandle(scheduleId);
    const current = await handle.describe();
    if (current.action.type === 'startWorkflow' && current.action.taskQueue === options.taskQueue) return;
    await handle.update((prev) => ({ ...prev, action }));
  }
}
