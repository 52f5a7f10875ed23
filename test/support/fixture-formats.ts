// A plan written as Markdown, rendered at run time into the forms districts actually receive: a Word file,
// a PDF printed from it (text layer) and a scan of the printed pages (images only). Nothing binary is committed;
// renderings are cached in .cache/fixtures/ by a hash of the source and of this renderer's version.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import {
  AlignmentType,
  BorderStyle,
  Document,
  HeadingLevel,
  LevelFormat,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import { type Browser, chromium } from 'playwright-core';
import { imagePdf } from '../../libs/plan-parser/src/intake/test-documents';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ensureChromium } = require('../../deploy/local/chromium.js') as { ensureChromium(log?: (m: string) => void): string };

const ROOT = join(__dirname, '..', '..');
export const FIXTURE_DIR = join(ROOT, 'test', 'fixtures', 'plans');
/** The shared sample plan (read where it is: ../shared beside the checkout). */
export const SAMPLE_PLAN = join(ROOT, '..', 'shared', 'fixtures', 'plans', 'van-quan-2024-cong-tac-tre-em.md');
export const REAL_OPENINGS_DIR = join(ROOT, '..', 'shared', 'fixtures', 'plans', 'real');
export const CACHE_DIR = join(ROOT, '.cache', 'fixtures');

/** Bump when the rendering changes, so cached files from an older renderer are not reused. */
const RENDERER_VERSION = 'fixture-formats/2';

export const FIXTURE_FORMATS = ['md', 'docx', 'pdf-text', 'pdf-scan'] as const;
export type FixtureFormat = (typeof FIXTURE_FORMATS)[number];

const EXTENSION: Record<FixtureFormat, string> = { md: '.md', docx: '.docx', 'pdf-text': '.pdf', 'pdf-scan': '.pdf' };

// ---------------------------------------------------------------------------------------------------------
// Markdown → blocks: the small subset our plans use (bold/italic/superscript, headings, numbered items,
// pipe tables, rules). Each line break inside a paragraph is kept: typists break the title and the
// signature block on purpose.

export type Block =
  /** Agency (left) and motto, place and date (right), side by side as printed. */
  | { kind: 'header'; left: string[]; right: string[] }
  | { kind: 'para'; text: string; align: 'left' | 'center' | 'right' }
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'numbered'; n: number; text: string }
  | { kind: 'table'; rows: string[][] }
  | { kind: 'rule' };

const TITLE_LINE = /^\**\s*KẾ HOẠCH\s*\**\s*$/u;
const MOTTO = /^\**\s*(CỘNG HÒA XÃ HỘI|Độc lập)/u;
const PLACE_DATE = /,\s*ngày\s+\S+\s+tháng/u;
const SIGNATURE = /^\*\*(KT\.|TM\.|Q\.|CHỦ TỊCH)/u;

const stripBold = (s: string): string => s.replace(/\*\*/g, '').trim();
const tableCells = (line: string): string[] => line.trim().replace(/^\|/, '').replace(/\|$/, '').split('|').map((c) => c.trim());
const isSeparatorRow = (cells: readonly string[]): boolean => cells.every((c) => /^:?-{3,}:?$/.test(c));

/** Header lines (before KẾ HOẠCH) sorted into the two columns a printed plan has. */
function headerColumns(lines: readonly string[]): { left: string[]; right: string[] } {
  const left: string[] = [];
  const right: string[] = [];
  for (const raw of lines) {
    const line = raw.trim();
    if (line === '') continue;
    if (MOTTO.test(line)) right.push(line);
    else if (/^Số:/u.test(line)) {
      // 'Số: 32/KH-UBND      Tràng Các, ngày …' as one typed line: number left, place and date right.
      const split = line.split(/\s{2,}/u);
      left.push(split[0]);
      if (split.length > 1) right.push(split.slice(1).join(' '));
    } else if (PLACE_DATE.test(line)) right.push(line);
    else left.push(line);
  }
  return { left, right };
}

