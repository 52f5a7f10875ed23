import { z } from 'zod';
import { reportingDeadlineRuleSchema } from './periods';

/**
 * The plan model: one schema for parser output, API input and the stored plan, so a plan that
 * leaves the parser is exactly what the coordinator edits and what activation reads.
 */

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD')
  .refine((value) => {
    const [y, m, d] = value.split('-').map(Number);
    const date = new Date(Date.UTC(y, m - 1, d));
    return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
  }, 'ngày không hợp lệ');

export const IsoDateSchema = isoDate;

/** Where something came from: section key (e.g. 'V.1') and 1-based lines of the imported text. */
export const SourceLocationSchema = z
  .object({
    section: z.string().min(1).nullable(),
    line: z.number().int().min(1),
    endLine: z.number().int().min(1),
  })
  .refine((s) => s.endLine >= s.line, { message: 'endLine < line', path: ['endLine'] });
export type SourceLocation = z.infer<typeof SourceLocationSchema>;

/** A unit or group as the plan names it; code is null until the coordinator resolves it. */
export const UnitRefSchema = z.object({
  kind: z.enum(['unit', 'group']),
  code: z.string().min(1).nullable(),
  text: z.string().min(1),
});
export type UnitRef = z.infer<typeof UnitRefSchema>;

export const TextItemSchema = z.object({
  key: z.string().min(1),
  text: z.string().min(1),
  source: SourceLocationSchema,
});
export type TextItem = z.infer<typeof TextItemSchema>;

export const IndicatorKindSchema = z.enum(['percent', 'ratio', 'count', 'zero']);
export type IndicatorKind = z.infer<typeof IndicatorKindSchema>;

export const IndicatorSchema = z.object({
  kind: IndicatorKindSchema,
  target: z.number().min(0),
  /** Only for ratios: the N of 'x/N'. */
  denominator: z.number().int().positive().optional(),
  /** Measure word as written ('xã', 'lớp', 'buổi'). */
  unitText: z.string().min(1).optional(),
  subject: z.string().min(1),
  /** 'duy trì' keeps a level, 'tăng' raises it: a ratio target without a number is read with this. */
  trend: z.enum(['maintain', 'increase', 'maintain_or_increase']).optional(),
  baseline: z
    .object({
      value: z.number().min(0),
      denominator: z.number().int().positive().optional(),
      year: z.number().int().min(1900).max(2200).optional(),
    })
    .optional(),
});
export type Indicator = z.infer<typeof IndicatorSchema>;

export const ObjectiveSchema = z.object({
  key: z.string().min(1),
  number: z.number().int().min(1),
  text: z.string().min(1),
  indicators: z.array(IndicatorSchema),
  footnotes: z.array(z.number().int().min(1)).default([]),
  source: SourceLocationSchema,
});
export type Objective = z.infer<typeof ObjectiveSchema>;

export const TaskSchema = z.object({
  key: z.string().min(1),
  number: z.number().int().min(1),
  text: z.string().min(1),
  leadUnitRefs: z.array(UnitRefSchema),
  coordinatingUnitRefs: z.array(UnitRefSchema),
  footnotes: z.array(z.number().int().min(1)).default([]),
  source: SourceLocationSchema,
});
export type Task = z.infer<typeof TaskSchema>;

export const DeadlineSchema = z
  .object({
    /** Last allowed day, local Asia/Ho_Chi_Minh; null when relative to an event ('05 ngày làm việc kể từ...'). */
    date: isoDate.nullable(),
    kind: z.enum(['explicit', 'suggested']),
    /** Human-readable Vietnamese explanation shown to the coordinator. */
    reason: z.string().min(1),
    workingDays: z.number().int().positive().optional(),
    /** The event a working-day deadline counts from, as written. */
    relativeTo: z.string().min(1).optional(),
    /** First day of a window ('từ 01/6 đến 31/8'): the work may start then; `date` is the window's end. */
    startDate: isoDate.optional(),
  })
  .refine((d) => d.date !== null || d.workingDays !== undefined, {
    message: 'a deadline needs a date or a number of working days',
  });
export type Deadline = z.infer<typeof DeadlineSchema>;

export const RecurrenceKindSchema = z.enum(['once', 'monthly', 'quarterly', 'semiannual', 'annual']);
export type RecurrenceKind = z.infer<typeof RecurrenceKindSchema>;

/** 'Hàng tháng, quý' is one duty done on two cadences, hence a set of kinds rather than one. */
export const RecurrenceSchema = z
  .object({
    kinds: z.array(RecurrenceKindSchema).min(1),
    /** The words that gave the cadence, for review. */
    cue: z.string().min(1).optional(),
  })
  .refine((r) => new Set(r.kinds).size === r.kinds.length, { message: 'duplicate recurrence kind' })
  .refine((r) => !r.kinds.includes('once') || r.kinds.length === 1, { message: "'once' excludes others" });
export type Recurrence = z.infer<typeof RecurrenceSchema>;

