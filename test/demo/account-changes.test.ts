/**
 * Sessions follow the account (issue 22, items 2 and 3), over HTTP against the demo's site routes and AdminJS: each
 * ended device's `GET /me` says why (`logout`, `credentials`, `account`, `revoked`), the password change
 * (`POST /password`), deletion through AdminJS, Sequelize and raw SQL, a disabled account, and the audit rows.
 */
import { expect } from 'chai';
import type { Model } from 'sequelize';
import { createAdminFixture, type AdminFixture } from '../support/admin.js';
import { createFixture, type Fixture } from '../support/fixture.js';
import { Browser, sidOf } from '../support/http.js';
import { rows, run } from '../support/sql.js';
import { isActiveUser } from '../../example/db/users.js';
import { SITE_MESSAGES } from '../../example/site.js';

/** What an ended device's next `GET /me` says. */
async function told(b: Browser): Promise<string | undefined> {
  const me = await b.get('/me');
  expect(me.status, `GET /me: ${me.text}`).to.equal(401);
  return me.json.reason;
}

interface AuditRow { reason: string; actorId: string | null; userIds: string[]; sessionCount: number }

async function audited(f: AdminFixture, reason: string): Promise<AuditRow[]> {
  const found = await rows<AuditRow>(f.sequelize, `SELECT reason, "actorId", "userIds", "sessionCount" FROM "SessionAuditEvents" WHERE reason = $reason ORDER BY id`, {
    bind: { reason },
  });
  return found.map((r) => ({
    reason: r.reason, actorId: r.actorId === null ? null : String(r.actorId),
    userIds: (typeof r.userIds === 'string' ? JSON.parse(r.userIds) : r.userIds).map(String), sessionCount: Number(r.sessionCount),
  }));
}

