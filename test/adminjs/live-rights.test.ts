/**
 * Live rights (issue 22, item 1): a right taken away stops working on the very next panel request, whether the row
 * was changed through AdminJS, through the Sequelize model or by raw SQL — over HTTP against the demo's AdminJS
 * (guardedAdminRouter reads the signed-in user on each request; the demo's stock actions use `adminsOnly`). Each
 * case: the open session's next call is refused, and the database is read after it (nothing changed).
 */
import { expect } from 'chai';
import AdminJS, { ComponentLoader } from 'adminjs';
import AdminJSExpress from '@adminjs/express';
import { createSingleSession, SingleSessionConfigError } from '../../src/index.js';
import express from 'express';
import bcrypt from 'bcryptjs';
import { adminsOnly, guardedAdminRouter, SingleSessionAuthProvider, singleSessionFeature } from '../../src/adminjs.js';
import '../../example/admin.js'; // registers the Sequelize adapter
import { createAdminFixture, type AdminFixture } from '../support/admin.js';
import { connect, testDatabase } from '../support/database.js';
import { createFixture, hashPassword, resetSchema, SECRET, type Fixture } from '../support/fixture.js';
import type { Browser } from '../support/http.js';
import { rows, run } from '../support/sql.js';

const SECOND_ADMIN = 'second-admin@example.com';

