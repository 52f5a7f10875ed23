// The authorization table: every endpoint, called as every role, and exactly the allowed cells succeed.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { SAMPLE_PASSWORD } from '@app/persistence';
import { eventually, http, type LoggedIn, login, type RunningApi, type SampleStack, startSampleStack } from '../support/harness';

const CALLERS = ['anonymous', 'admin', 'coordinator', 'leader', 'unit_head', 'unit_officer', 'other_unit_officer'] as const;
type Caller = (typeof CALLERS)[number];

const ACCOUNTS: Record<Exclude<Caller, 'anonymous'>, string> = {
  admin: 'admin',
  coordinator: 'dieuphoi',
  leader: 'lanhdao',
  unit_head: 'xa-an-son.truong',
  unit_officer: 'xa-an-son.canbo',
  other_unit_officer: 'xa-binh-phuc.canbo',
};
const UNIT = 'VQ-XA-AN-SON';

/** What an assignment must have gone through before the action under test can succeed. */
type Setup = 'fresh' | 'submitted' | 'extension-requested';

interface Row {
  name: string;
  method: string;
  /** Builds the request for one cell; `setup` prepares the record it acts on when the cell is allowed. */
  request: (ctx: { assignment: () => Promise<string>; userId: () => Promise<string> }) => Promise<{ path: string; body?: unknown }>;
  setup?: Setup;
  expected: Record<Caller, number>;
}

const ALL = (ok: number, anonymous = 401): Record<Caller, number> =>
  Object.fromEntries(CALLERS.map((c) => [c, c === 'anonymous' ? anonymous : ok])) as Record<Caller, number>;
const ONLY = (ok: number, allowed: Caller[], denied = 403): Record<Caller, number> =>
  Object.fromEntries(CALLERS.map((c) => [c, c === 'anonymous' ? 401 : allowed.includes(c) ? ok : denied])) as Record<Caller, number>;
/** Assignment actions: another unit gets 404 whatever the action, so ids cannot be probed. */
const ACT = (allowed: Caller[]): Record<Caller, number> => ({ ...ONLY(200, allowed), other_unit_officer: 404 });

const planText = readFileSync(join(__dirname, '../../libs/plan-parser/fixtures/van-quan-2024-han-cu-the.txt'), 'utf8');
const inDays = (d: number): string => new Date(Date.now() + d * 86400_000).toISOString();

const TABLE: Row[] = [
  { name: 'health', method: 'GET', request: async () => ({ path: '/health' }), expected: ALL(200, 200) },
  { name: 'me', method: 'GET', request: async () => ({ path: '/api/auth/me' }), expected: ALL(200) },
  { name: 'list users', method: 'GET', request: async () => ({ path: '/api/users' }), expected: ONLY(200, ['admin']) },
  {
    name: 'create user',
    method: 'POST',
    request: async () => ({ path: '/api/users', body: { username: `t-${randomUUID().slice(0, 8)}`, displayName: 'T', password: 'mat-khau-dai-1', role: 'leader' } }),
    expected: ONLY(201, ['admin']),
  },
  { name: 'patch user', method: 'PATCH', request: async (c) => ({ path: `/api/users/${await c.userId()}`, body: { displayName: 'Đổi tên' } }), expected: ONLY(200, ['admin']) },
  {
    name: 'reset password',
    method: 'POST',
    request: async (c) => ({ path: `/api/users/${await c.userId()}/reset-password`, body: { password: 'mat-khau-moi-12' } }),
    expected: ONLY(204, ['admin']),
  },
  { name: 'audit', method: 'GET', request: async () => ({ path: '/api/audit' }), expected: ONLY(200, ['admin']) },
  {
    name: 'start assignment',
    method: 'POST',
    request: async () => ({ path: '/api/assignments', body: startBody() }),
    expected: ONLY(201, ['coordinator']),
  },
  {
    name: 'get assignment',
    method: 'GET',
    request: async (c) => ({ path: `/api/assignments/${encodeURIComponent(await c.assignment())}` }),
    expected: { ...ALL(200), other_unit_officer: 404 },
  },
  { name: 'acknowledge', method: 'POST', request: action({ type: 'acknowledge' }), expected: ACT(['unit_head', 'unit_officer']) },
  { name: 'progress', method: 'POST', request: action({ type: 'progress', percent: 40 }), expected: ACT(['unit_head', 'unit_officer']) },
  { name: 'submit', method: 'POST', request: action({ type: 'submit', text: 'Đã hoàn thành' }), expected: ACT(['unit_head', 'unit_officer']) },
  {
    name: 'request extension',
    method: 'POST',
    request: action({ type: 'request-extension', newDeadline: inDays(60), reason: 'Chờ số liệu' }),
    expected: ACT(['unit_head', 'unit_officer']),
  },
  { name: 'approve', method: 'POST', setup: 'submitted', request: action({ type: 'approve' }), expected: ACT(['coordinator']) },
  { name: 'return', method: 'POST', setup: 'submitted', request: action({ type: 'return', comment: 'Bổ sung số liệu' }), expected: ACT(['coordinator']) },
  { name: 'decide extension', method: 'POST', setup: 'extension-requested', request: action({ type: 'decide-extension', grant: true }), expected: ACT(['coordinator']) },
  { name: 'reassign', method: 'POST', request: action({ type: 'reassign', unitCode: 'VQ-XA-TRI-LE' }), expected: ACT(['coordinator']) },
  { name: 'cancel', method: 'POST', request: action({ type: 'cancel', reason: 'Trùng nhiệm vụ' }), expected: ACT(['coordinator']) },
  // Plans and organisation (issue 6, parallel work): reading is open to every role, changing is not.
  { name: 'list plans', method: 'GET', request: async () => ({ path: '/api/plans' }), expected: ALL(200) },
  {
    name: 'import plan',
    method: 'POST',
    request: async () => ({ path: '/api/plans/import', body: { text: planText, format: 'text', name: 'han-cu-the.txt' } }),
    expected: ONLY(201, ['coordinator', 'admin']),
  },
  { name: 'organisation', method: 'GET', request: async () => ({ path: '/api/organisation' }), expected: ALL(200) },
];

