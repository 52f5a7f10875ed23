// Chromium for the browser tests: Debian's package (deploy/local/chromium.js), never a downloaded browser.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ensureChromium } = require('../../deploy/local/chromium.js') as { ensureChromium(log?: (m: string) => void): string };

const ROOT = join(__dirname, '../..');
export const SCREENSHOTS = join(ROOT, 'test-output/screenshots');

async function newestMtime(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? await newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds apps/web when its dist is missing or older than its sources (what the API serves is what we test). */
export async function ensureWebBuild(): Promise<void> {
  const index = join(ROOT, 'apps/web/dist/index.html');
  const srcNewest = Math.max(await newestMtime(join(ROOT, 'apps/web/src')), statSync(join(ROOT, 'apps/web/index.html')).mtimeMs);
  if (existsSync(index) && statSync(index).mtimeMs >= srcNewest) return;
  const res = spawnSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'apps/web/vite.config.ts', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (res.status !== 0) throw new Error(`vite build failed (exit ${res.status ?? res.signal})`);
}

export async function launchChromium(): Promise<Browser> {
  const executablePath = ensureChromium();
  mkdirSync(join(SCREENSHOTS, 'last'), { recursive: true });
  // launch() gives every run a fresh temporary profile (its own --user-data-dir) and removes it on close.
  return chromium.launch({
    executablePath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface WatchedPage {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions seen so far. */
  errors: string[];
}

/** A new browser context (its own cookies) whose page records every console error and page error. */
export async function openPage(browser: Browser, baseURL: string, viewport = { width: 1366, height: 900 }): Promise<WatchedPage> {
  const context = await browser.newContext({ baseURL, viewport, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()} @ ${msg.location().url}`);
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.setDefaultTimeout(20000);
  return { context, page, errors };
}

/** Signs in through the login form, as a person would. */
export async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/');
  await page.waitForURL(/\/login/);
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

export async function screenshot(page: Page, name: string, fullPage = true): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage });
}
