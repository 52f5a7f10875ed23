// The review page in Chromium against the real API and PostgreSQL: a plan imported without a single duty is
// finished by the coordinator on the page (add a duty with its unit and deadline, seen again after a reload; then
// a second one in working days, merge, split, delete), and what the server stored is what the page showed.
import { type Browser } from 'playwright-core';
import { DataSource } from 'typeorm';
import { TEST_SAMPLE_PASSWORD as SAMPLE_PASSWORD } from '../support/accounts';
import { http, login, type RunningApi, seedSampleOrganisationAndAccounts, startApiApp, testConfig } from '../support/harness';
import { headerOnlyPlan } from '../support/plans';
import { ensureWebBuild, launchChromium, openPage, screenshot, signIn, type WatchedPage } from './browser';

const HEADER_ONLY = headerOnlyPlan({ number: '98/KH-UBND', title: 'Tuyên truyền phòng, chống đuối nước trẻ em năm 2024' });

interface PlanView {
  id: string;
  revision: number;
  plan: { responsibilities: Array<{ key: string; text: string; unitRef: { code: string | null }; deadline: { date: string | null } | null }> };
}

describe('plan review page in Chromium', () => {
  let api: RunningApi;
  let browser: Browser;
  let watched: WatchedPage | undefined;

  beforeAll(async () => {
    const [started] = await Promise.all([startApiApp(testConfig()), ensureWebBuild()]);
    api = started;
    await seedSampleOrganisationAndAccounts(api.app.get(DataSource));
    browser = await launchChromium();
  }, 240000);

  afterAll(async () => {
    await watched?.context.close();
    await browser?.close();
    await api?.close();
  });

  it('the coordinator adds a duty with a unit and a deadline to a plan that had none, and sees it after a reload', async () => {
    const coordinator = await login(api.baseUrl, 'dieuphoi', SAMPLE_PASSWORD);
    const imported = await http<PlanView>(api.baseUrl, 'POST', '/api/plans/import', { text: HEADER_ONLY, format: 'markdown', name: 'chi-co-phan-dau.md' }, coordinator.headers);
    expect(imported.status).toBe(201);
    expect(imported.body.plan.responsibilities).toEqual([]);
    const id = imported.body.id;

    watched = await openPage(browser, api.baseUrl);
    const { page, errors } = watched;
    await signIn(page, 'dieuphoi', SAMPLE_PASSWORD);
    await page.goto(`/plans/${id}`);
    await page.getByText('Chưa có nhiệm vụ nào').waitFor();

    await page.getByRole('button', { name: 'Thêm nhiệm vụ' }).click();
    const dialog = page.getByRole('dialog', { name: 'Thêm nhiệm vụ' });
    await dialog.getByLabel('Nội dung nhiệm vụ').fill('Rà soát, cắm biển cảnh báo tại các điểm có nguy cơ đuối nước.');
    const unit = dialog.getByLabel('Đơn vị thực hiện');
    await unit.click();
    await unit.fill('Phòng Tư pháp');
    await page.locator('.ant-select-item-option', { hasText: 'VQ-TU-PHAP' }).click();
    const date = dialog.locator('.ant-picker input');
    await date.click();
    await date.fill('30/06/2024');
    await date.press('Enter');
    await page.locator('.ant-picker-dropdown').first().waitFor({ state: 'hidden' });
    await dialog.getByRole('button', { name: 'Lưu' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('tab', { name: 'Trách nhiệm (1)' }).waitFor();

    // What the server stored, not what the page remembers.
    await page.reload();
    const item = page.locator('.ant-list-item', { hasText: 'Rà soát, cắm biển cảnh báo' });
    await item.waitFor();
    await item.getByText('II.1.1', { exact: true }).waitFor();
    await item.getByText('VQ-TU-PHAP', { exact: true }).waitFor();
    await item.getByText('Hạn hoàn thành: 30/06/2024').waitFor();
    await screenshot(page, 'plan-review-added-duty');

    const stored = await http<PlanView>(api.baseUrl, 'GET', `/api/plans/${id}`, undefined, coordinator.headers);
    expect(stored.body.revision).toBe(2);
    expect(stored.body.plan.responsibilities).toEqual([
      expect.objectContaining({ key: 'II.1.1', text: 'Rà soát, cắm biển cảnh báo tại các điểm có nguy cơ đuối nước.', unitRef: expect.objectContaining({ code: 'VQ-TU-PHAP' }), deadline: expect.objectContaining({ date: '2024-06-30' }) }),
    ]);

    // Deleting asks first; cancelling keeps the duty.
    await item.getByRole('button', { name: 'Xóa II.1.1' }).click();
    const confirm = page.locator('.ant-modal-confirm');
    await confirm.getByText('Xóa nhiệm vụ II.1.1?', { exact: false }).waitFor();
    await confirm.getByRole('button', { name: 'Hủy' }).click();
    await confirm.waitFor({ state: 'hidden' });
    expect((await http<PlanView>(api.baseUrl, 'GET', `/api/plans/${id}`, undefined, coordinator.headers)).body.revision).toBe(2);

    // A second duty due five working days after signing, then both merged, split again, and one part deleted.
    await page.getByRole('button', { name: 'Thêm nhiệm vụ' }).click();
    const second = page.getByRole('dialog', { name: 'Thêm nhiệm vụ' });
    await second.getByLabel('Nội dung nhiệm vụ').fill('Kiện toàn Ban chỉ đạo.');
    await second.getByLabel('Đơn vị thực hiện').fill('VQ-TU-PHAP');
    await page.locator('.ant-select-item-option', { hasText: 'VQ-TU-PHAP' }).click();
    await second.getByRole('radio', { name: 'Số ngày làm việc kể từ ngày ký' }).check();
    await second.getByRole('spinbutton').fill('5');
    await second.getByRole('button', { name: 'Lưu' }).click();
    await page.getByRole('tab', { name: 'Trách nhiệm (2)' }).waitFor();
    await page.locator('.ant-list-item', { hasText: 'Kiện toàn Ban chỉ đạo' }).getByText('Hạn hoàn thành: 22/03/2024').waitFor();

    await page.getByLabel('Chọn II.1.1 để gộp').check();
    await page.getByLabel('Chọn II.1.2 để gộp').check();
    await page.getByRole('button', { name: 'Gộp (2)' }).click();
    const merge = page.getByRole('dialog', { name: /Gộp 2 nhiệm vụ: II\.1\.1, II\.1\.2/ });
    await merge.getByRole('button', { name: 'Gộp' }).click();
    await page.getByRole('tab', { name: 'Trách nhiệm (1)' }).waitFor();
    const merged = page.locator('.ant-list-item', { hasText: 'II.1.1' });
    await merged.getByText('Hạn hoàn thành: 22/03/2024').waitFor();
    await merged.getByText(/đuối nước\. Kiện toàn Ban chỉ đạo\./).waitFor();

    await page.getByRole('button', { name: 'Tách II.1.1' }).click();
    const split = page.getByRole('dialog', { name: 'Tách nhiệm vụ II.1.1' });
    await split.getByLabel('Phần 1').fill('Rà soát, cắm biển cảnh báo tại các điểm có nguy cơ đuối nước.');
    await split.getByLabel('Phần 2').fill('Kiện toàn Ban chỉ đạo.');
    await split.getByRole('button', { name: 'Tách' }).click();
    await page.getByRole('tab', { name: 'Trách nhiệm (2)' }).waitFor();
    await page.getByText('II.1.3', { exact: true }).waitFor();
    await split.waitFor({ state: 'hidden' });

    // The delete is confirmed in its own dialog, once it shows this duty; the PATCH's answer is checked, so a
    // refused or lost request fails here with its status rather than as a tab label that never changes.
    await page.getByRole('button', { name: 'Xóa II.1.3' }).click();
    const confirmDelete = page.locator('.ant-modal-confirm', { hasText: 'Xóa nhiệm vụ II.1.3?' });
    await confirmDelete.waitFor();
    const deleted = page.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().endsWith(`/api/plans/${id}`));
    await confirmDelete.getByRole('button', { name: 'Xóa', exact: true }).click();
    expect((await deleted).status()).toBe(200);
    await page.getByRole('tab', { name: 'Trách nhiệm (1)' }).waitFor();
    await confirmDelete.waitFor({ state: 'hidden' });
    await screenshot(page, 'plan-review-edited-duties');

    const final = await http<PlanView>(api.baseUrl, 'GET', `/api/plans/${id}`, undefined, coordinator.headers);
    expect(final.body.revision).toBe(6);
    expect(final.body.plan.responsibilities.map((r) => [r.key, r.text, r.deadline?.date])).toEqual([
      ['II.1.1', 'Rà soát, cắm biển cảnh báo tại các điểm có nguy cơ đuối nước.', '2024-03-22'],
    ]);
    const audit = await http<{ items: Array<{ action: string }> }>(api.baseUrl, 'GET', `/api/plans/${id}/edits?pageSize=100`, undefined, coordinator.headers);
    expect(audit.body.items.map((e) => e.action).sort()).toEqual(
      ['import', 'add-responsibility', 'add-responsibility', 'merge-responsibilities', 'split-responsibility', 'delete-responsibility'].sort(),
    );
    expect(errors).toEqual([]);
  });
});
