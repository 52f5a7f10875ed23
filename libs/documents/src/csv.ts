import { formatDateVN } from './dates';
import { indicatorVerdict } from './summary-report';
import { TIMELINESS_LABELS, totalOf } from './timeliness';
import { type ConsolidatedData } from './types';

export type CsvTable = 'units' | 'responsibilities' | 'indicators' | 'late';

// Excel only detects UTF-8 (and so shows Vietnamese correctly) when the file starts with a BOM.
const BOM = '\uFEFF';

/**
 * A spreadsheet runs a text cell that starts like a formula: "=", "+", "-", "@", and (after Excel and
 * LibreOffice drop them) a leading tab, carriage return or spaces before one of those. Their full-width forms
 * (＝ ＋ － ＠, common in text typed with a Vietnamese or CJK input method) are converted by some spreadsheet
 * imports, so they count too. Every such cell gets a leading apostrophe, which shows as text and runs nothing;
 * a plan's "- " bullet costs one apostrophe, a fair price for not guessing which dashes are harmless.
 */
const FORMULA_START = /^[\s\u00a0]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|^[\t\r]/;

export function defuse(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** RFC 4180: quote a field holding a comma, quote or line break; double the quotes inside. */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = defuse(value);
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function toCsv(rows: Array<Array<string | number | null>>): Buffer {
  return Buffer.from(BOM + rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n', 'utf8');
}

const countHeaders = TIMELINESS_LABELS.map(([, label]) => label);

/** One view of the consolidated figures as CSV (UTF-8 with BOM, CRLF, RFC 4180 quoting); default per unit. */
export function buildConsolidatedCsv(data: ConsolidatedData, table: CsvTable = 'units'): Buffer {
  switch (table) {
    case 'units':
      return toCsv([
        ['Mã đơn vị', 'Cơ quan, đơn vị', 'Tổng số', ...countHeaders],
        ...data.units.map((u) => [u.unitCode, u.unitName, totalOf(u.counts), ...TIMELINESS_LABELS.map(([k]) => u.counts[k])]),
      ]);
    case 'responsibilities':
      return toCsv([
        ['Mã nhiệm vụ', 'Nhiệm vụ', 'Đơn vị chủ trì', 'Tổng số', ...countHeaders],
        ...data.responsibilities.map((r) => [r.key, r.text, r.leadUnit ?? '', totalOf(r.counts), ...TIMELINESS_LABELS.map(([k]) => r.counts[k])]),
      ]);
    case 'indicators':
      return toCsv([
        ['Mã', 'Chỉ tiêu', 'Mục tiêu', 'Kết quả', 'Số đơn vị báo cáo', 'Đánh giá'],
        ...data.indicators.map((r) => [r.code, r.text, r.target, r.reported ?? '', r.reportingUnits ?? null, indicatorVerdict(r)]),
      ]);
    case 'late':
      return toCsv([
        ['Mã đơn vị', 'Cơ quan, đơn vị', 'Mã nhiệm vụ', 'Nhiệm vụ', 'Thời hạn', 'Số ngày quá hạn', 'Mức đôn đốc', 'Bước đôn đốc'],
        ...data.late.map((r) => [r.unitCode, r.unitName, r.responsibilityKey, r.responsibility, formatDateVN(r.deadline), r.daysLate, r.escalationLevel, r.escalationLabel ?? '']),
      ]);
  }
}
