import { type LegalBasis, type PlanWarningCode } from '../../domain/src/plan';
import { type Block, plainText } from './blocks';
import { type SourceLine, cleanPastedLines, joinBrokenLines } from './cleanup';
import { foldForSearch } from './dates';
import {
  type HeadLine,
  inlineTitle,
  isOtherDocumentType,
  isTopHeadingText,
  isTypeLine,
  readHeader,
  readTitle,
  startsPreamble,
} from './header';
import { findIssuer, parseLegalBasis } from './metadata';

/**
 * The head of a plan: what comes before its first section — header, 'KẾ HOẠCH' and title,
 * preamble with the legal basis. Works on the prepared lines (see prepareLines) and the blocks
 * built from them; line numbers here are those of the prepared lines, mapped back at the end.
 */

export interface PreparedText {
  lines: string[];
  /** For each prepared line, the 1-based lines of the original text it came from. */
  origin: Array<{ start: number; end: number }>;
  /** Index of the 'KẾ HOẠCH' line, if there is one. */
  typeIndex: number | null;
  /** Lines before this index are the header. */
  headerEnd: number;
  format: 'markdown' | 'text';
}

/** Markdown and HTML markup off one line: '**ỦY BAN NHÂN DÂN**', '## KẾ HOẠCH'. */
export function plainLine(line: string): string {
  const heading = /^\s{0,3}#{1,6}\s/u.exec(line);
  return plainText(heading ? line.slice(heading[0].length) : line).text;
}

function isMarkdownHeading(line: string): boolean {
  const t = line.trim();
  return /^#{1,6}\s/u.test(t) || (t.length > 4 && t.startsWith('**') && t.endsWith('**'));
}

/** Where the header ends: at 'KẾ HOẠCH', or at the preamble or first section when a site dropped it. */
function findHeaderEnd(plains: readonly string[], headingLike: (i: number) => boolean = () => false): { typeIndex: number | null; headerEnd: number } {
  for (let i = 0; i < plains.length; i += 1) {
    const p = plains[i];
    if (isTypeLine(p) || inlineTitle(p, headingLike(i)) !== null) return { typeIndex: i, headerEnd: i };
    if (startsPreamble(p) || isTopHeadingText(p)) return { typeIndex: null, headerEnd: i };
  }
  return { typeIndex: null, headerEnd: Math.min(plains.length, 40) };
}

/**
 * Text as the parser reads it. Plain text pasted from a site or a PDF viewer is cleaned first
 * (cleanup.ts); Markdown is taken as written. Below the header, lines broken mid-sentence are joined.
 */
export function prepareLines(raw: readonly string[], format: 'markdown' | 'text'): PreparedText {
  if (format === 'markdown') {
    // '# Kế hoạch phòng, chống …' or a bold line: type and title together, as a heading says.
    const { typeIndex, headerEnd } = findHeaderEnd(raw.map(plainLine), (i) => isMarkdownHeading(raw[i]));
    return { lines: [...raw], origin: raw.map((_l, i) => ({ start: i + 1, end: i + 1 })), typeIndex, headerEnd, format };
  }
  const cleaned: SourceLine[] = cleanPastedLines(raw);
  const first = findHeaderEnd(cleaned.map((l) => l.text));
  const joined = joinBrokenLines(cleaned, first.headerEnd);
  const { typeIndex, headerEnd } = findHeaderEnd(joined.map((l) => l.text));
  return { lines: joined.map((l) => l.text), origin: joined.map((l) => ({ start: l.start, end: l.end })), typeIndex, headerEnd, format };
}

export interface HeadInfo {
  isPlan: boolean;
  /** The document calls itself something else ('BÁO CÁO') and never 'KẾ HOẠCH'. */
  otherType: boolean;
  title: string | null;
  number: string | null;
  issueDate: string | null;
  place: string | null;
  issuer: string | null;
  legalBasis: LegalBasis[];
  preamble: string;
  /** Year from the title or the header's date; null when neither gives one. */
  statedYear: number | null;
  /** Latest year of a date cited in the opening lines (a plan comes after what it cites). */
  citedYear: number | null;
}

export interface HeadContext {
  warn(code: PlanWarningCode, message: string, line: number | null, text: string): void;
  footnote(block: Block): void;
}

/** Preamble paragraphs and their legal basis. */
export function isPreamble(text: string): boolean {
  const folded = foldForSearch(text);
  return /^(can cu|thuc hien|trien khai|de |nham |theo |tren co so)/u.test(folded) || /ke hoach/u.test(folded);
}

