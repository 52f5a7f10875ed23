import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PlanParseError } from '../errors';
import { jpegSize, MAX_OCR_PIXELS, pngSize } from './image-size';
import { type PositionedPage, type PositionedWord } from './layout';
import { fixOcrWords } from './ocr-fixes';
import { cropPgm, type PageRules, removeRules } from './rules';
import { ocrAvailable, runTool, withOcrSlot } from './tools';

export interface PdfLimits {
  /** Pages read at most; a longer document is refused rather than cut silently. */
  maxPages: number;
  /** Per call of a poppler tool. */
  toolTimeoutMs: number;
  /** For all OCR of one document together. */
  ocrBudgetMs: number;
  /** Characters of text layer below which a page counts as scanned. */
  minTextChars: number;
}

export const DEFAULT_PDF_LIMITS: PdfLimits = {
  maxPages: 200,
  toolTimeoutMs: 60_000,
  ocrBudgetMs: 10 * 60_000,
  minTextChars: 40,
};

const ENTITY: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const decode = (text: string): string =>
  text.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|amp|lt|gt|quot|apos);/gi, (_m, name: string) => {
    if (name[0] !== '#') return ENTITY[name.toLowerCase()];
    const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
    return code <= 0x10ffff ? String.fromCodePoint(code) : '';
  });

const attr = (tag: string, name: string): number => {
  const at = tag.indexOf(` ${name}="`);
  return at < 0 ? 0 : Number.parseFloat(tag.slice(at + name.length + 3));
};

/**
 * Reads `pdftotext -bbox-layout` XHTML. The file is poppler's, so a line-by-line scan suffices: one
 * element per line, every pattern anchored and linear.
 */
export function parseBboxLayout(xhtml: string): PositionedPage[] {
  const pages: PositionedPage[] = [];
  let line: PositionedWord[] | null = null;
  for (const raw of xhtml.split('\n')) {
    const text = raw.trim();
    if (text.startsWith('<page '))
      pages.push({ width: attr(text, 'width'), height: attr(text, 'height'), lines: [] });
    else if (text.startsWith('<line ')) line = [];
    else if (text === '</line>') {
      if (line && line.length > 0) pages[pages.length - 1]?.lines.push(line);
      line = null;
    } else if (text.startsWith('<word ') && line) {
      const open = text.indexOf('>');
      const close = text.lastIndexOf('</word>');
      if (open < 0 || close < open) continue;
      const tag = text.slice(0, open);
      const word = decode(text.slice(open + 1, close));
      if (word.trim() === '') continue;
      line.push({
        text: word,
        xMin: attr(tag, 'xMin'),
        xMax: attr(tag, 'xMax'),
        yMin: attr(tag, 'yMin'),
        yMax: attr(tag, 'yMax'),
        confidence: null,
      });
    }
  }
  return pages;
}

/**
 * Reads tesseract's TSV: one row per word (level 5) with its box and confidence; words of one
 * (block, paragraph, line) form a printed line.
 */
export function parseTesseractTsv(tsv: string, width: number, height: number): PositionedPage {
  const lines = new Map<string, PositionedWord[]>();
  for (const row of tsv.split('\n')) {
    const cells = row.split('\t');
    if (cells.length < 12 || cells[0] !== '5') continue;
    const text = cells.slice(11).join(' ').trim();
    const confidence = Number(cells[10]);
    if (text === '' || !(confidence >= 0)) continue;
    const [left, top, w, h] = cells.slice(6, 10).map(Number);
    const key = `${cells[2]}/${cells[3]}/${cells[4]}`;
    const words = lines.get(key) ?? [];
    words.push({ text, xMin: left, xMax: left + w, yMin: top, yMax: top + h, confidence });
    lines.set(key, words);
  }
  return { width, height, lines: fixOcrWords([...lines.values()]) };
}

export interface PdfPages {
  pages: PositionedPage[];
  /** 1-based numbers of the pages read through OCR. */
  ocrPages: number[];
}

async function pageCount(file: string, limits: PdfLimits): Promise<number> {
  const { stdout } = await runTool(
    'pdfinfo',
    [file],
    { timeoutMs: limits.toolTimeoutMs, maxOutputBytes: 1 << 20 },
    'Đọc thông tin PDF',
  );
  const match = /^Pages:\s+(\d+)/m.exec(stdout.toString('utf8'));
  if (!match) throw new PlanParseError('UNREADABLE_DOCUMENT', 'Không đọc được số trang của tệp PDF.');
  return Number(match[1]);
}

/** Pages that hold at least one image (`pdfimages -list`: one row per image, page number first). */
async function pagesWithImages(file: string, limits: PdfLimits): Promise<Set<number>> {
  const { stdout } = await runTool(
    'pdfimages',
    ['-list', file],
    { timeoutMs: limits.toolTimeoutMs, maxOutputBytes: 16 << 20 },
    'Liệt kê ảnh trong PDF',
  );
  const pages = new Set<number>();
  for (const row of stdout.toString('utf8').split('\n').slice(2)) {
    const page = Number.parseInt(row.trim().split(' ')[0], 10);
    if (page > 0) pages.add(page);
  }
  return pages;
}

