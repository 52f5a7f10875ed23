import { z } from 'zod';

/**
 * How notices are gathered into one email per recipient (docs/email.md, "Batches"). Read from the same
 * environment as the rest of the configuration and validated at start, so a typo stops the process
 * instead of silently mailing at night.
 */
export interface MailBatchingConfig {
  /** A batch waits this long after its newest item, so one activation becomes one email. */
  quietSeconds: number;
  /** …but never longer than this after it could first go (a steady trickle must not hold it forever). */
  maxSeconds: number;
  /** Local hours [start, end) in Asia/Ho_Chi_Minh when non-urgent mail waits; null = never. */
  quietHours: { start: number; end: number } | null;
  /** When the daily batch goes on a working morning, local time. */
  morning: { hour: number; minute: number };
}

const hour = z.coerce.number().int().min(0).max(23);

export const mailBatchingSchema = z.object({
  MAIL_BATCH_QUIET_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
  MAIL_BATCH_MAX_SECONDS: z.coerce.number().int().min(0).max(86_400).default(600),
  /** "18-07" (from 18:00 to 07:00 local) or "off". */
  MAIL_QUIET_HOURS: z
    .string()
    .regex(/^(off|\d{1,2}-\d{1,2})$/, 'expected HH-HH (local hours, e.g. 18-07) or off')
    .default('18-07'),
  MAIL_MORNING: z.string().regex(/^\d{1,2}:\d{2}$/, 'expected HH:MM (local time, e.g. 07:30)').default('07:30'),
});

/** Problems name the variable, like the rest of the configuration. */
export function parseMailBatching(source: Record<string, string | undefined>): { value?: MailBatchingConfig; problems: Array<{ variable: string; message: string }> } {
  const parsed = mailBatchingSchema.safeParse(source);
  if (!parsed.success) {
    return { problems: parsed.error.issues.map((i) => ({ variable: String(i.path[0] ?? '(root)'), message: i.message })) };
  }
  const e = parsed.data;
  const problems: Array<{ variable: string; message: string }> = [];
  let quietHours: MailBatchingConfig['quietHours'] = null;
  if (e.MAIL_QUIET_HOURS !== 'off') {
    const [start, end] = e.MAIL_QUIET_HOURS.split('-').map((h) => hour.safeParse(h));
    if (!start?.success || !end?.success || start.data === end.data) problems.push({ variable: 'MAIL_QUIET_HOURS', message: 'hours must be 0–23 and differ' });
    else quietHours = { start: start.data, end: end.data };
  }
  const [h, m] = e.MAIL_MORNING.split(':').map(Number) as [number, number];
  if (h > 23 || m > 59) problems.push({ variable: 'MAIL_MORNING', message: 'not a time of day' });
  else if (quietHours && isQuietHour(quietHours, h)) {
    // Otherwise the daily batch would wait for a morning that is itself quiet, i.e. forever.
    problems.push({ variable: 'MAIL_MORNING', message: `falls inside MAIL_QUIET_HOURS (${e.MAIL_QUIET_HOURS})` });
  }
  if (e.MAIL_BATCH_MAX_SECONDS < e.MAIL_BATCH_QUIET_SECONDS) {
    problems.push({ variable: 'MAIL_BATCH_MAX_SECONDS', message: 'must be at least MAIL_BATCH_QUIET_SECONDS' });
  }
  if (problems.length > 0) return { problems };
  return { value: { quietSeconds: e.MAIL_BATCH_QUIET_SECONDS, maxSeconds: e.MAIL_BATCH_MAX_SECONDS, quietHours, morning: { hour: h, minute: m } }, problems };
}

/** Whether a local hour is inside [start, end), which may wrap past midnight (18-07). */
export function isQuietHour(quiet: { start: number; end: number }, localHour: number): boolean {
  return quiet.start < quiet.end ? localHour >= quiet.start && localHour < quiet.end : localHour >= quiet.start || localHour < quiet.end;
}
