import { Context } from '@temporalio/activity';
import { AssignmentReadModel, OutboxRepository } from '@app/persistence';
import { type AssignmentActivities, type NotificationRequest } from '@app/contracts/workflow';
import { type DeliveryScheduler, recordAndSchedule } from './notifications/notification.activities';
import { type NotificationOutbox, undeliverableReason } from './notifications/notification-outbox';

export interface ActivityDeps {
  readModel: AssignmentReadModel;
  outbox: OutboxRepository;
  /** Email delivery; without it requests are only recorded per audience (status 'requested'). */
  notifications?: { outbox: NotificationOutbox; scheduler: DeliveryScheduler };
}

/** Activities are plain functions closed over Nest services, so the workflow sees only the contract. */
export function createAssignmentActivities(deps: ActivityDeps): AssignmentActivities {
  const activities: AssignmentActivities = {
    async projectAssignment(snapshot, event) {
      await deps.readModel.applyTransition(snapshot, event);
      Context.current().log.debug('projected', { seq: event.seq, type: event.type });
    },

    async projectAndNotify(snapshot, event, notice) {
      // In this order, as the two activities ran: the read model shows the step before anyone is told of it.
      await activities.projectAssignment(snapshot, event);
      await activities.requestNotification({ ...notice, snapshot });
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
      await deps.outbox.recordAudienceRequest({
        workflowId: request.workflowId,
        stepKey: request.stepKey,
        kind: request.kind,
        audience: request.audience,
        unitCode: request.snapshot.unitCode,
        payload: { deadline: request.snapshot.deadline, title: request.snapshot.input.title },
        failure,
      });
      Context.current().log.info('notification requested', { step: request.stepKey, kind: request.kind });
    },
  };
  return activities;
}
