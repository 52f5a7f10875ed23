import { z } from 'zod';
import { AssignmentStatus, escalationStepSchema, Timeliness } from '@app/domain';
import { documented, isoInstant, langQuery, listOf, paged, pageQuery } from './common';

export const assignmentStatus = z.enum(AssignmentStatus);
export const timeliness = z.enum(Timeliness);
export const assignmentRole = z.enum(['lead', 'coordinate']);

/** docs/api-contract.md "AssignmentListItem". */
export const assignmentListItem = z
  .object({
    workflowId: z.string(),
    planId: z.string(),
    planTitle: z.string(),
    itemKey: z.string(),
    kind: z.enum(['responsibility', 'report']),
    title: z.string(),
    /** 'lead' (chủ trì; every report) or 'coordinate' (phối hợp). */
    role: assignmentRole,
    unitCode: z.string(),
    unitName: z.string(),
    periodKey: z.string(),
    periodLabel: z.string(),
    status: assignmentStatus,
    timeliness: timeliness.nullable(),
    deadline: isoInstant.nullable(),
    daysLeft: z.number().int().nullable(),
    progress: z.number().min(0).max(100),
    escalationLevel: z.number().int().min(0),
    updatedAt: isoInstant,
  })
  .meta({ id: 'AssignmentListItem' });
export type AssignmentListItem = z.infer<typeof assignmentListItem>;

export const indicatorValue = z.object({ indicatorKey: z.string().min(1).max(64), value: z.number(), denominator: z.number().optional() });
export type IndicatorValue = z.infer<typeof indicatorValue>;

export const attachmentRef = z.object({ id: z.string().min(1).max(200), name: z.string().min(1).max(255), size: z.number().int().nonnegative() });
export const attachment = attachmentRef.extend({ contentType: z.string().optional() }).meta({ id: 'Attachment' });
export type Attachment = z.infer<typeof attachment>;

export const submission = z
  .object({ text: z.string(), indicatorValues: z.array(indicatorValue), attachments: z.array(attachment), submittedAt: isoInstant, submittedBy: z.string() })
  .meta({ id: 'Submission' });
export type Submission = z.infer<typeof submission>;

export const extensionRequest = z
  .object({ newDeadline: isoInstant, reason: z.string(), requestedBy: z.string(), requestedAt: isoInstant })
  .meta({ id: 'ExtensionRequest' });
export type ExtensionRequest = z.infer<typeof extensionRequest>;

// ---- inbox and queues ----

export const inboxQuery = z.object({
  ...pageQuery,
  ...langQuery,
  status: listOf(assignmentStatus).optional(),
  timeliness: listOf(timeliness).optional(),
  planId: z.uuid().optional(),
  dueWithinDays: z.coerce.number().int().min(0).max(366).optional(),
  q: z.string().trim().min(1).max(200).optional(),
  unitCode: z.string().trim().min(1).max(64).optional(),
  sort: z.enum(['deadline', '-deadline', 'updated']).default('deadline'),
});
/** The inbox filter as a client builds it (one status and one class; the API also takes lists). */
export type InboxQuery = Partial<Omit<z.output<typeof inboxQuery>, 'status' | 'timeliness' | 'lang'>> & { status?: AssignmentStatus; timeliness?: Timeliness };

const countsBy = <K extends z.ZodType<string>>(key: K) => z.partialRecord(key, z.number().int().min(0));
export const statusCounts = countsBy(assignmentStatus);
export const timelinessCounts = countsBy(timeliness);
export type TimelinessCounts = z.infer<typeof timelinessCounts>;

export const inboxResponse = paged(assignmentListItem).extend({ counts: z.object({ byStatus: statusCounts, byTimeliness: timelinessCounts }) });
export type InboxResponse = z.infer<typeof inboxResponse>;

export const queueQuery = z.object({ ...pageQuery, ...langQuery, planId: z.uuid().optional(), unitCode: z.string().trim().min(1).max(64).optional() });
export const reviewQueueResponse = paged(assignmentListItem.extend({ submittedAt: isoInstant.nullable() }));
export const extensionQueueResponse = paged(assignmentListItem.extend({ pendingExtension: extensionRequest.nullable() }));

// ---- one assignment ----

export const workflowIdParams = z.object({ workflowId: z.string().min(1).max(500) });

