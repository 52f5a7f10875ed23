import { DomainError, DomainErrorCode } from './errors';

/**
 * Vietnam time. Asia/Ho_Chi_Minh has been a fixed UTC+7 without DST since 1975, so plain
 * arithmetic is exact and keeps this module deterministic inside Temporal workflows (no Intl,
 * no host time zone).
 */
export const VN_UTC_OFFSET_MS = 7 * 60 * 60 * 1000;
export const MS_PER_DAY = 24 * 60 * 60 * 1000;

/** A calendar date in Vietnam, 'YYYY-MM-DD'. A string so it survives JSON, SQL and Temporal payloads unchanged. */
export type LocalDate = string;

/** 0 = Sunday … 6 = Saturday, as Date#getUTCDay. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

const LOCAL_DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

const pad2 = (n: number): string => String(n).padStart(2, '0');
const pad4 = (n: number): string => String(n).padStart(4, '0');

export interface DateParts {
  year: number;
  month: number; // 1-12
  day: number;
}

export function isLocalDate(value: unknown): value is LocalDate {
  if (typeof value !== 'string') return false;
  const m = LOCAL_DATE_RE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

export function parseLocalDate(value: string): DateParts {
  if (!isLocalDate(value)) {
    throw new DomainError(DomainErrorCode.InvalidDate, `Not a valid local date (YYYY-MM-DD): ${value}`, { value });
  }
  return { year: Number(value.slice(0, 4)), month: Number(value.slice(5, 7)), day: Number(value.slice(8, 10)) };
}

export function toLocalDate(year: number, month: number, day: number): LocalDate {
  const s = `${pad4(year)}-${pad2(month)}-${pad2(day)}`;
  if (!isLocalDate(s)) {
    throw new DomainError(DomainErrorCode.InvalidDate, `Not a valid date: ${year}-${month}-${day}`, { year, month, day });
  }
  return s;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

function assertInstant(instant: Date): void {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) {
    throw new DomainError(DomainErrorCode.InvalidDate, 'Not a valid instant', { value: String(instant) });
  }
}

/** Days since 1970-01-01 of a local date: the unit for all local calendar arithmetic. */
export function epochDay(date: LocalDate): number {
  const { year, month, day } = parseLocalDate(date);
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

export function fromEpochDay(days: number): LocalDate {
  const d = new Date(days * MS_PER_DAY);
  return `${pad4(d.getUTCFullYear())}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

/** The Vietnam calendar date on which an instant falls. */
export function localDate(instant: Date): LocalDate {
  assertInstant(instant);
  return fromEpochDay(Math.floor((instant.getTime() + VN_UTC_OFFSET_MS) / MS_PER_DAY));
}

/** Milliseconds since local midnight of the instant's Vietnam date. */
export function localTimeOfDayMs(instant: Date): number {
  assertInstant(instant);
  const shifted = instant.getTime() + VN_UTC_OFFSET_MS;
  return shifted - Math.floor(shifted / MS_PER_DAY) * MS_PER_DAY;
}

/** 00:00:00.000 +07:00 on the given date. */
export function startOfLocalDay(date: LocalDate): Date {
  return new Date(epochDay(date) * MS_PER_DAY - VN_UTC_OFFSET_MS);
}

/** 23:59:59.999 +07:00 on the given date: the instant a "by this date" deadline expires. */
export function endOfLocalDay(date: LocalDate): Date {
  return new Date((epochDay(date) + 1) * MS_PER_DAY - VN_UTC_OFFSET_MS - 1);
}

/** A local date combined with a local time of day (ms since midnight). */
export function atLocalTime(date: LocalDate, msSinceMidnight: number): Date {
  return new Date(startOfLocalDay(date).getTime() + msSinceMidnight);
}

export function addLocalDays(date: LocalDate, days: number): LocalDate {
  return fromEpochDay(epochDay(date) + days);
}

export function weekdayOf(date: LocalDate): Weekday {
  return new Date(epochDay(date) * MS_PER_DAY).getUTCDay() as Weekday;
}

export function isWeekend(date: LocalDate): boolean {
  const wd = weekdayOf(date);
  return wd === 0 || wd === 6;
}

/**
 * "Trước ngày 10/5" (before 10 May): docs/domain.md fixes the deadline at the end of the previous
 * local day, i.e. 23:59:59.999 on 9 May.
 */
export function deadlineBefore(date: LocalDate): Date {
  return endOfLocalDay(addLocalDays(date, -1));
}

const asLocal = (d: Date | LocalDate): LocalDate => (typeof d === 'string' ? (parseLocalDate(d), d) : localDate(d));

/**
 * Whole Vietnam calendar days from a to b (b later → positive). Counts dates, not 24-hour
 * spans, so 23:00 on 9 May to 01:00 on 10 May is one day: what "days late" means to a reader.
 */
export function daysBetweenLocal(a: Date | LocalDate, b: Date | LocalDate): number {
  return epochDay(asLocal(b)) - epochDay(asLocal(a));
}

/** 'dd/MM/yyyy', the Vietnamese administrative date format. */
export function formatDateVN(date: Date | LocalDate): string {
  const { year, month, day } = parseLocalDate(asLocal(date));
  return `${pad2(day)}/${pad2(month)}/${pad4(year)}`;
}

/** 'HH:mm dd/MM/yyyy' in Vietnam time (time first, as Vietnamese documents write "08 giờ 00, ngày …"). */
export function formatDateTimeVN(instant: Date): string {
  const minutes = Math.floor(localTimeOfDayMs(instant) / 60000);
  return `${pad2(Math.floor(minutes / 60))}:${pad2(minutes % 60)} ${formatDateVN(instant)}`;
}

/** The instant as an ISO-8601 string with the +07:00 offset, for payloads humans read. */
export function toVNIsoString(instant: Date): string {
  const ms = localTimeOfDayMs(instant);
  const h = Math.floor(ms / 3600000);
  const mi = Math.floor((ms % 3600000) / 60000);
  const s = Math.floor((ms % 60000) / 1000);
  const milli = ms % 1000;
  return `${localDate(instant)}T${pad2(h)}:${pad2(mi)}:${pad2(s)}.${String(milli).padStart(3, '0')}+07:00`;
}