describe('live rights: a right taken away stops working at the next request (issue 22)', function () {
  this.timeout(120_000);
  let f: AdminFixture;

  before(async () => {
    f = await createAdminFixture({ singleUserSession: false, logoutAllSessions: false, audit: true });
  });
  after(async () => f?.close());
  beforeEach(async () => {
    await run(f.sequelize, 'DELETE FROM "Sessions"');
    await run(f.sequelize, 'DELETE FROM "Users" WHERE email = $email', { bind: { email: SECOND_ADMIN } });
    await f.User.create({ email: SECOND_ADMIN, passwordHash: hashPassword('password'), isAdmin: true, permissions: [] });
    await f.User.update({ permissions: ['single_session.logout'] }, { where: { email: 'staff@example.com' } });
    await f.User.update({ permissions: ['single_session.logout', 'single_session.logout_all'] }, { where: { email: 'manager@example.com' } });
  });

  /** A user's row as the database has it (booleans and JSON as PostgreSQL gives them). */
  async function userRow(email: string): Promise<{ id: number; isAdmin: boolean; permissions: string[]; passwordHash: string } | undefined> {
    const [row] = await rows<{ id: number; isAdmin: unknown; permissions: unknown; passwordHash: string }>(f.sequelize,
      'SELECT id, "isAdmin", permissions, "passwordHash" FROM "Users" WHERE email = $email', { bind: { email } });
    if (!row) return undefined;
    const permissions = (typeof row.permissions === 'string' ? JSON.parse(row.permissions) : row.permissions) as string[];
    return { id: row.id, isAdmin: Boolean(row.isAdmin), permissions, passwordHash: row.passwordHash };
  }
  /** Raw SQL, around the model and AdminJS: the JSON text bound as a parameter (both dialects store it so). */
  const setPermissions = (email: string, permissions: string[]) =>
    run(f.sequelize, 'UPDATE "Users" SET permissions = $p WHERE email = $email', { bind: { email, p: JSON.stringify(permissions) } });
  const userCount = async () => Number((await rows<{ n: unknown }>(f.sequelize, 'SELECT COUNT(*) AS n FROM "Users"'))[0]!.n);

  /** Takes the second admin's `isAdmin` away, each way the issue names. */
  const DEMOTE: Record<string, (admin: Browser) => Promise<void>> = {
    'raw SQL': async () => { await run(f.sequelize, 'UPDATE "Users" SET "isAdmin" = false WHERE email = $email', { bind: { email: SECOND_ADMIN } }); },
    'the Sequelize model': async () => { await f.User.update({ isAdmin: false }, { where: { email: SECOND_ADMIN } }); },
    'AdminJS (another admin\'s edit)': async (admin) => {
      const id = (await userRow(SECOND_ADMIN))!.id;
      const res = await admin.request('POST', `/admin/api/resources/User/records/${id}/edit`, { form: { isAdmin: 'false' } });
      expect(res.json.notice, res.text.slice(0, 300)).to.deep.include({ type: 'success' });
    },
  };

  for (const [how, demote] of Object.entries(DEMOTE)) {
    it(`isAdmin=false through ${how}: the demoted admin's open session cannot edit its own row back, delete, create or bulk-delete`, async () => {
      const admin = await f.adminLogin('admin@example.com');
      const demoted = await f.adminLogin(SECOND_ADMIN);
      const own = (await userRow(SECOND_ADMIN))!;
      const aliceId = await f.userId('alice@example.com');
      // Admin before: the row's edit form opens.
      expect(String((await demoted.get(`/admin/api/resources/User/records/${own.id}/edit`)).json.record?.id)).to.equal(String(own.id));

      await demote(admin);
      const demotedRow = await userRow(SECOND_ADMIN);
      expect(demotedRow!.isAdmin).to.equal(false);
      const users = await userCount();
      const calls: Array<[string, string, Record<string, string>]> = [
        ['edit of its own row back to admin', `/admin/api/resources/User/records/${own.id}/edit`, { isAdmin: 'true', 'permissions.0': 'single_session.logout_all' }],
        ['edit of alice\'s password hash', `/admin/api/resources/User/records/${aliceId}/edit`, { passwordHash: 'x' }],
        ['delete of alice', `/admin/api/resources/User/records/${aliceId}/delete`, {}],
        ['bulkDelete of alice', `/admin/api/resources/User/bulk/bulkDelete?recordIds=${aliceId}`, {}],
        ['new admin', '/admin/api/resources/User/actions/new', { email: 'mallory@example.com', passwordHash: 'x', isAdmin: 'true' }],
      ];
      for (const [what, path, form] of calls) {
        const res = await demoted.request('POST', path, { form });
        // The demoted user holds no right any more: the demo's mapping no longer admits them, AdminJS sends them to its login.
        expect([res.status, res.headers.get('location')], `${what}: ${res.text.slice(0, 200)}`).to.deep.equal([302, '/admin/login']);
      }
      expect(await userRow(SECOND_ADMIN), 'its own row is unchanged').to.deep.equal(demotedRow);
      expect((await userRow('alice@example.com'))!.passwordHash).not.to.equal('x');
      expect(await userCount(), 'nobody created or deleted').to.equal(users);
    });
  }

  it('isAdmin=false on an admin who keeps a permission: their next edit/delete/new is refused by AdminJS (forbiddenError), their row unchanged', async () => {
    const demoted = await f.adminLogin(SECOND_ADMIN);
    const own = (await userRow(SECOND_ADMIN))!;
    await run(f.sequelize, 'UPDATE "Users" SET "isAdmin" = false, permissions = $p WHERE email = $email', { bind: { email: SECOND_ADMIN, p: '["single_session.logout"]' } });
    const before = await userRow(SECOND_ADMIN);
    const users = await userCount();
    for (const [path, form] of [
      [`/admin/api/resources/User/records/${own.id}/edit`, { isAdmin: 'true' }],
      [`/admin/api/resources/User/records/${await f.userId('alice@example.com')}/delete`, {}],
      ['/admin/api/resources/User/actions/new', { email: 'mallory@example.com', passwordHash: 'x', isAdmin: 'true' }],
    ] as const) {
      const res = await demoted.request('POST', path, { form });
      expect(res.json.notice, `${path}: ${res.text.slice(0, 200)}`).to.deep.equal({ type: 'error', message: 'forbiddenError' });
    }
    expect(await userRow(SECOND_ADMIN)).to.deep.equal(before);
    expect(await userCount()).to.equal(users);
    // What it still holds works on the next request too: the live copy, not the sign-in's, is what the panel shows.
    const show = await demoted.get(`/admin/api/resources/User/records/${own.id}/show`);
    const names = show.json.record.recordActions.map((a: { name: string }) => a.name);
    expect(names).to.include('logoutOnAllSessions').and.not.include('edit');
  });

  for (const how of ['raw SQL', 'the Sequelize model'] as const) {
    it(`permissions set to [] through ${how}: staff's next bulk logout is refused and ends nothing`, async () => {
      const alice = await f.siteLogin('alice@example.com');
      const staff = await f.adminLogin('staff@example.com');
      if (how === 'raw SQL') await setPermissions('staff@example.com', []);
      else await f.User.update({ permissions: [] }, { where: { email: 'staff@example.com' } });
      const aliceId = await f.userId('alice@example.com');
      const before = await f.sessionsOf(aliceId);
      const res = await f.bulk(staff, 'logoutUserOnAllSessions', [aliceId]);
      // No right left: not admitted to the panel any more (the demo's login would refuse them too).
      expect([res.status, res.headers.get('location')]).to.deep.equal([302, '/admin/login']);
      expect(await f.sessionsOf(aliceId), 'nothing ended').to.equal(before);
      expect((await alice.get('/me')).status).to.equal(200);
      expect((await staff.get('/admin/api/resources/User/actions/list')).status, 'the panel stays closed').to.equal(302);
      // The site session the panel shared is not ended: only the panel sign-in is over.
      expect((await staff.get('/me')).status).to.equal(200);
    });
  }

  it('logout_all taken from manager by raw SQL: the next logout-everyone is refused with the forbidden notice, nothing ended', async () => {
    const adminSite = await f.siteLogin('admin@example.com');
    const manager = await f.adminLogin('manager@example.com');
    const adminId = await f.userId('admin@example.com');
    expect((await f.bulk(manager, 'logoutAllUsersOnAllSessions', [adminId], 'GET')).json.notice, 'allowed before').to.equal(undefined);
    await setPermissions('manager@example.com', ['single_session.logout']);
    const before = await f.sessionsOf(adminId);
    const res = await f.bulk(manager, 'logoutAllUsersOnAllSessions', [adminId]);
    expect(res.json.notice).to.deep.equal({ type: 'error', message: 'forbiddenError' });
    // The record action on an admin's page (hidden from a holder of `logout` alone): refused too.
    const one = await f.record(manager, 'logoutOnAllSessions', adminId);
    expect(one.json.notice).to.deep.equal({ type: 'error', message: 'forbiddenError' });
    expect(await f.sessionsOf(adminId)).to.equal(before);
    expect((await adminSite.get('/me')).status).to.equal(200);
  });

  it('a right given is live too: staff given logout_all by raw SQL may log an admin out at the next request', async () => {
    const adminSite = await f.siteLogin('admin@example.com');
    const staff = await f.adminLogin('staff@example.com');
    await setPermissions('staff@example.com', ['single_session.logout', 'single_session.logout_all']);
    const res = await f.bulk(staff, 'logoutAllUsersOnAllSessions', [await f.userId('admin@example.com')]);
    expect(res.json.notice, res.text.slice(0, 300)).to.deep.include({ type: 'success' });
    expect((await adminSite.get('/me')).json).to.deep.include({ reason: 'revoked' });
  });

  it('a deleted user (raw DELETE) is signed out at the next request; nothing else changes', async () => {
    const demoted = await f.adminLogin(SECOND_ADMIN);
    const users = await userCount();
    await run(f.sequelize, 'DELETE FROM "Users" WHERE email = $email', { bind: { email: SECOND_ADMIN } });
    const aliceId = await f.userId('alice@example.com');
    const res = await demoted.request('POST', `/admin/api/resources/User/records/${aliceId}/delete`);
    expect([res.status, res.headers.get('location')]).to.deep.equal([302, '/admin/login']);
    expect(await userCount()).to.equal(users - 1);
    expect((await demoted.get('/me')).status).to.equal(401);
  });

  it('the copy stored in the session follows the row (saved once when it changed, not written otherwise)', async () => {
    const staff = await f.adminLogin('staff@example.com');
    const stored = async () => {
      const [row] = await rows<{ data: string }>(f.sequelize, 'SELECT data FROM "Sessions" s JOIN "UserSessions" us ON us.sid = s.sid WHERE us."userId" = $id',
        { bind: { id: await f.userId('staff@example.com') } });
      return (JSON.parse(row!.data) as { adminUser: { permissions: string[] } }).adminUser;
    };
    expect((await stored()).permissions).to.deep.equal(['single_session.logout']);
    await f.User.update({ permissions: ['single_session.logout', 'single_session.logout_all'] }, { where: { email: 'staff@example.com' } });
    await staff.get('/admin/api/resources/User/actions/list');
    expect((await stored()).permissions).to.deep.equal(['single_session.logout', 'single_session.logout_all']);
  });
});