describe('sessions follow the account (the demo: end reasons, password change, deletion, disabled accounts)', function () {
  let f: AdminFixture;
  let alice: string;
  let bob: string;
  let admin: string;

  beforeEach(async () => {
    f = await createAdminFixture({ singleUserSession: false, audit: true, isActive: isActiveUser });
    [alice, bob, admin] = (await Promise.all(['alice@example.com', 'bob@example.com', 'admin@example.com'].map((e) => f.userId(e)))).map(String);
  });
  afterEach(() => f.close());

  describe('the reasons a device is told', () => {
    it('`logout`: the user\'s own logout on another device (not `revoked`)', async () => {
      const [a, b] = [await f.siteLogin('alice@example.com'), await f.siteLogin('alice@example.com')];
      expect((await b.post('/logout')).status).to.equal(200);
      expect(await told(a)).to.equal('logout');
      expect((await a.get('/me')).json.error).to.equal(SITE_MESSAGES.logout);
      expect(await audited(f, 'logout')).to.deep.equal([{ reason: 'logout', actorId: alice, userIds: [alice], sessionCount: 2 }]);
    });

    it('`logout`: "Log out my other sessions" and "End" in My sessions', async () => {
      const here = await f.adminLogin('admin@example.com');
      const [other, third] = [await f.siteLogin('admin@example.com'), await f.siteLogin('admin@example.com')];
      const own = await here.request('GET', '/admin/api/pages/mySessions');
      const thirdHandle = await f.handleOf(third);
      expect(own.json.sessions).to.have.length(3);
      expect((await here.request('POST', `/admin/api/pages/mySessions?session=${thirdHandle}`)).status).to.equal(200);
      expect(await told(third)).to.equal('logout');
      expect((await here.request('POST', '/admin/api/pages/mySessions')).json.notice.options).to.deep.equal({ sessions: 1 });
      expect(await told(other)).to.equal('logout');
      expect((await here.get('/me')).status, 'the page\'s own session stays').to.equal(200);
      expect((await audited(f, 'logout')).map((r) => [r.actorId, r.sessionCount])).to.deep.equal([[admin, 1], [admin, 1]]);
      expect(await audited(f, 'revoked')).to.deep.equal([]);
    });

    it('`revoked` stays what an administrator did', async () => {
      const a = await f.siteLogin('alice@example.com');
      const panel = await f.adminLogin('admin@example.com');
      expect((await f.bulk(panel, 'logoutUserOnAllSessions', [alice])).status).to.equal(200);
      expect(await told(a)).to.equal('revoked');
      expect(await audited(f, 'revoked')).to.deep.equal([{ reason: 'revoked', actorId: admin, userIds: [alice], sessionCount: 1 }]);
    });

    it('an ending\'s reason is checked: a bad one throws InvalidInputError and ends nothing', async () => {
      const a = await f.siteLogin('alice@example.com');
      for (const reason of ['replaced', 'idle', 'nonsense']) {
        try {
          await f.singleSession.endUserSessions([alice], { reason: reason as never });
          expect.fail(`reason ${reason} was taken`);
        } catch (err) {
          expect((err as Error).name).to.equal('InvalidInputError');
          expect((err as Error).message).to.match(/'revoked', 'logout', 'credentials', 'account'/);
        }
      }
      expect((await a.get('/me')).status).to.equal(200);
    });
  });

  describe('POST /password', () => {
    const change = (b: Browser, body: Record<string, unknown>) => b.post('/password', body);

    it('401 without a session, 400 on a missing field or a short password, 403 on a wrong current password: nothing changes', async () => {
      const anonymous = f.browser();
      expect((await change(anonymous, { currentPassword: 'password', newPassword: 'new password' })).status).to.equal(401);
      const a = await f.siteLogin('alice@example.com');
      const other = await f.siteLogin('alice@example.com');
      const sid = sidOf(a.cookie('sid'));
      for (const body of [{}, { currentPassword: 'password' }, { newPassword: 'new password' }, { currentPassword: '', newPassword: 'x'.repeat(9) }]) {
        const res = await change(a, body);
        expect(res.status, JSON.stringify(body)).to.equal(400);
        expect(res.json.error).to.equal(SITE_MESSAGES.missingPasswordFields);
      }
      const short = await change(a, { currentPassword: 'password', newPassword: 'short' });
      expect([short.status, short.json.error]).to.deep.equal([400, SITE_MESSAGES.passwordTooShort]);
      const wrong = await change(a, { currentPassword: 'not it', newPassword: 'new password' });
      expect([wrong.status, wrong.json.error]).to.deep.equal([403, SITE_MESSAGES.wrongPassword]);
      expect(sidOf(a.cookie('sid'))).to.equal(sid);
      expect((await other.get('/me')).status, 'no other session ended').to.equal(200);
      expect((await f.browser().login('alice@example.com', 'password')).status, 'the password is unchanged').to.equal(200);
    });

    it('200: the other sessions end (`credentials`), this one stays signed in under a new id, the old id is dead', async () => {
      const a = await f.siteLogin('alice@example.com');
      const [other, adminSide] = [await f.siteLogin('alice@example.com'), await f.siteLogin('alice@example.com')];
      const bobs = await f.siteLogin('bob@example.com');
      const stolen = new Browser(f.baseUrl);
      stolen.setCookie('sid', a.cookie('sid')!);
      const [handleBefore, oldSid] = [await f.handleOf(a), sidOf(a.cookie('sid'))];

      const res = await a.request('POST', '/password', { form: { currentPassword: 'password', newPassword: 'a new password' } });
      expect(res.status, res.text).to.equal(303);
      expect(sidOf(a.cookie('sid'))).not.to.equal(oldSid);
      expect((await a.get('/me')).json).to.deep.include({ email: 'alice@example.com' });
      expect(await f.handleOf(a), 'the same session (handle, link), under a new id').to.equal(handleBefore);
      expect(await told(other)).to.equal('credentials');
      expect(await told(adminSide)).to.equal('credentials');
      expect(await told(stolen), 'a copy of the old cookie').to.equal('credentials');
      expect((await bobs.get('/me')).status, 'other users untouched').to.equal(200);
      expect(await f.sessionsOf(Number(alice))).to.equal(1);
      expect(await audited(f, 'credentials')).to.deep.equal([{ reason: 'credentials', actorId: alice, userIds: [alice], sessionCount: 2 }]);
      // The new password is the one that works now.
      expect((await f.browser().login('alice@example.com', 'password')).status).to.equal(401);
      expect((await f.browser().login('alice@example.com', 'a new password')).status).to.equal(200);
      // JSON, from the session with the new id: it can change it again.
      const again = await change(a, { currentPassword: 'a new password', newPassword: 'a third password' });
      expect([again.status, again.json]).to.deep.equal([200, { ok: true, sessionsEnded: 1 }]);
      expect((await a.get('/me')).status).to.equal(200);
    });

    it('an administrator\'s change of a user\'s password through the panel\'s `edit` ends all of that user\'s sessions', async () => {
      const [a, b] = [await f.siteLogin('alice@example.com'), await f.siteLogin('alice@example.com')];
      const panel = await f.adminLogin('admin@example.com');
      const edited = await panel.request('POST', `/admin/api/resources/User/records/${alice}/edit`, { form: { newPassword: 'set by admin' } });
      expect(edited.status, edited.text).to.equal(200);
      expect(edited.json.record.params).not.to.have.property('passwordHash');
      expect(await told(a)).to.equal('credentials');
      expect(await told(b)).to.equal('credentials');
      expect(await audited(f, 'credentials')).to.deep.equal([{ reason: 'credentials', actorId: admin, userIds: [alice], sessionCount: 2 }]);
      const c = f.browser();
      expect((await c.login('alice@example.com', 'set by admin')).status).to.equal(200);
      // A hash sent to the API directly is a password change too; an edit of anything else is not.
      expect((await panel.request('POST', `/admin/api/resources/User/records/${alice}/edit`, { form: { email: 'alice@example.com' } })).status).to.equal(200);
      expect((await c.get('/me')).status).to.equal(200);
      const hash = (await f.User.findByPk(bob))!.get('passwordHash') as string;
      await panel.request('POST', `/admin/api/resources/User/records/${alice}/edit`, { form: { passwordHash: hash } });
      expect(await told(c)).to.equal('credentials');
    });
  });

  describe('the panel\'s "New password" field', () => {
    it('is hashed on `new` and `edit` (never stored as typed); too short is refused and saves nothing', async () => {
      const panel = await f.adminLogin('admin@example.com');
      const created = await panel.request('POST', '/admin/api/resources/User/actions/new', { form: { email: 'carol@example.com', newPassword: 'carol password' } });
      expect(created.status, created.text).to.equal(200);
      const carol = await f.User.findOne({ where: { email: 'carol@example.com' } });
      expect(carol!.get('passwordHash')).to.match(/^\$2[ab]\$10\$/);
      expect((await f.browser().login('carol@example.com', 'carol password')).status).to.equal(200);
      const short = await panel.request('POST', `/admin/api/resources/User/records/${carol!.get('id')}/edit`, { form: { newPassword: 'short' } });
      expect(short.text).to.include(SITE_MESSAGES.passwordTooShort);
      expect((await f.browser().login('carol@example.com', 'carol password')).status, 'unchanged').to.equal(200);
    });
  });

  describe('a deleted account loses every session (`account`, audited)', () => {
    const expectAccountEnded = async (browsers: Browser[], userIds: string[]) => {
      for (const b of browsers) expect(await told(b)).to.equal('account');
      expect((await audited(f, 'account')).flatMap((r) => r.userIds).sort()).to.deep.equal([...userIds].sort());
    };

    it('through AdminJS `delete`', async () => {
      const [a, b] = [await f.siteLogin('alice@example.com'), await f.siteLogin('alice@example.com')];
      const panel = await f.adminLogin('admin@example.com');
      expect((await f.record(panel, 'delete', alice)).status).to.equal(200);
      expect(await f.User.findByPk(alice)).to.equal(null);
      await expectAccountEnded([a, b], [alice]);
      expect((await panel.get('/admin/api/resources/User/actions/list')).status, 'the admin stays').to.equal(200);
    });

    it('through AdminJS `bulkDelete`', async () => {
      const [a, b] = [await f.siteLogin('alice@example.com'), await f.siteLogin('bob@example.com')];
      const panel = await f.adminLogin('admin@example.com');
      expect((await f.bulk(panel, 'bulkDelete', [alice, bob])).status).to.equal(200);
      expect(await f.User.count()).to.equal(3);
      await expectAccountEnded([a, b], [alice, bob]);
    });

    it('through `instance.destroy()` and `Model.destroy({ where })`, also inside a transaction', async () => {
      const [a, b] = [await f.siteLogin('alice@example.com'), await f.siteLogin('bob@example.com')];
      await (await f.User.findByPk(alice))!.destroy();
      await f.sequelize.transaction((transaction) => f.User.destroy({ where: { email: 'bob@example.com' }, transaction }));
      await expectAccountEnded([a, b], [alice, bob]);
    });

    it('a rolled-back destroy keeps the user and its sessions', async () => {
      const a = await f.siteLogin('alice@example.com');
      await f.sequelize.transaction(async (transaction) => {
        await f.User.destroy({ where: { email: 'alice@example.com' }, transaction });
        throw new Error('rollback');
      }).catch(() => undefined);
      expect((await a.get('/me')).status).to.equal(200);
      expect(await audited(f, 'account')).to.deep.equal([]);
    });

    it('by raw SQL: the device is still told `account` (and audited) on its next request', async () => {
      const [a, b] = [await f.siteLogin('alice@example.com'), await f.siteLogin('alice@example.com')];
      await run(f.sequelize, `DELETE FROM "Users" WHERE id = ${Number(alice)}`);
      await expectAccountEnded([a], [alice]);
      expect(await told(a), 'told again with the same cookie').to.equal('account');
      expect(await told(b)).to.equal('account');
      expect(await f.count('Sessions'), 'the sessions are gone').to.equal(0);
    });
  });

  describe('a disabled account (`isActive`)', () => {
    it('disabled through the model (instance, bulk update): every session ends, and its logins are refused', async () => {
      const [a, b] = [await f.siteLogin('alice@example.com'), await f.siteLogin('bob@example.com')];
      await (await f.User.findByPk(alice))!.update({ disabled: true });
      expect(await told(a)).to.equal('account');
      await f.User.update({ disabled: true }, { where: { email: 'bob@example.com' } });
      expect(await told(b)).to.equal('account');
      expect((await audited(f, 'account')).map((r) => r.userIds)).to.deep.equal([[alice], [bob]]);

      const refused = await f.browser().login('alice@example.com');
      expect([refused.status, refused.json.error]).to.deep.equal([403, SITE_MESSAGES.accountDisabled]);
      expect(await f.sessionsOf(Number(alice))).to.equal(0);
      // Enabled again: it may sign in.
      await f.User.update({ disabled: false }, { where: { email: 'alice@example.com' } });
      expect((await f.browser().login('alice@example.com')).status).to.equal(200);
    });

    it('disabled in a transaction: the sessions end once it commits', async () => {
      const a = await f.siteLogin('alice@example.com');
      await f.sequelize.transaction(async (transaction) => {
        await f.User.update({ disabled: true }, { where: { email: 'alice@example.com' }, transaction });
      });
      expect(await told(a)).to.equal('account');
    });

    it('disabled through AdminJS `edit`; the AdminJS login then shows why it refuses', async () => {
      await f.User.update({ isAdmin: true }, { where: { email: 'manager@example.com' } });
      const manager = await f.adminLogin('manager@example.com');
      const panel = await f.adminLogin('admin@example.com');
      const edited = await panel.request('POST', `/admin/api/resources/User/records/${await f.userId('manager@example.com')}/edit`, { form: { disabled: 'true' } });
      expect(edited.status, edited.text).to.equal(200);
      expect((await manager.get('/me')).json.reason).to.equal('account');
      const page = await manager.get('/admin/login');
      expect(page.text).to.include('singleSessionEndedAccount');
      const login = await f.browser().request('POST', '/admin/login', { form: { email: 'manager@example.com', password: 'password' } });
      expect(login.status).not.to.equal(302);
      expect(login.text).to.include('singleSessionAccountDisabled');
    });

    it('refuses at start-up without a user model, or when it is not a function', async () => {
      const { createSingleSession } = await import('../../src/index.js');
      for (const [options, message] of [
        [{ isActive: () => true }, /`isActive` needs `userModel`/],
        [{ isActive: true, userModel: f.User }, /option `isActive` must be a function/],
      ] as const) {
        try {
          await createSingleSession({ sequelize: f.sequelize, ...options } as never);
          expect.fail('accepted');
        } catch (err) {
          expect((err as Error).name).to.equal('SingleSessionConfigError');
          expect((err as Error).message).to.match(message);
        }
      }
    });
  });
});

describe('a login that races the disabling of its user', () => {
  let f: Fixture;
  afterEach(() => f?.close());

  it('is undone: the login checks again once committed (the disabling\'s own ending came before its link)', async () => {
    // The interleaving, made certain: the login's first look at the user sees it active; right then the user is
    // disabled through the model, whose hook ends the sessions it finds — not the login's, which is not linked yet.
    let raced = false;
    const isActive = async (user: Model) => {
      if (!raced && user.get('email') === 'alice@example.com') {
        raced = true;
        await f.User.update({ disabled: true }, { where: { email: 'alice@example.com' } });
        return true;
      }
      return isActiveUser(user);
    };
    f = await createFixture({ isActive, audit: true });
    const login = await f.browser().login('alice@example.com');
    expect(raced).to.equal(true);
    expect([login.status, login.json.error]).to.deep.equal([403, SITE_MESSAGES.accountDisabled]);
    expect(await f.count('UserSessions'), 'no session of the disabled user').to.equal(0);
  });
});
