import { DomainError, DomainErrorCode } from './errors';
import { epochDay, fromEpochDay, isLocalDate, localDate, type LocalDate } from './time';

/**
 * Vietnamese lunisolar calendar (âm lịch), computed astronomically:
 *  - a month begins on the local (UTC+7) day that contains an astronomical new moon;
 *  - month 11 is the month containing the December solstice (sun at 270°);
 *  - when 13 new moons start between two months 11, the first month after month 11 that
 *    contains no principal solar term (sun longitude crossing a multiple of 30°) is leap,
 *    numbered like the month before it.
 * Using UTC+7 rather than China's UTC+8 is what makes Vietnam differ in years such as 1985
 * (Tết 21/1 in Vietnam, 20/2 in China) and 2007.
 *
 * Formulas: mean new moon plus periodic terms, and the low-precision apparent solar longitude,
 * from J. Meeus, Astronomical Algorithms (2nd ed.), ch. 49 and 25. Accuracy is about a minute
 * for new moons and ~0.01° (~15 min) for the sun, well inside a day except in rare
 * near-midnight cases; the supported range is 1900–2199.
 */

export interface LunarDate {
  year: number;
  month: number; // 1..12
  day: number; // 1..30
  leap: boolean;
}

export const LUNAR_MIN_YEAR = 1900;
export const LUNAR_MAX_YEAR = 2199;

const RAD = Math.PI / 180;
const SYNODIC_MONTH = 29.530588861;
/** Julian Day Number of 1970-01-01 (the JDN whose noon falls on that date). */
const JDN_UNIX_EPOCH = 2440588;
const LOCAL_OFFSET_DAYS = 7 / 24;

const sin = (deg: number): number => Math.sin(deg * RAD);

/** ΔT = TT − UT in seconds (Espenak–Meeus polynomials); matters only for new moons within minutes of midnight. */
function deltaTSeconds(year: number): number {
  if (year < 1900) {
    const u = (year - 1820) / 100;
    return -20 + 32 * u * u;
  }
  if (year < 1920) {
    const t = year - 1900;
    return -2.79 + 1.494119 * t - 0.0598939 * t ** 2 + 0.0061966 * t ** 3 - 0.000197 * t ** 4;
  }
  if (year < 1941) {
    const t = year - 1920;
    return 21.2 + 0.84493 * t - 0.0761 * t ** 2 + 0.0020936 * t ** 3;
  }
  if (year < 1961) {
    const t = year - 1950;
    return 29.07 + 0.407 * t - t ** 2 / 233 + t ** 3 / 2547;
  }
  if (year < 1986) {
    const t = year - 1975;
    return 45.45 + 1.067 * t - t ** 2 / 260 - t ** 3 / 718;
  }
  if (year < 2005) {
    const t = year - 2000;
    return 63.86 + 0.3345 * t - 0.060374 * t ** 2 + 0.0017275 * t ** 3 + 0.000651814 * t ** 4 + 0.00002373599 * t ** 5;
  }
  if (year < 2050) {
    const t = year - 2000;
    return 62.92 + 0.32217 * t + 0.005589 * t ** 2;
  }
  const u = (year - 1820) / 100;
  return -20 + 32 * u * u - 0.5628 * (2150 - year);
}

const approxYearOfJd = (jd: number): number => 2000 + (jd - 2451545) / 365.25;

