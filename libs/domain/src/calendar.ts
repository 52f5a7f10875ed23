import vn2024 from '../data/calendar/vn-2024.json';
import vn2025 from '../data/calendar/vn-2025.json';
import vn2026 from '../data/calendar/vn-2026.json';
import { type WorkingDayShifter } from './duration';
import { DomainError, DomainErrorCode } from './errors';
import { LUNAR_MAX_YEAR, LUNAR_MIN_YEAR, lunarNewYearsEve, lunarToSolar } from './lunar';
import {
  MS_PER_DAY,
  type LocalDate,
  endOfLocalDay,
  epochDay,
  fromEpochDay,
  isLocalDate,
  localDate,
  localTimeOfDayMs,
  atLocalTime,
  toLocalDate,
  weekdayOf,
} from './time';

/**
 * Vietnam's working-day calendar for public bodies: Monday–Friday, minus public holidays
 * (Labour Code 2019 art. 112) and the days the government moves each year (a weekday off in
 * exchange for a make-up Saturday). The exact days are announced yearly, so they are data
 * (data/calendar/vn-<year>.json), replaceable by an admin upload; a year without data falls
 * back to the statutory rules computed from the lunar calendar.
 */

export type DayOffKind = 'holiday' | 'compensatory' | 'swapped';

/** One year of the calendar: published data (bundled or uploaded) or the computed fallback. */
export interface CalendarYearData {
  year: number;
  source: string;
  daysOff: Array<{ from: string; to: string; name: string; kind: DayOffKind }>;
  workingWeekends: Array<{
    date: string;
    name: string;
    /** The weekday given off in exchange, for display and audit. */
    replaces?: string | undefined;
  }>;
}

export interface DayOff {
  date: LocalDate;
  name: string;
  kind: DayOffKind;
}

const dayOff = (date: LocalDate, name: string, kind: DayOffKind): DayOff => ({ date, name, kind });

/** 2/9 plus the adjacent day: the one that bridges to a weekend when there is one (2024: Mon→3/9, 2025: Tue→1/9). */
function nationalDayPartner(year: number): LocalDate {
  const wd = weekdayOf(toLocalDate(year, 9, 2));
  return wd === 1 || wd === 4 ? toLocalDate(year, 9, 3) : toLocalDate(year, 9, 1);
}

/**
 * Statutory days off for a year nobody has published data for: 1/1; Tết = the last day of the
 * lunar year plus 1–4 tháng Giêng (the usual government choice within the 5 statutory days);
 * 10/3 lunar; 30/4; 1/5; 2/9 + one adjacent day; a holiday on a weekend moves to the next
 * working day (Labour Code art. 111). Swaps cannot be predicted, so there are none.
 */
export function computedCalendarYear(year: number): CalendarYearData {
  const holidays: DayOff[] = [dayOff(toLocalDate(year, 1, 1), 'Tết Dương lịch', 'holiday')];
  if (year - 1 >= LUNAR_MIN_YEAR && year <= LUNAR_MAX_YEAR) {
    const eve = lunarNewYearsEve(year - 1);
    for (let i = 0; i < 5; i++) holidays.push(dayOff(fromEpochDay(epochDay(eve) + i), 'Tết Nguyên đán', 'holiday'));
    holidays.push(dayOff(lunarToSolar(year, 3, 10), 'Giỗ Tổ Hùng Vương (10/3 âm lịch)', 'holiday'));
  }
  holidays.push(
    dayOff(toLocalDate(year, 4, 30), 'Ngày Chiến thắng (30/4)', 'holiday'),
    dayOff(toLocalDate(year, 5, 1), 'Ngày Quốc tế Lao động (1/5)', 'holiday'),
  );
  const partner = nationalDayPartner(year);
  holidays.push(dayOff(toLocalDate(year, 9, 2), 'Quốc khánh', 'holiday'), dayOff(partner, 'Quốc khánh', 'holiday'));
  holidays.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));

  const taken = new Set(holidays.map((h) => h.date));
  const compensatory: DayOff[] = [];
  for (const h of holidays) {
    const wd = weekdayOf(h.date);
    if (wd !== 0 && wd !== 6) continue;
    let d = epochDay(h.date) + 1;
    for (;;) {
      const candidate = fromEpochDay(d);
      const cwd = weekdayOf(candidate);
      if (cwd !== 0 && cwd !== 6 && !taken.has(candidate)) break;
      d += 1;
    }
    const date = fromEpochDay(d);
    taken.add(date);
    compensatory.push(dayOff(date, `Nghỉ bù ${h.name}`, 'compensatory'));
  }
  return {
    year,
    source: 'computed: statutory holidays (Labour Code 2019 art. 112), no government swaps',
    daysOff: [...holidays, ...compensatory]
      .filter((d) => d.date.startsWith(`${year}-`))
      .map((d) => ({ from: d.date, to: d.date, name: d.name, kind: d.kind })),
    workingWeekends: [],
  };
}

