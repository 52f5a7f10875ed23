// Wire types of docs/api-contract.md and docs/accounts.md, as the browser receives them (dates are ISO strings).

export type Role = 'admin' | 'coordinator' | 'leader' | 'unit_head' | 'unit_officer';

export interface AuthUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  unitCode: string | null;
  locale: string;
}

export interface Session {
  user: AuthUser;
  csrfToken: string;
}

export const TIMELINESS = ['done_on_time', 'done_late', 'open_on_time', 'due_soon', 'open_overdue', 'no_deadline'] as const;
export type Timeliness = (typeof TIMELINESS)[number];

export const STATUSES = ['assigned', 'acknowledged', 'in_progress', 'submitted', 'returned', 'done', 'cancelled'] as const;
export type AssignmentStatus = (typeof STATUSES)[number];

export interface Paged<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface AssignmentListItem {
  workflowId: string;
  planId: string;
  planTitle: string;
  itemKey: string;
  kind: 'responsibility' | 'report';
  title: string;
  unitCode: string;
  unitName: string;
  periodKey: string;
  periodLabel: string;
  status: AssignmentStatus;
  timeliness: Timeliness | null;
  deadline: string | null;
  daysLeft: number | null;
  progress: number;
  escalationLevel: number;
  updatedAt: string;
  submittedAt?: string | null;
  daysLate?: number;
}

export interface InboxResponse extends Paged<AssignmentListItem> {
  counts: { byStatus: Partial<Record<AssignmentStatus, number>>; byTimeliness: Partial<Record<Timeliness, number>> };
}

export interface InboxQuery {
  status?: AssignmentStatus;
  timeliness?: Timeliness;
  planId?: string;
  dueWithinDays?: number;
  q?: string;
  unitCode?: string;
  sort?: 'deadline' | '-deadline' | 'updated';
  page?: number;
  pageSize?: number;
}

export interface Attachment {
  id: string;
  name: string;
  size: number;
  contentType?: string;
}

export interface IndicatorValue {
  indicatorKey: string;
  value: number;
  denominator?: number;
}

export interface Submission {
  text: string;
  indicatorValues: IndicatorValue[];
  attachments: Attachment[];
  submittedAt: string;
  submittedBy: string;
}

export interface ExtensionRequest {
  newDeadline: string;
  reason: string;
  requestedBy: string;
  requestedAt: string;
}

export interface SourceLocation {
  section: string | null;
  line: number;
  endLine: number;
}

export interface AssignmentEvent {
  seq: number;
  type: string;
  actor: string;
  actorName?: string | null;
  at: string;
  comment?: string | null;
  data?: Record<string, unknown> | null;
}

export interface SentNotification {
  stepKey: string;
  kind: string;
  recipient: string;
  status: string;
  sentAt: string | null;
  subject: string | null;
}

export interface AssignmentDetail {
  assignment: AssignmentListItem & {
    role?: 'lead' | 'coordinate';
    leadUnitCode?: string | null;
    progressNote?: string | null;
    submission?: Submission | null;
    pendingExtension?: ExtensionRequest | null;
    completedAt?: string | null;
  };
  plan?: { id: string; number: string | null; title: string };
  place?: { sectionKey: string; sectionHeading: string; text: string; source: SourceLocation } | null;
  events: AssignmentEvent[];
  notifications?: SentNotification[];
}

export type AssignmentAction =
  | { type: 'acknowledge'; comment?: string }
  | { type: 'progress'; percent: number; comment?: string }
  | { type: 'submit'; text: string; indicatorValues?: IndicatorValue[]; attachments?: Array<{ id: string; name: string; size: number }> }
  | { type: 'approve'; comment?: string }
  | { type: 'return'; comment: string }
  | { type: 'request-extension'; newDeadline: string; reason: string }
  | { type: 'decide-extension'; grant: boolean; comment?: string };

/** The part of the workflow's snapshot an action answers with that the UI reads. */
export interface ActionResult {
  status: AssignmentStatus;
  progress: number;
  submission?: Submission | null;
  pendingExtension?: ExtensionRequest | null;
}

// ---- plans ----

export type PlanStatus = 'draft' | 'active' | 'closed' | 'cancelled';

export interface UnitRef {
  kind: 'unit' | 'group';
  code: string | null;
  text: string;
}

export interface Deadline {
  date: string | null;
  kind: 'explicit' | 'suggested';
  reason: string;
  workingDays?: number;
  relativeTo?: string;
}

export type RecurrenceKind = 'once' | 'monthly' | 'quarterly' | 'semiannual' | 'annual';

export interface Indicator {
  kind: 'percent' | 'ratio' | 'count' | 'zero';
  target: number;
  denominator?: number;
  unitText?: string;
  subject: string;
}

export interface Objective {
  key: string;
  number: number;
  text: string;
  indicators: Indicator[];
  source: SourceLocation;
}

export interface Task {
  key: string;
  number: number;
  text: string;
  leadUnitRefs: UnitRef[];
  coordinatingUnitRefs: UnitRef[];
  source: SourceLocation;
}

export interface ResponsibilitySection {
  key: string;
  heading: string;
  unitRef: UnitRef;
  source: SourceLocation;
}

