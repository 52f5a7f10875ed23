// The demo plan behind a first `npm start` (issue 17): a copy of the sample plan moved to the current year,
// imported, reviewed and activated through the HTTP API as the coordinator, then given a few months of history
// by the people who would have made it (unit officers report, the coordinator reviews). Nothing here writes to
// the database or to Temporal directly: every change is a request a user could have sent, so the workflows,
// the read model, the outbox and the dashboards all tell the same story. Rules and scenes: docs/demo.md.
//
// Only Node built-ins: the launcher loads this file without the path aliases the apps use.
import { readFile } from 'node:fs/promises';

/** The sample plan as written: the year its text names. */
export const SAMPLE_YEAR = 2024;
/** The demo copy's number, set during its review (the original names none). */
export const DEMO_PLAN_NUMBER = '86/KH-UBND';
const OFFICE_TZ_OFFSET_MS = 7 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;
/** Requests run side by side: enough to hide HTTP latency, few enough for 2 cores. */
const CONCURRENCY = 10;

export const demoSourceName = (year: number): string => `van-quan-${year}-cong-tac-tre-em (demo).md`;
export const demoTitle = (year: number): string => `Triển khai thực hiện công tác trẻ em năm ${year} trên địa bàn huyện Văn Quan`;

/** The calendar year in Việt Nam (the plan's year is a Vietnamese calendar year). */
export function demoYear(now: Date): number {
  return new Date(now.getTime() + OFFICE_TZ_OFFSET_MS).getUTCFullYear();
}

/**
 * The demo copy's text: every "2024" of the sample becomes the demo year. In this plan that token is always the
 * plan's own year (its title, its periods, the province plan of 22/3 it implements); the older laws and decisions
 * it cites (2016, 2017, 2019, 2021, 2023 …) are real documents and keep their dates. Deadlines the parser derives
 * from the year (month, quarter and year ends, "trước ngày 10/5") move with it.
 */
export function demoPlanText(sample: string, year: number): string {
  return sample.replace(/(?<!\d)2024(?!\d)/g, String(year));
}

/** The end of a day in Việt Nam, `days` after the day of `from`, as an instant (deadlines are ends of days). */
export function endOfOfficeDay(from: Date, days: number): string {
  const local = new Date(from.getTime() + OFFICE_TZ_OFFSET_MS + days * DAY_MS);
  return `${local.toISOString().slice(0, 10)}T23:59:59.999+07:00`;
}

// ---------------------------------------------------------------------------------------------------------------
// HTTP

interface Session {
  username: string;
  headers: Record<string, string>;
}

export class DemoError extends Error {}

class Api {
  private readonly sessions = new Map<string, Promise<Session>>();
  requests = 0;

  constructor(
    readonly baseUrl: string,
    private readonly password: string,
  ) {}

  as(username: string): Promise<Session> {
    let s = this.sessions.get(username);
    if (!s) {
      s = this.login(username);
      this.sessions.set(username, s);
    }
    return s;
  }

  private async login(username: string): Promise<Session> {
    this.requests++;
    const res = await fetch(`${this.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: this.password }),
    });
    if (res.status !== 200) {
      throw new DemoError(`sign-in as ${username} failed (${res.status}): is DONDOC_SAMPLE_PASSWORD the sample accounts' password? ${await res.text()}`);
    }
    const body = (await res.json()) as { csrfToken: string };
    const cookie = res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    return { username, headers: { cookie, 'x-csrf-token': body.csrfToken } };
  }

