/**
 * The demo in a real browser (Debian's Chromium driven by playwright-core): what a person sees when their
 * session is replaced or revoked, and an administrator's bulk logout from the AdminJS User list, end to end.
 * Screenshots of the key screens go to .screenshots/ (git-ignored); UPDATE_SCREENSHOTS=1 also refreshes the two
 * the README shows (docs/images/).
 */
import { expect } from 'chai';
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { RunningDemo } from '../../example/setup.js';
import { isolatedPage, launchChromium, launchFreshDemo, SCREENSHOTS } from '../support/chromium.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const README_IMAGES: Record<string, string> = { 'admin-bulk-confirm': 'admin-bulk-logout.png', 'site-replaced': 'site-signed-out.png' };

const REPLACED = 'You were signed out because your account signed in on another device.';
const REVOKED = 'You were signed out by an administrator.';

describe('demo in a real browser (Chromium)', function () {
  // The AdminJS dev bundles are ~25 MB of unminified JavaScript per browser context: slow on a busy 2-core box.
  this.timeout(600_000);
  let demo: RunningDemo;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  before(async function () {
    browser = await launchChromium(this);
    demo = await launchFreshDemo();
    expect(demo.setup.seeded).to.have.length.above(0);
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await demo?.close();
  });

  /** A new browser profile (own cookies) whose pages reach only the demo (AdminJS links a web font). */
  async function newPage(): Promise<Page> {
    const page = await isolatedPage(browser, demo.baseUrl);
    contexts.push(page.context());
    return page;
  }

  async function screenshot(page: Page, name: string): Promise<void> {
    const file = path.join(SCREENSHOTS, `${name}.png`);
    await page.screenshot({ path: file });
    if (process.env.UPDATE_SCREENSHOTS && README_IMAGES[name]) copyFileSync(file, path.join(root, 'docs', 'images', README_IMAGES[name]));
  }

  async function siteLogin(page: Page, email: string): Promise<void> {
    await page.goto(`${demo.baseUrl}/`);
    await page.fill('#email', email);
    await page.fill('#password', 'password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#who', { hasText: email }).waitFor();
  }

  async function siteMessage(page: Page): Promise<string> {
    await page.reload();
    await page.locator('#login').waitFor(); // the form is back: signed out
    return (await page.locator('#ended').textContent())!.trim();
  }

  async function adminLogin(page: Page, email: string): Promise<void> {
    await page.goto(`${demo.baseUrl}/admin/login`);
    await page.fill('input[name=email]', email);
    await page.fill('input[name=password]', 'password');
    await page.getByRole('button', { name: 'Login' }).click();
    await page.waitForURL(`${demo.baseUrl}/admin`);
  }

  /** An admin browser whose session was ended is sent to the login page, which says why. */
  async function adminLoginMessage(page: Page): Promise<string> {
    await page.goto(`${demo.baseUrl}/admin/resources/User`);
    await page.waitForURL(`${demo.baseUrl}/admin/login`);
    const message = page.getByText(/You were signed out/);
    await message.waitFor();
    return (await message.textContent())!.trim();
  }

  async function openUserList(page: Page, select: string[]): Promise<void> {
    await page.goto(`${demo.baseUrl}/admin/resources/User`);
    for (const email of select) {
      const row = page.locator('tbody tr[data-id]', { has: page.getByTestId('property-list-email').getByText(email, { exact: true }) });
      await row.locator('input[type=checkbox]').check({ force: true }); // a styled <a> covers the input
    }
    await page.getByText(`Selected (${select.length})`).waitFor();
  }

  async function expectStillSignedIn(page: Page): Promise<void> {
    await page.goto(`${demo.baseUrl}/admin/resources/User`);
    await page.locator('tbody tr[data-id]').first().waitFor();
    expect(page.url()).to.equal(`${demo.baseUrl}/admin/resources/User`);
  }

  async function sessionsOf(email: string): Promise<number> {
    const [rows] = await demo.sequelize.query(
      'SELECT count(*)::int AS n FROM "UserSessions" s JOIN "Users" u ON u.id = s."userId" WHERE u.email = :email',
      { replacements: { email } },
    );
    return (rows as Array<{ n: number }>)[0]!.n;
  }

  let bobB: Page;
  let alice: Page;
  let staff: Page;
  let admin: Page;

  /** Logs `email` in from two new browsers: the first is told it was replaced. Returns the second. */
  async function loginTwice(login: typeof siteLogin, message: typeof siteMessage, email: string, shot: string): Promise<Page> {
    const [first, second] = [await newPage(), await newPage()];
    await login(first, email);
    await login(second, email);
    expect(await message(first)).to.equal(REPLACED);
    await screenshot(first, shot);
    return second;
  }

  it('site: a second login of the same user signs the first browser out, which says why', async () => {
    bobB = await loginTwice(siteLogin, siteMessage, 'bob@example.com', 'site-replaced');
    await bobB.reload();
    await bobB.locator('#who', { hasText: 'bob@example.com' }).waitFor();
    expect(await sessionsOf('bob@example.com')).to.equal(1);
  });

  it('AdminJS: the login page of a replaced admin browser says why', async () => {
    staff = await loginTwice(adminLogin, adminLoginMessage, 'staff@example.com', 'admin-login-replaced');
  });

  it('AdminJS: an admin selects users, confirms the bulk logout (admins skipped), and their browsers are signed out', async () => {
    alice = await newPage();
    await siteLogin(alice, 'alice@example.com');
    admin = await newPage();
    await adminLogin(admin, 'admin@example.com');

    await openUserList(admin, ['admin@example.com', 'staff@example.com', 'alice@example.com', 'bob@example.com']);
    await admin.getByTestId('action-logoutUserOnAllSessions').click();
    const targets = admin.locator('[data-css=single-session-targets]');
    await targets.waitFor();
    expect(await targets.locator('tr[data-outcome=skipped-admin]').allTextContents()).to.have.length(1);
    expect(await targets.locator('tr[data-outcome=skipped-admin]').textContent()).to.contain('admin@example.com');
    expect(await targets.locator('tr[data-outcome=logout]').count()).to.equal(3);
    await screenshot(admin, 'admin-bulk-confirm');

    await admin.getByTestId('single-session-confirm').click();
    await admin.getByText('Sessions ended: 3. Users logged out: 3. Users skipped: 1.').waitFor();
    await screenshot(admin, 'admin-bulk-done');

    expect(await siteMessage(bobB)).to.equal(REVOKED);
    expect(await siteMessage(alice)).to.equal(REVOKED);
    await screenshot(alice, 'site-revoked');
    expect(await adminLoginMessage(staff)).to.equal(REVOKED);
    await screenshot(staff, 'admin-login-revoked');
    // The acting admin (skipped) is still signed in.
    expect(await sessionsOf('admin@example.com')).to.equal(1);
    await expectStillSignedIn(admin);
  });

  it('AdminJS: an admin with only single_session.logout cannot log out an admin user', async () => {
    await adminLogin(staff, 'staff@example.com');
    await openUserList(staff, ['admin@example.com']);
    // The stronger action is not offered…
    await staff.getByTestId('action-logoutUserOnAllSessions').waitFor();
    expect(await staff.getByTestId('action-logoutAllUsersOnAllSessions').count()).to.equal(0);
    // …the one offered skips admins, so confirming would change nothing…
    await staff.getByTestId('action-logoutUserOnAllSessions').click();
    await staff.locator('[data-css=single-session-targets] tr[data-outcome=skipped-admin]').waitFor();
    await staff.getByText('Every selected user is skipped: confirming changes nothing.').waitFor();
    expect(await staff.getByTestId('single-session-confirm').isDisabled()).to.equal(true);
    await screenshot(staff, 'staff-cannot-logout-admin');

    // …and the server refuses a crafted request for either action (same browser, same cookie).
    const [adminRow] = (await demo.User.findAll({ where: { email: 'admin@example.com' } })).map((u) => u.get('id'));
    for (const action of ['logoutAllUsersOnAllSessions', 'logoutUserOnAllSessions']) {
      const res = await staff.request.post(`${demo.baseUrl}/admin/api/resources/User/bulk/${action}?recordIds=${adminRow}`);
      expect(res.status(), action).to.be.below(500);
    }
    expect(await sessionsOf('admin@example.com')).to.equal(1);
    await expectStillSignedIn(admin);
  });
});
