// What starting (or amending) work will mail, before anyone presses the button: how much of the work is already
// late or due soon, and how many emails each kind of recipient gets under the batching rules (docs/email.md,
// docs/activation.md "Preview figures"). Pure: the same plan, directory, calendar and instant give the same figures.
import {
  classifyTimeliness,
  defaultCalendar,
  type EscalationStepConfig,
  formatDateVN,
  type OrganisationDirectory,
  type PlannedAssignment,
  scheduleEscalation,
  type Unit,
} from '@app/domain';
import { type AudienceRole, type RecipientContext, resolveRecipients, type UnitContact } from '@app/notifications';

export const RECIPIENT_KINDS = ['assignee', 'assignee_head', 'supervisor', 'lead_unit', 'leader'] as const satisfies readonly AudienceRole[];
export type RecipientKind = (typeof RECIPIENT_KINDS)[number];

export interface RecipientKindFigures {
  /** Distinct addresses reached in this role. */
  recipients: number;
  /** How many of them get the new-work email (one per recipient for the whole activation or amendment). */
  newWork: number;
  /** How many of them get today's daily email, because a step of one of their items is already due. */
  daily: number;
}

export interface NoticeForecast {
  /** What the figures are about: a whole plan being activated, or the work an amendment starts or changes. */
  scope: 'activation' | 'amendment';
  /** The instant the figures were computed for (ISO). */
  asOf: string;
  /** Assignments counted: the whole plan for an activation, the started and changed ones for an amendment. */
  assignments: number;
  /** Past their deadline already. */
  overdue: number;
  /** Due within the dashboard's "due soon" window. */
  dueSoon: number;
  /** That window, in days (DUE_SOON_DAYS). */
  dueSoonDays: number;
  /** The late step each overdue assignment starts at (one notice each, never the whole ladder), by step key. */
  lateSteps: Record<string, number>;
  byKind: Record<RecipientKind, RecipientKindFigures>;
  total: { recipients: number; emails: number; maxPerRecipient: number; medianPerRecipient: number };
  /** Set when work starts late: a Vietnamese sentence for the confirmation, and a code the web translates. */
  warning: { code: 'ALL_DEADLINES_PASSED' | 'SOME_DEADLINES_PASSED'; message: string; latestDeadline: string | null } | null;
}

/** One assignment as the forecast sees it: what it will be told now, beyond the new-work notice. */
export interface ForecastItem {
  assignment: PlannedAssignment;
  /** Whether this item puts a new-work notice in the assignee's mailbox ('assigned' or an amended deadline). */
  newWork: boolean;
  /**
   * For an amended assignment: its deadline before the amendment. A late step that was already due under the
   * old deadline has fired then; the workflow does not send it again (rearmAfterAmendment).
   */
  previousDeadline?: string | null;
}

const calendar = defaultCalendar();

/**
 * The step an assignment fires at once when it starts at `now`, and to whom: the catch-up rule of
 * workflows/assignment/assignment.workflow.ts (catchUpOnStart). Past reminders are skipped; of the late steps
 * already due only the latest fires, once, addressed to everyone the skipped late steps would have told.
 * With `amended`, the rule of an amendment that moved the deadline (rearmAfterAmendment): the latest late step
 * to its own audience. Undefined when no late step is due.
 */
export function catchUpStep(
  escalation: readonly EscalationStepConfig[],
  deadline: string | null,
  now: Date,
  amended = false,
): { step: EscalationStepConfig; audience: AudienceRole[] } | undefined {
  if (!deadline) return undefined;
  const byKey = new Map(escalation.map((s) => [s.key, s]));
  const late = scheduleEscalation(escalation, new Date(deadline), calendar)
    .filter((s) => s.fireAt.getTime() <= now.getTime())
    .map((s) => byKey.get(s.stepKey)!)
    .filter((s) => s.kind !== 'reminder');
  const step = late.at(-1);
  if (!step) return undefined;
  return { step, audience: amended ? [...step.audience] : [...new Set(late.flatMap((s) => s.audience))] };
}

/** Mirrors apps/worker/src/notifications/recipients.ts: who each audience role means, from today's directory. */
function recipientContext(directory: OrganisationDirectory, a: PlannedAssignment): RecipientContext | undefined {
  const contact = (u: Unit): UnitContact => ({ code: u.code, name: u.name, emails: u.emails, ...(u.head ? { head: u.head } : {}), locale: u.locale });
  const assignee = directory.unit(a.unitCode);
  if (!assignee) return undefined;
  const supervisor = assignee.supervisorCode ? directory.unit(assignee.supervisorCode) : undefined;
  const lead = a.leadUnitCode ? directory.unit(a.leadUnitCode) : undefined;
  const committee =
    directory.units.find((u) => u.kind === 'district_committee' && u.parentCode === null) ?? directory.units.find((u) => u.kind === 'district_committee');
  return {
    assigneeUnit: contact(assignee),
    ...(supervisor ? { supervisorUnit: contact(supervisor) } : {}),
    ...(lead ? { leadUnit: contact(lead) } : {}),
    ...(committee?.head ? { leader: { ...committee.head, locale: committee.locale } } : {}),
  };
}

/**
 * Figures under the batching contract: per recipient at most one new-work email (everything one activation or
 * amendment hands out) and one daily email (every step due today, whatever the item); immediate notices do
 * not arise from starting work.
 */
