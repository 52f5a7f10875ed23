import { type Plan } from '../../domain/src/plan';
import { normaliseKey } from '../../domain/src/text';
import { foldForSearch, isoDate } from './dates';
import { placeName } from './metadata';

/**
 * Reads the administrative header of a plan — issuing body, number, place and date, the national
 * motto — however a site or a PDF viewer laid it out: one item per line, a two-column table
 * flattened into '|' rows or '|' cells, both columns interleaved on one line, words broken onto
 * their own lines, blank numbers and days. Then the title after 'KẾ HOẠCH'. Rules and examples:
 * docs/plan-import.md, "Reading the header".
 */

export type PlanLevel = 'province' | 'district' | 'commune' | 'department';

export interface HeadLine {
  /** Text with inline markup removed. */
  plain: string;
  /** Index in the line array the caller holds. */
  index: number;
}

export interface HeaderFields {
  /** 'UBND huyện Cần Giờ', or 'UBND' when the header names no place. */
  issuer: string | null;
  number: string | null;
  /** 'Số:      /KH-UBND': the number was left blank for the office to fill in. */
  numberBlank: boolean;
  issueDate: string | null;
  /** 'ngày      tháng 01 năm 2017'. */
  dayBlank: boolean;
  place: string | null;
  /** A header element (agency, motto, number or dated place line) was seen. */
  found: boolean;
  /** Header lines with text no rule read (a site's metadata block): index and text. */
  leftovers: Array<{ index: number; text: string }>;
}

/** Metadata a legal-text site prints above the document (phapluatcongdong, thuvienphapluat). */
const SITE_METADATA =
  /^(?:số hiệu|loại văn bản|nơi ban hành|người ký|ngày ban hành|ngày hiệu lực|ngày công báo|số công báo|lĩnh vực|tình trạng|ngày hết hiệu lực)\s?:/iu;

const LEVEL_WORDS = ['tinh', 'huyen', 'xa', 'thanh pho', 'thi xa', 'quan', 'phuong', 'thi tran'];
const CENTRAL_CITIES = ['ha noi', 'ho chi minh', 'hai phong', 'da nang', 'can tho', 'hue'];

interface Segment {
  text: string;
  index: number;
}

/** Whitespace runs collapse to one space: scans only, no regular expression over the run. */
function collapse(text: string): string {
  return text.split(/\s+/u).filter((t) => t !== '').join(' ');
}

function isRule(text: string): boolean {
  const t = text.trim();
  return t === '|' || (t.length >= 3 && [...t].every((c) => c === '-' || c === '_' || c === '=' || c === ' '));
}

/**
 * Cells of the header in reading order. Rows of a two-column table ('A | B |') are de-interleaved:
 * the left column's cells first, then the right column's, so 'ỦY BAN NHÂN DÂN' is followed by
 * 'XÃ XUÂN TÍN' and not by the motto. A blank line, a lone '|' or a rule ends a cell.
 */
function segments(lines: readonly HeadLine[], leftovers: HeaderFields['leftovers']): Segment[] {
  const out: Segment[] = [];
  let current: Segment | null = null;
  let left: Segment[] = [];
  let right: Segment[] = [];
  const flushRows = (): void => {
    out.push(...left, ...right);
    left = [];
    right = [];
  };
  const end = (): void => {
    if (current) out.push(current);
    current = null;
  };
  for (const line of lines) {
    const text = line.plain;
    if (SITE_METADATA.test(text.trim())) {
      end();
      leftovers.push({ index: line.index, text: text.trim() });
      continue;
    }
    if (text.trim() === '' || isRule(text)) {
      end();
      continue;
    }
    if (text.includes('|')) {
      end();
      const all = text.split('|').map((c) => collapse(c));
      const cells = all.filter((c) => c !== '' && !isRule(c));
      // A Markdown separator row ('| --- | --- |') is not a row of its own: the columns go on.
      if (cells.length === 0 && all.some((c) => c !== '')) continue;
      if (cells.length >= 2) {
        left.push({ text: cells[0], index: line.index });
        right.push({ text: cells.slice(1).join(' '), index: line.index });
      } else {
        flushRows();
        if (cells.length === 1) out.push({ text: cells[0], index: line.index });
      }
      continue;
    }
    flushRows();
    if (current) current.text = `${current.text} ${collapse(text)}`;
    else current = { text: collapse(text), index: line.index };
  }
  end();
  flushRows();
  return out;
}

