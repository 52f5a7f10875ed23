// Schemas of the plan-control, email, directory, attachment and health routes.
import { z } from 'zod';
import { UnitSchema } from '@app/domain';
import { isoInstant, langQuery, paged, pageQuery } from './common';
import { planChangeSchema } from './plans';

// ---- plan control (docs/activation.md) ----
export const endPlanBody = z.object({ reason: z.string().trim().min(1).max(2000) });
export const activationPreview = z
  .object({
    planId: z.string(),
    revision: z.number().int(),
    assignments: z.number().int(),
    units: z.number().int(),
    byItem: z.record(z.string(), z.number().int()),
    problems: z.array(z.object({ itemKey: z.string(), code: z.string(), text: z.string() }).loose()),
  })
  .loose()
  .meta({ id: 'ActivationPreview' });
export type ActivationPreview = z.infer<typeof activationPreview>;
export const activationStarted = z.object({ workflowId: z.string() }).loose();
export const activationProgress = z.object({ workflowId: z.string(), status: z.string() }).loose().meta({ id: 'ActivationProgress' });
export type ActivationProgress = z.infer<typeof activationProgress> & { started: number; existing: number; total: number };

export const amendmentPreviewBody = z.object({ revision: z.number().int().min(1), changes: z.array(planChangeSchema).min(1).max(200) });
export const amendBody = amendmentPreviewBody.extend({ reason: z.string().trim().min(1).max(2000) });
export const amendmentParams = z.object({ id: z.uuid(), amendmentId: z.uuid() });
const amendmentCounts = z.object({ start: z.number().int(), cancel: z.number().int(), amend: z.number().int(), unchanged: z.number().int() });
export const amendmentPreview = z.object({ counts: amendmentCounts }).loose().meta({ id: 'AmendmentPreview' });
export type AmendmentPreview = z.infer<typeof amendmentPreview> & { planId: string; revision: number };
export const amendmentResult = z.object({ started: z.number().int(), cancelled: z.number().int(), amended: z.number().int(), skipped: z.number().int(), total: z.number().int() });
export type AmendmentResult = z.infer<typeof amendmentResult>;
export const amendmentView = z
  .object({
    id: z.string(),
    planId: z.string(),
    fromRevision: z.number().int(),
    toRevision: z.number().int(),
    reason: z.string(),
    status: z.enum(['running', 'done', 'cancelled']),
    planned: z.record(z.string(), z.number()),
    result: amendmentResult.nullable(),
    progress: amendmentResult.optional(),
    createdAt: isoInstant,
    finishedAt: isoInstant.nullable(),
  })
  .loose()
  .meta({ id: 'AmendmentView' });
export type AmendmentView = z.infer<typeof amendmentView>;

// ---- email ----
/** Outbox row states (libs/persistence keeps the same list; apps/api/src/openapi.spec.ts holds them equal). */
export const OUTBOX_STATUS_VALUES = ['requested', 'pending', 'sent', 'failed', 'digest_pending', 'covered', 'batched'] as const;
export const NOTIFICATION_MODE_VALUES = ['immediate', 'daily_digest'] as const;
export const notificationPreferencesBody = z
  .object({
    mode: z.enum(NOTIFICATION_MODE_VALUES),
    digestHour: z.number().int().min(0).max(23).default(7),
    leaderSummary: z.boolean().default(false),
  })
  .strict();
export const outboxQuery = z.object({
  ...pageQuery,
  ...langQuery,
  status: z.enum(OUTBOX_STATUS_VALUES).optional(),
  workflowId: z.string().min(1).max(300).optional(),
  unitCode: z.string().regex(/^[A-Z0-9]+(?:-[A-Z0-9]+)*$/).max(64).optional(),
  /** A batch: its message and every notice it carried ("which email told them"). */
  batchKey: z.string().min(1).max(500).optional(),
});
export const outboxPage = paged(z.object({ id: z.string() }).loose());
export const letterParams = z.object({ id: z.string().min(1).max(200) });
export const unitCodeParams = z.object({ code: z.string().min(1).max(64) });
export const notificationPreferences = z
  .object({ unitCode: z.string(), mode: z.enum(NOTIFICATION_MODE_VALUES), digestHour: z.number().int().min(0).max(23), leaderSummary: z.boolean(), updatedBy: z.string().nullable(), updatedAt: isoInstant.nullable() })
  .loose();

export const mailAddress = z.object({ name: z.string().nullish(), address: z.string() });
export type MailAddress = z.infer<typeof mailAddress>;
export const caughtMail = z.object({ id: z.string(), receivedAt: isoInstant, from: mailAddress.nullable(), to: z.array(mailAddress), subject: z.string(), size: z.number().int() }).loose();
export type CaughtMail = z.infer<typeof caughtMail>;
export const devMailQuery = z.object({ ...pageQuery, to: z.string().trim().min(1).max(320).optional() });
export const devMailList = paged(caughtMail);

// ---- organisation directory ----
/** Either the file's text (YAML or JSON) or the file as a JSON object. */
export const replaceOrganisationBody = z.union([z.object({ text: z.string().min(1) }), z.object({ version: z.unknown() }).loose()]);
/** Every field of a unit but its code, which is the path. */
export const unitPatchBody = UnitSchema.omit({ code: true }).partial().strict();
export const organisationView = z.object({ units: z.array(z.object({ code: z.string(), name: z.string() }).loose()), groups: z.array(z.object({ code: z.string() }).loose()) });
export const unitView = z.object({ code: z.string(), name: z.string() }).loose();

// ---- attachments ----
export const uploadBody = z.strictObject({ file: z.string().meta({ format: 'binary' }) });

// ---- health ----
export const healthView = z.object({ status: z.string() }).loose();
