import { extname } from 'node:path';
import { type OrganisationDirectory } from '../../../domain/src/organisation';
import { type PlanWarning } from '../../../domain/src/plan';
import { docxToMarkdown } from '../docx';
import { PlanParseError } from '../errors';
import { DEFAULT_MAX_BYTES, type ParsePlanResult } from '../parse-plan';
import { type PositionedPage, type RebuiltLine, rebuildLines } from './layout';
import { DEFAULT_OCR, DEFAULT_PDF_LIMITS, type OcrOptions, type PdfLimits, readImage, readPdf } from './pdf';
import { DEFAULT_WORKER_LIMITS, parseInWorker, type WorkerLimits } from './worker';
import { DEFAULT_ZIP_LIMITS, guardZip, type ZipLimits } from './zip-guard';

export type DocumentKind = 'markdown' | 'text' | 'docx' | 'pdf-text' | 'pdf-scan' | 'image';

export interface ExtractedDocument {
  kind: DocumentKind;
  /** Handed to parsePlan; warning line numbers refer to it (for docx: the converted Markdown). */
  text: string;
  format: 'markdown' | 'text';
  /** 1 for md/txt/docx/image. */
  pages: number;
  /** For OCR'd text: mean word confidence (0–100) and the 1-based lines of `text` below the threshold. */
  ocr: { meanConfidence: number; lowConfidenceLines: number[] } | null;
  /** LOW_CONFIDENCE_OCR per low-confidence run of lines, conversion messages. */
  warnings: PlanWarning[];
}

export interface IntakeOptions {
  /** Upper bound on the UTF-8 size of the extracted text (the parser's own cap); default 5 MB. */
  maxTextBytes?: number;
  /** OCR lines with a mean word confidence below this are marked for review; default 70. */
  lowConfidence?: number;
  zip?: Partial<ZipLimits>;
  pdf?: Partial<PdfLimits>;
  ocr?: Partial<OcrOptions>;
  /** Lowered by tests to show the limits fire. */
  worker?: Partial<WorkerLimits>;
  fallbackYear?: number;
}

export { DEFAULT_ZIP_LIMITS, guardZip, readZipDirectory, type ZipLimits } from './zip-guard';
export { DEFAULT_WORKER_LIMITS, parseInWorker, type WorkerLimits } from './worker';
export { DEFAULT_PDF_LIMITS, DEFAULT_OCR, type PdfLimits, type OcrOptions } from './pdf';
export { ocrAvailable } from './tools';

export const DEFAULT_LOW_CONFIDENCE = 70;

type Sniffed = 'pdf' | 'zip' | 'png' | 'jpeg' | 'text';

const startsWith = (bytes: Buffer, magic: readonly number[], at = 0): boolean =>
  magic.every((b, i) => bytes[at + i] === b);

/** What the bytes are, whatever the name says. */
function sniff(bytes: Buffer): Sniffed | null {
  // Some generators put a few bytes of junk before the header; PDF readers accept it within 1 KB.
  if (bytes.subarray(0, 1024).includes('%PDF-')) return 'pdf';
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return 'zip';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  // Notepad's "Unicode" is UTF-16 with a byte-order mark, full of NUL bytes but text all the same.
  if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff])) return 'text';
  // Text has no NUL in its first kilobytes; the parser's own guard judges the rest.
  if (!bytes.subarray(0, 8192).includes(0)) return 'text';
  return null;
}

const EXPECTED: Record<string, Sniffed> = {
  '.pdf': 'pdf',
  '.docx': 'zip',
  '.png': 'png',
  '.jpg': 'jpeg',
  '.jpeg': 'jpeg',
  '.md': 'text',
  '.markdown': 'text',
  '.txt': 'text',
};

const DESCRIBED: Record<Sniffed, string> = {
  pdf: 'một tệp PDF',
  zip: 'một tệp nén (zip/.docx)',
  png: 'một ảnh PNG',
  jpeg: 'một ảnh JPEG',
  text: 'văn bản thuần',
};

const ACCEPTED = 'Chỉ nhận .pdf, .docx, .jpg, .png, .md hoặc .txt.';

function lowConfidenceWarnings(
  lines: readonly RebuiltLine[],
  threshold: number,
): { warnings: PlanWarning[]; low: number[] } {
  const low: number[] = [];
  lines.forEach((l, i) => {
    if (l.confidence !== null && l.confidence < threshold) low.push(i + 1);
  });
  // One warning per run of consecutive lines, so a smudged paragraph is one item to check, not ten.
  const warnings: PlanWarning[] = [];
  for (let i = 0; i < low.length;) {
    let j = i;
    while (j + 1 < low.length && low[j + 1] === low[j] + 1) j += 1;
    const first = low[i];
    const last = low[j];
    const conf = Math.round(Math.min(...low.slice(i, j + 1).map((n) => lines[n - 1].confidence ?? 0)));
    warnings.push({
      code: 'LOW_CONFIDENCE_OCR',
      message:
        first === last
          ? `Dòng ${first} nhận dạng chữ (OCR) với độ tin cậy thấp (${conf}%): đối chiếu với bản giấy.`
          : `Các dòng ${first}–${last} nhận dạng chữ (OCR) với độ tin cậy thấp (từ ${conf}%): đối chiếu với bản giấy.`,
      section: null,
      line: first,
      text: lines[first - 1].text.slice(0, 300),
    });
    i = j + 1;
  }
  return { warnings, low };
}

