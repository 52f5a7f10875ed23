/**
 * Rebuilds the text the parser reads from positioned words (pdftotext's bounding boxes or tesseract's TSV):
 * printed lines of one paragraph are joined into one line, side-by-side columns (the agency/motto header,
 * an annex table) become `| a | b |` rows, and page-number lines at the page edge are dropped.
 * Why geometry and not pdftotext's own reading order: see docs/plan-import.md ("PDF text").
 */

import { fixRomanHeadings } from './ocr-fixes';
import { type HorizontalRule, type PageRules, type VerticalRule } from './rules';

export interface PositionedWord {
  text: string;
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
  /** 0–100 for OCR words; null when the PDF's text layer gave the word. */
  confidence: number | null;
}

export interface PositionedPage {
  width: number;
  height: number;
  /** Printed lines as the source grouped them, words left to right. */
  lines: PositionedWord[][];
  /** Column borders found on a scanned page (rules.ts): words on either side are in different cells. */
  rules?: PageRules;
}

export interface RebuiltLine {
  text: string;
  /** Mean confidence of the words on the line, null for a text layer. */
  confidence: number | null;
}

interface Segment {
  words: PositionedWord[];
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
}

interface Row {
  segments: Segment[];
  yMin: number;
  yMax: number;
}

function segmentOf(words: PositionedWord[]): Segment {
  return {
    words,
    xMin: Math.min(...words.map((w) => w.xMin)),
    xMax: Math.max(...words.map((w) => w.xMax)),
    yMin: Math.min(...words.map((w) => w.yMin)),
    yMax: Math.max(...words.map((w) => w.yMax)),
  };
}

/** Words joined by spaces, except where they touch (a superscript, a full stop in another font). */
function textOf(words: readonly PositionedWord[]): string {
  let text = '';
  words.forEach((w, i) => {
    const prev = words[i - 1];
    // Touching means just right of the previous word: the first word of the next printed line is far to the
    // left, and on a skewed scan it can sit as high as the last word of the line above ("ngắn" / "khoảng").
    const gap = prev === undefined ? 0 : w.xMin - prev.xMax;
    // Tesseract has already told words apart: two OCR words are two words, however close their boxes (a
    // line read alone gives loose boxes: "Phòng" / "Nội" 2 px apart), unless the second is a footnote mark.
    const ocrWords = prev?.confidence != null && w.confidence !== null && !w.text.startsWith('<sup>');
    const touching =
      prev !== undefined &&
      !ocrWords &&
      gap < 0.08 * (w.yMax - w.yMin) &&
      gap > -0.5 * (w.yMax - w.yMin) &&
      w.yMin < prev.yMax;
    // "VH-TT-" at the end of a line and "TT" on the next: a compound broken at its hyphen, not two words.
    const brokenAtHyphen = prev !== undefined && w.yMin >= prev.yMax - 1 && /\p{L}-$/u.test(prev.text);
    text += i === 0 || touching || brokenAtHyphen ? w.text : ` ${w.text}`;
  });
  return text.trim();
}

/**
 * Footnote markers are small raised digits; written as <sup>n</sup>, the parser links them to the
 * footnotes as it does for .docx and Markdown.
 */
function markSuperscripts(words: PositionedWord[]): PositionedWord[] {
  if (words.length < 2) return words;
  const heights = words.map((w) => w.yMax - w.yMin).sort((a, b) => a - b);
  const bottoms = words.map((w) => w.yMax).sort((a, b) => a - b);
  const height = heights[Math.floor(heights.length / 2)];
  const bottom = bottoms[Math.floor(bottoms.length / 2)];
  return words.map((w) =>
    /^\d{1,3}$/.test(w.text) && w.yMax < bottom - 0.2 * height && w.yMax - w.yMin < 0.92 * height
      ? { ...w, text: `<sup>${w.text}</sup>` }
      : w,
  );
}

/** Splits a printed line where words sit further apart than a few spaces: two columns, not one sentence. */
function splitAtGaps(words: PositionedWord[], rules: readonly VerticalRule[]): Segment[] {
  const sorted = [...words].sort((a, b) => a.xMin - b.xMin);
  const height = Math.max(1, Math.max(...sorted.map((w) => w.yMax - w.yMin)));
  const segments: PositionedWord[][] = [[sorted[0]]];
  // A scanned table's cell padding can be narrower than a wide space: the border itself tells the cells apart.
  const ruleBetween = (a: PositionedWord, b: PositionedWord): boolean =>
    rules.some((r) => {
      const x = (r.xMin + r.xMax) / 2;
      const y = (a.yMin + a.yMax + b.yMin + b.yMax) / 4;
      return x > a.xMax - 0.2 * height && x < b.xMin + 0.2 * height && y > r.yMin && y < r.yMax;
    });
  for (let i = 1; i < sorted.length; i += 1) {
    if (sorted[i].xMin - sorted[i - 1].xMax > 1.5 * height || ruleBetween(sorted[i - 1], sorted[i]))
      segments.push([]);
    segments[segments.length - 1].push(sorted[i]);
  }
  return segments.map(segmentOf);
}

