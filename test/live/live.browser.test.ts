/**
 * Live sign-out in a real browser, across processes: two demo processes on one database. On process 1, browser 1
 * has two site tabs (A and a third tab C) signed in as alice; browser 2 has the AdminJS panel (tab B) signed in as
 * staff. On process 2, alice signs in again (her session on browser 1 is `replaced`) and the manager's bulk action
 * logs staff out (`revoked`). Every tab shows its reason within 2 s, without any input.
 */
import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { chromium, type Browser as Chromium, type Page } from 'playwright-core';
import { SITE_MESSAGES } from '../../example/site.js';
import { en } from '../../src/adminjs/locales/en.js';
import { connect, testDatabase } from '../support/database.js';
import { resetSchema } from '../support/fixture.js';
import { Browser } from '../support/http.js';
import { rows, truncate } from '../support/sql.js';
import { startDemoProcesses, type AppProcesses } from '../stress/support/processes.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const WITHIN_MS = 2000;

describe('live sign-out in Chromium: two processes, site and panel tabs told at once', function () {
  this.timeout(300_000);
  let apps: AppProcesses;
  let chromiumBrowser: Chromium;
  let ids: Record<string, string>;

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      console.log(`      skipped: no Chromium at ${CHROMIUM}`);
      this.skip();
    }
    const { url } = await testDatabase();
    const sequelize = connect(url, 1);
    await resetSchema(sequelize);
    await truncate(sequelize, ['Users']);
    apps = await startDemoProcesses(2, { DATABASE_URL: url });
    const users = await rows<{ id: unknown; email: string }>(sequelize, 'SELECT id, email FROM "Users"');
    ids = Object.fromEntries(users.map((u) => [u.email.split('@')[0], String(u.id)]));
    await sequelize.close();
    chromiumBrowser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  });
  after(async () => {
    await chromiumBrowser?.close();
    await apps?.stop();
  });

  async function newPage(context: Awaited<ReturnType<Chromium['newContext']>>): Promise<Page> {
    const page = await context.newPage();
    page.setDefaultTimeout(120_000);
    return page;
  }

  /** Resolves with the ms from `t0()` until `selector` shows `text` (the action's own time not counted). */
  function shows(page: Page, selector: string, text: string, t0: () => number): Promise<number> {
    return page.locator(selector, { hasText: text }).waitFor({ state: 'visible', timeout: 60_000 }).then(() => Date.now() - t0());
  }

  it('tab A and a third tab (site) and tab B (panel) show their reasons within 2 s', async () => {
    const [p1, p2] = apps.urls as [string, string];
    const aliceBrowser = await chromiumBrowser.newContext();
    const staffBrowser = await chromiumBrowser.newContext();
    const tabA = await newPage(aliceBrowser);
    await tabA.goto(`${p1}/`);
    await tabA.fill('#email', 'alice@example.com');
    await tabA.fill('#password', 'password');
    await tabA.getByRole('button', { name: 'Sign in' }).click();
    await tabA.locator('#who', { hasText: 'alice@example.com' }).waitFor();
    const tabC = await newPage(aliceBrowser);
    await tabC.goto(`${p1}/`);
    await tabC.locator('#who', { hasText: 'alice@example.com' }).waitFor();

    const tabB = await newPage(staffBrowser);
    await tabB.goto(`${p1}/admin/login`);
    await tabB.fill('input[name=email]', 'staff@example.com');
    await tabB.fill('input[name=password]', 'password');
    await tabB.getByRole('button', { name: 'Login' }).click();
    await tabB.waitForURL(`${p1}/admin`);
    // The panel (with its watcher) is rendered, and every tab's stream is open on process 1.
    await tabB.locator('section[data-css="sidebar"], [data-css="sidebar"]').first().waitFor();
    await tabB.waitForTimeout(1000);

    // Process 2: alice signs in elsewhere.
    let done = 0;
    const t0 = () => done;
    const siteShown = [shows(tabA, '#ended', SITE_MESSAGES.replaced, t0), shows(tabC, '#ended', SITE_MESSAGES.replaced, t0)];
    const elsewhere = new Browser(p2);
    expect((await elsewhere.login('alice@example.com')).status).to.equal(200);
    done = Date.now();
    const [a, c] = await Promise.all(siteShown);
    console.log(`      replaced: tab A ${a} ms, third tab ${c} ms after the login's response`);
    for (const tab of [tabA, tabC]) {
      expect(await tab.locator('#signed-in').isHidden()).to.equal(true);
      expect(await tab.locator('#who').textContent()).to.equal('');
    }

    // Process 2: the manager logs staff out on all sessions.
    done = 0;
    const panelShown = shows(tabB, '#single-session-ended', en.feature.messages.singleSessionEndedRevoked, t0);
    const manager = new Browser(p2);
    const login = await manager.request('POST', '/admin/login', { form: { email: 'manager@example.com', password: 'password' } });
    expect(login.status).to.equal(302);
    const bulk = await manager.request('POST', `/admin/api/resources/User/bulk/logoutUserOnAllSessions?recordIds=${ids.staff}`);
    expect(bulk.status).to.equal(200);
    done = Date.now();
    const b = await panelShown;
    console.log(`      revoked: tab B (panel) ${b} ms after the bulk action's response`);
    // Then the login page, saying why.
    await tabB.waitForURL(/\/admin\/login/, { timeout: 10_000 });
    await tabB.getByText(en.feature.messages.singleSessionEndedRevoked).waitFor();

    for (const ms of [a, c, b]) expect(ms).to.be.below(WITHIN_MS);
    await aliceBrowser.close();
    await staffBrowser.close();
  });
});
