import { type AssignmentEventRecord, type AssignmentSnapshot, type Audience, type StepKind } from './assignment';

export interface NotificationRequest {
  workflowId: string;
  stepKey: string;
  kind: StepKind | 'assigned' | 'returned' | 'extension_granted' | 'extension_refused';
  audience: readonly Audience[];
  snapshot: AssignmentSnapshot;
}

/** Implemented by the worker (apps/worker); workflows see only this interface. */
export interface AssignmentActivities {
  /** Idempotent: keyed by workflow id and event sequence. */
  projectAssignment(snapshot: AssignmentSnapshot, event: AssignmentEventRecord): Promise<void>;
  /** Records the notification in the outbox (once per step and recipient) and hands it to delivery. */
  requestNotification(request: NotificationRequest): Promise<void>;
}

/** Sends the outbox rows of one notification step; implemented by the worker's notification activities. */
export interface NotificationDeliveryActivities {
  /** Sends every still-pending row; throws (and is retried) while the mail server is unreachable. */
  deliverOutbox(keys: string[]): Promise<{ sent: number; failed: number; skipped: number }>;
}

/** The workflow type that owns the retries of one step's emails, started by requestNotification. */
export const NOTIFICATION_DELIVERY_WORKFLOW = 'notificationDeliveryWorkflow';
