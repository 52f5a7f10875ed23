import { z } from 'zod';

/** Every notification Dondoc sends. The string values are stored in the outbox, so never rename one. */
export const NOTIFICATION_KINDS = [
  'assigned',
  'reminder',
  'overdue',
  'escalation',
  'leadership',
  'returned',
  'extension_granted',
  'extension_refused',
  'deadline_changed',
  'digest',
  'leader_summary',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const localeSchema = z.enum(['vi', 'en']);
export type Locale = z.infer<typeof localeSchema>;

// Only web links: the URL ends up in an href, and a javascript: or data: URL there would be an injection.
const webUrl = z.url({ protocol: /^https?$/ });
const text = z.string().trim().min(1);

/** A plan without a number (a draft-like document, as the sample plan) is named by its title alone. */
const planRef = z.object({ number: text.optional(), title: text });

/** Fields every message shares. `link` is built by the caller (usually a signed link to the assignment or inbox). */
const common = {
  locale: localeSchema.default('vi'),
  now: z.date(),
  link: webUrl,
  /** Who the message greets: a unit name or a person. */
  recipientName: text.optional(),
  /** Names of everyone else this notification went to, so the reader knows who has been told. */
  informed: z.array(text).default([]),
};

/** Fields of a message about one assignment. */
const assignment = {
  ...common,
  plan: planRef,
  responsibility: text,
  assigneeUnit: text,
  deadline: z.date(),
  /** E.g. "6 tháng đầu năm 2024"; shown when the responsibility recurs. */
  periodLabel: text.optional(),
  /** Override the calendar-day counts when the caller measures them differently (e.g. working days). */
  daysLeft: z.number().int().min(0).optional(),
  daysLate: z.number().int().min(0).optional(),
};

const escalationStep = z.object({ level: z.number().int().min(0), stepLabel: text });

export const assignedContextSchema = z.object({
  ...assignment,
  role: z.enum(['lead', 'coordinate']).default('lead'),
  leadUnit: text.optional(),
  recurrenceLabel: text.optional(),
});
export const reminderContextSchema = z.object({ ...assignment, escalation: escalationStep.optional() });
export const overdueContextSchema = z.object({ ...assignment, escalation: escalationStep.optional() });
export const escalationContextSchema = z.object({ ...assignment, escalation: escalationStep });
export const leadershipContextSchema = z.object({
  ...assignment,
  escalation: escalationStep,
  leaderName: text,
  leaderTitle: text.optional(),
  /** File name of the attached urging letter (văn bản đôn đốc). */
  attachmentName: text,
});
export const returnedContextSchema = z.object({
  ...assignment,
  reviewerName: text,
  reviewerUnit: text.optional(),
  comment: text,
});
export const extensionGrantedContextSchema = z.object({
  ...assignment,
  previousDeadline: z.date(),
  decidedBy: text,
  comment: text.optional(),
});
export const extensionRefusedContextSchema = z.object({
  ...assignment,
  requestedDeadline: z.date(),
  decidedBy: text,
  comment: text.optional(),
});

/** A plan amendment moved the deadline (the unit's granted extension, when later, is kept and not announced). */
export const deadlineChangedContextSchema = z.object({
  ...assignment,
  /** Null when the assignment had no deadline before. */
  previousDeadline: z.date().nullable(),
  changedBy: text,
  /** The coordinator's reason for the amendment. */
  comment: text.optional(),
});

const digestItem = z.object({
  planNumber: text,
  responsibility: text,
  deadline: z.date(),
  link: webUrl.optional(),
  /** The reviewer's comment for a returned submission. */
  comment: text.optional(),
});
export type DigestItem = z.infer<typeof digestItem>;

export const digestContextSchema = z.object({
  ...common,
  unitName: text,
  dueSoon: z.array(digestItem).default([]),
  overdue: z.array(digestItem).default([]),
  returned: z.array(digestItem).default([]),
});

const lateItem = z.object({
  planNumber: text,
  responsibility: text,
  deadline: z.date(),
  escalationLevel: z.number().int().min(0).optional(),
});
export const leaderSummaryContextSchema = z.object({
  ...common,
  leaderName: text,
  /** E.g. "tuần từ 20/05/2024 đến 26/05/2024"; defaults to the week ending at `now`. */
  periodLabel: text.optional(),
  lateUnits: z.array(z.object({ unitName: text, items: z.array(lateItem).min(1) })).default([]),
});

export const notificationContextSchemas = {
  assigned: assignedContextSchema,
  reminder: reminderContextSchema,
  overdue: overdueContextSchema,
  escalation: escalationContextSchema,
  leadership: leadershipContextSchema,
  returned: returnedContextSchema,
  extension_granted: extensionGrantedContextSchema,
  extension_refused: extensionRefusedContextSchema,
  deadline_changed: deadlineChangedContextSchema,
  digest: digestContextSchema,
  leader_summary: leaderSummaryContextSchema,
} as const satisfies Record<NotificationKind, z.ZodType>;

type Schemas = typeof notificationContextSchemas;
/** What a caller passes for one kind (defaults not yet applied). */
export type NotificationContextInput<K extends NotificationKind> = z.input<Schemas[K]>;
/** The validated context of one kind. */
export type NotificationContextOf<K extends NotificationKind> = z.output<Schemas[K]>;

/** The context of any kind, tagged with its kind: the shape an outbox row can store and replay. */
export const notificationContextSchema = z.discriminatedUnion('kind', [
  assignedContextSchema.extend({ kind: z.literal('assigned') }),
  reminderContextSchema.extend({ kind: z.literal('reminder') }),
  overdueContextSchema.extend({ kind: z.literal('overdue') }),
  escalationContextSchema.extend({ kind: z.literal('escalation') }),
  leadershipContextSchema.extend({ kind: z.literal('leadership') }),
  returnedContextSchema.extend({ kind: z.literal('returned') }),
  extensionGrantedContextSchema.extend({ kind: z.literal('extension_granted') }),
  extensionRefusedContextSchema.extend({ kind: z.literal('extension_refused') }),
  deadlineChangedContextSchema.extend({ kind: z.literal('deadline_changed') }),
  digestContextSchema.extend({ kind: z.literal('digest') }),
  leaderSummaryContextSchema.extend({ kind: z.literal('leader_summary') }),
]);
export type NotificationContext = z.output<typeof notificationContextSchema>;
export type NotificationContextInputAny = z.input<typeof notificationContextSchema>;
