// The authorization table: every route the API registers, called as every role and as the users of another
// unit, and exactly the allowed cells succeed. A registered route without a row, or a row naming a route that
// does not exist, fails the suite: a new endpoint cannot ship without deciding who may call it.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import { type Plan, type PlanWarning } from '@app/domain';
import { signedLink, type SmtpSink, startSmtpSink } from '@app/notifications';
import { OrganisationRepository, OutboxRepository, PlanRepository } from '@app/persistence';
import { parsePlan } from '@app/plan-parser';
import { TemporalClientProvider } from '@app/temporal';
import { TEST_SAMPLE_PASSWORD } from '../support/accounts';
import { eventually, http, type LoggedIn, type SampleStack, startSampleStack } from '../support/harness';

const ROOT = join(__dirname, '..', '..');
const SAMPLE_PLAN = readFileSync(join(ROOT, 'libs/plan-parser/fixtures/van-quan-2024-cong-tac-tre-em.md'), 'utf8');
const IMPORT_TEXT = readFileSync(join(ROOT, 'libs/plan-parser/fixtures/van-quan-2024-han-cu-the.txt'), 'utf8');
const ORG_YAML = readFileSync(join(ROOT, 'deploy/seed/van-quan/organisation.yaml'), 'utf8');

// ---------------------------------------------------------------------------------------------------------
// Callers. Unit A owns every assignment, attachment and preference the table addresses; unit B is another unit.
// ---------------------------------------------------------------------------------------------------------
const CALLERS = ['anonymous', 'admin', 'coordinator', 'leader', 'unit_head', 'unit_officer', 'other_unit_head', 'other_unit_officer'] as const;
type Caller = (typeof CALLERS)[number];
type SignedIn = Exclude<Caller, 'anonymous'>;

const UNIT_A = 'VQ-XA-AN-SON';
const ACCOUNTS: Record<SignedIn, string> = {
  admin: 'admin',
  coordinator: 'dieuphoi',
  leader: 'lanhdao',
  unit_head: 'xa-an-son.truong',
  unit_officer: 'xa-an-son.canbo',
  other_unit_head: 'xa-binh-phuc.truong',
  other_unit_officer: 'xa-binh-phuc.canbo',
};
const UNIT_OF: Partial<Record<Caller, string>> = {
  unit_head: UNIT_A,
  unit_officer: UNIT_A,
  other_unit_head: 'VQ-XA-BINH-PHUC',
  other_unit_officer: 'VQ-XA-BINH-PHUC',
};

/**
 * 'allowed': the call reaches its handler and succeeds with the row's `ok` status. Otherwise the refusal:
 * 401 without a session, 403 for a role that may not call the route, 404 for another unit's record (the
 * API never tells another unit that an id exists).
 */
