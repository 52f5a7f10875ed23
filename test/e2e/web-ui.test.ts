// The web UI in a real browser against the real API, worker, PostgreSQL and Temporal: a commune reports,
// the coordinator approves, the leader sees it; the coordinator imports a plan; every page is keyboard-reachable.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { OrganisationRepository, PlanRepository } from '@app/persistence';
import { TEST_SAMPLE_PASSWORD as SAMPLE_PASSWORD } from '../support/accounts';
import { parsePlan } from '@app/plan-parser';
import { eventually, http, type SampleStack, startSampleStack } from '../support/harness';
import { ensureWebBuild, launchChromium, openPage, SCREENSHOTS, screenshot, signIn, type WatchedPage } from './browser';

const FIXTURE = join(__dirname, '../../libs/plan-parser/fixtures/van-quan-2024-cong-tac-tre-em.md');
const SAMPLE = readFileSync(FIXTURE, 'utf8');
const UNIT = 'VQ-XA-AN-SON';

describe('web UI in Chromium', () => {
  let stack: SampleStack;
  let browser: Browser;
  let baseUrl: string;
  let planId: string;
  let submittedWorkflowId: string;
  const opened: WatchedPage[] = [];

  async function open(viewport?: { width: number; height: number }): Promise<WatchedPage> {
    const watched = await openPage(browser, baseUrl, viewport);
    opened.push(watched);
    return watched;
  }

  async function as(username: string, viewport?: { width: number; height: number }): Promise<WatchedPage> {
    const watched = await open(viewport);
    await signIn(watched.page, username, SAMPLE_PASSWORD);
    return watched;
  }

  const noErrors = (w: WatchedPage): void => expect(w.errors).toEqual([]);

  beforeAll(async () => {
    const [started] = await Promise.all([startSampleStack({ SMTP_URL: 'smtp://127.0.0.1:9' }), ensureWebBuild()]);
    stack = started;
    baseUrl = stack.api.baseUrl;
    browser = await launchChromium();

    // An active plan: a stored draft, activated over HTTP as the coordinator, like the activation suite does.
    const org = await stack.api.app.get(OrganisationRepository).load();
    const { plan, warnings } = parsePlan({ text: SAMPLE, format: 'markdown' }, org);
    planId = (await stack.api.app.get(PlanRepository).createDraft({ plan, warnings, sourceText: SAMPLE, sourceName: 'sample.md' }, 'e2e')).id;
    const coordinator = await stack.loginAs('dieuphoi');
    const res = await http<{ expected: number }>(baseUrl, 'POST', `/api/plans/${planId}/activate`, {}, coordinator.headers);
    expect(res.status).toBe(202);
    await eventually(
      async () => Number((await stack.ds.query('SELECT count(*)::int AS n FROM assignments WHERE plan_id = $1', [planId]))[0].n),
      (n) => n === res.body.expected,
      90000,
    );
  }, 240000);

  afterEach(async () => {
    // What each page showed at the end of the test: the first thing to look at when one fails.
    const name = expect.getState().currentTestName?.replace(/[^\w]+/g, '-').slice(0, 60) ?? 'test';
    for (const [i, w] of opened.splice(0).entries()) {
      await w.page.screenshot({ path: join(SCREENSHOTS, 'last', `${name}-${i}.png`), fullPage: true }).catch(() => undefined);
      await w.context.close();
    }
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('serves the app shell for UI routes, long-lived caching for hashed assets, and JSON 404s under /api', async () => {
    const shell = await fetch(`${baseUrl}/inbox?x=1`);
    expect(shell.status).toBe(200);
    expect(shell.headers.get('cache-control')).toBe('no-cache');
    const html = await shell.text();
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeDefined();
    const js = await fetch(`${baseUrl}${asset}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${baseUrl}/assets/missing-0000.js`)).status).toBe(404);
    const api404 = await fetch(`${baseUrl}/api/no-such-route`);
    expect(api404.status).toBe(404);
    expect(api404.headers.get('content-type')).toContain('application/json');
  });

  it('a commune officer finds the drowning-site survey (V.3.4) and submits a report with an attachment', async () => {
    const w = await as('xa-an-son.canbo');
    const { page } = w;
    await expect(page.waitForURL(/\/inbox/)).resolves.toBeUndefined();
    await page.getByRole('heading', { name: 'Nhiệm vụ của đơn vị' }).waitFor();
    await page.getByRole('group', { name: 'Theo tiến độ' }).waitFor();
    await page.getByRole('link', { name: /V\.3\.4/ }).first().waitFor();
    await screenshot(page, 'inbox');

    // Other suites share the database and the sample accounts: keep to this suite's plan.
    await page.goto(`/inbox?planId=${planId}`);
    await page.getByRole('searchbox', { name: 'Tìm theo nội dung' }).fill('đuối nước');
    await page.getByRole('searchbox', { name: 'Tìm theo nội dung' }).press('Enter');
    await page.waitForURL(/q=/);
    const link = page.getByRole('link', { name: /V\.3\.4/ }).first();
    await link.click();
    await page.waitForURL(/\/assignments\//);
    submittedWorkflowId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
    expect(submittedWorkflowId).toContain(UNIT);
    await page.getByRole('heading', { name: /V\.3\.4/ }).waitFor();
    await page.getByText('Nội dung trách nhiệm').waitFor();

    await page.getByLabel('Nội dung báo cáo').fill('Đã rà soát 12 điểm có nguy cơ đuối nước, lắp 8 biển cảnh báo và 3 rào chắn.');
    await page.locator('input[type="file"]').setInputFiles({ name: 'bien-ban-ra-soat.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% e2e\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n') });
    await page.locator('.ant-upload-list-item-done', { hasText: 'bien-ban-ra-soat.pdf' }).waitFor();
    await page.getByRole('button', { name: 'Gửi báo cáo' }).click();
    await page.locator('.ant-tag', { hasText: 'Đã gửi báo cáo' }).first().waitFor();
    await page.getByRole('heading', { name: 'Báo cáo đã gửi' }).waitFor();
    await page.getByRole('link', { name: 'bien-ban-ra-soat.pdf' }).waitFor();
    await screenshot(page, 'assignment');
    noErrors(w);

    // The same inbox at phone width: cards instead of a table.
    const phone = await as('xa-an-son.canbo', { width: 375, height: 812 });
    await phone.page.getByRole('link', { name: /V\.3\.4/ }).first().waitFor();
    expect(await phone.page.locator('.card-list .ant-card').count()).toBeGreaterThan(0);
    const overflow = await phone.page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(phone.page, 'inbox-phone');
    noErrors(phone);
  });

  it("the coordinator approves it, and the leader's dashboard shows An Sơn's completion go up", async () => {
    expect(submittedWorkflowId).toBeDefined();
    const leader = await as('lanhdao');
    await leader.page.waitForURL(/\/dashboard/);
    await leader.page.goto(`/dashboard?planId=${planId}`);
    const completion = leader.page.getByTestId(`completion-${UNIT}`);
    await completion.waitFor();
    const before = (await completion.textContent()) ?? '';

    const coord = await as('dieuphoi');
    await coord.page.waitForURL(/\/review-queue/);
    await coord.page.goto(`/review-queue?planId=${planId}`);
    await coord.page.getByRole('heading', { name: 'Báo cáo chờ duyệt' }).waitFor();
    const queued = coord.page.getByRole('link', { name: /V\.3\.4/ }).first();
    // The queue reads the read model, which follows the workflow a moment later.
    for (let i = 0; i < 20 && !(await queued.isVisible()); i++) {
      await coord.page.waitForTimeout(500);
      await coord.page.reload();
      await coord.page.getByRole('heading', { name: 'Báo cáo chờ duyệt' }).waitFor();
    }
    await queued.click();
    await coord.page.waitForURL(/\/assignments\//);
    await coord.page.getByText('Đã rà soát 12 điểm').waitFor();
    await coord.page.getByRole('button', { name: 'Duyệt' }).click();
    await coord.page.locator('.ant-tag', { hasText: 'Hoàn thành' }).first().waitFor();
    noErrors(coord);

    await eventually(
      async () => {
        await leader.page.reload();
        await completion.waitFor();
        return (await completion.textContent()) ?? '';
      },
      (text) => text !== before,
      30000,
    );
    const done = (text: string): number => Number(/^(\d+)\//.exec(text)?.[1]);
    expect(done((await completion.textContent()) ?? '')).toBe(done(before) + 1);
    await leader.page.getByRole('heading', { name: 'Kết quả theo đơn vị' }).waitFor();
    await leader.page.locator('.recharts-surface').first().waitFor();
    await screenshot(leader.page, 'dashboard-full');
    await leader.page.setViewportSize({ width: 1366, height: 1400 });
    await screenshot(leader.page, 'dashboard', false);
    noErrors(leader);
  });

  it('the coordinator amends a deadline of the active plan: preview, confirm, and the running assignment follows', async () => {
    const w = await as('dieuphoi');
    const { page } = w;
    await page.goto(`/plans/${planId}`);
    await page.getByRole('button', { name: 'Điều chỉnh V.1.3' }).click();
    const dialog = page.getByRole('dialog');
    const date = dialog.locator('.ant-picker input');
    await date.click();
    await date.fill('31/05/2027');
    await date.press('Enter');
    await page.locator('.ant-picker-dropdown').first().waitFor({ state: 'hidden' });
    await dialog.getByLabel('Lý do điều chỉnh').fill('Hoàn thành trước kỳ nghỉ hè năm sau');
    await dialog.getByRole('button', { name: 'Lưu' }).click();
    // The confirmation states what will happen to running work before anything changes.
    const confirm = page.locator('.ant-modal-confirm');
    await confirm.getByText(/giao mới 0, hủy 0 và điều chỉnh 1 nhiệm vụ đang chạy/).waitFor();
    // …and what it will mail (docs/activation.md "Preview figures"): the new date is ahead, so one new-work email.
    await confirm.getByText('Thư điện tử sẽ gửi').waitFor();
    await confirm.getByText(/Tổng cộng 1 thư tới 1 địa chỉ/).waitFor();
    await confirm.getByRole('button', { name: 'Điều chỉnh' }).click();
    await page.getByText(/Đã điều chỉnh \(phiên bản \d+\): giao mới 0, hủy 0, điều chỉnh 1, bỏ qua 0/).waitFor({ timeout: 60000 });
    const row = await eventually(
      async () => (await stack.ds.query(`SELECT deadline FROM assignments WHERE plan_id = $1 AND item_key = 'V.1.3'`, [planId]))[0] as { deadline: Date },
      (r) => r.deadline.toISOString() === '2027-05-31T16:59:59.999Z',
      30000,
    );
    expect(row.deadline.toISOString()).toBe('2027-05-31T16:59:59.999Z');
    await page.getByText('Hạn: 31/05/2027').or(page.getByText(/31\/05\/2027/)).first().waitFor();
    await screenshot(page, 'plan-amended');
    noErrors(w);
  });

  it('the coordinator imports the sample plan document and sees its structure and warnings', async () => {
    const w = await as('dieuphoi');
    const { page } = w;
    await page.getByRole('link', { name: 'Nhập kế hoạch' }).first().click();
    await page.waitForURL(/\/plans\/import/);
    await page.locator('input[type="file"]').setInputFiles(FIXTURE);
    await page.getByRole('button', { name: 'Nhập kế hoạch' }).click();
    await page.waitForURL(/\/plans\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { name: /Rà soát kế hoạch/ }).waitFor();
    await page.getByRole('region', { name: 'Văn bản gốc' }).getByText('Tăng cường chỉ đạo triển khai').first().waitFor();
    await page.getByRole('tab', { name: /Trách nhiệm \(\d+\)/ }).waitFor();
    await page.getByText('V.3.4', { exact: true }).first().waitFor();
    await page.getByRole('heading', { name: /Cảnh báo/ }).waitFor();
    await page.getByRole('tab', { name: /Mục tiêu, chỉ tiêu/ }).click();
    await page.getByText('100%').first().waitFor();
    await page.getByRole('tab', { name: /Trách nhiệm/ }).click();
    await screenshot(page, 'import-review');
    noErrors(w);
  });

  it('Tab from the top reaches the skip link, which moves focus to the main content, on every page', async () => {
    const check = async (page: Page, path: string): Promise<void> => {
      await page.goto(path);
      await page.locator('main#main').waitFor();
      await page.waitForLoadState('networkidle');
      await page.keyboard.press('Tab');
      const focused = await page.evaluate<string>("document.activeElement ? document.activeElement.textContent : ''");
      expect([path, focused]).toEqual([path, 'Bỏ qua, đến nội dung chính']);
      await page.keyboard.press('Enter');
      expect([path, await page.evaluate<string>("document.activeElement ? document.activeElement.id : ''")]).toEqual([path, 'main']);
    };

    const anon = await open();
    await check(anon.page, '/login');
    noErrors(anon);

    const officer = await as('xa-an-son.canbo');
    for (const path of ['/inbox', `/assignments/${encodeURIComponent(submittedWorkflowId)}`]) await check(officer.page, path);
    noErrors(officer);

    const coord = await as('dieuphoi');
    for (const path of ['/review-queue', '/extensions', '/plans', '/plans/import', `/plans/${planId}`, `/dashboard?planId=${planId}`]) await check(coord.page, path);
    noErrors(coord);
  });
});
