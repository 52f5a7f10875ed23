import { type Deadline, type Recurrence, type RecurrenceKind } from '../../domain/src/plan';
import { foldDiacritics } from '../../domain/src/text';
import { lunarToSolar } from './lunar';

/** Calendar arithmetic on plain dates; no Date objects leak out, so no time zone can shift a day. */
export function isoDate(year: number, month: number, day: number): string | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function addDays(iso: string, days: number): string {
  const [y, m, d] = iso.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d + days));
  return date.toISOString().slice(0, 10);
}

function lastDayOfMonth(year: number, month: number): string {
  return addDays(isoDate(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1) ?? '1970-01-01', -1);
}

function dm(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  return `${d}/${m}/${y}`;
}

/**
 * Lower-case and diacritic-free, one character per input character: regexes run on the folded
 * text, and their indices still point into the original (for quoting the cue as written).
 */
export function foldForSearch(text: string): string {
  const parts: string[] = [];
  for (const ch of text.normalize('NFC')) {
    let folded = FOLDED.get(ch);
    if (folded === undefined) {
      const candidate = foldDiacritics(ch).toLowerCase();
      folded = candidate.length === ch.length ? candidate : ch;
      // Letters repeat: caching keeps long documents linear and cheap; the alphabet bounds the cache.
      if (FOLDED.size < 4096) FOLDED.set(ch, folded);
    }
    parts.push(folded);
  }
  return parts.join('');
}
const FOLDED = new Map<string, string>();

/** 'ngày 22/3/2024' → '2024-03-22'; 'ngày 05 tháng 4 năm 2024' too. */
export function parseVietnameseDate(text: string, fallbackYear?: number): string | null {
  const folded = foldForSearch(text);
  const numeric = /(\d{1,2})\s*\/\s*(\d{1,2})(?:\s*\/\s*(\d{4}))?/.exec(folded);
  const long = /ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})/.exec(folded);
  const hit = long ?? numeric;
  if (!hit) return null;
  const year = hit[3] ? Number(hit[3]) : fallbackYear;
  return year === undefined ? null : isoDate(year, Number(hit[2]), Number(hit[1]));
}

const EXPLICIT_DATE =
  /(truoc|cham nhat|han chot|hoan thanh|xong|den het|den|het|trong)\s+(?:(?:ngay|het ngay|hoac trong ngay)\s+)?(\d{1,2})\s*\/\s*(\d{1,2})(?:\s*\/\s*(\d{4}))?/;
// A time column often holds just the date ('30/9/2024', 'Ngày 15/6').
const BARE_DATE = /^(?:ngay\s+)?(\d{1,2})\s*\/\s*(\d{1,2})(?:\s*\/\s*(\d{4}))?(?!\s*\/?\s*\d)/;
// '6/2024' alone in a time column: June 2024.
const BARE_MONTH = /^(\d{1,2})\s*\/\s*(\d{4})(?!\s*\/?\s*\d)/;
// A bare 'Tháng 6/2024' is how a table's time column says 'during June'.
const MONTH = /(?:^|(truoc|trong|hoan thanh trong|cuoi)\s+)thang\s+(\d{1,2})(?:\s*\/\s*(\d{4}))?/;
const QUARTER = /(?:^|trong|truoc het|het|cuoi|hoan thanh trong|hoan thanh)\s*quy\s+(iv|iii|ii|i|[1-4])(?![a-z\d])(?:\s*\/\s*(\d{4}))?/;
const WORKING_DAYS = /trong\s+(?:vong\s+)?(?:thoi han\s+)?(\d{1,3})\s+ngay lam viec(?:\s*,?\s*((?:ke tu|sau khi|sau)\s+[^;.()]+))?/;
// 'Từ 01/6 đến 31/8', 'từ ngày 01/6/2024 đến ngày 31/8/2024', '01/6 - 31/8/2024': the work has a start and an end.
// A text PDF may drop a neighbouring cell's words into the window ('Từ ngày 01/6 Điểm vui đến ngày chơi mở
// 31/8/2024'): up to three stray words are allowed on each side of 'đến' (a bounded repetition, so linear).
const WINDOW =
  /(?:^|tu\s+)(?:ngay\s+)?(\d{1,2})\s*\/\s*(\d{1,2})(?:\s*\/\s*(\d{4}))?(?:\s+[^\s\d/]+){0,3}?\s*(?:den|toi|-|–)\s*(?:het\s+)?(?:ngay\s+)?(?:[^\s\d/]+\s+){0,3}?(\d{1,2})\s*\/\s*(\d{1,2})(?:\s*\/\s*(\d{4}))?/;
