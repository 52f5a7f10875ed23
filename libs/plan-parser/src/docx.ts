import JSZip from 'jszip';
import mammoth from 'mammoth';
import { type OrganisationDirectory } from '../../domain/src/organisation';
import { labelNumberedParagraphs, readNumbering } from './docx-numbering';
import { plainText } from './blocks';
import { PlanParseError } from './errors';
import { foldForSearch } from './dates';
import { isTopHeadingText, startsPreamble } from './header';
import { guardZip } from './intake/zip-guard';
import { DEFAULT_MAX_BYTES, type ParsePlanOptions, type ParsePlanResult, parsePlan } from './parse-plan';

/**
 * .docx → Markdown via mammoth's HTML (its Markdown writer is deprecated and untyped), then the
 * same parser as everything else. Word's automatic list numbers are not in the text: before
 * mammoth, docx-numbering.ts writes the printed labels ('II.', '1.2.', 'a)') into the paragraphs
 * from numbering.xml. Lists it cannot label are renumbered here from their position.
 */

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

function inline(html: string): string {
  return decodeEntities(
    html
      .replace(/<br\s*\/?>/gi, '  \n')
      .replace(/<\/?(strong|b)>/gi, '**')
      .replace(/<\/?(em|i)>/gi, '*')
      .replace(/<sup>(.*?)<\/sup>/gi, '<sup>$1</sup>')
      .replace(/<(?!\/?sup>)[^>]+>/gi, ''),
  )
    // Two bold runs side by side become one; the space between them stays ('**A** **B**' → '**A B**', not 'AB').
    .replace(/\*\*(\s*)\*\*/g, '$1')
    .trim();
}

/** Converts mammoth's small HTML vocabulary (p, h1–h6, ol/ul/li, table, strong, em, sup) to Markdown. */
export function htmlToMarkdown(html: string): string {
  const out: string[] = [];
  const lists: Array<{ ordered: boolean; n: number }> = [];
  const tokens = html.match(/[^<]+|<[^>]*>/g) ?? [];
  let buffer = '';
  // A row is its cells, a cell the paragraphs it holds (one text per paragraph).
  let row: string[][] | null = null;
  let cellLines: string[] = [];
  let rowsInTable = 0;
  // Above 'KẾ HOẠCH' a table is the layout of the header (agency and number left, motto, place and
  // date right, one paragraph each). Its paragraphs become one Markdown row each ('A | B |', as the
  // header reader takes sites' two-column headers), so 'VIỆT NAM' and 'Độc lập' stay apart and
  // 'HUYỆN VĂN QUAN' ends where its paragraph ends. Tables below it (duty tables) keep one row per
  // table row, a cell's paragraphs joined by a space.
  let headerZone = true;
  // Merged cells: mammoth writes rowspan/colspan; Markdown has neither, so a merged cell's text is
  // repeated in every row it spans (a lead unit merged over three duties leads all three).
  let pendingSpans: Array<{ column: number; rows: number; text: string[] }> = [];
  let cellSpan = { rows: 1, cols: 1 };
  const fillSpans = (): void => {
    if (!row) return;
    for (let again = true; again; ) {
      again = false;
      for (const span of pendingSpans) {
        if (span.rows > 0 && span.column === row.length) {
          row.push(span.text);
          span.rows -= 1;
          again = true;
        }
      }
    }
  };
  let topLevelCount = 0;
  const flush = (prefix = ''): void => {
    const text = inline(buffer);
    if (lists.length === 1 && lists[0].ordered) topLevelCount = lists[0].n;
    // A new Roman section or a heading starts Word's numbering over.
    if (lists.length === 0 && /^(\*\*)?[IVX]{1,5}\.\s/u.test(text)) topLevelCount = 0;
    if (text !== '') out.push(`${prefix}${text}`, '');
    if (text !== '' && headerZone && endsHeaderZone(plainText(text).text)) headerZone = false;
    buffer = '';
  };
  const endCellParagraph = (): void => {
    const text = cellText(buffer);
    if (text !== '') cellLines.push(text);
    buffer = '';
  };
  for (const token of tokens) {
    const tag = /^<(\/?)([a-z0-9]+)/i.exec(token);
    const name = tag?.[2].toLowerCase() ?? '';
    if (!tag || !STRUCTURE.has(name)) {
      buffer += token;
      continue;
    }
    const closing = tag[1];
    // Paragraphs and list items inside a cell are the cell's lines, never lines of their own.
    if (row !== null && (name === 'p' || name === 'li')) {
      endCellParagraph();
      continue;
    }
    if (name === 'ol' || name === 'ul') {
      if (closing) lists.pop();
      // Word numbering runs on across paragraphs that interrupt a list; mammoth restarts each <ol>.
      else lists.push({ ordered: name === 'ol', n: name === 'ol' && lists.length === 0 ? topLevelCount : 0 });
    } else if (name === 'li' && !closing) {
      if (buffer.trim() !== '') flush(listPrefix(lists, false));
      const list = lists[lists.length - 1];
      if (list) list.n += 1;
    } else if (name === 'li' && closing) {
      flush(listPrefix(lists, true));
    } else if (name === 'p' && closing) {
      flush(lists.length > 0 ? listPrefix(lists, true) : '');
    } else if (/^h[1-6]$/.test(name) && closing) {
      flush(`${'#'.repeat(Number(name[1]))} `);
      topLevelCount = 0;
    } else if (name === 'tr') {
      if (closing && row) {
        fillSpans();
        pendingSpans = pendingSpans.filter((span) => span.rows > 0);
        const cells = row;
        const lines = Math.max(1, ...cells.map((c) => c.length));
        // A header laid out in a table (few rows and columns); a larger table above KẾ HOẠCH is data.
        const layout = headerZone && cells.length <= 3 && rowsInTable < 4 && lines > 1;
        const printed = layout
          ? Array.from({ length: lines }, (_unused, k) => cells.map((c) => c[k] ?? ''))
          : [cells.map((c) => c.join(' '))];
        for (const printedRow of printed) {
          out.push(`| ${printedRow.join(' | ')} |`);
          if (rowsInTable === 0) out.push(`|${printedRow.map(() => ' --- ').join('|')}|`);
          rowsInTable += 1;
        }
        row = null;
      } else if (!closing) row = [];
    } else if ((name === 'td' || name === 'th') && !closing) {
      fillSpans();
      cellSpan = { rows: spanOf(token, 'rowspan'), cols: spanOf(token, 'colspan') };
      buffer = '';
      cellLines = [];
    } else if ((name === 'td' || name === 'th') && closing) {
      endCellParagraph();
      const text = cellLines;
      cellLines = [];
      if (row) {
        if (cellSpan.rows > 1) pendingSpans.push({ column: row.length, rows: cellSpan.rows - 1, text });
        row.push(text, ...Array.from({ length: cellSpan.cols - 1 }, () => []));
      }
    } else if (name === 'table') {
      if (closing) out.push('');
      rowsInTable = 0;
      pendingSpans = [];
    } else if (name === 'p' && !closing && row === null && buffer.trim() !== '') {
      flush();
    }
  }
  flush();
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trim() + '\n';
}