describe('live rights by default (a login that copies columns; no mapping given), and `adminsOnly` failing closed', function () {
  this.timeout(120_000);

  /** An app as the install section wires it: the login copies id, email, isAdmin; edit is `adminsOnly`. */
  async function app(liveRights?: false): Promise<Fixture> {
    const holder = express.Router();
    const f = await createFixture({ singleUserSession: false }, { routes: (a) => a.use('/admin', holder) });
    const { singleSession, User } = f;
    const componentLoader = new ComponentLoader();
    const admin = new AdminJS({
      rootPath: '/admin', componentLoader,
      resources: [{
        resource: User,
        options: { id: 'User', actions: { edit: { isAccessible: adminsOnly(singleSession) } } },
        features: [singleSessionFeature({ singleSession, componentLoader })],
      }],
    });
    const provider = new SingleSessionAuthProvider({
      singleSession, componentLoader,
      authenticate: async ({ email, password }) => {
        const user = await User.findOne({ where: { email } });
        if (!user || !(await bcrypt.compare(password, user.get('passwordHash') as string))) return null;
        return { id: String(user.get('id')), email, title: 'copied', isAdmin: user.get('isAdmin') as boolean };
      },
    });
    const router = AdminJSExpress.buildAuthenticatedRouter(admin, { provider, cookieName: 'sid', cookiePassword: SECRET }, null,
      singleSession.sessionOptions({ secret: SECRET, name: 'sid' }));
    holder.use(guardedAdminRouter({ admin, singleSession, router, ...(liveRights === false ? { liveRights } : {}) }));
    return f;
  }
  const signIn = async (f: Fixture) => {
    const b = f.browser();
    const res = await b.request('POST', '/admin/login', { form: { email: 'admin@example.com', password: 'password' } });
    expect(res.headers.get('location')).to.equal('/admin');
    return b;
  };

  it('the stored copy\'s isAdmin is read again from the row: a raw-SQL demotion refuses the next edit, the row unchanged', async () => {
    const f = await app();
    try {
      const admin = await signIn(f);
      const id = await f.userId('admin@example.com');
      const edit = `/admin/api/resources/User/records/${id}/edit`;
      expect(String((await admin.get(edit)).json.record?.id), 'an admin edits').to.equal(String(id));
      await run(f.sequelize, 'UPDATE "Users" SET "isAdmin" = false WHERE id = $id', { bind: { id } });
      const res = await admin.request('POST', edit, { form: { isAdmin: 'true' } });
      expect(res.json.notice).to.deep.equal({ type: 'error', message: 'forbiddenError' });
      const [row] = await rows<{ isAdmin: unknown }>(f.sequelize, 'SELECT "isAdmin" FROM "Users" WHERE id = $id', { bind: { id } });
      expect(Boolean(row!.isAdmin)).to.equal(false);
    } finally {
      await f.close();
    }
  });

  it('with `liveRights: false`, adminsOnly refuses even a real admin (the copy is not trusted): fails closed', async () => {
    const f = await app(false);
    try {
      const admin = await signIn(f);
      const res = await admin.get(`/admin/api/resources/User/records/${await f.userId('admin@example.com')}/edit`);
      expect(res.json.notice).to.deep.equal({ type: 'error', message: 'forbiddenError' });
    } finally {
      await f.close();
    }
  });
});