function startBody(): Record<string, unknown> {
  return {
    planId: randomUUID(),
    planTitle: 'Kế hoạch công tác trẻ em năm 2024',
    itemKey: 'V.3.4',
    title: 'Rà soát các khu vực thường xuyên xảy ra tai nạn đuối nước',
    unitCode: UNIT,
    deadline: inDays(30),
    escalation: [],
  };
}

function action(body: Record<string, unknown>): Row['request'] {
  return async (c) => ({ path: `/api/assignments/${encodeURIComponent(await c.assignment())}/actions`, body });
}

describe('authorization table: each endpoint as each role', () => {
  let sut: RunningApi;
  let stack: SampleStack;
  let ds: DataSource;
  const sessions = {} as Record<Exclude<Caller, 'anonymous'>, LoggedIn>;

  beforeAll(async () => {
    stack = await startSampleStack();
    ({ api: sut, ds } = stack);
    for (const [caller, username] of Object.entries(ACCOUNTS) as [Exclude<Caller, 'anonymous'>, string][]) {
      sessions[caller] = await stack.loginAs(username);
    }
    // /health answers 200 only once the worker polls; wait for it so the table is deterministic.
    await eventually(() => http(sut.baseUrl, 'GET', '/health'), (r) => r.status === 200);
  });

  afterAll(async () => {
    await stack?.close();
  });

  /** A fresh assignment of the unit, brought to the state the action needs. */
  async function prepareAssignment(setup: Setup): Promise<string> {
    const started = await http<{ workflowId: string }>(sut.baseUrl, 'POST', '/api/assignments', startBody(), sessions.coordinator.headers);
    const id = started.body.workflowId;
    await eventually(() => ds.query('SELECT 1 FROM assignments WHERE workflow_id = $1', [id]), (rows: unknown[]) => rows.length === 1);
    const act = (body: unknown) => http(sut.baseUrl, 'POST', `/api/assignments/${encodeURIComponent(id)}/actions`, body, sessions.unit_officer.headers);
    if (setup === 'submitted') expect((await act({ type: 'submit', text: 'Báo cáo' })).status).toBe(200);
    if (setup === 'extension-requested') expect((await act({ type: 'request-extension', newDeadline: inDays(60), reason: 'Chờ' })).status).toBe(200);
    return id;
  }

  async function throwawayUser(): Promise<string> {
    const res = await http<{ id: string }>(
      sut.baseUrl,
      'POST',
      '/api/users',
      { username: `p-${randomUUID().slice(0, 8)}`, displayName: 'P', password: 'mat-khau-dai-1', role: 'leader' },
      sessions.admin.headers,
    );
    return res.body.id;
  }

  it('allows exactly the cells of the table', async () => {
    // One shared assignment serves every refused cell: a refusal must never reach the workflow.
    const shared = await prepareAssignment('fresh');
    const cells = TABLE.flatMap((row) => CALLERS.map((caller) => ({ row, caller })));
    const actual = await Promise.all(
      cells.map(async ({ row, caller }) => {
        const allowed = row.expected[caller] < 300;
        const { path, body } = await row.request({
          assignment: () => (allowed ? prepareAssignment(row.setup ?? 'fresh') : Promise.resolve(shared)),
          userId: throwawayUser,
        });
        const headers = caller === 'anonymous' ? {} : sessions[caller].headers;
        const res = await http<{ error?: { code: string } }>(sut.baseUrl, row.method, path, body, headers);
        return `${row.name} as ${caller}: ${res.status}${res.status >= 400 ? ` ${res.body.error?.code}` : ''}`;
      }),
    );
    const CODE: Record<number, string> = { 401: ' UNAUTHENTICATED', 403: ' FORBIDDEN', 404: ' NOT_FOUND' };
    const expected = cells.map(({ row, caller }) => `${row.name} as ${caller}: ${row.expected[caller]}${CODE[row.expected[caller]] ?? ''}`);
    expect(actual).toEqual(expected);

    const [row] = await ds.query('SELECT status, last_seq FROM assignments WHERE workflow_id = $1', [shared]);
    expect(row).toEqual({ status: 'assigned', last_seq: 1 });
  });

  it('signs out as every role', async () => {
    for (const username of Object.values(ACCOUNTS)) {
      const s = await login(sut.baseUrl, username, SAMPLE_PASSWORD);
      expect((await http(sut.baseUrl, 'POST', '/api/auth/logout', undefined, s.headers)).status).toBe(204);
    }
  });
});
