export const PLAN_PARSE_ERROR_CODES = [
  'EMPTY_DOCUMENT',
  'BINARY_CONTENT',
  'TOO_LARGE',
  'NOT_A_PLAN',
  'UNSUPPORTED_FORMAT',
  /** The parser produced something the plan schema rejects: a parser bug, reported rather than crashing. */
  'INVALID_STRUCTURE',
] as const;
export type PlanParseErrorCode = (typeof PLAN_PARSE_ERROR_CODES)[number];

const MESSAGES: Record<PlanParseErrorCode, string> = {
  EMPTY_DOCUMENT: 'Văn bản trống, không có nội dung để nhập.',
  BINARY_CONTENT: 'Tệp không phải văn bản (có dữ liệu nhị phân).',
  TOO_LARGE: 'Văn bản vượt quá dung lượng cho phép.',
  NOT_A_PLAN: 'Văn bản không có cấu trúc của một kế hoạch (tiêu đề KẾ HOẠCH và các mục La Mã).',
  UNSUPPORTED_FORMAT: 'Định dạng tệp không được hỗ trợ.',
  INVALID_STRUCTURE: 'Không dựng được kế hoạch hợp lệ từ văn bản.',
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
