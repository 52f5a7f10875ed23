import { HttpStatus } from '@nestjs/common';

export enum ApiErrorCode {
  VALIDATION_FAILED = 'VALIDATION_FAILED',
  NOT_FOUND = 'NOT_FOUND',
  INVALID_TRANSITION = 'INVALID_TRANSITION',
  CONFLICT = 'CONFLICT',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  CSRF_FAILED = 'CSRF_FAILED',
  INVALID_CREDENTIALS = 'INVALID_CREDENTIALS',
  LOGIN_THROTTLED = 'LOGIN_THROTTLED',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
  INTERNAL = 'INTERNAL',
}

export const STATUS_OF: Record<ApiErrorCode, HttpStatus> = {
  [ApiErrorCode.VALIDATION_FAILED]: HttpStatus.BAD_REQUEST,
  [ApiErrorCode.NOT_FOUND]: HttpStatus.NOT_FOUND,
  [ApiErrorCode.INVALID_TRANSITION]: HttpStatus.CONFLICT,
  [ApiErrorCode.CONFLICT]: HttpStatus.CONFLICT,
  [ApiErrorCode.UNAUTHENTICATED]: HttpStatus.UNAUTHORIZED,
  [ApiErrorCode.FORBIDDEN]: HttpStatus.FORBIDDEN,
  [ApiErrorCode.CSRF_FAILED]: HttpStatus.FORBIDDEN,
  [ApiErrorCode.INVALID_CREDENTIALS]: HttpStatus.UNAUTHORIZED,
  [ApiErrorCode.LOGIN_THROTTLED]: HttpStatus.TOO_MANY_REQUESTS,
  [ApiErrorCode.PAYLOAD_TOO_LARGE]: HttpStatus.PAYLOAD_TOO_LARGE,
  [ApiErrorCode.SERVICE_UNAVAILABLE]: HttpStatus.SERVICE_UNAVAILABLE,
  [ApiErrorCode.INTERNAL]: HttpStatus.INTERNAL_SERVER_ERROR,
};

const MESSAGES: Record<ApiErrorCode, { vi: string; en: string }> = {
  VALIDATION_FAILED: { vi: 'Dữ liệu gửi lên không hợp lệ', en: 'The request is not valid' },
  NOT_FOUND: { vi: 'Không tìm thấy', en: 'Not found' },
  INVALID_TRANSITION: { vi: 'Không thể thực hiện thao tác ở trạng thái hiện tại', en: 'This action is not allowed in the current state' },
  CONFLICT: { vi: 'Dữ liệu đã thay đổi hoặc đã tồn tại', en: 'Conflict with the current data' },
  UNAUTHENTICATED: { vi: 'Vui lòng đăng nhập', en: 'Please sign in' },
  FORBIDDEN: { vi: 'Bạn không có quyền thực hiện thao tác này', en: 'You are not allowed to do this' },
  CSRF_FAILED: { vi: 'Phiên làm việc không hợp lệ, vui lòng tải lại trang', en: 'The request could not be verified; please reload the page' },
  INVALID_CREDENTIALS: { vi: 'Sai tên đăng nhập hoặc mật khẩu', en: 'Wrong username or password' },
  LOGIN_THROTTLED: { vi: 'Đăng nhập sai quá nhiều lần, vui lòng thử lại sau 15 phút', en: 'Too many failed sign-ins; please try again in 15 minutes' },
  PAYLOAD_TOO_LARGE: { vi: 'Dữ liệu gửi lên quá lớn', en: 'The request is too large' },
  SERVICE_UNAVAILABLE: { vi: 'Hệ thống tạm thời không sẵn sàng, vui lòng thử lại', en: 'The service is temporarily unavailable' },
  INTERNAL: { vi: 'Đã xảy ra lỗi hệ thống', en: 'An internal error occurred' },
};

export type Lang = 'vi' | 'en';

export function messageFor(code: ApiErrorCode, lang: Lang): string {
  return MESSAGES[code][lang];
}

/** A refusal the API explains to the user; `detail` is an already-localised message when given. */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    readonly detail?: string,
    readonly fields?: Record<string, string[]>,
  ) {
    super(detail ?? code);
  }
}
