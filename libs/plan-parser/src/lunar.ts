import { lunarToSolar as domainLunarToSolar } from '../../domain/src/lunar';

/**
 * The one door from the parser to the lunar calendar (libs/domain/src/lunar.ts computes it
 * astronomically). Answers null outside the supported range so a cue degrades to "no date"
 * instead of failing the import.
 */
export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

export function lunarToSolar(year: number, month: number, day: number): CalendarDate | null {
  try {
    const [y, m, d] = domainLunarToSolar(year, month, day).split('-').map(Number);
    return { year: y, month: m, day: d };
  } catch {
    return null;
  }
}
