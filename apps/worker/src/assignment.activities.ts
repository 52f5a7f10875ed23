import { Context } from '@temporalio/activity';
import { DataSource } from 'typeorm';
import { AssignmentReadModel } from '@app/persistence';
import { type AssignmentActivities, type NotificationRequest } from '@app/workflows/contracts';
import { type DeliveryScheduler, recordAndSchedule } from './notifications/notification.activities';
import { type NotificationOutbox, undeliverableReason } from './notifications/notification-outbox';

export interface ActivityDeps {
  readModel: AssignmentReadModel;
  dataSource: DataSource;
  /** Email delivery; without it requests are only recorded per audience (status 'requested'). */
  notifications?: { outbox: NotificationOutbox; scheduler: DeliveryScheduler };
}

/** Activities are plain functions closed over Nest services, so the workflow sees only the contract. */
export function createAssignmentActivities(deps: ActivityDeps): AssignmentActivities {
  return {
    async projectAssignment(snapshot, event) {
      await deps.readModel.applyTransition(snapshot, event);
      Context.current().log.debug('projected', { seq: event.seq, type: event.type });
    },

    async requestNotification(request: NotificationRequest) {
      let failure: string | null = null;
      if (deps.notifications) {
        try {
          const keys = await recordAndSchedule(deps.notifications.outbox, deps.notifications.scheduler, request);
          Context.current().log.info('notification recorded', { step: request.stepKey, kind: request.kind, recipients: keys.length });
          if (keys.length > 0) return;
          failure = 'No recipient address for this audience';
        } catch (err) {
          // A directory or content problem would fail every retry and hold up the workflow's update or timer:
          // record it where the admin view shows it instead.
          failure = undeliverableReason(err);
          if (failure === null) throw err;
        }
      }
      // Without a mailer, or when nobody could be addressed: one row per audience keeps the request visible.
      for (const audience of request.audience) {
        await deps.dataSource.query(
          `INSERT INTO notifications (outbox_key, workflow_id, step_key, kind, audience, unit_code, status, payload, last_error)
           VALUES ($1, $2, $3, $4, $5, $6, $8, $7, $9)
           ON CONFLICT (outbox_key) DO NOTHING`,
          [
            `${request.workflowId}|${request.stepKey}|${audience}`,
            request.workflowId,
            request.stepKey,
            request.kind,
            audience,
            request.snapshot.unitCode,
            JSON.stringify({ deadline: request.snapshot.deadline, title: request.snapshot.input.title }),
            failure === null ? 'requested' : 'failed',
            failure,
          ],
        );
      }
      Context.current().log.info('notification requested', { step: request.stepKey, kind: request.kind });
    },
  };
}
