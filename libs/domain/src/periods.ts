import { z } from 'zod';
import { DomainError, DomainErrorCode } from './errors';
import { type LocalDate, addLocalDays, daysInMonth, endOfLocalDay, localDate, parseLocalDate, toLocalDate } from './time';

/**
 * How often a responsibility recurs within the plan year. Named PeriodKind here because plan.ts
 * owns the RecurrenceKind name; the two unions are identical, so values pass between them freely.
 */
export type PeriodKind = 'once' | 'monthly' | 'quarterly' | 'semiannual' | 'annual';
export const PERIOD_KINDS: readonly PeriodKind[] = ['once', 'monthly', 'quarterly', 'semiannual', 'annual'];

export interface PeriodSpan {
  /** Stable part of workflow ids and read-model keys: '2024-M01', '2024-Q1', '2024-H1', '2024', 'once'. */
  key: string;
  /** Vietnamese label as plans and reports write it. */
  label: string;
  start: LocalDate;
  end: LocalDate;
}

export interface Period extends PeriodSpan {
  /** End of the period, unless a deadline rule says otherwise. */
  defaultDeadline: LocalDate;
}

const ROMAN = ['I', 'II', 'III', 'IV'] as const;
const pad2 = (n: number): string => String(n).padStart(2, '0');

function assertYear(year: number): void {
  if (!Number.isInteger(year) || year < 1900 || year > 9999) {
    throw new DomainError(DomainErrorCode.InvalidArgument, `Invalid year ${year}`, { year });
  }
}

function spansFor(kind: PeriodKind, year: number): PeriodSpan[] {
  const monthSpan = (fromMonth: number, months: number): Pick<PeriodSpan, 'start' | 'end'> => {
    const last = fromMonth + months - 1;
    return { start: toLocalDate(year, fromMonth, 1), end: toLocalDate(year, last, daysInMonth(year, last)) };
  };
  switch (kind) {
    case 'once':
      // One assignment over the plan year; the key is not year-qualified because the plan is.
      return [{ key: 'once', label: `Năm ${year} (một lần)`, ...monthSpan(1, 12) }];
    case 'annual':
      return [{ key: `${year}`, label: `Năm ${year}`, ...monthSpan(1, 12) }];
    case 'semiannual':
      return [
        { key: `${year}-H1`, label: `6 tháng đầu năm ${year}`, ...monthSpan(1, 6) },
        { key: `${year}-H2`, label: `6 tháng cuối năm ${year}`, ...monthSpan(7, 6) },
      ];
    case 'quarterly':
      return ROMAN.map((r, i) => ({ key: `${year}-Q${i + 1}`, label: `Quý ${r}/${year}`, ...monthSpan(i * 3 + 1, 3) }));
    case 'monthly':
      return Array.from({ length: 12 }, (_, i) => ({ key: `${year}-M${pad2(i + 1)}`, label: `Tháng ${i + 1}/${year}`, ...monthSpan(i + 1, 1) }));
    default:
      throw new DomainError(DomainErrorCode.InvalidArgument, `Unknown recurrence ${String(kind)}`, { kind });
  }
}

/**
 * The periods of a plan year for a recurrence. The default deadline is the last day of the
 * period; pass `deadlineFor` to apply a reporting rule (e.g. period => reportingDeadline(rule, period)).
 */
export function periodsFor(kind: PeriodKind, year: number, deadlineFor?: (period: PeriodSpan) => LocalDate): Period[] {
  assertYear(year);
  return spansFor(kind, year).map((p) => ({ ...p, defaultDeadline: deadlineFor ? deadlineFor(p) : p.end }));
}

/** The period of a recurrence that contains a date (for 'once', the plan year's single period). */
export function periodContaining(kind: PeriodKind, date: Date | LocalDate): Period {
  const local = typeof date === 'string' ? date : localDate(date);
  const { year } = parseLocalDate(local);
  return periodsFor(kind, year).find((p) => p.start <= local && local <= p.end) as Period;
}

/**
 * When a report or task is due, as plans phrase it:
 *  - 'before' day/month: "trước ngày 10/5" → 9 May (docs/domain.md: the end of the previous day);
 *  - 'by' day/month: "chậm nhất ngày 10/5", "trong ngày 10/5" → 10 May;
 *  - without `month`, the month is relative to the period's last month: monthsAfterPeriodEnd 1
 *    with day 20 = "before the 20th of the month after the period";
 *  - 'period_end': the last day of the period.
 * yearOffset shifts an absolute month to a later year ("trước ngày 15/01 năm sau").
 */
export const reportingDeadlineRuleSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.enum(['before', 'by']),
    day: z.number().int().min(1).max(31),
    month: z.number().int().min(1).max(12).optional(),
    monthsAfterPeriodEnd: z.number().int().min(0).max(24).optional(),
    yearOffset: z.number().int().min(0).max(5).optional(),
  }),
  z.object({ kind: z.literal('period_end') }),
]);
export type ReportingDeadlineRule = z.infer<typeof reportingDeadlineRuleSchema>;

/** The local deadline date of a rule for a plan year (read as the whole year) or a period. */
export function reportingDeadline(rule: ReportingDeadlineRule, yearOrPeriod: number | Pick<PeriodSpan, 'end'>): LocalDate {
  const parsed = reportingDeadlineRuleSchema.safeParse(rule);
  if (!parsed.success) {
    throw new DomainError(DomainErrorCode.InvalidReportingRule, 'Invalid reporting deadline rule', {
      issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  const r = parsed.data;
  let end: LocalDate;
  if (typeof yearOrPeriod === 'number') {
    assertYear(yearOrPeriod);
    end = toLocalDate(yearOrPeriod, 12, 31);
  } else {
    end = yearOrPeriod.end;
  }
  if (r.kind === 'period_end') return end;

  const endParts = parseLocalDate(end);
  let year: number;
  let month: number;
  if (r.month !== undefined) {
    year = endParts.year + (r.yearOffset ?? 0);
    month = r.month;
  } else {
    const index = endParts.year * 12 + endParts.month - 1 + (r.monthsAfterPeriodEnd ?? 0);
    year = Math.floor(index / 12);
    month = index - year * 12 + 1;
  }
  if (r.day > daysInMonth(year, month)) {
    throw new DomainError(DomainErrorCode.InvalidReportingRule, `${month}/${year} has no day ${r.day}`, { day: r.day, month, year });
  }
  const date = toLocalDate(year, month, r.day);
  return r.kind === 'before' ? addLocalDays(date, -1) : date;
}

/** The deadline instant of a rule: the end of its local day (for "before 10/5", 23:59:59.999 on 9 May). */
export function reportingDeadlineInstant(rule: ReportingDeadlineRule, yearOrPeriod: number | Pick<PeriodSpan, 'end'>): Date {
  return endOfLocalDay(reportingDeadline(rule, yearOrPeriod));
}
