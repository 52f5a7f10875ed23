// Every date a unit reads is in Asia/Ho_Chi_Minh. The arithmetic (a fixed UTC+7, exact since 1975) lives once in
// libs/domain/src/time.ts; this module only adds the notification-specific reading of a deadline.
import { daysBetweenLocal, formatDateTimeVN, formatDateVN, localTimeOfDayMs } from '@app/domain';

export { formatDateTimeVN, formatDateVN };

/**
 * A deadline reads as a date when it falls on a day boundary (end of day 23:59 or midnight), which is
 * how plans state them; demo and test deadlines measured in seconds also need the time to make sense.
 */
export function formatDeadlineVN(date: Date): string {
  const minutes = Math.floor(localTimeOfDayMs(date) / 60_000);
  const dayBoundary = minutes === 23 * 60 + 59 || minutes === 0;
  return dayBoundary ? formatDateVN(date) : formatDateTimeVN(date);
}

/** Number of local midnights between two instants: "due in 3 days" counts calendar days, not 72-hour blocks. */
export function calendarDaysBetween(from: Date, to: Date): number {
  return daysBetweenLocal(from, to);
}
