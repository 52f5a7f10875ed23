// Dates are shown dd/MM/yyyy in Asia/Ho_Chi_Minh whatever the browser's own zone.
import type { Translate } from './i18n';

export const TIME_ZONE = 'Asia/Ho_Chi_Minh';

const dateParts = new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, day: '2-digit', month: '2-digit', year: 'numeric' });
const timeParts = new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit', hour12: false });

function part(parts: Intl.DateTimeFormatPart[], type: Intl.DateTimeFormatPartTypes): string {
  return parts.find((p) => p.type === type)?.value ?? '';
}

/** An ISO instant or a YYYY-MM-DD day as dd/MM/yyyy. */
export function formatDate(value: string | null | undefined): string {
  if (!value) return '—';
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const [y, m, d] = value.split('-');
    return `${d}/${m}/${y}`;
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  const p = dateParts.formatToParts(date);
  return `${part(p, 'day')}/${part(p, 'month')}/${part(p, 'year')}`;
}

export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '—';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return `${formatDate(value)} ${timeParts.format(date)}`;
}

/** Days left or late; nothing for finished work with a deadline (the API gives no count then). */
export function formatDaysLeft(daysLeft: number | null | undefined, t: Translate, deadline: string | null = null): string {
  if (daysLeft === null || daysLeft === undefined) return deadline ? '' : t('noDeadline');
  if (daysLeft === 0) return t('dueToday');
  return daysLeft > 0 ? t('daysLeft', { n: daysLeft }) : t('daysLate', { n: -daysLeft });
}

export function formatPercent(rate: number | null | undefined): string {
  if (rate === null || rate === undefined || Number.isNaN(rate)) return '—';
  return `${Math.round(rate * 1000) / 10}%`;
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
