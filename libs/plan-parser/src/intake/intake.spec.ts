import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { Document, Packer, Paragraph } from 'docx';
import fc from 'fast-check';
import JSZip from 'jszip';
import { type Browser } from 'playwright-core';
import { PlanParseError } from '../errors';
import { parsePlan } from '../parse-plan';
import { fixture, vanQuanDirectory } from '../test-support';
import { extractDocument, guardZip, importDocument, parseInWorker } from './index';
import { rebuildLines, type PositionedWord } from './layout';
import { imagePdf, pagePhotos, planMarkdownToHtml, textPdf } from './test-documents';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ensureDebianPackages, INTAKE_PACKAGES } = require('../../../../deploy/local/system-packages.js') as {
  ensureDebianPackages(pkgs: unknown, log?: (m: string) => void): void;
  INTAKE_PACKAGES: unknown;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { chromium } = require('playwright-core') as typeof import('playwright-core');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ensureChromium } = require('../../../../deploy/local/chromium.js') as { ensureChromium(): string };

const directory = vanQuanDirectory();
// The sample plan as the shared fixtures hold it (read-only, outside the repo).
const SAMPLE = readFileSync(
  join(__dirname, '../../../../../shared/fixtures/plans/van-quan-2024-cong-tac-tre-em.md'),
  'utf8',
);

/** A district plan opening with the agency/motto header laid out as a two-column table, as Word prints it. */
const HEADER_PLAN = `| ỦY BAN NHÂN DÂN<br>**HUYỆN VĂN QUAN** | **CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**<br>**Độc lập - Tự do - Hạnh phúc** |
| --- | --- |
| Số: 125/KH-UBND | *Văn Quan, ngày 15 tháng 4 năm 2024* |

**KẾ HOẠCH**  
**Phòng, chống đuối nước trẻ em năm 2024**

Thực hiện Kế hoạch số 59/KH-SLĐTBXH ngày 22/3/2024 của Sở Lao động, Thương binh và Xã hội tỉnh Lạng Sơn, UBND huyện Văn Quan ban hành Kế hoạch phòng, chống đuối nước trẻ em năm 2024 như sau:

**I. MỤC ĐÍCH, YÊU CẦU**

- Nâng cao nhận thức của gia đình và cộng đồng về phòng, chống đuối nước trẻ em.

**II. NHIỆM VỤ, GIẢI PHÁP**

**1.** Tuyên truyền kỹ năng an toàn trong môi trường nước cho trẻ em và cha mẹ trước dịp nghỉ hè.

**2.** Rà soát, cảnh báo các điểm sông, suối, ao, hồ nguy hiểm trên địa bàn.

**III. TỔ CHỨC THỰC HIỆN**

**1. Phòng Giáo dục và Đào tạo**

- Chỉ đạo các trường học tổ chức dạy bơi an toàn cho học sinh, hoàn thành trước ngày 31/8/2024.

**2. UBND các xã, thị trấn**

- Rà soát, cắm biển cảnh báo tại các điểm nguy hiểm, hoàn thành trước ngày 31/5/2024.
`;

async function codeOf(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (error) {
    return error instanceof PlanParseError ? error.code : `not a PlanParseError: ${String(error)}`;
  }
  return 'no error';
}

const counts = (r: ReturnType<typeof parsePlan>) => ({
  objectives: r.plan.objectives.length,
  tasks: r.plan.tasks.length,
  responsibilities: r.plan.responsibilities.length,
  reportingRules: r.plan.reportingRules.length,
  title: r.plan.metadata.title,
  issuer: r.plan.metadata.issuer,
  signer: r.plan.metadata.signer?.name ?? null,
});

