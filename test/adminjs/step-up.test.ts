/**
 * Step-up (issue 11, part 3; ASVS V3.7.1): with `freshAgeMs`, every action that ends other people's sessions — the
 * User feature's two bulk actions and its record action, the Sessions resource's two end actions — refuses, changing
 * nothing, when the acting admin's sign-in is older than that; the answer sends the browser to the login page, which
 * says "sign in again to continue"; after the login AdminJS returns to the action's page and the same action works.
 * Reading the panel is unaffected; ending one's own other sessions in "My sessions" asks too (issue 22), and so do
 * AdminJS's stock actions that change users, through stepUpFeature, on GET and POST. The sign-in is aged by moving its recorded time
 * (`UserSessions.createdAt`, which the store reads on every request), so nothing waits.
 */
import AdminJSExpress from '@adminjs/express';
import AdminJS from 'adminjs';
import bcrypt from 'bcryptjs';
import { expect } from 'chai';
import express from 'express';
import { createSingleSession, SingleSessionConfigError } from '../../src/index.js';
import { singleSessionFeature, stepUpFeature, withSingleSession } from '../../src/adminjs.js';
import '../../example/admin.js'; // registers the Sequelize adapter
import { createAdminFixture, type AdminFixture } from '../support/admin.js';
import { connect, testDatabase } from '../support/database.js';
import { createFixture, SECRET, type Fixture } from '../support/fixture.js';
import { type Browser, sidOf } from '../support/http.js';
import { ago, rows as select, run } from '../support/sql.js';

const FRESH = 60_000;

/** Sessions and links, as one text: what a refused request must not change. */
async function rows(f: Fixture): Promise<string> {
  const links = await select<{ sid: string; userId: unknown }>(f.sequelize,
    'SELECT s.sid, us."userId" FROM "Sessions" s LEFT JOIN "UserSessions" us ON us.sid = s.sid ORDER BY s.sid');
  return links.map((l) => `${l.sid}:${l.userId ?? '-'}`).join(',');
}

/** The message key AdminJS's login page was rendered with (its texts list every key, so search the state). */
const loginMessage = (html: string) => /"errorMessage":"(\w+)"/.exec(html)?.[1] ?? null;

/** Moves the browser's recorded sign-in `ms` into the past. */
async function age(f: Fixture, browser: Browser, ms: number): Promise<void> {
  await run(f.sequelize, `UPDATE "UserSessions" SET "createdAt" = ${ago(f.sequelize, ms)} WHERE sid = $sid`, { bind: { sid: sidOf(browser.cookie('sid')) } });
}