const OK = 'allowed';
type Outcome = typeof OK | 401 | 403 | 404;
const DENIAL_CODE: Record<Exclude<Outcome, typeof OK>, string> = { 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN', 404: 'NOT_FOUND' };

type Outcomes = [Outcome, Outcome, Outcome, Outcome, Outcome, Outcome, Outcome, Outcome];
/** One outcome per caller, in the column order of CALLERS. */
const by = (...o: Outcomes): Record<Caller, Outcome> => Object.fromEntries(CALLERS.map((c, i) => [c, o[i]])) as Record<Caller, Outcome>;

// ---------------------------------------------------------------------------------------------------------
// Fixtures. An allowed cell that changes state gets a fresh record of its row's kind, made before any cell
// runs, so the order of cells does not matter. Refused cells of the row share one record of the same kind,
// in the same state; the last test proves that no refusal changed it.
// ---------------------------------------------------------------------------------------------------------
type FixtureKind = 'assignment' | 'submitted' | 'extension-requested' | 'draft' | 'active-plan' | 'user' | 'session';

interface Subject {
  id: string;
  revision: number;
  /** Only for 'session': a session of the caller's own that the cell may end. */
  headers?: Record<string, string>;
}

/** Records every row reads but none changes. */
interface World {
  /** An active plan (activated over the API) with one assignment of unit A. */
  activePlan: string;
  activePlanRevision: number;
  /** An active plan amended once by the coordinator. */
  amendedPlan: string;
  amendment: string;
  /** A draft: invisible to units. */
  draftPlan: string;
  /** An assignment of unit A, as started by the coordinator. */
  assignment: string;
  attachment: string;
  letter: string;
  caughtMail: string;
  signedLinkPath: string;
  unitAName: string;
}

interface Call {
  path: string;
  body?: unknown;
  file?: { name: string; content: Buffer };
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface Row {
  method: Method;
  /** The route as registered (express path syntax). */
  route: string;
  /** Distinguishes rows of one route (assignment actions, draft vs active plan). */
  variant?: string;
  /** Status of an allowed call. */
  ok: number;
  /** Kind of record an allowed cell gets afresh. */
  fresh?: FixtureKind;
  call: (w: World, s: Subject, caller: Caller) => Call;
  who: Record<Caller, Outcome>;
  /** What an allowed answer must (not) contain for this caller: scope of lists. */
  check?: (body: unknown, caller: Caller) => void;
}

const enc = encodeURIComponent;
const inDays = (d: number): string => new Date(Date.now() + d * 86400_000).toISOString();
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const act = (body: Record<string, unknown>) => (_: World, s: Subject): Call => ({ path: `/api/assignments/${enc(s.id)}/actions`, body });
const AMENDED_TEXT = { path: 'responsibilities.0.text', value: 'Rà soát, bổ sung các điểm có nguy cơ đuối nước' };
const itemsOf = (body: unknown): Array<Record<string, unknown>> => (body as { items: Array<Record<string, unknown>> }).items;

/** Unit users see their own unit's work only, whatever unitCode they pass. */
function inboxScope(body: unknown, caller: Caller): void {
  const own = UNIT_OF[caller];
  const units = new Set(itemsOf(body).map((i) => i.unitCode));
  if (own) expect([...units].filter((u) => u !== own)).toEqual([]);
  else expect([...units]).toEqual([UNIT_A]);
}

/** Unit users see active plans only. */
function planListScope(body: unknown, caller: Caller): void {
  const statuses = new Set(itemsOf(body).map((i) => i.status));
  if (UNIT_OF[caller]) expect([...statuses].filter((s) => s !== 'active')).toEqual([]);
  else expect(statuses.has('draft')).toBe(true);
}

// ---------------------------------------------------------------------------------------------------------
// THE TABLE. Columns: anonymous, admin, coordinator, leader, unit A head, unit A officer, unit B head, unit B officer.
// ---------------------------------------------------------------------------------------------------------
const DASHBOARD = (route: string): Row => ({
  method: 'GET',
  route: `/api/dashboard/${route}`,
  ok: 200,
  call: (w) => ({ path: `/api/dashboard/${route}?planId=${w.activePlan}` }),
  who: by(401, OK, OK, OK, 403, 403, 403, 403),
});

const TABLE: Row[] = [
  // Public routes.
  { method: 'GET', route: '/health', ok: 200, call: () => ({ path: '/health' }), who: by(OK, OK, OK, OK, OK, OK, OK, OK) },
  {
    method: 'POST',
    route: '/api/auth/login',
    ok: 200,
    call: (_w, _s, caller) => ({ path: '/api/auth/login', body: { username: caller === 'anonymous' ? 'lanhdao' : ACCOUNTS[caller], password: TEST_SAMPLE_PASSWORD } }),
    who: by(OK, OK, OK, OK, OK, OK, OK, OK),
  },
  // The link in an email only redirects to the page, which still needs a session (see signed-link.test.ts).
  { method: 'GET', route: '/a/:assignmentId', ok: 302, call: (w) => ({ path: w.signedLinkPath }), who: by(OK, OK, OK, OK, OK, OK, OK, OK) },
  // The OpenAPI description and its viewer, registered by @nestjs/swagger outside the controllers (so outside
  // the session guard): public by design, they describe the API and hold no data.
  ...['/docs', '/docs/', '/docs/index.html', '/docs/swagger-ui-init.js', '/docs/docs/swagger-ui-init.js', '/docs/openapi.json', '/docs-yaml'].map(
    (route): Row => ({ method: 'GET', route, ok: 200, call: () => ({ path: route }), who: by(OK, OK, OK, OK, OK, OK, OK, OK) }),
  ),
  // swagger-ui's placeholder for its licence file answers 404 to everybody.
  { method: 'GET', route: '/docs/LICENSE', ok: 404, call: () => ({ path: '/docs/LICENSE' }), who: by(OK, OK, OK, OK, OK, OK, OK, OK) },

  // Session.
  { method: 'GET', route: '/api/auth/me', ok: 200, call: () => ({ path: '/api/auth/me' }), who: by(401, OK, OK, OK, OK, OK, OK, OK) },
  { method: 'POST', route: '/api/auth/logout', ok: 204, fresh: 'session', call: () => ({ path: '/api/auth/logout' }), who: by(401, OK, OK, OK, OK, OK, OK, OK) },
  {
    // Every signed-in user may change their own password; a wrong current one reaches the check and changes nothing.
    method: 'POST',
    route: '/api/auth/password',
    ok: 400,
    call: () => ({ path: '/api/auth/password', body: { currentPassword: 'khong-phai-mat-khau', newPassword: 'mat-khau-moi-12' } }),
    who: by(401, OK, OK, OK, OK, OK, OK, OK),
    check: (body) => expect(body).toMatchObject({ error: { fields: { currentPassword: ['WRONG_PASSWORD'] } } }),
  },

  // Accounts and audit (admin).
  { method: 'GET', route: '/api/users', ok: 200, call: () => ({ path: '/api/users' }), who: by(401, OK, 403, 403, 403, 403, 403, 403) },
  {
    method: 'POST',
    route: '/api/users',
    ok: 201,
    call: () => ({ path: '/api/users', body: { username: `t-${randomUUID().slice(0, 8)}`, displayName: 'Tài khoản thử', password: 'mat-khau-dai-1', role: 'leader' } }),
    who: by(401, OK, 403, 403, 403, 403, 403, 403),
  },
  {
    method: 'PATCH',
    route: '/api/users/:id',
    ok: 200,
    fresh: 'user',
    call: (_w, s) => ({ path: `/api/users/${s.id}`, body: { displayName: 'Đổi tên' } }),
    who: by(401, OK, 403, 403, 403, 403, 403, 403),
  },
  {
    method: 'POST',
    route: '/api/users/:id/reset-password',
    ok: 204,
    fresh: 'user',
    call: (_w, s) => ({ path: `/api/users/${s.id}/reset-password`, body: { password: 'mat-khau-moi-12' } }),
    who: by(401, OK, 403, 403, 403, 403, 403, 403),
  },
  {
    method: 'POST',
    route: '/api/users/:id/unlock',
    ok: 200,
    fresh: 'user',
    call: (_w, s) => ({ path: `/api/users/${s.id}/unlock` }),
    who: by(401, OK, 403, 403, 403, 403, 403, 403),
  },
  { method: 'GET', route: '/api/audit', ok: 200, call: () => ({ path: '/api/audit' }), who: by(401, OK, 403, 403, 403, 403, 403, 403) },

  // Organisation directory: everybody reads it, the admin changes it (with the values it already has).
  { method: 'GET', route: '/api/organisation', ok: 200, call: () => ({ path: '/api/organisation' }), who: by(401, OK, OK, OK, OK, OK, OK, OK) },
  { method: 'PUT', route: '/api/organisation', ok: 200, call: () => ({ path: '/api/organisation', body: { text: ORG_YAML } }), who: by(401, OK, 403, 403, 403, 403, 403, 403) },
  {
    method: 'PATCH',
    route: '/api/organisation/units/:code',
    ok: 200,
    call: (w) => ({ path: `/api/organisation/units/${UNIT_A}`, body: { name: w.unitAName } }),
    who: by(401, OK, 403, 403, 403, 403, 403, 403),
  },

  // Plans: import and review (coordinator, admin); reading (units: active plans only).
  {
    method: 'POST',
    route: '/api/plans/import',
    ok: 201,
    call: () => ({ path: '/api/plans/import', body: { text: IMPORT_TEXT, format: 'text', name: 'han-cu-the.txt' } }),
    who: by(401, OK, OK, 403, 403, 403, 403, 403),
  },
  { method: 'GET', route: '/api/plans', ok: 200, call: () => ({ path: '/api/plans?pageSize=100' }), who: by(401, OK, OK, OK, OK, OK, OK, OK), check: planListScope },
  { method: 'GET', route: '/api/plans/:id', variant: 'active plan', ok: 200, call: (w) => ({ path: `/api/plans/${w.activePlan}` }), who: by(401, OK, OK, OK, OK, OK, OK, OK) },
  { method: 'GET', route: '/api/plans/:id', variant: 'draft', ok: 200, call: (w) => ({ path: `/api/plans/${w.draftPlan}` }), who: by(401, OK, OK, OK, 404, 404, 404, 404) },
  { method: 'GET', route: '/api/plans/:id/edits', ok: 200, call: (w) => ({ path: `/api/plans/${w.draftPlan}/edits` }), who: by(401, OK, OK, OK, 403, 403, 403, 403) },
  {
    method: 'PATCH',
    route: '/api/plans/:id',
    ok: 200,
    fresh: 'draft',
    call: (_w, s) => ({ path: `/api/plans/${s.id}`, body: { revision: s.revision, changes: [{ path: 'responsibilities.0.text', value: 'Rà soát, sửa nội dung nhiệm vụ' }] } }),
    who: by(401, OK, OK, 403, 403, 403, 403, 403),
  },
  {
    method: 'POST',
    route: '/api/plans/:id/warnings/:index/resolve',
    ok: 200,
    fresh: 'draft',
    call: (_w, s) => ({ path: `/api/plans/${s.id}/warnings/0/resolve`, body: { note: 'Đã kiểm tra', revision: s.revision } }),
    who: by(401, OK, OK, 403, 403, 403, 403, 403),
  },
  { method: 'POST', route: '/api/plans/:id/validate', ok: 200, call: (w) => ({ path: `/api/plans/${w.draftPlan}/validate` }), who: by(401, OK, OK, 403, 403, 403, 403, 403) },

  // Plan lifecycle (coordinator, admin); its progress is readable by the leader too.
  {
    method: 'GET',
    route: '/api/plans/:id/activation-preview',
    ok: 200,
    call: (w) => ({ path: `/api/plans/${w.draftPlan}/activation-preview` }),
    who: by(401, OK, OK, OK, 403, 403, 403, 403),
  },
  { method: 'POST', route: '/api/plans/:id/activate', ok: 202, fresh: 'draft', call: (_w, s) => ({ path: `/api/plans/${s.id}/activate`, body: {} }), who: by(401, OK, OK, 403, 403, 403, 403, 403) },
  {
    method: 'POST',
    route: '/api/plans/:id/cancel',
    ok: 202,
    fresh: 'active-plan',
    call: (_w, s) => ({ path: `/api/plans/${s.id}/cancel`, body: { reason: 'Kế hoạch được thay thế' } }),
    who: by(401, OK, OK, 403, 403, 403, 403, 403),
  },
  {
    method: 'POST',
    route: '/api/plans/:id/close',
    ok: 202,
    fresh: 'active-plan',
    call: (_w, s) => ({ path: `/api/plans/${s.id}/close`, body: { reason: 'Đã hoàn thành kế hoạch' } }),
    who: by(401, OK, OK, 403, 403, 403, 403, 403),
  },
  { method: 'GET', route: '/api/plans/:id/activation', ok: 200, call: (w) => ({ path: `/api/plans/${w.activePlan}/activation` }), who: by(401, OK, OK, OK, 403, 403, 403, 403) },

  // Amending an active plan (coordinator, admin, as activation); its history is readable by the leader too.
  {
    method: 'POST',
    route: '/api/plans/:id/amendment-preview',
    ok: 200,
    call: (w) => ({ path: `/api/plans/${w.activePlan}/amendment-preview`, body: { revision: w.activePlanRevision, changes: [AMENDED_TEXT] } }),
    who: by(401, OK, OK, 403, 403, 403, 403, 403),
  },
  {
    method: 'POST',
    route: '/api/plans/:id/amendments',
    ok: 202,
    fresh: 'active-plan',
    call: (_w, s) => ({ path: `/api/plans/${s.id}/amendments`, body: { revision: s.revision, changes: [AMENDED_TEXT], reason: 'Điều chỉnh theo chỉ đạo của UBND huyện' } }),
    who: by(401, OK, OK, 403, 403, 403, 403, 403),
  },
  { method: 'GET', route: '/api/plans/:id/amendments', ok: 200, call: (w) => ({ path: `/api/plans/${w.amendedPlan}/amendments` }), who: by(401, OK, OK, OK, 403, 403, 403, 403) },
  {
    method: 'GET',
    route: '/api/plans/:id/amendments/:amendmentId',
    ok: 200,
    call: (w) => ({ path: `/api/plans/${w.amendedPlan}/amendments/${w.amendment}` }),
    who: by(401, OK, OK, OK, 403, 403, 403, 403),
  },

  // Exports (leader, coordinator, admin).
  { method: 'GET', route: '/api/plans/:id/export.xlsx', ok: 200, call: (w) => ({ path: `/api/plans/${w.activePlan}/export.xlsx` }), who: by(401, OK, OK, OK, 403, 403, 403, 403) },
  {
    method: 'GET',
    route: '/api/plans/:id/export.csv',
    ok: 200,
    call: (w) => ({ path: `/api/plans/${w.activePlan}/export.csv?table=late` }),
    who: by(401, OK, OK, OK, 403, 403, 403, 403),
  },
  { method: 'GET', route: '/api/plans/:id/report.docx', ok: 200, call: (w) => ({ path: `/api/plans/${w.activePlan}/report.docx` }), who: by(401, OK, OK, OK, 403, 403, 403, 403) },

  // Dashboard (leader, coordinator, admin).
  DASHBOARD('summary'),
  DASHBOARD('by-unit'),
  DASHBOARD('by-responsibility'),
  DASHBOARD('matrix'),
  DASHBOARD('overdue'),
  DASHBOARD('indicators'),
  DASHBOARD('timeline'),

  // Coordinator queues.
  { method: 'GET', route: '/api/review-queue', ok: 200, call: () => ({ path: '/api/review-queue' }), who: by(401, OK, OK, 403, 403, 403, 403, 403) },
  { method: 'GET', route: '/api/extension-requests', ok: 200, call: () => ({ path: '/api/extension-requests' }), who: by(401, OK, OK, 403, 403, 403, 403, 403) },

  // Inbox: everybody signed in; unit users always get their own unit, whatever unitCode they ask for.
  {
    method: 'GET',
    route: '/api/inbox',
    ok: 200,
    call: () => ({ path: `/api/inbox?unitCode=${UNIT_A}&pageSize=100` }),
    who: by(401, OK, OK, OK, OK, OK, OK, OK),
    check: inboxScope,
  },

  // Assignments.
  {
    method: 'POST',
    route: '/api/assignments',
    ok: 201,
    call: () => ({ path: '/api/assignments', body: startBody() }),
    who: by(401, 403, OK, 403, 403, 403, 403, 403),
  },
  { method: 'GET', route: '/api/assignments/:workflowId', ok: 200, call: (w) => ({ path: `/api/assignments/${enc(w.assignment)}` }), who: by(401, OK, OK, OK, OK, OK, 404, 404) },
  // The unit does the work...
  { method: 'POST', route: '/api/assignments/:workflowId/actions', variant: 'acknowledge', ok: 200, fresh: 'assignment', call: act({ type: 'acknowledge' }), who: by(401, 403, 403, 403, OK, OK, 404, 404) },
  {
    method: 'POST',
    route: '/api/assignments/:workflowId/actions',
    variant: 'progress',
    ok: 200,
    fresh: 'assignment',
    call: act({ type: 'progress', percent: 40, comment: 'Đang triển khai' }),
    who: by(401, 403, 403, 403, OK, OK, 404, 404),
  },
  {
    method: 'POST',
    route: '/api/assignments/:workflowId/actions',
    variant: 'submit',
    ok: 200,
    fresh: 'assignment',
    call: act({ type: 'submit', text: 'Đã hoàn thành rà soát' }),
    who: by(401, 403, 403, 403, OK, OK, 404, 404),
  },
  {
    method: 'POST',
    route: '/api/assignments/:workflowId/actions',
    variant: 'request-extension',
    ok: 200,
    fresh: 'assignment',
    call: act({ type: 'request-extension', newDeadline: inDays(60), reason: 'Chờ số liệu' }),
    who: by(401, 403, 403, 403, OK, OK, 404, 404),
  },
  // ...the coordinator reviews and steers it.
  { method: 'POST', route: '/api/assignments/:workflowId/actions', variant: 'approve', ok: 200, fresh: 'submitted', call: act({ type: 'approve' }), who: by(401, 403, OK, 403, 403, 403, 404, 404) },
  {
    method: 'POST',
    route: '/api/assignments/:workflowId/actions',
    variant: 'return',
    ok: 200,
    fresh: 'submitted',
    call: act({ type: 'return', comment: 'Bổ sung số liệu' }),
    who: by(401, 403, OK, 403, 403, 403, 404, 404),
  },
  {
    method: 'POST',
    route: '/api/assignments/:workflowId/actions',
    variant: 'grant extension',
    ok: 200,
    fresh: 'extension-requested',
    call: act({ type: 'decide-extension', grant: true }),
    who: by(401, 403, OK, 403, 403, 403, 404, 404),
  },
  {
    method: 'POST',
    route: '/api/assignments/:workflowId/actions',
    variant: 'refuse extension',
    ok: 200,
    fresh: 'extension-requested',
    call: act({ type: 'decide-extension', grant: false, comment: 'Không đủ lý do' }),
    who: by(401, 403, OK, 403, 403, 403, 404, 404),
  },
  {
    method: 'POST',
    route: '/api/assignments/:workflowId/actions',
    variant: 'reassign',
    ok: 200,
    fresh: 'assignment',
    call: act({ type: 'reassign', unitCode: 'VQ-XA-TRI-LE', comment: 'Đúng địa bàn' }),
    who: by(401, 403, OK, 403, 403, 403, 404, 404),
  },
  {
    method: 'POST',
    route: '/api/assignments/:workflowId/actions',
    variant: 'cancel',
    ok: 200,
    fresh: 'assignment',
    call: act({ type: 'cancel', reason: 'Trùng nhiệm vụ' }),
    who: by(401, 403, OK, 403, 403, 403, 404, 404),
  },

  // Attachments: uploading adds a file to the assignment and changes nothing else. Files exist only to be cited
  // in a submission, so only those who submit upload (coordinator and admin were allowed until this table).
  {
    method: 'POST',
    route: '/api/assignments/:workflowId/attachments',
    ok: 201,
    call: (w) => ({ path: `/api/assignments/${enc(w.assignment)}/attachments`, file: { name: 'bao-cao.pdf', content: PDF } }),
    who: by(401, 403, 403, 403, OK, OK, 404, 404),
  },
  { method: 'GET', route: '/api/attachments/:id', ok: 200, call: (w) => ({ path: `/api/attachments/${w.attachment}` }), who: by(401, OK, OK, OK, OK, OK, 404, 404) },

  // Email administration, urging letters and preferences.
  { method: 'GET', route: '/api/notifications', ok: 200, call: () => ({ path: '/api/notifications' }), who: by(401, OK, OK, 403, 403, 403, 403, 403) },
  { method: 'GET', route: '/api/letters/:id', ok: 200, call: (w) => ({ path: `/api/letters/${w.letter}` }), who: by(401, OK, OK, OK, 403, 403, 403, 403) },
  {
    method: 'GET',
    route: '/api/assignments/:workflowId/letter',
    ok: 200,
    call: (w) => ({ path: `/api/assignments/${enc(w.assignment)}/letter` }),
    who: by(401, OK, OK, OK, 403, 403, 403, 403),
  },
  {
    method: 'GET',
    route: '/api/units/:code/notification-preferences',
    ok: 200,
    call: () => ({ path: `/api/units/${UNIT_A}/notification-preferences` }),
    who: by(401, OK, OK, 403, OK, 403, 404, 403),
  },
  {
    method: 'PUT',
    route: '/api/units/:code/notification-preferences',
    ok: 200,
    call: () => ({ path: `/api/units/${UNIT_A}/notification-preferences`, body: { mode: 'immediate', digestHour: 7, leaderSummary: false } }),
    who: by(401, OK, OK, 403, OK, 403, 404, 403),
  },
  // The local demo mailbox (only with CAUGHT_MAIL_DIR).
  { method: 'GET', route: '/api/dev/mail', ok: 200, call: () => ({ path: '/api/dev/mail' }), who: by(401, OK, OK, OK, 403, 403, 403, 403) },
  { method: 'GET', route: '/api/dev/mail/:id', ok: 200, call: (w) => ({ path: `/api/dev/mail/${w.caughtMail}` }), who: by(401, OK, OK, OK, 403, 403, 403, 403) },
];

function startBody(planId: string = randomUUID()): Record<string, unknown> {
  return {
    planId,
    planTitle: 'Kế hoạch công tác trẻ em năm 2024',
    itemKey: 'V.3.4',
    title: 'Rà soát các khu vực thường xuyên xảy ra tai nạn đuối nước',
    unitCode: UNIT_A,
    deadline: inDays(30),
    escalation: [],
  };
}

const rowName = (r: Row): string => `${r.method} ${r.route}${r.variant ? ` [${r.variant}]` : ''}`;
const CELLS = TABLE.flatMap((row) =>
  CALLERS.map((caller) => {
    const outcome = row.who[caller];
    return { name: `${rowName(row)} as ${caller} → ${outcome === OK ? `allowed (${row.ok})` : outcome}`, row, caller, outcome };
  }),
);

/** Every state-changing route but sign-in refuses a caller it would allow when the CSRF header is missing. */
const CSRF_CELLS = TABLE.filter((row) => row.method !== 'GET' && row.who.anonymous !== OK).map((row) => {
  const caller = CALLERS.find((c): c is SignedIn => c !== 'anonymous' && row.who[c] === OK);
  if (!caller) throw new Error(`${rowName(row)}: nobody may call it`);
  return { name: `${rowName(row)} as ${caller} without the CSRF header → 403 CSRF_FAILED`, row, caller };
});

/** Registered routes of the running app, from express's own router: what actually answers requests. */
function registeredRoutes(app: unknown): string[] {
  type Layer = { route?: { path: string | string[]; methods: Record<string, boolean> } };
  const stack = (app as { router: { stack: Layer[] } }).router.stack;
  const routes = new Set<string>();
  for (const layer of stack) {
    if (!layer.route) continue;
    for (const path of [layer.route.path].flat()) {
      for (const [method, on] of Object.entries(layer.route.methods)) if (on && method !== '_all') routes.add(`${method.toUpperCase()} ${path}`);
    }
  }
  return [...routes].sort();
}

/** Runs `fn` over `items` with at most `limit` at a time. */
async function pool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

describe('authorization table: every route as every caller', () => {
  let stack: SampleStack;
  let sink: SmtpSink;
  let mailDir: string;
  let world: World;
  const sessions = {} as Record<SignedIn, LoggedIn>;
  const subjects = new Map<string, Subject>();
  const shared = new Map<FixtureKind, Subject>();

  const as = <T>(who: SignedIn, method: string, path: string, body?: unknown) => http<T>(stack.api.baseUrl, method, path, body, sessions[who].headers);

  async function send(method: Method, call: Call, headers: Record<string, string>): Promise<{ status: number; body: unknown }> {
    let body: string | FormData | undefined;
    const h = { ...headers };
    if (call.file) {
      body = new FormData();
      body.append('file', new Blob([call.file.content]), call.file.name);
    } else if (call.body !== undefined) {
      body = JSON.stringify(call.body);
      h['content-type'] = 'application/json';
    }
    const res = await fetch(`${stack.api.baseUrl}${call.path}`, { method, headers: h, body, redirect: 'manual' });
    const text = await res.text();
    return { status: res.status, body: (res.headers.get('content-type') ?? '').includes('json') && text ? JSON.parse(text) : text };
  }

  // --- fixture makers ---
  async function newAssignment(): Promise<string> {
    const res = await as<{ workflowId: string }>('coordinator', 'POST', '/api/assignments', startBody());
    if (res.status !== 201) throw new Error(`start assignment: ${res.status} ${JSON.stringify(res.body)}`);
    const id = res.body.workflowId;
    // Unit users are scoped through the read model: the cell must find the row.
    await eventually(() => stack.ds.query('SELECT 1 FROM assignments WHERE workflow_id = $1', [id]), (rows: unknown[]) => rows.length === 1);
    return id;
  }

  async function unitAct(id: string, body: unknown): Promise<void> {
    const res = await as('unit_officer', 'POST', `/api/assignments/${enc(id)}/actions`, body);
    if (res.status !== 200) throw new Error(`${JSON.stringify(body)}: ${res.status} ${JSON.stringify(res.body)}`);
  }

  /** A one-duty plan for unit A, no deadline (nothing escalates), one import warning to resolve. */
  async function newDraft(): Promise<{ id: string; revision: number }> {
    const directory = await stack.api.app.get(OrganisationRepository).load();
    const { plan } = parsePlan({ text: SAMPLE_PLAN, format: 'markdown' }, directory);
    const duty = plan.responsibilities.find((r) => r.key === 'V.3.4') ?? plan.responsibilities[0]!;
    const small: Plan = {
      ...plan,
      responsibilities: [
        {
          ...duty,
          unitRef: { kind: 'unit', code: UNIT_A, text: 'UBND xã An Sơn' },
          role: 'lead',
          leadUnitRefs: [],
          coordinatingUnitRefs: [],
          deadline: null,
          recurrence: { kinds: ['once'] },
        },
      ],
      reportingRules: [],
    };
    const warning: PlanWarning = { code: 'MISSING_NUMBER', message: 'Chưa có số kế hoạch', section: null, line: null, text: '' };
    const stored = await stack.api.app.get(PlanRepository).createDraft({ plan: small, warnings: [warning], sourceText: SAMPLE_PLAN, sourceName: 'nho.md' }, 'authz-test');
    return { id: stored.id, revision: stored.revision };
  }

  async function newActivePlan(): Promise<{ id: string; revision: number }> {
    const { id } = await newDraft();
    const res = await as<{ workflowId: string }>('coordinator', 'POST', `/api/plans/${id}/activate`, {});
    if (res.status !== 202) throw new Error(`activate: ${res.status} ${JSON.stringify(res.body)}`);
    await stack.api.app.get(TemporalClientProvider).client.workflow.getHandle(res.body.workflowId).result();
    const stored = await stack.api.app.get(PlanRepository).get(id);
    return { id, revision: stored!.revision };
  }

  async function make(kind: FixtureKind, caller: Caller): Promise<Subject> {
    switch (kind) {
      case 'assignment':
        return { id: await newAssignment(), revision: 0 };
      case 'submitted': {
        const id = await newAssignment();
        await unitAct(id, { type: 'submit', text: 'Báo cáo kết quả' });
        return { id, revision: 0 };
      }
      case 'extension-requested': {
        const id = await newAssignment();
        await unitAct(id, { type: 'request-extension', newDeadline: inDays(60), reason: 'Chờ số liệu' });
        return { id, revision: 0 };
      }
      case 'draft':
        return newDraft();
      case 'active-plan':
        return newActivePlan();
      case 'user': {
        const res = await as<{ id: string }>('admin', 'POST', '/api/users', {
          username: `p-${randomUUID().slice(0, 8)}`,
          displayName: 'Người thử',
          password: 'mat-khau-dai-1',
          role: 'leader',
        });
        return { id: res.body.id, revision: 0 };
      }
      case 'session':
        return { id: '', revision: 0, headers: caller === 'anonymous' ? {} : (await stack.loginAs(ACCOUNTS[caller])).headers };
    }
  }

  /** What a refusal must leave exactly as it was. */
  async function stateOf(kind: FixtureKind, s: Subject): Promise<unknown> {
    switch (kind) {
      case 'assignment':
      case 'submitted':
      case 'extension-requested':
        return (await stack.ds.query('SELECT unit_code, status, last_seq FROM assignments WHERE workflow_id = $1', [s.id]))[0];
      case 'draft':
      case 'active-plan':
        return (await stack.ds.query('SELECT status, revision FROM plans WHERE id = $1', [s.id]))[0];
      case 'user':
        return (await stack.ds.query('SELECT display_name, password_hash, disabled FROM users WHERE id = $1', [s.id]))[0];
      case 'session':
        return null;
    }
  }
  const sharedStates = new Map<FixtureKind, unknown>();

  beforeAll(async () => {
    mailDir = await mkdtemp(join(tmpdir(), 'dondoc-authz-mail-'));
    sink = await startSmtpSink({ storeDir: mailDir });
    stack = await startSampleStack({ SMTP_URL: sink.url, CAUGHT_MAIL_DIR: mailDir });
    for (const [caller, username] of Object.entries(ACCOUNTS) as [SignedIn, string][]) sessions[caller] = await stack.loginAs(username);
    // /health answers 200 only once the worker polls.
    await eventually(() => http(stack.api.baseUrl, 'GET', '/health'), (r) => r.status === 200);

    const [activePlan, draftPlan, assignment, amendedPlan] = await Promise.all([newActivePlan(), newDraft(), newAssignment(), newActivePlan()]);
    const amended = await as<{ id: string }>('coordinator', 'POST', `/api/plans/${amendedPlan.id}/amendments`, {
      revision: amendedPlan.revision,
      changes: [AMENDED_TEXT],
      reason: 'Điều chỉnh nội dung',
    });
    if (amended.status !== 202) throw new Error(`amend: ${amended.status} ${JSON.stringify(amended.body)}`);
    const upload = new FormData();
    upload.append('file', new Blob([PDF]), 'ke-hoach.pdf');
    const uploaded = await fetch(`${stack.api.baseUrl}/api/assignments/${enc(assignment)}/attachments`, { method: 'POST', body: upload, headers: sessions.unit_officer.headers });
    if (uploaded.status !== 201) throw new Error(`upload: ${uploaded.status} ${await uploaded.text()}`);
    const attachment = ((await uploaded.json()) as { id: string }).id;
    const letter = await stack.api.app.get(OutboxRepository).saveLetter({
      workflowId: assignment,
      stepKey: 'leadership',
      unitCode: UNIT_A,
      filename: 'thu-don-doc.docx',
      contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      content: Buffer.from('PK\u0003\u0004 thư đôn đốc'),
    });
    await createTransport({ host: sink.host, port: sink.port, secure: false, ignoreTLS: true }).sendMail({ from: 'dondoc@vanquan.example.vn', to: 'xa.anson@vanquan.example.vn', subject: 'Thử', text: 'Thư thử' });
    const mail = await sink.waitFor((m) => m.subject === 'Thử');
    const unitA = (await stack.api.app.get(OrganisationRepository).load()).unit(UNIT_A)!;
    const link = new URL(signedLink({ publicUrl: stack.api.baseUrl, assignmentId: assignment, secret: stack.config.secretKey, expiresAt: new Date(Date.now() + 3600_000) }));
    world = {
      activePlan: activePlan.id,
      activePlanRevision: activePlan.revision,
      amendedPlan: amendedPlan.id,
      amendment: amended.body.id,
      draftPlan: draftPlan.id,
      assignment,
      attachment,
      letter: letter.id,
      caughtMail: mail.id,
      signedLinkPath: `${link.pathname}${link.search}`,
      unitAName: unitA.name,
    };

    // Refused cells share one record per kind; allowed cells get their own.
    const kinds = [...new Set(TABLE.flatMap((r) => (r.fresh ? [r.fresh] : [])))];
    await Promise.all(kinds.map(async (kind) => shared.set(kind, await make(kind, 'anonymous'))));
    await pool(
      CELLS.filter((c) => c.row.fresh),
      6,
      async (c) => {
        subjects.set(c.name, c.outcome === OK ? await make(c.row.fresh!, c.caller) : shared.get(c.row.fresh!)!);
      },
    );
    // Recorded once the read model has caught up with the workflow (start = event 1, the unit's action = event 2).
    const seq: Partial<Record<FixtureKind, number>> = { assignment: 1, submitted: 2, 'extension-requested': 2 };
    for (const [kind, s] of shared) {
      sharedStates.set(kind, await eventually(() => stateOf(kind, s), (st) => seq[kind] === undefined || (st as { last_seq: number }).last_seq === seq[kind]));
    }
  }, 170_000);

  afterAll(async () => {
    // Other suites share the database: unit A goes back to the default (immediate) mails.
    await stack?.ds.query('DELETE FROM notification_preferences WHERE unit_code = $1', [UNIT_A]);
    await stack?.close();
    await sink?.stop();
    if (mailDir) await rm(mailDir, { recursive: true, force: true });
  });

  it('has exactly one set of rows per registered route, and no row without a route', () => {
    const registered = registeredRoutes(stack.api.app.getHttpAdapter().getInstance());
    const tabled = [...new Set(TABLE.map((r) => `${r.method} ${r.route}`))].sort();
    expect({ withoutRow: registered.filter((r) => !tabled.includes(r)), withoutRoute: tabled.filter((r) => !registered.includes(r)) }).toEqual({
      withoutRow: [],
      withoutRoute: [],
    });
    // Every row of one route has a distinct name, so each cell is one named test.
    expect(new Set(CELLS.map((c) => c.name)).size).toBe(CELLS.length);
  });

  it.each(CELLS)('$name', async ({ name, row, caller, outcome }) => {
    const subject = subjects.get(name) ?? { id: '', revision: 0 };
    const headers = subject.headers ?? (caller === 'anonymous' ? {} : sessions[caller].headers);
    const res = await send(row.method, row.call(world, subject, caller), headers);
    if (outcome === OK) {
      expect({ status: res.status, body: res.status === row.ok ? '' : res.body }).toEqual({ status: row.ok, body: '' });
      row.check?.(res.body, caller);
    } else {
      expect({ status: res.status, code: (res.body as { error?: { code?: string } } | null)?.error?.code }).toEqual({ status: outcome, code: DENIAL_CODE[outcome] });
    }
  });

  it.each(CSRF_CELLS)('$name', async ({ row, caller }) => {
    // The record a refused cell addresses (see the last test); a session is the caller's own.
    const subject = (row.fresh && row.fresh !== 'session' ? shared.get(row.fresh) : undefined) ?? { id: '', revision: 0 };
    const res = await send(row.method, row.call(world, subject, caller), { cookie: sessions[caller].headers.cookie! });
    expect({ status: res.status, code: (res.body as { error?: { code?: string } } | null)?.error?.code }).toEqual({ status: 403, code: 'CSRF_FAILED' });
  });

  it('no refused call changed the records it addressed', async () => {
    for (const [kind, s] of shared) expect({ kind, state: await stateOf(kind, s) }).toEqual({ kind, state: sharedStates.get(kind) });
  });
});
