/**
 * The demo in a real browser (Debian's Chromium driven by playwright-core): what a person sees when their
 * session is replaced or revoked, and an administrator's bulk logout from the AdminJS User list, end to end.
 * Screenshots of the key screens go to .screenshots/ (git-ignored); UPDATE_SCREENSHOTS=1 also refreshes the two
 * the README shows (docs/images/). The browser and the demo: test/support/browser.ts.
 */
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { startBrowserDemo, type BrowserDemo } from '../support/browser.js';
import { ago, count, run } from '../support/sql.js';

const REPLACED = 'You were signed out because your account signed in on another device.';
const REVOKED = 'You were signed out by an administrator.';
const SIGN_IN_AGAIN = 'For this action your sign-in must be recent: sign in again to continue.';

describe('demo in a real browser (Chromium)', function () {
  // The AdminJS dev bundles are ~25 MB of unminified JavaScript per browser context: slow on a busy 2-core box.
  this.timeout(600_000);
  let b: BrowserDemo;
  let baseUrl: string;

  before(async function () {
    // Step-up on (as FRESH_AGE_MS=600000 would): the last test ages a sign-in past it.
    b = await startBrowserDemo(this, { freshAgeMs: 10 * 60_000 }, { 'admin-bulk-confirm': 'admin-bulk-logout.png', 'site-replaced': 'site-signed-out.png' });
    ({ baseUrl } = b);
  });

  after(async () => {
    await b?.close();
  });

  const newPage = () => b.newPage();
  const screenshot = (page: Page, name: string) => b.screenshot(page, name);
  const siteLogin = (page: Page, email: string) => b.siteLogin(page, email);
  const adminLogin = (page: Page, email: string) => b.adminLogin(page, email);

  async function siteMessage(page: Page): Promise<string> {
    await page.reload();
    await page.locator('#login').waitFor(); // the form is back: signed out
    return (await page.locator('#ended').textContent())!.trim();
  }

  /** An admin browser whose session was ended is sent to the login page, which says why. */
  async function adminLoginMessage(page: Page): Promise<string> {
    await page.goto(`${baseUrl}/admin/resources/User`);
    await page.waitForURL(`${baseUrl}/admin/login`);
    const message = page.getByText(/You were signed out/);
    await message.waitFor();
    return (await message.textContent())!.trim();
  }

  async function openUserList(page: Page, select: string[]): Promise<void> {
    await page.goto(`${baseUrl}/admin/resources/User`);
    for (const email of select) {
      const row = page.locator('tbody tr[data-id]', { has: page.getByTestId('property-list-email').getByText(email, { exact: true }) });
      await row.locator('input[type=checkbox]').check({ force: true }); // a styled <a> covers the input
    }
    await page.getByText(`Selected (${select.length})`).waitFor();
  }

  async function expectStillSignedIn(page: Page): Promise<void> {
    await page.goto(`${baseUrl}/admin/resources/User`);
    await page.locator('tbody tr[data-id]').first().waitFor();
    expect(page.url()).to.equal(`${baseUrl}/admin/resources/User`);
  }

  async function sessionsOf(email: string): Promise<number> {
    return count(b.demo.sequelize,
      'SELECT count(*) FROM "UserSessions" s JOIN "Users" u ON u.id = s."userId" WHERE u.email = :email',
      { replacements: { email } },
    );
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
    const [adminRow] = (await b.demo.User.findAll({ where: { email: 'admin@example.com' } })).map((u) => u.get('id'));
    for (const action of ['logoutAllUsersOnAllSessions', 'logoutUserOnAllSessions']) {
      const res = await staff.request.post(`${baseUrl}/admin/api/resources/User/bulk/${action}?recordIds=${adminRow}`);
      expect(res.status(), action).to.be.below(500);
    }
    expect(await sessionsOf('admin@example.com')).to.equal(1);
    await expectStillSignedIn(admin);
  });

  it('AdminJS step-up: a sign-in too old for the action leads to the login page, back to the confirmation, and through', async () => {
    const aliceAgain = await newPage();
    await siteLogin(aliceAgain, 'alice@example.com');
    const manager = await newPage();
    await adminLogin(manager, 'manager@example.com');
    await run(b.demo.sequelize, `UPDATE "UserSessions" SET "createdAt" = ${ago(b.demo.sequelize, 3600_000)}
      WHERE "userId" = (SELECT id FROM "Users" WHERE email = 'manager@example.com')`);

    await openUserList(manager, ['alice@example.com']);
    await manager.getByTestId('action-logoutUserOnAllSessions').click();
    await manager.locator('[data-css=single-session-targets] tr[data-outcome=logout]').waitFor();
    const confirmation = manager.url();
    await manager.getByTestId('single-session-confirm').click();
    await manager.waitForURL(`${baseUrl}/admin/login`);
    await manager.getByText(SIGN_IN_AGAIN).waitFor();
    await screenshot(manager, 'admin-step-up-login');
    expect(await sessionsOf('alice@example.com'), 'nothing ended').to.equal(1);

    await manager.fill('input[name=email]', 'manager@example.com');
    await manager.fill('input[name=password]', 'password');
    await manager.getByRole('button', { name: 'Login' }).click();
    await manager.waitForURL(/\/admin\/resources\/User\/bulk\/logoutUserOnAllSessions\?/);
    expect(new URL(manager.url()).searchParams.get('recordIds')).to.equal(new URL(confirmation).searchParams.get('recordIds'));
    await manager.locator('[data-css=single-session-targets] tr[data-outcome=logout]').waitFor();
    await manager.getByTestId('single-session-confirm').click();
    await manager.getByText('Sessions ended: 1. Users logged out: 1. Users skipped: 0.').waitFor();
    expect(await siteMessage(aliceAgain)).to.equal(REVOKED);
  });
});
