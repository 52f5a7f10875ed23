import { DomainError, DomainErrorCode } from './errors';
import { MS_PER_DAY } from './time';

/*
 * Const objects with a same-named type ("string enums" that also accept plain literals), so
 * workflow contracts and SQL rows holding 'in_progress' type-check without casts.
 */

/** Lifecycle of one assignment (docs/domain.md): assigned → acknowledged → in_progress → submitted → done, with returned and cancelled. */
export const AssignmentStatus = {
  Assigned: 'assigned',
  Acknowledged: 'acknowledged',
  InProgress: 'in_progress',
  Submitted: 'submitted',
  Returned: 'returned',
  Done: 'done',
  Cancelled: 'cancelled',
} as const;
export type AssignmentStatus = (typeof AssignmentStatus)[keyof typeof AssignmentStatus];
export const ASSIGNMENT_STATUSES: readonly AssignmentStatus[] = Object.values(AssignmentStatus);

export const ASSIGNMENT_STATUS_LABELS: Readonly<Record<AssignmentStatus, { vi: string; en: string }>> = {
  assigned: { vi: 'Đã giao', en: 'Assigned' },
  acknowledged: { vi: 'Đã tiếp nhận', en: 'Acknowledged' },
  in_progress: { vi: 'Đang thực hiện', en: 'In progress' },
  submitted: { vi: 'Đã báo cáo, chờ duyệt', en: 'Submitted for review' },
  returned: { vi: 'Bị trả lại', en: 'Returned' },
  done: { vi: 'Hoàn thành', en: 'Done' },
  cancelled: { vi: 'Đã hủy', en: 'Cancelled' },
};

export const TERMINAL_STATUSES: readonly AssignmentStatus[] = ['done', 'cancelled'];
export const isTerminalStatus = (s: AssignmentStatus): boolean => s === 'done' || s === 'cancelled';

/**
 * Timeliness as the government's task-tracking reports count it (QĐ 42/2014/QĐ-TTg on
 * following up tasks the Government and Prime Minister assign, and the reports built on it):
 * done on time / done late / open within the deadline / open overdue, plus "due soon" for
 * follow-up and "no deadline" for tasks given without one.
 */
export const Timeliness = {
  DoneOnTime: 'done_on_time',
  DoneLate: 'done_late',
  OpenOnTime: 'open_on_time',
  OpenOverdue: 'open_overdue',
  DueSoon: 'due_soon',
  NoDeadline: 'no_deadline',
} as const;
export type Timeliness = (typeof Timeliness)[keyof typeof Timeliness];
export const TIMELINESS_VALUES: readonly Timeliness[] = Object.values(Timeliness);

export const TIMELINESS_LABELS: Readonly<Record<Timeliness, { vi: string; en: string }>> = {
  done_on_time: { vi: 'Hoàn thành đúng hạn', en: 'Done on time' },
  done_late: { vi: 'Hoàn thành quá hạn', en: 'Done late' },
  open_on_time: { vi: 'Chưa hoàn thành – trong hạn', en: 'Open, within deadline' },
  open_overdue: { vi: 'Chưa hoàn thành – quá hạn', en: 'Open, overdue' },
  due_soon: { vi: 'Sắp đến hạn', en: 'Due soon' },
  no_deadline: { vi: 'Chưa có hạn', en: 'No deadline' },
};

export const DEFAULT_DUE_SOON_WITHIN_MS = 3 * MS_PER_DAY;

export interface TimelinessInput {
  status: AssignmentStatus;
  deadline: Date | null;
  /** For 'done': when the accepted submission was made (the unit's completion, not the reviewer's approval). */
  completedAt: Date | null;
  /** For 'submitted': when the pending submission was made. */
  submittedAt?: Date | null;
  now: Date;
  /** "Due soon" window before the deadline; default 3 days. */
  dueSoonWithinMs?: number;
}

/**
 * The one timeliness rule used by the workflow, the read model and the dashboard.
 *
 * Choices (documented because reports depend on them):
 *  - 'cancelled' → null: a cancelled assignment is excluded from every timeliness count, not a category.
 *  - 'submitted' is still open: in the tracking practice a task is done when the assigning body
 *    accepts the result, and a returned report means the work was not finished. But when a
 *    submission was made by the deadline (submittedAt given), the assignee is not shown overdue
 *    while the reviewer decides: it stays 'open_on_time'.
 *  - 'done' is judged by completedAt (the accepted submission's time); a missing completedAt falls
 *    back to now so the function stays total. A done task without a deadline is 'done_on_time'
 *    (it cannot have missed one).
 *  - The deadline instant itself is still on time (completedAt ≤ deadline; overdue when now > deadline).
 */
