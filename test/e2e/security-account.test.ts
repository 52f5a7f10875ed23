// In Chromium: the web UI runs under the API's Content-Security-Policy with no violation and no console
// error, and a user changes their own password on the account page (other sessions end).
import { randomUUID } from 'node:crypto';
import { type Browser } from 'playwright-core';
import { TEST_SAMPLE_PASSWORD } from '../support/accounts';
import { http, login, type SampleStack, startSampleStack } from '../support/harness';
import { ensureWebBuild, launchChromium, openPage, screenshot, signIn, type WatchedPage } from './browser';

describe('account page and CSP in Chromium', () => {
  let stack: SampleStack;
  let browser: Browser;
  const opened: WatchedPage[] = [];

  beforeAll(async () => {
    const [started] = await Promise.all([startSampleStack({ SMTP_URL: 'smtp://127.0.0.1:9' }), ensureWebBuild()]);
    stack = started;
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const w of opened) await w.context.close().catch(() => undefined);
    await browser?.close();
    await stack?.close();
  });

  it('changes the password from the account page, under the CSP, with no console error', async () => {
    const admin = await stack.loginAs('admin');
    const username = `e2e-${randomUUID().slice(0, 8)}`;
    const created = await http(stack.api.baseUrl, 'POST', '/api/users', { username, displayName: 'Cán bộ thử', password: 'mat-khau-cu-01', role: 'leader' }, admin.headers);
    expect(created.status).toBe(201);
    const otherDevice = await login(stack.api.baseUrl, username, 'mat-khau-cu-01');

    const w = await openPage(browser, stack.api.baseUrl);
    opened.push(w);
    // Every CSP violation the page reports, whether or not Chromium also logs it to the console.
    await w.context.addInitScript({
      content: `window.__cspViolations = []; document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));`,
    });
    const shell = await w.page.goto('/');
    expect(shell?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    await signIn(w.page, username, 'mat-khau-cu-01');

    await w.page.getByRole('link', { name: /Cán bộ thử/ }).click();
    await w.page.waitForURL(/\/account$/);
    await w.page.getByLabel('Mật khẩu hiện tại').fill('sai-mat-khau-9');
    await w.page.getByLabel('Mật khẩu mới', { exact: true }).fill('mat-khau-moi-02');
    await w.page.getByLabel('Nhập lại mật khẩu mới').fill('mat-khau-moi-02');
    await w.page.getByRole('button', { name: 'Đổi mật khẩu' }).click();
    await w.page.getByText('Mật khẩu hiện tại không đúng').waitFor();

    await w.page.getByLabel('Mật khẩu hiện tại').fill('mat-khau-cu-01');
    await w.page.getByRole('button', { name: 'Đổi mật khẩu' }).click();
    await w.page.getByRole('status').getByText('Đã đổi mật khẩu').waitFor();
    await screenshot(w.page, 'account-password-changed');

    expect((await http(stack.api.baseUrl, 'GET', '/api/auth/me', undefined, otherDevice.headers)).status).toBe(401);
    expect((await login(stack.api.baseUrl, username, 'mat-khau-moi-02')).user.username).toBe(username);
    // The page itself still works under its own session.
    await w.page.goto('/plans');
    await w.page.getByRole('heading', { level: 1 }).first().waitFor();

    expect(await w.page.evaluate('window.__cspViolations')).toEqual([]);
    // The one deliberate wrong password is the only error Chromium logged: its 400, nothing from the CSP.
    expect(w.errors).toEqual([expect.stringMatching(/status of 400 .*\/api\/auth\/password$/)]);
  });
  it('lets an admin lift the sign-in delays a run of wrong passwords put on an account, from the users page', async () => {
    const admin = await stack.loginAs('admin');
    const username = `e2e-${randomUUID().slice(0, 8)}`;
    const created = await http(stack.api.baseUrl, 'POST', '/api/users', { username, displayName: 'Cán bộ bị chặn', password: 'mat-khau-dung-01', role: 'leader' }, admin.headers);
    expect(created.status).toBe(201);
    // Someone at one address keeps guessing: past the free failures the pair must wait, even with the right password.
    const at = { 'x-forwarded-for': '10.20.30.40' };
    const attempt = (password: string) => http(stack.api.baseUrl, 'POST', '/api/auth/login', { username, password }, at);
    for (let i = 0; i < 5; i += 1) expect((await attempt(`sai-${i}-mat-khau`)).status).toBe(401);
    expect((await attempt('sai-them-mat-khau')).status).toBe(429);
    expect((await attempt('mat-khau-dung-01')).status).toBe(429);

    const w = await openPage(browser, stack.api.baseUrl);
    opened.push(w);
    await signIn(w.page, 'admin', TEST_SAMPLE_PASSWORD);
    await w.page.goto('/users');
    await w.page.getByRole('searchbox').fill(username);
    await w.page.getByRole('searchbox').press('Enter');
    const row = w.page.getByRole('row', { name: new RegExp(username) });
    await row.getByRole('button', { name: 'Gỡ chặn đăng nhập' }).click();
    await w.page.getByRole('button', { name: 'Xác nhận' }).click();
    await w.page.getByText(`Đã gỡ chặn đăng nhập cho ${username} (1 địa chỉ đang phải chờ).`).waitFor();
    await screenshot(w.page, 'users-unlocked');

    expect((await attempt('mat-khau-dung-01')).status).toBe(200);
    expect(await w.page.evaluate('window.__cspViolations ?? []')).toEqual([]);
    expect(w.errors).toEqual([]);
  });
});