export function forecastNotices(
  scope: NoticeForecast['scope'],
  items: readonly ForecastItem[],
  directory: OrganisationDirectory,
  now: Date,
  dueSoonMs: number,
): NoticeForecast {
  let overdue = 0;
  let dueSoon = 0;
  let latestDeadline: number | null = null;
  const lateSteps: Record<string, number> = {};
  /** Per address: which batches it is in, and the roles it is reached through. */
  const mailboxes = new Map<string, { newWork: Set<RecipientKind>; daily: Set<RecipientKind> }>();
  const reach = (audience: readonly AudienceRole[], ctx: RecipientContext, batch: 'newWork' | 'daily'): void => {
    for (const r of resolveRecipients(audience, ctx)) {
      if (r.role === 'cc_rule') continue;
      const key = r.address.toLowerCase();
      const box = mailboxes.get(key) ?? { newWork: new Set<RecipientKind>(), daily: new Set<RecipientKind>() };
      box[batch].add(r.role);
      mailboxes.set(key, box);
    }
  };

  for (const item of items) {
    const a = item.assignment;
    const deadline = a.deadline ? new Date(a.deadline) : null;
    if (deadline) latestDeadline = Math.max(latestDeadline ?? deadline.getTime(), deadline.getTime());
    const timeliness = classifyTimeliness({ status: 'assigned', deadline, completedAt: null, now, dueSoonWithinMs: dueSoonMs });
    if (timeliness === 'open_overdue') overdue++;
    else if (timeliness === 'due_soon') dueSoon++;
    const ctx = recipientContext(directory, a);
    if (!ctx) continue;
    if (item.newWork) reach(['assignee'], ctx, 'newWork');
    const late = catchUpStep(a.escalation, a.deadline, now, item.previousDeadline !== undefined);
    if (!late) continue;
    if (item.previousDeadline && dueUnder(a.escalation, item.previousDeadline, late.step.key, now)) continue;
    lateSteps[late.step.key] = (lateSteps[late.step.key] ?? 0) + 1;
    reach(late.audience, ctx, 'daily');
  }

  const byKind = Object.fromEntries(RECIPIENT_KINDS.map((k) => [k, { recipients: 0, newWork: 0, daily: 0 }])) as Record<RecipientKind, RecipientKindFigures>;
  const perRecipient: number[] = [];
  for (const box of mailboxes.values()) {
    perRecipient.push((box.newWork.size > 0 ? 1 : 0) + (box.daily.size > 0 ? 1 : 0));
    for (const kind of new Set([...box.newWork, ...box.daily])) byKind[kind].recipients++;
    for (const kind of box.newWork) byKind[kind].newWork++;
    for (const kind of box.daily) byKind[kind].daily++;
  }
  perRecipient.sort((x, y) => x - y);
  const total = {
    recipients: perRecipient.length,
    emails: perRecipient.reduce((s, n) => s + n, 0),
    maxPerRecipient: perRecipient.at(-1) ?? 0,
    medianPerRecipient: median(perRecipient),
  };
  return {
    scope,
    asOf: now.toISOString(),
    assignments: items.length,
    overdue,
    dueSoon,
    dueSoonDays: dueSoonMs / 86_400_000,
    lateSteps,
    byKind,
    total,
    warning: warningOf(scope, items.length, overdue, latestDeadline, total.emails, total.recipients),
  };
}

/** Whether the step was already due under that deadline: the running work has fired (or skipped) it then. */
function dueUnder(escalation: readonly EscalationStepConfig[], deadline: string, stepKey: string, now: Date): boolean {
  return scheduleEscalation(escalation, new Date(deadline), calendar).some((s) => s.stepKey === stepKey && s.fireAt.getTime() <= now.getTime());
}

function median(sorted: readonly number[]): number {
  if (sorted.length === 0) return 0;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function warningOf(
  scope: NoticeForecast['scope'],
  assignments: number,
  overdue: number,
  latestDeadline: number | null,
  emails: number,
  recipients: number,
): NoticeForecast['warning'] {
  if (overdue === 0) return null;
  const latest = latestDeadline === null ? null : new Date(latestDeadline).toISOString();
  const mail = `Mỗi nhiệm vụ quá hạn chỉ gửi một thông báo ở mức đôn đốc hiện tại (không gửi lại từng bước nhắc việc, đôn đốc đã qua); dự kiến gửi ${emails} email tới ${recipients} người nhận.`;
  if (overdue === assignments) {
    const latestText = latest ? formatDateVN(new Date(latest)) : '—';
    return {
      code: 'ALL_DEADLINES_PASSED',
      latestDeadline: latest,
      message:
        scope === 'activation'
          ? `Tất cả thời hạn của kế hoạch đã qua (hạn muộn nhất ${latestText}): ${overdue} nhiệm vụ sẽ quá hạn ngay khi kích hoạt. Hãy kiểm tra lại năm của kế hoạch hoặc điều chỉnh thời hạn trước khi kích hoạt. ${mail}`
          : `Tất cả thời hạn sau điều chỉnh đã qua (hạn muộn nhất ${latestText}): ${overdue} nhiệm vụ được giao mới hoặc điều chỉnh sẽ quá hạn ngay. Hãy kiểm tra lại thời hạn trước khi điều chỉnh. ${mail}`,
    };
  }
  return {
    code: 'SOME_DEADLINES_PASSED',
    latestDeadline: latest,
    message: `${overdue}/${assignments} nhiệm vụ đã quá hạn ngay khi bắt đầu. ${mail}`,
  };
}