// 'Từ tháng 6 đến tháng 8/2024'.
const MONTH_WINDOW = /tu\s+thang\s+(\d{1,2})(?:\s*\/\s*(\d{4}))?\s*(?:den|toi|-|–)\s*(?:het\s+)?thang\s+(\d{1,2})(?:\s*\/\s*(\d{4}))?/;
const HALF_YEAR = /(6|sau)\s+thang\s+(dau|cuoi)\s+nam(?:\s*\/?\s*(\d{4}))?/;
const YEAR_END = /(?:^|truoc|trong|vao|den)\s*cuoi\s+nam(?:\s*\/?\s*(\d{4}))?|(?<![\p{L}])(?:trong|het)\s+nam\s+(\d{4})|^nam\s+(\d{4})(?![\d/])/u;
// 'Thường xuyên', 'Cả năm' in a time column: ongoing work, due by the plan year's end.
const ONGOING = /^(?:trong\s+)?(?:thuong xuyen|ca nam|suot nam|quanh nam|lien tuc)(?![\p{L}])/u;

const QUARTERS: Record<string, number> = { i: 1, ii: 2, iii: 3, iv: 4, '1': 1, '2': 2, '3': 3, '4': 4 };

/**
 * Rewrites the written date forms into 'd/m/yyyy' so one set of patterns reads them all:
 * 'ngày 30 tháng 9 năm 2024', '30-9-2024', '30.9.2024', 'tháng 9 năm 2024', 'quý III năm 2024'.
 * Works on folded text; the result is only matched, never quoted.
 */
export function normaliseDateForms(folded: string): string {
  return folded
    .replace(/ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})(?:\s+nam\s+(\d{4}))?/g, (_m, d: string, m: string, y?: string) => `ngay ${d}/${m}${y ? `/${y}` : ''}`)
    .replace(/(?<![\d/.-])(\d{1,2})([.-])(\d{1,2})\2(\d{4})(?![\d])/g, '$1/$3/$4')
    .replace(/(thang|quy)\s+(\d{1,2}|iv|iii|ii|i)\s+nam\s+(\d{4})/g, '$1 $2/$3');
}

function yearOr(text: string | undefined, year: number): number {
  return text ? Number(text) : year;
}

/** A deadline the text states: a date, a window, a month, a quarter, a half-year or a number of working days. */
export function explicitDeadline(text: string, year: number): Deadline | null {
  const original = foldForSearch(text);
  const working = WORKING_DAYS.exec(original);
  if (working) {
    const relativeTo = working[2] ? text.slice(working.index + working[0].indexOf(working[2]), working.index + working[0].length).trim() : undefined;
    return {
      date: null,
      kind: 'explicit',
      workingDays: Number(working[1]),
      ...(relativeTo ? { relativeTo } : {}),
      reason: `Trong ${Number(working[1])} ngày làm việc${relativeTo ? ` ${relativeTo}` : ''}`,
    };
  }
  // 'Thời gian hoàn thành: Quý II/2024': the label is not part of the date.
  // 'Thời gian hoàn thành: Quý II/2024': the label says what 'trong' says.
  const folded = normaliseDateForms(original.trim()).replace(/(?:thoi gian(?: hoan thanh| thuc hien)?|thoi han(?: hoan thanh)?|han hoan thanh)\s*:\s*/g, 'trong ');
  const window = WINDOW.exec(folded);
  if (window) {
    const endYear = yearOr(window[6], year);
    const startYear = yearOr(window[3], endYear);
    const start = isoDate(startYear, Number(window[2]), Number(window[1]));
    const end = isoDate(endYear, Number(window[5]), Number(window[4]));
    if (start && end && start <= end) {
      return { date: end, startDate: start, kind: 'explicit', reason: `Từ ${dm(start)} đến ${dm(end)}` };
    }
    // An impossible or reversed window is not read as its end date alone: the reviewer is told instead.
    return null;
  }
  const monthWindow = MONTH_WINDOW.exec(folded);
  if (monthWindow) {
    const endYear = yearOr(monthWindow[4], year);
    const startYear = yearOr(monthWindow[2], endYear);
    const from = Number(monthWindow[1]);
    const to = Number(monthWindow[3]);
    const start = from >= 1 && from <= 12 ? isoDate(startYear, from, 1) : null;
    if (start && to >= 1 && to <= 12) {
      const end = lastDayOfMonth(endYear, to);
      if (start <= end) return { date: end, startDate: start, kind: 'explicit', reason: `Từ tháng ${from}/${startYear} đến tháng ${to}/${endYear}` };
    }
    return null;
  }
  const date = EXPLICIT_DATE.exec(folded);
  if (date) {
    const y = yearOr(date[4], year);
    const day = isoDate(y, Number(date[3]), Number(date[2]));
    if (day) {
      // "trước ngày 10/5" leaves 9 May as the last working day of the duty; the others include the day.
      const before = date[1] === 'truoc';
      return {
        date: before ? addDays(day, -1) : day,
        kind: 'explicit',
        reason: `${before ? 'Trước ngày' : 'Chậm nhất ngày'} ${dm(day)}`,
      };
    }
  }
  const bare = BARE_DATE.exec(folded);
  if (bare) {
    const day = isoDate(yearOr(bare[3], year), Number(bare[2]), Number(bare[1]));
    if (day) return { date: day, kind: 'explicit', reason: `Ngày ${dm(day)}` };
  }
  const bareMonth = BARE_MONTH.exec(folded);
  if (bareMonth && Number(bareMonth[1]) >= 1 && Number(bareMonth[1]) <= 12) {
    const y = Number(bareMonth[2]);
    const m = Number(bareMonth[1]);
    return { date: lastDayOfMonth(y, m), kind: 'explicit', reason: `Trong tháng ${m}/${y}` };
  }
  const month = MONTH.exec(folded);
  if (month) {
    const y = yearOr(month[3], year);
    const m = Number(month[2]);
    if (m >= 1 && m <= 12) {
      const before = month[1] === 'truoc';
      const last = before ? addDays(isoDate(y, m, 1) ?? `${y}-01-01`, -1) : lastDayOfMonth(y, m);
      return { date: last, kind: 'explicit', reason: `${before ? 'Trước tháng' : 'Trong tháng'} ${m}/${y}` };
    }
  }
  const quarter = QUARTER.exec(folded);
  if (quarter) {
    const y = yearOr(quarter[2], year);
    const q = QUARTERS[quarter[1]];
    return { date: lastDayOfMonth(y, q * 3), kind: 'explicit', reason: `Trong quý ${['I', 'II', 'III', 'IV'][q - 1]}/${y}` };
  }
  const half = HALF_YEAR.exec(folded);
  if (half) {
    const y = yearOr(half[3], year);
    const first = half[2] === 'dau';
    return { date: first ? `${y}-06-30` : `${y}-12-31`, kind: 'explicit', reason: `${first ? '6 tháng đầu năm' : '6 tháng cuối năm'} ${y}` };
  }
  const yearEnd = YEAR_END.exec(folded);
  if (yearEnd) {
    const y = yearOr(yearEnd[1] ?? yearEnd[2] ?? yearEnd[3], year);
    return { date: `${y}-12-31`, kind: 'explicit', reason: `Trong năm ${y}` };
  }
  // Only a time cell or label says just this; a sentence opening 'Thường xuyên theo dõi …' is a recurring duty.
  if (ONGOING.test(folded) && folded.length <= 40) return { date: `${year}-12-31`, kind: 'suggested', reason: 'Thường xuyên: cuối năm kế hoạch' };
  return null;
}