export function classifyTimeliness(input: TimelinessInput): Timeliness | null {
  const { status, deadline, now } = input;
  if (status === 'cancelled') return null;
  if (status === 'done') {
    if (!deadline) return 'done_on_time';
    const completedAt = input.completedAt ?? now;
    return completedAt.getTime() <= deadline.getTime() ? 'done_on_time' : 'done_late';
  }
  if (!deadline) return 'no_deadline';
  if (status === 'submitted' && input.submittedAt && input.submittedAt.getTime() <= deadline.getTime()) {
    return 'open_on_time';
  }
  const left = deadline.getTime() - now.getTime();
  if (left < 0) return 'open_overdue';
  const window = input.dueSoonWithinMs ?? DEFAULT_DUE_SOON_WITHIN_MS;
  return left <= window ? 'due_soon' : 'open_on_time';
}

/** Actions users (or the system) take on an assignment; every one goes through canTransition. */
export const LifecycleAction = {
  Acknowledge: 'acknowledge',
  UpdateProgress: 'update_progress',
  Submit: 'submit',
  Approve: 'approve',
  Return: 'return',
  RequestExtension: 'request_extension',
  GrantExtension: 'grant_extension',
  RefuseExtension: 'refuse_extension',
  Reassign: 'reassign',
  Cancel: 'cancel',
  /** The plan was amended: deadline, ladder or wording change in place. */
  Amend: 'amend',
} as const;
export type LifecycleAction = (typeof LifecycleAction)[keyof typeof LifecycleAction];
export const LIFECYCLE_ACTIONS: readonly LifecycleAction[] = Object.values(LifecycleAction);

const WORKING: readonly AssignmentStatus[] = ['assigned', 'acknowledged', 'in_progress', 'returned'];

function row(entries: ReadonlyArray<readonly [LifecycleAction, AssignmentStatus | 'same']>): Partial<Record<LifecycleAction, AssignmentStatus | 'same'>> {
  return Object.fromEntries(entries);
}

/** Actions that work the same from every status where the assignee is still working. */
const whileWorking = [
  ['update_progress', 'in_progress'],
  ['submit', 'submitted'],
  // Extensions change the deadline, not the status; a pending request is workflow state.
  ['request_extension', 'same'],
  ['grant_extension', 'same'],
  ['refuse_extension', 'same'],
  ['reassign', 'assigned'],
  ['cancel', 'cancelled'],
  ['amend', 'same'],
] as const;

/**
 * Lifecycle table: status → action → next status ('same' = unchanged).
 *  - A unit may submit straight from 'assigned' (small tasks are often just reported done).
 *  - While 'submitted' only the reviewer acts (approve/return) or the coordinator cancels;
 *    extensions and reassignment wait for the review.
 *  - 'done' and 'cancelled' are terminal.
 */
export const TRANSITIONS: Readonly<Record<AssignmentStatus, Partial<Record<LifecycleAction, AssignmentStatus | 'same'>>>> = {
  assigned: row([['acknowledge', 'acknowledged'], ...whileWorking]),
  acknowledged: row(whileWorking),
  in_progress: row(whileWorking),
  returned: row(whileWorking),
  submitted: row([
    ['approve', 'done'],
    ['return', 'returned'],
    ['cancel', 'cancelled'],
    // A submitted report is judged against the amended deadline.
    ['amend', 'same'],
  ]),
  done: {},
  cancelled: {},
};

export function canTransition(from: AssignmentStatus, action: LifecycleAction): boolean {
  return TRANSITIONS[from]?.[action] !== undefined;
}

/** The status after an action; throws INVALID_TRANSITION when the action is not allowed. */
export function nextStatus(from: AssignmentStatus, action: LifecycleAction): AssignmentStatus {
  const next = TRANSITIONS[from]?.[action];
  if (next === undefined) {
    throw new DomainError(DomainErrorCode.InvalidTransition, `Cannot ${action} an assignment that is ${from}`, { from, action });
  }
  return next === 'same' ? from : next;
}

/** Statuses from which the assignee is still expected to work (for inbox filters). */
export const OPEN_STATUSES: readonly AssignmentStatus[] = [...WORKING, 'submitted'];