export function markdownBlocks(markdown: string): Block[] {
  const chunks = markdown
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((c) => c.split('\n').filter((l) => l.trim() !== ''))
    .filter((c) => c.length > 0);
  const titleAt = chunks.findIndex((c) => TITLE_LINE.test(c[0]));
  const blocks: Block[] = [];
  let afterSignature = false;
  chunks.forEach((lines, index) => {
    const inHeader = index < titleAt;
    if (lines.every((l) => l.trim().startsWith('|'))) {
      const rows = lines.map(tableCells).filter((cells) => !isSeparatorRow(cells));
      if (inHeader && rows.every((r) => r.length === 2)) {
        blocks.push({ kind: 'header', left: rows.map((r) => r[0]).filter(Boolean), right: rows.map((r) => r[1]).filter(Boolean) });
      } else blocks.push({ kind: 'table', rows });
      return;
    }
    if (inHeader) {
      const previous = blocks.at(-1);
      const cols = headerColumns(lines);
      if (previous?.kind === 'header') {
        previous.left.push(...cols.left);
        previous.right.push(...cols.right);
      } else blocks.push({ kind: 'header', ...cols });
      return;
    }
    const heading = /^(#{1,6})\s+(.*)$/u.exec(lines[0]);
    if (heading && lines.length === 1) {
      blocks.push({ kind: 'heading', level: heading[1].length, text: heading[2] });
      return;
    }
    if (lines.length === 1 && /^-{3,}$/.test(lines[0].trim())) {
      blocks.push({ kind: 'rule' });
      return;
    }
    const numbered = /^(\d{1,3})\.\s+(.*)$/su.exec(lines.join('\n'));
    if (numbered) {
      blocks.push({ kind: 'numbered', n: Number(numbered[1]), text: numbered[2].replace(/ {2}\n/g, '\n') });
      return;
    }
    const text = lines.map((l) => l.replace(/ {2,}$/u, '')).join('\n');
    const first = stripBold(lines[0]);
    let align: 'left' | 'center' | 'right' = 'left';
    // The title follows KẾ HOẠCH in the same paragraph or in the next one.
    const titleLines = index === titleAt || (index === titleAt + 1 && chunks[titleAt].length === 1);
    if (titleLines || /^PHỤ LỤC/u.test(first) || /^\*\(Kèm theo/u.test(lines[0])) align = 'center';
    if (SIGNATURE.test(lines[0])) {
      align = 'right';
      afterSignature = true;
    } else if (afterSignature) {
      // The signer's name sits under the signing block.
      align = 'right';
      afterSignature = false;
    }
    blocks.push({ kind: 'para', text, align });
  });
  return blocks;
}

// ---------------------------------------------------------------------------------------------------------
// Inline runs: '**' bold, '*' italic, <sup>…</sup>, '\n' line break. One linear pass over the tokens.

interface Run {
  text: string;
  bold: boolean;
  italics: boolean;
  sup: boolean;
  breakBefore: boolean;
}

export function inlineRuns(text: string): Run[] {
  const runs: Run[] = [];
  let bold = false;
  let italics = false;
  let sup = false;
  let breakBefore = false;
  for (const token of text.split(/(\*\*|\*|<sup>|<\/sup>|\n)/u)) {
    if (token === '**') bold = !bold;
    else if (token === '*') italics = !italics;
    else if (token === '<sup>') sup = true;
    else if (token === '</sup>') sup = false;
    else if (token === '\n') breakBefore = true;
    else if (token !== '') {
      runs.push({ text: token, bold, italics, sup, breakBefore });
      breakBefore = false;
    }
  }
  return runs;
}

// ---------------------------------------------------------------------------------------------------------
// HTML (for printing to PDF)

const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function runsHtml(text: string): string {
  return inlineRuns(text)
    .map((r) => {
      let html = escapeHtml(r.text);
      if (r.sup) html = `<sup>${html}</sup>`;
      if (r.italics) html = `<i>${html}</i>`;
      if (r.bold) html = `<b>${html}</b>`;
      return `${r.breakBefore ? '<br>' : ''}${html}`;
    })
    .join('');
}

export function blocksToHtml(blocks: readonly Block[]): string {
  const body = blocks.map((b) => {
    switch (b.kind) {
      case 'header':
        return `<table class="head"><tr><td class="l">${b.left.map(runsHtml).join('<br>')}</td><td class="r">${b.right.map(runsHtml).join('<br>')}</td></tr></table>`;
      case 'para':
        return `<p class="${b.align}">${runsHtml(b.text)}</p>`;
      case 'heading':
        return `<p class="left"><b>${runsHtml(b.text)}</b></p>`;
      case 'numbered':
        return `<p class="left">${b.n}. ${runsHtml(b.text)}</p>`;
      case 'table':
        return `<table class="grid">${b.rows
          .map((row, i) => `<tr>${row.map((c) => (i === 0 ? `<th>${runsHtml(c)}</th>` : `<td>${runsHtml(c)}</td>`)).join('')}</tr>`)
          .join('')}</table>`;
      case 'rule':
        return '<hr>';
    }
  });
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><style>
  body { font-family: 'Times New Roman', 'Liberation Serif', 'DejaVu Serif', serif; font-size: 13pt; line-height: 1.3; margin: 0; }
  p { margin: 0 0 6pt 0; text-indent: 0; }
  p.left { text-align: justify; } p.center { text-align: center; } p.right { text-align: right; margin-right: 10mm; }
  table.head { width: 100%; border-collapse: collapse; margin-bottom: 12pt; }
  table.head td { vertical-align: top; text-align: center; font-size: 12pt; padding: 0; }
  table.head td.l { width: 38%; } table.head td.r { font-weight: bold; }
  table.grid { width: 100%; border-collapse: collapse; margin: 6pt 0; font-size: 11.5pt; }
  table.grid th, table.grid td { border: 1px solid #000; padding: 2pt 4pt; vertical-align: top; }
  table.grid th { text-align: center; } tr { break-inside: avoid; }
  hr { border: 0; border-top: 1px solid #000; width: 30%; margin: 6pt 0 6pt 0; }
</style></head><body>${body.join('\n')}</body></html>`;
}

// ---------------------------------------------------------------------------------------------------------
// .docx: headings, Word-numbered paragraphs, a two-column header table without borders, real tables.

const MM = 56.7; // twips per millimetre
const NONE = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };
const NO_BORDERS = { top: NONE, bottom: NONE, left: NONE, right: NONE, insideHorizontal: NONE, insideVertical: NONE };

function docxRuns(text: string, forceBold = false): TextRun[] {
  return inlineRuns(text).map(
    (r) =>
      new TextRun({
        text: r.text,
        bold: r.bold || forceBold,
        italics: r.italics,
        superScript: r.sup,
        break: r.breakBefore ? 1 : undefined,
      }),
  );
}

const ALIGN = { left: AlignmentType.JUSTIFIED, center: AlignmentType.CENTER, right: AlignmentType.RIGHT } as const;
const HEADINGS = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3, HeadingLevel.HEADING_4, HeadingLevel.HEADING_5, HeadingLevel.HEADING_6];

export async function blocksToDocx(blocks: readonly Block[]): Promise<Buffer> {
  const children: Array<Paragraph | Table> = [];
  let instance = 0;
  let lastNumber = 0;
  for (const b of blocks) {
    switch (b.kind) {
      case 'header': {
        const column = (lines: readonly string[], bold: boolean): TableCell =>
          new TableCell({
            borders: { top: NONE, bottom: NONE, left: NONE, right: NONE },
            width: { size: bold ? 60 : 40, type: WidthType.PERCENTAGE },
            children: lines.map((l) => new Paragraph({ alignment: AlignmentType.CENTER, children: docxRuns(l, bold) })),
          });
        children.push(
          new Table({
            width: { size: 100, type: WidthType.PERCENTAGE },
            borders: NO_BORDERS,
            rows: [new TableRow({ children: [column(b.left, false), column(b.right, true)] })],
          }),
        );
        break;
      }
      case 'para':
        children.push(new Paragraph({ alignment: ALIGN[b.align], spacing: { after: 120 }, children: docxRuns(b.text) }));
        break;
      case 'heading':
        children.push(new Paragraph({ heading: HEADINGS[Math.min(b.level, 6) - 1], children: docxRuns(b.text) }));
        break;
      case 'numbered':
        // Word's own list numbering, as typists use it: the number is not in the text. A list that starts at 1
        // again (or skips) is a new list instance, so Word restarts it.
        if (b.n !== lastNumber + 1) instance += 1;
        lastNumber = b.n;
        children.push(
          new Paragraph({
            alignment: AlignmentType.JUSTIFIED,
            numbering: { reference: 'plan-items', level: 0, instance },
            spacing: { after: 120 },
            children: docxRuns(b.text),
          }),
        );
        break;
      case 'table':
        children.push(
          new Table({
            width: { size: 100, type: WidthType.PERCENTAGE },
            rows: b.rows.map(
              (row, i) =>
                new TableRow({
                  tableHeader: i === 0,
                  children: row.map((cell) => new TableCell({ children: [new Paragraph({ children: docxRuns(cell, i === 0) })] })),
                }),
            ),
          }),
        );
        break;
      case 'rule':
        children.push(new Paragraph({ border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: '000000', space: 1 } }, children: [] }));
        break;
    }
    if (b.kind !== 'numbered') lastNumber = 0;
  }
  const doc = new Document({
    styles: { default: { document: { run: { font: 'Times New Roman', size: 26 } } } },
    numbering: {
      config: [{ reference: 'plan-items', levels: [{ level: 0, format: LevelFormat.DECIMAL, text: '%1.', alignment: AlignmentType.START }] }],
    },
    sections: [
      {
        properties: {
          page: { size: { width: 11906, height: 16838 }, margin: { top: 20 * MM, bottom: 20 * MM, left: 30 * MM, right: 15 * MM } },
        },
        children,
      },
    ],
  });
  return Packer.toBuffer(doc);
}

// ---------------------------------------------------------------------------------------------------------
// PDFs

async function printPdf(browser: Browser, html: string): Promise<Buffer> {
  const page = await browser.newPage();
  try {
    await page.setContent(html);
    // Page numbers at the top centre, as NĐ 30/2020 prints them: a running line the importer has to drop.
    return await page.pdf({
      format: 'A4',
      margin: { top: '20mm', bottom: '20mm', left: '30mm', right: '15mm' },
      displayHeaderFooter: true,
      headerTemplate: '<div style="font-size:10pt;width:100%;text-align:center;font-family:serif"><span class="pageNumber"></span></div>',
      footerTemplate: '<div></div>',
    });
  } finally {
    await page.close();
  }
}

function requireTool(bin: string, pkg: string): void {
  const res = spawnSync(bin, ['-v'], { stdio: 'ignore' });
  if (res.error) throw new Error(`${bin} is missing: install the Debian package ${pkg} (npm test and npm start install it when run as root).`);
}

/** A scan of the printed pages: each page rasterised at 200 dpi, slightly skewed, grainy, as a JPEG in an image-only PDF. */
async function scanPdf(browser: Browser, textPdf: Buffer): Promise<Buffer> {
  requireTool('pdftoppm', 'poppler-utils');
  const dir = mkdtempSync(join(tmpdir(), 'dondoc-scan-'));
  try {
    writeFileSync(join(dir, 'in.pdf'), textPdf);
    const res = spawnSync('pdftoppm', ['-r', '200', '-gray', '-png', join(dir, 'in.pdf'), join(dir, 'p')], { timeout: 120_000 });
    if (res.status !== 0) throw new Error(`pdftoppm failed: ${res.stderr?.toString() ?? res.status}`);
    const pngs = readdirSync(dir)
      .filter((f) => f.startsWith('p') && f.endsWith('.png'))
      .sort();
    const context = await browser.newContext({ viewport: { width: 1654, height: 2339 }, deviceScaleFactor: 1 });
    try {
      const page = await context.newPage();
      const jpegs: Buffer[] = [];
      for (const [i, png] of pngs.entries()) {
        const data = readFileSync(join(dir, png)).toString('base64');
        // Pages sit a little crooked on the glass, alternately; grain from an SVG turbulence over the page.
        const angle = i % 2 === 0 ? 0.4 : -0.3;
        await page.setContent(`<!doctype html><html><body style="margin:0;background:#f4f4f1;overflow:hidden">
          <img src="data:image/png;base64,${data}" style="width:1654px;height:2339px;transform:rotate(${angle}deg);filter:contrast(1.15) blur(0.35px)">
          <svg style="position:absolute;left:0;top:0;mix-blend-mode:multiply;opacity:0.18" width="1654" height="2339">
            <filter id="n"><feTurbulence type="fractalNoise" baseFrequency="0.9" numOctaves="2" seed="${i + 7}"/><feColorMatrix type="saturate" values="0"/></filter>
            <rect width="100%" height="100%" filter="url(#n)"/></svg></body></html>`);
        jpegs.push(await page.screenshot({ type: 'jpeg', quality: 80 }));
      }
      return imagePdf(jpegs);
    } finally {
      await context.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------------

export interface RenderedFixture {
  /** The fixture's base name ('van-quan-2024-chuyen-doi-so'). */
  name: string;
  format: FixtureFormat;
  /** A file name with the format's extension, for extractDocument's dispatch. */
  fileName: string;
  path: string;
  bytes: Buffer;
}

/** Renders Markdown plans into the four formats; one Chromium for all, launched on first need. */
export class FixtureRenderer {
  private browser: Browser | null = null;

  constructor(private readonly cacheDir = CACHE_DIR) {}

  private async chromium(): Promise<Browser> {
    this.browser ??= await chromium.launch({
      executablePath: ensureChromium(),
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update'],
    });
    return this.browser;
  }

  async render(markdownPath: string, format: FixtureFormat): Promise<RenderedFixture> {
    const name = basename(markdownPath).replace(/\.md$/u, '');
    const fileName = `${name}${EXTENSION[format]}`;
    if (format === 'md') return { name, format, fileName, path: markdownPath, bytes: readFileSync(markdownPath) };
    const source = readFileSync(markdownPath, 'utf8');
    const hash = createHash('sha256').update(`${RENDERER_VERSION}\n${format}\n${source}`).digest('hex').slice(0, 16);
    const path = join(this.cacheDir, `${name}.${format}.${hash}${EXTENSION[format]}`);
    if (existsSync(path)) return { name, format, fileName, path, bytes: readFileSync(path) };
    const blocks = markdownBlocks(source);
    let bytes: Buffer;
    if (format === 'docx') bytes = await blocksToDocx(blocks);
    else {
      const text = await printPdf(await this.chromium(), blocksToHtml(blocks));
      bytes = format === 'pdf-text' ? text : await scanPdf(await this.chromium(), text);
    }
    mkdirSync(this.cacheDir, { recursive: true });
    writeFileSync(path, bytes);
    return { name, format, fileName, path, bytes };
  }

  async close(): Promise<void> {
    await this.browser?.close();
    this.browser = null;
  }
}

/** The repository's own fixture plans: each `<name>.md` beside its `<name>.expected.json`. */
export function fixturePlans(): Array<{ name: string; markdownPath: string; expectedPath: string }> {
  return readdirSync(FIXTURE_DIR)
    .filter((f) => f.endsWith('.md') && existsSync(join(FIXTURE_DIR, f.replace(/\.md$/u, '.expected.json'))))
    .sort()
    .map((f) => ({ name: f.replace(/\.md$/u, ''), markdownPath: join(FIXTURE_DIR, f), expectedPath: join(FIXTURE_DIR, f.replace(/\.md$/u, '.expected.json')) }));
}
