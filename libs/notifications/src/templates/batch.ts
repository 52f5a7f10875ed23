import { z } from 'zod';
import { calendarDaysBetween, formatDateVN, formatDeadlineVN } from '../time';
import { type Locale, localeSchema } from './context';
import { COPY, SUBJECT_PREFIX } from './copy';
import { type MessageModel, renderHtml, renderText } from './layout';
import { type RenderedNotification } from './render';

/**
 * One notice inside a batch message, as the recorder stored it with the outbox row (JSON: dates are
 * ISO strings). Validated when the batch closes, so a malformed row fails loudly instead of mailing junk.
 */
export const batchItemSchema = z.object({
  workflowId: z.string().min(1),
  kind: z.enum(['assigned', 'deadline_changed', 'reminder', 'overdue', 'escalation', 'leadership']),
  stepLabel: z.string().optional(),
  escalationLevel: z.number().int().min(0).default(0),
  planNumber: z.string().optional(),
  planTitle: z.string().min(1),
  responsibility: z.string().min(1),
  unitCode: z.string().min(1),
  unitName: z.string().min(1),
  role: z.enum(['lead', 'coordinate']).optional(),
  periodLabel: z.string().optional(),
  deadline: z.coerce.date(),
  previousDeadline: z.coerce.date().nullable().optional(),
  link: z.url(),
});
export type BatchItem = z.output<typeof batchItemSchema>;
export type BatchItemInput = z.input<typeof batchItemSchema>;

export interface BatchMessageInput {
  batchClass: 'new' | 'daily';
  locale: Locale;
  /** When the batch closes: day counts are as of then. */
  now: Date;
  recipientName: string;
  items: BatchItemInput[];
  /** The task list or dashboard. */
  link: string;
  /** The leader's batch: the draft urging letter of each late unit. */
  letters?: Array<{ unitCode: string; filename: string; url: string }>;
}

const oneLine = (s: string): string => s.replace(/\s+/g, ' ').trim();

const BATCH_COPY = {
  vi: {
    newSubject: (plan: string, n: number, changed: number) =>
      `${plan}: ${n} nhiệm vụ được giao${changed > 0 ? ` (${changed} nhiệm vụ điều chỉnh thời hạn)` : ''}`,
    newIntro: (plan: string, n: number) =>
      `Thực hiện ${plan}, cơ quan, đơn vị được giao ${n} nhiệm vụ dưới đây. Đề nghị mở từng nhiệm vụ để xác nhận và cập nhật tiến độ.`,
    dailySubject: (plan: string, n: number, late: number, date: string) => `${plan}: ${n} nhiệm vụ cần xử lý${late > 0 ? `, ${late} quá hạn` : ''} - ${date}`,
    dailyIntro: (plan: string, n: number, date: string) =>
      `Tổng hợp ngày ${date} các nhiệm vụ thuộc ${plan} cần đôn đốc (${n} nhiệm vụ), xếp theo đơn vị thực hiện.`,
    leaderIntro: (plan: string, units: number, n: number, date: string) =>
      `Tổng hợp ngày ${date}: ${units} đơn vị chậm thực hiện ${n} nhiệm vụ thuộc ${plan}. Dự thảo văn bản đôn đốc của từng đơn vị (mỗi đơn vị một văn bản, liệt kê toàn bộ nhiệm vụ quá hạn) được đính kèm và có đường dẫn dưới đây.`,
    unit: (name: string, n: number) => `${name} (${n} nhiệm vụ)`,
    role: { lead: 'chủ trì', coordinate: 'phối hợp' },
    roleLabel: 'Vai trò',
    deadline: 'Thời hạn',
    step: 'Bước',
    changed: (from: string) => `điều chỉnh từ ${from}`,
    letter: (file: string) => `Dự thảo văn bản đôn đốc: ${file}`,
    letters: 'Văn bản đôn đốc',
  },
  en: {
    newSubject: (plan: string, n: number, changed: number) => `${plan}: ${n} task${n === 1 ? '' : 's'} assigned${changed > 0 ? ` (${changed} with a changed deadline)` : ''}`,
    newIntro: (plan: string, n: number) => `Under ${plan}, you have been given the ${n} task${n === 1 ? '' : 's'} below. Please open each to acknowledge it and report progress.`,
    dailySubject: (plan: string, n: number, late: number, date: string) => `${plan}: ${n} ${n === 1 ? 'task needs' : 'tasks need'} attention${late > 0 ? `, ${late} overdue` : ''} - ${date}`,
    dailyIntro: (plan: string, n: number, date: string) => `Summary for ${date} of the tasks under ${plan} that need follow-up (${n}), by unit.`,
    leaderIntro: (plan: string, units: number, n: number, date: string) =>
      `Summary for ${date}: ${units} unit${units === 1 ? ' is' : 's are'} late on ${n} task${n === 1 ? '' : 's'} under ${plan}. A draft urging letter per unit (listing all of its overdue tasks) is attached and linked below.`,
    unit: (name: string, n: number) => `${name} (${n} task${n === 1 ? '' : 's'})`,
    role: { lead: 'lead', coordinate: 'coordinating' },
    roleLabel: 'Role',
    deadline: 'Deadline',
    step: 'Step',
    changed: (from: string) => `changed from ${from}`,
    letter: (file: string) => `Draft urging letter: ${file}`,
    letters: 'Urging letters',
  },
} as const;

