// Why the assignment workflow refuses an Update: the `type` of its ApplicationFailure. The strings are part
// of recorded workflow histories (test/replay), so they never change; the API maps them to an HTTP answer
// and a message in the user's language here, and nowhere else.
import { ApiErrorCode } from './common';

export const WorkflowRefusal = {
  /** The assignment moved to another unit: to the old unit it is as gone as any other unit's work. */
  NOT_ASSIGNEE: 'NOT_ASSIGNEE',
  INVALID_TRANSITION: 'INVALID_TRANSITION',
  INVALID_PROGRESS: 'INVALID_PROGRESS',
  REPORT_TEXT_REQUIRED: 'REPORT_TEXT_REQUIRED',
  COMMENT_REQUIRED: 'COMMENT_REQUIRED',
  EXTENSION_PENDING: 'EXTENSION_PENDING',
  INVALID_DEADLINE: 'INVALID_DEADLINE',
  REASON_REQUIRED: 'REASON_REQUIRED',
  NO_PENDING_EXTENSION: 'NO_PENDING_EXTENSION',
  INVALID_UNIT: 'INVALID_UNIT',
  ALREADY_AMENDED: 'ALREADY_AMENDED',
  INVALID_AMENDMENT: 'INVALID_AMENDMENT',
} as const;
export type WorkflowRefusal = (typeof WorkflowRefusal)[keyof typeof WorkflowRefusal];

export function isWorkflowRefusal(type: unknown): type is WorkflowRefusal {
  return typeof type === 'string' && Object.prototype.hasOwnProperty.call(WorkflowRefusal, type);
}

/** The API's answer to each refusal: `satisfies` makes a new refusal without an answer a compile error. */
export const REFUSAL_ANSWER = {
  NOT_ASSIGNEE: { code: ApiErrorCode.NOT_FOUND, vi: 'Nhiệm vụ không còn được giao cho đơn vị của bạn', en: 'This assignment is no longer your unit’s' },
  INVALID_TRANSITION: {
    code: ApiErrorCode.INVALID_TRANSITION,
    vi: 'Không thể thực hiện thao tác này ở trạng thái hiện tại của nhiệm vụ',
    en: 'This action is not allowed in the assignment’s current state',
  },
  INVALID_PROGRESS: { code: ApiErrorCode.VALIDATION_FAILED, vi: 'Tiến độ phải là số nguyên từ 0 đến 100', en: 'Progress must be a whole number from 0 to 100' },
  REPORT_TEXT_REQUIRED: { code: ApiErrorCode.VALIDATION_FAILED, vi: 'Báo cáo phải có nội dung', en: 'The report needs a text' },
  COMMENT_REQUIRED: { code: ApiErrorCode.VALIDATION_FAILED, vi: 'Trả lại báo cáo phải kèm ý kiến', en: 'Returning a report needs a comment' },
  EXTENSION_PENDING: { code: ApiErrorCode.INVALID_TRANSITION, vi: 'Đã có đề nghị gia hạn đang chờ', en: 'An extension request is already waiting' },
  INVALID_DEADLINE: {
    code: ApiErrorCode.VALIDATION_FAILED,
    vi: 'Hạn mới không hợp lệ: phải là một ngày sau hạn hiện tại',
    en: 'The new deadline is not valid: it must be a date after the current one',
  },
  REASON_REQUIRED: { code: ApiErrorCode.VALIDATION_FAILED, vi: 'Đề nghị gia hạn phải nêu lý do', en: 'An extension request needs a reason' },
  NO_PENDING_EXTENSION: { code: ApiErrorCode.INVALID_TRANSITION, vi: 'Không có đề nghị gia hạn nào đang chờ', en: 'There is no extension request waiting' },
  INVALID_UNIT: { code: ApiErrorCode.VALIDATION_FAILED, vi: 'Đơn vị nhận mới không hợp lệ', en: 'The new unit is not valid' },
  ALREADY_AMENDED: { code: ApiErrorCode.CONFLICT, vi: 'Điều chỉnh này đã được áp dụng', en: 'This amendment has already been applied' },
  INVALID_AMENDMENT: { code: ApiErrorCode.VALIDATION_FAILED, vi: 'Điều chỉnh không thuộc nhiệm vụ này', en: 'This amendment is not for this assignment' },
} as const satisfies Record<WorkflowRefusal, { code: ApiErrorCode; vi: string; en: string }>;
