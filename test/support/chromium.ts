/**
 * Debian's Chromium for the real-browser tests (playwright-core cannot download browsers here): launched with the
 * flags a container needs, or the suite is skipped with a line that says why and how to install it.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { launchDemo, type LaunchOptions, type RunningDemo } from '../../example/setup.js';
import { connect, testDatabase } from './database.js';
import { resetSchema } from './fixture.js';
import { truncate } from './sql.js';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
/** Where the tests put their screenshots (git-ignored). */
export const SCREENSHOTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '.screenshots');

/** Chromium, headless; without it, skips the calling suite (`this` of a mocha `before`). */
export async function launchChromium(suite: Mocha.Context): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    console.log(`      skipped: no Chromium at ${CHROMIUM} (install it: apt-get install -y chromium)`);
    suite.skip();
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/**
 * A page in a new browser profile (own cookies) that reaches only `baseUrl` (AdminJS links a web font), with long
 * timeouts: AdminJS's dev bundles are ~25 MB of unminified JavaScript, slow on a busy 2-core box.
 */
export async function isolatedPage(browser: Browser, baseUrl: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.route((url) => url.origin !== new URL(baseUrl).origin, (route) => route.abort());
  const page = await context.newPage();
  page.setDefaultTimeout(120_000);
  page.setDefaultNavigationTimeout(120_000);
  return page;
}

/** The demo app as `npm start` serves it, on the test database emptied first (so it seeds with the real seeders). */
export async function launchFreshDemo(options: Omit<LaunchOptions, 'url'> = {}): Promise<RunningDemo> {
  const { url } = await testDatabase();
  const sequelize = connect(url, 1);
  await resetSchema(sequelize);
  await truncate(sequelize, ['Users']);
  await sequelize.close();
  return launchDemo({ url, ...options });
}