  async call<T>(who: Session, method: string, path: string, body?: unknown): Promise<T> {
    this.requests++;
    const form = body instanceof FormData;
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { ...who.headers, ...(body !== undefined && !form ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : form ? body : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status >= 300) throw new DemoError(`${method} ${path} as ${who.username}: ${res.status} ${text.slice(0, 500)}`);
    return (text ? JSON.parse(text) : null) as T;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// What the API returns (the fields read here)

interface PlanSummary {
  id: string;
  number: string | null;
  title: string;
  year: number;
  status: string;
}
interface PlanView {
  id: string;
  status: string;
  revision: number;
  plan: { metadata: { number: string | null; issueDate: string | null; year: number } };
  warnings: Array<{ index: number; code: string; resolved: boolean }>;
  source: { name: string | null };
  activatedAt: string | null;
}
export interface DemoAssignment {
  workflowId: string;
  itemKey: string;
  kind: 'responsibility' | 'report';
  title: string;
  unitCode: string;
  periodKey: string;
  status: string;
  timeliness: string | null;
  deadline: string | null;
  progress: number;
}
interface Paged<T> {
  items: T[];
  total: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Scenes: what each assignment has been through by "today"

export type Scene =
  | { kind: 'approved' }
  | { kind: 'submitted' }
  | { kind: 'returned' }
  | { kind: 'progress'; percent: number }
  | { kind: 'acknowledged' }
  | { kind: 'extension-pending'; days: number }
  | { kind: 'extension-granted'; days: number }
  | { kind: 'untouched' };

/** The commune whose officer the README's first run signs in as: its inbox shows one of each kind of work. */
export const DEMO_COMMUNE = 'VQ-XA-AN-SON';
/** Units that asked for more time: one waits for the coordinator, one was given two days. */
const EXTENSION_PENDING_UNIT = 'VQ-XA-BINH-PHUC';
const EXTENSION_GRANTED_UNIT = 'VQ-XA-DIEM-HE';
/** The annual report of section VI ("báo cáo năm trước ngày 10/11"). */
const EXTENSION_ITEM = 'VI.2';

const order = (a: DemoAssignment, b: DemoAssignment): number =>
  (a.deadline ?? '9999').localeCompare(b.deadline ?? '9999') || a.itemKey.localeCompare(b.itemKey) || a.unitCode.localeCompare(b.unitCode) || a.periodKey.localeCompare(b.periodKey);

/**
 * Which scene each assignment plays, decided only by the assignments and the reference time (the plan's
 * activation), so a later start picks the same scenes and finds them played.
 *  - Work whose deadline had passed: mostly reported and accepted (late: the workflows keep real time, so a
 *    report sent today for a May deadline is late), a few reports waiting for review, a few units behind.
 *  - Work still ahead: about a third accepted (on time), some waiting for review, the rest acknowledged, in
 *    progress or not yet opened.
 *  - The demo commune's own inbox holds one of each (README step 2), and two communes asked for an extension.
 */
export function planScenes(assignments: readonly DemoAssignment[], ref: Date): Map<string, Scene> {
  const scenes = new Map<string, Scene>();
  const t = ref.getTime();
  const past = assignments.filter((a) => a.deadline && Date.parse(a.deadline) < t).sort(order);
  // Work due within days counts as ahead too: at the end of December most of the plan is.
  const ahead = assignments.filter((a) => a.deadline && Date.parse(a.deadline) >= t).sort(order);

  // The demo commune: latest past work overdue, earlier past work accepted late, and ahead one of each kind.
  const commune = (list: DemoAssignment[]) => list.filter((a) => a.unitCode === DEMO_COMMUNE);
  const communePast = commune(past);
  communePast.forEach((a, i) => scenes.set(a.workflowId, i === communePast.length - 1 && i > 0 ? { kind: 'progress', percent: 70 } : { kind: 'approved' }));
  const communeAhead: Scene[] = [{ kind: 'progress', percent: 40 }, { kind: 'returned' }, { kind: 'acknowledged' }, { kind: 'untouched' }, { kind: 'approved' }];
  commune(ahead).forEach((a, i) => scenes.set(a.workflowId, communeAhead[i % communeAhead.length]));

  // Two communes asked for more time for their annual report: chosen by item, not by deadline, because a
  // granted extension moves the deadline and a later start must still find the same assignment.
  const extension = (unit: string, scene: Scene): void => {
    const pick = assignments.find((a) => a.unitCode === unit && a.itemKey === EXTENSION_ITEM);
    if (pick) scenes.set(pick.workflowId, scene);
  };
  extension(EXTENSION_PENDING_UNIT, { kind: 'extension-pending', days: 14 });
  // Two days from today: inside the 'due soon' window, so the leader sees that class too.
  extension(EXTENSION_GRANTED_UNIT, { kind: 'extension-granted', days: 2 });

  const pastCycle: Scene[] = [
    ...Array.from({ length: 15 }, (): Scene => ({ kind: 'approved' })),
    { kind: 'submitted' },
    { kind: 'progress', percent: 60 },
    { kind: 'submitted' },
    { kind: 'acknowledged' },
    { kind: 'untouched' },
  ];
  past.filter((a) => !scenes.has(a.workflowId)).forEach((a, i) => scenes.set(a.workflowId, pastCycle[i % pastCycle.length]));

  const aheadCycle: Scene[] = [
    { kind: 'approved' },
    { kind: 'progress', percent: 30 },
    { kind: 'acknowledged' },
    { kind: 'approved' },
    { kind: 'submitted' },
    { kind: 'progress', percent: 75 },
    { kind: 'untouched' },
    { kind: 'approved' },
    { kind: 'acknowledged' },
    { kind: 'progress', percent: 50 },
  ];
  ahead.filter((a) => !scenes.has(a.workflowId)).forEach((a, i) => scenes.set(a.workflowId, aheadCycle[i % aheadCycle.length]));
  return scenes;
}

// ---------------------------------------------------------------------------------------------------------------
// Playing a scene: only the steps the assignment has not been through yet

const WORKING = new Set(['assigned', 'acknowledged', 'in_progress', 'returned']);

function reportText(a: DemoAssignment): string {
  if (a.kind === 'report') {
    return 'Báo cáo kết quả thực hiện công tác trẻ em: đã rà soát, cập nhật danh sách trẻ em có hoàn cảnh đặc biệt; tổ chức tuyên truyền phòng, chống xâm hại và đuối nước trẻ em; số liệu chi tiết theo biểu mẫu đính kèm.';
  }
  return `Đã triển khai nhiệm vụ ${a.itemKey}: ban hành kế hoạch của đơn vị, phân công cán bộ phụ trách và tổ chức thực hiện; kết quả cụ thể theo tài liệu đính kèm.`;
}

/** A small but real PDF (the attachment check reads the file's first bytes). */
function pdfAttachment(title: string): Blob {
  const body = `%PDF-1.4\n% Dondoc demo\n1 0 obj << /Title (${title}) >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`;
  return new Blob([Buffer.from(body, 'latin1')], { type: 'application/pdf' });
}

interface Actors {
  coordinator: Session;
  officerOf(unitCode: string): Promise<Session>;
}

async function play(api: Api, actors: Actors, a: DemoAssignment, scene: Scene, ref: Date): Promise<number> {
  const path = `/api/assignments/${encodeURIComponent(a.workflowId)}`;
  let steps = 0;
  let status = a.status;
  const act = async (who: Session, body: Record<string, unknown>): Promise<void> => {
    const snapshot = await api.call<{ status: string }>(who, 'POST', `${path}/actions`, body);
    status = snapshot.status ?? status;
    steps++;
  };
  const officer = (): Promise<Session> => actors.officerOf(a.unitCode);
  // Reports, and everything the coordinator still has to read, come with a file; a duty already accepted may
  // have been reported in words alone (and the demo saves an upload per such duty).
  const withFile = a.kind === 'report' || scene.kind !== 'approved';
  const submit = async (): Promise<void> => {
    const who = await officer();
    const attachments: Array<{ id: string; name: string; size: number }> = [];
    if (withFile) {
      const form = new FormData();
      const name = `${a.kind === 'report' ? 'bao-cao' : 'ket-qua'}-${a.itemKey.toLowerCase().replace(/\./g, '-')}-${a.periodKey.toLowerCase()}.pdf`;
      form.append('file', pdfAttachment(a.itemKey), name);
      const file = await api.call<{ id: string; name: string; size: number }>(who, 'POST', `${path}/attachments`, form);
      attachments.push({ id: file.id, name: file.name, size: file.size });
    }
    const text = withFile ? reportText(a) : `Đã hoàn thành nhiệm vụ ${a.itemKey} theo kế hoạch.`;
    await act(who, { type: 'submit', text, attachments });
  };

  switch (scene.kind) {
    case 'untouched':
      return 0;
    case 'acknowledged':
      if (status === 'assigned') await act(await officer(), { type: 'acknowledge', comment: 'Đơn vị đã nhận nhiệm vụ.' });
      return steps;
    case 'progress':
      if (status === 'assigned') await act(await officer(), { type: 'acknowledge' });
      if (status === 'acknowledged') {
        await act(await officer(), { type: 'progress', percent: scene.percent, comment: `Đang triển khai, ước đạt ${scene.percent}% khối lượng công việc.` });
      }
      return steps;
    case 'submitted':
      if (WORKING.has(status) && status !== 'returned') await submit();
      return steps;
    case 'approved':
      if (WORKING.has(status) && status !== 'returned') await submit();
      if (status === 'submitted') await act(actors.coordinator, { type: 'approve', comment: 'Báo cáo đạt yêu cầu.' });
      return steps;
    case 'returned':
      if (status === 'assigned' || status === 'acknowledged' || status === 'in_progress') await submit();
      if (status === 'submitted') {
        await act(actors.coordinator, {
          type: 'return',
          comment: 'Đề nghị bổ sung số liệu theo biểu mẫu kèm theo Kế hoạch (số trẻ em được hỗ trợ, số buổi tuyên truyền) và gửi lại.',
        });
      }
      return steps;
    case 'extension-pending':
    case 'extension-granted': {
      const detail = await api.call<{ assignment: { pendingExtension: unknown }; events: Array<{ type: string }> }>(actors.coordinator, 'GET', path);
      const asked = detail.events.some((e) => e.type === 'extension_requested');
      if (!asked && WORKING.has(status)) {
        const who = await officer();
        if (status === 'assigned') await act(who, { type: 'acknowledge' });
        await act(who, {
          type: 'request-extension',
          // A new deadline must come after the current one: for work still ahead, counted from its deadline.
          newDeadline: endOfOfficeDay(new Date(Math.max(ref.getTime(), a.deadline ? Date.parse(a.deadline) : 0)), scene.days),
          reason: 'Đơn vị đang chờ số liệu rà soát của các thôn, đề nghị cho gia hạn để báo cáo đầy đủ.',
        });
      }
      const pending = asked ? detail.assignment.pendingExtension !== null : steps > 0;
      if (scene.kind === 'extension-granted' && pending) {
        await act(actors.coordinator, { type: 'decide-extension', grant: true, comment: 'Đồng ý gia hạn, đề nghị đơn vị báo cáo đúng hạn mới.' });
      }
      return steps;
    }
  }
}

async function inParallel<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const errors: unknown[] = [];
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const item = items[next++];
        await fn(item).catch((err: unknown) => errors.push(err));
      }
    }),
  );
  if (errors.length > 0) throw errors[0] instanceof Error ? errors[0] : new DemoError(String(errors[0]));
}

