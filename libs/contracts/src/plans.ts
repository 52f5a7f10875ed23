import { z } from 'zod';
import { PlanSchema, PlanStatusSchema, PlanWarningSchema } from '@app/domain';
import { documented, isoInstant, langQuery, paged, pageQuery } from './common';
import { draftChangeSchema } from './plan-edit';

export const planIdParams = z.object({ id: z.uuid() });

export const importJsonBody = z.object({
  text: z.string(),
  format: z.enum(['markdown', 'text']).default('markdown'),
  name: z.string().min(1).max(255).optional(),
});
export const importFileBody = z.strictObject({ file: z.string().meta({ format: 'binary' }), name: z.string().min(1).max(255).optional() });
/** The fields besides the file itself that a multipart import reads. */
export const importFileFields = importFileBody.omit({ file: true });

export const planListQuery = z.object({
  ...pageQuery,
  ...langQuery,
  status: PlanStatusSchema.optional(),
  year: z.coerce.number().int().min(1900).max(2200).optional(),
  q: z.string().trim().min(1).max(200).optional(),
  sort: z.enum(['created', 'updated', 'year', 'title']).default('created'),
  order: z.enum(['asc', 'desc']).default('desc'),
});

export const planEditsQuery = z.object({ ...pageQuery, ...langQuery });

/**
 * One path change: `set` a value at a path (a field, or a whole element such as `responsibilities[V.3.4]`),
 * or `remove` one; appending is `set` at index = length. Amendments take these only.
 */
export const planChangeSchema = documented(
  z
    .object({
      op: z.enum(['set', 'remove']).default('set'),
      path: z.string().min(1).max(300),
      value: z.unknown().optional(),
    })
    .refine((c) => c.op === 'remove' || c.value !== undefined, { message: 'cần value', path: ['value'] }),
  // `value` unless the change is a remove.
  { anyOf: [{ required: ['op'], properties: { op: { enum: ['remove'] } } }, { required: ['value'] }] },
);
export type PlanChangeInput = z.infer<typeof planChangeSchema>;
/** What a client sends (`op` may be left out: `set`). */
export type PlanChange = z.input<typeof planChangeSchema>;

export const planEditBody = z.object({
  revision: z.number().int().min(1),
  changes: z.array(draftChangeSchema).min(1).max(200),
});

export const resolveWarningBody = z.object({
  note: z.string().trim().min(1).max(2000),
  revision: z.number().int().min(1).optional(),
});
export const warningParams = z.object({ id: z.uuid(), index: z.coerce.number().int().min(0) });

export const planWarningView = PlanWarningSchema.extend({
  index: z.number().int(),
  resolved: z.boolean(),
  resolution: z.object({ note: z.string(), by: z.string(), at: z.string() }).optional(),
});

export const planView = z
  .object({
    id: z.string(),
    slug: z.string().nullable(),
    status: PlanStatusSchema,
    revision: z.number().int(),
    plan: PlanSchema,
    warnings: z.array(planWarningView),
    /** The imported text line by line, so a UI can show it beside the structure (sources cite these numbers). */
    source: z.object({ name: z.string().nullable(), lines: z.array(z.object({ number: z.number().int(), text: z.string() })) }),
    createdBy: z.string(),
    createdAt: isoInstant,
    updatedAt: isoInstant,
    activatedAt: isoInstant.nullable(),
  })
  .meta({ id: 'PlanView' });
export type PlanView = z.infer<typeof planView>;
export type PlanDocument = PlanView['plan'];
export type PlanWarningView = z.infer<typeof planWarningView>;

export const planSummary = z
  .object({
    id: z.string(),
    slug: z.string().nullable(),
    number: z.string().nullable(),
    title: z.string(),
    year: z.number().int(),
    status: PlanStatusSchema,
    revision: z.number().int(),
    warningCount: z.number().int(),
    unresolvedWarningCount: z.number().int(),
    createdBy: z.string(),
    createdAt: isoInstant,
    updatedAt: isoInstant,
  })
  .meta({ id: 'PlanSummary' });
export type PlanSummary = z.infer<typeof planSummary>;
export const planList = paged(planSummary);

export const planEdit = z.object({ id: z.string(), actor: z.string(), at: isoInstant, action: z.string(), path: z.string().nullable(), before: z.unknown(), after: z.unknown() });
export const planEdits = paged(planEdit);

export const validationResult = z.object({
  valid: z.boolean(),
  revision: z.number().int(),
  problems: z.array(z.object({ kind: z.string(), path: z.string(), message: z.string() })),
});
export type ValidationResult = z.infer<typeof validationResult>;
