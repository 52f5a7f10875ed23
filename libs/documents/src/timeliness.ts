import { type TimelinessCounts, type TimelinessKey } from './types';

/** The official vocabulary, in the order reports list it. */
export const TIMELINESS_LABELS: ReadonlyArray<[TimelinessKey, string]> = [
  ['doneOnTime', 'Hoàn thành đúng hạn'],
  ['doneLate', 'Hoàn thành quá hạn'],
  ['openOnTime', 'Chưa hoàn thành – trong hạn'],
  ['openOverdue', 'Chưa hoàn thành – quá hạn'],
  ['dueSoon', 'Sắp đến hạn'],
  ['noDeadline', 'Chưa có hạn'],
];

export const emptyCounts = (): TimelinessCounts => ({ doneOnTime: 0, doneLate: 0, openOnTime: 0, openOverdue: 0, dueSoon: 0, noDeadline: 0 });

export function totalOf(c: TimelinessCounts): number {
  return c.doneOnTime + c.doneLate + c.openOnTime + c.openOverdue + c.dueSoon + c.noDeadline;
}

export function sumCounts(rows: ReadonlyArray<{ counts: TimelinessCounts }>): TimelinessCounts {
  const sum = emptyCounts();
  for (const { counts } of rows) for (const [key] of TIMELINESS_LABELS) sum[key] += counts[key];
  return sum;
}

/** Share of a total as "12,5%" (Vietnamese decimal comma); "-" when there is nothing to divide. */
export function percentVN(part: number, total: number): string {
  if (total === 0) return '-';
  const value = Math.round((part / total) * 1000) / 10;
  return `${String(value).replace('.', ',')}%`;
}