describe('intake of PDFs and photos (real poppler, tesseract and Chromium)', () => {
  let browser: Browser;
  beforeAll(async () => {
    // Installs poppler-utils and tesseract-ocr(-vie) when missing and we are root; otherwise fails saying what to install.
    ensureDebianPackages(INTAKE_PACKAGES);
    browser = await chromium.launch({
      executablePath: ensureChromium(),
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu'],
    });
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('reads a text PDF of the sample plan to the same structure as its Markdown', async () => {
    const pdf = await textPdf(browser, planMarkdownToHtml(SAMPLE));
    const sut = await importDocument(pdf, 'ke-hoach.pdf', directory);
    expect(sut.extracted).toMatchObject({ kind: 'pdf-text', format: 'text', ocr: null });
    expect(sut.extracted.pages).toBeGreaterThanOrEqual(3);
    expect(sut.extracted.text).not.toContain('\f');
    expect(counts(sut)).toEqual(counts(parsePlan({ text: SAMPLE, format: 'markdown' }, directory)));
  });

  it('keeps the two-column header as table rows, so number and place/date stay apart from the motto', async () => {
    const pdf = await textPdf(browser, planMarkdownToHtml(HEADER_PLAN));
    const sut = await extractDocument(pdf, 'ke-hoach.pdf');
    const lines = sut.text.split('\n');
    expect(lines.slice(0, 4)).toEqual([
      '| ỦY BAN NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |',
      '| HUYỆN VĂN QUAN | Độc lập - Tự do - Hạnh phúc |',
      '| Số: 125/KH-UBND | Văn Quan, ngày 15 tháng 4 năm 2024 |',
      'KẾ HOẠCH',
    ]);
  });

  it('keeps an annex duty table with wrapped cells as one row per duty', async () => {
    const md = fixture('van-quan-2024-bang-phan-cong.md');
    const pdf = await textPdf(browser, planMarkdownToHtml(md));
    const sut = await importDocument(pdf, 'bang-phan-cong.pdf', directory);
    const expected = parsePlan({ text: md, format: 'markdown' }, directory);
    const duty = (r: ReturnType<typeof parsePlan>) =>
      r.plan.responsibilities.map((d) => [d.unitRef.code, d.text, d.deadline]);
    expect(duty(sut)).toEqual(duty(expected));
    expect(sut.extracted.text).toContain(
      '| Tổ chức lễ phát động Tháng hành động vì trẻ em | Phòng LĐTBXH - DT | Trung tâm VH-TT-TT, Hội LHPN huyện | Tháng 6/2024 |',
    );
  });

  it('OCRs a scanned page (image-only PDF) into text the parser reads, with its confidence', async () => {
    const [photo] = await pagePhotos(browser, planMarkdownToHtml(HEADER_PLAN), 1);
    const started = Date.now();
    const sut = await importDocument(imagePdf([photo]), 'ban-scan.pdf', directory);
    expect(sut.extracted.kind).toBe('pdf-scan');
    expect(sut.extracted.pages).toBe(1);
    expect(sut.extracted.ocr?.meanConfidence).toBeGreaterThan(80);
    // Diacritics survive (tesseract-ocr-vie), and the header reads as in the text PDF.
    expect(sut.extracted.text).toContain('Phòng, chống đuối nước trẻ em năm 2024');
    expect(sut.plan.metadata.number).toBe('125/KH-UBND');
    expect(sut.plan.metadata.title).toBe('Phòng, chống đuối nước trẻ em năm 2024');
    expect(sut.plan.metadata.issueDate).toBe('2024-04-15');
    expect(sut.plan.tasks.map((t) => t.number)).toEqual([1, 2]);
    expect(Date.now() - started).toBeLessThan(60_000);
  });

  it('OCRs a photo (.jpg) and marks lines below the confidence threshold for review', async () => {
    const [photo] = await pagePhotos(browser, planMarkdownToHtml(HEADER_PLAN), 1, 1.5);
    // A threshold above every line's confidence marks all of them: the marking follows the measure.
    const sut = await extractDocument(photo, 'anh-chup.jpg', { lowConfidence: 101 });
    expect(sut.kind).toBe('image');
    const lineCount = sut.text.trimEnd().split('\n').length;
    expect(sut.ocr?.lowConfidenceLines).toEqual(Array.from({ length: lineCount }, (_, i) => i + 1));
    expect(sut.warnings).toHaveLength(1);
    expect(sut.warnings[0]).toMatchObject({ code: 'LOW_CONFIDENCE_OCR', line: 1 });
    const normal = await extractDocument(photo, 'anh-chup.jpg');
    expect(normal.ocr?.lowConfidenceLines.length).toBeLessThan(lineCount / 4);
  });
});

describe('content decides the format, the name must agree', () => {
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

  it.each([
    ['a PNG named .pdf', png, 'ke-hoach.pdf', /ảnh PNG/u],
    [
      'a Windows program named .docx',
      Buffer.from('MZ\u0090\u0000\u0003\u0000\u0000\u0000\u0004\u0000', 'latin1'),
      'ke-hoach.docx',
      /nhị phân/u,
    ],
    ['a PDF named .docx', Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n', 'latin1'), 'ke-hoach.docx', /tệp PDF/u],
    ['text named .jpg', Buffer.from('KẾ HOẠCH\nI. MỤC ĐÍCH'), 'anh.jpg', /văn bản thuần/u],
    ['an unknown extension', Buffer.from('KẾ HOẠCH'), 'ke-hoach.odt', /đuôi không được hỗ trợ/u],
  ])('refuses %s with UNSUPPORTED_FORMAT and says why', async (_what, bytes, name, message) => {
    const error = await extractDocument(bytes, name).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlanParseError);
    expect((error as PlanParseError).code).toBe('UNSUPPORTED_FORMAT');
    expect((error as PlanParseError).message).toMatch(message);
  });

  it('refuses a photo whose header declares more pixels than OCR may decode, before decoding it', async () => {
    // A PNG signature and an IHDR chunk declaring 100,000 × 100,000 pixels: 28 bytes that would decode to 10 GB.
    const ihdr = Buffer.alloc(25);
    ihdr.writeUInt32BE(13, 0);
    ihdr.write('IHDR', 4, 'latin1');
    ihdr.writeUInt32BE(100_000, 8);
    ihdr.writeUInt32BE(100_000, 12);
    const bomb = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), ihdr]);
    const error = await extractDocument(bomb, 'anh.png').catch((e: unknown) => e as PlanParseError);
    expect((error as PlanParseError).code).toBe('TOO_LARGE');
    expect((error as PlanParseError).message).toMatch(/100000 × 100000/u);
  });

  it('reads a .txt saved as UTF-16 (Notepad\'s "Unicode") like its UTF-8 twin', async () => {
    const text = 'KẾ HOẠCH\nPhòng, chống đuối nước trẻ em năm 2024\n';
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    expect((await extractDocument(utf16, 'ke-hoach.txt')).text).toBe(text);
  });

  it('reads Markdown and text as before, through the worker, with the same result as parsePlan', async () => {
    const sut = await importDocument(Buffer.from(SAMPLE), 'ke-hoach.md', directory);
    const direct = parsePlan({ text: SAMPLE, format: 'markdown' }, directory);
    expect(sut.extracted).toMatchObject({
      kind: 'markdown',
      format: 'markdown',
      pages: 1,
      ocr: null,
      warnings: [],
    });
    expect(sut.plan).toEqual(direct.plan);
    expect(sut.warnings).toEqual(direct.warnings);
  });
});

