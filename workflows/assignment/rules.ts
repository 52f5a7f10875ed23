// The workflow's view of the domain rules: one place that adapts libs/domain to the workflow's state shape.
import { type AssignmentSnapshot, type AssignmentStatus, type EscalationStepSpec } from '../../libs/contracts/src/workflow/assignment';
import { canTransition, classifyTimeliness, type LifecycleAction } from '../../libs/domain/src/timeliness';
import { scheduleEscalation } from '../../libs/domain/src/escalation';
import { defaultCalendar } from '../../libs/domain/src/calendar';
import { ApplicationFailure } from '@temporalio/workflow';

export type { LifecycleAction };

const calendar = defaultCalendar();

export function assertTransition(status: AssignmentStatus, action: LifecycleAction): void {
  if (!canTransition(status, action)) {
    throw ApplicationFailure.nonRetryable(`Không thể thực hiện "${action}" khi nhiệm vụ đang ở trạng thái "${status}"`, 'INVALID_TRANSITION');
  }
}

export function escalationSchedule(steps: readonly EscalationStepSpec[], deadlineIso: string): { step: EscalationStepSpec; fireAt: Date }[] {
  const byKey = new Map(steps.map((s) => [s.key, s]));
  return scheduleEscalation(steps, new Date(deadlineIso), calendar).map((s) => ({ step: byKey.get(s.stepKey)!, fireAt: s.fireAt }));
}

export function timelinessAt(state: AssignmentSnapshot, now: Date): string {
  return String(
    classifyTimeliness({
      status: state.status,
      deadline: state.deadline ? new Date(state.deadline) : null,
      completedAt: state.completedAt ? new Date(state.completedAt) : null,
      submittedAt: state.submission ? new Date(state.submission.submittedAt) : null,
      now,
    }) ?? 'cancelled',
  );
}
