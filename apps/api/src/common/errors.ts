import { HttpStatus } from '@nestjs/common';
import { ApiErrorCode } from '@app/contracts';

export { ApiErrorCode } from '@app/contracts';

export const STATUS_OF: Record<ApiErrorCode, HttpStatus> = {
  [ApiErrorCode.VALIDATION_FAILED]: HttpStatus.BAD_REQUEST,
  [ApiErrorCode.NOT_FOUND]: HttpStatus.NOT_FOUND,
  [ApiErrorCode.METHOD_NOT_ALLOWED]: HttpStatus.METHOD_NOT_ALLOWED,
  [ApiErrorCode.INVALID_TRANSITION]: HttpStatus.CONFLICT,
  [ApiErrorCode.CONFLICT]: HttpStatus.CONFLICT,
  [ApiErrorCode.UNAUTHENTICATED]: HttpStatus.UNAUTHORIZED,
  [ApiErrorCode.FORBIDDEN]: HttpStatus.FORBIDDEN,
  [ApiErrorCode.CSRF_FAILED]: HttpStatus.FORBIDDEN,
  [ApiErrorCode.INVALID_CREDENTIALS]: HttpStatus.UNAUTHORIZED,
  [ApiErrorCode.LOGIN_THROTTLED]: HttpStatus.TOO_MANY_REQUESTS,
  [ApiErrorCode.RATE_LIMITED]: HttpStatus.TOO_MANY_REQUESTS,
  [ApiErrorCode.QUOTA_EXCEEDED]: HttpStatus.PAYLOAD_TOO_LARGE,
  [ApiErrorCode.UNSUPPORTED_MEDIA_TYPE]: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  // A limit hit is the request's doing (too wide a query), not the server failing: a 4xx, never a 5xx.
  [ApiErrorCode.QUERY_TIMEOUT]: HttpStatus.REQUEST_TIMEOUT,
  [ApiErrorCode.PAYLOAD_TOO_LARGE]: HttpStatus.PAYLOAD_TOO_LARGE,
  [ApiErrorCode.SERVICE_UNAVAILABLE]: HttpStatus.SERVICE_UNAVAILABLE,
  [ApiErrorCode.INTERNAL]: HttpStatus.INTERNAL_SERVER_ERROR,
};

const MESSAGES: Record<ApiErrorCode, { vi: string; en: string }> = {
  VALIDATION_FAILED: { vi: 'Dữ liệu gửi lên không hợp lệ', en: 'The request is not valid' },
  NOT_FOUND: { vi: 'Không tìm thấy', en: 'Not found' },
  METHOD_NOT_ALLOWED: { vi: 'Địa chỉ này không nhận phương thức HTTP đó', en: 'This address does not take that HTTP method' },
  INVALID_TRANSITION: { vi: 'Không thể thực hiện thao tác ở trạng thái hiện tại', en: 'This action is not allowed in the current state' },
  CONFLICT: { vi: 'Dữ liệu đã thay đổi hoặc đã tồn tại', en: 'Conflict with the current data' },
  UNAUTHENTICATED: { vi: 'Vui lòng đăng nhập', en: 'Please sign in' },
  FORBIDDEN: { vi: 'Bạn không có quyền thực hiện thao tác này', en: 'You are not allowed to do this' },
  CSRF_FAILED: { vi: 'Phiên làm việc không hợp lệ, vui lòng tải lại trang', en: 'The request could not be verified; please reload the page' },
  INVALID_CREDENTIALS: { vi: 'Sai tên đăng nhập hoặc mật khẩu', en: 'Wrong username or password' },
  LOGIN_THROTTLED: { vi: 'Đăng nhập sai quá nhiều lần, vui lòng chờ rồi thử lại', en: 'Too many failed sign-ins; please wait and try again' },
  RATE_LIMITED: { vi: 'Bạn đã gửi quá nhiều yêu cầu loại này, vui lòng chờ rồi thử lại', en: 'Too many requests of this kind; please wait and try again' },
  QUOTA_EXCEEDED: { vi: 'Đã vượt giới hạn tệp đính kèm của nhiệm vụ này', en: 'This assignment has reached its attachment limit' },
  QUERY_TIMEOUT: { vi: 'Truy vấn mất quá nhiều thời gian và đã bị dừng; hãy thu hẹp phạm vi rồi thử lại', en: 'The query took too long and was stopped; narrow it down and try again' },
  UNSUPPORTED_MEDIA_TYPE: { vi: 'Định dạng dữ liệu gửi lên không được hỗ trợ', en: 'This content type is not accepted' },
  PAYLOAD_TOO_LARGE: { vi: 'Dữ liệu gửi lên quá lớn', en: 'The request is too large' },
  SERVICE_UNAVAILABLE: { vi: 'Hệ thống tạm thời không sẵn sàng, vui lòng thử lại', en: 'The service is temporarily unavailable' },
  INTERNAL: { vi: 'Đã xảy ra lỗi hệ thống', en: 'An internal error occurred' },
};

export type Lang = 'vi' | 'en';

export function messageFor(code: ApiErrorCode, lang: Lang): string {
  return MESSAGES[code][lang];
}

/** "thử lại sau khoảng 2 phút" / "try again in about 2 minutes": the wait of a 429, rounded up. */
export function waitText(ms: number, lang: Lang): string {
  const s = Math.max(1, Math.ceil(ms / 1000));
  if (s < 90) return lang === 'vi' ? `Thử lại sau ${s} giây.` : `Try again in ${s} seconds.`;
  const m = Math.ceil(s / 60);
  return lang === 'vi' ? `Thử lại sau khoảng ${m} phút.` : `Try again in about ${m} minutes.`;
}

/** A refusal the API explains to the user; `detail` is an already-localised message when given. */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    readonly detail?: string,
    readonly fields?: Record<string, string[]>,
    /** For a 429: how long the caller must wait (sent as Retry-After and said in the message). */
    readonly retryAfterMs?: number,
    /** The message in both languages; the error filter picks the request's. */
    readonly localised?: Readonly<Record<Lang, string>>,
  ) {
    super(detail ?? code);
  }
}

/** A 429 that says how long to wait. */
export function tooManyRequests(code: ApiErrorCode.LOGIN_THROTTLED | ApiErrorCode.RATE_LIMITED, retryAfterMs: number): ApiError {
  return new ApiError(code, undefined, undefined, retryAfterMs);
}
