import { Context } from '@temporalio/activity';
import { type Client, ScheduleAlreadyRunning, ScheduleOverlapPolicy, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { type BatchRecord } from '@app/persistence';
import {
  type BatchTiming,
  DAILY_DIGEST_SCHEDULE_ID,
  DAILY_DIGEST_WORKFLOW,
  type DigestActivities,
  MAIL_BATCH_ITEM_SIGNAL,
  MAIL_BATCH_WORKFLOW,
  mailBatchWorkflowId,
  NOTIFICATION_DELIVERY_WORKFLOW,
  type NotificationBatchActivities,
  type NotificationDeliveryActivities,
  type NotificationRequest,
} from '@app/contracts/workflow';
import { type DailyDigest } from './digest';
import { type NotificationOutbox } from './notification-outbox';

/** Starts the delivery of recorded rows; a port so tests and other hosts can choose how. */
export interface DeliveryScheduler {
  schedule(request: Pick<NotificationRequest, 'workflowId' | 'stepKey'>, keys: string[]): Promise<void>;
  /** Tells a batch that a notice joined it (starting its workflow if needed); required when batching is on. */
  batch?(batch: BatchRecord, timing: BatchTiming): Promise<void>;
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

  /**
   * Signal-with-start: the first notice starts `mailbatch:<batchKey>`, later ones re-arm its quiet
   * timer. A signal that comes after the batch workflow finished starts a fresh run, which finds the
   * batch closed and its message sent, and ends without mailing anything.
   */
  async batch(batch: BatchRecord, timing: BatchTiming): Promise<void> {
    await this.client.workflow.signalWithStart(MAIL_BATCH_WORKFLOW, {
      workflowId: mailBatchWorkflowId(batch.batchKey),
      taskQueue: this.taskQueue,
      args: [batch.batchKey, timing],
      signal: MAIL_BATCH_ITEM_SIGNAL,
      signalArgs: [timing],
    });
  }
}

export const deliveryWorkflowId = (workflowId: string, stepKey: string): string => `mail:${workflowId}|${stepKey}`;

/**
 * Records a request in the outbox and schedules its delivery; the body of requestNotification.
 * Rows held for a digest count as recorded (the caller must not report "nobody to address") but
 * are not scheduled: the daily digest run covers them.
 */
export async function recordAndSchedule(outbox: NotificationOutbox, scheduler: DeliveryScheduler, request: NotificationRequest): Promise<string[]> {
  const { keys, held, batches } = await outbox.recordRequest(request);
  if (batches.length > 0) {
    if (!scheduler.batch) throw new Error('Batching is configured but the delivery scheduler cannot start batches');
    // A retried request signals again: harmless, the batch only re-arms its quiet timer (bounded by its cap).
    for (const b of batches) await scheduler.batch(b, outbox.timingOf(b));
    return keys;
  }
  if (keys.length > 0 && !held) await scheduler.schedule(request, keys);
  return keys;
}

export function createNotificationActivities(outbox: NotificationOutbox): NotificationDeliveryActivities & NotificationBatchActivities {
  return {
    async closeBatch(batchKey) {
      const messageKey = await outbox.closeBatch(batchKey);
      Context.current().log.info('notification batch closed', { batchKey, messageKey });
      return messageKey;
    },
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