/** Julian Ephemeris Day (TT) of true new moon number k (k = 0: 6 January 2000). Meeus ch. 49. */
function newMoonJde(k: number): number {
  const T = k / 1236.85;
  const T2 = T * T;
  const T3 = T2 * T;
  const T4 = T3 * T;
  const jde = 2451550.09766 + SYNODIC_MONTH * k + 0.00015437 * T2 - 0.00000015 * T3 + 0.00000000073 * T4;
  const E = 1 - 0.002516 * T - 0.0000074 * T2;
  const M = 2.5534 + 29.1053567 * k - 0.0000014 * T2 - 0.00000011 * T3;
  const Mp = 201.5643 + 385.81693528 * k + 0.0107582 * T2 + 0.00001238 * T3 - 0.000000058 * T4;
  const F = 160.7108 + 390.67050284 * k - 0.0016118 * T2 - 0.00000227 * T3 + 0.000000011 * T4;
  const Om = 124.7746 - 1.56375588 * k + 0.0020672 * T2 + 0.00000215 * T3;

  const periodic =
    -0.4072 * sin(Mp) +
    0.17241 * E * sin(M) +
    0.01608 * sin(2 * Mp) +
    0.01039 * sin(2 * F) +
    0.00739 * E * sin(Mp - M) -
    0.00514 * E * sin(Mp + M) +
    0.00208 * E * E * sin(2 * M) -
    0.00111 * sin(Mp - 2 * F) -
    0.00057 * sin(Mp + 2 * F) +
    0.00056 * E * sin(2 * Mp + M) -
    0.00042 * sin(3 * Mp) +
    0.00042 * E * sin(M + 2 * F) +
    0.00038 * E * sin(M - 2 * F) -
    0.00024 * E * sin(2 * Mp - M) -
    0.00017 * sin(Om) -
    0.00007 * sin(Mp + 2 * M) +
    0.00004 * sin(2 * Mp - 2 * F) +
    0.00004 * sin(3 * M) +
    0.00003 * sin(Mp + M - 2 * F) +
    0.00003 * sin(2 * Mp + 2 * F) -
    0.00003 * sin(Mp + M + 2 * F) +
    0.00003 * sin(Mp - M + 2 * F) -
    0.00002 * sin(Mp - M - 2 * F) -
    0.00002 * sin(3 * Mp + M) +
    0.00002 * sin(4 * Mp);

  // Planetary arguments (A1..A14) and their coefficients.
  const planetary: ReadonlyArray<readonly [number, number]> = [
    [0.000325, 299.77 + 0.107408 * k - 0.009173 * T2],
    [0.000165, 251.88 + 0.016321 * k],
    [0.000164, 251.83 + 26.651886 * k],
    [0.000126, 349.42 + 36.412478 * k],
    [0.00011, 84.66 + 18.206239 * k],
    [0.000062, 141.74 + 53.303771 * k],
    [0.00006, 207.14 + 2.453732 * k],
    [0.000056, 154.84 + 7.30686 * k],
    [0.000047, 34.52 + 27.261239 * k],
    [0.000042, 207.19 + 0.121824 * k],
    [0.00004, 291.34 + 1.844379 * k],
    [0.000037, 161.72 + 24.198154 * k],
    [0.000035, 239.56 + 25.513099 * k],
    [0.000023, 331.55 + 3.592518 * k],
  ];
  let additional = 0;
  for (const [coefficient, argument] of planetary) additional += coefficient * sin(argument);

  return jde + periodic + additional;
}

/** Apparent geocentric solar longitude in degrees [0, 360) at a Julian Ephemeris Day. Meeus ch. 25. */
function solarLongitude(jde: number): number {
  const T = (jde - 2451545) / 36525;
  const L0 = 280.46646 + 36000.76983 * T + 0.0003032 * T * T;
  const M = 357.52911 + 35999.05029 * T - 0.0001537 * T * T;
  const C =
    (1.914602 - 0.004817 * T - 0.000014 * T * T) * sin(M) + (0.019993 - 0.000101 * T) * sin(2 * M) + 0.000289 * sin(3 * M);
  const omega = 125.04 - 1934.136 * T;
  const lambda = L0 + C - 0.00569 - 0.00478 * sin(omega);
  return ((lambda % 360) + 360) % 360;
}

const jdnToEpochDay = (jdn: number): number => jdn - JDN_UNIX_EPOCH;
const epochDayToJdn = (day: number): number => day + JDN_UNIX_EPOCH;

/** JDN of the Vietnam-local day on which new moon k occurs. */
function newMoonDay(k: number): number {
  const jde = newMoonJde(k);
  const jdUt = jde - deltaTSeconds(approxYearOfJd(jde)) / 86400;
  return Math.floor(jdUt + 0.5 + LOCAL_OFFSET_DAYS);
}