// An escalation offset: an ISO 8601 duration of at most four digits a part (a step fires within the calendar the
// workflow can compute) and, on the working-day basis, days (or weeks) only. Checked here and said in the document.
const DURATION = '^(?![+-]?P$)(?!.*T$)[+-]?P(?:\\d{1,4}Y)?(?:\\d{1,4}M)?(?:\\d{1,4}W)?(?:\\d{1,4}D)?(?:T(?:\\d{1,4}H)?(?:\\d{1,4}M)?(?:\\d{1,4}(?:[.,]\\d{1,3})?S)?)?$';
const WORKING_DURATION = '^(?![+-]?P$)[+-]?P(?:\\d{1,4}W)?(?:\\d{1,4}D)?$';
export const startAssignmentBody = z.object({
  planId: z.uuid(),
  planNumber: z.string().nullable().default(null),
  planTitle: z.string().min(1),
  itemKey: z.string().min(1).max(64),
  kind: z.enum(['responsibility', 'report']).default('responsibility'),
  title: z.string().min(1).max(10000),
  role: assignmentRole.default('lead'),
  unitCode: z.string().min(1).max(64),
  leadUnitCode: z.string().nullable().default(null),
  periodKey: z.string().min(1).max(32).default('once'),
  periodLabel: z.string().default(''),
  deadline: isoInstant.nullable(),
  escalation: z
    .array(escalationStepSchema)
    .max(20)
    .superRefine((steps, ctx) =>
      steps.forEach((step, i) => {
        const pattern = step.basis === 'working' ? WORKING_DURATION : DURATION;
        if (!new RegExp(pattern).test(step.offset)) ctx.addIssue({ code: 'custom', path: [i, 'offset'], message: 'thời lượng ISO 8601, mỗi phần tối đa 4 chữ số' });
      }),
    ),
});
documented(escalationStepSchema.shape.offset, { pattern: DURATION, description: 'ISO 8601 duration (P3D, -P1D, PT12H); with basis "working", days only' });
documented(escalationStepSchema, {
  anyOf: [{ not: { required: ['basis'], properties: { basis: { enum: ['working'] } } } }, { properties: { offset: { pattern: WORKING_DURATION } } }],
});
documented(escalationStepSchema.shape.audience, { uniqueItems: true });
export const startAssignmentResponse = z.object({ workflowId: z.string() });

const comment = z.string().max(2000).optional();
export const assignmentActionBody = z.discriminatedUnion('type', [
  z.object({ type: z.literal('acknowledge'), comment }),
  z.object({ type: z.literal('progress'), percent: z.number().int().min(0).max(100), comment }),
  z.object({
    type: z.literal('submit'),
    text: z.string().min(1).max(20000),
    indicatorValues: z.array(indicatorValue).max(100).optional(),
    attachments: z.array(attachmentRef).max(20).optional(),
  }),
  z.object({ type: z.literal('approve'), comment }),
  z.object({ type: z.literal('return'), comment: z.string().min(1).max(2000) }),
  z.object({ type: z.literal('request-extension'), newDeadline: isoInstant, reason: z.string().min(1).max(2000) }),
  z.object({ type: z.literal('decide-extension'), grant: z.boolean(), comment }),
  z.object({ type: z.literal('reassign'), unitCode: z.string().min(1).max(64), comment }),
  z.object({ type: z.literal('cancel'), reason: z.string().min(1).max(2000) }),
]);
export type AssignmentActionBody = z.infer<typeof assignmentActionBody>;

/** The workflow's snapshot an action answers with (the fields a client reads; more may come). */
export const actionResult = z
  .object({ status: assignmentStatus, progress: z.number(), submission: submission.nullish(), pendingExtension: extensionRequest.nullish() })
  .loose()
  .meta({ id: 'AssignmentSnapshot' });
export type ActionResult = z.infer<typeof actionResult>;

export const sourceLocation = z.object({ section: z.string().nullable(), line: z.number().int(), endLine: z.number().int() });

export const teamMember = z.object({
  workflowId: z.string(),
  unitCode: z.string(),
  unitName: z.string(),
  role: assignmentRole,
  status: assignmentStatus,
  timeliness: timeliness.nullable(),
  progress: z.number(),
  progressNote: z.string().nullable(),
  deadline: isoInstant.nullable(),
  daysLeft: z.number().int().nullable(),
  updatedAt: isoInstant,
});
export type TeamMember = z.infer<typeof teamMember>;

export const assignmentEvent = z.object({
  seq: z.number().int(),
  type: z.string(),
  actor: z.string(),
  actorName: z.string().nullable(),
  at: isoInstant,
  comment: z.string().nullable(),
  data: z.record(z.string(), z.unknown()).nullable(),
});
export type AssignmentEvent = z.infer<typeof assignmentEvent>;

export const sentNotification = z.object({
  stepKey: z.string(),
  kind: z.string(),
  recipient: z.string().nullable(),
  status: z.string(),
  sentAt: isoInstant.nullable(),
  subject: z.string().nullable(),
});
export type SentNotification = z.infer<typeof sentNotification>;

export const assignmentDetail = z
  .object({
    assignment: assignmentListItem.extend({
      leadUnitCode: z.string().nullable(),
      progressNote: z.string().nullable(),
      submission: submission.nullable(),
      pendingExtension: extensionRequest.nullable(),
      completedAt: isoInstant.nullable(),
    }),
    plan: z.object({ id: z.string(), number: z.string().nullable(), title: z.string() }),
    place: z.object({ sectionKey: z.string().nullable(), sectionHeading: z.string().nullable(), text: z.string(), source: sourceLocation }).nullable(),
    coordination: z.object({ leads: z.array(teamMember), coordinators: z.array(teamMember) }).nullable(),
    events: z.array(assignmentEvent),
    notifications: z.array(sentNotification),
  })
  .meta({ id: 'AssignmentDetail' });
export type AssignmentDetail = z.infer<typeof assignmentDetail>;

export const attachmentIdParams = z.object({ id: z.string().min(1).max(200) });
