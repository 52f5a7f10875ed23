// Documents print Vietnam dates; UTC+7 is fixed (no DST since 1975).
const VN_OFFSET_MS = 7 * 60 * 60 * 1000;

export function vnDate(date: Date): { day: number; month: number; year: number } {
  const d = new Date(date.getTime() + VN_OFFSET_MS);
  return { day: d.getUTCDate(), month: d.getUTCMonth() + 1, year: d.getUTCFullYear() };
}

export function formatDateVN(date: Date): string {
  const { day, month, year } = vnDate(date);
  return `${String(day).padStart(2, '0')}/${String(month).padStart(2, '0')}/${year}`;
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
