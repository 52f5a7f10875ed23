// One batch of notices to one recipient (docs/email.md, "Batches"). Started (or signalled) by the
// recorder each time a notice joins; it waits on durable timers — no polling — until the burst is over
// and the send slot has come, then closes the batch into one message and delivers it like any other.
import { condition, defineSignal, proxyActivities, setHandler } from '@temporalio/workflow';
import type { BatchTiming, NotificationBatchActivities, NotificationDeliveryActivities } from '../../libs/contracts/src/workflow/activities';
import { MAIL_BATCH_ITEM_SIGNAL } from '../../libs/contracts/src/workflow/activities';
import { MAIL_DELIVERY_RETRY } from './delivery.workflow';

export const mailBatchItemSignal = defineSignal<[BatchTiming]>(MAIL_BATCH_ITEM_SIGNAL);

const { closeBatch } = proxyActivities<NotificationBatchActivities>({
  // Rendering one message and, for the leader, drafting a letter per late unit.
  startToCloseTimeout: '5 minutes',
  // Closing is one transaction and idempotent; only the database being away makes it fail, so keep trying.
  retry: MAIL_DELIVERY_RETRY,
});

const { deliverOutbox } = proxyActivities<NotificationDeliveryActivities>({
  startToCloseTimeout: '5 minutes',
  retry: MAIL_DELIVERY_RETRY,
});

export interface MailBatchResult {
  messageKey: string | null;
  sent: number;
  failed: number;
  skipped: number;
}

export async function mailBatchWorkflow(batchKey: string, timing: BatchTiming): Promise<MailBatchResult> {
  let current = timing;
  let lastItemAt = Date.now();
  let signalled = false;
  setHandler(mailBatchItemSignal, (t: BatchTiming) => {
    // A later notice may move the slot (it never moves earlier: the batch row keeps its first send_after).
    current = Date.parse(t.sendAfter) > Date.parse(current.sendAfter) ? t : { ...current, quietMs: t.quietMs, maxMs: t.maxMs };
    signalled = true;
  });
  for (;;) {
    const sendAfter = Date.parse(current.sendAfter);
    // A steady trickle of notices must not hold the batch forever: at most maxMs after it could first go.
    const cap = sendAfter + current.maxMs;
    const wakeAt = Math.max(sendAfter, Math.min(lastItemAt + current.quietMs, cap));
    const wait = wakeAt - Date.now();
    if (wait <= 0) break;
    signalled = false;
    // Re-armed by every notice that joins, up to the cap; a timeout means the batch has been quiet long enough.
    if (await condition(() => signalled, wait)) lastItemAt = Date.now();
    else break;
  }
  const messageKey = await closeBatch(batchKey);
  if (!messageKey) return { messageKey: null, sent: 0, failed: 0, skipped: 0 };
  return { messageKey, ...(await deliverOutbox([messageKey])) };
}
