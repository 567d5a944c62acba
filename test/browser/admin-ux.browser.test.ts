/**
 * What an administrator sees (issue 17), in Chromium against the demo: IPs shown normalised; one date format in
 * the panel's language across the Sessions list, the user's sessions panel and "My sessions"; the counts on the
 * confirmation and in the notice; "End" on one session from the panel and from "My sessions"; the dashboard
 * (its screenshot is the README's: UPDATE_SCREENSHOTS=1 refreshes docs/images/admin-dashboard.png). Every step is
 * checked against the database.
 */
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { TEXTS } from '../../src/adminjs/locales/index.js';
import { END_MESSAGES } from '../../example/site.js';
import { startBrowserDemo, type BrowserDemo } from '../support/browser.js';
import { ago, count, now, rows, run } from '../support/sql.js';

const REVOKED = END_MESSAGES.revoked;
/** What a device ended from "My sessions" is told: the user's own doing, not an administrator's. */
const OWN_LOGOUT = END_MESSAGES.logout;
/** The order of the demo's language menu (example/admin.ts). */
const LANGUAGES = ['en', 'nl', 'de', 'fr', 'es', 'pl'] as const;
/** "5 minutes ago" as each language writes it (Intl.RelativeTimeFormat, numeric: auto). */
const FIVE_MINUTES_AGO: Record<(typeof LANGUAGES)[number], string> = {
  en: '5 minutes ago', nl: '5 minuten geleden', de: 'vor 5 Minuten', fr: 'il y a 5 minutes', es: 'hace 5 minutos', pl: '5 minut temu',
};
const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1';
const HOUR = 3_600_000;
const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0';