describe('zip guard for .docx', () => {
  const MB = 1024 * 1024;

  async function zipOf(files: Record<string, Buffer | string>): Promise<Buffer> {
    const zip = new JSZip();
    for (const [name, content] of Object.entries(files)) zip.file(name, content);
    return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
  }

  it('lets a real .docx through and converts it', async () => {
    const docx = await Packer.toBuffer(
      new Document({ sections: [{ children: [new Paragraph('KẾ HOẠCH'), new Paragraph('I. MỤC ĐÍCH')] }] }),
    );
    expect(guardZip(docx).some((e) => e.name === 'word/document.xml')).toBe(true);
    const sut = await extractDocument(docx, 'ke-hoach.docx');
    expect(sut.kind).toBe('docx');
    expect(sut.text).toContain('KẾ HOẠCH');
  });

  it('refuses a bomb from its declared sizes, before inflating anything', async () => {
    const bomb = await zipOf({ 'word/document.xml': Buffer.alloc(24 * MB, 0x20) });
    expect(bomb.length).toBeLessThan(MB);
    const started = process.hrtime.bigint();
    expect(await codeOf(() => extractDocument(bomb, 'bom.docx'))).toBe('ARCHIVE_TOO_LARGE');
    // Inflating 24 MB takes far longer than reading a directory of one entry.
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(50);
  });

  it('refuses many entries that each look harmless but add up past the cap', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 40; i += 1) files[`word/media/part${i}.xml`] = `<x>${String(i).repeat(400_000)}</x>`;
    expect(await codeOf(() => extractDocument(Buffer.alloc(0), 'x.docx'))).toBe('EMPTY_DOCUMENT');
    expect(await codeOf(async () => guardZip(await zipOf(files)))).toBe('ARCHIVE_TOO_LARGE');
  });

  it('refuses an archive whose entry inflates past the size it declares (caught at the cap, not after)', async () => {
    const zip = await zipOf({
      '[Content_Types].xml': '<Types/>',
      'word/document.xml': Buffer.alloc(8 * MB, 0x41),
    });
    // Rewrite the declared size of document.xml to 1 KB in both headers: a liar that passes the directory check.
    const name = Buffer.from('word/document.xml');
    for (let at = zip.indexOf(name); at >= 0; at = zip.indexOf(name, at + 1)) {
      const central = zip.readUInt32LE(at - 46) === 0x02014b50;
      if (central) zip.writeUInt32LE(1024, at - 46 + 24);
      else if (zip.readUInt32LE(at - 30) === 0x04034b50) zip.writeUInt32LE(1024, at - 30 + 22);
    }
    const error = await extractDocument(zip, 'noi-doi.docx').catch((e: unknown) => e as PlanParseError);
    expect(error).toBeInstanceOf(PlanParseError);
    expect((error as PlanParseError).code).toBe('ARCHIVE_TOO_LARGE');
    expect((error as PlanParseError).message).toMatch(/nhiều hơn kích thước khai báo/u);
  });

  it('refuses a truncated archive as a damaged .docx', async () => {
    const raw = deflateRawSync(Buffer.from('abc'));
    expect(
      await codeOf(async () => guardZip(Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), raw]))),
    ).toBe('UNSUPPORTED_FORMAT');
  });
});

