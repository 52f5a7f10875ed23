import { DomainError, DomainErrorCode } from './errors';
import { MS_PER_DAY, atLocalTime, daysInMonth, localDate, localTimeOfDayMs, parseLocalDate, toLocalDate } from './time';

/**
 * Signed ISO-8601 durations ('-P7D', 'PT30S', 'P1Y2M3DT4H') plus a working-day basis.
 *
 * The basis is kept beside the ISO text rather than invented inside it ("P3D" + basis
 * 'working' = three working days) so stored policies stay standard ISO strings that any tool
 * can read; a working-basis duration may only have a day part, because "1.5 working months"
 * has no agreed meaning in Vietnamese administrative practice.
 */
export type DurationBasis = 'calendar' | 'working';

export interface Duration {
  readonly sign: 1 | -1;
  readonly years: number;
  readonly months: number;
  /** Weeks are folded into days (1W = 7D): there is no DST in Vietnam, so nothing is lost. */
  readonly days: number;
  readonly hours: number;
  readonly minutes: number;
  /** May carry a fraction (PT0.5S). */
  readonly seconds: number;
  readonly basis: DurationBasis;
}

/** What addDuration needs from a calendar: kept minimal so this module does not depend on calendar.ts. */
export interface WorkingDayShifter {
  addWorkingDays(from: Date, n: number): Date;
}

const ISO_DURATION_RE =
  /^([+-])?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:[.,]\d{1,3})?)S)?)?$/;

function invalid(text: unknown, reason: string): DomainError {
  return new DomainError(DomainErrorCode.InvalidDuration, `Invalid duration ${JSON.stringify(text)}: ${reason}`, {
    value: text,
    reason,
  });
}

export function parseDuration(text: string, basis: DurationBasis = 'calendar'): Duration {
  if (typeof text !== 'string') throw invalid(text, 'not a string');
  const trimmed = text.trim();
  const m = ISO_DURATION_RE.exec(trimmed);
  if (!m || trimmed.endsWith('T') || /^[+-]?P$/.test(trimmed)) throw invalid(text, 'not an ISO-8601 duration');
  const n = (i: number): number => (m[i] === undefined ? 0 : Number((m[i] as string).replace(',', '.')));
  const d: Duration = {
    sign: m[1] === '-' ? -1 : 1,
    years: n(2),
    months: n(3),
    days: n(4) * 7 + n(5),
    hours: n(6),
    minutes: n(7),
    seconds: n(8),
    basis,
  };
  if ([d.years, d.months, d.days, d.hours, d.minutes, d.seconds].some((v) => !Number.isSafeInteger(Math.floor(v)))) {
    throw invalid(text, 'component too large');
  }
  if (basis === 'working' && (d.years || d.months || d.hours || d.minutes || d.seconds)) {
    throw invalid(text, 'a working-day duration may only have a day part');
  }
  if (basis !== 'calendar' && basis !== 'working') throw invalid(text, `unknown basis ${String(basis)}`);
  return d;
}

export function isZeroDuration(d: Duration): boolean {
  return !d.years && !d.months && !d.days && !d.hours && !d.minutes && !d.seconds;
}

/** Canonical ISO text (weeks shown as days; zero is 'PT0S'). */
export function formatDuration(d: Duration): string {
  if (isZeroDuration(d)) return 'PT0S';
  const date = `${d.years ? `${d.years}Y` : ''}${d.months ? `${d.months}M` : ''}${d.days ? `${d.days}D` : ''}`;
  const time = `${d.hours ? `${d.hours}H` : ''}${d.minutes ? `${d.minutes}M` : ''}${d.seconds ? `${d.seconds}S` : ''}`;
  return `${d.sign < 0 ? '-' : ''}P${date}${time ? `T${time}` : ''}`;
}

export function negateDuration(d: Duration): Duration {
  return { ...d, sign: d.sign === 1 ? -1 : 1 };
}

/**
 * Exact length in ms of a duration without calendar parts (for timers and "due soon" windows).
 * Days count as 24 h (exact in Vietnam); years, months and working days have no fixed length.
 */
export function durationToMs(d: Duration): number {
  if (d.years || d.months || (d.basis === 'working' && d.days)) {
    throw invalid(formatDuration(d), 'years, months and working days have no fixed length');
  }
  return d.sign * (d.days * MS_PER_DAY + d.hours * 3_600_000 + d.minutes * 60_000 + Math.round(d.seconds * 1000));
}

/** Adds whole months to a local date, clamping to the month's last day (31 Jan + 1M → 28/29 Feb). */
function addMonthsClamped(date: string, months: number): string {
  const { year, month, day } = parseLocalDate(date);
  const index = year * 12 + (month - 1) + months;
  const y = Math.floor(index / 12);
  const mo = index - y * 12 + 1;
  return toLocalDate(y, mo, Math.min(day, daysInMonth(y, mo)));
}

/**
 * instant + duration, in Vietnam local terms: years and months move the local date (clamped),
 * days move the local date keeping the local time of day, then hours/minutes/seconds are added
 * exactly. A negative duration applies every part backwards in the same order, so
 * '-P1M' from 31 Mar 2024 gives 29 Feb 2024.
 */
export function addDuration(instant: Date, duration: Duration | string, calendar?: WorkingDayShifter): Date {
  const d = typeof duration === 'string' ? parseDuration(duration) : duration;
  if (d.basis === 'working') {
    if (!calendar) throw new DomainError(DomainErrorCode.CalendarRequired, 'Working-day durations need a calendar');
    return calendar.addWorkingDays(instant, d.sign * d.days);
  }
  let result = instant;
  const totalMonths = d.years * 12 + d.months;
  if (totalMonths || d.days) {
    const timeOfDay = localTimeOfDayMs(instant);
    let date = localDate(instant);
    if (totalMonths) date = addMonthsClamped(date, d.sign * totalMonths);
    result = new Date(atLocalTime(date, timeOfDay).getTime() + d.sign * d.days * MS_PER_DAY);
  }
  const timeMs = d.hours * 3_600_000 + d.minutes * 60_000 + Math.round(d.seconds * 1000);
  return timeMs ? new Date(result.getTime() + d.sign * timeMs) : result;
}