const SEVERITY = ['reminder', 'overdue', 'escalation', 'leadership'] as const;

/** Renders the one message of a batch: every notice, grouped by the unit that does the work. */
export function renderBatchMessage(input: BatchMessageInput): RenderedNotification {
  const items = input.items.map((i) => batchItemSchema.parse(i));
  if (items.length === 0) throw new Error('A batch message needs at least one notice');
  const locale = localeSchema.parse(input.locale);
  const t = COPY[locale];
  const b = BATCH_COPY[locale];
  const first = items[0]!;
  const planName = t.plan(first.planNumber, first.planTitle);
  const planShort = first.planNumber ?? first.planTitle;
  const today = formatDateVN(input.now);
  // One line per assignment: several steps of one assignment in one day (e.g. overdue, then escalated) show the latest.
  const latest = new Map<string, BatchItem>();
  for (const i of items) {
    const seen = latest.get(i.workflowId);
    if (!seen || SEVERITY.indexOf(i.kind as (typeof SEVERITY)[number]) >= SEVERITY.indexOf(seen.kind as (typeof SEVERITY)[number])) latest.set(i.workflowId, i);
  }
  const byUnit = new Map<string, { name: string; items: BatchItem[] }>();
  for (const i of latest.values()) {
    const group = byUnit.get(i.unitCode) ?? { name: i.unitName, items: [] };
    group.items.push(i);
    byUnit.set(i.unitCode, group);
  }
  const groups = [...byUnit.entries()].sort((x, y) => x[1].name.localeCompare(y[1].name, 'vi'));
  const lateCount = [...latest.values()].filter((i) => i.deadline < input.now).length;
  const status = (i: BatchItem): string => {
    const late = calendarDaysBetween(i.deadline, input.now);
    return i.deadline < input.now ? t.daysLate(Math.max(0, late)) : t.daysLeft(Math.max(0, calendarDaysBetween(input.now, i.deadline)));
  };
  const line = (i: BatchItem): string => {
    const parts = [oneLine(i.responsibility)];
    if (input.batchClass === 'new') {
      if (i.role) parts.push(`${b.roleLabel}: ${b.role[i.role]}`);
      if (i.periodLabel) parts.push(i.periodLabel);
      parts.push(`${b.deadline}: ${formatDeadlineVN(i.deadline)}${i.kind === 'deadline_changed' && i.previousDeadline ? ` (${b.changed(formatDeadlineVN(i.previousDeadline))})` : ''}`);
    } else {
      if (i.stepLabel) parts.push(`${b.step}: ${i.stepLabel}`);
      parts.push(`${b.deadline}: ${formatDeadlineVN(i.deadline)}`, status(i));
    }
    return parts.join(' - ');
  };
  const letters = new Map((input.letters ?? []).map((l) => [l.unitCode, l]));
  const sections = groups.map(([code, g]) => {
    const letter = letters.get(code);
    return {
      title: b.unit(g.name, g.items.length),
      items: [
        ...g.items.sort((x, y) => x.deadline.getTime() - y.deadline.getTime() || x.responsibility.localeCompare(y.responsibility, 'vi')).map((i) => ({ text: line(i), link: i.link })),
        ...(letter ? [{ text: b.letter(letter.filename), link: letter.url }] : []),
      ],
      empty: '—',
    };
  });
  const count = latest.size;
  let subject: string;
  let intro: string;
  if (input.batchClass === 'new') {
    const changed = [...latest.values()].filter((i) => i.kind === 'deadline_changed').length;
    const prefix = changed === count ? SUBJECT_PREFIX[locale].deadline_changed : SUBJECT_PREFIX[locale].assigned;
    subject = `${prefix} ${b.newSubject(planShort, count, changed)}`;
    intro = b.newIntro(planName, count);
  } else {
    // The prefix follows the most pressing notice inside, so mail filters keyed on it still work.
    const worst = SEVERITY[Math.max(...[...latest.values()].map((i) => SEVERITY.indexOf(i.kind as (typeof SEVERITY)[number])))] ?? 'reminder';
    subject = `${SUBJECT_PREFIX[locale][worst]} ${b.dailySubject(planShort, count, lateCount, today)}`;
    intro = letters.size > 0 ? b.leaderIntro(planName, groups.length, count, today) : b.dailyIntro(planName, count, today);
  }
  const model: MessageModel = {
    locale,
    subject: oneLine(subject),
    greeting: t.greeting(input.recipientName),
    paragraphs: [intro],
    facts: [],
    sections,
    action: { label: letters.size > 0 ? t.action.dashboard : t.action.inbox, url: input.link },
    footer: t.footer,
  };
  return { subject: model.subject, text: renderText(model), html: renderHtml(model) };
}
