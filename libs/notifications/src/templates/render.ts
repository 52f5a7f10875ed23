import { calendarDaysBetween, formatDateVN, formatDeadlineVN } from '../time';
import { COPY, SUBJECT_PREFIX, type Copy } from './copy';
import {
  notificationContextSchema,
  notificationContextSchemas,
  type DigestItem,
  type NotificationContext,
  type NotificationContextInput,
  type NotificationContextInputAny,
  type NotificationContextOf,
  type NotificationKind,
} from './context';
import { type MessageModel, renderHtml, renderText } from './layout';

export interface RenderedNotification {
  subject: string;
  text: string;
  html: string;
}

/** Validates the context of `kind` (throws a ZodError on bad input) and renders subject and both bodies. */
export function renderNotification<K extends NotificationKind>(kind: K, ctx: NotificationContextInput<K>): RenderedNotification {
  const parsed = notificationContextSchema.parse({ ...ctx, kind });
  return renderModel(buildModel(parsed));
}

/** Same as renderNotification for a context that carries its own kind (e.g. replayed from the outbox). */
export function renderNotificationContext(ctx: NotificationContextInputAny): RenderedNotification {
  return renderModel(buildModel(notificationContextSchema.parse(ctx)));
}

/** The validated context without rendering: lets callers check input early (e.g. before writing an outbox row). */
export function parseNotificationContext<K extends NotificationKind>(kind: K, ctx: NotificationContextInput<K>): NotificationContextOf<K> {
  return notificationContextSchemas[kind].parse(ctx) as NotificationContextOf<K>;
}

function renderModel(model: MessageModel): RenderedNotification {
  return { subject: model.subject, text: renderText(model), html: renderHtml(model) };
}

// Subjects are one line; a newline would also be an attempt at header injection.
const oneLine = (s: string): string => s.replace(/\s+/g, ' ').trim();
const shorten = (s: string, max = 90): string => {
  const flat = oneLine(s);
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
};

interface AssignmentCtx {
  locale: 'vi' | 'en';
  now: Date;
  link: string;
  recipientName?: string | undefined;
  informed: string[];
  plan: { number?: string | undefined; title: string };
  responsibility: string;
  assigneeUnit: string;
  deadline: Date;
  periodLabel?: string | undefined;
  daysLeft?: number | undefined;
  daysLate?: number | undefined;
}

const daysLeftOf = (c: AssignmentCtx): number => c.daysLeft ?? Math.max(0, calendarDaysBetween(c.now, c.deadline));
const daysLateOf = (c: AssignmentCtx): number => c.daysLate ?? Math.max(0, calendarDaysBetween(c.deadline, c.now));

/** The facts every assignment message shows, in a fixed order. */
function assignmentFacts(t: Copy, c: AssignmentCtx, status: 'left' | 'late' | 'none'): Array<[string, string]> {
  const facts: Array<[string, string]> = [
    [t.label.plan, t.plan(c.plan.number, c.plan.title)],
    [t.label.responsibility, c.responsibility],
    [t.label.assignee, c.assigneeUnit],
  ];
  if (c.periodLabel) facts.push([t.label.period, c.periodLabel]);
  facts.push([t.label.deadline, formatDeadlineVN(c.deadline)]);
  const left = daysLeftOf(c);
  const late = daysLateOf(c);
  if (status === 'left') facts.push([t.label.daysLeft, left === 0 ? t.daysLeft(0) : t.dayCount(left)]);
  if (status === 'late') facts.push([t.label.daysLate, late === 0 ? t.daysLate(0) : t.dayCount(late)]);
  return facts;
}

function withInformed(t: Copy, facts: Array<[string, string]>, informed: string[]): Array<[string, string]> {
  return informed.length > 0 ? [...facts, [t.label.informed, informed.join('; ')]] : facts;
}

function assignmentSubject(kind: NotificationKind, c: AssignmentCtx, suffix: string): string {
  // Without a plan number the subject names the task alone; a placeholder would only puzzle the reader.
  const plan = c.plan.number ? `${c.plan.number}: ` : '';
  return oneLine(`${SUBJECT_PREFIX[c.locale][kind]} ${plan}${shorten(c.responsibility)} - ${suffix}`);
}

function base(c: { locale: 'vi' | 'en'; recipientName?: string | undefined }, t: Copy): Pick<MessageModel, 'locale' | 'greeting' | 'footer' | 'sections'> {
  return { locale: c.locale, greeting: t.greeting(c.recipientName), footer: t.footer, sections: [] };
}