/** One paragraph of a table cell as Markdown cell text: no '|', no line break, no bold around the whole. */
function cellText(html: string): string {
  return inline(html).replace(/\|/g, '/').replace(/\s*\n\s*/g, ' ').replace(/^\*\*(.*)\*\*$/, '$1').trim();
}

/** A paragraph that shows the header is over: the document type, the preamble, a section. */
function endsHeaderZone(plain: string): boolean {
  return foldForSearch(plain).startsWith('ke hoach') || startsPreamble(plain) || isTopHeadingText(plain) || plain.length > 200;
}

function listPrefix(lists: ReadonlyArray<{ ordered: boolean; n: number }>, _closing: boolean): string {
  const list = lists[lists.length - 1];
  if (!list) return '';
  const indent = '  '.repeat(Math.max(0, lists.length - 1));
  return list.ordered ? `${indent}${list.n}. ` : `${indent}- `;
}

function spanOf(tag: string, name: string): number {
  const hit = new RegExp(`\\s${name}="(\\d{1,3})"`, 'i').exec(tag);
  return hit ? Math.max(1, Math.min(Number(hit[1]), 100)) : 1;
}

/** Writes Word's list labels into the paragraphs (see docx-numbering.ts); the document unchanged when it has no numbering. */
export async function withPrintedNumbers(buffer: Buffer): Promise<Buffer> {
  const zip = await JSZip.loadAsync(buffer);
  const documentFile = zip.file('word/document.xml');
  const numberingFile = zip.file('word/numbering.xml');
  if (!documentFile || !numberingFile) return buffer;
  const [documentXml, numberingXml, stylesXml] = await Promise.all([
    documentFile.async('string'),
    numberingFile.async('string'),
    zip.file('word/styles.xml')?.async('string') ?? Promise.resolve(''),
  ]);
  const labelled = labelNumberedParagraphs(documentXml, readNumbering(numberingXml, stylesXml));
  if (labelled === documentXml) return buffer;
  zip.file('word/document.xml', labelled);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

const STRUCTURE = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ol', 'ul', 'li', 'table', 'tr', 'td', 'th']);

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

/** Reads a .docx (Office Open XML) buffer; anything else is UNSUPPORTED_FORMAT. */
export async function docxToMarkdown(buffer: Buffer, maxBytes = DEFAULT_MAX_BYTES): Promise<{ markdown: string; messages: string[] }> {
  if (buffer.length === 0) throw new PlanParseError('EMPTY_DOCUMENT');
  if (buffer.length > maxBytes) throw new PlanParseError('TOO_LARGE');
  if (!ZIP_MAGIC.every((b, i) => buffer[i] === b)) throw new PlanParseError('UNSUPPORTED_FORMAT', 'Không phải tệp .docx.');
  guardZip(buffer); // refuses a zip bomb before jszip/mammoth inflate anything (intake/zip-guard.ts)
  try {
    // A list paragraph whose label is now text is an ordinary paragraph; mammoth would warn about its style.
    const result = await mammoth.convertToHtml(
      { buffer: await withPrintedNumbers(buffer) },
      { styleMap: ["p[style-name='List Paragraph'] => p:fresh"] },
    );
    return { markdown: htmlToMarkdown(result.value), messages: result.messages.map((m) => m.message) };
  } catch (error) {
    throw new PlanParseError('UNSUPPORTED_FORMAT', error instanceof Error ? error.message : undefined);
  }
}

/** Parses a .docx plan; line numbers in sources and warnings refer to the converted Markdown. */
export async function parseDocx(
  buffer: Buffer,
  directory: OrganisationDirectory,
  options: ParsePlanOptions = {},
): Promise<ParsePlanResult & { markdown: string }> {
  const { markdown, messages } = await docxToMarkdown(buffer, options.maxBytes);
  const result = parsePlan({ text: markdown, format: 'markdown' }, directory, options);
  const conversion = messages.map((message) => ({
    code: 'CONVERSION_MESSAGE' as const,
    message: `Chuyển đổi .docx: ${message}`,
    section: null,
    line: null,
    text: message,
  }));
  return { ...result, warnings: [...conversion, ...result.warnings], markdown };
}
