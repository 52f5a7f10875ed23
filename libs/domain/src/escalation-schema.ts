// Validation of admin-supplied escalation policies. Kept apart from escalation.ts so the workflow bundle, which
// imports escalation.ts, does not load zod (docs/operations.md, "Memory per cached workflow").
import { z } from 'zod';
import { parseDuration } from './duration';
import { DomainError, DomainErrorCode, isDomainError } from './errors';
import { ESCALATION_AUDIENCES, ESCALATION_KINDS, type EscalationPolicyConfig, EscalationPolicyIssue } from './escalation';

const LOCAL_TIME_RE = /^([01]\d|2[0-3]):[0-5]\d$/;

export const escalationStepSchema = z
  .object({
    key: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lowercase letters, digits, "_" or "-"'),
    offset: z.string(),
    basis: z.enum(['calendar', 'working']).default('calendar'),
    audience: z
      .array(z.enum(ESCALATION_AUDIENCES))
      .min(1)
      .refine((a) => new Set(a).size === a.length, 'audience repeats a recipient'),
    kind: z.enum(ESCALATION_KINDS),
    atLocalTime: z.string().regex(LOCAL_TIME_RE, 'expected HH:mm').optional(),
  })
  .superRefine((step, ctx) => {
    try {
      parseDuration(step.offset, step.basis);
    } catch (e) {
      if (!isDomainError(e)) throw e;
      ctx.addIssue({ code: 'custom', path: ['offset'], message: e.message, params: { issue: EscalationPolicyIssue.InvalidDuration } });
    }
  });

export const escalationPolicySchema = z
  .array(escalationStepSchema)
  .min(1)
  .max(20)
  .superRefine((steps, ctx) => {
    const seen = new Set<string>();
    steps.forEach((s, i) => {
      if (seen.has(s.key)) {
        ctx.addIssue({ code: 'custom', path: [i, 'key'], message: `duplicate key ${s.key}`, params: { issue: EscalationPolicyIssue.DuplicateKey } });
      }
      seen.add(s.key);
    });
  });

export interface PolicyIssue {
  path: string;
  issue: EscalationPolicyIssue;
  message: string;
}

/** Validates an admin-supplied policy; throws INVALID_ESCALATION_POLICY with per-field issues. */
export function parseEscalationPolicy(input: unknown): EscalationPolicyConfig {
  const result = escalationPolicySchema.safeParse(input);
  if (result.success) return result.data;
  const issues: PolicyIssue[] = result.error.issues.map((i) => {
    const params = i.code === 'custom' ? (i.params as { issue?: EscalationPolicyIssue } | undefined) : undefined;
    return { path: i.path.join('.'), issue: params?.issue ?? EscalationPolicyIssue.InvalidField, message: i.message };
  });
  throw new DomainError(DomainErrorCode.InvalidEscalationPolicy, 'Invalid escalation policy', { issues });
}
