import { type ReportingDeadlineRule, periodsFor, reportingDeadline } from '../../domain/src/periods';
import { type Deadline, type ReportingRule } from '../../domain/src/plan';
import { explicitDeadline, foldForSearch } from './dates';

/**
 * The periods a reporting paragraph names and the deadline of each:
 *   'báo cáo 6 tháng (trước ngày 10/5) và báo cáo năm (trước ngày 10/11)'   → one date each;
 *   'Định kỳ hằng quý (trước ngày 15 của tháng cuối quý)'                      → a rule per quarter;
 *   'hằng tháng trước ngày 20', 'báo cáo tháng trước ngày 5 của tháng sau'     → a rule per month.
 * A rule is kept in `deadlineRule` (periods.ts reads it); `deadline` is the first period's date.
 */

export type ReportPeriod = ReportingRule['period'];

export interface PeriodClause {
  index: number;
  period: ReportPeriod;
  /** The words that named the period, as written. */
  cue: string;
  deadline: Deadline | null;
  deadlineRule?: ReportingDeadlineRule;
}

const CUES: ReadonlyArray<{ period: ReportPeriod; re: RegExp }> = [
  { period: 'semiannual', re: /(?:bao cao|dinh ky)\s+(?:dinh ky\s+)?(?:(?:hang|moi)\s+)?(?:6|sau) thang(?:\s+(?:dau nam|mot lan))?/g },
  { period: 'semiannual', re: /(?<![\p{L}\d])(?:hang|moi)\s+(?:6|sau) thang/gu },
  { period: 'annual', re: /(?:bao cao|dinh ky)\s+(?:dinh ky\s+)?(?:(?:hang|ca|moi)\s+)?nam(?!\s+\d)(?![\p{L}])/gu },
  { period: 'annual', re: /(?<![\p{L}\d])(?:hang|moi)\s+nam(?![\p{L}\d])/gu },
  { period: 'quarterly', re: /(?:bao cao|dinh ky)\s+(?:dinh ky\s+)?(?:(?:hang|moi)\s+)?quy(?![\p{L}])/gu },
  { period: 'quarterly', re: /(?<![\p{L}\d])(?:hang|moi)\s+quy(?![\p{L}])/gu },
  { period: 'monthly', re: /(?:bao cao|dinh ky)\s+(?:dinh ky\s+)?(?:(?:hang|moi)\s+)?thang(?!\s*\d)(?![\p{L}])/gu },
  { period: 'monthly', re: /(?<![\p{L}\d])(?:hang|moi)\s+thang(?![\p{L}])/gu },
];

// 'trước ngày 15 (của) tháng cuối quý', 'trước ngày 20 hằng tháng', 'trước ngày 5 của tháng sau'.
const RELATIVE_DAY =
  /(truoc|cham nhat|trong|vao)\s+(?:ngay\s+)?(\d{1,2})(?!\s*[/.-]\s*\d)(?:\s+(?:cua\s+)?(thang cuoi (?:quy|ky|nam)|thang dau (?:quy|ky|nam) sau|thang dau cua (?:quy|ky) sau|thang sau|thang tiep theo|thang ke tiep|hang thang|thang cuoi|cuoi thang))?/;

const NAMES: Record<ReportPeriod, string> = { monthly: 'tháng', quarterly: 'quý', semiannual: '6 tháng', annual: 'năm' };

function relativeRule(window: string, period: ReportPeriod, year: number): { deadline: Deadline; rule: ReportingDeadlineRule } | null {
  const hit = RELATIVE_DAY.exec(foldForSearch(window));
  if (!hit) return null;
  const day = Number(hit[2]);
  const where = hit[3] ?? '';
  // Without a month the day is in the period's last month ('tháng cuối quý', a bare 'trước ngày 15'),
  // or in the month after it ('tháng sau', 'tháng đầu quý sau').
  const monthsAfterPeriodEnd = /sau|tiep theo|ke tiep/.test(where) ? 1 : 0;
  if (day < 1 || day > 31) return null;
  const kind: ReportingDeadlineRule['kind'] = hit[1] === 'truoc' ? 'before' : 'by';
  const rule: ReportingDeadlineRule = { kind, day, monthsAfterPeriodEnd };
  let date: string;
  try {
    date = reportingDeadline(rule, periodsFor(period, year)[0]);
  } catch {
    return null;
  }
  const month = monthsAfterPeriodEnd === 1 ? `tháng đầu kỳ sau` : period === 'monthly' ? 'hằng tháng' : `tháng cuối mỗi ${NAMES[period]}`;
  return { deadline: { date, kind: 'explicit', reason: `${kind === 'before' ? 'Trước ngày' : 'Chậm nhất ngày'} ${day} ${month}` }, rule };
}

/** Every period named in the text, in order, with the deadline written next to it. */
export function periodClauses(text: string, year: number): PeriodClause[] {
  const folded = foldForSearch(text);
  const hits: Array<{ index: number; end: number; period: ReportPeriod }> = [];
  for (const { period, re } of CUES) {
    for (const hit of folded.matchAll(re)) {
      const index = hit.index ?? 0;
      hits.push({ index, end: index + hit[0].length, period });
    }
  }
  hits.sort((a, b) => a.index - b.index || b.end - a.end);
  // 'báo cáo hằng quý' is matched twice (with and without 'báo cáo'): keep the outer one. Hits are in
  // order of start, so only the last kept hit of the same period can contain this one.
  const lastEnd = new Map<ReportPeriod, number>();
  const unique = hits.filter((h) => {
    if ((lastEnd.get(h.period) ?? -1) >= h.end) return false;
    lastEnd.set(h.period, Math.max(lastEnd.get(h.period) ?? -1, h.end));
    return true;
  });
  return unique.map((h, i) => {
    const next = unique[i + 1]?.index ?? text.length;
    const after = text.slice(h.end, Math.min(next, h.end + 100)).split(/báo cáo|\)/iu)[0];
    // 'trước ngày 20 hằng tháng': the deadline comes before the period word.
    const before = text.slice(Math.max(unique[i - 1]?.end ?? 0, h.index - 40), h.index);
    // '... định kỳ hằng quý báo cáo kết quả về UBND huyện (qua Phòng ...), trước ngày 15 của tháng cuối quý.'
    const sentence = text.slice(h.end, Math.min(next, h.end + 300));
    const readable = (w: string): boolean => RELATIVE_DAY.test(foldForSearch(w)) || explicitDeadline(w, year) !== null;
    const window = [after, before, sentence].find(readable) ?? after;
    const cue = text.slice(h.index, h.end);
    const absolute = /\d{1,2}\s*[/.-]\s*\d{1,2}|thang\s+\d/.test(foldForSearch(window));
    if (!absolute) {
      const relative = relativeRule(window, h.period, year);
      if (relative) return { index: h.index, period: h.period, cue, deadline: relative.deadline, deadlineRule: relative.rule };
    }
    return { index: h.index, period: h.period, cue, deadline: explicitDeadline(window, year) };
  });
}