describe('live rights: start-up checks', function () {
  this.timeout(60_000);
  let sequelize: ReturnType<typeof connect>;
  before(async () => {
    sequelize = connect((await testDatabase()).url, 2);
    await resetSchema(sequelize);
  });
  after(async () => sequelize?.close());

  async function routerError(engineOptions: object, routerOptions: object): Promise<Error | null> {
    const singleSession = await createSingleSession({ sequelize, purgeIntervalMs: false, ...engineOptions });
    try {
      const componentLoader = new ComponentLoader();
      const admin = new AdminJS({ rootPath: '/admin', componentLoader });
      const provider = new SingleSessionAuthProvider({ singleSession, componentLoader, authenticate: async () => null });
      const router = AdminJSExpress.buildAuthenticatedRouter(admin, { provider, cookieName: 'sid', cookiePassword: SECRET }, null,
        singleSession.sessionOptions({ secret: SECRET, name: 'sid' }));
      guardedAdminRouter({ admin, singleSession, router, ...routerOptions });
      return null;
    } catch (err) {
      return err as Error;
    } finally {
      singleSession.close();
    }
  }

  it('an engine without `userModel` stops the start with the fix (or `liveRights: false`)', async () => {
    const err = await routerError({}, {});
    expect(err).to.be.instanceOf(SingleSessionConfigError);
    expect(err!.message).to.match(/live rights .* need the engine's user model: createSingleSession\(\{ sequelize, userModel: User \}\)/);
    expect(await routerError({}, { liveRights: false })).to.equal(null);
  });

  it('a `liveRights` that is neither a boolean nor a function stops the start', async () => {
    const err = await routerError({}, { liveRights: 'yes' });
    expect(err!.message).to.match(/`liveRights` must be true, false or a function .*; got "yes"/);
  });
});