type SpanKind = 'consumed' | 'transparent';

/** The header as one string, one cell per line, with what each character has been read as. */
class HeaderText {
  readonly text: string;
  readonly folded: string;
  readonly owner: number[] = [];
  readonly kind: Array<SpanKind | null>;

  constructor(readonly segs: Segment[]) {
    this.text = segs.map((s) => s.text).join('\n');
    this.folded = foldForSearch(this.text);
    segs.forEach((s, i) => {
      for (let k = 0; k < s.text.length; k += 1) this.owner.push(s.index);
      if (i < segs.length - 1) this.owner.push(s.index);
    });
    this.kind = new Array<SpanKind | null>(this.text.length).fill(null);
  }

  mark(from: number, to: number, kind: SpanKind): void {
    for (let i = from; i < to; i += 1) this.kind[i] = kind;
  }

  free(from: number, to: number): boolean {
    for (let i = from; i < to; i += 1) if (this.kind[i] !== null) return false;
    return true;
  }

  /** Words of free text from `from` on, stopping at consumed text; transparent text is skipped. */
  wordsFrom(from: number): Array<{ word: string; start: number; end: number; newline: boolean }> {
    const out: Array<{ word: string; start: number; end: number; newline: boolean }> = [];
    let i = from;
    let newline = false;
    while (i < this.text.length) {
      const ch = this.text[i];
      if (this.kind[i] === 'transparent' || ch === ' ') {
        i += 1;
        continue;
      }
      if (ch === '\n') {
        newline = true;
        i += 1;
        continue;
      }
      if (this.kind[i] === 'consumed') break;
      let j = i;
      while (j < this.text.length && this.text[j] !== ' ' && this.text[j] !== '\n' && this.kind[j] === null) j += 1;
      out.push({ word: this.text.slice(i, j), start: i, end: j, newline });
      newline = false;
      i = j;
    }
    return out;
  }
}