// Words that announce a deadline; when one is present and no form above reads it, the reviewer is told.
const DEADLINE_CUE =
  /(?<![\p{L}\d])(?:truoc ngay|cham nhat|han chot|(?:thoi han|thoi gian hoan thanh|thoi gian thuc hien)\s*:|hoan thanh truoc|hoan thanh trong|xong truoc|trong vong \d{1,3} ngay|trong \d{1,3} ngay)(?![\p{L}])/u;

/**
 * The deadline phrase of a text that explicitDeadline could not read, as written (up to 80
 * characters), or null when the text states no deadline or one that is understood.
 */
export function unreadDeadlinePhrase(text: string, year: number): string | null {
  const folded = foldForSearch(text);
  const cue = DEADLINE_CUE.exec(folded);
  if (!cue) return null;
  if (explicitDeadline(text.slice(cue.index), year) || explicitDeadline(text, year)) return null;
  const tail = text.slice(cue.index, cue.index + 80);
  const stop = tail.search(/[;.)\n]/u);
  return (stop > 0 ? tail.slice(0, stop) : tail).trim();
}

interface SeasonalCue {
  pattern: RegExp;
  deadline: (year: number, issueDate: string | null) => { date: string; reason: string } | null;
}

/** Seasons of child-welfare work; each becomes a suggested deadline the coordinator may change. */
const SEASONAL_CUES: readonly SeasonalCue[] = [
  { pattern: /nghi he/, deadline: (y) => ({ date: `${y}-05-31`, reason: 'Dịp nghỉ hè: trước 31/5' }) },
  {
    pattern: /thang hanh dong vi tre em/,
    deadline: (y) => ({ date: `${y}-06-30`, reason: 'Tháng hành động vì trẻ em (1/6–30/6)' }),
  },
  { pattern: /quoc te thieu nhi/, deadline: (y) => ({ date: `${y}-06-01`, reason: 'Ngày Quốc tế Thiếu nhi (1/6)' }) },
  {
    pattern: /trung thu/,
    deadline: (y) => {
      const solar = lunarToSolar(y, 8, 15);
      const date = solar && isoDate(solar.year, solar.month, solar.day);
      return date ? { date, reason: `Tết Trung thu (15/8 âm lịch): ${dm(date)}` } : null;
    },
  },
  {
    pattern: /tet nguyen dan/,
    // Plans are issued after Tết, so the Tết they prepare for is the next one; the duty ends on its eve.
    deadline: (y, issueDate) => {
      const thisYear = lunarToSolar(y, 1, 1);
      const thisTet = thisYear && isoDate(thisYear.year, thisYear.month, thisYear.day);
      const useThis = thisTet !== null && issueDate !== null && issueDate < thisTet;
      const solar = useThis ? thisYear : lunarToSolar(y + 1, 1, 1);
      const tet = solar && isoDate(solar.year, solar.month, solar.day);
      return tet ? { date: addDays(tet, -1), reason: `Trước Tết Nguyên đán (1/1 âm lịch: ${dm(tet)})` } : null;
    },
  },
  { pattern: /khai giang|nam hoc moi/, deadline: (y) => ({ date: `${y}-09-05`, reason: 'Khai giảng năm học mới (5/9)' }) },
];

