// Delivery of one notification step's emails, apart from the assignment workflow so a mail outage
// never holds up its updates or timers; its retries are durable timers, not a loop in a process.
import { proxyActivities } from '@temporalio/workflow';
import type { NotificationDeliveryActivities } from '../../libs/contracts/src/workflow/activities';

/**
 * The "mail server is away" profile: the first retry comes soon (a relay restart), then backs off to
 * one try every 10 minutes for as long as it takes. Rows that went out are never sent again, so
 * retrying the whole batch is safe.
 */
export const MAIL_DELIVERY_RETRY = {
  initialInterval: '5 seconds',
  backoffCoefficient: 2,
  maximumInterval: '10 minutes',
} as const;

const { deliverOutbox } = proxyActivities<NotificationDeliveryActivities>({
  // A batch is a handful of messages, each bounded by the mailer's socket timeout.
  startToCloseTimeout: '5 minutes',
  retry: MAIL_DELIVERY_RETRY,
});

export async function notificationDeliveryWorkflow(keys: string[]): Promise<{ sent: number; failed: number; skipped: number }> {
  return deliverOutbox(keys);
}
