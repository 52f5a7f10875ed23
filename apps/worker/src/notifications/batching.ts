import { type MailBatchingConfig, isQuietHour } from '@app/config';
import { atLocalTime, defaultCalendar, localDate, localTimeOfDayMs, type WorkingCalendar } from '@app/domain';
import { type NotificationRequest } from '@app/contracts/workflow';

/**
 * Which mail a notice travels in (docs/email.md, "Batches"):
 * - new: new or changed work (activation, amendment) — one mail per recipient once the burst is over;
 * - daily: reminders, overdue notices, escalations — one mail per recipient, plan and working day;
 * - immediate: answers to what a person just did (returned, extension decided) — at once, alone.
 */
export type BatchClass = 'new' | 'daily' | 'immediate';

export function batchClassOf(kind: NotificationRequest['kind']): BatchClass {
  switch (kind) {
    case 'assigned':
    case 'deadline_changed':
      return 'new';
    case 'reminder':
    case 'overdue':
    case 'escalation':
    case 'leadership':
      return 'daily';
    default:
      return 'immediate';
  }
}

// Asia/Ho_Chi_Minh through the domain's Vietnam-time helpers (libs/domain/src/time.ts), as everywhere else.
const HOUR_MS = 3_600_000;

const localDateOf = (at: Date): string => localDate(at);
const localHourOf = (at: Date): number => Math.floor(localTimeOfDayMs(at) / HOUR_MS);
/** The instant of a local date at hour:minute in Asia/Ho_Chi_Minh. */
const atLocal = (date: string, hour: number, minute: number): Date => atLocalTime(date, hour * HOUR_MS + minute * 60_000);

/** Batch keys: the Message-ID derives from them, so never change their shape. */
export const newBatchKey = (planId: string, address: string, n: number): string => `new|${planId}|${address.toLowerCase()}|${n}`;
export const dailyBatchKey = (planId: string, address: string, date: string): string => `day|${planId}|${address.toLowerCase()}|${date}`;

/** Where a batch class puts its notices, and where it goes when that batch has already been closed. */
export interface BatchTarget {
  batchClass: 'new' | 'daily';
  key: string;
  /** Not before this instant (the quiet hours and the working-day calendar; now for new work). */
  sendAfter: Date;
}

export class BatchRules {
  constructor(
    readonly config: MailBatchingConfig,
    private readonly calendar: WorkingCalendar = defaultCalendar(),
  ) {}

  /** The morning slot of a local date. */
  morningOf(date: string): Date {
    return atLocal(date, this.config.morning.hour, this.config.morning.minute);
  }

  /**
   * When a daily batch recorded at `now` may go: now, if it is a working day outside quiet hours;
   * the same day's morning if it is a working day before it; otherwise the next working morning.
   */
  dailySlot(now: Date): Date {
    const date = localDateOf(now);
    if (this.calendar.isWorkingDay(date)) {
      const quiet = this.config.quietHours && isQuietHour(this.config.quietHours, localHourOf(now));
      if (!quiet) return now;
      const morning = this.morningOf(date);
      if (now < morning) return morning;
    }
    return this.morningOf(this.calendar.addWorkingDays(date, 1));
  }

  /** The first target of a notice recorded at `now`. */
  first(batchClass: 'new' | 'daily', planId: string, address: string, now: Date): BatchTarget {
    if (batchClass === 'new') return { batchClass, key: newBatchKey(planId, address, 1), sendAfter: now };
    const slot = this.dailySlot(now);
    return { batchClass, key: dailyBatchKey(planId, address, localDateOf(slot)), sendAfter: slot };
  }

  /** The batch after a closed one: the next number for new work, the next working morning for daily mail. */
  next(target: BatchTarget, now: Date): BatchTarget {
    const parts = target.key.split('|');
    const last = parts.pop() ?? '';
    const prefix = parts.join('|');
    if (target.batchClass === 'new') return { ...target, key: `${prefix}|${Number(last) + 1}`, sendAfter: now };
    const date = this.calendar.addWorkingDays(last, 1);
    const morning = this.morningOf(date);
    return { ...target, key: `${prefix}|${date}`, sendAfter: morning > now ? morning : now };
  }
}

/** The local calendar date (YYYY-MM-DD) a daily batch key is for. */
export const batchDateOf = (key: string): string => key.split('|').pop() ?? '';
export { localDateOf };