function buildModel(ctx: NotificationContext): MessageModel {
  const t = COPY[ctx.locale];
  switch (ctx.kind) {
    case 'assigned': {
      const facts = assignmentFacts(t, ctx, 'none');
      facts.splice(3, 0, [t.label.role, t.role(ctx.role)]);
      if (ctx.recurrenceLabel) facts.push([t.label.recurrence, ctx.recurrenceLabel]);
      const paragraphs = [t.assigned(ctx.assigneeUnit, ctx.role, t.plan(ctx.plan.number, ctx.plan.title))];
      if (ctx.role === 'coordinate' && ctx.leadUnit) paragraphs.push(t.assignedLead(ctx.leadUnit));
      return {
        ...base(ctx, t),
        subject: assignmentSubject('assigned', ctx, t.subjectDue(formatDeadlineVN(ctx.deadline))),
        paragraphs,
        facts: withInformed(t, facts, ctx.informed),
        action: { label: t.action.acknowledge, url: ctx.link },
      };
    }
    case 'reminder': {
      const facts = assignmentFacts(t, ctx, 'left');
      if (ctx.escalation) facts.push([t.label.escalation, t.escalation(ctx.escalation.level, ctx.escalation.stepLabel)]);
      return {
        ...base(ctx, t),
        subject: assignmentSubject('reminder', ctx, `${t.subjectDue(formatDeadlineVN(ctx.deadline))} (${t.daysLeft(daysLeftOf(ctx))})`),
        paragraphs: [t.reminder(formatDeadlineVN(ctx.deadline), daysLeftOf(ctx))],
        facts: withInformed(t, facts, ctx.informed),
        action: { label: t.action.open, url: ctx.link },
      };
    }
    case 'overdue': {
      const facts = assignmentFacts(t, ctx, 'late');
      if (ctx.escalation) facts.push([t.label.escalation, t.escalation(ctx.escalation.level, ctx.escalation.stepLabel)]);
      return {
        ...base(ctx, t),
        subject: assignmentSubject('overdue', ctx, t.daysLate(daysLateOf(ctx))),
        paragraphs: [t.overdue(formatDeadlineVN(ctx.deadline), daysLateOf(ctx))],
        facts: withInformed(t, facts, ctx.informed),
        action: { label: t.action.open, url: ctx.link },
      };
    }
    case 'escalation':
    case 'leadership': {
      const facts = assignmentFacts(t, ctx, 'late');
      facts.push([t.label.escalation, t.escalation(ctx.escalation.level, ctx.escalation.stepLabel)]);
      const deadline = formatDeadlineVN(ctx.deadline);
      const paragraph =
        ctx.kind === 'leadership'
          ? t.leadership(
              ctx.leaderTitle ? `${ctx.leaderTitle} ${ctx.leaderName}` : ctx.leaderName,
              ctx.assigneeUnit,
              deadline,
              daysLateOf(ctx),
              ctx.attachmentName,
            )
          : t.escalationBody(ctx.assigneeUnit, deadline, daysLateOf(ctx));
      return {
        ...base(ctx, t),
        subject: oneLine(
          `${SUBJECT_PREFIX[ctx.locale][ctx.kind]} ${ctx.assigneeUnit} - ${ctx.plan.number ? `${ctx.plan.number}: ` : ''}${shorten(ctx.responsibility, 70)} (${t.daysLate(daysLateOf(ctx))})`,
        ),
        paragraphs: [paragraph],
        facts: withInformed(t, facts, ctx.informed),
        action: { label: t.action.open, url: ctx.link },
      };
    }
    case 'returned': {
      const reviewer = ctx.reviewerUnit ? `${ctx.reviewerName} (${ctx.reviewerUnit})` : ctx.reviewerName;
      return {
        ...base(ctx, t),
        subject: assignmentSubject('returned', ctx, t.subjectDue(formatDeadlineVN(ctx.deadline))),
        paragraphs: [t.returned(reviewer)],
        facts: withInformed(t, assignmentFacts(t, ctx, 'left'), ctx.informed),
        quote: { label: t.label.comment, text: ctx.comment },
        closing: [t.returnedAfter(formatDeadlineVN(ctx.deadline))],
        action: { label: t.action.review, url: ctx.link },
      };
    }
    case 'extension_granted': {
      const facts = assignmentFacts(t, ctx, 'left');
      facts.push([t.label.previousDeadline, formatDeadlineVN(ctx.previousDeadline)], [t.label.decidedBy, ctx.decidedBy]);
      return {
        ...base(ctx, t),
        subject: assignmentSubject('extension_granted', ctx, t.subjectDue(formatDeadlineVN(ctx.deadline))),
        paragraphs: [t.extensionGranted(ctx.decidedBy, formatDeadlineVN(ctx.deadline), formatDeadlineVN(ctx.previousDeadline))],
        facts: withInformed(t, facts, ctx.informed),
        ...(ctx.comment ? { quote: { label: t.label.reason, text: ctx.comment } } : {}),
        action: { label: t.action.open, url: ctx.link },
      };
    }
    case 'extension_refused': {
      const facts = assignmentFacts(t, ctx, 'left');
      facts.push([t.label.requestedDeadline, formatDeadlineVN(ctx.requestedDeadline)], [t.label.decidedBy, ctx.decidedBy]);
      return {
        ...base(ctx, t),
        subject: assignmentSubject('extension_refused', ctx, t.subjectDue(formatDeadlineVN(ctx.deadline))),
        paragraphs: [t.extensionRefused(ctx.decidedBy, formatDeadlineVN(ctx.requestedDeadline), formatDeadlineVN(ctx.deadline))],
        facts: withInformed(t, facts, ctx.informed),
        ...(ctx.comment ? { quote: { label: t.label.reason, text: ctx.comment } } : {}),
        action: { label: t.action.open, url: ctx.link },
      };
    }
    case 'deadline_changed': {
      const previous = ctx.previousDeadline ? formatDeadlineVN(ctx.previousDeadline) : null;
      const facts = assignmentFacts(t, ctx, 'left');
      if (previous) facts.push([t.label.previousDeadline, previous]);
      facts.push([t.label.changedBy, ctx.changedBy]);
      return {
        ...base(ctx, t),
        subject: assignmentSubject('deadline_changed', ctx, t.subjectDue(formatDeadlineVN(ctx.deadline))),
        paragraphs: [t.deadlineChanged(formatDeadlineVN(ctx.deadline), previous)],
        facts: withInformed(t, facts, ctx.informed),
        ...(ctx.comment ? { quote: { label: t.label.reason, text: ctx.comment } } : {}),
        action: { label: t.action.open, url: ctx.link },
      };
    }
    case 'digest': {
      const today = formatDateVN(ctx.now);
      const item = (i: DigestItem, status: string): { text: string; link?: string } => ({
        text: t.digestItem(i.planNumber, oneLine(i.responsibility), formatDeadlineVN(i.deadline), i.comment ? `${status}; ${i.comment}` : status),
        ...(i.link ? { link: i.link } : {}),
      });
      const left = (d: Date): string => t.daysLeft(Math.max(0, calendarDaysBetween(ctx.now, d)));
      const late = (d: Date): string => t.daysLate(Math.max(0, calendarDaysBetween(d, ctx.now)));
      const sinceDeadline = (d: Date): string => (d.getTime() < ctx.now.getTime() ? late(d) : left(d));
      return {
        ...base({ ...ctx, recipientName: ctx.recipientName ?? ctx.unitName }, t),
        subject: oneLine(`${SUBJECT_PREFIX[ctx.locale].digest} ${t.digestSubject(ctx.unitName, today)}`),
        paragraphs: [t.digestIntro(ctx.unitName, today, ctx.dueSoon.length, ctx.overdue.length, ctx.returned.length)],
        facts: withInformed(t, [], ctx.informed),
        sections: [
          { title: `${t.digestSections.overdue} (${ctx.overdue.length})`, items: ctx.overdue.map((i) => item(i, late(i.deadline))), empty: t.digestSections.empty },
          { title: `${t.digestSections.dueSoon} (${ctx.dueSoon.length})`, items: ctx.dueSoon.map((i) => item(i, left(i.deadline))), empty: t.digestSections.empty },
          {
            title: `${t.digestSections.returned} (${ctx.returned.length})`,
            items: ctx.returned.map((i) => item(i, sinceDeadline(i.deadline))),
            empty: t.digestSections.empty,
          },
        ],
        action: { label: t.action.inbox, url: ctx.link },
      };
    }
    case 'leader_summary': {
      const weekStart = new Date(ctx.now.getTime() - 6 * 24 * 60 * 60 * 1000);
      const period = ctx.periodLabel ?? t.week(formatDateVN(weekStart), formatDateVN(ctx.now));
      const itemCount = ctx.lateUnits.reduce((n, u) => n + u.items.length, 0);
      return {
        ...base({ ...ctx, recipientName: ctx.recipientName ?? ctx.leaderName }, t),
        subject: oneLine(`${SUBJECT_PREFIX[ctx.locale].leader_summary} ${t.leaderSummarySubject(period, ctx.lateUnits.length)}`),
        paragraphs: [t.leaderSummaryIntro(ctx.leaderName, period, ctx.lateUnits.length, itemCount)],
        facts: withInformed(t, [], ctx.informed),
        sections: ctx.lateUnits.map((u) => ({
          title: t.leaderSummaryUnit(u.unitName, u.items.length),
          items: u.items.map((i) => ({
            text: `${t.digestItem(i.planNumber, oneLine(i.responsibility), formatDeadlineVN(i.deadline), t.daysLate(Math.max(0, calendarDaysBetween(i.deadline, ctx.now))))}${
              i.escalationLevel !== undefined ? ` - ${t.label.escalation}: ${i.escalationLevel}` : ''
            }`,
          })),
          empty: t.leaderSummaryNone,
        })),
        action: { label: t.action.dashboard, url: ctx.link },
      };
    }
  }
}
