/**
 * The demo in a real browser: Debian's Chromium driven by playwright-core (browsers cannot be downloaded here),
 * pages that reach only the demo, screenshots to .screenshots/ (git-ignored) and, with UPDATE_SCREENSHOTS=1, the
 * ones the README shows to docs/images/. Without Chromium the suite is skipped, and says so.
 */
import { expect } from 'chai';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { launchDemo, type LaunchOptions, type RunningDemo } from '../../example/setup.js';
import { connect, testDatabase } from './database.js';
import { resetSchema } from './fixture.js';
import { truncate } from './sql.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SCREENSHOTS = path.join(root, '.screenshots');

export interface BrowserDemo {
  demo: RunningDemo;
  /** The demo over IPv4 (`127.0.0.1`): a dual-stack server sees such clients as `::ffff:127.0.0.1`, as in production. */
  baseUrl: string;
  /**
   * A new browser profile (own cookies) whose pages reach only the demo (AdminJS links a web font) and the origins
   * of `alsoReach` (a test's other site).
   */
  newPage(options?: BrowserContextOptions & { alsoReach?: string[] }): Promise<Page>;
  screenshot(page: Page, name: string): Promise<void>;
  siteLogin(page: Page, email: string): Promise<void>;
  adminLogin(page: Page, email: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * In a `before` hook: the demo freshly seeded on the test database, and Chromium (or `this.skip()` with the reason).
 * `readmeImages`: screenshot name → file in docs/images/ refreshed with UPDATE_SCREENSHOTS=1.
 */
export async function startBrowserDemo(
  context: Mocha.Context, options: Omit<LaunchOptions, 'url'> = {}, readmeImages: Record<string, string> = {},
): Promise<BrowserDemo> {
  if (!existsSync(CHROMIUM)) {
    console.log(`      skipped: no Chromium at ${CHROMIUM} (install it: apt-get install -y chromium)`);
    context.skip();
  }
  const { url } = await testDatabase();
  const sequelize = connect(url, 1);
  await resetSchema(sequelize);
  await truncate(sequelize, ['Users']); // so the demo seeds with the real seeders
  await sequelize.close();
  const demo = await launchDemo({ url, ...options });
  expect(demo.setup.seeded).to.have.length.above(0);
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  mkdirSync(SCREENSHOTS, { recursive: true });
  const baseUrl = demo.baseUrl.replace('//localhost:', '//127.0.0.1:');

  return {
    demo,
    baseUrl,
    async newPage({ alsoReach = [], ...contextOptions } = {}) {
      const browserContext = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...contextOptions });
      const reachable = new Set([new URL(baseUrl).origin, ...alsoReach.map((u) => new URL(u).origin)]);
      await browserContext.route((u) => !reachable.has(u.origin), (route) => route.abort());
      const page = await browserContext.newPage();
      page.setDefaultTimeout(120_000);
      page.setDefaultNavigationTimeout(120_000);
      return page;
    },
    async screenshot(page, name) {
      const file = path.join(SCREENSHOTS, `${name}.png`);
      await page.screenshot({ path: file });
      if (process.env.UPDATE_SCREENSHOTS && readmeImages[name]) copyFileSync(file, path.join(root, 'docs', 'images', readmeImages[name]));
    },
    async siteLogin(page, email) {
      await page.goto(`${baseUrl}/`);
      await page.fill('#email', email);
      await page.fill('#password', 'password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator('#who', { hasText: email }).waitFor();
    },
    async adminLogin(page, email) {
      await page.goto(`${baseUrl}/admin/login`);
      await page.fill('input[name=email]', email);
      await page.fill('input[name=password]', 'password');
      await page.getByRole('button', { name: 'Login' }).click();
      await page.waitForURL(`${baseUrl}/admin`);
    },
    async close() {
      await browser.close();
      await demo.close();
    },
  };
}
