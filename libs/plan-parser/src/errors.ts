export const PLAN_PARSE_ERROR_CODES = [
  'EMPTY_DOCUMENT',
  'BINARY_CONTENT',
  'TOO_LARGE',
  'NOT_A_PLAN',
  'UNSUPPORTED_FORMAT',
  /** The parser produced something the plan schema rejects: a parser bug, reported rather than crashing. */
  'INVALID_STRUCTURE',
  /** A .docx (zip) that declares or inflates past the intake caps: refused before it is inflated. */
  'ARCHIVE_TOO_LARGE',
  /** The server lacks tesseract-ocr / tesseract-ocr-vie (scans, photos) or poppler-utils (PDF). */
  'OCR_UNAVAILABLE',
  'PDF_TOOLS_UNAVAILABLE',
  /** pdftotext, pdftoppm or tesseract failed on the file (damaged, encrypted, not what it claims). */
  'UNREADABLE_DOCUMENT',
  /** Text extraction or OCR ran past its time budget. */
  'EXTRACTION_TIMEOUT',
  /** Parsing in its worker thread ran past its wall-clock limit or its memory limit. */
  'PARSE_TIMEOUT',
  'PARSE_MEMORY_LIMIT',
] as const;
export type PlanParseErrorCode = (typeof PLAN_PARSE_ERROR_CODES)[number];

const MESSAGES: Record<PlanParseErrorCode, string> = {
  EMPTY_DOCUMENT: 'Văn bản trống, không có nội dung để nhập.',
  BINARY_CONTENT: 'Tệp không phải văn bản (có dữ liệu nhị phân).',
  TOO_LARGE: 'Văn bản vượt quá dung lượng cho phép.',
  NOT_A_PLAN: 'Văn bản không có cấu trúc của một kế hoạch (tiêu đề KẾ HOẠCH và các mục La Mã).',
  UNSUPPORTED_FORMAT: 'Định dạng tệp không được hỗ trợ.',
  INVALID_STRUCTURE: 'Không dựng được kế hoạch hợp lệ từ văn bản.',
  ARCHIVE_TOO_LARGE: 'Tệp .docx giải nén ra quá lớn hoặc bất thường, đã từ chối trước khi giải nén.',
  OCR_UNAVAILABLE: 'Máy chủ chưa sẵn sàng nhận dạng chữ (OCR) cho văn bản scan hoặc ảnh chụp.',
  PDF_TOOLS_UNAVAILABLE: 'Máy chủ chưa sẵn sàng đọc tệp PDF.',
  UNREADABLE_DOCUMENT: 'Không đọc được nội dung tệp (tệp hỏng, có mật khẩu hoặc không đúng định dạng).',
  EXTRACTION_TIMEOUT: 'Trích nội dung tệp quá thời gian cho phép.',
  PARSE_TIMEOUT: 'Phân tích văn bản quá thời gian cho phép.',
  PARSE_MEMORY_LIMIT: 'Phân tích văn bản vượt quá bộ nhớ cho phép.',
};

/** The only error the parser throws; callers switch on `code`, never on the message. */
export class PlanParseError extends Error {
  constructor(
    readonly code: PlanParseErrorCode,
    readonly detail?: string,
  ) {
    super(detail ? `${MESSAGES[code]} ${detail}` : MESSAGES[code]);
    this.name = 'PlanParseError';
  }
}
