import { Context } from '@temporalio/activity';
import { DataSource } from 'typeorm';
import { AssignmentReadModel } from '@app/persistence';
import { type AssignmentActivities, type NotificationRequest } from '@app/workflows/contracts';

export interface ActivityDeps {
  readModel: AssignmentReadModel;
  dataSource: DataSource;
}

/** Activities are plain functions closed over Nest services, so the workflow sees only the contract. */
export function createAssignmentActivities(deps: ActivityDeps): AssignmentActivities {
  return {
    async projectAssignment(snapshot, event) {
      await deps.readModel.applyTransition(snapshot, event);
      Context.current().log.debug('projected', { seq: event.seq, type: event.type });
    },

    async requestNotification(request: NotificationRequest) {
      // One outbox row per audience until the mailer expands it to recipients; the key makes retries harmless.
      for (const audience of request.audience) {
        await deps.dataSource.query(
          `INSERT INTO notifications (outbox_key, workflow_id, step_key, kind, audience, unit_code, status, payload)
           VALUES ($1, $2, $3, $4, $5, $6, 'requested', $7)
           ON CONFLICT (outbox_key) DO NOTHING`,
          [
            `${request.workflowId}|${request.stepKey}|${audience}`,
            request.workflowId,
            request.stepKey,
            request.kind,
            audience,
            request.snapshot.unitCode,
            JSON.stringify({ deadline: request.snapshot.deadline, title: request.snapshot.input.title }),
          ],
        );
      }
      Context.current().log.info('notification requested', { step: request.stepKey, kind: request.kind });
    },
  };
}
