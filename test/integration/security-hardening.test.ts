// Issue 15 through the running app, each with the probe an attacker would use: login CSRF and cross-site
// Origins, parallel password guessing, a stranger trying to lock a user out, stolen-cookie hygiene
// (password change, absolute lifetime, purge), headers, log contents, limits on expensive work, CSV formulas,
// production mode.
import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { DataSource } from 'typeorm';
import { signedLink } from '@app/notifications';
import { AuthService } from '../../apps/api/src/auth/auth.service';
import { TEST_SAMPLE_PASSWORD } from '../support/accounts';
import { http, type LoggedIn, login, type RunningApi, type SampleStack, startApiApp, startSampleStack, testConfig } from '../support/harness';
import { headerOnlyPlan } from '../support/plans';
import { createApiApp } from '../../apps/api/src/bootstrap';

type ErrorBody = { error: { code: string; message: string; fields?: Record<string, string[]> } };

const rnd = (): number => Math.floor(Math.random() * 250) + 1;
/** A client address of its own (trusted from loopback), so no probe shares a counter with another. */
const fromIp = (): Record<string, string> => ({ 'x-forwarded-for': `10.${rnd()}.${rnd()}.${rnd()}` });
const loginAt = (base: string, ip: Record<string, string>, username: string, password: string) =>
  http<ErrorBody>(base, 'POST', '/api/auth/login', { username, password }, ip);

