/**
 * The NestJS example (TypeORM users, @adminjs/nestjs) in a real browser (Debian's Chromium driven by playwright-core):
 * the bulk logout from the User list renders this package's confirmation page and ends the sessions, and a user's
 * show page has the sessions panel. Screenshots go to .screenshots/ (git-ignored).
 */
import { expect } from 'chai';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { Sequelize } from 'sequelize';
import { isolatedPage, launchChromium, SCREENSHOTS } from '../support/chromium.js';
import { connect, postgresOnly, testDatabase } from '../support/database.js';
import { Browser as HttpBrowser } from '../support/http.js';
import { startNestApp, type RunningNestApp } from '../support/nestjs.js';

/** The sessions panel: AdminJS names a show page's property group `<resource>-show-<property>`. */
const PANEL = '[data-css=User-show-singleSessionSessions]';

describe('NestJS example in a real browser (Chromium)', function () {
  // AdminJS's dev bundles are ~25 MB of unminified JavaScript: slow on a busy 2-core box.
  this.timeout(600_000);
  postgresOnly(this, 'the NestJS example is configured for PostgreSQL (TypeORM postgres driver)');
  let app: RunningNestApp;
  let sequelize: Sequelize;
  let browser: Browser;
  let page: Page;

  before(async function () {
    browser = await launchChromium(this);
    const db = await testDatabase();
    app = await startNestApp(db.url);
    await app.printed(/Finish bundling/); // AdminJS bundles the custom components in the background at start (dev mode)
    sequelize = connect(db.url, 1);
    page = await isolatedPage(browser, app.baseUrl);
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await sequelize?.close();
    await app?.stop();
  });

  async function userId(email: string): Promise<number> {
    const [rows] = await sequelize.query('SELECT id FROM "Users" WHERE email = :email', { replacements: { email } });
    return (rows as Array<{ id: number }>)[0]!.id;
  }

  async function sessionsOf(email: string): Promise<number> {
    const [rows] = await sequelize.query(
      'SELECT count(*)::int AS n FROM "UserSessions" s JOIN "Users" u ON u.id = s."userId" WHERE u.email = :email',
      { replacements: { email } },
    );
    return (rows as Array<{ n: number }>)[0]!.n;
  }

  it('an admin selects a user, confirms "Log out the user on all sessions" on its confirmation page, and the user is out', async () => {
    const alice = new HttpBrowser(app.baseUrl);
    expect((await alice.login('alice@example.com')).status).to.equal(200);
    expect(await sessionsOf('alice@example.com')).to.equal(1);

    await page.goto(`${app.baseUrl}/admin/login`);
    await page.fill('input[name=email]', 'admin@example.com');
    await page.fill('input[name=password]', 'password');
    await page.getByRole('button', { name: 'Login' }).click();
    await page.waitForURL(`${app.baseUrl}/admin`);

    await page.goto(`${app.baseUrl}/admin/resources/User`);
    const row = page.locator('tbody tr[data-id]', { has: page.getByTestId('property-list-email').getByText('alice@example.com', { exact: true }) });
    await row.locator('input[type=checkbox]').check({ force: true }); // a styled <a> covers the input
    await page.getByText('Selected (1)').waitFor();
    await page.getByTestId('action-logoutUserOnAllSessions').click();

    const targets = page.locator('[data-css=single-session-targets]');
    await targets.waitFor();
    expect(await page.getByText('You have to implement action component').count()).to.equal(0);
    expect(await targets.locator('tr[data-outcome=logout]').textContent()).to.contain('alice@example.com');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'nestjs-bulk-confirm.png') });

    await page.getByTestId('single-session-confirm').click();
    await page.getByText('Sessions ended: 1. Users logged out: 1. Users skipped: 0.').waitFor();
    expect(await sessionsOf('alice@example.com')).to.equal(0);
    expect((await alice.get('/me')).json).to.deep.include({ reason: 'revoked' });
    expect(await sessionsOf('admin@example.com')).to.equal(1);
  });

  it("a user's show page lists their sessions, the admin's own marked as this device", async () => {
    const bob = new HttpBrowser(app.baseUrl);
    expect((await bob.login('bob@example.com')).status).to.equal(200);

    await page.goto(`${app.baseUrl}/admin/resources/User/records/${await userId('bob@example.com')}/show`);
    const bobsPanel = page.locator(PANEL);
    await bobsPanel.locator('[data-css=single-session-sessions] tr[data-session]').first().waitFor();
    expect(await bobsPanel.locator('tr[data-session]').count()).to.equal(1);
    expect(await bobsPanel.locator('tr[data-current=true]').count()).to.equal(0);

    await page.goto(`${app.baseUrl}/admin/resources/User/records/${await userId('admin@example.com')}/show`);
    const ownPanel = page.locator(PANEL);
    await ownPanel.locator('tr[data-current=true]').waitFor();
    expect(await ownPanel.locator('tr[data-session]').count()).to.equal(1);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'nestjs-user-sessions.png') });
  });
});