export interface OcrOptions {
  /** Tesseract page segmentation mode; 6 (one uniform block) measured best on plan pages, see docs/plan-import.md. */
  psm: 4 | 6 | 7;
  dpi: number;
}

export const DEFAULT_OCR: OcrOptions = { psm: 6, dpi: 300 };

/** OCRs one image file (PNG/JPEG/PGM) with tesseract's Vietnamese model. */
export async function ocrImage(
  image: string,
  size: { width: number; height: number } | null,
  timeoutMs: number,
  ocr: OcrOptions,
): Promise<PositionedPage> {
  const available = ocrAvailable();
  if (!available.ok) {
    throw new PlanParseError(
      'OCR_UNAVAILABLE',
      `Máy chủ chưa cài ${available.missing.join(', ')} nên chưa đọc được văn bản scan hoặc ảnh chụp.`,
    );
  }
  const args = [image, '-', '-l', 'vie', '--psm', String(ocr.psm), '--dpi', String(ocr.dpi), 'tsv'];
  const started = Date.now();
  // Waiting for a slot counts against the document's time budget too.
  const { stdout } = await withOcrSlot(() =>
    runTool(
      'tesseract',
      args,
      { timeoutMs: Math.max(1000, timeoutMs - (Date.now() - started)), maxOutputBytes: 32 << 20 },
      'Nhận dạng chữ (OCR)',
    ),
  );
  const tsv = stdout.toString('utf8');
  // TSV level-1 row carries the page size when the caller does not know it (photos).
  const pageRow = tsv.split('\n').find((r) => r.startsWith('1\t'));
  const cells = pageRow?.split('\t') ?? [];
  const width = size?.width ?? Number(cells[8] ?? 0);
  const height = size?.height ?? Number(cells[9] ?? 0);
  return parseTesseractTsv(tsv, width, height);
}

/** A line with a word tesseract was this unsure of is read again on its own (see rereadUnsureLines). */
const REREAD_BELOW = 70;
/** At most this many lines per page are read again: each is one more tesseract start (~0.3 s). */
const REREAD_MAX_LINES = 12;

const meanConfidence = (words: readonly PositionedWord[]): number =>
  words.reduce((s, w) => s + (w.confidence ?? 0), 0) / Math.max(1, words.length);

/**
 * Reads the unsure lines of an OCR'd page again, each cut out of the page as one line (`--psm 7`). In a
 * whole page tesseract takes a short line's comma for an accent ("CT," → "CŨ", "VT," → "VŨ" in the
 * distribution list, confidence ~40); alone, the same pixels read right. The re-read replaces the line only
 * when tesseract is more confident of it.
 */
async function rereadUnsureLines(
  page: PositionedPage,
  rules: PageRules,
  raster: Buffer,
  file: string,
  deadline: number,
  ocr: OcrOptions,
): Promise<PositionedPage> {
  const lines = [...page.lines];
  const unsure = lines
    .map((line, index) => ({ line, index }))
    .filter(({ line }) => line.some((w) => w.confidence !== null && w.confidence < REREAD_BELOW))
    // Not inside a table: a tesseract line there runs across cells, and cut out alone it reads worse.
    .filter(({ line }) => {
      const mid = (line[0].yMin + line[0].yMax) / 2;
      return !rules.vertical.some((r) => r.yMin < mid && r.yMax > mid);
    })
    .slice(0, REREAD_MAX_LINES);
  for (const { line, index } of unsure) {
    const yMin = Math.min(...line.map((w) => w.yMin));
    const yMax = Math.max(...line.map((w) => w.yMax));
    const xMin = Math.min(...line.map((w) => w.xMin));
    const xMax = Math.max(...line.map((w) => w.xMax));
    // The margin matters: too little and the cut looks like the page did, too much and the neighbouring
    // lines' ascenders and descenders come in as noise. Two margins (a third and a fifth of a line height,
    // less than the gap to the next line on a plan page); the reading tesseract is surest of wins.
    for (const margin of [0.33, 0.2]) {
      // Keep most of the budget for the pages still to read.
      if (deadline - Date.now() < 30_000) break;
      const pad = margin * (yMax - yMin);
      const left = Math.max(0, Math.floor(xMin - 2 * pad));
      const top = Math.max(0, Math.floor(yMin - pad));
      const crop = cropPgm(raster, left, top, xMax + 2 * pad - left, yMax + pad - top);
      if (!crop) break;
      await writeFile(file, crop, { mode: 0o600 });
      const reread = await ocrImage(file, null, Math.max(1000, deadline - Date.now()), {
        psm: 7,
        dpi: ocr.dpi,
      });
      const words = reread.lines.flat().map((w) => ({
        ...w,
        xMin: w.xMin + left,
        xMax: w.xMax + left,
        yMin: w.yMin + top,
        yMax: w.yMax + top,
      }));
      if (words.length > 0 && meanConfidence(words) > meanConfidence(lines[index])) lines[index] = words;
    }
  }
  await rm(file, { force: true });
  return { ...page, lines };
}

