/**
 * What an administrator sees (issue 17), over HTTP against the demo's AdminJS on the test database, the database
 * checked after each call: per-user session counts in the confirmations' previews and the same numbers in the
 * notices; "End" on one session from the user's sessions panel (with the permission rules) and from "My sessions"
 * (never the session in use); IPs shown normalised but stored as given; the sessions dashboard's data.
 */
import { expect } from 'chai';
import AdminJS, { ComponentLoader } from 'adminjs';
import { createSingleSession, InvalidInputError, SingleSessionConfigError } from '../../src/index.js';
import { guardAdminRequests, sessionsDashboard } from '../../src/adminjs.js';
import { ACTIONS as A } from '../../src/adminjs/actions.js';
import { NOTICES } from '../../src/adminjs/errors.js';
import { SESSION_ACTIONS } from '../../src/adminjs/sessions/end.js';
import { SESSIONS_PANEL } from '../../src/adminjs/sessions/user-sessions.js';
import { createAdminFixture, quoted, type AdminFixture } from '../support/admin.js';
import { hashPassword } from '../support/fixture.js';
import { type Browser, sidOf } from '../support/http.js';
import { sessionsApi } from '../support/sessions.js';
import { ago, now as clock, rows, run, statementsOf } from '../support/sql.js';

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0';
const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1';

