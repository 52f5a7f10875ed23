// Test-only helpers: PDFs and photos of a plan made at test time with Debian's Chromium, so no binary
// document is ever committed. Used by the intake specs, the import-format integration test and the bench.
import { type Browser, chromium } from 'playwright-core';
import { jpegSize } from './image-size';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ensureChromium } = require('../../../../deploy/local/chromium.js') as {
  ensureChromium(log?: (m: string) => void): string;
};

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function inlineHtml(text: string): string {
  return escapeHtml(text)
    .replace(/&lt;sup&gt;(\d+)&lt;\/sup&gt;/g, '<sup>$1</sup>')
    .replace(/&lt;br&gt;/g, '<br>')
    .replace(/\n/g, ' ')
    .replace(/\*\*([^*]*)\*\*/g, '<b>$1</b>')
    .replace(/\*([^*]+)\*/g, '<i>$1</i>');
}

/**
 * Enough Markdown for a plan as a typist would set it in Word: bold, headings, lists, paragraphs and pipe
 * tables (a header table without borders, like the agency/motto block; an annex table with borders).
 */
export function planMarkdownToHtml(markdown: string): string {
  const out: string[] = [];
  const blocks = markdown.replace(/\r\n?/g, '\n').split(/\n{2,}/);
  for (const block of blocks) {
    const lines = block.split('\n').filter((l) => l.trim() !== '');
    if (lines.length === 0) continue;
    if (lines.every((l) => l.trim().startsWith('|'))) {
      const rows = lines
        .filter((l) => !/^\|[\s:|-]+\|$/.test(l.trim()))
        .map((l) =>
          l
            .trim()
            .replace(/^\||\|$/g, '')
            .split('|'),
        );
      const bordered = rows[0].length > 2;
      out.push(
        `<table class="${bordered ? 'grid' : 'plain'}">${rows
          .map((cells) => `<tr>${cells.map((c) => `<td>${inlineHtml(c.trim())}</td>`).join('')}</tr>`)
          .join('')}</table>`,
      );
      continue;
    }
    if (lines.every((l) => /^#{1,6}\s/.test(l))) {
      out.push(...lines.map((l) => `<p class="h">${inlineHtml(l.replace(/^#{1,6}\s+/, ''))}</p>`));
      continue;
    }
    if (/^-{3,}$/.test(lines[0].trim())) {
      out.push('<hr>');
      continue;
    }
    const joined = lines.join('\n');
    if (/^<sup>/.test(joined)) {
      out.push(`<p class="fn">${inlineHtml(joined.replace(/^<sup>(\d+)<\/sup>\s*/, '<sup>$1</sup> '))}</p>`);
      continue;
    }
    if (lines.every((l) => /^\s*(?:-|\d{1,2}\.) /.test(l))) {
      out.push(...lines.map((l) => `<p>${inlineHtml(l.trim())}</p>`));
      continue;
    }
    const centred = /^\*\*(KẾ HOẠCH|Triển khai|KT\.)/u.test(lines[0]) ? ' class="c"' : '';
    out.push(`<p${centred}>${inlineHtml(joined.replace(/ {2}\n/g, '<br>'))}</p>`);
  }
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><style>
    body { font-family: 'Times New Roman', 'Liberation Serif', 'DejaVu Serif', serif; font-size: 13pt; line-height: 1.35; }
    p { margin: 0 0 6pt 0; text-align: justify; } p.c { text-align: center; } p.h { font-weight: bold; }
    table { width: 100%; border-collapse: collapse; margin-bottom: 8pt; }
    table.plain { width: 112%; margin-left: -6%; }
    table.plain td { text-align: center; vertical-align: top; font-size: 12pt; }
    table.plain td:first-child { width: 40%; }
    p.fn { font-size: 10pt; } hr { width: 30%; margin-left: 0; }
    table.grid td { border: 1px solid #000; padding: 2pt 4pt; vertical-align: top; font-size: 11pt; }
  </style></head><body>${out.join('\n')}</body></html>`;
}

export async function withChromium<T>(use: (browser: Browser) => Promise<T>): Promise<T> {
  const browser = await chromium.launch({
    executablePath: ensureChromium(),
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
    ],
  });
  try {
    return await use(browser);
  } finally {
    await browser.close();
  }
}

/** A PDF with a text layer, as Word's "Save as PDF" or a browser's print would make it. */
export async function textPdf(browser: Browser, html: string): Promise<Buffer> {
  const page = await browser.newPage();
  try {
    await page.setContent(html);
    return await page.pdf({
      format: 'A4',
      margin: { top: '20mm', bottom: '20mm', left: '30mm', right: '15mm' },
    });
  } finally {
    await page.close();
  }
}

// A4 at 96 CSS px per inch; the default scale of 3 gives ~290 dpi pages, about an office scanner's 300 dpi.
const A4_CSS = { width: 794, height: 1123 };

/**
 * JPEG photos of the first `pages` A4 pages of the rendered document (a scan or a phone picture of the paper
 * copy); all of them when `pages` is null. Pages are cut every A4 height of screen layout, so a line may be
 * split at a page edge, as on a careless photocopy.
 */
export async function pagePhotos(
  browser: Browser,
  html: string,
  pages: number | null = 1,
  scale = 3,
): Promise<Buffer[]> {
  const context = await browser.newContext({ viewport: A4_CSS, deviceScaleFactor: scale });
  try {
    const page = await context.newPage();
    await page.setContent(html.replace('<body>', '<body style="margin: 76px 57px 76px 113px">'));
    const height = (await page.evaluate('document.documentElement.scrollHeight')) as number;
    const count = Math.min(pages ?? Infinity, Math.ceil(height / A4_CSS.height));
    const shots: Buffer[] = [];
    for (let i = 0; i < count; i += 1) {
      shots.push(
        await page.screenshot({
          type: 'jpeg',
          quality: 85,
          fullPage: true,
          clip: { x: 0, y: i * A4_CSS.height, ...A4_CSS },
        }),
      );
    }
    return shots;
  } finally {
    await context.close();
  }
}

/** An image-only PDF: one A4 page per JPEG, no text layer — what a scanner hands the office. */
export function imagePdf(jpegs: readonly Buffer[]): Buffer {
  const parts: Buffer[] = [];
  const offsets: number[] = [];
  let length = 0;
  const push = (chunk: string | Buffer): void => {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk;
    parts.push(buf);
    length += buf.length;
  };
  const object = (id: number, body: Array<string | Buffer>): void => {
    offsets[id] = length;
    push(`${id} 0 obj\n`);
    body.forEach(push);
    push('\nendobj\n');
  };
  push('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n');
  const pageIds = jpegs.map((_, i) => 3 + i * 3);
  object(1, ['<< /Type /Catalog /Pages 2 0 R >>']);
  object(2, [
    `<< /Type /Pages /Count ${jpegs.length} /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] >>`,
  ]);
  jpegs.forEach((jpeg, i) => {
    const [pageId, imageId, contentId] = [pageIds[i], pageIds[i] + 1, pageIds[i] + 2];
    const size = jpegSize(jpeg);
    if (!size) throw new Error('not a JPEG with a frame header');
    const { width, height } = size;
    const draw = 'q 595 0 0 842 0 0 cm /Im0 Do Q';
    object(pageId, [
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im0 ${imageId} 0 R >> >> /Contents ${contentId} 0 R >>`,
    ]);
    object(imageId, [
      `<< /Type /XObject /Subtype /Image /Width ${width} /Height ${height} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length ${jpeg.length} >>\nstream\n`,
      jpeg,
      '\nendstream',
    ]);
    object(contentId, [`<< /Length ${draw.length} >>\nstream\n${draw}\nendstream`]);
  });
  const xref = length;
  const count = 3 + jpegs.length * 3;
  push(`xref\n0 ${count}\n0000000000 65535 f \n`);
  for (let id = 1; id < count; id += 1) push(`${String(offsets[id]).padStart(10, '0')} 00000 n \n`);
  push(`trailer\n<< /Size ${count} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  return Buffer.concat(parts);
}