// ---------------------------------------------------------------------------------------------------------------
// The whole run

export interface DemoOptions {
  /** The running API, e.g. http://127.0.0.1:3000. */
  baseUrl: string;
  /** The sample accounts' password (the launcher's DONDOC_SAMPLE_PASSWORD). */
  password: string;
  /** The sample plan as written (libs/plan-parser/fixtures/van-quan-2024-cong-tac-tre-em.md). */
  sampleFile: string;
  now?: Date;
  log?: (message: string) => void;
}

export interface DemoResult {
  planId: string;
  year: number;
  /** 'active', or what someone made of the demo plan since ('cancelled', 'closed': left as it is). */
  status: string;
  /** Import, review and activation happened in this run (false: the plan was already there). */
  created: boolean;
  assignments: number;
  /** Workflow actions sent in this run (0 when an earlier run finished the history). */
  actions: number;
  /** The leader's dashboard after the run: assignments per timeliness class. */
  counts: Record<string, number>;
  seconds: number;
}

const TIMELINESS_VI: Record<string, string> = {
  done_on_time: 'hoàn thành đúng hạn',
  done_late: 'hoàn thành quá hạn',
  open_on_time: 'trong hạn',
  due_soon: 'sắp đến hạn',
  open_overdue: 'quá hạn',
  no_deadline: 'chưa có hạn',
};