export function readHead(blocks: readonly Block[], prepared: PreparedText, ctx: HeadContext): HeadInfo {
  const plains = prepared.lines.map(plainLine);
  const headLines = (from: number, to: number): HeadLine[] =>
    plains.slice(from, to).map((plain, k) => ({ plain, index: from + k }));
  const header = readHeader(headLines(0, prepared.headerEnd));
  const consumed = new Set<number>();
  for (let i = 0; i < prepared.headerEnd; i += 1) consumed.add(i);

  let title: string | null = null;
  let isPlan = header.found;
  if (prepared.typeIndex !== null) {
    isPlan = true;
    consumed.add(prepared.typeIndex);
    const inline = inlineTitle(plains[prepared.typeIndex], prepared.format === 'markdown' && isMarkdownHeading(prepared.lines[prepared.typeIndex]));
    if (inline) {
      title = inline;
    } else {
      const read = readTitle(headLines(prepared.typeIndex + 1, Math.min(plains.length, prepared.typeIndex + 16)), () => false);
      title = read.title;
      read.indices.forEach((i) => consumed.add(i));
    }
  }
  const otherType = prepared.typeIndex === null && plains.slice(0, prepared.headerEnd + 3).some(isOtherDocumentType);

  for (const left of header.leftovers) {
    ctx.warn('UNMAPPED_PARAGRAPH', 'Dòng ở phần đầu văn bản không thuộc tiêu đề kế hoạch; chưa được xử lý', left.index + 1, left.text);
  }

  const preamble: string[] = [];
  const legalBasis: LegalBasis[] = [];
  for (const block of blocks) {
    if (block.kind === 'break') continue;
    if (block.kind === 'footnote') {
      ctx.footnote(block);
      continue;
    }
    // Lines of a block map to prepared lines one by one (blank lines end blocks).
    const rawLines = block.raw.split('\n');
    const kept = rawLines.filter((_l, k) => !consumed.has(block.line - 1 + k));
    if (kept.length === 0) continue;
    const text = plainText(kept.join('\n')).text;
    if (text === '') continue;
    if (isPreamble(text)) {
      preamble.push(text);
      legalBasis.push(...parseLegalBasis(text));
      continue;
    }
    ctx.warn('UNMAPPED_PARAGRAPH', 'Đoạn ở phần đầu văn bản chưa được xử lý', block.line, text);
  }
  const preambleText = preamble.join('\n');
  const issuer = header.issuer && header.issuer !== 'UBND' ? header.issuer : (findIssuer([], preambleText) ?? header.issuer);
  const titleYear = title ? /năm\s(\d{4})(?!\d)/iu.exec(title) : null;
  const headerYear = header.issueDate ? Number(header.issueDate.slice(0, 4)) : null;
  let blankDateYear: number | null = null;
  if (header.dayBlank) {
    const y = /năm\s(\d{4})/u.exec(plains.slice(0, prepared.headerEnd).join(' '));
    blankDateYear = y ? Number(y[1]) : null;
  }
  const statedYear = titleYear ? Number(titleYear[1]) : (headerYear ?? blankDateYear);
  let citedYear: number | null = null;
  // Dates of what the opening cites ('ngày 03/6/2020', 'ngày 22 tháng 8 năm 2022'): the plan is not
  // older than those. Bare years are left out: 'định hướng năm 2030' is a horizon, not a date.
  const opening = plains.slice(0, 60).map((l) => l.slice(0, 5_000)).join('\n');
  for (const hit of opening.matchAll(/(?:\d{1,2}\/\d{1,2}\/|tháng\s\d{1,2}\snăm\s)(19[5-9]\d|20\d\d)(?!\d)/gu)) {
    citedYear = Math.max(citedYear ?? 0, Number(hit[1]));
  }
  return {
    isPlan,
    otherType,
    title,
    number: header.number,
    issueDate: header.issueDate,
    place: header.place,
    issuer,
    legalBasis: dedupeBasis(legalBasis),
    preamble: preambleText,
    statedYear,
    citedYear,
  };
}

/** One entry per cited document, in order of first citation. */
export function dedupeBasis(list: readonly LegalBasis[]): LegalBasis[] {
  const seen = new Set<string>();
  return list.filter((b) => {
    if (b.documentNumber === null) return true;
    const key = b.documentNumber.replace(/\s/gu, '');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

