import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  type defineUpdate,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import {
  acknowledgeUpdate,
  type Actor,
  amendUpdate,
  type AssignmentEventRecord,
  type AssignmentInput,
  type AssignmentSnapshot,
  type AssignmentStatus,
  approveUpdate,
  cancelUpdate,
  decideExtensionUpdate,
  type EscalationStepSpec,
  getStateQuery,
  reassignUpdate,
  requestExtensionUpdate,
  returnUpdate,
  submitUpdate,
  updateProgressUpdate,
} from '../../libs/contracts/src/workflow/assignment';
import { type AssignmentActivities, type NotificationRequest } from '../../libs/contracts/src/workflow/activities';
import { SA } from '../../libs/contracts/src/workflow/search-attributes';
import { Lock } from './lock';
import { PATCHES } from './patches';
import { type LifecycleAction, assertTransition, escalationSchedule, timelinessAt } from './rules';

const RECENT_EVENTS = 20;

const { projectAssignment, requestNotification, projectAndNotify } = proxyActivities<AssignmentActivities>({
  startToCloseTimeout: '30 seconds',
  // Read-model and outbox writes are idempotent, so retrying forever through a database outage is safe.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * One responsibility for one unit for one period: the source of truth for its lifecycle.
 * Durable timers press the unit as the deadline nears and passes; every transition reaches PostgreSQL.
 */
export async function assignmentWorkflow(input: AssignmentInput, carried?: AssignmentSnapshot): Promise<AssignmentSnapshot> {
  const state: AssignmentSnapshot = carried ?? {
    workflowId: workflowInfo().workflowId,
    input,
    unitCode: input.unitCode,
    status: 'assigned',
    progress: 0,
    progressNote: null,
    deadline: input.deadline,
    completedAt: null,
    submission: null,
    pendingExtension: null,
    firedSteps: [],
    escalationLevel: 0,
    lastStepKey: null,
    seq: 0,
    recentEvents: [],
  };
  const lock = new Lock();
  /** Bumped whenever the deadline moves, so the timer loop re-arms. */
  let armVersion = 0;
  const isOpen = (): boolean => state.status !== 'done' && state.status !== 'cancelled';

  /** The next transition, applied to the state (sequence, recent events, search attributes). */
  const transition = (type: string, who: Actor, data?: Record<string, unknown>): AssignmentEventRecord => {
    const event: AssignmentEventRecord = { seq: state.seq + 1, type, actor: who.actor, at: new Date().toISOString() };
    if (who.comment) event.comment = who.comment;
    if (data) event.data = data;
    state.seq = event.seq;
    state.recentEvents = [...state.recentEvents, event].slice(-RECENT_EVENTS);
    publishSearchAttributes(state);
    return event;
  };

  const record = async (type: string, who: Actor, data?: Record<string, unknown>): Promise<AssignmentSnapshot> => {
    await projectAssignment(state, transition(type, who, data));
    return state;
  };

  /**
   * A transition and the notice it sends. Under PATCHES.oneActivityPerStep both go in one activity (projectAndNotify);
   * work started before the patch keeps the two activities it recorded.
   */
  const recordAndNotify = async (type: string, who: Actor, data: Record<string, unknown> | undefined, notice: Omit<NotificationRequest, 'snapshot' | 'workflowId'>): Promise<void> => {
    if (!patched(PATCHES.oneActivityPerStep)) {
      const snapshot = await record(type, who, data);
      await requestNotification({ workflowId: state.workflowId, ...notice, snapshot });
      return;
    }
    const event = transition(type, who, data);
    await projectAndNotify(state, event, { workflowId: state.workflowId, ...notice });
  };

  const guard = (action: LifecycleAction, who?: Actor): void => {
    if (who?.unitCode !== undefined && who.unitCode !== state.unitCode) {
      throw ApplicationFailure.nonRetryable('Nhiệm vụ không còn được giao cho đơn vị của bạn', 'NOT_ASSIGNEE');
    }
    assertTransition(state.status, action);
  };

  /**
   * Update handlers wait for the lock in the order they were accepted, and each validator ran on acceptance:
   * possibly before an earlier handler changed the state (an officer's retry queued behind the first request,
   * two approvals at once). The validator therefore runs again once the handler holds the lock. Work started
   * before the patch kept the old behaviour (the queued action ran again), so the patch is consulted only when
   * that second check refuses, the one case where the behaviour differs; an ordinary history gets no marker.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SDK's own constraint on update arguments
  const onUpdate = <Ret, Args extends any[]>(
    definition: ReturnType<typeof defineUpdate<Ret, Args>>,
    validate: (...args: Args) => void,
    apply: (...args: Args) => Promise<Ret>,
  ): void => {
    setHandler(
      definition,
      (...args: Args) =>
        lock.run(async () => {
          try {
            validate(...args);
          } catch (refusal) {
            if (patched(PATCHES.revalidateUnderLock)) throw refusal;
          }
          return apply(...args);
        }),
      { validator: validate },
    );
  };

  setHandler(getStateQuery, () => state);

  onUpdate(
    acknowledgeUpdate,
    (who) => guard('acknowledge', who),
    async (who) => {
      state.status = 'acknowledged';
      return record('acknowledged', who);
    },
  );

  onUpdate(
    updateProgressUpdate,
    (who) => {
      guard('update_progress', who);
      if (!Number.isInteger(who.percent) || who.percent < 0 || who.percent > 100) {
        throw ApplicationFailure.nonRetryable('Tiến độ phải là số nguyên từ 0 đến 100', 'INVALID_PROGRESS');
      }
    },
    async (who) => {
      state.status = 'in_progress';
      state.progress = who.percent;
      state.progressNote = who.comment ?? null;
      return record('progress', who, { percent: who.percent });
    },
  );

  onUpdate(
    submitUpdate,
    (who) => {
      guard('submit', who);
      if (!who.text || who.text.trim().length === 0) {
        throw ApplicationFailure.nonRetryable('Báo cáo phải có nội dung', 'REPORT_TEXT_REQUIRED');
      }
    },
    async (who) => {
      state.status = 'submitted';
      state.progress = 100;
      state.submission = {
        text: who.text,
        indicatorValues: who.indicatorValues ?? [],
        attachments: who.attachments ?? [],
        submittedAt: new Date().toISOString(),
        submittedBy: who.actor,
      };
      return record('submitted', who, { attachments: state.submission.attachments.length });
    },
  );

  onUpdate(
    approveUpdate,
    (_who) => guard('approve'),
    async (who) => {
      state.status = 'done';
      // The work was finished when the accepted report was submitted, not when the reviewer got to it
      // (the domain's timeliness rule); runs started before this change keep the approval time.
      state.completedAt =
        patched(PATCHES.completedAtIsSubmissionTime) && state.submission ? state.submission.submittedAt : new Date().toISOString();
      return record('approved', who);
    },
  );

  onUpdate(
    returnUpdate,
    (who) => {
      guard('return');
      if (!who.comment || who.comment.trim().length === 0) {
        throw ApplicationFailure.nonRetryable('Trả lại báo cáo phải kèm ý kiến', 'COMMENT_REQUIRED');
      }
    },
    async (who) => {
      state.status = 'returned';
      const snapshot = await record('returned', who);
      await requestNotification({ workflowId: state.workflowId, stepKey: `returned-${state.seq}`, kind: 'returned', audience: ['assignee'], snapshot });
      return snapshot;
    },
  );

  onUpdate(
    requestExtensionUpdate,
    (who) => {
      guard('request_extension', who);
      if (state.pendingExtension) throw ApplicationFailure.nonRetryable('Đã có đề nghị gia hạn đang chờ', 'EXTENSION_PENDING');
      const requested = Date.parse(who.newDeadline);
      if (Number.isNaN(requested)) throw ApplicationFailure.nonRetryable('Hạn mới không hợp lệ', 'INVALID_DEADLINE');
      if (state.deadline && requested <= Date.parse(state.deadline)) {
        throw ApplicationFailure.nonRetryable('Hạn mới phải sau hạn hiện tại', 'INVALID_DEADLINE');
      }
      if (!who.reason || who.reason.trim().length === 0) {
        throw ApplicationFailure.nonRetryable('Đề nghị gia hạn phải nêu lý do', 'REASON_REQUIRED');
      }
    },
    async (who) => {
      state.pendingExtension = {
        newDeadline: who.newDeadline,
        reason: who.reason,
        requestedBy: who.actor,
        requestedAt: new Date().toISOString(),
      };
      return record('extension_requested', who, { newDeadline: who.newDeadline, reason: who.reason });
    },
  );

  onUpdate(
    decideExtensionUpdate,
    (_who) => {
      guard('grant_extension');
      if (!state.pendingExtension) throw ApplicationFailure.nonRetryable('Không có đề nghị gia hạn', 'NO_PENDING_EXTENSION');
    },
    async (who) => {
      const request = state.pendingExtension!;
      state.pendingExtension = null;
      if (who.grant) {
        const previous = state.deadline;
        state.deadline = request.newDeadline;
        // A moved deadline re-arms every step that now lies ahead.
        const now = Date.now();
        const ahead = new Set(
          escalationSchedule(state.input.escalation, state.deadline)
            .filter((s) => s.fireAt.getTime() > now)
            .map((s) => s.step.key),
        );
        state.firedSteps = state.firedSteps.filter((k) => !ahead.has(k));
        state.escalationLevel = 0;
        armVersion++;
        const snapshot = await record('extension_granted', who, { from: previous, to: request.newDeadline });
        await requestNotification({ workflowId: state.workflowId, stepKey: `extension-${state.seq}`, kind: 'extension_granted', audience: ['assignee'], snapshot });
        return snapshot;
      }
      const snapshot = await record('extension_refused', who, { requested: request.newDeadline });
      await requestNotification({ workflowId: state.workflowId, stepKey: `extension-${state.seq}`, kind: 'extension_refused', audience: ['assignee'], snapshot });
      return snapshot;
    },
  );

  onUpdate(
    reassignUpdate,
    (who) => {
      guard('reassign');
      if (!who.unitCode || who.unitCode === state.unitCode) {
        throw ApplicationFailure.nonRetryable('Đơn vị nhận mới không hợp lệ', 'INVALID_UNIT');
      }
    },
    async (who) => {
      const from = state.unitCode;
      state.unitCode = who.unitCode;
      const snapshot = await record('reassigned', who, { from, to: who.unitCode });
      await requestNotification({ workflowId: state.workflowId, stepKey: `assigned-${state.seq}`, kind: 'assigned', audience: ['assignee'], snapshot });
      return snapshot;
    },
  );

  onUpdate(
    cancelUpdate,
    (_who) => guard('cancel'),
    async (who) => {
      state.status = 'cancelled';
      return record('cancelled', { actor: who.actor, comment: who.comment ?? who.reason }, { reason: who.reason });
    },
  );

  setHandler(
    amendUpdate,
    (change) => lock.run(async () => {
      // Two deliveries of one amendment can both pass the validator before either holds the lock.
      if (state.lastAmendmentId === change.amendmentId) return state;
      const previous = state.deadline;
      // A deadline other than the plan's old one was granted as an extension: a plan deadline that comes
      // earlier than the extension does not take it away.
      const extended = previous !== change.previousDeadline;
      const keepExtension = extended && previous !== null && change.input.deadline !== null && Date.parse(previous) > Date.parse(change.input.deadline);
      const deadline = keepExtension ? previous : change.input.deadline;
      const ladderChanged = JSON.stringify(state.input.escalation) !== JSON.stringify(change.input.escalation);
      state.input = { ...change.input };
      state.lastAmendmentId = change.amendmentId;
      const moved = deadline !== previous;
      if (moved || ladderChanged) {
        state.deadline = deadline;
        rearmAfterAmendment(state, Date.now());
        armVersion++;
      }
      const snapshot = await record(
        'amended',
        { actor: change.actor, comment: change.comment },
        { amendmentId: change.amendmentId, fields: change.fields, from: previous, to: state.deadline, ...(keepExtension ? { keptExtension: true } : {}) },
      );
      // A removed deadline needs no letter: the assignment simply stops pressing.
      if (moved && state.deadline !== null) {
        await requestNotification({ workflowId: state.workflowId, stepKey: `amended-${state.seq}`, kind: 'deadline_changed', audience: ['assignee'], snapshot });
      }
      return snapshot;
    }),
    {
      validator: (change) => {
        // Refused rather than repeated, so a resumed amendment can tell what it already did.
        if (state.lastAmendmentId === change.amendmentId) throw ApplicationFailure.nonRetryable('Điều chỉnh này đã được áp dụng', 'ALREADY_AMENDED');
        guard('amend');
        const same = (k: 'planId' | 'itemKey' | 'unitCode' | 'periodKey'): boolean => change.input[k] === state.input[k];
        if (!same('planId') || !same('itemKey') || !same('unitCode') || !same('periodKey')) {
          throw ApplicationFailure.nonRetryable('Điều chỉnh không thuộc nhiệm vụ này', 'INVALID_AMENDMENT');
        }
        if (change.input.deadline !== null && Number.isNaN(Date.parse(change.input.deadline))) {
          throw ApplicationFailure.nonRetryable('Hạn mới không hợp lệ', 'INVALID_DEADLINE');
        }
      },
    },
  );

  if (!carried) {
    await lock.run(async () => {
      await recordAndNotify('assigned', { actor: 'system' }, undefined, { stepKey: 'assigned', kind: 'assigned', audience: ['assignee'] });
    });
    // A cancellation that landed while the 'assigned' notice was recorded leaves nothing to catch up.
    const late = isOpen() ? catchUpOnStart(state, workflowInfo().startTime.getTime()) : undefined;
    if (late) {
      await lock.run(async () => {
        // Nor does one that lands while this waits for the lock.
        if (!isOpen()) return;
        await recordAndNotify('step_fired', { actor: 'system' }, { step: late.step.key, kind: late.step.kind, catchUp: true }, { stepKey: late.step.key, kind: late.step.kind, audience: late.audience });
      });
    }
  }

  while (isOpen()) {
    const armed = armVersion;
    const next = nextStep(state);
    if (!next) {
      await condition(() => !isOpen() || armVersion !== armed);
    } else {
      const wait = Math.max(next.fireAt.getTime() - Date.now(), 1);
      const interrupted = await condition(() => !isOpen() || armVersion !== armed, wait);
      if (!interrupted) {
        await lock.run(async () => {
          // Completion or an extension may have landed while we waited for the lock.
          if (!isOpen() || armVersion !== armed || state.firedSteps.includes(next.step.key)) return;
          state.firedSteps = [...state.firedSteps, next.step.key];
          state.lastStepKey = next.step.key;
          if (next.step.kind !== 'reminder') state.escalationLevel = Math.max(state.escalationLevel, stepLevel(state, next.step));
          await recordAndNotify('step_fired', { actor: 'system' }, { step: next.step.key, kind: next.step.kind }, { stepKey: next.step.key, kind: next.step.kind, audience: next.step.audience });
        });
      }
    }
    if (isOpen() && workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof assignmentWorkflow>(input, state);
    }
  }
  await condition(allHandlersFinished);
  return state;
}

function nextStep(state: AssignmentSnapshot): { step: EscalationStepSpec; fireAt: Date } | undefined {
  if (!state.deadline) return undefined;
  return escalationSchedule(state.input.escalation, state.deadline).find((s) => !state.firedSteps.includes(s.step.key));
}

/**
 * Work that starts with steps already behind it (a plan activated after its deadlines). Reminders meant for a
 * time already past would only confuse: they are always skipped. Late steps (overdue, escalations) used to fire
 * one after another at start, a burst of notices about the same work. Since the patch the assignment starts at
 * its current level instead: every past step counts as fired, and the latest late step is returned to fire once,
 * addressed to everyone the skipped late steps would have told (the unit and its head, the supervising and lead
 * units, the leader), so each of them hears the current level in one notice and nobody is left out because the
 * ladder was skipped. The 'assigned' notice has gone out just before and is still needed (it hands the work
 * over); the two travel in different batches (new work, daily), so a recipient gets at most one email of each
 * (docs/activation.md "Catch-up"). "Already behind" means due when the workflow was started, not when the
 * 'assigned' notice was recorded: a step that falls due in between (a busy worker, a deadline seconds away) is
 * an ordinary step of the ladder and fires on its own. The patch marker is written only when a late step was
 * due at start, the one case where the behaviour differs, so the history of work that starts on time stays.
 */
function catchUpOnStart(state: AssignmentSnapshot, startedAt: number): { step: EscalationStepSpec; audience: EscalationStepSpec['audience'] } | undefined {
  const past = state.deadline ? escalationSchedule(state.input.escalation, state.deadline).filter((s) => s.fireAt.getTime() <= startedAt) : [];
  const late = past.filter((s) => s.step.kind !== 'reminder');
  if (late.length === 0 || !patched(PATCHES.lateStartCatchUp)) {
    skipStaleReminders(state, startedAt);
    return undefined;
  }
  const latest = late[late.length - 1]!.step;
  state.firedSteps = past.map((s) => s.step.key);
  state.lastStepKey = latest.key;
  state.escalationLevel = stepLevel(state, latest);
  const audience = [...new Set(late.flatMap((s) => s.step.audience))];
  return { step: latest, audience };
}

/**
 * Reminders meant for a time already past (a plan activated late) would only confuse: skip them. "Past" means
 * due before the workflow started. Before the patch it meant before now, after the 'assigned' notice was
 * recorded, so on a busy worker a reminder falling due in between was dropped; the patch is consulted only when
 * the two differ, so the history of work that starts on time stays as it was.
 */
function skipStaleReminders(state: AssignmentSnapshot, startedAt: number): void {
  if (!state.deadline) return;
  const reminders = escalationSchedule(state.input.escalation, state.deadline).filter((s) => s.step.kind === 'reminder');
  const dueBefore = (t: number): string[] => reminders.filter((s) => s.fireAt.getTime() < t).map((s) => s.step.key);
  let stale = dueBefore(Date.now());
  if (dueBefore(startedAt).length !== stale.length && patched(PATCHES.staleRemindersAsOfStart)) stale = dueBefore(startedAt);
  state.firedSteps = [...state.firedSteps, ...stale.filter((k) => !state.firedSteps.includes(k))];
}

/**
 * After an amendment moved the deadline or changed the ladder: steps ahead are armed again. Steps whose time
 * has already passed are not replayed one by one: stale reminders are dropped and only the latest late step
 * fires (once, unless it already had), so the unit hears its current level instead of a burst of old ones.
 */
function rearmAfterAmendment(state: AssignmentSnapshot, now: number): void {
  if (!state.deadline) {
    state.escalationLevel = 0;
    return;
  }
  const past = escalationSchedule(state.input.escalation, state.deadline).filter((s) => s.fireAt.getTime() <= now);
  const latestLate = [...past].reverse().find((s) => s.step.kind !== 'reminder');
  const fired = past.filter((s) => s !== latestLate || state.firedSteps.includes(s.step.key));
  state.firedSteps = fired.map((s) => s.step.key);
  state.escalationLevel = Math.max(0, ...fired.filter((s) => s.step.kind !== 'reminder').map((s) => stepLevel(state, s.step)));
}

/** Overdue is level 1; each later non-reminder step one more. */
function stepLevel(state: AssignmentSnapshot, step: EscalationStepSpec): number {
  const late = state.input.escalation.filter((s) => s.kind !== 'reminder');
  return late.findIndex((s) => s.key === step.key) + 1;
}

function publishSearchAttributes(state: AssignmentSnapshot): void {
  upsertSearchAttributes([
    { key: SA.planId, value: state.input.planId },
    { key: SA.unitCode, value: state.unitCode },
    { key: SA.status, value: state.status },
    { key: SA.timeliness, value: timelinessAt(state, new Date()) },
    { key: SA.deadline, value: state.deadline ? new Date(state.deadline) : null },
  ]);
}

export type { AssignmentStatus };
