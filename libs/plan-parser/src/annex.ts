import { normaliseKey } from '../../domain/src/text';

/**
 * Duty tables, in the body or in an annex (Phụ lục): STT | Nội dung | Cơ quan chủ trì | Cơ quan
 * phối hợp | Thời gian | Sản phẩm. Real tables are messy: the header takes two rows ('Cơ quan thực
 * hiện' over 'Chủ trì | Phối hợp'), Word repeats it on every page, a row broken by a page break
 * continues without its STT, a merged cell leaves the rows below it empty, and group rows
 * ('I | Hoạt động truyền thông') head the duties under them. This file turns the rows into duties;
 * parse-plan.ts makes responsibilities of them.
 */

export interface DutyRow {
  /** STT as written, or null. */
  number: string | null;
  text: string;
  leadText: string;
  coordinatingText: string;
  timeText: string;
  productText: string;
  /** Group row above this duty ('Hoạt động truyền thông'), for the reviewer's context. */
  group: string | null;
  /** Index of the first and last table row (0-based, header included) the duty was read from. */
  firstRow: number;
  lastRow: number;
  /** True when the lead cell was empty and the lead of the row above was used (a merged cell). */
  leadInherited: boolean;
}

export interface DutyTable {
  /** Rows of the header (1 or 2), so a later piece of the same table can borrow it. */
  headerRows: number;
  /** Most cells in a duty row: the width a headerless continuation must have. */
  width: number;
  rows: DutyRow[];
  /** Rows that name a duty without a lead unit, or a lead without a duty. */
  incomplete: Array<{ row: number; cells: string[] }>;
}

interface Columns {
  stt: number;
  text: number;
  lead: number;
  coord: number;
  time: number;
  product: number;
}

function findColumns(header: readonly string[]): Columns | null {
  const keys = header.map((c) => normaliseKey(c));
  const find = (re: RegExp, except: number[] = []): number => keys.findIndex((k, i) => !except.includes(i) && re.test(k));
  const stt = find(/^(?:stt|tt|so tt|so thu tu)$/);
  const lead = find(/chu tri/) >= 0 ? find(/chu tri/) : find(/(?:co quan|don vi) thuc hien|^thuc hien$|trach nhiem/);
  const text = find(/noi dung|nhiem vu|hoat dong|cong viec|giai phap|ten /, [lead]);
  if (text < 0 || lead < 0) return null;
  const coord = find(/phoi hop/, [lead, text]);
  const time = find(/thoi gian|thoi han|hoan thanh|tien do|han /, [lead, text, coord]);
  const product = find(/san pham|ket qua/, [lead, text, coord, time]);
  return { stt, text, lead, coord, time, product };
}

/** A header row: names the text and lead columns. */
export function isDutyTableHeader(cells: readonly string[]): boolean {
  return findColumns(cells) !== null;
}

const ROMAN_OR_LETTER = /^(?:[IVX]{1,5}|[A-Z]|[a-zđ])[.)]?$/u;
const COLUMN_NUMBERS = /^\(?\d{1,2}\)?$/;

/** Reads a table whose header names the duty and the lead unit; null when it is not such a table. */
export function readDutyTable(rows: readonly string[][]): DutyTable | null {
  if (rows.length === 0) return null;
  let header = [...rows[0]];
  let first = 1;
  // Two-row header: 'Cơ quan thực hiện' spans 'Chủ trì' and 'Phối hợp' in the row below.
  const second = rows[1];
  if (second && second.some((c) => /chu tri|phoi hop/.test(normaliseKey(c))) && !second.some((c) => /^\d+$/.test(c.trim()))) {
    header = header.map((h, i) => `${h} ${second[i] ?? ''}`.trim());
    first = 2;
  }
  const columns = findColumns(header);
  if (!columns) return null;
  const cell = (cells: readonly string[], i: number): string => (i >= 0 ? (cells[i] ?? '').trim() : '');
  const headerKey = rows.slice(0, first).map((r) => r.map((c) => normaliseKey(c)).join('|'));
  const out: DutyRow[] = [];
  const incomplete: DutyTable['incomplete'] = [];
  let group: string | null = null;
  for (let r = first; r < rows.length; r += 1) {
    const cells = rows[r];
    if (cells.every((c) => c.trim() === '')) continue;
    // Word repeats the header on each page; a '(1) | (2) | (3)' row numbers the columns.
    if (headerKey.includes(cells.map((c) => normaliseKey(c)).join('|'))) continue;
    if (cells.every((c) => COLUMN_NUMBERS.test(c.trim()) || c.trim() === '')) continue;
    const number = cell(cells, columns.stt) || null;
    const row = {
      text: cell(cells, columns.text),
      lead: cell(cells, columns.lead),
      coord: cell(cells, columns.coord),
      time: cell(cells, columns.time),
      product: cell(cells, columns.product),
    };
    const onlyText = row.lead === '' && row.coord === '' && row.time === '' && row.product === '';
    if (onlyText && row.text !== '' && (number === null ? isGroupTitle(row.text) : ROMAN_OR_LETTER.test(number))) {
      group = row.text;
      continue;
    }
    const previous = out[out.length - 1];
    // A row without its own number, after a numbered duty, is the rest of that duty on the next page.
    const continues =
      previous !== undefined &&
      ((columns.stt >= 0 && number === null) || (columns.stt < 0 && row.lead === '' && /^\p{Ll}/u.test(row.text)));
    if (continues) {
      previous.text = joinCell(previous.text, row.text);
      if (row.lead !== previous.leadText) previous.leadText = joinCell(previous.leadText, row.lead);
      previous.coordinatingText = joinCell(previous.coordinatingText, row.coord);
      previous.timeText = joinCell(previous.timeText, row.time);
      previous.productText = joinCell(previous.productText, row.product);
      previous.lastRow = r;
      continue;
    }
    // A merged lead cell: Word leaves the cells below the first one empty.
    const inherit = row.lead === '' && row.text !== '' && previous !== undefined && previous.group === group;
    if (row.text === '' || (row.lead === '' && !inherit)) {
      incomplete.push({ row: r, cells });
      continue;
    }
    out.push({
      number,
      text: row.text,
      leadText: inherit && previous ? previous.leadText : row.lead,
      coordinatingText: row.coord,
      timeText: row.time === '' && inherit && previous ? previous.timeText : row.time,
      productText: row.product,
      group,
      firstRow: r,
      lastRow: r,
      leadInherited: inherit,
    });
  }
  return { headerRows: first, width: Math.max(0, ...rows.slice(first).map((r) => r.length)), rows: out, incomplete };
}

function joinCell(a: string, b: string): string {
  if (b === '') return a;
  if (a === '') return b;
  return `${a} ${b}`;
}

/** Without an STT column, only an upper-case row is a group title; a plain sentence may be a duty missing its unit. */
function isGroupTitle(text: string): boolean {
  return text === text.toLocaleUpperCase('vi');
}