/** The earliest seasonal cue in the text wins: it is the one the sentence is about. */
export function suggestedDeadline(text: string, year: number, issueDate: string | null): Deadline | null {
  const folded = foldForSearch(text);
  const hits = SEASONAL_CUES.map((cue) => ({ cue, index: folded.search(cue.pattern) }))
    .filter((h) => h.index >= 0)
    .sort((a, b) => a.index - b.index);
  for (const { cue } of hits) {
    const found = cue.deadline(year, issueDate);
    if (found) return { ...found, kind: 'suggested' };
  }
  return null;
}

export function endOfPlanYear(year: number): Deadline {
  return { date: `${year}-12-31`, kind: 'suggested', reason: 'Cuối năm kế hoạch' };
}

const PERIOD_WORD = '(?:6 thang|sau thang|thang|quy|nam)';
const RECURRENCE = new RegExp(
  `(?<![\\p{L}\\d])(?:hang|dinh ky|moi)\\s+(${PERIOD_WORD}(?:\\s*(?:,|va|hoac|/)\\s*${PERIOD_WORD}(?![\\p{L}\\d]))*)(?![\\p{L}\\d])`,
  'u',
);
const KIND_OF: Record<string, RecurrenceKind> = {
  thang: 'monthly',
  quy: 'quarterly',
  '6 thang': 'semiannual',
  'sau thang': 'semiannual',
  nam: 'annual',
};
const ORDER: readonly RecurrenceKind[] = ['monthly', 'quarterly', 'semiannual', 'annual'];

/** 'Hàng tháng, quý' → monthly + quarterly; 'định kỳ 6 tháng, năm' → semiannual + annual. */
export function extractRecurrence(text: string): Recurrence {
  const folded = foldForSearch(text);
  const hit = RECURRENCE.exec(folded);
  if (!hit) return { kinds: ['once'] };
  const words = hit[1].split(/\s*(?:,|\bva\b|\bhoac\b|\/)\s*/).filter((w) => w !== '');
  const kinds = new Set(words.map((w) => KIND_OF[w.trim()]).filter((k): k is RecurrenceKind => k !== undefined));
  const ordered = ORDER.filter((k) => kinds.has(k));
  if (ordered.length === 0) return { kinds: ['once'] };
  return { kinds: ordered, cue: text.slice(hit.index, hit.index + hit[0].length) };
}

/**
 * 'Định kỳ báo cáo ...' without saying how often: the duty recurs, but on which cadence only the
 * coordinator can tell. Returns the phrase as written, or null when no such phrase is present.
 */
export function unreadRecurrencePhrase(text: string): string | null {
  const folded = foldForSearch(text);
  // The plan model has no weekly or daily cadence: the coordinator decides what to track.
  const finer = /(?<![\p{L}])(?:hang|moi)\s+(?:tuan|ngay)(?![\p{L}])/u.exec(folded);
  if (finer) return text.slice(finer.index, finer.index + finer[0].length);
  const hit = /(?<![\p{L}])dinh ky(?![\p{L}])/u.exec(folded);
  if (!hit || !extractRecurrence(text).kinds.includes('once')) return null;
  return text.slice(hit.index, hit.index + 40).split(/[;.,]/u)[0].trim();
}

/** Deadline of one duty: what the text says, else a season, else the plan year's end; none for recurring work. */
export function deadlineFor(
  text: string,
  recurrence: Recurrence,
  year: number,
  issueDate: string | null,
): Deadline | null {
  const explicit = explicitDeadline(text, year);
  if (explicit) return explicit;
  const seasonal = suggestedDeadline(text, year, issueDate);
  if (seasonal) return seasonal;
  // Recurring duties get one deadline per period at activation; a single date would be wrong.
  return recurrence.kinds.includes('once') ? endOfPlanYear(year) : null;
}
