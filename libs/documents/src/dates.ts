// Documents print Vietnam dates; the UTC+7 arithmetic lives once in libs/domain/src/time.ts.
import { formatDateVN, localDate, parseLocalDate } from '@app/domain';

export { formatDateVN };

export function vnDate(date: Date): { day: number; month: number; year: number } {
  return parseLocalDate(localDate(date));
}

/**
 * "Văn Quan, ngày 05 tháng 02 năm 2024". NĐ 30/2020 asks for a leading zero on days below 10 and on
 * months 1 and 2 only (so "tháng 02" but "tháng 5"); a draft without a date keeps the blanks for the clerk.
 */
export function placeAndDate(place: string, date: Date | undefined): string {
  if (!date) return `${place}, ngày … tháng … năm …`;
  const { day, month, year } = vnDate(date);
  const mm = month <= 2 ? `0${month}` : String(month);
  return `${place}, ngày ${String(day).padStart(2, '0')} tháng ${mm} năm ${year}`;
}
