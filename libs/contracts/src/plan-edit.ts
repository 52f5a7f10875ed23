import { z } from 'zod';
import { documented } from './common';
import { IsoDateSchema, RecurrenceKindSchema, ResponsibilityRoleSchema } from '@app/domain';

/** A unit or group by its directory code; the service turns it into a full reference. */
const unitCode = z.string().trim().min(1).max(100);
const itemKey = z.string().trim().min(1).max(100);

const deadlineInput = z.union([
  z.strictObject({ date: IsoDateSchema, reason: z.string().trim().min(1).max(500).optional() }),
  z.strictObject({
    workingDays: z.number().int().min(1).max(250),
    reason: z.string().trim().min(1).max(500).optional(),
  }),
]);

// The date parser also refuses dates that do not exist (2024-02-30), and years 0000–0099 (JavaScript reads them as
// 1900–1999): the `date` format and the pattern say the same.
documented(IsoDateSchema, { format: 'date', pattern: '^(?!00)\\d{4}-\\d{2}-\\d{2}$' });

/** The same rules as the model's recurrence: kinds once each, 'once' alone. */
const recurrenceInput = documented(
  z
    .array(RecurrenceKindSchema)
    .min(1)
    .max(5)
    .refine((k) => new Set(k).size === k.length, { message: 'chu kỳ bị lặp' })
    .refine((k) => !k.includes('once') || k.length === 1, { message: "'once' không đi cùng chu kỳ khác" }),
  { uniqueItems: true, anyOf: [{ maxItems: 1 }, { items: { not: { enum: ['once'] } } }] },
);

const responsibilityFields = {
  text: z.string().trim().min(1).max(5000).optional(),
  unit: unitCode.optional(),
  role: ResponsibilityRoleSchema.optional(),
  leadUnits: z.array(unitCode).max(50).optional(),
  coordinatingUnits: z.array(unitCode).max(50).optional(),
  deadline: deadlineInput.nullable().optional(),
  recurrence: recurrenceInput.optional(),
};
const fieldsSchema = z.strictObject(responsibilityFields);
const partSchema = z.strictObject({ ...responsibilityFields, text: z.string().trim().min(1).max(5000) });

/**
 * What PATCH takes on a draft: the path changes above, plus ops on responsibilities by key (add, update,
 * delete, split, merge). Amendments keep to path changes: these ops are a reviewer's tools.
 */
const draftChangeOps = z.discriminatedUnion('op', [
  documented(
    z.object({ op: z.literal('set'), path: z.string().min(1).max(300), value: z.unknown() }).refine((c) => c.value !== undefined, { message: 'cần value', path: ['value'] }),
    { required: ['op', 'path', 'value'] },
  ),
  z.object({ op: z.literal('remove'), path: z.string().min(1).max(300) }),
  z.strictObject({
    op: z.literal('add'),
    value: z.strictObject({
      ...responsibilityFields,
      text: z.string().trim().min(1).max(5000),
      unit: unitCode,
      sectionKey: itemKey.optional(),
    }),
  }),
  z.strictObject({
    op: z.literal('update'),
    key: itemKey,
    value: documented(
      fieldsSchema.refine((v) => Object.values(v).some((x) => x !== undefined), { message: 'cần ít nhất một trường' }),
      { minProperties: 1 },
    ),
  }),
  z.strictObject({ op: z.literal('delete'), key: itemKey }),
  z.strictObject({ op: z.literal('split'), key: itemKey, parts: z.array(partSchema).min(2).max(20) }),
  z.strictObject({
    op: z.literal('merge'),
    keys: z.array(itemKey).min(2).max(50),
    text: z.string().trim().min(1).max(20000).optional(),
    recurrence: recurrenceInput.optional(),
  }),
]);
export const draftChangeSchema = z.preprocess(
  (c) => (typeof c === 'object' && c !== null && !('op' in c) ? { ...c, op: 'set' } : c),
  draftChangeOps,
);
export type DraftChange = z.infer<typeof draftChangeSchema>;
/** What a client sends (a path change may leave `op` out: it means `set`). */
export type DraftChangeInput = z.input<typeof draftChangeOps>;
export type DutyOp = Exclude<DraftChangeInput, { op: 'set' } | { op: 'remove' }>;
export type DutyFields = z.input<typeof fieldsSchema>;
export type DeadlineInput = z.input<typeof deadlineInput>;