describe('parsing in a worker thread', () => {
  // 4 MB of plan: far more work than the limits below allow.
  const huge = `${SAMPLE}\n${'- Rà soát, tổng hợp số liệu trẻ em có hoàn cảnh đặc biệt trên địa bàn.\n'.repeat(40_000)}`;

  it('terminates a parse that runs past its wall-clock limit, and the caller keeps running', async () => {
    let ticks = 0;
    const ticker = setInterval(() => (ticks += 1), 20);
    const started = Date.now();
    const code = await codeOf(() =>
      parseInWorker({ text: huge, format: 'markdown' }, directory, {}, { timeoutMs: 400, maxHeapMb: 512 }),
    );
    clearInterval(ticker);
    expect(code).toBe('PARSE_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(3000);
    // The calling thread's event loop kept turning during the parse (a blocked loop fires a 20 ms timer at most
    // once, after it unblocks; a loaded 2-core machine may still skip a few).
    expect(ticks).toBeGreaterThanOrEqual(3);
  });

  it('stops a parse that outgrows its memory limit', async () => {
    // Sixteen times the text above (~50 MB, let through by maxBytes) cannot be allocated at all in a 16 MB heap:
    // it fails at once, where a text close to the limit can keep the collector busy for a minute on a loaded machine.
    const code = await codeOf(() =>
      parseInWorker(
        { text: huge.repeat(16), format: 'markdown' },
        directory,
        { maxBytes: 256 * 1024 * 1024 },
        { timeoutMs: 60_000, maxHeapMb: 16 },
      ),
    );
    expect(code).toBe('PARSE_MEMORY_LIMIT');
  });

  it('passes the parser own refusals through with their code', async () => {
    expect(await codeOf(() => parseInWorker({ text: 'Xin chào', format: 'text' }, directory))).toBe(
      'NOT_A_PLAN',
    );
  });
});

describe('layout rebuilding', () => {
  const word = (text: string, xMin: number, y: number, width = text.length * 6): PositionedWord => ({
    text,
    xMin,
    xMax: xMin + width,
    yMin: y,
    yMax: y + 12,
    confidence: 90,
  });
  const line = (text: string, x: number, y: number): PositionedWord[] => {
    let at = x;
    return text.split(' ').map((t) => {
      const w = word(t, at, y);
      at = w.xMax + 3;
      return w;
    });
  };

  it('joins lines of a justified paragraph, keeps numbered items apart and drops a page number at the foot', () => {
    const body =
      'Tăng cường sự lãnh đạo chỉ đạo của các cấp ủy Đảng chính quyền và đoàn thể trong công tác này';
    const page = {
      width: 600,
      height: 800,
      lines: [
        line(body, 50, 100),
        line('trẻ em.', 50, 115),
        line(body, 50, 135),
        line('1. Mục đích', 50, 150),
        line('7', 295, 770),
      ],
    };
    // Widen the first line of each paragraph to the right margin, as justification does.
    for (const l of [page.lines[0], page.lines[2]]) l[l.length - 1].xMax = 560;
    expect(rebuildLines([page]).map((l) => l.text)).toEqual([`${body} trẻ em.`, body, '1. Mục đích']);
  });

  it("keeps a footnote whose mark and first word pdftotext handed over apart ('³Kế' | 'hoạch …') as one line, not a table row", () => {
    const mark: PositionedWord = { text: '3', xMin: 50, xMax: 54, yMin: 98, yMax: 105, confidence: null };
    const rest = line('hoạch số 58/KH-SLĐTBXH ngày 31/3/2020 của Sở Lao động -', 70, 100);
    const page = { width: 600, height: 800, lines: [[mark, word('Kế', 54, 100)], rest] };
    const texts = rebuildLines([page]).map((l) => l.text);
    expect(texts).toEqual(['<sup>3</sup>Kế hoạch số 58/KH-SLĐTBXH ngày 31/3/2020 của Sở Lao động -']);
  });

  it('still writes side-by-side columns of one printed row as a table row', () => {
    const page = {
      width: 600,
      height: 800,
      lines: [line('UBND HUYỆN VĂN QUAN', 40, 60), line('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 300, 60)],
    };
    expect(rebuildLines([page]).map((l) => l.text)).toEqual([
      '| UBND HUYỆN VĂN QUAN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |',
    ]);
  });
});

describe('intake on arbitrary input (fuzz)', () => {
  it('never loses a word when rebuilding lines, whatever the boxes', () => {
    const wordArb = fc.record({
      text: fc.stringMatching(/^[A-Za-zÀ-ỹ0-9.,;:]{1,12}$/),
      x: fc.integer({ min: 0, max: 560 }),
      y: fc.integer({ min: 0, max: 800 }),
      w: fc.integer({ min: 1, max: 120 }),
      h: fc.integer({ min: 4, max: 20 }),
    });
    fc.assert(
      fc.property(fc.array(fc.array(wordArb, { minLength: 1, maxLength: 8 }), { maxLength: 30 }), (lines) => {
        const page = {
          width: 600,
          height: 842,
          lines: lines.map((l) =>
            l.map((w) => ({
              text: w.text,
              xMin: w.x,
              xMax: w.x + w.w,
              yMin: w.y,
              yMax: w.y + w.h,
              confidence: 50,
            })),
          ),
        };
        const out = rebuildLines([page])
          .map((l) => l.text)
          .join(' ');
        const words = lines.flat().map((w) => w.text);
        // Page-number lines at the page edges are the only words allowed to go.
        for (const w of words) if (!/^\d{1,4}$/.test(w)) expect(out).toContain(w);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses any bytes named .docx with a PlanParseError or converts them, never crashes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), fc.boolean(), async (bytes, zipMagic) => {
        const buf = Buffer.from(zipMagic ? [0x50, 0x4b, 0x03, 0x04, ...bytes] : bytes);
        const outcome = await extractDocument(buf, 'x.docx').then(
          () => 'converted',
          (e: unknown) => (e instanceof PlanParseError ? 'refused' : `crashed: ${String(e)}`),
        );
        expect(['converted', 'refused']).toContain(outcome);
      }),
      { numRuns: 150 },
    );
  });
});
