// Validation of uploaded calendar years. Kept apart from calendar.ts so the workflow bundle, which imports
// calendar.ts, does not load zod (docs/operations.md, "Memory per cached workflow").
import { z } from 'zod';
import { type CalendarYearData, WorkingCalendar } from './calendar';
import { DomainError, DomainErrorCode } from './errors';
import { epochDay, fromEpochDay, isLocalDate, weekdayOf } from './time';

const localDateSchema = z.string().refine(isLocalDate, { message: 'expected a date YYYY-MM-DD' });

export const calendarYearSchema = z
  .object({
    year: z.number().int().min(1900).max(2199),
    source: z.string().min(1),
    daysOff: z.array(
      z.object({
        from: localDateSchema,
        to: localDateSchema,
        name: z.string().min(1),
        kind: z.enum(['holiday', 'compensatory', 'swapped']),
      }),
    ),
    workingWeekends: z.array(
      z.object({
        date: localDateSchema,
        name: z.string().min(1),
        /** The weekday given off in exchange, for display and audit. */
        replaces: localDateSchema.optional(),
      }),
    ),
  })
  .superRefine((data, ctx) => {
    // Only check relations once every date is well formed; field errors are already reported.
    const inYear = (d: string): boolean => isLocalDate(d) && d.startsWith(`${data.year}-`);
    const off = new Set<string>();
    data.daysOff.forEach((range, i) => {
      if (!isLocalDate(range.from) || !isLocalDate(range.to)) return;
      if (!inYear(range.from) || !inYear(range.to)) {
        ctx.addIssue({ code: 'custom', path: ['daysOff', i], message: `dates must be within ${data.year}` });
        return;
      }
      if (range.to < range.from) {
        ctx.addIssue({ code: 'custom', path: ['daysOff', i, 'to'], message: '"to" is before "from"' });
        return;
      }
      for (let d = epochDay(range.from); d <= epochDay(range.to); d++) off.add(fromEpochDay(d));
    });
    data.workingWeekends.forEach((w, i) => {
      if (!isLocalDate(w.date)) return;
      if (!inYear(w.date)) ctx.addIssue({ code: 'custom', path: ['workingWeekends', i, 'date'], message: `must be within ${data.year}` });
      const wd = weekdayOf(w.date);
      if (wd !== 0 && wd !== 6) ctx.addIssue({ code: 'custom', path: ['workingWeekends', i, 'date'], message: 'not a Saturday or Sunday' });
      if (off.has(w.date)) ctx.addIssue({ code: 'custom', path: ['workingWeekends', i, 'date'], message: 'also listed as a day off' });
    });
  });

// The hand-written CalendarYearData must stay what the schema produces.
const sameShape: (parsed: z.infer<typeof calendarYearSchema>) => CalendarYearData = (parsed) => parsed;
void sameShape;

/** Validates one uploaded/bundled year (already JSON-parsed: the caller does the I/O). */
export function parseCalendarYear(input: unknown): CalendarYearData {
  const result = calendarYearSchema.safeParse(input);
  if (!result.success) {
    throw new DomainError(DomainErrorCode.InvalidCalendarData, 'Invalid calendar year data', {
      issues: result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    });
  }
  return result.data;
}

/** Builds a calendar from already-parsed JSON objects (one per year), validating each. */
export function calendarFromData(years: readonly unknown[]): WorkingCalendar {
  return new WorkingCalendar(years.map(parseCalendarYear));
}