describe('step-up: freshAgeMs (issue 11)', function () {
  this.timeout(120_000);

  describe('the option', () => {
    let sequelize: ReturnType<typeof connect>;
    before(async () => { sequelize = connect((await testDatabase()).url, 2); });
    after(async () => sequelize?.close());

    for (const [value, message] of [
      ['5 minutes', /option `freshAgeMs` must be a positive number of milliseconds or false; got "5 minutes"/],
      [0, /option `freshAgeMs` must be a positive number of milliseconds or false; got number 0/],
      [true, /option `freshAgeMs` must be a positive number of milliseconds or false; got boolean true/],
      [12 * 3600_000, /`freshAgeMs` \(43200000 ms\) must be shorter than `absoluteTimeoutMs` \(43200000 ms\)/],
    ] as const) {
      it(`${JSON.stringify(value)} stops the start with what is allowed`, async () => {
        const err = await createSingleSession({ sequelize, freshAgeMs: value as never }).then(() => null, (e: Error) => e);
        expect(err).to.be.instanceOf(SingleSessionConfigError);
        expect(err!.message).to.match(message);
      });
    }
  });

  describe('the five actions that end other people\'s sessions', () => {
    let f: AdminFixture;
    before(async () => { f = await createAdminFixture({ singleUserSession: false, freshAgeMs: FRESH }); });
    after(async () => f?.close());
    beforeEach(async () => { await run(f.sequelize, 'DELETE FROM "Sessions"'); });

    const users = () => Promise.all(['alice@example.com', 'bob@example.com'].map((e) => f.userId(e)));
    const handleOf = (b: Browser) => f.handleOf(b);

    /** Each action: its API path for the victims, and the page AdminJS returns to after the login. */
    const CASES: Array<[string, (victims: { alice: number; bob: number; aliceHandle: string; bobHandle: string }) => { api: string; page: string }]> = [
      ['User bulk logoutUserOnAllSessions', (v) => ({
        api: `/admin/api/resources/User/bulk/logoutUserOnAllSessions?recordIds=${v.alice},${v.bob}`,
        page: `/admin/resources/User/bulk/logoutUserOnAllSessions?recordIds=${v.alice}%2C${v.bob}`,
      })],
      ['User bulk logoutAllUsersOnAllSessions', (v) => ({
        api: `/admin/api/resources/User/bulk/logoutAllUsersOnAllSessions?recordIds=${v.alice},${v.bob}`,
        page: `/admin/resources/User/bulk/logoutAllUsersOnAllSessions?recordIds=${v.alice}%2C${v.bob}`,
      })],
      ['User record logoutOnAllSessions', (v) => ({
        api: `/admin/api/resources/User/records/${v.alice}/logoutOnAllSessions`,
        page: `/admin/resources/User/records/${v.alice}/logoutOnAllSessions`,
      })],
      ['Sessions record endSession', (v) => ({
        api: `/admin/api/resources/ActiveSessions/records/${v.aliceHandle}/endSession`,
        page: `/admin/resources/ActiveSessions/records/${v.aliceHandle}/endSession`,
      })],
      ['Sessions bulk endSessions', (v) => ({
        api: `/admin/api/resources/ActiveSessions/bulk/endSessions?recordIds=${v.aliceHandle},${v.bobHandle}`,
        page: `/admin/resources/ActiveSessions/bulk/endSessions?recordIds=${v.aliceHandle}%2C${v.bobHandle}`,
      })],
    ];

    for (const [name, paths] of CASES) {
      it(`${name}: a fresh sign-in ends the sessions; an old one is refused, changes nothing, and signing in again lets it through`, async () => {
        const [aliceId, bobId] = await users();
        const [alice, bob] = [await f.siteLogin('alice@example.com'), await f.siteLogin('bob@example.com')];
        const manager = await f.adminLogin('manager@example.com');
        const { api, page } = paths({ alice: aliceId!, bob: bobId!, aliceHandle: await handleOf(alice), bobHandle: await handleOf(bob) });

        await age(f, manager, FRESH + 5_000);
        const before = await rows(f);
        const refused = await manager.request('POST', api);
        expect(refused.status, refused.text).to.equal(200);
        expect(refused.json.notice).to.deep.include({ type: 'error', message: 'singleSessionSignInAgain' });
        expect(refused.json.stepUp).to.deep.equal({ loginPath: '/admin/login' });
        expect(await rows(f), 'nothing changed').to.equal(before);
        expect((await alice.get('/me')).status, 'the victim is still signed in').to.equal(200);

        // Reading is unaffected: the preview, the lists, the record pages.
        const preview = await manager.get(api);
        expect(preview.json.notice, preview.text.slice(0, 300)).to.equal(undefined);
        expect((await manager.get('/admin/api/resources/User/actions/list')).json.records).to.have.length(5);
        expect((await manager.get('/admin/api/resources/ActiveSessions/actions/list')).json.records).to.have.length(3);

        // The login page says why; the login returns to the action's page; the action now works.
        const login = await manager.get('/admin/login');
        expect(loginMessage(login.text)).to.equal('singleSessionSignInAgain');
        const back = await manager.request('POST', '/admin/login', { form: { email: 'manager@example.com', password: 'password' } });
        expect([back.status, back.headers.get('location')]).to.deep.equal([302, page]);
        const done = await manager.request('POST', api);
        expect(done.json.notice?.type, done.text.slice(0, 300)).to.equal('success');
        expect(done.json.stepUp).to.equal(undefined);
        expect((await alice.get('/me')).json).to.deep.include({ reason: 'revoked' });
        // The note is spent: the next visit of the login page says nothing special, the next login goes to the dashboard.
        expect(loginMessage((await manager.get('/admin/login')).text)).to.equal(null);
        const again = await manager.request('POST', '/admin/login', { form: { email: 'manager@example.com', password: 'password' } });
        expect(again.headers.get('location')).to.equal('/admin');
      });
    }

    it('a forbidden selection is refused as forbidden, not with a sign-in request (signing in again would not help)', async () => {
      const adminSite = await f.siteLogin('admin@example.com');
      const staff = await f.adminLogin('staff@example.com');
      await age(f, staff, FRESH + 5_000);
      const res = await staff.request('POST', `/admin/api/resources/ActiveSessions/bulk/endSessions?recordIds=${await handleOf(adminSite)}`);
      expect(res.json.notice).to.deep.include({ message: 'singleSessionForbidden' });
      expect(res.json.stepUp).to.equal(undefined);
    });

    it('"My sessions": viewing needs no fresh sign-in; ending one\'s other sessions (all, or one) does, and the login returns to the page (ASVS 7.5.2)', async () => {
      const other = await f.adminLogin('manager@example.com');
      const manager = await f.adminLogin('manager@example.com');
      await age(f, manager, FRESH + 5_000);
      const before = await rows(f);
      expect((await manager.get('/admin/api/pages/mySessions')).json.sessions).to.have.length(2);
      const refused = await manager.request('POST', '/admin/api/pages/mySessions');
      expect(refused.json.notice).to.deep.include({ type: 'error', message: 'singleSessionSignInAgain' });
      expect(refused.json.stepUp).to.deep.equal({ loginPath: '/admin/login' });
      const one = await manager.request('POST', `/admin/api/pages/mySessions?session=${await handleOf(other)}`);
      expect(one.json.notice).to.deep.include({ type: 'error', message: 'singleSessionSignInAgain' });
      expect(await rows(f), 'nothing ended').to.equal(before);
      expect((await other.get('/me')).status).to.equal(200);

      expect(loginMessage((await manager.get('/admin/login')).text)).to.equal('singleSessionSignInAgain');
      const back = await manager.request('POST', '/admin/login', { form: { email: 'manager@example.com', password: 'password' } });
      expect([back.status, back.headers.get('location')]).to.deep.equal([302, '/admin/pages/mySessions']);
      const done = await manager.request('POST', '/admin/api/pages/mySessions');
      expect(done.json.notice).to.deep.include({ type: 'success', message: 'singleSessionOthersEnded' });
      expect((await other.get('/me')).status).to.equal(401);
    });

    it('re-authentication (a fresh sign-in while signed in) gives the session a new id and ends the old one (ASVS 7.2.4)', async () => {
      const manager = await f.adminLogin('manager@example.com');
      const oldSid = sidOf(manager.cookie('sid'));
      const oldCookie = manager.cookie('sid');
      await age(f, manager, FRESH + 5_000);
      const again = await manager.request('POST', '/admin/login', { form: { email: 'manager@example.com', password: 'password' } });
      expect(again.status).to.equal(302);
      const newSid = sidOf(manager.cookie('sid'));
      expect(newSid).not.to.equal(oldSid);
      const [n] = await select<{ n: unknown }>(f.sequelize, 'SELECT COUNT(*) AS n FROM "Sessions" WHERE sid = $sid', { bind: { sid: oldSid } });
      expect(Number(n!.n), 'the old session row is gone').to.equal(0);
      const stale = f.browser();
      stale.setCookie('sid', oldCookie!);
      expect((await stale.get('/me')).status, 'the old cookie is signed out').to.equal(401);
      expect((await manager.get('/me')).status).to.equal(200);
    });
  });

  describe('stepUpFeature: AdminJS\'s stock actions that change users (the demo\'s User resource)', () => {
    let f: AdminFixture;
    before(async () => { f = await createAdminFixture({ singleUserSession: false, freshAgeMs: FRESH }); });
    after(async () => f?.close());
    beforeEach(async () => { await run(f.sequelize, 'DELETE FROM "Sessions"'); });

    /** Users and their password hashes: what a refused stock action must not change. */
    const users = async () => JSON.stringify(await select(f.sequelize, 'SELECT id, email, "isAdmin", permissions, "passwordHash" FROM "Users" ORDER BY id'));

    it('a stale admin is refused on GET and POST of new, edit (a hidden passwordHash too), delete and bulkDelete; signing in again lets edit through', async () => {
      const alice = await f.siteLogin('alice@example.com');
      const admin = await f.adminLogin('admin@example.com');
      const aliceId = await f.userId('alice@example.com');
      await age(f, admin, FRESH + 5_000);
      const before = [await users(), await rows(f)];
      const CALLS: Array<[string, 'GET' | 'POST', string, Record<string, string>?]> = [
        ['edit', 'GET', `/admin/api/resources/User/records/${aliceId}/edit`],
        ['edit', 'POST', `/admin/api/resources/User/records/${aliceId}/edit`, { passwordHash: 'x' }],
        ['edit', 'POST', `/admin/api/resources/User/records/${aliceId}/edit`, { isAdmin: 'true' }],
        ['delete', 'GET', `/admin/api/resources/User/records/${aliceId}/delete`],
        ['delete', 'POST', `/admin/api/resources/User/records/${aliceId}/delete`],
        ['bulkDelete', 'GET', `/admin/api/resources/User/bulk/bulkDelete?recordIds=${aliceId}`],
        ['bulkDelete', 'POST', `/admin/api/resources/User/bulk/bulkDelete?recordIds=${aliceId}`],
        ['new', 'POST', '/admin/api/resources/User/actions/new', { email: 'mallory@example.com', passwordHash: 'x', isAdmin: 'true' }],
      ];
      for (const [name, method, path, form] of CALLS) {
        const res = await admin.request(method, path, form ? { form } : {});
        expect(res.json.notice, `${method} ${name}: ${res.text.slice(0, 200)}`).to.deep.include({ type: 'error', message: 'singleSessionSignInAgain' });
        expect(res.json.stepUp).to.deep.equal({ loginPath: '/admin/login' });
        expect(JSON.stringify(res.json), 'no value of the record goes back').not.to.match(/passwordHash|\$2[aby]\$/);
        expect([await users(), await rows(f)], `${method} ${name} changed nothing`).to.deep.equal(before);
      }
      expect((await alice.get('/me')).status).to.equal(200);
      // Reading is unaffected.
      expect(String((await admin.get(`/admin/api/resources/User/records/${aliceId}/show`)).json.record.id)).to.equal(String(aliceId));

      const back = await admin.request('POST', '/admin/login', { form: { email: 'admin@example.com', password: 'password' } });
      expect([back.status, back.headers.get('location')]).to.deep.equal([302, '/admin/resources/User/actions/new']);
      const done = await admin.request('POST', `/admin/api/resources/User/records/${aliceId}/edit`, { form: { isAdmin: 'false' } });
      expect(done.json.notice).to.deep.include({ type: 'success', message: 'successfullyUpdated' });
    });

    it('wrong options stop the start with what is expected', () => {
      expect(() => stepUpFeature({ singleSession: f.singleSession, actions: [] })).to.throw(SingleSessionConfigError, /`actions` must be a non-empty list of action names/);
      const feature = stepUpFeature({ singleSession: f.singleSession, actions: ['nonesuch'] });
      expect(() => feature({} as never, {})).to.throw(SingleSessionConfigError, /no action `nonesuch` with a handler/);
      expect(() => stepUpFeature({ singleSession: f.singleSession, actions: ['edit'], freshAgeMs: -1 })).to.throw(/`freshAgeMs` must be a positive integer/);
    });
  });

  describe('off by default', () => {
    let f: AdminFixture;
    before(async () => { f = await createAdminFixture({ singleUserSession: false }); });
    after(async () => f?.close());

    it('an admin who signed in two hours ago ends sessions without signing in again', async () => {
      expect(f.singleSession.freshAgeMs).to.equal(false);
      const alice = await f.siteLogin('alice@example.com');
      const admin = await f.adminLogin('admin@example.com');
      await age(f, admin, 2 * 3600_000);
      const res = await f.bulk(admin, 'logoutUserOnAllSessions', [await f.userId('alice@example.com')]);
      expect(res.json.notice?.type, res.text.slice(0, 300)).to.equal('success');
      expect((await alice.get('/me')).status).to.equal(401);
    });
  });

  describe('with `authenticate` wrapped by withSingleSession', () => {
    let f: Fixture;
    before(async () => {
      const holder = express.Router();
      f = await createFixture({ singleUserSession: false, freshAgeMs: FRESH }, { routes: (app) => app.use('/admin', holder) });
      const { singleSession, User } = f;
      const admin = new AdminJS({
        rootPath: '/admin',
        resources: [{ resource: User, options: { id: 'User' }, features: [singleSessionFeature({ singleSession })] }],
      });
      const authenticate = withSingleSession(singleSession, async (email, password) => {
        const user = await User.findOne({ where: { email } });
        if (!user || !(await bcrypt.compare(password, user.get('passwordHash') as string))) return null;
        return { id: String(user.get('id')), email, isAdmin: user.get('isAdmin') as boolean };
      });
      holder.use(AdminJSExpress.buildAuthenticatedRouter(admin, { authenticate, cookieName: 'sid', cookiePassword: SECRET },
        null, singleSession.sessionOptions({ secret: SECRET, name: 'sid' })));
    });
    after(async () => f?.close());

    it('the login after a refusal returns to the action, which then works', async () => {
      const alice = f.browser();
      await alice.login('alice@example.com');
      const admin = f.browser();
      const login = () => admin.request('POST', '/admin/login', { form: { email: 'admin@example.com', password: 'password' } });
      expect((await login()).headers.get('location')).to.equal('/admin');
      await age(f, admin, FRESH + 5_000);
      const aliceId = await f.userId('alice@example.com');
      const api = `/admin/api/resources/User/records/${aliceId}/logoutOnAllSessions`;
      expect((await admin.request('POST', api)).json.stepUp).to.deep.equal({ loginPath: '/admin/login' });
      expect((await login()).headers.get('location')).to.equal(`/admin/resources/User/records/${aliceId}/logoutOnAllSessions`);
      expect((await admin.request('POST', api)).json.notice?.type).to.equal('success');
      expect((await alice.get('/me')).status).to.equal(401);
    });
  });
});