const MOTTO_1 = /cong\s{1,3}hoa\s{1,3}xa\s{1,3}hoi\s{1,3}chu\s{1,3}nghia\s{1,3}viet(\s{1,3}nam)?/gu;
const MOTTO_2 = /doc\s{1,3}lap\s{0,3}[-–—]\s{0,3}tu\s{1,3}do\s{0,3}[-–—]\s{0,3}hanh\s{1,3}phuc/gu;
const NUMBER_LEAD = /(?:^|[\s(])so\s{0,3}:|(?:^|[\s(])so\s(?=\s{0,3}\d)/gu;
const NUMBER = /^\s{0,12}(\d{1,6}(?:[./]\d{1,4})?)?\s{0,12}\/\s{0,3}([\p{L}\d&]{1,20}(?:\s{0,3}[-–]\s{0,3}[\p{L}\d&]{1,20}){0,5})/u;
const DATE = /ngay[\s\n](?:(\d{1,2})[\s\n])?thang[\s\n](\d{1,2})[\s\n]nam[\s\n](\d{4})/gu;
const AGENCY = /(?:^|[\s])(u?y\sban\snhan\sdan|ubnd)(?=[\s]|$)/gu;

function upper(word: string): boolean {
  return /\p{L}/u.test(word) && !/\p{Ll}/u.test(word);
}

function startsWithLevel(folded: string): boolean {
  return LEVEL_WORDS.some((l) => folded === l || folded.startsWith(`${l} `));
}

function readMotto(h: HeaderText): boolean {
  let found = false;
  for (const hit of h.folded.matchAll(MOTTO_1)) {
    const at = hit.index ?? 0;
    h.mark(at, at + hit[0].length, 'consumed');
    found = true;
    if (hit[1] === undefined) {
      // A flattened two-column header puts the motto's last word 'NAM' among the agency's words.
      const rest = h.folded.slice(at + hit[0].length);
      const nam = /(?:^|\s)nam(?=\s|$)/u.exec(rest);
      if (nam) {
        const from = at + hit[0].length + nam.index + nam[0].length - 3;
        if (h.text.slice(from, from + 3) === 'NAM') h.mark(from, from + 3, 'transparent');
      }
    }
  }
  for (const hit of h.folded.matchAll(MOTTO_2)) {
    const at = hit.index ?? 0;
    h.mark(at, at + hit[0].length, 'consumed');
    found = true;
  }
  return found;
}

function readNumber(h: HeaderText): { number: string | null; blank: boolean; found: boolean } {
  for (const lead of h.folded.matchAll(NUMBER_LEAD)) {
    const from = (lead.index ?? 0) + lead[0].length;
    const start = (lead.index ?? 0) + lead[0].search(/s/u);
    if (!h.free(start, from)) continue;
    const hit = NUMBER.exec(h.text.slice(from, from + 120));
    if (!hit) {
      h.mark(start, from, 'consumed');
      return { number: null, blank: true, found: true };
    }
    h.mark(start, from + hit[0].length, 'consumed');
    const code = hit[2].replace(/\s/gu, '').replace(/–/gu, '-');
    return hit[1] ? { number: `${hit[1]}/${code}`, blank: false, found: true } : { number: null, blank: true, found: true };
  }
  return { number: null, blank: false, found: false };
}

function readDate(h: HeaderText): { date: string | null; dayBlank: boolean; place: string | null; found: boolean } {
  for (const hit of h.folded.matchAll(DATE)) {
    const at = hit.index ?? 0;
    if (!h.free(at, at + hit[0].length)) continue;
    const [, day, month, year] = hit;
    const date = day ? isoDate(Number(year), Number(month), Number(day)) : null;
    h.mark(at, at + hit[0].length, 'consumed');
    // The place: the free words before ', ngày' in the same cell (or after the number on a flattened line).
    let place: string | null = null;
    let comma = at - 1;
    while (comma >= 0 && h.text[comma] === ' ') comma -= 1;
    if (comma >= 0 && h.text[comma] === ',') {
      let from = comma;
      while (from > 0 && h.text[from - 1] !== '\n' && h.kind[from - 1] === null && h.text[from - 1] !== '|') from -= 1;
      const words = h.text.slice(from, comma).split(' ').filter((w) => w !== '' && !/^[-–_=]+$/u.test(w));
      const kept = words.slice(-6);
      if (kept.length > 0 && /^\p{Lu}/u.test(kept[0])) {
        place = kept.join(' ');
        h.mark(from, comma + 1, 'consumed');
      }
    }
    return { date, dayBlank: !day, place, found: true };
  }
  return { date: null, dayBlank: false, place: null, found: false };
}

function readAgency(h: HeaderText): { issuer: string | null; found: boolean } {
  let issuer: string | null = null;
  let found = false;
  for (const hit of h.folded.matchAll(AGENCY)) {
    const at = (hit.index ?? 0) + hit[0].length - hit[1].length;
    const end = at + hit[1].length;
    if (!h.free(at, end) || !upper(h.text.slice(at, end))) continue;
    found = true;
    h.mark(at, end, 'consumed');
    // The upper-case words after it, the first a level ('HUYỆN', 'XÃ' …); a new cell only before the first.
    const words = h.wordsFrom(end);
    const taken: typeof words = [];
    for (const w of words) {
      if (!upper(w.word) && !/^[\d-]+$/u.test(w.word)) break;
      // A new cell, or a department below its province ('UBND TỈNH …' / 'SỞ Y TẾ'), ends the place.
      if (taken.length > 0 && (w.newline || w.word === 'SỞ')) break;
      taken.push(w);
    }
    const name = taken.map((w) => w.word).join(' ');
    if (taken.length > 0 && startsWithLevel(foldForSearch(name))) {
      h.mark(taken[0].start, taken[taken.length - 1].end, 'consumed');
      issuer = `UBND ${placeName(name)}`;
    } else {
      issuer = 'UBND';
    }
    // The superior body above it ('THÀNH PHỐ HỒ CHÍ MINH', 'UBND TỈNH …') is not the issuer.
    markSuperior(h, at);
  }
  return { issuer, found };
}

function markSuperior(h: HeaderText, before: number): void {
  // Walk back over free capitals, stepping over what is already read (an interleaved motto).
  const free: number[] = [];
  let words = '';
  for (let i = before - 1; i >= 0; i -= 1) {
    if (h.kind[i] !== null) continue;
    const ch = h.text[i];
    if (ch === '\n') {
      if (words.trim() !== '') break;
      continue;
    }
    if (/\p{Ll}/u.test(ch)) break;
    free.push(i);
    words = ch + words;
  }
  const name = words.replace(/[-–_=]+/gu, ' ').trim();
  if (name !== '' && startsWithLevel(foldForSearch(name).replace(/\s+/gu, ' '))) for (const i of free) h.mark(i, i + 1, 'consumed');
}

/**
 * A department's header: 'SỞ Y TẾ' (often under 'UBND TỈNH …', its superior). Kept as printed: the
 * case of a department's name cannot be restored from capitals; the directory matches it anyway.
 */
function readDepartment(h: HeaderText): string | null {
  for (const hit of h.folded.matchAll(/(?:^|\s)(so)\s/gu)) {
    const at = (hit.index ?? 0) + hit[0].indexOf('so');
    const words = h.wordsFrom(at);
    const taken: typeof words = [];
    for (const w of words) {
      if ((!upper(w.word) && w.word !== '-') || (w.newline && taken.length > 0)) break;
      taken.push(w);
    }
    if (taken.length < 2 || taken[0].word !== 'SỞ') continue;
    h.mark(taken[0].start, taken[taken.length - 1].end, 'consumed');
    return taken.map((w) => w.word).join(' ');
  }
  return null;
}

/** Reads the header lines (everything above 'KẾ HOẠCH'). */
export function readHeader(lines: readonly HeadLine[]): HeaderFields {
  const leftovers: HeaderFields['leftovers'] = [];
  const h = new HeaderText(segments(lines, leftovers));
  const motto = readMotto(h);
  const number = readNumber(h);
  const date = readDate(h);
  const agency = readAgency(h);
  const department = readDepartment(h);
  // What no rule read, per line: reported, never silently dropped.
  const rest = new Map<number, string>();
  for (let i = 0; i < h.text.length; i += 1) {
    if (h.kind[i] !== null || h.text[i] === '\n') continue;
    rest.set(h.owner[i], (rest.get(h.owner[i]) ?? '') + h.text[i]);
  }
  for (const [index, text] of rest) {
    const t = collapse(text);
    if (/[\p{L}\d]/u.test(t)) leftovers.push({ index, text: t });
  }
  leftovers.sort((a, b) => a.index - b.index);
  return {
    issuer: department ?? agency.issuer,
    number: number.number,
    numberBlank: number.blank,
    issueDate: date.date,
    dayBlank: date.dayBlank,
    place: date.place,
    found: motto || number.found || date.found || agency.found || department !== null,
    leftovers,
  };
}

// ---- where the header ends, and the title -------------------------------------------------------

/** 'KẾ HOẠCH' alone: the document type line. */
export function isTypeLine(plain: string): boolean {
  return normaliseKey(plain) === 'ke hoach';
}

/** 'KẾ HOẠCH PHÒNG, CHỐNG …' in capitals on one line: type and title together (not 'Kế hoạch số …'). */
export function inlineTitle(plain: string, headingLike: boolean): string | null {
  const key = normaliseKey(plain);
  if (!key.startsWith('ke hoach ') || /^ke hoach so\b/u.test(key)) return null;
  const title = plain.trim().replace(/^\S+\s+\S+\s*/u, '');
  // The type word in capitals starts the line: 'KẾ HOẠCH Phòng, chống …' (a PDF or OCR line).
  const typeInCapitals = /^KẾ\s{1,3}HOẠCH\s/u.test(plain.trim()) && plain.length <= 300;
  return title !== '' && (headingLike || !/\p{Ll}/u.test(plain) || typeInCapitals) ? title : null;
}

/** Other document types: a document that declares one of these is not a plan. */
export function isOtherDocumentType(plain: string): boolean {
  return /^(bao cao|quyet dinh|cong van|to trinh|thong bao|giay moi|bien ban|nghi quyet)$/u.test(normaliseKey(plain));
}

/** A line that starts the body or the preamble: the header above it is over. */
export function startsPreamble(plain: string): boolean {
  const t = plain.trim();
  if (!/\p{Ll}/u.test(t)) return false;
  return /^(can cu|thuc hien|nham|de |theo |tren co so)/u.test(foldForSearch(t));
}

export function isTopHeadingText(plain: string): boolean {
  return /^(?:[IVX]{1,5}|[A-E])\s?[.)]\s{0,3}\S/u.test(plain.trim()) || /^phần\s+(?:thứ\s+\p{L}+|[IVX]{1,5}|\d{1,2})\b/iu.test(plain.trim());
}

export interface TitleResult {
  title: string | null;
  /** Indices of the lines the title came from. */
  indices: number[];
}

const PREAMBLE_WITH_REFERENCE = /^(thuc hien|theo|can cu)\b.{0,200}?\bso\s?:?\s?\d/u;

/** Words a title cannot end on: the line that follows finishes what they started. */
const OPEN_ENDINGS = new Set(['va', 'cua', 'cho', 've', 'voi', 'tai', 'tren', 'trong', 'theo', 'cac', 'nhung', 'ban']);

/**
 * A sentence-case title that a PDF (or a narrow page) wrapped inside a name: '… trên địa bàn huyện Văn'
 * / 'Quan', '… trên địa bàn tỉnh' / 'Lạng Sơn'. The next line starts with a capital, so it could as well
 * be the preamble: it carries the title on only when the previous line stops where a name or a phrase
 * cannot end (a capitalised word inside the sentence, a level word such as 'huyện', a word such as
 * 'của' or 'địa bàn'), and the line itself reads like the rest of a title, not like a sentence of the
 * preamble ('Căn cứ …', '… ban hành Kế hoạch …', a line ending in ';' or ':'). A year or a period
 * carries on a line that stops at 'năm' or 'giai đoạn' ('… giai đoạn' / '2021 - 2025').
 */
function nameCarriesOn(previous: string, line: string): boolean {
  const words = previous.split(' ');
  if (words.length < 2) return false;
  const last = words[words.length - 1];
  const lastFolded = foldForSearch(last);
  if (/^\d/u.test(line)) return (lastFolded === 'nam' || lastFolded === 'doan') && line.length <= 40 && !/[.;:]$/u.test(line);
  if (!/^\p{Lu}/u.test(line) || /[.;:!?]$/u.test(line) || line.length > 160) return false;
  const folded = foldForSearch(line);
  if (startsPreamble(line) || isTypeLine(line) || /ke hoach/u.test(folded) || /^(trien khai|de |nham )/u.test(folded)) return false;
  return /^\p{Lu}\p{Ll}/u.test(last) || startsWithLevel(lastFolded) || ['pho', 'xa', 'tran'].includes(lastFolded) || OPEN_ENDINGS.has(lastFolded);
}

/**
 * The title: the lines after 'KẾ HOẠCH'. In capitals it runs while the lines stay in capitals; in
 * sentence case while the next line carries on in lower case ('…, ' / 'trên địa bàn …') or finishes a
 * name the line broke ('… huyện Văn' / 'Quan', see nameCarriesOn), across blank lines too. A first
 * line that is the preamble ('Căn cứ …', 'Thực hiện Kế hoạch số …') is no title: the site dropped it.
 */
export function readTitle(lines: readonly HeadLine[], blockLike: (i: number) => boolean): TitleResult {
  const nonBlank = lines.filter((l) => l.plain.trim() !== '');
  const first = nonBlank[0];
  if (!first) return { title: null, indices: [] };
  const text = first.plain.trim();
  const folded = foldForSearch(text);
  const capitals = !/\p{Ll}/u.test(text);
  if (
    !capitals &&
    (/^can cu\b/u.test(folded) || PREAMBLE_WITH_REFERENCE.test(folded) || text.length > 300 || isTopHeadingText(text) || blockLike(first.index))
  ) {
    return { title: null, indices: [] };
  }
  if (capitals && isTopHeadingText(text)) return { title: null, indices: [] };
  const parts = [text];
  const indices = [first.index];
  for (const line of nonBlank.slice(1)) {
    const t = line.plain.trim();
    if (isTopHeadingText(t) || blockLike(line.index)) break;
    const previous = parts[parts.length - 1];
    const carriesOn = capitals
      ? !/\p{Ll}/u.test(t) && /[\p{L}\d]/u.test(t)
      : !/[.;:!?]$/u.test(previous) && (/^\p{Ll}/u.test(t) || nameCarriesOn(previous, t));
    if (!carriesOn) break;
    parts.push(t);
    indices.push(line.index);
  }
  const title = collapse(parts.join(' ')).replace(/^v\/v\.?\s+/iu, '');
  return { title: title === '' ? null : title, indices };
}

// ---- level of the issuing body -----------------------------------------------------------------

/** 'UBND huyện Cần Giờ' → district; 'UBND thành phố Hà Nội' → province; 'Sở Y tế' → department. */
export function levelOf(name: string): PlanLevel | null {
  const key = normaliseKey(name).replace(/^(?:uy ban nhan dan|ubnd)\s?/u, '');
  if (/^so\s/u.test(key)) return 'department';
  if (/^tinh\b/u.test(key)) return 'province';
  if (/^thanh pho\b/u.test(key)) {
    const city = key.slice('thanh pho'.length).trim();
    if (city === '') return null;
    return CENTRAL_CITIES.some((c) => city === c || city.startsWith(`${c} `)) ? 'province' : 'district';
  }
  if (/^(huyen|quan|thi xa)\b/u.test(key)) return 'district';
  if (/^(xa|phuong|thi tran)\b/u.test(key)) return 'commune';
  return null;
}

/**
 * The level of the plan's issuer: from the issuer, else from the preamble ('Ủy ban nhân dân tỉnh
 * ban hành …'), else from the title ('… trên địa bàn huyện U Minh Thượng').
 */
export function planLevel(plan: Plan): PlanLevel | null {
  const fromIssuer = levelOf(plan.metadata.issuer);
  if (fromIssuer) return fromIssuer;
  const preamble = normaliseKey(plan.preamble ?? '');
  // The issuing sentence ('Ủy ban nhân dân tỉnh ban hành Kế hoạch'), not a cited document's issuer.
  const said = /(?:uy ban nhan dan|ubnd)\s((?:tinh|huyen|xa|thanh pho|thi xa|quan|phuong|thi tran)(?:\s\S+){0,4}?)\s(?:ban hanh|xay dung)\s/u.exec(preamble);
  if (said) {
    const level = levelOf(said[1]);
    if (level) return level;
    if (/^thanh pho\b/u.test(said[1])) return 'province';
  }
  const area = /tren dia ban\s((?:tinh|huyen|xa|thanh pho|thi xa|quan|phuong|thi tran)(?:\s\S+){0,3})/u.exec(normaliseKey(plan.metadata.title));
  return area ? levelOf(area[1]) : null;
}
