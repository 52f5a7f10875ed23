import { HttpStatus } from '@nestjs/common';

export enum ApiErrorCode {
  VALIDATION_FAILED = 'VALIDATION_FAILED',
  NOT_FOUND = 'NOT_FOUND',
  INVALID_TRANSITION = 'INVALID_TRANSITION',
  CONFLICT = 'CONFLICT',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
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
