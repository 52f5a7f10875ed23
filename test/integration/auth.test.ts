// Sign-in, sessions, CSRF, throttling and account administration against the real API and PostgreSQL.
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { TEST_SAMPLE_PASSWORD as SAMPLE_PASSWORD } from '../support/accounts';
import { sessionIdOf } from '../../apps/api/src/auth/auth.service';
import { http, type LoggedIn, login, type RunningApi, type SampleStack, startSampleStack } from '../support/harness';

type ErrorBody = { error: { code: string; fields?: Record<string, string[]> } };
type Me = { user: { id: string; username: string; role: string; unitCode: string | null; displayName: string; locale: string }; csrfToken: string };

describe('accounts: sign-in, sessions, CSRF, throttling, administration', () => {
  let stack: SampleStack;
  let sut: RunningApi;
  let ds: DataSource;
  let admin: LoggedIn;

  beforeAll(async () => {
    stack = await startSampleStack();
    ({ api: sut, ds } = stack);
    admin = await stack.loginAs('admin');
  });

  afterAll(async () => {
    await stack?.close();
  });

  /** Each test that counts failures gets its own client address (trusted from loopback), so per-IP limits never collide. */
  const fromIp = (): Record<string, string> => ({ 'x-forwarded-for': `10.${rnd()}.${rnd()}.${rnd()}` });
  const rnd = (): number => Math.floor(Math.random() * 250) + 1;

  async function newUser(role = 'unit_officer', unitCode: string | null = 'VQ-XA-AN-SON', password = 'mat-khau-dai-1'): Promise<{ id: string; username: string; password: string }> {
    const username = `u-${randomUUID().slice(0, 8)}`;
    const res = await http<{ id: string }>(sut.baseUrl, 'POST', '/api/users', { username, displayName: 'Người thử', password, role, unitCode }, admin.headers);
    expect(res.status).toBe(201);
    return { id: res.body.id, username, password };
  }

  it('signs in, sets the cookies, answers /me, and signs out', async () => {
    const res = await fetch(`${sut.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'XA-AN-SON.CANBO', password: SAMPLE_PASSWORD }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Me;
    expect(body.user).toEqual({ id: expect.any(String), username: 'xa-an-son.canbo', displayName: expect.any(String), role: 'unit_officer', unitCode: 'VQ-XA-AN-SON', locale: 'vi' });
    const cookies = res.headers.getSetCookie();
    const session = cookies.find((c) => c.startsWith('dondoc_session='))!;
    const csrf = cookies.find((c) => c.startsWith('dondoc_csrf='))!;
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/SameSite=Lax/i);
    expect(session).not.toMatch(/Secure/i);
    expect(csrf).not.toMatch(/HttpOnly/i);
    expect(csrf).toContain(`dondoc_csrf=${body.csrfToken}`);
    // Only the hash of the token is stored.
    const token = session.split(';')[0].slice('dondoc_session='.length);
    const [row] = await ds.query('SELECT id FROM sessions WHERE id = $1', [sessionIdOf(token)]);
    expect(row).toBeDefined();

    const headers = { cookie: cookies.map((c) => c.split(';')[0]).join('; '), 'x-csrf-token': body.csrfToken };
    const me = await http<Me>(sut.baseUrl, 'GET', '/api/auth/me', undefined, headers);
    expect(me.status).toBe(200);
    expect(me.body.user.username).toBe('xa-an-son.canbo');

    const out = await http(sut.baseUrl, 'POST', '/api/auth/logout', undefined, headers);
    expect(out.status).toBe(204);
    const after = await http<ErrorBody>(sut.baseUrl, 'GET', '/api/auth/me', undefined, headers);
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('answers a wrong password and an unknown user alike', async () => {
    const wrong = await http<ErrorBody>(sut.baseUrl, 'POST', '/api/auth/login', { username: 'dieuphoi', password: 'sai-mat-khau' }, fromIp());
    const unknown = await http<ErrorBody>(sut.baseUrl, 'POST', '/api/auth/login', { username: 'khong-co-ai', password: 'sai-mat-khau' }, fromIp());
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.error.code).toBe('INVALID_CREDENTIALS');
  });

  it('requires a session everywhere but health and login', async () => {
    expect((await http<ErrorBody>(sut.baseUrl, 'GET', '/api/auth/me')).body.error.code).toBe('UNAUTHENTICATED');
    expect((await http(sut.baseUrl, 'GET', '/api/users')).status).toBe(401);
    expect((await http(sut.baseUrl, 'GET', '/api/assignments/x')).status).toBe(401);
    expect((await http(sut.baseUrl, 'GET', '/api/auth/me', undefined, { cookie: 'dondoc_session=forged' })).status).toBe(401);
    expect([200, 503]).toContain((await http(sut.baseUrl, 'GET', '/health')).status);
  });

  it('delays a (name, address) pair after 5 failures with Retry-After; other addresses still sign in; an admin unlocks', async () => {
    const u = await newUser();
    const ip = fromIp();
    for (let i = 0; i < 5; i += 1) {
      const res = await http<ErrorBody>(sut.baseUrl, 'POST', '/api/auth/login', { username: u.username, password: 'sai-mat-khau' }, ip);
      expect(res.body.error.code).toBe('INVALID_CREDENTIALS');
    }
    // The same address must wait, even with the right password ...
    const waiting = await http<ErrorBody & { error: { message: string } }>(sut.baseUrl, 'POST', '/api/auth/login', { username: u.username, password: u.password }, ip);
    expect(waiting.status).toBe(429);
    expect(waiting.body.error.code).toBe('LOGIN_THROTTLED');
    expect(Number(waiting.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(waiting.body.error.message).toMatch(/Thử lại sau/);
    // ... but the real user at another address is not locked out by the stranger.
    expect((await http(sut.baseUrl, 'POST', '/api/auth/login', { username: u.username, password: u.password }, fromIp())).status).toBe(200);

    // Only the failing pair is remembered: the right password at the other address left nothing behind.
    expect(await ds.query('SELECT ip, failures FROM login_throttle WHERE username = $1', [u.username])).toEqual([{ ip: ip['x-forwarded-for'], failures: 5 }]);
    const unlocked = await http<{ cleared: number }>(sut.baseUrl, 'POST', `/api/users/${u.id}/unlock`, undefined, admin.headers);
    expect(unlocked.status).toBe(200);
    expect(unlocked.body.cleared).toBe(1);
    expect((await http(sut.baseUrl, 'POST', '/api/auth/login', { username: u.username, password: u.password }, ip)).status).toBe(200);
  });

  it('throttles an unknown name like a known one', async () => {
    const name = `khong-co-${randomUUID().slice(0, 6)}`;
    const ip = fromIp();
    for (let i = 0; i < 5; i += 1) await http(sut.baseUrl, 'POST', '/api/auth/login', { username: name, password: 'x' }, ip);
    const res = await http<ErrorBody>(sut.baseUrl, 'POST', '/api/auth/login', { username: name, password: 'x' }, ip);
    expect(res.body.error.code).toBe('LOGIN_THROTTLED');
  });

  it('refuses a state-changing request without the matching CSRF header', async () => {
    const me = await login(sut.baseUrl, 'admin', SAMPLE_PASSWORD);
    const body = { username: `c-${randomUUID().slice(0, 8)}`, displayName: 'X', password: 'mat-khau-dai-1', role: 'leader' };
    const missing = await http<ErrorBody>(sut.baseUrl, 'POST', '/api/users', body, { cookie: me.headers.cookie });
    expect(missing.status).toBe(403);
    expect(missing.body.error.code).toBe('CSRF_FAILED');
    const wrong = await http<ErrorBody>(sut.baseUrl, 'POST', '/api/users', body, { ...me.headers, 'x-csrf-token': admin.csrfToken });
    expect(wrong.body.error.code).toBe('CSRF_FAILED');
    const logout = await http<ErrorBody>(sut.baseUrl, 'POST', '/api/auth/logout', undefined, { cookie: me.headers.cookie });
    expect(logout.body.error.code).toBe('CSRF_FAILED');
    expect((await http(sut.baseUrl, 'GET', '/api/auth/me', undefined, { cookie: me.headers.cookie })).status).toBe(200);
  });

  it('ends an expired session with 401', async () => {
    const me = await login(sut.baseUrl, 'lanhdao', SAMPLE_PASSWORD);
    await ds.query(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [me.user.id]);
    const res = await http<ErrorBody>(sut.baseUrl, 'GET', '/api/auth/me', undefined, me.headers);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('lets an admin reset their own password without ending the session in use; their other sessions end', async () => {
    const self = await newUser('admin', null);
    const here = await login(sut.baseUrl, self.username, self.password);
    const elsewhere = await login(sut.baseUrl, self.username, self.password);
    const reset = await http(sut.baseUrl, 'POST', `/api/users/${self.id}/reset-password`, { password: 'mat-khau-moi-tu-dat-1' }, here.headers);
    expect(reset.status).toBe(204);
    expect((await http(sut.baseUrl, 'GET', '/api/auth/me', undefined, here.headers)).status).toBe(200);
    expect((await http(sut.baseUrl, 'GET', '/api/auth/me', undefined, elsewhere.headers)).status).toBe(401);
    expect((await login(sut.baseUrl, self.username, 'mat-khau-moi-tu-dat-1')).user.username).toBe(self.username);
  });

  it('administers accounts: create, list, patch, disable, reset; each write audited', async () => {
    const weak = await http<ErrorBody>(sut.baseUrl, 'POST', '/api/users', { username: 'ngan', displayName: 'X', password: 'ngan', role: 'leader' }, admin.headers);
    expect(weak.status).toBe(400);
    expect(Object.keys(weak.body.error.fields!)).toEqual(['password']);
    const noUnit = await http<ErrorBody>(sut.baseUrl, 'POST', '/api/users', { username: 'khong-don-vi', displayName: 'X', password: 'mat-khau-dai-1', role: 'unit_head' }, admin.headers);
    expect(noUnit.body.error.fields).toHaveProperty('unitCode');
    // A unit code the directory does not have is refused by name (OrganisationRepository.hasUnit), nothing is created.
    const unknownUnit = await http<ErrorBody>(sut.baseUrl, 'POST', '/api/users', { username: 'don-vi-la', displayName: 'X', password: 'mat-khau-dai-1', role: 'unit_head', unitCode: 'VQ-KHONG-CO' }, admin.headers);
    expect(unknownUnit.status).toBe(400);
    expect(unknownUnit.body.error.fields!.unitCode).toEqual(['Không có đơn vị VQ-KHONG-CO']);
    const created = await http<{ items: { username: string }[] }>(sut.baseUrl, 'GET', '/api/users?q=don-vi-la&pageSize=10', undefined, admin.headers);
    expect(created.status).toBe(200);
    expect(created.body.items.map((i) => i.username)).not.toContain('don-vi-la');
    const dup = await http<ErrorBody>(sut.baseUrl, 'POST', '/api/users', { username: 'dieuphoi', displayName: 'X', password: 'mat-khau-dai-1', role: 'leader' }, admin.headers);
    expect(dup.body.error.code).toBe('CONFLICT');

    const u = await newUser('unit_head', 'VQ-XA-AN-SON');
    const page = await http<{ items: { username: string }[]; total: number }>(sut.baseUrl, 'GET', '/api/users?unitCode=VQ-XA-AN-SON&role=unit_head&pageSize=10', undefined, admin.headers);
    expect(page.body.items.map((i) => i.username)).toEqual(expect.arrayContaining(['xa-an-son.truong', u.username]));
    expect(page.body.items.map((i) => i.username)).toEqual([...page.body.items.map((i) => i.username)].sort());
    const found = await http<{ items: { username: string }[]; total: number }>(sut.baseUrl, 'GET', `/api/users?q=${u.username}`, undefined, admin.headers);
    expect(found.body).toMatchObject({ total: 1, items: [{ username: u.username }] });
    expect(JSON.stringify(found.body)).not.toMatch(/password|hash/i);

    const session = await login(sut.baseUrl, u.username, u.password);
    const moved = await http<{ unitCode: string }>(sut.baseUrl, 'PATCH', `/api/users/${u.id}`, { unitCode: 'VQ-XA-TRI-LE', locale: 'en' }, admin.headers);
    expect(moved.body).toMatchObject({ unitCode: 'VQ-XA-TRI-LE', locale: 'en' });
    // A changed scope revokes the sessions signed in under the old one.
    expect((await http(sut.baseUrl, 'GET', '/api/auth/me', undefined, session.headers)).status).toBe(401);
    const again = await login(sut.baseUrl, u.username, u.password);
    expect(again.user.unitCode).toBe('VQ-XA-TRI-LE');
    expect((await http(sut.baseUrl, 'PATCH', `/api/users/${u.id}`, { disabled: true }, admin.headers)).status).toBe(200);
    expect((await http(sut.baseUrl, 'GET', '/api/auth/me', undefined, again.headers)).status).toBe(401);
    expect((await http<ErrorBody>(sut.baseUrl, 'POST', '/api/auth/login', { username: u.username, password: u.password }, fromIp())).body.error.code).toBe('INVALID_CREDENTIALS');
    const selfDemote = await http<ErrorBody>(sut.baseUrl, 'PATCH', `/api/users/${admin.user.id}`, { role: 'leader' }, admin.headers);
    expect(selfDemote.body.error.code).toBe('VALIDATION_FAILED');

    const audit = await http<{ items: { action: string; username: string; ip: string; requestId: string; detail: Record<string, unknown> }[] }>(
      sut.baseUrl,
      'GET',
      `/api/audit?targetType=user&targetId=${u.id}&pageSize=50`,
      undefined,
      admin.headers,
    );
    expect(audit.body.items.map((a) => a.action)).toEqual(['auth.login_failed', 'user.update', 'auth.login', 'user.update', 'auth.login', 'user.create']);
    expect(audit.body.items.find((a) => a.action === 'user.create')).toMatchObject({ username: 'admin', ip: expect.any(String), requestId: expect.any(String) });
    expect(JSON.stringify(audit.body)).not.toContain(u.password);
  });
});