describe('security hardening (issue 15)', () => {
  let stack: SampleStack;
  let sut: RunningApi;
  let ds: DataSource;
  let admin: LoggedIn;

  beforeAll(async () => {
    stack = await startSampleStack({
      LOGIN_BASE_DELAY_S: '2',
      RATE_LIMIT_IMPORT_USER: '2/600',
      RATE_LIMIT_EXPORT_USER: '3/600',
      ATTACHMENTS_MAX_PER_ASSIGNMENT: '2',
      ATTACHMENTS_MAX_BYTES_PER_ASSIGNMENT: '4096',
    });
    ({ api: sut, ds } = stack);
    admin = await stack.loginAs('admin');
  });

  afterAll(async () => {
    await stack?.close();
  });

  async function newUser(role: string, unitCode: string | null, password = 'mat-khau-dai-1'): Promise<{ id: string; username: string; password: string }> {
    const username = `s-${randomUUID().slice(0, 8)}`;
    const res = await http<{ id: string }>(sut.baseUrl, 'POST', '/api/users', { username, displayName: 'Người thử', password, role, unitCode }, admin.headers);
    expect(res.status).toBe(201);
    return { id: res.body.id, username, password };
  }

  describe('sign-in', () => {
    it('accepts only JSON: a cross-site HTML form (urlencoded) gets 415 and sets no cookie', async () => {
      const res = await fetch(`${sut.baseUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `username=admin&password=${encodeURIComponent(TEST_SAMPLE_PASSWORD)}`,
      });
      expect(res.status).toBe(415);
      expect(res.headers.getSetCookie()).toEqual([]);
      const plain = await fetch(`${sut.baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ username: 'admin', password: TEST_SAMPLE_PASSWORD }) });
      expect(plain.status).toBe(415);
    });

    it('refuses a cross-site Origin or Sec-Fetch-Site with 403, accepts its own origin', async () => {
      const body = { username: 'admin', password: TEST_SAMPLE_PASSWORD };
      const evil = await http<ErrorBody>(sut.baseUrl, 'POST', '/api/auth/login', body, { origin: 'https://evil.example' });
      expect(evil.status).toBe(403);
      expect(evil.headers.getSetCookie()).toEqual([]);
      expect((await http(sut.baseUrl, 'POST', '/api/auth/login', body, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
      expect((await http(sut.baseUrl, 'POST', '/api/auth/login', body, { origin: sut.baseUrl, 'sec-fetch-site': 'same-origin' })).status).toBe(200);
    });

    it('counts parallel guesses before checking them: of 12 at once, at most 5 are checked', async () => {
      const u = await newUser('leader', null);
      const ip = fromIp();
      const answers = await Promise.all(Array.from({ length: 12 }, () => loginAt(sut.baseUrl, ip, u.username, 'doan-mo-123')));
      const statuses = answers.map((a) => a.status);
      expect(statuses.filter((s) => s === 401)).toHaveLength(5);
      expect(statuses.filter((s) => s === 429)).toHaveLength(7);
    });

    it('doubles the wait after each failure past the free ones, and a stranger elsewhere never locks the user out', async () => {
      const u = await newUser('leader', null);
      const stranger = fromIp();
      for (let i = 0; i < 5; i += 1) expect((await loginAt(sut.baseUrl, stranger, u.username, 'sai-mat-khau')).status).toBe(401);
      const first = await loginAt(sut.baseUrl, stranger, u.username, 'sai-mat-khau');
      expect(first.status).toBe(429);
      expect(Number(first.headers.get('retry-after'))).toBeLessThanOrEqual(2);
      // Time passes (the wait is moved into the past), the stranger fails again: the next wait is twice as long.
      await ds.query(`UPDATE login_throttle SET blocked_until = now() - interval '1 second' WHERE username = $1`, [u.username]);
      expect((await loginAt(sut.baseUrl, stranger, u.username, 'sai-mat-khau')).status).toBe(401);
      const second = await loginAt(sut.baseUrl, stranger, u.username, 'sai-mat-khau');
      expect(second.status).toBe(429);
      expect(Number(second.headers.get('retry-after'))).toBeGreaterThan(2);
      expect(Number(second.headers.get('retry-after'))).toBeLessThanOrEqual(4);
      expect(second.body.error.message).toMatch(/^Đăng nhập sai quá nhiều lần.*Thử lại sau \d+ giây\.$/);
      const english = await http<ErrorBody>(sut.baseUrl, 'POST', '/api/auth/login', { username: u.username, password: 'x' }, { ...stranger, 'accept-language': 'en' });
      expect(english.body.error.message).toMatch(/Try again in \d+ seconds\.$/);

      // The user, at their own address, signs in at once.
      expect((await loginAt(sut.baseUrl, fromIp(), u.username, u.password)).status).toBe(200);
    });

    it('limits failures per client address across usernames, never blocking other addresses', async () => {
      const local = await startApiApp(testConfig({ RATE_LIMIT_LOGIN_FAILURES_ADDRESS: '4/600' }));
      try {
        const ip = fromIp();
        for (let i = 0; i < 4; i += 1) expect((await loginAt(local.baseUrl, ip, `khong-co-${randomUUID().slice(0, 6)}`, 'x')).status).toBe(401);
        const spent = await loginAt(local.baseUrl, ip, 'dieuphoi', TEST_SAMPLE_PASSWORD);
        expect(spent.status).toBe(429);
        expect(spent.body.error.code).toBe('LOGIN_THROTTLED');
        expect(Number(spent.headers.get('retry-after'))).toBeGreaterThan(500);
        expect((await loginAt(local.baseUrl, fromIp(), 'dieuphoi', TEST_SAMPLE_PASSWORD)).status).toBe(200);
      } finally {
        await local.close();
      }
    });
  });

  describe('sessions and passwords', () => {
    it('lets a user change their own password: checks the current one and the policy, ends their other sessions', async () => {
      const u = await newUser('unit_officer', 'VQ-XA-AN-SON');
      const here = await login(sut.baseUrl, u.username, u.password);
      const elsewhere = await login(sut.baseUrl, u.username, u.password);
      const wrong = await http<ErrorBody>(sut.baseUrl, 'POST', '/api/auth/password', { currentPassword: 'khong-dung-1', newPassword: 'mat-khau-moi-22' }, here.headers);
      expect(wrong.status).toBe(400);
      expect(wrong.body.error.fields).toEqual({ currentPassword: ['WRONG_PASSWORD'] });
      const weak = await http<ErrorBody>(sut.baseUrl, 'POST', '/api/auth/password', { currentPassword: u.password, newPassword: 'ngan' }, here.headers);
      expect(Object.keys(weak.body.error.fields!)).toEqual(['newPassword']);
      const noCsrf = await http(sut.baseUrl, 'POST', '/api/auth/password', { currentPassword: u.password, newPassword: 'mat-khau-moi-22' }, { cookie: here.headers.cookie });
      expect(noCsrf.status).toBe(403);

      expect((await http(sut.baseUrl, 'POST', '/api/auth/password', { currentPassword: u.password, newPassword: 'mat-khau-moi-22' }, here.headers)).status).toBe(204);
      expect((await http(sut.baseUrl, 'GET', '/api/auth/me', undefined, here.headers)).status).toBe(200);
      expect((await http(sut.baseUrl, 'GET', '/api/auth/me', undefined, elsewhere.headers)).status).toBe(401);
      expect((await loginAt(sut.baseUrl, fromIp(), u.username, u.password)).status).toBe(401);
      expect((await loginAt(sut.baseUrl, fromIp(), u.username, 'mat-khau-moi-22')).status).toBe(200);
      const audit = await http<{ items: { action: string }[] }>(sut.baseUrl, 'GET', `/api/audit?targetType=user&targetId=${u.id}&action=auth.password_changed`, undefined, admin.headers);
      expect(audit.body.items).toHaveLength(1);
    });

    it('ends a session at its absolute lifetime however active, and purges ended sessions', async () => {
      const me = await stack.loginAs('lanhdao');
      const [row] = await ds.query(`SELECT extract(epoch from absolute_expires_at - created_at)::int AS s FROM sessions WHERE user_id = $1 ORDER BY created_at DESC LIMIT 1`, [me.user.id]);
      expect(row.s).toBe(12 * 3600);
      // Active a second ago (idle expiry hours away), but past its absolute end.
      await ds.query(`UPDATE sessions SET absolute_expires_at = now() - interval '1 second', last_seen_at = now() WHERE user_id = $1`, [me.user.id]);
      expect((await http(sut.baseUrl, 'GET', '/api/auth/me', undefined, me.headers)).status).toBe(401);
      expect(await sut.app.get(AuthService).purge()).toBeGreaterThanOrEqual(1);
      const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM sessions WHERE absolute_expires_at <= now() OR expires_at <= now()`);
      expect(n).toBe(0);
    });
  });

  describe('headers', () => {
    it('sends a CSP with frame-ancestors none, no x-powered-by, no HSTS over http', async () => {
      for (const path of ['/', '/api/auth/me', '/health']) {
        const res = await fetch(`${sut.baseUrl}${path}`);
        const csp = res.headers.get('content-security-policy') ?? '';
        expect(csp).toContain("frame-ancestors 'none'");
        expect(csp).toContain("script-src 'self'");
        expect(csp).toContain("object-src 'none'");
        expect(res.headers.get('x-powered-by')).toBeNull();
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
        expect(res.headers.get('strict-transport-security')).toBeNull();
      }
    });
  });

  describe('logs', () => {
    it('never writes cookies, CSRF tokens, authorization or signed-link query strings', async () => {
      const lines: string[] = [];
      const capture = new Writable({
        write(chunk: Buffer, _enc, done) {
          lines.push(chunk.toString('utf8'));
          done();
        },
      });
      const config = testConfig({ LOG_LEVEL: 'info' });
      const app = await createApiApp(config, { logDestination: capture });
      await app.listen(0, '127.0.0.1');
      try {
        const base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
        const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: TEST_SAMPLE_PASSWORD }) });
        expect(res.status).toBe(200);
        const setCookies = res.headers.getSetCookie();
        const token = setCookies.find((c) => c.startsWith('dondoc_session='))!.split(';')[0].split('=')[1];
        const csrf = ((await res.json()) as { csrfToken: string }).csrfToken;
        await fetch(`${base}/api/auth/me`, { headers: { cookie: `dondoc_session=${token}`, 'x-csrf-token': csrf, authorization: 'Bearer secret-bearer-token' } });
        const link = signedLink({ publicUrl: base, assignmentId: 'asg:x:I.1:VQ-XA-AN-SON:once', expiresAt: new Date(Date.now() + 3600_000), subject: 'canbo@xa-an-son.example.vn', secret: config.secretKey });
        await fetch(link, { redirect: 'manual' });
        await new Promise((r) => setTimeout(r, 200));
        const log = lines.join('');
        expect(log).toContain('"url":"/api/auth/me"');
        expect(log).toMatch(/"url":"\/a\/[^"?]+\?\[Redacted\]"/);
        for (const secret of [token, csrf, 'secret-bearer-token', 'canbo@xa-an-son.example.vn', new URL(link).searchParams.get('sig')!]) expect(log).not.toContain(secret);
        expect(log).toContain('[Redacted]');
      } finally {
        await app.close();
      }
    });
  });

  describe('limits', () => {
    it('rate-limits imports per user with a clear 429 (Vietnamese or English), never a 5xx', async () => {
      const c = await newUser('coordinator', null);
      const me = await login(sut.baseUrl, c.username, c.password);
      const ip = fromIp();
      const text = (n: number): string => headerOnlyPlan({ number: `${n}/KH-UBND`, title: `Kế hoạch thử giới hạn ${randomUUID().slice(0, 6)}` });
      for (let i = 1; i <= 2; i += 1) expect((await http(sut.baseUrl, 'POST', '/api/plans/import', { text: text(i), format: 'markdown' }, { ...me.headers, ...ip })).status).toBe(201);
      const third = await http<ErrorBody>(sut.baseUrl, 'POST', '/api/plans/import', { text: text(3), format: 'markdown' }, { ...me.headers, ...ip });
      expect(third.status).toBe(429);
      expect(third.body.error.code).toBe('RATE_LIMITED');
      expect(third.body.error.message).toMatch(/^Bạn đã gửi quá nhiều yêu cầu.*Thử lại sau khoảng \d+ phút\.$/);
      expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(500);
      const english = await http<ErrorBody>(sut.baseUrl, 'POST', '/api/plans/import', { text: text(4), format: 'markdown' }, { ...me.headers, ...ip, 'accept-language': 'en' });
      expect(english.body.error.message).toMatch(/^Too many requests of this kind/);
      // Another coordinator is not affected (a fresh one: the sample accounts' counts are shared with every suite of the run).
      const other = await newUser('coordinator', null);
      const otherSession = await login(sut.baseUrl, other.username, other.password);
      expect((await http(sut.baseUrl, 'POST', '/api/plans/import', { text: text(5), format: 'markdown' }, { ...otherSession.headers, ...fromIp() })).status).toBe(201);
    });

    let planId: string;
    const workflowId = `asg:sec-${randomUUID().slice(0, 8)}:X.1:VQ-XA-AN-SON:once`;

    it('rate-limits exports per user, and defuses every formula prefix in the CSV', async () => {
      const importer = await newUser('coordinator', null);
      const importerSession = await login(sut.baseUrl, importer.username, importer.password);
      const imported = await http<{ id: string }>(sut.baseUrl, 'POST', '/api/plans/import', { text: headerOnlyPlan({ number: '9/KH-UBND', title: `Kế hoạch CSV ${randomUUID().slice(0, 6)}` }), format: 'markdown' }, { ...importerSession.headers, ...fromIp() });
      expect(imported.status).toBe(201);
      planId = imported.body.id;
      // Work titles typed by people reach the export: an attacker's "formula" as a late assignment's title.
      await ds.query(
        `INSERT INTO assignments (workflow_id, plan_id, item_key, kind, unit_code, period_key, title, status, deadline)
         VALUES ($1, $2, 'X.1', 'responsibility', 'VQ-XA-AN-SON', 'once', '-SUM(A1:A2)+cmd|'' /C calc''!A0', 'assigned', now() - interval '3 days')`,
        [workflowId, planId],
      );
      const leader = await newUser('leader', null);
      const me = await login(sut.baseUrl, leader.username, leader.password);
      const ip = fromIp();
      const csv = await fetch(`${sut.baseUrl}/api/plans/${planId}/export.csv?table=late`, { headers: { ...me.headers, ...ip } });
      expect(csv.status).toBe(200);
      const body = await csv.text();
      expect(body).toContain(`,'-SUM(A1:A2)+cmd|' /C calc'!A0,`);
      expect(body).not.toMatch(/,-SUM/);
      for (let i = 0; i < 2; i += 1) expect((await fetch(`${sut.baseUrl}/api/plans/${planId}/export.xlsx`, { headers: { ...me.headers, ...ip } })).status).toBe(200);
      const spent = await http<ErrorBody>(sut.baseUrl, 'GET', `/api/plans/${planId}/report.docx`, undefined, { ...me.headers, ...ip });
      expect(spent.status).toBe(429);
      expect(spent.body.error.code).toBe('RATE_LIMITED');
    });

    it('holds attachments per assignment to a count and a byte quota, with a clear 413', async () => {
      const officer = await stack.loginAs('xa-an-son.canbo');
      const upload = async (bytes: number): Promise<{ status: number; body: ErrorBody }> => {
        const form = new FormData();
        const pdf = Buffer.alloc(bytes, 0x20);
        pdf.write('%PDF-1.4\n', 0, 'latin1');
        form.append('file', new Blob([pdf], { type: 'application/pdf' }), 'bao-cao.pdf');
        const res = await fetch(`${sut.baseUrl}/api/assignments/${encodeURIComponent(workflowId)}/attachments`, { method: 'POST', headers: officer.headers, body: form });
        return { status: res.status, body: (await res.json()) as ErrorBody };
      };
      expect((await upload(3000)).status).toBe(201);
      const tooBig = await upload(2000);
      expect(tooBig.status).toBe(413);
      expect(tooBig.body.error).toMatchObject({ code: 'QUOTA_EXCEEDED', fields: { file: ['MAX_BYTES_PER_ASSIGNMENT:4096'] } });
      expect((await upload(500)).status).toBe(201);
      const third = await upload(10);
      expect(third.body.error).toMatchObject({ code: 'QUOTA_EXCEEDED', fields: { file: ['MAX_FILES_PER_ASSIGNMENT:2'] } });
      const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM attachments WHERE workflow_id = $1`, [workflowId]);
      expect(n).toBe(2);
    });

    it('cancels a query at statement_timeout and answers 408, not a 5xx', async () => {
      const local = await startApiApp(testConfig({ DATABASE_STATEMENT_TIMEOUT_MS: '300' }));
      const [{ statement_timeout }] = await local.app.get(DataSource).query('SHOW statement_timeout');
      expect(statement_timeout).toBe('300ms');
      const me = await login(local.baseUrl, 'dieuphoi', TEST_SAMPLE_PASSWORD);
      // Another session holds the plans table, as a runaway statement would: the API's query waits past its limit.
      const blocker = await ds.createQueryRunner();
      await blocker.connect();
      await blocker.startTransaction();
      try {
        await blocker.query('LOCK TABLE plans IN ACCESS EXCLUSIVE MODE');
        const res = await http<ErrorBody>(local.baseUrl, 'GET', '/api/plans', undefined, me.headers);
        expect(res.status).toBe(408);
        expect(res.body.error.code).toBe('QUERY_TIMEOUT');
      } finally {
        await blocker.rollbackTransaction();
        await blocker.release();
        await local.close();
      }
    });
  });

  describe('production mode', () => {
    it('hides /docs and health details from anonymous callers, sends HSTS', async () => {
      const prod = await startApiApp(testConfig({ NODE_ENV: 'production', SECRET_KEY: 'p'.repeat(40), PUBLIC_URL: 'https://dondoc.example.vn' }));
      try {
        const anon = await http<{ status: string; checks?: unknown }>(prod.baseUrl, 'GET', '/health');
        expect(Object.keys(anon.body)).toEqual(['status']);
        expect(['up', 'down']).toContain(anon.body.status);
        expect(anon.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
        expect((await http(prod.baseUrl, 'GET', '/docs')).status).toBe(401);
        expect((await http(prod.baseUrl, 'GET', '/docs/openapi.json')).status).toBe(401);
        const me = await login(prod.baseUrl, 'lanhdao', TEST_SAMPLE_PASSWORD);
        const cookie = { cookie: me.headers.cookie };
        expect((await http<{ checks: unknown }>(prod.baseUrl, 'GET', '/health', undefined, cookie)).body.checks).toBeDefined();
        expect((await http(prod.baseUrl, 'GET', '/docs/openapi.json', undefined, cookie)).status).toBe(200);
      } finally {
        await prod.close();
      }
    });

    it('refuses to start with each unsafe setting, naming it', () => {
      const run = spawnSync(process.execPath, [join(__dirname, '../../deploy/local/run-ts.js'), join(__dirname, '../../apps/api/src/main.ts')], {
        env: {
          PATH: process.env.PATH,
          NODE_ENV: 'production',
          DATABASE_URL: 'postgres://u:p@127.0.0.1:1/none',
          SECRET_KEY: 'dondoc-local-development-secret',
          PUBLIC_URL: 'http://dondoc.example.vn',
          DONDOC_SAMPLE_DATA: 'true',
          CAUGHT_MAIL_DIR: '/tmp/mail',
        },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(run.status).toBe(78);
      for (const name of ['SECRET_KEY', 'PUBLIC_URL', 'DONDOC_SAMPLE_DATA', 'CAUGHT_MAIL_DIR']) expect(run.stderr).toContain(`${name}:`);
    });
  });
});
