/**
 * The other session pages over HTTP against the demo's AdminJS: the user's sessions panel, "My sessions"
 * (self-service), the read-only audit resource; then the factories' start-up errors, a missing view, and the
 * components going through AdminJS's own bundler.
 */
import { expect } from 'chai';
import { createRequire } from 'node:module';
import { ComponentLoader } from 'adminjs';
import { createSingleSession, SingleSessionConfigError } from '../../src/index.js';
import AdminJS from 'adminjs';
import { auditResource, guardAdminRequests, mySessionsPage, sessionsResource, singleSessionFeature, userSessionsFeature } from '../../src/adminjs.js';
import { NOTICES } from '../../src/adminjs/errors.js';
import { SESSIONS_PANEL as USER_SESSIONS } from '../../src/adminjs/sessions/user-sessions.js';
import { createAdminFixture, type AdminFixture } from '../support/admin.js';
import { hashPassword } from '../support/fixture.js';
import { type Browser, sidOf } from '../support/http.js';
import { bundleComponents, sessionsApi } from '../support/sessions.js';
import { count, rows as select, run } from '../support/sql.js';

const handleOf = (f: AdminFixture, b: Browser) => f.handleOf(b);

describe('AdminJS session pages (over HTTP)', function () {
  this.timeout(180_000);
  let f: AdminFixture;

  before(async () => {
    f = await createAdminFixture({ singleUserSession: false, logoutAllSessions: false, audit: true });
    await f.User.create({ email: 'clerk@example.com', isAdmin: false, permissions: ['other.permission'], passwordHash: hashPassword('password') });
  });
  beforeEach(async () => {
    await run(f.sequelize, 'DELETE FROM "Sessions"');
  });
  after(async () => f?.close());

  describe("the user's sessions panel", () => {
    const panel = (b: Browser, userId: number, method = 'GET') =>
      b.request(method, `/admin/api/resources/User/records/${userId}/${USER_SESSIONS.action}`);

    it('is a property of the show page only', () => {
      const user = f.admin.findResource('User').decorate();
      expect(user.getProperties({ where: 'show' }).map((p) => p.name())).to.include(USER_SESSIONS.property);
      expect(user.getProperties({ where: 'list' }).map((p) => p.name())).not.to.include(USER_SESSIONS.property);
      expect(user.getProperties({ where: 'edit' }).map((p) => p.name())).not.to.include(USER_SESSIONS.property);
    });

    it("returns that user's live sessions (no sid), and marks the admin's own", async () => {
      const staff = await f.adminLogin('staff@example.com');
      const alice = [await f.siteLogin('alice@example.com'), await f.siteLogin('alice@example.com')];
      await f.siteLogin('bob@example.com');
      const aliceId = await f.userId('alice@example.com');

      const res = await panel(staff, aliceId);
      expect(res.status).to.equal(200);
      expect(res.json.record).to.deep.include({ id: String(aliceId), title: 'alice@example.com', params: {} });
      const sessions: any[] = res.json.sessions;
      expect(sessions.map((s) => s.id).sort()).to.deep.equal([await handleOf(f, alice[0]!), await handleOf(f, alice[1]!)].sort());
      expect(sessions.every((s) => s.userId === String(aliceId) && s.current === false && s.ip === '127.0.0.1')).to.equal(true);
      for (const b of alice) expect(res.text).not.to.include(sidOf(b.cookie('sid')));
      expect(res.text).not.to.match(/"sid"|passwordHash/);

      // Its own record: "this device" is the session making the request.
      const mine = await panel(staff, await f.userId('staff@example.com'));
      expect(mine.json.sessions.map((s: any) => [s.id, s.current])).to.deep.equal([[await handleOf(f, staff), true]]);
    });

    it('is read-only (a POST changes nothing) and refused to admins without a single_session permission', async () => {
      const alice = await f.siteLogin('alice@example.com');
      const aliceId = await f.userId('alice@example.com');
      const admin = await f.adminLogin('admin@example.com');
      const before = await f.count('Sessions');
      expect((await panel(admin, aliceId, 'POST')).json.sessions).to.have.length(1);
      expect(await f.count('Sessions')).to.equal(before);
      expect((await alice.get('/me')).status).to.equal(200);

      const clerk = await f.adminLogin('clerk@example.com');
      const refused = await panel(clerk, aliceId);
      expect(refused.json.notice).to.deep.equal({ message: 'forbiddenError', type: 'error' });
      expect(refused.json).not.to.have.property('sessions');
    });
  });

  describe('"My sessions" (self-service)', () => {
    const page = (b: Browser, method = 'GET') => b.request(method, '/admin/api/pages/mySessions');

    it('lists my sessions, GET changes nothing, POST ends the others and keeps this one', async () => {
      const here = await f.adminLogin('manager@example.com');
      const elsewhere = [await f.adminLogin('manager@example.com'), await f.siteLogin('manager@example.com')];
      const alice = await f.siteLogin('alice@example.com');

      const listed = await page(here);
      expect(listed.status).to.equal(200);
      expect(listed.json.linked).to.equal(true);
      expect(listed.json.sessions).to.have.length(3);
      expect(listed.json.sessions.filter((s: any) => s.current).map((s: any) => s.id)).to.deep.equal([await handleOf(f, here)]);
      expect(listed.text).not.to.include(sidOf(here.cookie('sid')));
      expect(await f.count('Sessions'), 'GET changed nothing').to.equal(4);

      const done = await page(here, 'POST');
      expect(done.json.notice).to.deep.equal({ message: NOTICES.othersEnded, type: 'success', options: { sessions: 2 } });
      expect(done.json.sessions.map((s: any) => [s.id, s.current])).to.deep.equal([[await handleOf(f, here), true]]);
      expect((await here.get('/me')).status, 'this session is kept').to.equal(200);
      for (const b of elsewhere) expect((await b.get('/me')).json).to.deep.include({ reason: 'logout' });
      expect((await alice.get('/me')).status, "another user's session is untouched").to.equal(200);
      expect(await f.count('Sessions')).to.equal(2);

      const again = await page(here, 'POST');
      expect(again.json.notice).to.deep.equal({ message: NOTICES.noOtherSessions, type: 'info', options: {} });
      expect((await here.get('/me')).status).to.equal(200);
    });

    it('is open to any logged-in admin (self-service needs no permission)', async () => {
      const clerk = await f.adminLogin('clerk@example.com');
      const other = await f.adminLogin('clerk@example.com');
      const done = await page(clerk, 'POST');
      expect(done.json.notice.options).to.deep.equal({ sessions: 1 });
      expect((await other.get('/me')).json).to.deep.include({ reason: 'logout' });
    });

    it('needs a login', async () => {
      const res = await page(f.browser());
      expect(res.status).to.be.within(300, 499);
      expect(res.text).not.to.include('"sessions"');
    });
  });

  describe('the audit resource', () => {
    const api = '/admin/api/resources/SessionAuditEvents';
    const rows = () => count(f.sequelize, 'SELECT count(*) AS n FROM "SessionAuditEvents"');

    it('lists what ended and every sign-in, newest first', async () => {
      await run(f.sequelize, 'DELETE FROM "SessionAuditEvents"');
      const admin = await f.adminLogin('admin@example.com');
      await f.siteLogin('alice@example.com');
      await f.siteLogin('bob@example.com');
      const { bulk, handlesOf } = sessionsApi(f);
      await bulk(admin, 'endSessions', await handlesOf('alice@example.com'));
      await bulk(admin, 'endSessions', await handlesOf('bob@example.com'));
      const res = await admin.get(`${api}/actions/list`);
      expect(res.json.meta).to.include({ sortBy: 'at', direction: 'desc' });
      const [bob, alice, root] = [await f.userId('bob@example.com'), await f.userId('alice@example.com'), await f.userId('admin@example.com')].map(String);
      expect(res.json.records.map((r: any) => [r.params.reason, r.params['userIds.0'], r.params.actorId, r.params.sessionCount])).to.deep.equal([
        ['revoked', bob, root, 1], ['revoked', alice, root, 1],
        // With `audit: true` every sign-in has its row too (the dashboard counts them per hour).
        ['login', bob, bob, 1], ['login', alice, alice, 1], ['login', root, root, 1],
      ]);
    });

    it('refuses new, edit and delete', async () => {
      const admin = await f.adminLogin('admin@example.com');
      await f.singleSession.endUserSessions([await f.userId('alice@example.com')]);
      await f.siteLogin('alice@example.com');
      await f.singleSession.endUserSessions([await f.userId('alice@example.com')]);
      const [row] = await select<{ id: unknown; reason: string }>(f.sequelize, 'SELECT id, reason FROM "SessionAuditEvents" ORDER BY id DESC LIMIT 1');
      const before = await rows();
      for (const path of ['/actions/new', `/records/${row!.id}/edit`, `/records/${row!.id}/delete`, `/bulk/bulkDelete?recordIds=${row!.id}`]) {
        const res = await admin.request('POST', api + path, { form: { reason: 'forged', sessionCount: '99' } });
        expect(res.status, path).to.be.below(500);
        expect(res.json.notice, path).to.deep.equal({ message: 'forbiddenError', type: 'error' });
      }
      expect(await rows()).to.equal(before);
      const [after] = await select<{ reason: string }>(f.sequelize, `SELECT reason FROM "SessionAuditEvents" WHERE id = ${Number(row!.id)}`);
      expect(after!.reason).to.equal(row!.reason);
    });
  });

  describe('start-up errors', () => {
    const componentLoader = new ComponentLoader();

    it('say what to fix', async () => {
      const singleSession = f.singleSession;
      const cases: Array<[() => unknown, RegExp]> = [
        [() => sessionsResource(undefined as never), /sessionsResource\(options\): options must be an object/],
        [() => sessionsResource({ singleSession, componentLoader, colour: 'red' } as never), /sessionsResource: unknown option `colour`/],
        [() => sessionsResource({ componentLoader } as never), /`singleSession` is required/],
        [() => sessionsResource({ singleSession: {} as never, componentLoader }), /must be the object returned by createSingleSession/],
        [() => sessionsResource({ singleSession, componentLoader, can: 'yes' as never }), /`can` must be a function/],
        [() => sessionsResource({ singleSession, componentLoader, userResourceId: '' }), /`userResourceId` must be a non-empty string/],
        [() => sessionsResource({ singleSession, componentLoader, maxIds: 0 }), /`maxIds` must be a positive integer/],
        [() => userSessionsFeature({ singleSession, componentLoader: {} } as never), /userSessionsFeature: `componentLoader` must be an AdminJS ComponentLoader/],
        [() => mySessionsPage({ singleSession } as never), /mySessionsPage: `componentLoader` is required/],
        [() => mySessionsPage({ singleSession, componentLoader, can: () => true } as never), /mySessionsPage: unknown option `can`/],
      ];
      for (const [build, message] of cases) expect(build).to.throw(SingleSessionConfigError, message);
    });

    it('the Sessions resource needs no user model (users are read through the user resource); audit needs audit: true', async () => {
      const bare = await createSingleSession({ sequelize: f.sequelize, purgeIntervalMs: false });
      expect(() => sessionsResource({ singleSession: bare })).not.to.throw();
      expect(() => auditResource({ singleSession: bare }))
        .to.throw(SingleSessionConfigError, /without `audit: true`.*createSingleSession\(\{ sequelize, audit: true/);
    });

    it('the guard finds a Sessions resource whose user resource does not exist', () => {
      const admin = new AdminJS({ resources: [sessionsResource({ singleSession: f.singleSession, userResourceId: 'Members' })] });
      expect(() => guardAdminRequests({ admin, singleSession: f.singleSession }))
        .to.throw(SingleSessionConfigError, /no AdminJS resource with the id "Members".*sessionsResource\(\{ singleSession, userResourceId \}\)/);
    });

    it('the guard finds a page built with another ComponentLoader than the AdminJS instance\'s', () => {
      const admin = new AdminJS({
        resources: [{ resource: f.User, options: { id: 'User' }, features: [singleSessionFeature({ singleSession: f.singleSession })] }],
        pages: { mySessions: mySessionsPage({ singleSession: f.singleSession, componentLoader: new ComponentLoader() }) },
      });
      expect(() => guardAdminRequests({ admin, singleSession: f.singleSession }))
        .to.throw(SingleSessionConfigError, /componentLoader lacks SingleSessionMySessions.*mySessionsPage\(\{ singleSession, componentLoader \}\)/);
    });
  });

  describe('the components', () => {
    it('are bundled by AdminJS\'s own bundler without errors or warnings', async function () {
      this.timeout(300_000);
      const { bundle, warnings } = await bundleComponents(f.admin);
      expect(warnings).to.deep.equal([]);
      for (const name of ['SingleSessionUserSessions', 'SingleSessionMySessions', 'SingleSessionLogoutConfirmation', 'SingleSessionTime', 'SingleSessionDashboard']) {
        expect(bundle).to.include(`AdminJS.UserComponents.${name} = `);
      }
      expect(bundle).to.include('single-session-logout-others'); // the components' own code, not stubs
      expect(bundle).to.include('single-session-sessions');
      expect(bundle).to.include('single-session-end-dialog'); // the shared confirmation, imported by two pages
      expect(bundle).to.include('single-session-chart');
      expect(bundle).not.to.match(/from ['"](react|react-router|adminjs|@adminjs\/design-system)['"]/); // globals, not imports
    });
  });

  describe('a missing view', () => {
    it('stops the start with the migration to run, and starts once it ran', async () => {
      // A fresh app on a fresh schema (this resets the test database: it runs last).
      const g = await createAdminFixture({ singleUserSession: false });
      const migration = createRequire(import.meta.url)('../../migrations/20261126000001-active-sessions-view.cjs');
      const queryInterface = g.sequelize.getQueryInterface();
      try {
        await migration.down(queryInterface);
        let error: unknown;
        await createSingleSession({ sequelize: g.sequelize, purgeIntervalMs: false }).catch((err: unknown) => { error = err; });
        expect(error).to.be.instanceOf(SingleSessionConfigError);
        expect(String(error)).to.match(/the view "ActiveSessions" .* does not exist\. Run the pending migrations: `await migrate\(\{ sequelize \}\)`/);

        await migration.up(queryInterface);
        await migration.up(queryInterface); // idempotent
        const engine = await createSingleSession({ sequelize: g.sequelize, purgeIntervalMs: false });
        engine.close();
        const admin = await g.adminLogin('admin@example.com');
        const listed = await admin.get('/admin/api/resources/ActiveSessions/actions/list');
        expect(listed.status).to.equal(200);
        expect(listed.json.records.map((r: any) => r.populated.userId.title)).to.deep.equal(['admin@example.com']);
      } finally {
        await g.close();
      }
    });
  });
});
