/**
 * The Sessions page in a real browser (Debian's Chromium driven by playwright-core) with more sessions than it
 * counts exactly (1,000 by default): the page says its total is an estimate, the badge beside the title marks it
 * with "≈", and a filter narrow enough to count exactly shows an exact total and no such line. The demo app as
 * `npm start` serves it; the extra sessions are written straight into the tables.
 */
import { expect } from 'chai';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { EXACT_COUNT_UP_TO } from '../../src/index.js';
import type { RunningDemo } from '../../example/setup.js';
import { isolatedPage, launchChromium, launchFreshDemo, SCREENSHOTS } from '../support/chromium.js';
import { analyze, rows } from '../support/sql.js';

const EXTRA = EXACT_COUNT_UP_TO + 200;

describe('Sessions page past its exact count, in a real browser (Chromium)', function () {
  this.timeout(600_000);
  let demo: RunningDemo;
  let browser: Browser;
  let page: Page;

  before(async function () {
    browser = await launchChromium(this);
    demo = await launchFreshDemo({ singleUserSession: false });
    // Alice's sessions, past the exact count; statistics, as autovacuum would keep them on a busy site.
    const [alice] = await rows<{ id: number }>(demo.sequelize, `SELECT id FROM "Users" WHERE email = 'alice@example.com'`);
    const now = Date.now();
    const sids = Array.from({ length: EXTRA }, (_, i) => `browser-test-${i + 1}`);
    const queries = demo.sequelize.getQueryInterface();
    await queries.bulkInsert('Sessions', sids.map((sid) => ({
      sid, expires: new Date(now + 86_400_000), data: '{}', createdAt: new Date(now), updatedAt: new Date(now),
    })));
    await queries.bulkInsert('UserSessions', sids.map((sid) => ({
      sid, userId: alice!.id, createdAt: new Date(now), lastSeenAt: new Date(now - 60_000), ip: '10.9.9.9', browser: 'Firefox 121', os: 'Linux',
    })));
    await analyze(demo.sequelize, ['Sessions', 'UserSessions']);
    page = await isolatedPage(browser, demo.baseUrl);
    await page.goto(`${demo.baseUrl}/admin/login`);
    await page.fill('input[name=email]', 'admin@example.com');
    await page.fill('input[name=password]', 'password');
    await page.getByRole('button', { name: 'Login' }).click();
    await page.waitForURL(`${demo.baseUrl}/admin`);
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await demo?.close();
  });

  it('says the total is an estimate, with the limit it counts to, and marks the badge with ≈', async () => {
    await page.goto(`${demo.baseUrl}/admin/resources/ActiveSessions`);
    await page.locator('tbody tr[data-id]').first().waitFor();
    const notice = page.locator('[data-css=single-session-total-estimated]');
    await notice.waitFor();
    const text = (await notice.textContent())!;
    expect(text).to.match(/^About [\d,]+ sessions: an estimate by the database, and so is the number of pages\. Sessions are counted exactly up to 1,000/);
    const shown = Number(text.match(/About ([\d,]+)/)![1]!.replace(/,/g, ''));
    expect(shown).to.be.above(EXACT_COUNT_UP_TO).and.within(EXTRA / 2, EXTRA * 2);
    await page.getByText(`≈ ${shown.toLocaleString('en')}`, { exact: true }).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'sessions-estimated-total.png') });
  });

  it('counts exactly, and says nothing of an estimate, under a filter that leaves few sessions', async () => {
    const [admin] = await demo.User.findAll({ where: { email: 'admin@example.com' } });
    await page.goto(`${demo.baseUrl}/admin/resources/ActiveSessions?filters.userId=${admin!.get('id')}`);
    await page.locator('tbody tr[data-id]').first().waitFor();
    expect(await page.locator('tbody tr[data-id]').count()).to.equal(1);
    expect(await page.locator('[data-css=single-session-total-estimated]').count()).to.equal(0);
    expect(await page.getByText(/≈/).count()).to.equal(0);
  });
});