export const EscalationStepSchema = z.object({
  key: z.string().min(1),
  /** ISO-8601 duration relative to the deadline; negative means before ('-P7D', 'PT30S'). */
  offset: z
    .string()
    .regex(
      /^-?P(?!$)(\d+(?:\.\d+)?Y)?(\d+(?:\.\d+)?M)?(\d+(?:\.\d+)?W)?(\d+(?:\.\d+)?D)?(T(?=\d)(\d+(?:\.\d+)?H)?(\d+(?:\.\d+)?M)?(\d+(?:\.\d+)?S)?)?$/,
      'ISO-8601 duration',
    ),
  basis: z.enum(['calendar', 'working']),
  audience: z.array(z.string().min(1)).min(1),
  kind: z.enum(['reminder', 'overdue', 'escalation', 'leadership']),
});
export type EscalationStep = z.infer<typeof EscalationStepSchema>;

export const EscalationPolicySchema = z
  .array(EscalationStepSchema)
  .refine((steps) => new Set(steps.map((s) => s.key)).size === steps.length, { message: 'duplicate step key' });
export type EscalationPolicy = z.infer<typeof EscalationPolicySchema>;

export const ResponsibilitySectionSchema = z.object({
  key: z.string().min(1),
  heading: z.string().min(1),
  unitRef: UnitRefSchema,
  source: SourceLocationSchema,
});
export type ResponsibilitySection = z.infer<typeof ResponsibilitySectionSchema>;

export const ResponsibilityRoleSchema = z.enum(['lead', 'coordinate']);

export const ResponsibilitySchema = z.object({
  key: z.string().min(1),
  sectionKey: z.string().min(1),
  unitRef: UnitRefSchema,
  role: ResponsibilityRoleSchema,
  /** For role 'coordinate': the unit(s) it works with ('phối hợp với Phòng ...'). */
  leadUnitRefs: z.array(UnitRefSchema).default([]),
  /** For role 'lead': the unit(s) named as partners. */
  coordinatingUnitRefs: z.array(UnitRefSchema).default([]),
  text: z.string().min(1),
  deadline: DeadlineSchema.nullable(),
  recurrence: RecurrenceSchema,
  escalationPolicy: EscalationPolicySchema.optional(),
  source: SourceLocationSchema,
});
export type Responsibility = z.infer<typeof ResponsibilitySchema>;

export const ReportingRuleSchema = z.object({
  key: z.string().min(1),
  reporterRefs: z.array(UnitRefSchema).min(1),
  recipientText: z.string().min(1),
  recipientUnitRef: UnitRefSchema.nullable(),
  /** The unit that collects reports on the recipient's behalf ('qua Phòng ...'). */
  viaUnitRef: UnitRefSchema.nullable(),
  period: z.enum(['monthly', 'quarterly', 'semiannual', 'annual']),
  /** The deadline of the first period (what a single date can say). */
  deadline: DeadlineSchema,
  /**
   * When the plan gives the deadline relative to each period ('trước ngày 15 của tháng cuối quý',
   * 'hằng tháng trước ngày 20'): apply with reportingDeadline(rule, period) from periods.ts. Absent
   * when the plan names one date; then `deadline` is that date.
   */
  deadlineRule: reportingDeadlineRuleSchema.optional(),
  text: z.string().min(1),
  source: SourceLocationSchema,
});
export type ReportingRule = z.infer<typeof ReportingRuleSchema>;

export const LegalBasisSchema = z.object({
  text: z.string().min(1),
  documentType: z.string().min(1).nullable(),
  documentNumber: z.string().min(1).nullable(),
  date: isoDate.nullable(),
  issuer: z.string().min(1).nullable(),
});
export type LegalBasis = z.infer<typeof LegalBasisSchema>;

export const SignerSchema = z.object({
  name: z.string().min(1),
  /** The whole signing block as printed, e.g. 'KT. CHỦ TỊCH PHÓ CHỦ TỊCH'. */
  title: z.string().min(1),
  /** 'KT. CHỦ TỊCH', 'TM. ỦY BAN NHÂN DÂN' ...; null when the head signs in person. */
  onBehalfOf: z.string().min(1).nullable(),
  position: z.string().min(1),
});
export type Signer = z.infer<typeof SignerSchema>;

export const DistributionEntrySchema = z.object({
  text: z.string().min(1),
  /** Purpose note such as 'b/c' (để báo cáo) or 't/h' (để thực hiện). */
  note: z.string().min(1).nullable(),
  unitRef: UnitRefSchema.nullable(),
  /** 'Lưu: VT, ...' is the issuer's own archive, not a recipient. */
  archive: z.boolean(),
});
export type DistributionEntry = z.infer<typeof DistributionEntrySchema>;

export const PlanMetadataSchema = z.object({
  number: z.string().min(1).nullable(),
  title: z.string().min(1),
  issuer: z.string().min(1),
  issuerUnitCode: z.string().min(1).nullable(),
  issueDate: isoDate.nullable(),
  /** Place name before ', ngày' in the header ('Xuân Tín'); null when the header shows none. */
  place: z.string().min(1).nullable().default(null),
  year: z.number().int().min(1900).max(2200),
  legalBasis: z.array(LegalBasisSchema),
  signer: SignerSchema.nullable(),
  distribution: z.array(DistributionEntrySchema),
});
export type PlanMetadata = z.infer<typeof PlanMetadataSchema>;