interface YearIndex {
  data: CalendarYearData;
  official: boolean;
  daysOff: Map<LocalDate, DayOff>;
  workingWeekends: Set<LocalDate>;
}

function indexYear(data: CalendarYearData, official: boolean): YearIndex {
  const daysOff = new Map<LocalDate, DayOff>();
  for (const range of data.daysOff) {
    for (let d = epochDay(range.from); d <= epochDay(range.to); d++) {
      const date = fromEpochDay(d);
      daysOff.set(date, dayOff(date, range.name, range.kind));
    }
  }
  return { data, official, daysOff, workingWeekends: new Set(data.workingWeekends.map((w) => w.date)) };
}

const MAX_SCAN_DAYS = 366 * 50;

function toInt(n: number, what: string): number {
  if (!Number.isSafeInteger(n)) throw new DomainError(DomainErrorCode.InvalidArgument, `${what} must be an integer`, { [what]: n });
  return n;
}

function asLocal(d: Date | LocalDate): LocalDate {
  if (typeof d === 'string') {
    if (!isLocalDate(d)) throw new DomainError(DomainErrorCode.InvalidDate, `Not a valid local date: ${d}`, { value: d });
    return d;
  }
  return localDate(d);
}

export class WorkingCalendar implements WorkingDayShifter {
  private readonly years = new Map<number, YearIndex>();

  /** Later entries for the same year replace earlier ones, so an uploaded year overrides a bundled one. */
  constructor(years: readonly CalendarYearData[] = []) {
    for (const y of years) this.years.set(y.year, indexYear(y, true));
  }

  /** Returns a new calendar with these years added or replaced (the calendar itself is immutable). */
  withYears(years: readonly CalendarYearData[]): WorkingCalendar {
    return new WorkingCalendar([...this.officialYears().map((y) => (this.years.get(y) as YearIndex).data), ...years]);
  }

  /** Years backed by published data, as opposed to the computed fallback. */
  officialYears(): number[] {
    return [...this.years.values()].filter((y) => y.official).map((y) => y.data.year).sort((a, b) => a - b);
  }

  hasOfficialData(year: number): boolean {
    return this.years.get(year)?.official ?? false;
  }

  private yearIndex(year: number): YearIndex {
    let index = this.years.get(year);
    if (!index) {
      // Memoised fallback: deterministic, so caching is safe inside workflows.
      index = indexYear(computedCalendarYear(year), false);
      this.years.set(year, index);
    }
    return index;
  }

  /** The holiday or moved day off on a date, if any (weekends are not listed). */
  dayOff(date: Date | LocalDate): DayOff | undefined {
    const local = asLocal(date);
    return this.yearIndex(Number(local.slice(0, 4))).daysOff.get(local);
  }

  /** Every listed day off in a year, in date order. */
  daysOff(year: number): DayOff[] {
    return [...this.yearIndex(year).daysOff.values()].sort((a, b) => (a.date < b.date ? -1 : 1));
  }

  isWorkingDay(date: Date | LocalDate): boolean {
    const local = asLocal(date);
    return this.isWorkingEpochDay(epochDay(local), local);
  }

  private isWorkingEpochDay(day: number, local: LocalDate = fromEpochDay(day)): boolean {
    const index = this.yearIndex(Number(local.slice(0, 4)));
    if (index.workingWeekends.has(local)) return true;
    if (index.daysOff.has(local)) return false;
    const wd = new Date(day * MS_PER_DAY).getUTCDay();
    return wd !== 0 && wd !== 6;
  }

  private shiftEpochDay(start: number, n: number): number {
    const step = n < 0 ? -1 : 1;
    let remaining = Math.abs(n);
    let day = start;
    let scanned = 0;
    while (remaining > 0) {
      day += step;
      if (++scanned > MAX_SCAN_DAYS) throw new DomainError(DomainErrorCode.InvalidArgument, 'Working-day shift too large', { n });
      if (this.isWorkingEpochDay(day)) remaining -= 1;
    }
    return day;
  }

