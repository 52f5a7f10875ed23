// Every date a unit reads is in Asia/Ho_Chi_Minh. Vietnam has kept UTC+7 without daylight
// saving since 1975, so a fixed offset is exact and avoids depending on the ICU data of the host.
// (libs/domain is expected to grow a shared helper; this one stays local so notifications has no
// ordering dependency on it.)
const VN_OFFSET_MS = 7 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** The wall-clock fields of an instant as seen in Vietnam. */
export function vnParts(date: Date): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const shifted = new Date(date.getTime() + VN_OFFSET_MS);
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
    second: shifted.getUTCSeconds(),
  };
}

/** dd/MM/yyyy in Vietnam time. */
export function formatDateVN(date: Date): string {
  const p = vnParts(date);
  return `${pad2(p.day)}/${pad2(p.month)}/${p.year}`;
}

/** HH:mm dd/MM/yyyy in Vietnam time. */
export function formatDateTimeVN(date: Date): string {
  const p = vnParts(date);
  return `${pad2(p.hour)}:${pad2(p.minute)} ${formatDateVN(date)}`;
}

/**
 * A deadline reads as a date when it falls on a day boundary (end of day 23:59 or midnight), which is
 * how plans state them; demo and test deadlines measured in seconds also need the time to make sense.
 */
export function formatDeadlineVN(date: Date): string {
  const p = vnParts(date);
  const dayBoundary = (p.hour === 23 && p.minute === 59) || (p.hour === 0 && p.minute === 0);
  return dayBoundary ? formatDateVN(date) : formatDateTimeVN(date);
}

/** Number of local midnights between two instants: "due in 3 days" counts calendar days, not 72-hour blocks. */
export function calendarDaysBetween(from: Date, to: Date): number {
  const dayIndex = (d: Date): number => Math.floor((d.getTime() + VN_OFFSET_MS) / DAY_MS);
  return dayIndex(to) - dayIndex(from);
}