/**
 * A PDF's pages as positioned words: the text layer where a page has one, OCR (rasterised one page at a
 * time into a private temp dir that is always removed) where it has none.
 */
export async function readPdf(bytes: Buffer, limits: PdfLimits, ocr: OcrOptions): Promise<PdfPages> {
  const dir = await mkdtemp(join(tmpdir(), 'dondoc-intake-'));
  try {
    const file = join(dir, 'document.pdf');
    await writeFile(file, bytes, { mode: 0o600 });
    const count = await pageCount(file, limits);
    if (count < 1) throw new PlanParseError('EMPTY_DOCUMENT');
    if (count > limits.maxPages)
      throw new PlanParseError('TOO_LARGE', `Tệp PDF có ${count} trang, tối đa ${limits.maxPages} trang.`);
    const { stdout } = await runTool(
      'pdftotext',
      ['-bbox-layout', '-enc', 'UTF-8', '-l', String(count), file, '-'],
      { timeoutMs: limits.toolTimeoutMs, maxOutputBytes: 128 << 20 },
      'Trích văn bản PDF',
    );
    const pages = parseBboxLayout(stdout.toString('utf8'));
    const withImages = await pagesWithImages(file, limits);
    const ocrPages: number[] = [];
    const deadline = Date.now() + limits.ocrBudgetMs;
    for (let i = 0; i < pages.length; i += 1) {
      const chars = pages[i].lines.reduce((n, l) => n + l.reduce((m, w) => m + w.text.trim().length, 0), 0);
      // A page is a scan when it carries a picture and (almost) no text; a short signature page is not.
      if (chars >= limits.minTextChars || !withImages.has(i + 1)) continue;
      const left = deadline - Date.now();
      if (left <= 0)
        throw new PlanParseError(
          'EXTRACTION_TIMEOUT',
          `Nhận dạng chữ vượt quá ${Math.round(limits.ocrBudgetMs / 1000)} giây (đến trang ${i + 1}/${pages.length}).`,
        );
      const prefix = join(dir, `page-${i + 1}`);
      // A page's size is the PDF's to declare: a poster-sized page gets fewer dots per inch, not gigabytes.
      const pixelsAtDpi = ((pages[i].width * ocr.dpi) / 72) * ((pages[i].height * ocr.dpi) / 72);
      const dpi = Math.max(
        36,
        Math.min(ocr.dpi, Math.floor(ocr.dpi * Math.sqrt(MAX_OCR_PIXELS / Math.max(1, pixelsAtDpi)))),
      );
      // Grey at 300 dpi: what tesseract reads best; -singlefile names the output exactly <prefix>.pgm.
      await runTool(
        'pdftoppm',
        ['-r', String(dpi), '-gray', '-f', String(i + 1), '-l', String(i + 1), '-singlefile', file, prefix],
        { timeoutMs: Math.min(limits.toolTimeoutMs, left), maxOutputBytes: 1 << 20 },
        `Chuyển trang ${i + 1} thành ảnh`,
      );
      // Table borders out before OCR: read as glyphs they glue cells together (rules.ts).
      const raster = await readFile(`${prefix}.pgm`);
      const rules = removeRules(raster);
      await writeFile(`${prefix}.pgm`, raster, { mode: 0o600 });
      const scale = dpi / 72;
      const page = await ocrImage(
        `${prefix}.pgm`,
        { width: pages[i].width * scale, height: pages[i].height * scale },
        Math.max(1000, deadline - Date.now()),
        { ...ocr, dpi },
      );
      await rm(`${prefix}.pgm`, { force: true });
      pages[i] = {
        ...(await rereadUnsureLines(page, rules, raster, `${prefix}-line.pgm`, deadline, { ...ocr, dpi })),
        rules,
      };
      ocrPages.push(i + 1);
    }
    return { pages, ocrPages };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A photo (PNG/JPEG) through OCR, from a private temp file. */
export async function readImage(
  bytes: Buffer,
  extension: 'png' | 'jpg',
  timeoutMs: number,
  ocr: OcrOptions,
): Promise<PositionedPage> {
  const size = extension === 'png' ? pngSize(bytes) : jpegSize(bytes);
  if (!size || size.width === 0 || size.height === 0)
    throw new PlanParseError('UNREADABLE_DOCUMENT', 'Không đọc được kích thước ảnh.');
  if (size.width * size.height > MAX_OCR_PIXELS) {
    throw new PlanParseError(
      'TOO_LARGE',
      `Ảnh ${size.width} × ${size.height} điểm ảnh, tối đa ${MAX_OCR_PIXELS / 1_000_000} triệu điểm ảnh.`,
    );
  }
  const dir = await mkdtemp(join(tmpdir(), 'dondoc-intake-'));
  try {
    const file = join(dir, `photo.${extension}`);
    await writeFile(file, bytes, { mode: 0o600 });
    return await ocrImage(file, null, timeoutMs, ocr);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