/** Which 30° sector (0..11) the sun is in at local midnight starting the given day. */
function sunSectorAtDayStart(jdn: number): number {
  const jdUt = jdn - 0.5 - LOCAL_OFFSET_DAYS;
  const jde = jdUt + deltaTSeconds(approxYearOfJd(jdUt)) / 86400;
  return Math.floor(solarLongitude(jde) / 30);
}

/** New-moon index k of the month 11 that contains the December solstice of a Gregorian year. */
function month11Index(gregorianYear: number): number {
  const dec31 = epochDayToJdn(epochDay(`${gregorianYear}-12-31`));
  let k = Math.floor((dec31 - 2451550.1) / SYNODIC_MONTH);
  while (newMoonDay(k + 1) <= dec31) k += 1;
  while (newMoonDay(k) > dec31) k -= 1;
  // Sector ≥ 9 at the start of that month means the solstice (270°) had already passed: month 11 is the one before.
  return sunSectorAtDayStart(newMoonDay(k)) >= 9 ? k - 1 : k;
}

interface LunarMonthSpan {
  year: number;
  month: number;
  leap: boolean;
  startJdn: number;
  length: number;
}

// Pure memoisation: same input, same output, so it is safe inside Temporal workflows.
const suiCache = new Map<number, readonly LunarMonthSpan[]>();

/** The months from month 11 of Gregorian year g−1 up to (excluding) month 11 of year g. */
function monthsOfSui(g: number): readonly LunarMonthSpan[] {
  const cached = suiCache.get(g);
  if (cached) return cached;

  const kStart = month11Index(g - 1);
  const kEnd = month11Index(g);
  const count = kEnd - kStart; // 12, or 13 in a leap sui
  const starts: number[] = [];
  for (let i = 0; i <= count; i++) starts.push(newMoonDay(kStart + i));

  let leapIndex = -1;
  if (count === 13) {
    for (let i = 1; i < count; i++) {
      const s0 = starts[i] as number;
      const s1 = starts[i + 1] as number;
      if (sunSectorAtDayStart(s0) === sunSectorAtDayStart(s1)) {
        leapIndex = i;
        break;
      }
    }
  }

  const months: LunarMonthSpan[] = [];
  let month = 10;
  let year = g - 1;
  for (let i = 0; i < count; i++) {
    const leap = i === leapIndex;
    if (!leap) {
      month += 1;
      if (month > 12) {
        month = 1;
        year = g;
      }
    }
    const startJdn = starts[i] as number;
    months.push({ year, month, leap, startJdn, length: (starts[i + 1] as number) - startJdn });
  }
  suiCache.set(g, months);
  return months;
}

function assertYearInRange(year: number, what: string): void {
  if (!Number.isInteger(year) || year < LUNAR_MIN_YEAR || year > LUNAR_MAX_YEAR) {
    throw new DomainError(DomainErrorCode.InvalidLunarDate, `${what} ${year} outside ${LUNAR_MIN_YEAR}–${LUNAR_MAX_YEAR}`, {
      year,
    });
  }
}

/**
 * The solar (Gregorian, Vietnam-local) date of a lunar date, e.g. lunarToSolar(2024, 8, 15) →
 * '2024-09-17' (Tết Trung thu). Throws INVALID_LUNAR_DATE for a day the month does not have
 * (30 in a 29-day month) or a leap month the year does not have.
 */