export interface Responsibility {
  key: string;
  sectionKey: string;
  unitRef: UnitRef;
  role: 'lead' | 'coordinate';
  leadUnitRefs?: UnitRef[];
  coordinatingUnitRefs?: UnitRef[];
  text: string;
  deadline: Deadline | null;
  recurrence: { kinds: RecurrenceKind[]; cue?: string };
  source: SourceLocation;
}

export interface ReportingRule {
  key: string;
  reporterRefs: UnitRef[];
  recipientText: string;
  period: 'monthly' | 'quarterly' | 'semiannual' | 'annual';
  deadline: Deadline;
  text: string;
  source: SourceLocation;
}

export interface PlanDocument {
  metadata: { number: string | null; title: string; issuer: string; issueDate: string | null; year: number };
  objectives: Objective[];
  tasks: Task[];
  responsibilitySections: ResponsibilitySection[];
  responsibilities: Responsibility[];
  reportingRules: ReportingRule[];
}

export interface PlanWarning {
  index: number;
  code: string;
  message: string;
  section: string | null;
  line: number | null;
  text: string;
  resolved: boolean;
  resolution?: { note: string; by: string; at: string };
}

export interface PlanView {
  id: string;
  status: PlanStatus;
  revision: number;
  plan: PlanDocument;
  warnings: PlanWarning[];
  source: { name: string | null; lines: Array<{ number: number; text: string }> };
  createdAt: string;
  updatedAt: string;
  activatedAt: string | null;
}

export interface PlanSummary {
  id: string;
  number: string | null;
  title: string;
  year: number;
  status: PlanStatus;
  revision: number;
  warningCount: number;
  unresolvedWarningCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface PlanChange {
  op?: 'set' | 'remove';
  path: string;
  value?: unknown;
}

/** A deadline as the coordinator sets it: a date, or working days from the signing date. */
export type DeadlineInput = { date: string } | { workingDays: number };

/** Fields of a duty in a draft edit; units by directory code (a unit or a group). */
export interface DutyFields {
  text?: string;
  unit?: string;
  role?: 'lead' | 'coordinate';
  leadUnits?: string[];
  coordinatingUnits?: string[];
  deadline?: DeadlineInput | null;
  recurrence?: RecurrenceKind[];
}

/** Ops on the duties of a draft (PATCH /api/plans/:id), beside the path changes. */
export type DutyOp =
  | { op: 'add'; value: DutyFields & { text: string; unit: string } }
  | { op: 'update'; key: string; value: DutyFields }
  | { op: 'delete'; key: string }
  | { op: 'split'; key: string; parts: Array<DutyFields & { text: string }> }
  | { op: 'merge'; keys: string[]; text?: string; recurrence?: RecurrenceKind[] };

export interface ValidationResult {
  valid: boolean;
  revision: number;
  problems: Array<{ kind: string; path: string; message: string }>;
}

export interface ActivationPreview {
  planId: string;
  revision: number;
  assignments: number;
  units: number;
  byItem: Record<string, number>;
  problems: Array<{ itemKey: string; code: string; text: string }>;
}

export interface ActivationProgress {
  workflowId: string;
  status: string;
  started: number;
  existing: number;
  total: number;
}

// ---- dashboard ----

export type TimelinessCounts = Partial<Record<Timeliness, number>>;

export interface DashboardSummary {
  total: number;
  counts: TimelinessCounts;
  rates: Partial<Record<Timeliness, number>>;
  byStatus: Partial<Record<AssignmentStatus, number>>;
}

export interface UnitCompletion {
  unitCode: string;
  unitName: string;
  total: number;
  counts: TimelinessCounts;
  completionRate: number;
}

export interface ItemCompletion {
  itemKey: string;
  title: string;
  total: number;
  counts: TimelinessCounts;
  completionRate: number;
}

export interface Matrix {
  units: Array<{ code: string; name: string }>;
  items: Array<{ key: string; title: string }>;
  cells: Array<{ unitCode: string; itemKey: string; total: number; done: number; timeliness: Timeliness | null }>;
}

export interface IndicatorProgress {
  objectiveKey: string;
  indicatorKey: string;
  subject: string;
  kind: Indicator['kind'];
  target: number;
  denominator?: number;
  reported: { sum: number; units: number; average: number | null };
}

export interface TimelinePoint {
  date: string;
  done: number;
  doneOnTime: number;
  total: number;
}

// ---- caught mail (local demo) ----

export interface MailAddress {
  name?: string | null;
  address: string;
}

export interface CaughtMail {
  id: string;
  receivedAt: string;
  from: MailAddress | null;
  to: MailAddress[];
  subject: string;
  size: number;
}

export interface AmendmentResult {
  started: number;
  cancelled: number;
  amended: number;
  skipped: number;
  total: number;
}

export interface AmendmentPreview {
  planId: string;
  revision: number;
  counts: { start: number; cancel: number; amend: number; unchanged: number };
}

export interface AmendmentView {
  id: string;
  planId: string;
  fromRevision: number;
  toRevision: number;
  reason: string;
  status: 'running' | 'done' | 'cancelled';
  planned: Record<string, number>;
  result: AmendmentResult | null;
  progress?: AmendmentResult;
  createdAt: string;
  finishedAt: string | null;
}