export const PlanSectionKindSchema = z.enum([
  'purpose',
  'objectives',
  'tasks',
  'funding',
  'implementation',
  'reporting',
  'other',
]);
export type PlanSectionKind = z.infer<typeof PlanSectionKindSchema>;

export const PlanSectionSchema = z.object({
  key: z.string().min(1),
  title: z.string().min(1),
  kind: PlanSectionKindSchema,
  source: SourceLocationSchema,
});
export type PlanSection = z.infer<typeof PlanSectionSchema>;

export const FootnoteSchema = z.object({
  number: z.number().int().min(1),
  text: z.string().min(1),
  source: SourceLocationSchema,
});
export type Footnote = z.infer<typeof FootnoteSchema>;

export const PlanStatusSchema = z.enum(['draft', 'active', 'closed', 'cancelled']);
export type PlanStatus = z.infer<typeof PlanStatusSchema>;

function uniqueKeys<T extends { key: string }>(items: T[]): boolean {
  return new Set(items.map((i) => i.key)).size === items.length;
}

export const PlanSchema = z
  .object({
    status: PlanStatusSchema.default('draft'),
    metadata: PlanMetadataSchema,
    preamble: z.string().min(1).nullable(),
    sections: z.array(PlanSectionSchema),
    purposes: z.array(TextItemSchema),
    requirements: z.array(TextItemSchema),
    objectives: z.array(ObjectiveSchema),
    tasks: z.array(TaskSchema),
    funding: z.array(TextItemSchema),
    responsibilitySections: z.array(ResponsibilitySectionSchema),
    responsibilities: z.array(ResponsibilitySchema),
    reportingRules: z.array(ReportingRuleSchema),
    footnotes: z.array(FootnoteSchema),
    closing: z.string().min(1).nullable(),
    escalationPolicy: EscalationPolicySchema.optional(),
  })
  .superRefine((plan, ctx) => {
    const lists: Array<[string, Array<{ key: string }>]> = [
      ['objectives', plan.objectives],
      ['tasks', plan.tasks],
      ['responsibilitySections', plan.responsibilitySections],
      ['responsibilities', plan.responsibilities],
      ['reportingRules', plan.reportingRules],
    ];
    for (const [name, items] of lists) {
      if (!uniqueKeys(items)) ctx.addIssue({ code: 'custom', path: [name], message: 'duplicate key' });
    }
    const sectionKeys = new Set(plan.responsibilitySections.map((s) => s.key));
    plan.responsibilities.forEach((r, i) => {
      if (!sectionKeys.has(r.sectionKey)) {
        ctx.addIssue({ code: 'custom', path: ['responsibilities', i, 'sectionKey'], message: 'unknown section' });
      }
    });
  });
export type Plan = z.infer<typeof PlanSchema>;
/** What an API client may send: defaults (status, empty arrays) not yet applied. */
export type PlanInput = z.input<typeof PlanSchema>;

export const PlanWarningCodeSchema = z.enum([
  'MISSING_NUMBER',
  'MISSING_ISSUE_DATE',
  'MISSING_ISSUER',
  'MISSING_SIGNER',
  'MISSING_YEAR',
  'UNKNOWN_SECTION',
  'UNMAPPED_PARAGRAPH',
  'UNRESOLVED_UNIT',
  'ITEM_WITHOUT_SECTION',
  'UNREFERENCED_FOOTNOTE',
  'INCOMPLETE_TABLE_ROW',
  'DUPLICATE_NUMBER',
  'CONVERSION_MESSAGE',
  /** OCR read a line of a scan or photo with low confidence: the reviewer checks it against the paper. */
  'LOW_CONFIDENCE_OCR',
  /** A deadline phrase ('thời hạn: ...') that no known date form reads. */
  'UNREAD_DEADLINE',
  /** The document has a plan's header but no body the parser could read (an opening, a cut-off paste). */
  'MISSING_BODY',
  /** No duty is assigned to any unit: the coordinator adds them on the review page before activation. */
  'NO_ASSIGNMENTS',
  /** No title after 'KẾ HOẠCH' (or no 'KẾ HOẠCH' at all): the plan carries a placeholder title. */
  'MISSING_TITLE',
]);
export type PlanWarningCode = z.infer<typeof PlanWarningCodeSchema>;

export const PlanWarningSchema = z.object({
  code: PlanWarningCodeSchema,
  /** Vietnamese, for the coordinator. */
  message: z.string().min(1),
  section: z.string().min(1).nullable(),
  line: z.number().int().min(1).nullable(),
  text: z.string(),
});
export type PlanWarning = z.infer<typeof PlanWarningSchema>;

export const PlanImportResultSchema = z.object({
  plan: PlanSchema,
  warnings: z.array(PlanWarningSchema),
});
export type PlanImportResult = z.infer<typeof PlanImportResultSchema>;