export function lunarToSolar(lunarYear: number, lunarMonth: number, lunarDay: number, leap = false): LocalDate {
  assertYearInRange(lunarYear, 'Lunar year');
  if (!Number.isInteger(lunarMonth) || lunarMonth < 1 || lunarMonth > 12 || !Number.isInteger(lunarDay) || lunarDay < 1 || lunarDay > 30) {
    throw new DomainError(DomainErrorCode.InvalidLunarDate, 'Lunar month must be 1–12 and day 1–30', { lunarMonth, lunarDay });
  }
  // Months 11 and 12 of lunar year Y fall in the sui that ends with month 11 of Gregorian Y+1.
  const candidates = lunarMonth >= 11 ? [...monthsOfSui(lunarYear + 1), ...monthsOfSui(lunarYear)] : monthsOfSui(lunarYear);
  const span = candidates.find((m) => m.year === lunarYear && m.month === lunarMonth && m.leap === leap);
  if (!span) {
    throw new DomainError(DomainErrorCode.InvalidLunarDate, `Lunar year ${lunarYear} has no leap month ${lunarMonth}`, {
      lunarYear,
      lunarMonth,
      leap,
    });
  }
  if (lunarDay > span.length) {
    throw new DomainError(DomainErrorCode.InvalidLunarDate, `Lunar month ${lunarMonth}/${lunarYear} has ${span.length} days`, {
      lunarYear,
      lunarMonth,
      lunarDay,
      length: span.length,
    });
  }
  return fromEpochDay(jdnToEpochDay(span.startJdn + lunarDay - 1));
}

/** The lunar date of a Vietnam-local date (an instant is first converted to its local date). */
export function solarToLunar(date: Date | LocalDate): LunarDate {
  const local = typeof date === 'string' ? date : localDate(date);
  if (!isLocalDate(local)) {
    throw new DomainError(DomainErrorCode.InvalidDate, `Not a valid local date: ${local}`, { value: local });
  }
  const gregorianYear = Number(local.slice(0, 4));
  assertYearInRange(gregorianYear, 'Year');
  const jdn = epochDayToJdn(epochDay(local));
  const nextSui = monthsOfSui(gregorianYear + 1);
  const months = jdn >= (nextSui[0] as LunarMonthSpan).startJdn ? nextSui : monthsOfSui(gregorianYear);
  for (let i = months.length - 1; i >= 0; i--) {
    const m = months[i] as LunarMonthSpan;
    if (jdn >= m.startJdn) return { year: m.year, month: m.month, day: jdn - m.startJdn + 1, leap: m.leap };
  }
  // Unreachable: the sui of Gregorian year g starts in December of g−1.
  throw new DomainError(DomainErrorCode.InvalidDate, `No lunar month found for ${local}`, { value: local });
}

/** Number of days (29 or 30) of a lunar month. */
export function lunarMonthLength(lunarYear: number, lunarMonth: number, leap = false): number {
  const first = epochDay(lunarToSolar(lunarYear, lunarMonth, 1, leap));
  const d29 = solarToLunar(fromEpochDay(first + 29));
  return d29.day === 30 ? 30 : 29;
}

/** The leap month of a lunar year (e.g. 2025 → 6), or null. */
export function leapMonthOf(lunarYear: number): number | null {
  assertYearInRange(lunarYear, 'Lunar year');
  const all = [...monthsOfSui(lunarYear), ...monthsOfSui(lunarYear + 1)];
  return all.find((m) => m.year === lunarYear && m.leap)?.month ?? null;
}

/** Tết Nguyên đán: 1/1 of the lunar year that starts in the given Gregorian year. */
export function tetNguyenDan(year: number): LocalDate {
  return lunarToSolar(year, 1, 1);
}

/** The last day of a lunar year (29 or 30 tháng Chạp): the eve of the next Tết. */
export function lunarNewYearsEve(lunarYear: number): LocalDate {
  return fromEpochDay(epochDay(tetNguyenDan(lunarYear + 1)) - 1);
}

const CAN = ['Giáp', 'Ất', 'Bính', 'Đinh', 'Mậu', 'Kỷ', 'Canh', 'Tân', 'Nhâm', 'Quý'] as const;
const CHI = ['Tý', 'Sửu', 'Dần', 'Mão', 'Thìn', 'Tỵ', 'Ngọ', 'Mùi', 'Thân', 'Dậu', 'Tuất', 'Hợi'] as const;

/** Sexagenary name of a lunar year as written in Vietnam (2024 → 'Giáp Thìn'). */
export function canChiOfYear(lunarYear: number): string {
  const can = CAN[(((lunarYear + 6) % 10) + 10) % 10] as string;
  const chi = CHI[(((lunarYear + 8) % 12) + 12) % 12] as string;
  return `${can} ${chi}`;
}
