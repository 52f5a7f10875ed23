/**
 * Cleanup of plain text pasted from web pages and PDF viewers, before blocks are built: page
 * numbers and running headers go, a page flattened into one line is split back into its parts,
 * and lines broken mid-sentence are joined. Every cleaned line remembers the lines of the text the
 * coordinator sees (start..end), so warnings keep pointing there. Rules: docs/plan-import.md.
 *
 * No regular expression here may backtrack over a run of the input: patterns are anchored with
 * bounded quantifiers or the work is done with plain string scans.
 */

export interface SourceLine {
  text: string;
  /** 1-based lines of the original text this line came from. */
  start: number;
  end: number;
}

const PAGE_NUMBER = /^(?:-\s?)?\d{1,3}(?:\s?-)?$|^trang\s\d{1,3}(?:\s?\/\s?\d{1,3})?$/iu;
/** ' 1.' opening a physical line: tailieu.vn's page marker in front of each flattened page. */
const PAGE_MARKER = /^ (\d{1,3})\. /u;
/** A list or section marker at the start of a line: such a line never continues the previous one. */
const MARKER = /^(?:\d{1,2}(?:\.\d{1,2}){0,3}[.)](?:\s|\p{Lu})|[IVX]{1,5}[.)]\s|[A-Đ]\s?[.)]\s|[-+•*–]\s|phần\s|\|)/iu;
const SENTENCE_END = /[.;:!?…]["”’)]{0,3}$/u;
/** A line longer than this that holds list markers is a page flattened into one line. */
const FLAT_LINE = 300;

export function isBlank(text: string): boolean {
  return text.trim() === '';
}

function hasLower(text: string): boolean {
  return /\p{Ll}/u.test(text);
}

/** Removes form feeds and trailing whitespace without a regular expression over the run. */
function tidy(text: string): string {
  return text.replace(/\f/g, '').replace(/\u00a0/g, ' ').trimEnd();
}

/**
 * tailieu.vn prints ' 1.', ' 2.' … at the start of each page of a PDF flattened one page per line.
 * They look like section numbers; they are page markers when such lines number 1, 2, 3 … in order
 * and the document's lines are page-long.
 */
function stripPageMarkers(lines: SourceLine[]): boolean {
  const marked = lines.filter((l) => PAGE_MARKER.test(l.text));
  if (marked.length === 0) return false;
  const inOrder = marked.every((l, i) => Number(PAGE_MARKER.exec(l.text)?.[1]) === i + 1);
  const nonBlank = lines.filter((l) => !isBlank(l.text));
  const average = nonBlank.reduce((sum, l) => sum + l.text.length, 0) / Math.max(1, nonBlank.length);
  if (!inOrder || average < 150) return false;
  for (const l of marked) l.text = l.text.replace(PAGE_MARKER, '');
  return true;
}

function isUpperToken(token: string): boolean {
  return /\p{L}/u.test(token) && !hasLower(token);
}

/**
 * Where a flattened line starts a new logical line: before 'KẾ HOẠCH' after the date, before a
 * list marker ('1.', '1.1.', '- ', '+ ') that follows the end of a sentence, a number or an
 * upper-case run, and before a Roman heading.
 */
function splitPoints(text: string): number[] {
  const points: number[] = [];
  const tokens = [...text.matchAll(/\S+/gu)];
  for (let k = 1; k < tokens.length; k += 1) {
    const token = tokens[k][0];
    const at = tokens[k].index ?? 0;
    const previous = tokens[k - 1][0];
    const next = tokens[k + 1]?.[0] ?? '';
    const afterBreak = SENTENCE_END.test(previous) || !hasLower(previous);
    if (token === 'KẾ' && next === 'HOẠCH' && !/\p{Lu}/u.test(previous)) {
      points.push(at);
      // The title runs in capitals after it; the body starts at the next marker.
      continue;
    }
    if (/^[-+•]$/u.test(token) && /^\p{Lu}/u.test(next)) {
      points.push(at);
      continue;
    }
    const numbered = /^\d{1,2}(?:\.\d{1,2}){0,3}\.(\p{Lu}|$)/u.exec(token);
    if (numbered && afterBreak && (numbered[1] !== '' || /^\p{Lu}/u.test(next)) && !/^\d{1,2}\.\d{3}/u.test(token)) {
      points.push(at);
      continue;
    }
    if (/^[IVX]{1,5}\.$/u.test(token) && afterBreak && isUpperToken(next)) points.push(at);
  }
  // The title after 'KẾ HOẠCH' is its own line too.
  const type = text.indexOf('KẾ HOẠCH ');
  if (type >= 0 && points.includes(type)) points.push(type + 'KẾ HOẠCH'.length + 1);
  return [...new Set(points)].sort((a, b) => a - b);
}

function splitFlattened(lines: SourceLine[], paged: boolean): SourceLine[] {
  const out: SourceLine[] = [];
  for (const line of lines) {
    // A page of a paged flattening may be short (the last one); otherwise only page-long lines.
    if (line.text.length <= (paged ? 80 : FLAT_LINE)) {
      out.push(line);
      continue;
    }
    const points = splitPoints(line.text);
    if (points.length < 2) {
      out.push(line);
      continue;
    }
    let from = 0;
    for (const p of [...points, line.text.length]) {
      const piece = line.text.slice(from, p).trim();
      if (piece !== '') out.push({ text: piece, start: line.start, end: line.end });
      from = p;
    }
  }
  return out;
}

const CLOSING = ' Trên đây là ';

/**
 * The closing sentence ('Trên đây là Kế hoạch …./.') always opens a paragraph of its own; a PDF
 * viewer (or the PDF reader, when the paragraph's last line runs full width) may glue it to the end of
 * the paragraph above ('… (có biểu mẫu kèm theo). Trên đây là Kế hoạch …'). Split after a sentence end.
 */
function splitClosing(lines: SourceLine[]): SourceLine[] {
  const out: SourceLine[] = [];
  for (const line of lines) {
    const at = line.text.indexOf(CLOSING);
    if (at > 0 && SENTENCE_END.test(line.text.slice(Math.max(0, at - 4), at))) {
      out.push({ ...line, text: line.text.slice(0, at) }, { ...line, text: line.text.slice(at + 1) });
    } else out.push(line);
  }
  return out;
}

/** Page numbers alone on a line, and running headers/footers: the same short line on three or more pages. */
function dropPageFurniture(lines: SourceLine[]): SourceLine[] {
  const counts = new Map<string, number>();
  for (const l of lines) {
    const t = l.text.trim();
    if (t.length >= 8 && t.length <= 120 && !MARKER.test(t)) counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  const seen = new Set<string>();
  return lines.filter((l) => {
    const t = l.text.trim();
    if (PAGE_NUMBER.test(t)) return false;
    if ((counts.get(t) ?? 0) >= 3) {
      // The first one may be the real thing (a title repeated as a running header).
      if (seen.has(t)) return false;
      seen.add(t);
    }
    return true;
  });
}

/**
 * Steps that do not depend on where the header ends: form feeds, page markers, flattened pages,
 * page numbers and running headers.
 */
export function cleanPastedLines(raw: readonly string[]): SourceLine[] {
  const lines = raw.map((text, i) => ({ text: tidy(text), start: i + 1, end: i + 1 }));
  const paged = stripPageMarkers(lines);
  return dropPageFurniture(splitClosing(splitFlattened(lines, paged)));
}

function isTopHeadingLine(text: string): boolean {
  return /^(?:[IVX]{1,5}|[A-E])\s?[.)]\s+\S/u.test(text) || /^phần\s+(?:thứ\s+)?\S+/iu.test(text);
}

/** Joins the second line to the first when the first was cut in the middle of a sentence or a heading. */
function continues(first: string, second: string): boolean {
  const a = first.trim();
  const b = second.trim();
  if (a === '' || b === '' || MARKER.test(b) || /^\|/u.test(a)) return false;
  // 'I. MỤC ĐÍCH,' / 'YÊU CẦU' and 'Phần I' / 'TÌNH HÌNH CHUNG …': a heading wrapped by the site.
  if (isTopHeadingLine(a) && !hasLower(a.replace(/^phần/iu, '')) && isUpperToken(b.split(/\s/u)[0]) && !hasLower(b)) {
    return !/[.:;]$/u.test(a);
  }
  if (SENTENCE_END.test(a)) return false;
  if (/^\p{Ll}/u.test(b)) return true;
  // 'Quyết định số' / '957/QĐ-TTg ngày …', 'ngày 22' / 'tháng 8 năm 2022'.
  return /^\d/u.test(b) && hasLower(a);
}

/** Joins lines broken mid-sentence, from `from` on (the header above is read cell by cell instead). */
export function joinBrokenLines(lines: readonly SourceLine[], from: number): SourceLine[] {
  const out: SourceLine[] = lines.slice(0, from).map((l) => ({ ...l }));
  for (const line of lines.slice(from)) {
    const last = out.length > from ? out[out.length - 1] : null;
    if (last && continues(last.text, line.text)) {
      last.text = `${last.text.trimEnd()} ${line.text.trim()}`;
      last.end = line.end;
      continue;
    }
    out.push({ ...line });
  }
  return out;
}
