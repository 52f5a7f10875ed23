// The wire types of the API, from its contracts (libs/contracts): type-only, so nothing of the server's
// code reaches the bundle. The two lists below are values the UI iterates over, checked against them.
import type {
  AssignmentDetail as ContractAssignmentDetail,
  AssignmentListItem as ContractListItem,
  AssignmentStatus,
  PlanChange,
  Session,
  Timeliness,
} from '@app/contracts';

export type {
  ActionResult,
  ActivationPreview,
  ActivationProgress,
  AmendmentPreview,
  AmendmentResult,
  AmendmentView,
  AssignmentEvent,
  Attachment,
  AssignmentStatus,
  CaughtMail,
  DashboardSummary,
  Deadline,
  DeadlineInput,
  DutyFields,
  DutyOp,
  ExtensionRequest,
  Indicator,
  IndicatorProgress,
  IndicatorValue,
  InboxQuery,
  InboxResponse,
  ItemCompletion,
  MailAddress,
  Matrix,
  Objective,
  Paged,
  PlanDocument,
  PlanStatus,
  PlanSummary,
  PlanView,
  RecurrenceKind,
  ReportingRule,
  Responsibility,
  ResponsibilitySection,
  Role,
  SentNotification,
  Session,
  SourceLocation,
  Submission,
  Task,
  Timeliness,
  TimelinessCounts,
  TimelinePoint,
  UnitCompletion,
  UnitRef,
  ValidationResult,
} from '@app/contracts';

export type AuthUser = Session['user'];
export type AssignmentAction = import('@app/contracts').AssignmentActionBody;
export type { PlanChange };
export type PlanWarning = import('@app/contracts').PlanWarningView;
/** A list row as the queues and the overdue list send it (they add one field each). */
export type AssignmentListItem = ContractListItem & { submittedAt?: string | null; daysLate?: number };
export type AssignmentDetail = ContractAssignmentDetail;

export const TIMELINESS = ['done_on_time', 'done_late', 'open_on_time', 'due_soon', 'open_overdue', 'no_deadline'] as const satisfies readonly Timeliness[];
export const STATUSES = ['assigned', 'acknowledged', 'in_progress', 'submitted', 'returned', 'done', 'cancelled'] as const satisfies readonly AssignmentStatus[];