/** Lines whose vertical extents overlap by more than half belong to one printed row (columns side by side). */
function rowsOf(page: PositionedPage): Row[] {
  const segments = page.lines
    .filter((l) => l.length > 0)
    .map(markSuperscripts)
    .flatMap((words) => splitAtGaps(words, page.rules?.vertical ?? []));
  segments.sort((a, b) => a.yMin - b.yMin || a.xMin - b.xMin);
  const rows: Row[] = [];
  for (const seg of segments) {
    const height = seg.yMax - seg.yMin;
    const row = rows.find(
      (r) =>
        Math.min(r.yMax, seg.yMax) - Math.max(r.yMin, seg.yMin) > 0.5 * Math.min(height, r.yMax - r.yMin),
    );
    if (row) {
      row.segments.push(seg);
      row.yMin = Math.min(row.yMin, seg.yMin);
      row.yMax = Math.max(row.yMax, seg.yMax);
    } else rows.push({ segments: [seg], yMin: seg.yMin, yMax: seg.yMax });
  }
  // pdftotext can hand a footnote's first line over as two lines: its mark with the first word ('³Kế') apart from
  // the rest. Such a stub and the piece right after it are one line, not two table cells.
  for (const row of rows) {
    row.segments.sort((a, b) => a.xMin - b.xMin);
    for (let i = row.segments.length - 2; i >= 0; i -= 1) {
      const [stub, next] = [row.segments[i], row.segments[i + 1]];
      const height = Math.max(stub.yMax - stub.yMin, next.yMax - next.yMin);
      if (
        stub.words.length <= 2 &&
        stub.words[0].text.startsWith('<sup>') &&
        next.xMin - stub.xMax <= 1.5 * height
      ) {
        row.segments.splice(i, 2, segmentOf([...stub.words, ...next.words]));
      }
    }
  }
  return rows.sort((a, b) => a.yMin - b.yMin);
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

const PAGE_NUMBER = /^(?:-\s*)?(?:trang\s+)?\d{1,4}(?:\s*\/\s*\d{1,4})?(?:\s*-)?$/iu;
/** Numbering that opens a new item even right after a full line: "1.", "1.2.", "IV.", "a)", "-", "+", "•". */
const ITEM_START =
  /^(?:\d{1,2}(?:\.\d{1,2}){0,3}\.?\s|[IVXLC]{1,6}\.\s|[a-zđ]\)\s|[-+•–*]\s|Phần\s|Điều\s|PHẦN\s)/u;

interface OpenParagraph {
  words: PositionedWord[];
  last: Segment;
}

function lineOut(words: readonly PositionedWord[]): RebuiltLine {
  const scored = words.filter((w) => w.confidence !== null);
  const confidence =
    scored.length === 0 ? null : scored.reduce((s, w) => s + (w.confidence ?? 0), 0) / scored.length;
  return { text: textOf(words), confidence };
}

function mergeConfidence(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : Math.min(a, b);
}

function tableRowOut(cells: PositionedWord[][]): RebuiltLine {
  const all = cells.flat();
  const base = lineOut(all);
  return {
    text: `| ${cells.map((c) => textOf(c).replace(/\|/g, '/')).join(' | ')} |`,
    confidence: base.confidence,
  };
}

interface PrintedRow {
  cells: PositionedWord[][];
  yMin: number;
  yMax: number;
}

interface TableState {
  /** Midpoints between the cells of the row with the most cells. */
  bounds: number[];
  /** Left edges of those cells: where each column's text starts. */
  starts: number[];
  printed: PrintedRow[];
  yMax: number;
}

/**
 * Splits a run of words that crosses a column's left edge at the word starting there: narrow cell padding
 * lets a wrapped line of one column run into the next ("hướng dẫn sinh hoạt hè | và Đào tạo").
 */
function splitAtColumnStarts(seg: Segment, starts: readonly number[]): Segment[] {
  const height = seg.yMax - seg.yMin;
  const cuts = new Set<number>();
  for (const start of starts.slice(1)) {
    if (seg.xMin >= start - 0.5 * height || seg.xMax <= start) continue;
    const at = seg.words.findIndex(
      (w, i) => i > 0 && Math.abs(w.xMin - start) < 0.5 * height && seg.words[i - 1].xMax < start,
    );
    if (at > 0) cuts.add(at);
  }
  if (cuts.size === 0) return [seg];
  const parts: Segment[] = [];
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    parts.push(segmentOf(seg.words.slice(from, cut)));
    from = cut;
  }
  parts.push(segmentOf(seg.words.slice(from)));
  return parts;
}