describe('AdminJS: what an administrator sees (over HTTP)', function () {
  this.timeout(180_000);
  let f: AdminFixture;
  let api: ReturnType<typeof sessionsApi>;
  const id: Record<string, number> = {};

  before(async () => {
    f = await createAdminFixture({ singleUserSession: false, logoutAllSessions: false, audit: true });
    api = sessionsApi(f);
    await f.User.bulkCreate([
      { email: 'root@example.com', isAdmin: true, permissions: [], passwordHash: hashPassword('password') },
      { email: 'carol@example.com', isAdmin: false, permissions: [], passwordHash: hashPassword('password') },
      { email: 'clerk@example.com', isAdmin: false, permissions: ['other.permission'], passwordHash: hashPassword('password') },
    ]);
    for (const email of ['admin', 'manager', 'staff', 'alice', 'bob', 'root', 'carol', 'clerk']) id[email] = await f.userId(`${email}@example.com`);
  });
  beforeEach(async () => {
    await run(f.sequelize, 'DELETE FROM "Sessions"');
    await run(f.sequelize, 'DELETE FROM "SessionAuditEvents"');
  });
  after(async () => f?.close());

  const counts = async () => [await f.count('Sessions'), await f.count('UserSessions')];
  const loggedIn = async (b: Browser) => (await b.get('/me')).status === 200;
  const handleOf = (b: Browser) => f.handleOf(b);
  /** SQL statements Sequelize sent while `fn` ran. */
  const statementsDuring = async (fn: () => Promise<unknown>) => (await statementsOf(f.sequelize, fn)).statements;

  describe('the confirmations count the sessions that will end', () => {
    let admin: Browser;
    let alice: Browser[];
    let bob: Browser;
    let adminSite: Browser;

    /** alice: 2 site sessions, bob: 1, carol: none, the acting admin: this session + 1 site session. */
    beforeEach(async () => {
      admin = await f.adminLogin('admin@example.com');
      adminSite = await f.siteLogin('admin@example.com');
      alice = [await f.siteLogin('alice@example.com'), await f.siteLogin('alice@example.com')];
      bob = await f.siteLogin('bob@example.com');
    });

    const counted = (records: any[]) => Object.fromEntries(records.map((r) => [r.title, [r.singleSession.outcome, r.singleSession.sessions]]));

    it('bulk preview: per user, live sessions that end (the admin\'s own not counted); GET changes nothing; POST\'s notice says the same', async () => {
      const ids = [id.alice, id.bob, id.carol, id.admin];
      const before = await counts();
      let preview: Awaited<ReturnType<typeof f.bulk>> | undefined;
      const statements = await statementsDuring(async () => { preview = await f.bulk(admin, A.logoutAll, ids, 'GET'); });
      expect(counted(preview!.json.records)).to.deep.equal({
        'alice@example.com': ['logout', 2], 'bob@example.com': ['logout', 1], 'carol@example.com': ['logout', 0], 'admin@example.com': ['logout', 1],
      });
      expect(preview!.json.records.map((r: any) => r.singleSession.userId).sort()).to.deep.equal(ids.map(String).sort());
      expect(statements.filter((s) => new RegExp(`count\\(\\*\\)[\\s\\S]*FROM ${quoted('UserSessions')}`).test(s)), 'one count for the whole selection').to.have.length(1);
      expect(await counts(), 'a preview changes nothing').to.deep.equal(before);

      const done = await f.bulk(admin, A.logoutAll, ids);
      // 2 + 1 + 0 + 1 sessions of 3 users: what the preview said.
      expect(done.json.notice).to.deep.include({ type: 'success', message: NOTICES.doneKeptOwn, options: { sessions: 4, users: 3, skipped: 0 } });
      expect(await counts()).to.deep.equal(before.map((n) => n - 4));
      for (const b of [...alice, bob, adminSite]) expect(await loggedIn(b)).to.equal(false);
      expect(await loggedIn(admin), 'the acting admin\'s session is kept').to.equal(true);
    });

    it('skipped and refused users end nothing; a selection with no live session says so', async () => {
      const preview = await f.bulk(admin, A.logoutUsers, [id.alice, id.admin, id.root], 'GET');
      expect(counted(preview.json.records)).to.deep.equal({
        'alice@example.com': ['logout', 2], 'admin@example.com': ['skipped-admin', 0], 'root@example.com': ['skipped-admin', 0],
      });

      const none = await f.bulk(admin, A.logoutAll, [id.carol, id.clerk], 'GET');
      expect(none.json.records.map((r: any) => r.singleSession.sessions)).to.deep.equal([0, 0]);
      const before = await counts();
      const done = await f.bulk(admin, A.logoutAll, [id.carol, id.clerk]);
      expect(done.json.notice.options).to.deep.equal({ sessions: 0, users: 0, skipped: 0 });
      expect(await counts()).to.deep.equal(before);
    });

    it('record preview and notice of one user', async () => {
      const preview = await f.record(admin, A.logoutOne, id.alice, 'GET');
      expect(preview.json.record.singleSession).to.deep.include({ kind: 'user', outcome: 'logout', sessions: 2, userId: String(id.alice) });
      const done = await f.record(admin, A.logoutOne, id.alice);
      expect(done.json.notice.options).to.deep.equal({ sessions: 2, users: 1, skipped: 0 });
      for (const b of alice) expect(await loggedIn(b)).to.equal(false);
      expect(await loggedIn(bob)).to.equal(true);
    });

    it('the Sessions resource: one session per row, the current one kept (0); the notice names sessions and users', async () => {
      const handles = [...(await api.handlesOf('alice@example.com')), ...(await api.handlesOf('bob@example.com')), await handleOf(admin)];
      const preview = await api.bulk(admin, SESSION_ACTIONS.endSelected, handles, 'GET');
      const rows = preview.json.records.map((r: any) => [r.id, r.singleSession.kind, r.singleSession.userId, r.singleSession.sessions]);
      expect(rows.sort()).to.deep.equal([
        [handles[0], 'session', String(id.alice), 1], [handles[1], 'session', String(id.alice), 1],
        [handles[2], 'session', String(id.bob), 1], [handles[3], 'session', String(id.admin), 0],
      ].sort());
      const before = await counts();
      const done = await api.bulk(admin, SESSION_ACTIONS.endSelected, handles);
      expect(done.json.notice).to.deep.include({ message: NOTICES.sessionsDoneKeptOwn, options: { sessions: 3, users: 2 } });
      expect(await counts()).to.deep.equal(before.map((n) => n - 3));
      expect(await loggedIn(admin)).to.equal(true);
    });
  });

  describe('IP addresses: shown normalised, stored as given', () => {
    it('the Sessions list and page, the confirmation, the sessions panel and "My sessions" show ::ffff:127.0.0.1 as 127.0.0.1', async () => {
      const manager = await f.adminLogin('manager@example.com');
      const alice = await f.siteLogin('alice@example.com');
      const handle = await handleOf(alice);
      await run(f.sequelize, `UPDATE "UserSessions" SET ip = '::ffff:127.0.0.1'`);
      await run(f.sequelize, `UPDATE "UserSessions" SET ip = '2001:0db8:0000:0000:0000:0000:0000:0001' WHERE id = $id`, { bind: { id: handle } });

      const list = await api.list(manager);
      expect(list.json.records.map((r: any) => r.params.ip).sort()).to.deep.equal(['127.0.0.1', '2001:db8::1']);
      const show = await manager.get(`/admin/api/resources/ActiveSessions/records/${await handleOf(manager)}/show`);
      expect(show.json.record.params.ip).to.equal('127.0.0.1');
      const filtered = await api.list(manager, '&filters.ip=127.0.0.1');
      expect(filtered.json.records.map((r: any) => r.id), 'a filter by the plain address finds the mapped one').to.deep.equal([await handleOf(manager)]);
      const preview = await api.record(manager, SESSION_ACTIONS.endOne, await handleOf(manager), 'GET');
      expect(preview.json.record.title).to.equal('manager@example.com — 127.0.0.1'); // Node's fetch: no browser, no system
      const panel = await manager.get(`/admin/api/resources/User/records/${id.manager}/${SESSIONS_PANEL.action}`);
      expect(panel.json.sessions.map((s: any) => s.ip)).to.deep.equal(['127.0.0.1']);
      const mine = await manager.get('/admin/api/pages/mySessions');
      expect(mine.json.sessions.map((s: any) => s.ip)).to.deep.equal(['127.0.0.1']);

      // Sorted here: MariaDB's collation puts ':' before digits, PostgreSQL's (C) after.
      const stored = await rows<{ ip: string }>(f.sequelize, 'SELECT ip FROM "UserSessions"');
      expect(stored.map((r) => r.ip).sort(), 'stored as given').to.deep.equal(['2001:0db8:0000:0000:0000:0000:0000:0001', '::ffff:127.0.0.1']);
    });
  });

  describe('"End" in the user\'s sessions panel', () => {
    const panel = (b: Browser, userId: number) => b.get(`/admin/api/resources/User/records/${userId}/${SESSIONS_PANEL.action}`);
    const end = (b: Browser, userId: number, session: string, method = 'POST') =>
      b.request(method, `/admin/api/resources/User/records/${userId}/${SESSIONS_PANEL.endAction}?session=${encodeURIComponent(session)}`);

    it('previews (GET, nothing changes) then ends exactly that session (POST); the notice gives the numbers', async () => {
      const staff = await f.adminLogin('staff@example.com');
      const alice = [await f.siteLogin('alice@example.com'), await f.siteLogin('alice@example.com')];
      const target = await handleOf(alice[0]!);
      expect((await panel(staff, id.alice)).json.canEnd).to.equal(true);

      const before = await counts();
      const preview = await end(staff, id.alice, target, 'GET');
      expect(preview.status).to.equal(200);
      expect(preview.json.record.singleSession).to.deep.equal({
        kind: 'session', isAdmin: false, isSelf: false, userId: String(id.alice), outcome: 'logout', sessions: 1,
      });
      expect(preview.json.record.title).to.match(/^alice@example\.com — /);
      expect(preview.json.record.params).to.deep.equal({});
      expect(await counts()).to.deep.equal(before);

      const done = await end(staff, id.alice, target);
      expect(done.json.notice).to.deep.include({ type: 'success', message: NOTICES.sessionsDone, options: { sessions: 1, users: 1 } });
      expect(await counts()).to.deep.equal(before.map((n) => n - 1));
      expect((await alice[0]!.get('/me')).json).to.deep.include({ reason: 'revoked' });
      expect(await loggedIn(alice[1]!), 'the other session of alice').to.equal(true);
      expect((await panel(staff, id.alice)).json.sessions.map((s: any) => s.id)).to.deep.equal([await handleOf(alice[1]!)]);
    });

    it('an admin user\'s session needs single_session.logout_all: not offered, refused on the server', async () => {
      const staff = await f.adminLogin('staff@example.com');
      const root = await f.siteLogin('root@example.com');
      const handle = await handleOf(root);
      expect((await panel(staff, id.root)).json.canEnd).to.equal(false);
      const preview = await end(staff, id.root, handle, 'GET');
      expect(preview.json.record.singleSession).to.deep.include({ outcome: 'forbidden', permission: 'single_session.logout_all', sessions: 0 });
      const before = await counts();
      const refused = await end(staff, id.root, handle);
      expect(refused.json.notice).to.deep.include({ type: 'error', message: NOTICES.forbidden, options: { permission: 'single_session.logout_all' } });
      expect(await counts()).to.deep.equal(before);
      expect(await loggedIn(root)).to.equal(true);

      const manager = await f.adminLogin('manager@example.com');
      expect((await panel(manager, id.root)).json.canEnd).to.equal(true);
      expect((await end(manager, id.root, handle)).json.notice.options).to.deep.equal({ sessions: 1, users: 1 });
      expect(await loggedIn(root)).to.equal(false);
    });

    it('refuses a session of another user, a malformed handle, and an admin without a single_session permission', async () => {
      const staff = await f.adminLogin('staff@example.com');
      const bob = await f.siteLogin('bob@example.com');
      const root = await f.siteLogin('root@example.com');
      await f.siteLogin('alice@example.com');
      const before = await counts();
      // alice's page naming bob's session, or root's (an admin: through a plain user's page it would slip past the rule).
      for (const other of [await handleOf(bob), await handleOf(root)]) {
        for (const method of ['GET', 'POST']) {
          const res = await end(staff, id.alice, other, method);
          expect(res.status).to.equal(200);
          expect(res.json.notice, method).to.deep.include({ type: 'error', message: NOTICES.sessionGone });
        }
      }
      for (const bad of ['abc', '-1', '1e3', '99999999999999999999']) {
        expect((await end(staff, id.alice, bad)).json.notice, bad).to.deep.include({ type: 'error', message: NOTICES.invalidIds });
      }
      const missing = await staff.request('POST', `/admin/api/resources/User/records/${id.alice}/${SESSIONS_PANEL.endAction}`);
      expect(missing.json.notice).to.deep.include({ type: 'error', message: NOTICES.invalidIds });
      const clerk = await f.adminLogin('clerk@example.com');
      expect((await end(clerk, id.bob, await handleOf(bob))).json.notice).to.deep.equal({ message: 'forbiddenError', type: 'error' });
      expect(await counts()).to.deep.equal([before[0]! + 1, before[1]! + 1]); // only the clerk's login
      expect(await loggedIn(bob)).to.equal(true);
      expect(await loggedIn(root)).to.equal(true);
    });
  });

  describe('"End" in "My sessions"', () => {
    const page = (b: Browser, session?: string, method = 'GET') =>
      b.request(method, `/admin/api/pages/mySessions${session === undefined ? '' : `?session=${encodeURIComponent(session)}`}`);

    it('previews then ends one of my other sessions, never the one in use', async () => {
      const here = await f.adminLogin('manager@example.com');
      const others = [await f.adminLogin('manager@example.com'), await f.siteLogin('manager@example.com')];
      const target = await handleOf(others[0]!);
      const listed = await page(here);
      expect(listed.json.sessions.filter((s: any) => s.current).map((s: any) => s.id)).to.deep.equal([await handleOf(here)]);

      const before = await counts();
      const preview = await page(here, target);
      expect(preview.json.preview).to.deep.include({ id: target });
      expect(preview.json.preview.singleSession).to.deep.include({ kind: 'session', outcome: 'logout', sessions: 1, isSelf: false });
      expect(preview.json.preview.title).to.match(/127\.0\.0\.1$/);
      expect(await counts()).to.deep.equal(before);

      const done = await page(here, target, 'POST');
      expect(done.json.notice).to.deep.equal({ message: NOTICES.sessionsDone, type: 'success', options: { sessions: 1, users: 1 } });
      expect(done.json.sessions.map((s: any) => s.id).sort()).to.deep.equal([await handleOf(here), await handleOf(others[1]!)].sort());
      expect(await counts()).to.deep.equal(before.map((n) => n - 1));
      expect((await others[0]!.get('/me')).json, 'their own doing, not an administrator\'s').to.deep.include({ reason: 'logout' });
      expect(await loggedIn(others[1]!)).to.equal(true);

      // The session in use: refused, GET or POST (sign out ends it).
      for (const method of ['GET', 'POST']) {
        const refused = await page(here, await handleOf(here), method);
        expect(refused.json.notice, method).to.deep.include({ type: 'error', message: NOTICES.currentSession });
        expect(refused.json).not.to.have.property('preview');
      }
      expect(await loggedIn(here)).to.equal(true);
      expect(await counts()).to.deep.equal(before.map((n) => n - 1));
    });

    it('refuses someone else\'s session and a malformed handle (self-service ends only my own)', async () => {
      const clerk = await f.adminLogin('clerk@example.com');
      const alice = await f.siteLogin('alice@example.com');
      const before = await counts();
      expect((await page(clerk, await handleOf(alice), 'POST')).json.notice).to.deep.include({ type: 'error', message: NOTICES.sessionGone });
      expect((await page(clerk, 'x', 'POST')).json.notice).to.deep.include({ type: 'error', message: NOTICES.invalidIds });
      expect(await counts()).to.deep.equal(before);
      expect(await loggedIn(alice)).to.equal(true);
    });
  });

  describe('the sessions dashboard\'s data', () => {
    const dashboard = (b: Browser) => b.get('/admin/api/dashboard');

    it('live sessions and users now (expired ones left out), sign-ins and endings per hour by reason, browsers and devices', async () => {
      const admin = await f.adminLogin('admin@example.com'); // Node's fetch: user agent "node", no browser or system
      const as = async (email: string, agent: string) => {
        const b = f.browser();
        await b.request('POST', '/login', { json: { email, password: 'password' }, headers: { 'user-agent': agent } });
        return b;
      };
      const alice = [await as('alice@example.com', CHROME), await as('alice@example.com', CHROME), await as('alice@example.com', FIREFOX)];
      await as('bob@example.com', IPHONE);
      const carol = await as('carol@example.com', CHROME);
      await as('staff@example.com', FIREFOX);
      // carol's only session expires: neither it nor carol count as live.
      await run(f.sequelize, `UPDATE "Sessions" SET expires = ${ago(f.sequelize, 60_000)} WHERE sid = $sid`, { bind: { sid: sidOf(carol.cookie('sid')) } });
      // Endings: staff's session revoked by the admin, alice's Firefox logs out (logoutAllSessions is off: just that one).
      await f.record(admin, A.logoutOne, id.staff);
      await alice[2]!.post('/logout');

      const res = await dashboard(admin);
      expect(res.status).to.equal(200);
      expect(res.json.allowed).to.equal(true);
      const s = res.json.statistics;
      const live = `FROM "UserSessions" us JOIN "Sessions" s ON s.sid = us.sid WHERE s.expires IS NULL OR s.expires > ${clock(f.sequelize)}`;
      // Counts: text on PostgreSQL (bigint), numbers on MariaDB.
      const [counted] = await rows<{ sessions: unknown; users: unknown }>(f.sequelize, `SELECT count(*) AS sessions, count(DISTINCT us."userId") AS users ${live}`);
      const exact = { sessions: Number(counted!.sessions), users: Number(counted!.users) };
      expect(exact).to.deep.equal({ sessions: 4, users: 3 }); // admin's; alice's two in Chrome; bob's iPhone
      expect({ sessions: s.activeSessions, users: s.signedInUsers }).to.deep.equal(exact);

      expect(s.hours).to.have.length(24);
      const now = s.hours[23];
      expect(new Date(now.start).getTime()).to.be.at.most(Date.now()).and.above(Date.now() - 3600_000 - 5000);
      expect(new Date(s.hours[0].start).getTime()).to.equal(new Date(now.start).getTime() - 23 * 3600_000);
      // Sign-ins: admin, alice ×3, bob, carol, staff.
      expect(now.signIns).to.equal(7);
      expect(now.ended).to.deep.equal({ revoked: 1, logout: 1 });
      expect(s.hours.slice(0, 23).every((h: any) => h.signIns === 0 && Object.keys(h.ended).length === 0)).to.equal(true);

      expect(s.shareBasis).to.deep.equal({ sessions: 4, sampled: false });
      expect(s.top.browser).to.deep.equal([{ value: 'Chrome 120', sessions: 2 }, { value: 'Mobile Safari 17', sessions: 1 }, { value: null, sessions: 1 }]);
      expect(s.top.os).to.deep.equal([{ value: 'Windows 10', sessions: 2 }, { value: 'iOS 17.1', sessions: 1 }, { value: null, sessions: 1 }]);
      expect(s.top.device).to.deep.equal([{ value: 'desktop', sessions: 3 }, { value: 'mobile Apple iPhone', sessions: 1 }]);
      for (const column of ['browser', 'os', 'device'] as const) {
        const grouped = await rows<{ value: string | null; sessions: unknown }>(f.sequelize, `SELECT us.${column} AS value, count(*) AS sessions ${live} GROUP BY us.${column}`);
        expect(new Set(s.top[column].map((r: any) => `${r.value}:${r.sessions}`)), column)
          .to.deep.equal(new Set(grouped.map((r) => `${r.value}:${Number(r.sessions)}`)));
      }
      expect(res.text).not.to.match(/"sid"|passwordHash|userAgent/);

      // The purge's endings count as `expired` in the hour they happen.
      await f.singleSession.purgeExpired();
      const after = (await dashboard(admin)).json.statistics;
      expect(after.hours[23].ended).to.deep.equal({ revoked: 1, logout: 1, expired: 1 });
      expect(after.activeSessions).to.equal(4);
    });

    it('needs a single_session permission (and a login)', async () => {
      await f.siteLogin('alice@example.com');
      const clerk = await f.adminLogin('clerk@example.com');
      const refused = await dashboard(clerk);
      expect(refused.status).to.equal(200);
      expect(refused.json).to.deep.equal({ allowed: false });
      const staff = await f.adminLogin('staff@example.com');
      expect((await dashboard(staff)).json.statistics.activeSessions).to.equal(3); // alice, clerk, staff
      const anonymous = await dashboard(f.browser());
      expect(anonymous.status).to.be.within(300, 499);
      expect(anonymous.text).not.to.include('activeSessions');
    });

    it('keeps the figures of the hours that are over: a reload aggregates only the recent audit rows', async () => {
      const engine = await createSingleSession({ sequelize: f.sequelize, audit: true, purgeIntervalMs: false });
      const audit = (hoursAgo: number, reason = 'revoked') => run(f.sequelize,
        `INSERT INTO "SessionAuditEvents" (at, reason, "actorId", "userIds", "sessionCount")
         VALUES (${ago(f.sequelize, hoursAgo * 3600_000)}, $reason, NULL, $userIds, 2)`, { bind: { reason, userIds: '["1"]' } });
      const threeHoursAgo = (s: Awaited<ReturnType<typeof engine.sessionStatistics>>) => s.hours![20]!.ended.revoked ?? 0;
      await audit(3);
      let first: Awaited<ReturnType<typeof engine.sessionStatistics>> | undefined;
      const firstSql = await statementsDuring(async () => { first = await engine.sessionStatistics(); });
      expect(threeHoursAgo(first!)).to.equal(2);
      expect(firstSql.filter((s) => new RegExp(quoted('SessionAuditEvents')).test(s))).to.have.length(1);

      // A row written now into an hour that is over (only by hand: the engine writes rows at the time they happen).
      await audit(3);
      await audit(0, 'logout');
      let second: Awaited<ReturnType<typeof engine.sessionStatistics>> | undefined;
      const secondSql = await statementsDuring(async () => { second = await engine.sessionStatistics(); });
      expect(threeHoursAgo(second!), 'the hour that is over, as kept').to.equal(2);
      expect(second!.hours![23]!.ended.logout, 'the current hour, fresh').to.equal(2);
      // Asked from the first hour not kept (bound as a parameter), not from the window's start.
      expect(secondSql.filter((s) => new RegExp(quoted('SessionAuditEvents')).test(s))).to.have.length(1);

      const other = await createSingleSession({ sequelize: f.sequelize, audit: true, purgeIntervalMs: false });
      expect(threeHoursAgo(await other.sessionStatistics()), 'another process reads the database').to.equal(4);
      expect((await engine.sessionStatistics({ hours: 6 })).hours![2]!.ended.revoked, 'another window starts over').to.equal(4);
      engine.close();
      other.close();
    });

    it('mounts as AdminJS\'s dashboard or as a page; a wrong call fails at start-up with the fix', async () => {
      const { singleSession } = f;
      const componentLoader = new ComponentLoader();
      expect(() => sessionsDashboard({ singleSession } as never)).to.throw(SingleSessionConfigError, /sessionsDashboard: `componentLoader` is required/);
      expect(() => sessionsDashboard({ singleSession, componentLoader, colour: 'red' } as never))
        .to.throw(SingleSessionConfigError, /sessionsDashboard: unknown option `colour`/);
      expect(() => sessionsDashboard({ singleSession, componentLoader, can: true } as never)).to.throw(SingleSessionConfigError, /`can` must be a function/);

      const dashboard = sessionsDashboard({ singleSession, componentLoader });
      const admin = new AdminJS({ componentLoader, dashboard, pages: { sessionsDashboard: dashboard } });
      expect(() => guardAdminRequests({ admin, singleSession })).not.to.throw();
      await f.siteLogin('alice@example.com');
      const data = await dashboard.handler({} as never, {} as never, { currentAdmin: { email: 'x', permissions: ['single_session.logout'] } } as never);
      expect(data.allowed && data.statistics.activeSessions).to.equal(1);
      expect(await dashboard.handler({} as never, {} as never, { currentAdmin: { email: 'x', permissions: [] } } as never)).to.deep.equal({ allowed: false });

      const elsewhere = new AdminJS({ componentLoader: new ComponentLoader(), dashboard: sessionsDashboard({ singleSession, componentLoader }) });
      expect(() => guardAdminRequests({ admin: elsewhere, singleSession }))
        .to.throw(SingleSessionConfigError, /lacks SingleSessionDashboard.*sessionsDashboard\(\{ singleSession, componentLoader \}\)/);
    });

    it('without the audit trail: live figures only; bad options are refused', async () => {
      const bare = await createSingleSession({ sequelize: f.sequelize, purgeIntervalMs: false });
      await f.siteLogin('alice@example.com');
      const s = await bare.sessionStatistics({ hours: 6, top: 1 });
      expect(s.hours).to.equal(null);
      expect(s.activeSessions).to.equal(1);
      expect(s.top.browser).to.have.length(1);
      for (const bad of [{ hours: 0 }, { hours: 169 }, { hours: 1.5 }, { top: 0 }, { top: '3' as never }]) {
        let error: unknown;
        await bare.sessionStatistics(bad).catch((err: unknown) => { error = err; });
        expect(error, JSON.stringify(bad)).to.be.instanceOf(InvalidInputError);
      }
      let error: unknown;
      await bare.countLiveSessions(['abc']).catch((err: unknown) => { error = err; });
      expect(error).to.be.instanceOf(InvalidInputError);
      bare.close();
    });
  });
});
