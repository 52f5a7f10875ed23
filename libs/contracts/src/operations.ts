// Every HTTP operation of the API: the one table the controllers' schemas, the OpenAPI document and the
// route check (apps/api/src/openapi.spec.ts) are read from. docs/api-contract.md explains the layout.
import { z } from 'zod';
import * as a from './assignments';
import * as u from './auth';
import * as d from './dashboard';
import * as m from './misc';
import * as p from './plans';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** A response that is a file rather than JSON. */
export interface FileResponse {
  file: string;
}

export interface Operation {
  method: HttpMethod;
  /** OpenAPI form: `/api/plans/{id}`. */
  path: string;
  tag: string;
  summary: string;
  params?: z.ZodObject;
  query?: z.ZodObject;
  /** A JSON body. */
  body?: z.ZodType;
  /** A multipart body (an upload); an operation may take both. */
  upload?: z.ZodObject;
  /** The success status and what it carries (null: no body). */
  status: number;
  response: z.ZodType | FileResponse | null;
  /** Error statuses besides the ones every operation of its kind has (see openapi.ts). */
  errors?: number[];
  /** Reachable without a session (sign-in, health). */
  public?: boolean;
}

const planParams = p.planIdParams;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

export const operations = {
  // ---- auth ----
  login: { method: 'post', path: '/api/auth/login', tag: 'auth', summary: 'Sign in (JSON only, same-site Origin); sets the session cookie and returns the user and the CSRF token', body: u.loginBody, status: 200, response: u.session, errors: [401, 415, 429], public: true },
  changePassword: { method: 'post', path: '/api/auth/password', tag: 'auth', summary: 'Change your own password; ends your other sessions', body: u.changePasswordBody, status: 204, response: null, errors: [429] },
  logout: { method: 'post', path: '/api/auth/logout', tag: 'auth', summary: 'Sign out: revokes this session', status: 204, response: null },
  me: { method: 'get', path: '/api/auth/me', tag: 'auth', summary: 'The signed-in user and the CSRF token of this session', status: 200, response: u.session },

  // ---- users and audit (admin) ----
  listUsers: { method: 'get', path: '/api/users', tag: 'users', summary: 'Accounts, paged and sorted by username; filter by text, role, unit', query: u.listUsersQuery, status: 200, response: u.userList },
  createUser: { method: 'post', path: '/api/users', tag: 'users', summary: 'Create an account (password at least 10 characters)', body: u.createUserBody, status: 201, response: u.userView, errors: [409, 422] },
  updateUser: { method: 'patch', path: '/api/users/{id}', tag: 'users', summary: 'Change role, unit, display name, locale or disabled', params: u.userIdParams, body: u.updateUserBody, status: 200, response: u.userView, errors: [409, 422] },
  resetPassword: { method: 'post', path: '/api/users/{id}/reset-password', tag: 'users', summary: 'Set a new password; every session of that user is revoked (an admin resetting their own keeps the one in use)', params: u.userIdParams, body: u.resetPasswordBody, status: 204, response: null },
  unlockUser: { method: 'post', path: '/api/users/{id}/unlock', tag: 'users', summary: 'Lift the sign-in delays of an account at every client address', params: u.userIdParams, status: 200, response: u.unlockResult },
  listAudit: { method: 'get', path: '/api/audit', tag: 'audit', summary: 'The audit trail, newest first, paged', query: u.listAuditQuery, status: 200, response: u.auditList },

  // ---- plans ----
  importPlan: { method: 'post', path: '/api/plans/import', tag: 'plans', summary: 'Import a plan (.pdf, scanned .pdf, .jpg/.png via OCR, .docx, .md or .txt upload in field "file", or JSON {text, format, name}) into a draft', body: p.importJsonBody, upload: p.importFileBody, status: 201, response: p.planView, errors: [413, 415, 422] },
  listPlans: { method: 'get', path: '/api/plans', tag: 'plans', summary: 'Plans, paged; filter by status, year and text in number or title (unit users: active plans only)', query: p.planListQuery, status: 200, response: p.planList },
  getPlan: { method: 'get', path: '/api/plans/{id}', tag: 'plans', summary: 'A plan: document, warnings, status, revision and the numbered source text', params: planParams, status: 200, response: p.planView },
  planEdits: { method: 'get', path: '/api/plans/{id}/edits', tag: 'plans', summary: 'Audit trail of a plan, oldest first, paged', params: planParams, query: p.planEditsQuery, status: 200, response: p.planEdits },
  editPlan: { method: 'patch', path: '/api/plans/{id}', tag: 'plans', summary: 'Edit a draft: path changes and duty ops (add, update, delete, split, merge); a stale revision is 409', params: planParams, body: p.planEditBody, status: 200, response: p.planView, errors: [409, 422] },
  resolveWarning: { method: 'post', path: '/api/plans/{id}/warnings/{index}/resolve', tag: 'plans', summary: 'Mark an import warning as dealt with, with a note', params: p.warningParams, body: p.resolveWarningBody, status: 200, response: p.planView, errors: [409, 422] },
  validatePlan: { method: 'post', path: '/api/plans/{id}/validate', tag: 'plans', summary: 'What stands between the draft and activation: {valid, problems[]}', params: planParams, status: 200, response: p.validationResult },

  // ---- plan control ----
  activationPreview: { method: 'get', path: '/api/plans/{id}/activation-preview', tag: 'plans', summary: 'How many assignments activation will start, per item, and what still blocks it', params: planParams, status: 200, response: m.activationPreview, errors: [409] },
  activate: { method: 'post', path: '/api/plans/{id}/activate', tag: 'plans', summary: 'Start one assignment workflow per responsibility × unit × period (idempotent)', params: planParams, status: 202, response: m.activationStarted, errors: [409, 422] },
  cancelPlan: { method: 'post', path: '/api/plans/{id}/cancel', tag: 'plans', summary: 'Cancel the plan: every open assignment ends and no further notification goes out', params: planParams, body: m.endPlanBody, status: 202, response: z.unknown(), errors: [409] },
  closePlan: { method: 'post', path: '/api/plans/{id}/close', tag: 'plans', summary: 'Close a finished plan: open assignments end, the plan becomes read-only', params: planParams, body: m.endPlanBody, status: 202, response: z.unknown(), errors: [409] },
  activationProgress: { method: 'get', path: '/api/plans/{id}/activation', tag: 'plans', summary: 'Progress of the activation workflow', params: planParams, status: 200, response: m.activationProgress },
  amendmentPreview: { method: 'post', path: '/api/plans/{id}/amendment-preview', tag: 'plans', summary: 'What an amendment would start, cancel and amend; stores nothing', params: planParams, body: m.amendmentPreviewBody, status: 200, response: m.amendmentPreview, errors: [409, 422] },
  amend: { method: 'post', path: '/api/plans/{id}/amendments', tag: 'plans', summary: 'Amend an active plan: start, cancel and amend its running work', params: planParams, body: m.amendBody, status: 202, response: m.amendmentView, errors: [409, 422] },
  listAmendments: { method: 'get', path: '/api/plans/{id}/amendments', tag: 'plans', summary: "A plan's amendments, newest first", params: planParams, status: 200, response: z.array(m.amendmentView) },
  getAmendment: { method: 'get', path: '/api/plans/{id}/amendments/{amendmentId}', tag: 'plans', summary: 'One amendment and its progress', params: m.amendmentParams, status: 200, response: m.amendmentView },

  // ---- exports ----
  exportXlsx: { method: 'get', path: '/api/plans/{id}/export.xlsx', tag: 'exports', summary: 'Consolidated workbook (summary, units, responsibilities, indicators, late units)', params: planParams, query: d.exportQuery, status: 200, response: { file: XLSX }, errors: [408] },
  exportCsv: { method: 'get', path: '/api/plans/{id}/export.csv', tag: 'exports', summary: 'One table of the consolidated figures as CSV (UTF-8 with BOM)', params: planParams, query: d.csvExportQuery, status: 200, response: { file: 'text/csv' }, errors: [408] },
  reportDocx: { method: 'get', path: '/api/plans/{id}/report.docx', tag: 'exports', summary: 'Summary report in the administrative format', params: planParams, query: d.exportQuery, status: 200, response: { file: DOCX }, errors: [408] },

  // ---- assignments ----
  inbox: { method: 'get', path: '/api/inbox', tag: 'inbox', summary: "A unit's assignments, filtered and paged, with counts by status and timeliness", query: a.inboxQuery, status: 200, response: a.inboxResponse, errors: [408] },
  startAssignment: { method: 'post', path: '/api/assignments', tag: 'assignments', summary: 'Start one assignment workflow (idempotent by plan, item, unit and period)', body: a.startAssignmentBody, status: 201, response: a.startAssignmentResponse, errors: [409] },
  getAssignment: { method: 'get', path: '/api/assignments/{workflowId}', tag: 'assignments', summary: 'An assignment from the read model, with its event history', params: a.workflowIdParams, status: 200, response: a.assignmentDetail },
  actOnAssignment: { method: 'post', path: '/api/assignments/{workflowId}/actions', tag: 'assignments', summary: 'Acknowledge, report progress, submit, approve, return, extend, reassign or cancel', params: a.workflowIdParams, body: a.assignmentActionBody, status: 200, response: a.actionResult, errors: [409, 503] },
  uploadAttachment: { method: 'post', path: '/api/assignments/{workflowId}/attachments', tag: 'attachments', summary: 'Upload a file for a submission (multipart field "file")', params: a.workflowIdParams, upload: m.uploadBody, status: 201, response: a.attachment, errors: [413, 415] },
  downloadAttachment: { method: 'get', path: '/api/attachments/{id}', tag: 'attachments', summary: 'An attachment, to users who may see its assignment', params: a.attachmentIdParams, status: 200, response: { file: 'application/octet-stream' } },
  reviewQueue: { method: 'get', path: '/api/review-queue', tag: 'review', summary: 'Submitted assignments waiting for review, oldest submission first', query: a.queueQuery, status: 200, response: a.reviewQueueResponse, errors: [408] },
  extensionRequests: { method: 'get', path: '/api/extension-requests', tag: 'review', summary: 'Assignments with a pending extension request', query: a.queueQuery, status: 200, response: a.extensionQueueResponse, errors: [408] },

  // ---- dashboard ----
  dashboardSummary: { method: 'get', path: '/api/dashboard/summary', tag: 'dashboard', summary: 'Counts and rates by timeliness, counts by status', query: d.dashboardQuery, status: 200, response: d.dashboardSummary, errors: [404, 408] },
  dashboardByUnit: { method: 'get', path: '/api/dashboard/by-unit', tag: 'dashboard', summary: 'Completion per unit', query: d.dashboardQuery, status: 200, response: z.array(d.unitCompletion), errors: [404, 408] },
  dashboardByResponsibility: { method: 'get', path: '/api/dashboard/by-responsibility', tag: 'dashboard', summary: 'Completion per duty', query: d.dashboardQuery, status: 200, response: z.array(d.itemCompletion), errors: [404, 408] },
  dashboardMatrix: { method: 'get', path: '/api/dashboard/matrix', tag: 'dashboard', summary: 'Units × duties, the worst timeliness in each cell', query: d.dashboardQuery, status: 200, response: d.matrix, errors: [404, 408] },
  dashboardOverdue: { method: 'get', path: '/api/dashboard/overdue', tag: 'dashboard', summary: 'Overdue open work of the plan, most late first, paged', query: d.overdueQuery, status: 200, response: d.overdueList, errors: [404, 408] },
  dashboardIndicators: { method: 'get', path: '/api/dashboard/indicators', tag: 'dashboard', summary: 'Indicator targets and the values units reported', query: d.dashboardQuery, status: 200, response: z.array(d.indicatorProgress), errors: [404, 408] },
  dashboardTimeline: { method: 'get', path: '/api/dashboard/timeline', tag: 'dashboard', summary: 'Cumulative completion by week', query: d.dashboardQuery, status: 200, response: z.array(d.timelinePoint), errors: [404, 408] },

  // ---- email ----
  outbox: { method: 'get', path: '/api/notifications', tag: 'notifications', summary: 'Outbox rows, newest first, paged', query: m.outboxQuery, status: 200, response: m.outboxPage },
  letter: { method: 'get', path: '/api/letters/{id}', tag: 'notifications', summary: 'An urging letter (.docx)', params: m.letterParams, status: 200, response: { file: DOCX } },
  letterOfAssignment: { method: 'get', path: '/api/assignments/{workflowId}/letter', tag: 'notifications', summary: 'The latest urging letter of an assignment (.docx)', params: a.workflowIdParams, status: 200, response: { file: DOCX } },
  getNotificationPreferences: { method: 'get', path: '/api/units/{code}/notification-preferences', tag: 'notifications', summary: "A unit's email preferences", params: m.unitCodeParams, status: 200, response: m.notificationPreferences },
  putNotificationPreferences: { method: 'put', path: '/api/units/{code}/notification-preferences', tag: 'notifications', summary: "Set a unit's email preferences", params: m.unitCodeParams, body: m.notificationPreferencesBody, status: 200, response: m.notificationPreferences, errors: [422] },
  devMailList: { method: 'get', path: '/api/dev/mail', tag: 'dev', summary: 'Mail caught by the local SMTP sink (demo only)', query: m.devMailQuery, status: 200, response: m.devMailList, errors: [404] },
  devMailOne: { method: 'get', path: '/api/dev/mail/{id}', tag: 'dev', summary: 'One caught mail (JSON), or its HTML with `.html`', params: m.letterParams, status: 200, response: z.object({ id: z.string() }).loose() },

  // ---- organisation ----
  getOrganisation: { method: 'get', path: '/api/organisation', tag: 'organisation', summary: 'The organisation directory: units and unit groups', status: 200, response: m.organisationView },
  replaceOrganisation: { method: 'put', path: '/api/organisation', tag: 'organisation', summary: 'Replace the whole directory from YAML/JSON text ({text}) or a JSON object; 422 with issues', body: m.replaceOrganisationBody, status: 200, response: m.organisationView, errors: [422] },
  patchUnit: { method: 'patch', path: '/api/organisation/units/{code}', tag: 'organisation', summary: 'Change one unit (names, aliases, head, emails, supervisor ...); the directory must stay valid', params: m.unitCodeParams, body: m.unitPatchBody, status: 200, response: m.unitView, errors: [422] },

  // ---- health ----
  health: { method: 'get', path: '/health', tag: 'health', summary: 'Liveness; with a session or from loopback, the state of the database, Temporal and SMTP', status: 200, response: m.healthView, errors: [503], public: true },
} satisfies Record<string, Operation>;

export type OperationId = keyof typeof operations;