/**
 * Printed rows → table rows. In a table of three or more columns (an annex) whose row gaps fall in two
 * groups, the small gap is a wrapped line inside a row and the large one a new row (cell padding and
 * border). Otherwise (a header table, or a table printed without padding) a printed row continues the
 * row above when its first column is empty.
 */
function logicalRows(table: TableState, rules: readonly HorizontalRule[]): PositionedWord[][][] {
  const { printed } = table;
  // On a scan the row borders are known (rules.ts): a printed row starts a new table row exactly when a
  // border lies between it and the row above (checked under the same words, so a skewed page is fine).
  const bordered = (above: PrintedRow, below: PrintedRow): boolean => {
    const upper = above.cells.flat();
    const lower = below.cells.flat();
    return rules.some(
      (r) =>
        upper.some((w) => w.xMax > r.xMin && w.xMin < r.xMax && w.yMax <= r.y + 2) &&
        lower.some((w) => w.xMax > r.xMin && w.xMin < r.xMax && w.yMin >= r.y - 2) &&
        upper.every((w) => w.xMax <= r.xMin || w.xMin >= r.xMax || w.yMax <= r.y + 2),
    );
  };
  const borders = printed.slice(1).map((r, i) => bordered(printed[i], r));
  if (table.bounds.length >= 2 && borders.some(Boolean)) {
    const rows: PositionedWord[][][] = [];
    printed.forEach((row, i) => {
      const previous = rows[rows.length - 1];
      if (previous !== undefined && !borders[i - 1]) row.cells.forEach((c, k) => previous[k].push(...c));
      else rows.push(row.cells.map((c) => [...c]));
    });
    return rows;
  }
  const gaps = printed.slice(1).map((r, i) => r.yMin - printed[i].yMax);
  const heights = printed.map((r) => r.yMax - r.yMin).sort((a, b) => a - b);
  const height = heights[Math.floor(heights.length / 2)] ?? 0;
  const minGap = Math.min(...gaps);
  const byGap = table.bounds.length >= 2 && gaps.length > 0 && Math.max(...gaps) > minGap + 0.25 * height;
  const rows: PositionedWord[][][] = [];
  printed.forEach((row, i) => {
    const previous = rows[rows.length - 1];
    const continues =
      previous !== undefined && (byGap ? gaps[i - 1] <= minGap + 0.25 * height : row.cells[0].length === 0);
    if (continues) row.cells.forEach((c, k) => previous[k].push(...c));
    else rows.push(row.cells.map((c) => [...c]));
  });
  return rows;
}

interface PageText {
  lines: RebuiltLine[];
  /** The page ends inside a paragraph (its last line runs to the right margin). */
  endsOpen: boolean;
  /** The page starts with a line that can continue a paragraph (no numbering, not a table). */
  startsPlain: boolean;
}