/** The launcher's one line. */
export function summaryLine(r: DemoResult): string {
  const classes = Object.keys(TIMELINESS_VI)
    .map((k) => `${r.counts[k] ?? 0} ${TIMELINESS_VI[k]}`)
    .join(', ');
  const what = r.status !== 'active' ? `${r.status} by a user, left as it is` : r.created ? 'imported, activated' : r.actions > 0 ? 'completed' : 'already in place';
  return `Demo plan ${r.year} (${r.planId}): ${what}; ${r.assignments} assignments, ${r.actions} actions in ${r.seconds.toFixed(1)} s — ${classes}`;
}

/**
 * The demo copy made by an earlier start, of whatever year: a start in the new year keeps last year's demo
 * (a fresh copy on 2 January would have almost nothing behind it) and never makes a second one.
 */
async function findDemoPlan(api: Api, coordinator: Session): Promise<PlanView | null> {
  const q = encodeURIComponent('Triển khai thực hiện công tác trẻ em năm');
  const list = await api.call<Paged<PlanSummary>>(coordinator, 'GET', `/api/plans?q=${q}&sort=year&order=desc&pageSize=100`);
  for (const summary of list.items) {
    if (summary.year === SAMPLE_YEAR || summary.title !== demoTitle(summary.year)) continue;
    const view = await api.call<PlanView>(coordinator, 'GET', `/api/plans/${summary.id}`);
    if (view.source.name === demoSourceName(summary.year)) return view;
  }
  return null;
}