describe('admin UX in a real browser (Chromium)', function () {
  this.timeout(600_000);
  let b: BrowserDemo;
  let admin: Page;

  before(async function () {
    // Up to three sessions per user: enough to end one of several.
    b = await startBrowserDemo(this, { singleUserSession: 3 }, { 'admin-dashboard': 'admin-dashboard.png' });
    // A day of history in the audit trail for the dashboard's picture (the current hour is real). Written before the
    // first dashboard (the admin's home page) is drawn: the engine keeps the figures of hours that are over.
    // Ten minutes into each of the 23 hours before this one (UTC, the hours the database's sessions use): one row per
    // sign-in, one per ending with its count of sessions.
    const thisHour = Math.floor(Date.now() / HOUR) * HOUR;
    const history = Array.from({ length: 23 }, (_, i) => i + 1).flatMap((h) => {
      const at = new Date(thisHour - h * HOUR + 10 * 60_000);
      const counts: Array<[string, number]> = [
        ['login', 1 + (h * 7) % 9], ['replaced', (h * 5) % 4], ['revoked', h % 6 === 0 ? 3 : 0], ['logout', h % 3], ['expired', h % 4 === 1 ? 2 : 0],
      ];
      return counts.filter(([, n]) => n > 0).flatMap(([reason, n]) => reason === 'login'
        ? Array.from({ length: n }, () => ({ at, reason, actorId: null, userIds: '["4"]', sessionCount: 1 }))
        : [{ at, reason, actorId: null, userIds: '["4"]', sessionCount: n }]);
    });
    await b.demo.sequelize.getQueryInterface().bulkInsert('SessionAuditEvents', history);
    admin = await b.newPage();
    await b.adminLogin(admin, 'admin@example.com');
  });
  after(async () => b?.close());

  const query = <T extends object>(sql: string, bind: Record<string, unknown> = {}) => rows<T>(b.demo.sequelize, sql, { bind });
  const userId = async (email: string) => (await query<{ id: number }>('SELECT id FROM "Users" WHERE email = $email', { email }))[0]!.id;
  const sessionsOf = async (email: string) =>
    count(b.demo.sequelize, 'SELECT count(*) FROM "UserSessions" s JOIN "Users" u ON u.id = s."userId" WHERE u.email = $email', { bind: { email } });
  /** The public handle of the newest session of a user. */
  const newestHandle = async (email: string) => String((await query<{ id: string | number }>(
    'SELECT s.id FROM "UserSessions" s JOIN "Users" u ON u.id = s."userId" WHERE u.email = $email ORDER BY s.id DESC LIMIT 1', { email },
  ))[0]!.id);
  const siteBrowser = async (email: string, userAgent?: string) => {
    const page = await b.newPage(userAgent ? { userAgent } : {});
    await b.siteLogin(page, email);
    return page;
  };
  /** Reloads the site page: signed out, it says why. */
  const siteMessage = async (page: Page) => {
    await page.reload();
    await page.locator('#login').waitFor();
    return (await page.locator('#ended').textContent())!.trim();
  };
  const texts = (page: Page, selector: string) => page.locator(selector).allInnerTexts();
  const rowOf = (page: Page, handle: string) => page.locator(`[data-css=single-session-sessions] tr[data-session="${handle}"]`);
  /** Client-side navigation (the SPA keeps the language chosen in the menu; a reload would not). */
  const navigate = (page: Page, path: string) => page.evaluate((to) => {
    window.history.pushState({}, '', to);
    window.dispatchEvent(new PopStateEvent('popstate'));
  }, path);
  /** AdminJS's language menu (top bar): it opens on hover; its items are in the order of `availableLanguages`. */
  const chooseLanguage = async (page: Page, language: (typeof LANGUAGES)[number]) => {
    const menu = page.locator('.adminjs_DropDown-Stick-left.adminjs_DropDownMenu');
    await page.locator(':has(> .adminjs_DropDown-Stick-left.adminjs_DropDownMenu)').locator('button').first().hover();
    await menu.locator(':scope > section').nth(LANGUAGES.indexOf(language)).click();
  };

  it('shows IP addresses normalised (::ffff:127.0.0.1 as 127.0.0.1) in the Sessions list, the panel and "My sessions"; stores them as given', async () => {
    await siteBrowser('alice@example.com');
    const stored = await query<{ ip: string }>('SELECT DISTINCT ip FROM "UserSessions"');
    expect(stored.map((r) => r.ip), 'an IPv4 client of a dual-stack server, stored as given').to.deep.equal(['::ffff:127.0.0.1']);

    await admin.goto(`${b.baseUrl}/admin/resources/ActiveSessions`);
    await admin.locator('tbody tr[data-id]').first().waitFor();
    const listed = await texts(admin, '[data-testid=property-list-ip]');
    expect(listed.length).to.equal(2);
    expect([...new Set(listed.map((t) => t.trim()))]).to.deep.equal(['127.0.0.1']);

    await admin.goto(`${b.baseUrl}/admin/resources/User/records/${await userId('alice@example.com')}/show`);
    await admin.locator('[data-css=single-session-sessions]').waitFor();
    expect(await texts(admin, '[data-css=single-session-ip]')).to.deep.equal(['127.0.0.1']);

    await admin.goto(`${b.baseUrl}/admin/pages/mySessions`);
    await admin.locator('[data-css=single-session-sessions]').waitFor();
    expect(await texts(admin, '[data-css=single-session-ip]')).to.deep.equal(['127.0.0.1']);
  });

  it('writes dates one way in the Sessions list, the panel and "My sessions", in the language of the menu, relative when near', async () => {
    // The admin's idle site session: signed in 5 minutes ago, last seen 3 days ago (an idle session is not touched).
    await siteBrowser('admin@example.com');
    const handle = await newestHandle('admin@example.com');
    const sequelize = b.demo.sequelize;
    await run(sequelize, `UPDATE "UserSessions" SET "createdAt" = ${ago(sequelize, 5 * 60_000)}, "lastSeenAt" = ${ago(sequelize, 3 * 24 * HOUR)} WHERE id = $id`, { bind: { id: handle } });
    const [{ lastSeenAt }] = await query<{ lastSeenAt: Date }>('SELECT "lastSeenAt" FROM "UserSessions" WHERE id = $id', { id: handle }) as [{ lastSeenAt: Date }];
    const absolute = (language: string) => admin.evaluate(([lang, iso]) =>
      new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso)), [language, lastSeenAt.toISOString()]);

    const dates = async (page: Page) => {
      const row = rowOf(page, handle);
      await row.waitFor();
      return [await row.locator('[data-css=single-session-created]').innerText(), await row.locator('[data-css=single-session-last-seen]').innerText()];
    };
    await admin.goto(`${b.baseUrl}/admin/pages/mySessions`);
    const mine = await dates(admin);
    expect(mine).to.deep.equal([FIVE_MINUTES_AGO.en, await absolute('en')]);
    // The exact time is the tooltip.
    expect(await rowOf(admin, handle).locator('[data-css=single-session-created] time').getAttribute('title')).to.match(/2\d{3}/);

    await admin.goto(`${b.baseUrl}/admin/resources/User/records/${await userId('admin@example.com')}/show`);
    expect(await dates(admin), 'the panel writes them as "My sessions" does').to.deep.equal(mine);
    await admin.goto(`${b.baseUrl}/admin/resources/ActiveSessions/records/${handle}/show`);
    await admin.locator('[data-css=single-session-time]').first().waitFor();
    expect(await admin.locator('[data-css=single-session-time]').first().innerText(), 'the session\'s page too').to.equal(mine[0]);
    await admin.goto(`${b.baseUrl}/admin/resources/ActiveSessions`);
    const listRow = admin.locator(`tbody tr[data-id="${handle}"]`);
    await listRow.waitFor();
    expect([
      await listRow.getByTestId('property-list-createdAt').innerText(), await listRow.getByTestId('property-list-lastSeenAt').innerText(),
    ], 'the Sessions list writes them as "My sessions" does').to.deep.equal(mine);
    // The expiry: the idle timeout's or the cookie's, whichever comes first; always ahead, so "in …".
    expect(await listRow.getByTestId('property-list-expires').innerText()).to.match(/^in \d+ (minutes?|hours?)$/);

    // The language menu: every language, without a reload.
    await admin.goto(`${b.baseUrl}/admin/pages/mySessions`);
    await rowOf(admin, handle).waitFor();
    for (const language of [...LANGUAGES.slice(1), 'en'] as const) {
      await chooseLanguage(admin, language);
      await admin.locator('[data-css=single-session-sessions] th, [data-css=single-session-sessions] td', { hasText: TEXTS[language].pages.messages.singleSessionColumnCreated }).first().waitFor();
      expect(await dates(admin), language).to.deep.equal([FIVE_MINUTES_AGO[language], await absolute(language)]);
      if (language === 'de') {
        await b.screenshot(admin, 'my-sessions-de');
        await navigate(admin, '/admin/resources/ActiveSessions');
        await listRow.waitFor();
        expect(await listRow.getByTestId('property-list-createdAt').innerText(), 'the Sessions list follows the menu too').to.equal(FIVE_MINUTES_AGO.de);
        await navigate(admin, '/admin/pages/mySessions');
        await rowOf(admin, handle).waitFor();
      }
    }
  });

  it('the bulk confirmation counts each user\'s sessions and the total; the notice gives the same numbers', async () => {
    // Everybody's sessions but the admin's (read first: MariaDB cannot delete through a subquery of the cascade's table).
    const others = (await query<{ sid: string }>('SELECT sid FROM "UserSessions" WHERE "userId" <> $admin', { admin: await userId('admin@example.com') })).map((r) => r.sid);
    if (others.length > 0) await run(b.demo.sequelize, 'DELETE FROM "Sessions" WHERE sid IN (:others)', { replacements: { others } });
    const alice = [await siteBrowser('alice@example.com'), await siteBrowser('alice@example.com')];
    const bob = await siteBrowser('bob@example.com');
    expect(await sessionsOf('admin@example.com'), 'this admin session and the idle one').to.equal(2);

    await admin.goto(`${b.baseUrl}/admin/resources/User`);
    for (const email of ['admin@example.com', 'staff@example.com', 'alice@example.com', 'bob@example.com']) {
      const row = admin.locator('tbody tr[data-id]', { has: admin.getByTestId('property-list-email').getByText(email, { exact: true }) });
      await row.locator('input[type=checkbox]').check({ force: true });
    }
    await admin.getByTestId('action-logoutAllUsersOnAllSessions').click();
    const total = admin.locator('[data-css=single-session-total]');
    await total.waitFor();
    const rows = admin.locator('[data-css=single-session-targets] tbody tr');
    const perUser = Object.fromEntries(await Promise.all((await rows.all()).map(async (row) => {
      const cells = await row.locator('td').allInnerTexts();
      return [cells[0]!.split(/\s/)[0], [await row.getAttribute('data-sessions'), cells[1]!.trim(), cells[2]!.trim()]];
    })));
    expect(perUser).to.deep.equal({
      'admin@example.com': ['1', 'will be logged out everywhere', '1'], // the idle session; this one is kept
      'staff@example.com': ['0', 'no active session: nothing to end', '0'],
      'alice@example.com': ['2', 'will be logged out everywhere', '2'],
      'bob@example.com': ['1', 'will be logged out everywhere', '1'],
    });
    expect((await texts(admin, '[data-css=single-session-targets] thead th, [data-css=single-session-targets] thead td'))[2]).to.equal('Sessions ending');
    expect(await total.innerText()).to.equal('Sessions that will end: 4. Users: 3.');
    await b.screenshot(admin, 'admin-bulk-confirm-counts');

    await admin.getByTestId('single-session-confirm').click();
    await admin.getByText('Sessions ended: 4. Users logged out: 3. Users skipped: 0. Your current session was kept; your other sessions ended.').waitFor();
    expect(await sessionsOf('alice@example.com') + await sessionsOf('bob@example.com')).to.equal(0);
    expect(await sessionsOf('admin@example.com')).to.equal(1);
    expect(await siteMessage(alice[0]!)).to.equal(REVOKED);
    expect(await siteMessage(bob)).to.equal(REVOKED);
  });

  it('the user\'s sessions panel ends one session after the same confirmation', async () => {
    const alice = [await siteBrowser('alice@example.com'), await siteBrowser('alice@example.com')];
    const first = String((await query<{ id: string | number }>(
      'SELECT s.id FROM "UserSessions" s JOIN "Users" u ON u.id = s."userId" WHERE u.email = $email ORDER BY s.id', { email: 'alice@example.com' },
    ))[0]!.id);
    await admin.goto(`${b.baseUrl}/admin/resources/User/records/${await userId('alice@example.com')}/show`);
    await rowOf(admin, first).getByTestId('single-session-end').click();
    const dialog = admin.locator('[data-css=single-session-end-dialog]');
    await dialog.locator('[data-css=single-session-total]').waitFor();
    expect(await dialog.locator('[data-css=single-session-targets] tbody tr td').first().innerText()).to.match(/^alice@example\.com — .*127\.0\.0\.1$/);
    expect(await dialog.locator('[data-css=single-session-total]').innerText()).to.equal('Sessions that will end: 1. Users: 1.');
    expect(await sessionsOf('alice@example.com'), 'the preview changes nothing').to.equal(2);
    await b.screenshot(admin, 'panel-end-session');
    await dialog.getByTestId('single-session-end-confirm').click();
    await admin.getByText('Sessions ended: 1. Users: 1.').waitFor();
    await admin.locator('[data-css=single-session-sessions] tbody tr').nth(1).waitFor({ state: 'detached' });
    expect(await sessionsOf('alice@example.com')).to.equal(1);
    expect(await siteMessage(alice[0]!)).to.equal(REVOKED);
    await alice[1]!.reload();
    await alice[1]!.locator('#who', { hasText: 'alice@example.com' }).waitFor();
  });

  it('"My sessions" marks this device, offers "End" only on the others, and ends one', async () => {
    const other = await siteBrowser('admin@example.com');
    const otherHandle = await newestHandle('admin@example.com');
    await admin.goto(`${b.baseUrl}/admin/pages/mySessions`);
    const current = admin.locator('[data-css=single-session-sessions] tr[data-current=true]');
    await current.waitFor();
    expect(await current.innerText()).to.contain('this device');
    expect(await current.getByTestId('single-session-end').count(), 'never offered on this device').to.equal(0);
    expect(await admin.getByTestId('single-session-end').count()).to.equal((await sessionsOf('admin@example.com')) - 1);

    await rowOf(admin, otherHandle).getByTestId('single-session-end').click();
    await admin.locator('[data-css=single-session-end-dialog] [data-css=single-session-total]').waitFor();
    await admin.getByTestId('single-session-end-confirm').click();
    await admin.getByText('Sessions ended: 1. Users: 1.').waitFor();
    await rowOf(admin, otherHandle).waitFor({ state: 'detached' });
    expect(await query('SELECT 1 FROM "UserSessions" WHERE id = $id', { id: otherHandle })).to.have.length(0);
    expect(await siteMessage(other)).to.equal(OWN_LOGOUT);
    await current.waitFor(); // still signed in here
  });

  it('the dashboard: live sessions and users, sign-ins and endings per hour by reason, browsers and devices', async () => {
    // A few more devices (the day of history for the picture was written before the first dashboard was drawn).
    await siteBrowser('bob@example.com', IPHONE);
    await siteBrowser('staff@example.com', FIREFOX);
    await siteBrowser('manager@example.com', IPHONE);

    // A window tall enough for the whole dashboard (AdminJS scrolls an inner panel, which a full-page shot misses).
    const tall = await b.newPage({ viewport: { width: 1280, height: 1200 } });
    await b.adminLogin(tall, 'admin@example.com');
    const dashboard = tall.locator('[data-css=single-session-dashboard]');
    await dashboard.locator('[data-css=single-session-chart]').waitFor();
    const [counted] = await query<{ sessions: number | string; users: number | string }>(
      `SELECT count(*) AS sessions, count(DISTINCT us."userId") AS users FROM "UserSessions" us JOIN "Sessions" s ON s.sid = us.sid
       WHERE s.expires IS NULL OR s.expires > ${now(b.demo.sequelize)}`);
    const live = { sessions: Number(counted!.sessions), users: Number(counted!.users) };
    const figure = async (name: string) => [
      await dashboard.locator(`[data-figure=${name}]`).getAttribute('data-value'), await dashboard.locator(`[data-figure=${name}] [data-css=single-session-figure]`).innerText(),
    ];
    expect(await figure('activeSessions')).to.deep.equal([String(live.sessions), String(live.sessions)]);
    expect(await figure('signedInUsers')).to.deep.equal([String(live.users), String(live.users)]);

    // Per hour: the bars carry the audit trail's numbers.
    // Summed here by UTC hour (the hours of the database's clock on both servers): sign-ins are events, endings sessions.
    const events = await query<{ at: Date; reason: string; sessionCount: number }>(
      'SELECT at, reason, "sessionCount" FROM "SessionAuditEvents" WHERE at >= $since',
      { since: new Date(Math.floor(Date.now() / HOUR) * HOUR - 23 * HOUR) });
    const sums = new Map<string, { hour: Date; reason: string; n: number }>();
    for (const { at, reason, sessionCount } of events) {
      const hour = new Date(Math.floor(new Date(at).getTime() / HOUR) * HOUR);
      const sum = sums.get(`${hour.toISOString()} ${reason}`) ?? { hour, reason, n: 0 };
      sum.n += reason === 'login' ? 1 : Number(sessionCount);
      sums.set(`${hour.toISOString()} ${reason}`, sum);
    }
    const perHour = [...sums.values()];
    const bars = await dashboard.locator('[data-css=single-session-chart] rect').evaluateAll((rects) => rects.map((r) => [
      r.parentElement!.getAttribute('data-hour'), r.getAttribute('data-series'), Number(r.getAttribute('data-value')),
    ]).filter(([, , n]) => (n as number) > 0));
    const key = (hour: string | Date, series: string, n: number) => `${new Date(hour).toISOString()} ${series === 'login' ? 'signIns' : series} ${n}`;
    expect(new Set(bars.map(([h, s, n]) => key(h as string, s as string, n as number)))).to.deep.equal(new Set(perHour.map((r) => key(r.hour, r.reason, r.n))));
    const thisHour = perHour.filter((r) => new Date(r.hour).getTime() > Date.now() - 3600_000);
    expect(thisHour.map((r) => r.reason).sort()).to.include.members(['login', 'revoked']);
    const signIns = perHour.filter((r) => r.reason === 'login').reduce((sum, r) => sum + r.n, 0);
    expect(await figure('signIns')).to.deep.equal([String(signIns), String(signIns)]);
    expect(await dashboard.locator('[data-css=single-session-legend]').innerText()).to.match(/sign-ins[\s\S]*replaced by a newer sign-in[\s\S]*ended by an administrator/);

    // The most common browsers and devices, with their share of the live sessions.
    const browsers = (await query<{ browser: string; n: number | string }>(
      `SELECT browser, count(*) AS n FROM "UserSessions" us JOIN "Sessions" s ON s.sid = us.sid WHERE s.expires > ${now(b.demo.sequelize)} GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1`,
    )).map((r) => ({ browser: r.browser, n: Number(r.n) }));
    const topBrowser = dashboard.locator('[data-top=browser] tbody tr').first();
    expect(await topBrowser.getAttribute('data-value')).to.equal(browsers[0]!.browser);
    expect(await topBrowser.locator('td').nth(1).innerText()).to.equal(`${Math.round((1000 * browsers[0]!.n) / live.sessions) / 10}%`);
    expect(await dashboard.locator('[data-top=device] tbody tr[data-value="mobile Apple iPhone"]').count()).to.equal(1);
    await b.screenshot(tall, 'admin-dashboard');
  });
  it('the audit list names the actor and the users by their email (not "Length: 1" and ids); the menu has a "Sessions" group', async () => {
    await siteBrowser('bob@example.com');
    await b.demo.singleSession.endUserSessions([await userId('bob@example.com')], { actorId: await userId('admin@example.com') });
    await admin.goto(`${b.baseUrl}/admin/resources/SessionAuditEvents?filters.reason=revoked`);
    const row = admin.locator('tbody tr[data-id]').first();
    await row.waitFor();
    expect(await row.locator('[data-testid=single-session-users-actorId]').innerText()).to.equal('admin@example.com');
    expect(await row.locator('[data-testid=single-session-users-userIds]').innerText()).to.equal('bob@example.com');
    expect(await admin.locator('tbody').innerText()).not.to.match(/Length/);
    const menu = (await admin.locator('[data-css=sidebar-resources]').innerText()).split('\n').map((l) => l.trim());
    expect(menu, menu.join(' | ')).to.include.members(['Accounts', 'Sessions']); // the groups (closed), not the database's name
  });
});
