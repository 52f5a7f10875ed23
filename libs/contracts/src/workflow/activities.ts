import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { type AssignmentEventRecord, type AssignmentSnapshot, type Audience, type StepKind } from './assignment';

export interface NotificationRequest {
  workflowId: string;
  stepKey: string;
  kind: StepKind | 'assigned' | 'returned' | 'extension_granted' | 'extension_refused' | 'deadline_changed';
  audience: readonly Audience[];
  snapshot: AssignmentSnapshot;
}

/** Implemented by the worker (apps/worker); workflows see only this interface. */
export interface AssignmentActivities {
  /** Idempotent: keyed by workflow id and event sequence. */
  projectAssignment(snapshot: AssignmentSnapshot, event: AssignmentEventRecord): Promise<void>;
  /** Records the notification in the outbox (once per step and recipient) and hands it to delivery. */
  requestNotification(request: NotificationRequest): Promise<void>;
  /**
   * projectAssignment, then requestNotification with the same snapshot: one activity for a transition that
   * sends a notice (the 'assigned' notice, every ladder step), so a step costs the server one activity and one
   * workflow task fewer. Both halves are idempotent, so a retry repeats both (docs/operations.md, "One activity a step").
   */
  projectAndNotify(snapshot: AssignmentSnapshot, event: AssignmentEventRecord, notice: Omit<NotificationRequest, 'snapshot'>): Promise<void>;
}

/** Sends the outbox rows of one notification step; implemented by the worker's notification activities. */
export interface NotificationDeliveryActivities {
  /** Sends every still-pending row; throws (and is retried) while the mail server is unreachable. */
  deliverOutbox(keys: string[]): Promise<{ sent: number; failed: number; skipped: number }>;
}

/** The workflow type that owns the retries of one step's emails, started by requestNotification. */
export const NOTIFICATION_DELIVERY_WORKFLOW = 'notificationDeliveryWorkflow';

/** Closes one batch of notices into its message; implemented by the worker's notification activities. */
export interface NotificationBatchActivities {
  /** Idempotent: a batch closes once; returns its message's outbox key (null when nothing was left to send). */
  closeBatch(batchKey: string): Promise<string | null>;
}

/** One per batch (`mailbatch:<batchKey>`): waits for the burst to end and the send slot, then closes and delivers. */
export const MAIL_BATCH_WORKFLOW = 'mailBatchWorkflow';
export const mailBatchWorkflowId = (batchKey: string): string => `mailbatch:${batchKey}`;

/** When a batch may go, as the recorder saw it; sent with every notice that joins (signal-with-start). */
export interface BatchTiming {
  /** The batch may not go before this instant (quiet hours, next working morning); ISO. */
  sendAfter: string;
  /** Wait this long after the newest notice… */
  quietMs: number;
  /** …but at most this long after sendAfter. */
  maxMs: number;
}

/** Signal name of "a notice joined the batch"; its argument is the BatchTiming. */
export const MAIL_BATCH_ITEM_SIGNAL = 'mailBatchItem';

/** One run of the daily digests: `unitCodes` runs those units now, whatever their digest hour (tests, operators). */
export interface DailyDigestInput {
  unitCodes?: string[];
}

export interface DailyDigestReport {
  /** Local date (Asia/Ho_Chi_Minh) the run counted as "today", YYYY-MM-DD. */
  date: string;
  /** Outbox keys of digests and leader summaries created by this run. */
  created: string[];
  /** Keys that already existed (that digest went out earlier today). */
  existing: string[];
  /** Units with nothing to report, or nobody to address. */
  skipped: string[];
}

/** Collects each opted-in unit's due-soon, overdue and returned work into one mail per day. */
export interface DigestActivities {
  runDailyDigests(input: DailyDigestInput & { asOf: string }): Promise<DailyDigestReport>;
}

export const DAILY_DIGEST_WORKFLOW = 'dailyDigestWorkflow';
/** The hourly Temporal Schedule that starts DAILY_DIGEST_WORKFLOW; created idempotently by the worker. */
export const DAILY_DIGEST_SCHEDULE_ID = 'dondoc-daily-digest';
/** Set by Temporal on workflows a schedule starts: the nominal run time, even when the run starts late. */
export const SCHEDULED_START_TIME = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);