function fromPages(
  kind: 'pdf-text' | 'pdf-scan' | 'image',
  pages: readonly PositionedPage[],
  threshold: number,
  maxTextBytes: number,
): ExtractedDocument {
  const lines = rebuildLines(pages);
  const text = lines.map((l) => l.text).join('\n') + '\n';
  if (Buffer.byteLength(text, 'utf8') > maxTextBytes) throw new PlanParseError('TOO_LARGE');
  if (lines.length === 0) {
    throw new PlanParseError(
      'EMPTY_DOCUMENT',
      kind === 'pdf-text' ? undefined : 'Không nhận dạng được chữ nào trên ảnh/bản scan.',
    );
  }
  const words = pages.flatMap((p) => p.lines.flat()).filter((w) => w.confidence !== null);
  const ocr =
    kind === 'pdf-text'
      ? null
      : (() => {
          const { warnings, low } = lowConfidenceWarnings(lines, threshold);
          const meanConfidence =
            words.length === 0
              ? 0
              : Math.round((words.reduce((s, w) => s + (w.confidence ?? 0), 0) / words.length) * 10) / 10;
          return { meanConfidence, lowConfidenceLines: low, warnings };
        })();
  return {
    kind,
    text,
    format: 'text',
    pages: kind === 'image' ? 1 : pages.length,
    ocr: ocr && { meanConfidence: ocr.meanConfidence, lowConfidenceLines: ocr.lowConfidenceLines },
    warnings: ocr?.warnings ?? [],
  };
}

/**
 * Turns an uploaded document into the text the parser reads. Dispatch is by content (magic bytes); the
 * extension must agree with it, so a renamed file is refused with a message saying what it really is.
 */
export async function extractDocument(
  bytes: Buffer,
  fileName: string,
  options: IntakeOptions = {},
): Promise<ExtractedDocument> {
  const maxTextBytes = options.maxTextBytes ?? DEFAULT_MAX_BYTES;
  const threshold = options.lowConfidence ?? DEFAULT_LOW_CONFIDENCE;
  const ext = extname(fileName).toLowerCase();
  const expected = EXPECTED[ext];
  if (!expected)
    throw new PlanParseError(
      'UNSUPPORTED_FORMAT',
      `Tệp "${fileName}" có đuôi không được hỗ trợ. ${ACCEPTED}`,
    );
  if (bytes.length === 0) throw new PlanParseError('EMPTY_DOCUMENT');
  const actual = sniff(bytes);
  if (actual !== expected) {
    const what = actual ? DESCRIBED[actual] : 'dữ liệu nhị phân không rõ loại';
    throw new PlanParseError(
      'UNSUPPORTED_FORMAT',
      `Tệp "${fileName}" có đuôi ${ext} nhưng nội dung là ${what}. ${ACCEPTED}`,
    );
  }
  const pdf = { ...DEFAULT_PDF_LIMITS, ...options.pdf };
  const ocr = { ...DEFAULT_OCR, ...options.ocr };
  switch (actual) {
    case 'text': {
      if (bytes.length > maxTextBytes) throw new PlanParseError('TOO_LARGE');
      // Fatal decoding would throw on stray bytes; replacement characters let the parser call it binary.
      const encoding = startsWith(bytes, [0xff, 0xfe])
        ? 'utf-16le'
        : startsWith(bytes, [0xfe, 0xff])
          ? 'utf-16be'
          : 'utf-8';
      const text = new TextDecoder(encoding).decode(bytes);
      const format = ext === '.txt' ? 'text' : 'markdown';
      return { kind: format, text, format, pages: 1, ocr: null, warnings: [] };
    }
    case 'zip': {
      guardZip(bytes, { ...DEFAULT_ZIP_LIMITS, ...options.zip });
      // The zip's declared size, not the upload's, is what the guard bounds; the parser caps the Markdown.
      const { markdown, messages } = await docxToMarkdown(bytes, Number.MAX_SAFE_INTEGER);
      if (Buffer.byteLength(markdown, 'utf8') > maxTextBytes) throw new PlanParseError('TOO_LARGE');
      const warnings: PlanWarning[] = messages.map((message) => ({
        code: 'CONVERSION_MESSAGE',
        message: `Chuyển đổi .docx: ${message}`,
        section: null,
        line: null,
        text: message,
      }));
      return { kind: 'docx', text: markdown, format: 'markdown', pages: 1, ocr: null, warnings };
    }
    case 'pdf': {
      const { pages, ocrPages } = await readPdf(bytes, pdf, ocr);
      return fromPages(ocrPages.length > 0 ? 'pdf-scan' : 'pdf-text', pages, threshold, maxTextBytes);
    }
    case 'png':
    case 'jpeg': {
      const page = await readImage(bytes, actual === 'png' ? 'png' : 'jpg', pdf.ocrBudgetMs, ocr);
      return fromPages('image', [page], threshold, maxTextBytes);
    }
  }
}

/** Extracts, then parses in a worker thread; extraction warnings come first, then the parser's. */
export async function importDocument(
  bytes: Buffer,
  fileName: string,
  directory: OrganisationDirectory,
  options: IntakeOptions = {},
): Promise<ParsePlanResult & { extracted: ExtractedDocument }> {
  const extracted = await extractDocument(bytes, fileName, options);
  const result = await parseInWorker(
    { text: extracted.text, format: extracted.format },
    directory,
    { maxBytes: options.maxTextBytes ?? DEFAULT_MAX_BYTES, fallbackYear: options.fallbackYear },
    { ...DEFAULT_WORKER_LIMITS, ...options.worker },
  );
  return { ...result, warnings: [...extracted.warnings, ...result.warnings], extracted };
}