/** One page's rows → lines for the parser. */
function rebuildPage(page: PositionedPage): PageText {
  const rows = rowsOf(page).filter((row) => {
    // Page furniture: a lone page number in the top or bottom band of the page.
    const edge = row.yMax < page.height * 0.08 || row.yMin > page.height * 0.92;
    return !(edge && row.segments.length === 1 && PAGE_NUMBER.test(textOf(row.segments[0].words)));
  });
  const single = rows.filter((r) => r.segments.length === 1).map((r) => r.segments[0]);
  const left = percentile(
    single.map((s) => s.xMin),
    0.1,
  );
  const right = percentile(
    single.map((s) => s.xMax),
    0.9,
  );
  const bodyWidth = Math.max(1, right - left);
  const out: RebuiltLine[] = [];
  let paragraph: OpenParagraph | null = null;
  let table: TableState | null = null;
  let endsOpen = false;
  const first = rows[0];
  const startsPlain =
    first !== undefined && first.segments.length === 1 && !ITEM_START.test(textOf(first.segments[0].words));

  const closeParagraph = (): void => {
    if (paragraph) out.push(lineOut(paragraph.words));
    paragraph = null;
  };
  const closeTable = (): void => {
    if (table)
      for (const cells of logicalRows(table, page.rules?.horizontal ?? [])) out.push(tableRowOut(cells));
    table = null;
  };
  const columnOf = (bounds: number[], seg: Segment): number => {
    const centre = (seg.xMin + seg.xMax) / 2;
    let col = 0;
    while (col < bounds.length && centre > bounds[col]) col += 1;
    return col;
  };

  for (const row of rows) {
    const height = Math.max(1, row.yMax - row.yMin);
    if (row.segments.length > 1) {
      closeParagraph();
      let bounds = row.segments.slice(1).map((s, i) => (row.segments[i].xMax + s.xMin) / 2);
      let starts = row.segments.map((s) => s.xMin);
      // On a scan the column borders themselves are the bounds: a centred header ("Nội dung") is no guide
      // to where a column's text starts.
      const mid = (row.yMin + row.yMax) / 2;
      const borders = (page.rules?.vertical ?? [])
        .filter((r) => r.yMin < mid && r.yMax > mid)
        .map((r) => (r.xMin + r.xMax) / 2)
        .filter((x) => x > row.segments[0].xMin && x < row.segments[row.segments.length - 1].xMax)
        .sort((a, b) => a - b);
      if (borders.length >= bounds.length) {
        bounds = borders;
        starts = [row.segments[0].xMin, ...borders];
      }
      if (!table || bounds.length > table.bounds.length) {
        // A row with more columns than the table so far starts a new table (the annex after the header).
        closeTable();
        table = { bounds, starts, printed: [], yMax: row.yMax };
      }
      table.yMax = row.yMax;
      const current = table;
      const cells: PositionedWord[][] = current.bounds.map(() => []).concat([[]]);
      for (const seg of row.segments.flatMap((sg) => splitAtColumnStarts(sg, current.starts)))
        cells[columnOf(current.bounds, seg)].push(...seg.words);
      current.printed.push({ cells, yMin: row.yMin, yMax: row.yMax });
      continue;
    }
    const seg = row.segments[0];
    if (table) {
      const col = columnOf(table.bounds, seg);
      const lo = col === 0 ? -Infinity : table.bounds[col - 1];
      const hi = col === table.bounds.length ? Infinity : table.bounds[col];
      const lastRow = table.printed[table.printed.length - 1];
      const close = seg.yMin - table.yMax < 0.9 * height;
      // Centred in its column (the date's wrapped year), not on the page (KẾ HOẠCH right under the header).
      const centre = (seg.xMin + seg.xMax) / 2;
      const columnCentre = (Math.max(lo, left) + Math.min(hi, right)) / 2;
      const inColumn = Math.abs(centre - columnCentre) < Math.abs(centre - (left + right) / 2);
      // On a scan, a line between two column borders is in the table, however short or far from the row above.
      const mid = (seg.yMin + seg.yMax) / 2;
      const covers = (r: VerticalRule): boolean => r.yMin < mid && r.yMax > mid;
      const vertical = page.rules?.vertical ?? [];
      const enclosed =
        vertical.some((r) => covers(r) && r.xMax <= seg.xMin + 0.2 * height) &&
        vertical.some((r) => covers(r) && r.xMin >= seg.xMax - 0.2 * height);
      if ((enclosed || (close && inColumn && seg.xMin > lo && seg.xMax < hi)) && lastRow) {
        table.yMax = row.yMax;
        // Text inside one column under a table row: the continuation of a cell, or a row of its own (logicalRows decides).
        const cells: PositionedWord[][] = table.bounds.map(() => [] as PositionedWord[]).concat([[]]);
        cells[col].push(...seg.words);
        table.printed.push({ cells, yMin: row.yMin, yMax: row.yMax });
        continue;
      }
      closeTable();
    }
    const text = textOf(seg.words);
    const open: OpenParagraph | null = paragraph;
    if (open !== null) {
      const prev = open.last;
      const gap = seg.yMin - prev.yMax;
      const prevFull = prev.xMax >= right - Math.max(0.06 * bodyWidth, 2 * height);
      const indented = seg.xMin > left + Math.max(0.04 * bodyWidth, 1.2 * height);
      if (prevFull && gap < 0.9 * height && !indented && !ITEM_START.test(text)) {
        open.words.push(...seg.words);
        open.last = seg;
        continue;
      }
    }
    closeParagraph();
    paragraph = { words: [...seg.words], last: seg };
  }
  const last: OpenParagraph | null = paragraph;
  if (last !== null && table === null) endsOpen = last.last.xMax >= right - Math.max(0.06 * bodyWidth, 12);
  closeParagraph();
  closeTable();
  return { lines: out, endsOpen, startsPlain };
}

/** All pages → lines; a paragraph that runs to the margin at the foot of a page continues on the next. */
export function rebuildLines(pages: readonly PositionedPage[]): RebuiltLine[] {
  const out: RebuiltLine[] = [];
  let open = false;
  for (const page of pages) {
    const { lines, endsOpen, startsPlain } = rebuildPage(page);
    if (open && startsPlain && lines.length > 0 && out.length > 0) {
      const [head, ...rest] = lines;
      const prev = out[out.length - 1];
      out[out.length - 1] = {
        text: `${prev.text} ${head.text}`,
        confidence: mergeConfidence(prev.confidence, head.confidence),
      };
      out.push(...rest);
    } else out.push(...lines);
    open = lines.length > 0 && endsOpen;
  }
  return fixRomanHeadings(out.filter((l) => l.text.trim() !== ''));
}
