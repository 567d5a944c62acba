/**
 * The demo's site page in a real browser (Chromium) when the account changes: a password changed on one device,
 * a logout on another, an account disabled — each signed-out browser says why (`#ended`), the browser that changed
 * its password stays signed in, and a disabled account's sign-in says it is disabled.
 */
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { END_MESSAGES, SITE_MESSAGES } from '../../example/site.js';
import { startBrowserDemo, type BrowserDemo } from '../support/browser.js';

describe('demo in a real browser: sessions follow the account (Chromium)', function () {
  this.timeout(600_000);
  let b: BrowserDemo;

  before(async function () {
    b = await startBrowserDemo(this, { singleUserSession: false });
  });
  after(async () => {
    await b?.close();
  });

  async function signedIn(email: string): Promise<Page> {
    const page = await b.newPage();
    await b.siteLogin(page, email);
    return page;
  }

  async function endedMessage(page: Page): Promise<string> {
    await page.reload();
    await page.locator('#login').waitFor();
    return (await page.locator('#ended').textContent())!.trim();
  }

  it('a password changed on one device: the others say why, this one stays signed in', async () => {
    const [here, there] = [await signedIn('alice@example.com'), await signedIn('alice@example.com')];
    const sid = (await here.context().cookies()).find((c) => c.name === 'sid')!.value;
    await here.fill('#current-password', 'wrong password');
    await here.fill('#new-password', 'a new password');
    await here.getByRole('button', { name: 'Change password' }).click();
    await here.locator('#password-error', { hasText: SITE_MESSAGES.wrongPassword }).waitFor();

    await here.fill('#current-password', 'password');
    await here.fill('#new-password', 'a new password');
    await here.getByRole('button', { name: 'Change password' }).click();
    await here.locator('#password-done').waitFor();
    expect(await endedMessage(there)).to.equal(END_MESSAGES.credentials);
    await here.reload();
    await here.locator('#who', { hasText: 'alice@example.com' }).waitFor();
    expect((await here.context().cookies()).find((c) => c.name === 'sid')!.value, 'a new session id').not.to.equal(sid);
  });

  it('a logout on another device says so (not "by an administrator")', async () => {
    const [here, there] = [await signedIn('bob@example.com'), await signedIn('bob@example.com')];
    await there.getByRole('button', { name: 'Sign out' }).click();
    await there.locator('#login').waitFor();
    expect(await endedMessage(here)).to.equal(END_MESSAGES.logout);
  });

  it('a disabled account: its browser says why, and signing in again says the account is disabled', async () => {
    const page = await signedIn('staff@example.com');
    await b.demo.User.update({ disabled: true }, { where: { email: 'staff@example.com' } });
    expect(await endedMessage(page)).to.equal(END_MESSAGES.account);
    await page.fill('#email', 'staff@example.com');
    await page.fill('#password', 'password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#login-error', { hasText: SITE_MESSAGES.accountDisabled }).waitFor();
  });
});