  /**
   * The n-th working day after (n > 0) or before (n < 0) the given day; the start day itself is
   * never counted, so it need not be a working day. n = 0 returns the input unchanged. An
   * instant keeps its local time of day. For a working day d, addWorkingDays(addWorkingDays(d, n), −n) = d.
   */
  addWorkingDays(from: LocalDate, n: number): LocalDate;
  addWorkingDays(from: Date, n: number): Date;
  addWorkingDays(from: Date | LocalDate, n: number): Date | LocalDate;
  addWorkingDays(from: Date | LocalDate, n: number): Date | LocalDate {
    toInt(n, 'n');
    const local = asLocal(from);
    const target = fromEpochDay(this.shiftEpochDay(epochDay(local), n));
    return typeof from === 'string' ? target : atLocalTime(target, localTimeOfDayMs(from));
  }

  /**
   * Working days from a to b, defined so that workingDaysBetween(d, addWorkingDays(d, n)) = n:
   * for b ≥ a it counts working days in (a, b]; for b < a it is minus the count in [b, a).
   */
  workingDaysBetween(a: Date | LocalDate, b: Date | LocalDate): number {
    const start = epochDay(asLocal(a));
    const end = epochDay(asLocal(b));
    if (Math.abs(end - start) > MAX_SCAN_DAYS) throw new DomainError(DomainErrorCode.InvalidArgument, 'Range too large', {});
    let count = 0;
    if (end >= start) {
      for (let d = start + 1; d <= end; d++) if (this.isWorkingEpochDay(d)) count += 1;
      return count;
    }
    for (let d = end; d < start; d++) if (this.isWorkingEpochDay(d)) count += 1;
    return -count;
  }

  /** The first working day on or after (step 1) / on or before (step −1) a date. */
  nearestWorkingDay(date: Date | LocalDate, direction: 1 | -1 = 1): LocalDate {
    const local = asLocal(date);
    return this.isWorkingDay(local) ? local : fromEpochDay(this.shiftEpochDay(epochDay(local), direction));
  }

  /**
   * "Trong 05 ngày làm việc kể từ ngày …": the end (23:59:59.999 local) of the n-th working day
   * after the start day, the start day not counted.
   */
  deadlineInWorkingDays(from: Date | LocalDate, n: number): Date {
    if (toInt(n, 'n') < 1) throw new DomainError(DomainErrorCode.InvalidArgument, 'n must be at least 1', { n });
    return endOfLocalDay(this.addWorkingDays(asLocal(from), n));
  }
}

const DAY_OFF_KINDS: ReadonlySet<string> = new Set<DayOffKind>(['holiday', 'compensatory', 'swapped']);

/** A cheap shape check of a bundled year, so a broken data file fails loudly rather than shifting deadlines. */
function bundledYear(input: unknown): CalendarYearData {
  const y = input as Partial<CalendarYearData> | null;
  const ok =
    typeof y === 'object' &&
    y !== null &&
    Number.isInteger(y.year) &&
    typeof y.source === 'string' &&
    Array.isArray(y.daysOff) &&
    y.daysOff.every((d) => isLocalDate(d.from) && isLocalDate(d.to) && d.to >= d.from && typeof d.name === 'string' && DAY_OFF_KINDS.has(d.kind)) &&
    Array.isArray(y.workingWeekends) &&
    y.workingWeekends.every((w) => isLocalDate(w.date) && typeof w.name === 'string' && (w.replaces === undefined || isLocalDate(w.replaces)));
  if (!ok) throw new DomainError(DomainErrorCode.InvalidCalendarData, 'Invalid bundled calendar year data', { year: y?.year });
  return y as CalendarYearData;
}

let bundled: WorkingCalendar | undefined;

/** The calendar with the bundled official years (2024–2026) and the computed fallback elsewhere. */
export function defaultCalendar(): WorkingCalendar {
  // Trusted without zod: the workflows call this, and zod would be loaded again for every cached run
  // (docs/operations.md, "Memory per cached workflow"). calendar-schema.spec.ts validates these files with
  // calendarYearSchema, and bundledYear() checks the shape the calendar relies on.
  bundled ??= new WorkingCalendar([vn2024, vn2025, vn2026].map(bundledYear));
  return bundled;
}
