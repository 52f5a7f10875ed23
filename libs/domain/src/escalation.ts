import { type DurationBasis, type WorkingDayShifter, addDuration, parseDuration } from './duration';
import { atLocalTime, localDate } from './time';

export const ESCALATION_AUDIENCES = ['assignee', 'assignee_head', 'supervisor', 'lead_unit', 'leader'] as const;
export type EscalationAudience = (typeof ESCALATION_AUDIENCES)[number];
export const ESCALATION_KINDS = ['reminder', 'overdue', 'escalation', 'leadership'] as const;
export type EscalationKind = (typeof ESCALATION_KINDS)[number];

export interface EscalationStepConfig {
  /** Stable id: recorded in fired-step lists and notification outbox keys, so never reuse one for another meaning. */
  readonly key: string;
  /** ISO-8601 duration from the deadline; negative = before it ('-P7D', 'P0D', 'PT30S'). */
  readonly offset: string;
  readonly basis: DurationBasis;
  readonly audience: readonly EscalationAudience[];
  readonly kind: EscalationKind;
  /**
   * Optional local time of day 'HH:mm' that replaces the computed time on the computed date.
   * Deadlines fall at 23:59:59.999, so "7 days before" would otherwise mail people at midnight.
   */
  readonly atLocalTime?: string;
}

export type EscalationPolicyConfig = readonly EscalationStepConfig[];

/**
 * Default (docs/domain.md): reminders 7 days and 1 day before (assignee unit), an overdue notice at
 * the deadline (assignee unit and its head), 3 days late to the supervising/lead department,
 * 7 days late to the leader in charge. Day-based steps fire at 08:00 local, the start of the
 * office day; the overdue notice fires exactly at the deadline.
 */
export const DEFAULT_ESCALATION_POLICY: EscalationPolicyConfig = [
  { key: 'reminder_7d', offset: '-P7D', basis: 'calendar', audience: ['assignee'], kind: 'reminder', atLocalTime: '08:00' },
  { key: 'reminder_1d', offset: '-P1D', basis: 'calendar', audience: ['assignee'], kind: 'reminder', atLocalTime: '08:00' },
  { key: 'overdue', offset: 'PT0S', basis: 'calendar', audience: ['assignee', 'assignee_head'], kind: 'overdue' },
  { key: 'escalate_3d', offset: 'P3D', basis: 'calendar', audience: ['supervisor', 'lead_unit'], kind: 'escalation', atLocalTime: '08:00' },
  { key: 'leadership_7d', offset: 'P7D', basis: 'calendar', audience: ['leader'], kind: 'leadership', atLocalTime: '08:00' },
];

// The zod schemas that validate an admin-supplied policy live in escalation-schema.ts: the workflows import this
// module, and every module they import is evaluated again for each cached workflow run (docs/operations.md,
// "Memory per cached workflow"), so it must not pull in zod.

/** Issue codes inside an INVALID_ESCALATION_POLICY error's details. */
export const EscalationPolicyIssue = {
  InvalidDuration: 'INVALID_DURATION',
  DuplicateKey: 'DUPLICATE_KEY',
  InvalidField: 'INVALID_FIELD',
} as const;
export type EscalationPolicyIssue = (typeof EscalationPolicyIssue)[keyof typeof EscalationPolicyIssue];

export interface ScheduledStep {
  stepKey: string;
  fireAt: Date;
}

/** The instant one step fires for a deadline. */
export function stepFireAt(step: Pick<EscalationStepConfig, 'offset' | 'basis' | 'atLocalTime'>, deadline: Date, calendar?: WorkingDayShifter): Date {
  const at = addDuration(deadline, parseDuration(step.offset, step.basis), calendar);
  if (!step.atLocalTime) return at;
  const [h, m] = step.atLocalTime.split(':').map(Number) as [number, number];
  return atLocalTime(localDate(at), (h * 60 + m) * 60_000);
}

/**
 * When every step fires for this deadline, sorted by time and then by policy order (a stable
 * tie-break, so two steps at the same instant always fire in the order the policy lists them).
 * Recompute after an extension: the schedule is a pure function of (policy, deadline).
 */
export function scheduleEscalation(
  policy: ReadonlyArray<Pick<EscalationStepConfig, 'key' | 'offset' | 'basis' | 'atLocalTime'>>,
  deadline: Date,
  calendar?: WorkingDayShifter,
): ScheduledStep[] {
  return policy
    .map((step, order) => ({ order, stepKey: step.key, fireAt: stepFireAt(step, deadline, calendar) }))
    .sort((a, b) => a.fireAt.getTime() - b.fireAt.getTime() || a.order - b.order)
    .map(({ stepKey, fireAt }) => ({ stepKey, fireAt }));
}

const asSet = (keys: Iterable<string>): ReadonlySet<string> => (keys instanceof Set ? keys : new Set(keys));

/** Steps whose time has come (fireAt ≤ now) and that have not fired yet, in schedule order. */
export function dueSteps(schedule: readonly ScheduledStep[], now: Date, firedKeys: Iterable<string>): ScheduledStep[] {
  const fired = asSet(firedKeys);
  return schedule.filter((s) => s.fireAt.getTime() <= now.getTime() && !fired.has(s.stepKey));
}

/** The next step still to fire (possibly already due), for the workflow's timer; undefined when none is left. */
export function nextPendingStep(schedule: readonly ScheduledStep[], firedKeys: Iterable<string>): ScheduledStep | undefined {
  const fired = asSet(firedKeys);
  return schedule.find((s) => !fired.has(s.stepKey));
}

/**
 * Re-arming after an extension: a fired step fires again only if the new deadline moved it into
 * the future. Steps that would already be due under the new deadline stay fired, so a late
 * extension does not resend notices people have already had.
 */
export function rearmFiredKeys(newSchedule: readonly ScheduledStep[], firedKeys: Iterable<string>, now: Date): string[] {
  const fired = asSet(firedKeys);
  return newSchedule.filter((s) => fired.has(s.stepKey) && s.fireAt.getTime() <= now.getTime()).map((s) => s.stepKey);
}

/**
 * Reminder steps already in the past when an assignment starts (or is reassigned): a "7 days
 * left" notice is wrong when two days are left, so the workflow marks these as fired up front.
 * Overdue and escalation steps are never stale: if they are due, they are still true.
 */
export function staleReminderKeys(
  policy: ReadonlyArray<Pick<EscalationStepConfig, 'key' | 'kind'>>,
  schedule: readonly ScheduledStep[],
  startedAt: Date,
): string[] {
  const reminders = new Set(policy.filter((s) => s.kind === 'reminder').map((s) => s.key));
  return schedule.filter((s) => reminders.has(s.stepKey) && s.fireAt.getTime() < startedAt.getTime()).map((s) => s.stepKey);
}
