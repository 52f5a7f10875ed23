import { type Indicator } from '../../domain/src/plan';
import { foldForSearch } from './dates';

/**
 * Reads measurable targets out of an objective's sentence. Each finding keeps its span so a
 * ratio's '17 xã' is not read again as a count, and results come back in reading order.
 */
interface Finding {
  start: number;
  end: number;
  indicator: Indicator;
}

const COUNT_UNITS =
  'lớp|buổi|hội nghị|cuộc|đợt|mô hình|câu lạc bộ|CLB|điểm|chương trình|lượt|bể bơi|sân chơi|nhóm|hộ|thôn|bản|xã|trường|gia đình';

function toNumber(text: string): number {
  return Number(text.replace(',', '.'));
}

/** A subject runs to the next target, clause end (';', ':', '.'), or a parenthesis. */
function subjectAfter(text: string, from: number, stops: readonly number[]): string {
  const next = Math.min(...stops.filter((s) => s > from), text.length);
  const clause = text.slice(from, next);
  const end = clause.search(/[;:(]|\.(?:\s|$)/u);
  return (end >= 0 ? clause.slice(0, end) : clause).replace(/^[\s,]+|[\s,]+$|\s+(?:và|cho|đạt)$/gu, '').trim();
}

function trendOf(folded: string): Indicator['trend'] {
  const maintain = /duy tri/.test(folded);
  const increase = /(?<![\p{L}])tang(?![\p{L}])/u.test(folded);
  if (maintain && increase) return 'maintain_or_increase';
  if (increase) return 'increase';
  return maintain ? 'maintain' : undefined;
}

function percents(text: string): Finding[] {
  const hits = [...text.matchAll(/(\d{1,3}(?:[.,]\d{1,2})?)\s?%/gu)];
  const starts = hits.map((h) => h.index ?? 0);
  return hits.map((hit, i) => {
    const start = hit.index ?? 0;
    const subject = subjectAfter(text, start + hit[0].length, starts.slice(i + 1));
    return {
      start,
      end: start + hit[0].length,
      indicator: { kind: 'percent', target: toNumber(hit[1]), subject: subject || text },
    };
  });
}

/** '(15/17 xã năm 2022)' is a baseline; the target is to keep or raise it. */
function ratios(text: string): Finding[] {
  const folded = foldForSearch(text);
  const out: Finding[] = [];
  for (const hit of text.matchAll(/(\d{1,4})\s*\/\s*(\d{1,4})\s+([\p{L}]+(?:\s(?!năm\s)[\p{L}]+)?)?(?:\s+năm\s+(\d{4}))?/gu)) {
    const start = hit.index ?? 0;
    const before = folded.slice(Math.max(0, start - 6), start);
    if (/ngay\s*$|\/\s*$/.test(before) || text[start + hit[0].length] === '/') continue;
    const value = Number(hit[1]);
    const denominator = Number(hit[2]);
    if (denominator === 0 || value > denominator) continue;
    const unitText = hit[3]?.replace(/\s+năm$/u, '').trim();
    const inParens = text.lastIndexOf('(', start) > text.lastIndexOf(')', start);
    const year = hit[4] ? Number(hit[4]) : undefined;
    const lead = text.slice(0, start);
    const rate = /tỷ lệ|tỉ lệ/iu.exec(lead);
    const subject = rate
      ? lead.slice(rate.index + rate[0].length).replace(/[\s(]+$/u, '').trim()
      : subjectAfter(text, start + hit[0].length, []);
    const baseline = inParens && year !== undefined;
    out.push({
      start,
      end: start + hit[0].length,
      indicator: {
        kind: 'ratio',
        target: value,
        denominator,
        ...(unitText ? { unitText } : {}),
        subject: subject || text,
        ...(baseline ? { trend: trendOf(foldForSearch(lead)) ?? 'maintain', baseline: { value, denominator, year } } : {}),
      },
    });
  }
  return out;
}

function zeros(text: string): Finding[] {
  return [...text.matchAll(/không\s+(?:có|để|còn|xảy ra)\s+([^;.]+)/giu)].map((hit) => ({
    start: hit.index ?? 0,
    end: (hit.index ?? 0) + hit[0].length,
    indicator: { kind: 'zero', target: 0, subject: hit[1].trim() },
  }));
}

function counts(text: string): Finding[] {
  const pattern = new RegExp(`(?<![\\d/.,%])(\\d{1,4})\\s+(${COUNT_UNITS})(?![\\p{L}])`, 'gu');
  return [...text.matchAll(pattern)].map((hit) => {
    const start = hit.index ?? 0;
    return {
      start,
      end: start + hit[0].length,
      indicator: {
        kind: 'count',
        target: Number(hit[1]),
        unitText: hit[2],
        subject: subjectAfter(text, start + hit[1].length, []) || text,
      },
    };
  });
}

export function extractIndicators(text: string): Indicator[] {
  const accepted: Finding[] = [];
  for (const finding of [...ratios(text), ...percents(text), ...zeros(text), ...counts(text)]) {
    if (accepted.some((a) => finding.start < a.end && a.start < finding.end)) continue;
    accepted.push(finding);
  }
  return accepted.sort((a, b) => a.start - b.start).map((f) => f.indicator);
}