/** The review a coordinator would do on the imported copy: number and issue date, one duty the plan left undated. */
async function review(api: Api, coordinator: Session, view: PlanView, year: number, now: Date): Promise<PlanView> {
  if (view.plan.metadata.number === null) {
    // The province plan it implements is of 22/3; the district's follows in early April (earlier in the year
    // than that, a week before the first start, so the plan is never issued in the future).
    const april = Date.parse(`${year}-04-05T00:00:00+07:00`);
    const issued = new Date(Math.max(Date.parse(`${year}-01-02T00:00:00+07:00`), Math.min(april, now.getTime() - 7 * DAY_MS)));
    view = await api.call<PlanView>(coordinator, 'PATCH', `/api/plans/${view.id}`, {
      revision: view.revision,
      changes: [
        { op: 'set', path: 'metadata.number', value: DEMO_PLAN_NUMBER },
        { op: 'set', path: 'metadata.issueDate', value: endOfOfficeDay(issued, 0).slice(0, 10) },
        {
          op: 'add',
          value: {
            text: `Phối hợp với Phòng Lao động, Thương binh, Xã hội - Dân tộc tổ chức Diễn đàn trẻ em huyện năm ${year}; thời gian tổ chức thông báo sau.`,
            unit: 'VQ-HUYEN-DOAN',
          },
        },
      ],
    });
  }
  for (const w of view.warnings) {
    if (w.resolved || (w.code !== 'MISSING_NUMBER' && w.code !== 'MISSING_ISSUE_DATE')) continue;
    view = await api.call<PlanView>(coordinator, 'POST', `/api/plans/${view.id}/warnings/${w.index}/resolve`, {
      note: 'Đã bổ sung theo bản ký ban hành.',
      revision: view.revision,
    });
  }
  return view;
}

async function allAssignments(api: Api, coordinator: Session, planId: string): Promise<DemoAssignment[]> {
  const out: DemoAssignment[] = [];
  for (let page = 1; ; page++) {
    const res = await api.call<Paged<DemoAssignment>>(coordinator, 'GET', `/api/inbox?planId=${planId}&pageSize=100&page=${page}&status=assigned,acknowledged,in_progress,submitted,returned,done`);
    out.push(...res.items);
    if (res.items.length === 0 || out.length >= res.total) return out;
  }
}

async function waitFor<T>(what: string, fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs: number): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > until) throw new DemoError(`${what}: not done after ${timeoutMs / 1000} s (${JSON.stringify(v).slice(0, 300)})`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/**
 * Makes the demo plan, or finishes one an interrupted run left half made, or finds it complete and does
 * nothing. Throws DemoError naming the step that failed; what was done stays and the next run continues.
 */
export async function seedDemo(opts: DemoOptions): Promise<DemoResult> {
  const started = Date.now();
  const now = opts.now ?? new Date();
  const log = opts.log ?? (() => undefined);
  const api = new Api(opts.baseUrl, opts.password);
  const coordinator = await api.as('dieuphoi');

  let view = await findDemoPlan(api, coordinator);
  const year = view ? view.plan.metadata.year : demoYear(now);
  if (view && view.status !== 'draft' && view.status !== 'active') {
    // Someone cancelled or closed the demo: that was their decision, a start does not undo it.
    const summary = await api.call<{ total: number; counts: Record<string, number> }>(coordinator, 'GET', `/api/dashboard/summary?planId=${view.id}`);
    return { planId: view.id, year, status: view.status, created: false, assignments: summary.total, actions: 0, counts: summary.counts, seconds: (Date.now() - started) / 1000 };
  }
  const created = view === null || view.status === 'draft';
  if (view === null) {
    log(`demo: importing the sample plan as its ${year} copy`);
    const text = demoPlanText(await readFile(opts.sampleFile, 'utf8'), year);
    view = await api.call<PlanView>(coordinator, 'POST', '/api/plans/import', { text, format: 'markdown', name: demoSourceName(year) });
  }
  if (view.status === 'draft') view = await review(api, coordinator, view, year, now);

  // Activation is idempotent: pressing it again on an active plan starts only what a crash left unstarted.
  const preview = await api.call<{ assignments: number; problems: Array<{ blocking: boolean; message: string }> }>(coordinator, 'GET', `/api/plans/${view.id}/activation-preview`);
  const blocking = preview.problems.filter((p) => p.blocking);
  if (blocking.length > 0) throw new DemoError(`the demo plan cannot be activated: ${blocking.map((p) => p.message).join('; ')}`);
  let count = (await api.call<Paged<DemoAssignment>>(coordinator, 'GET', `/api/inbox?planId=${view.id}&pageSize=1&status=assigned,acknowledged,in_progress,submitted,returned,done,cancelled`)).total;
  if (view.status === 'draft' || count < preview.assignments) {
    log(`demo: activating ${preview.assignments} assignments`);
    await api.call(coordinator, 'POST', `/api/plans/${view.id}/activate`, {});
    count = await waitFor(
      'activation of the demo plan',
      async () => (await api.call<Paged<DemoAssignment>>(coordinator, 'GET', `/api/inbox?planId=${view!.id}&pageSize=1&status=assigned,acknowledged,in_progress,submitted,returned,done,cancelled`)).total,
      (n) => n >= preview.assignments,
      120000,
    );
    view = await api.call<PlanView>(coordinator, 'GET', `/api/plans/${view.id}`);
    log(`demo: ${count} assignments running at ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  const planId = view.id;

  // Scenes are chosen against the activation time, so a start weeks later replays the same choice.
  const ref = view.activatedAt ? new Date(view.activatedAt) : now;
  const assignments = await allAssignments(api, coordinator, planId);
  const scenes = planScenes(assignments, ref);

  // Unit officers by unit, from the accounts list (the username scheme has exceptions: docs/accounts.md). The
  // sample account (`<slug>.canbo`, the one DONDOC_SAMPLE_PASSWORD opens) wins over officers an admin added later.
  const admin = await api.as('admin');
  const officers = new Map<string, string>();
  for (let page = 1; ; page++) {
    const res = await api.call<Paged<{ username: string; unitCode: string | null; disabled?: boolean }>>(admin, 'GET', `/api/users?role=unit_officer&pageSize=100&page=${page}`);
    for (const u of res.items) {
      if (!u.unitCode || u.disabled) continue;
      if (u.username.endsWith('.canbo') || !officers.has(u.unitCode)) officers.set(u.unitCode, u.username);
    }
    if (res.items.length === 0 || page * 100 >= res.total) break;
  }
  const actors: Actors = {
    coordinator,
    officerOf: (unitCode) => {
      const username = officers.get(unitCode);
      if (!username) throw new DemoError(`no officer account for ${unitCode}`);
      return api.as(username);
    },
  };

  let actions = 0;
  const work = assignments.filter((a) => (scenes.get(a.workflowId)?.kind ?? 'untouched') !== 'untouched');
  await inParallel(work, CONCURRENCY, async (a) => {
    const n = await play(api, actors, a, scenes.get(a.workflowId)!, ref);
    actions += n;
  });
  log(`demo: history made (${actions} actions) at ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const summary = await api.call<{ total: number; counts: Record<string, number> }>(coordinator, 'GET', `/api/dashboard/summary?planId=${planId}`);
  return { planId, year, status: 'active', created, assignments: summary.total, actions, counts: summary.counts, seconds: (Date.now() - started) / 1000 };
}
