/**
 * What a request can and cannot do, over HTTP against the demo's AdminJS: GET previews and changes nothing,
 * forged and malformed requests change nothing and get a clear 4xx answer (never a 5xx), and one POST ends the
 * sessions of 10,000 users with one statement.
 */
import { expect } from 'chai';
import { ACTIONS as A } from '../../src/adminjs/actions.js';
import { createAdminFixture, quoted, type AdminFixture } from '../support/admin.js';
import { hashPassword } from '../support/fixture.js';
import type { Browser } from '../support/http.js';
import { rows, run, statementsOf } from '../support/sql.js';

describe('AdminJS feature: requests', function () {
  this.timeout(180_000);
  let f: AdminFixture;
  let admin: Browser;
  let staff: Browser;
  let id: Record<'admin' | 'manager' | 'staff' | 'alice' | 'bob', number>;
  let sites: Browser[];

  before(async () => {
    f = await createAdminFixture({ singleUserSession: false });
    id = {
      admin: await f.userId('admin@example.com'),
      manager: await f.userId('manager@example.com'),
      staff: await f.userId('staff@example.com'),
      alice: await f.userId('alice@example.com'),
      bob: await f.userId('bob@example.com'),
    };
  });
  after(async () => f?.close());

  /** Fresh sessions: the two admins' and a site session for each of the five users. */
  beforeEach(async () => {
    await run(f.sequelize, 'DELETE FROM "Sessions"');
    admin = await f.adminLogin('admin@example.com');
    staff = await f.adminLogin('staff@example.com');
    sites = [];
    for (const email of ['admin', 'manager', 'staff', 'alice', 'bob']) sites.push(await f.siteLogin(`${email}@example.com`));
  });

  /** Runs `request` and checks that no session ended and every cookie still works. */
  async function changesNothing(request: () => Promise<{ status: number; text: string }>) {
    const before = [await f.count('Sessions'), await f.count('UserSessions'), await f.count('EndedSessions')];
    const res = await request();
    expect(res.status, res.text.slice(0, 300)).to.be.below(500);
    expect(res.text).not.to.match(/\bat .+\.(js|ts):\d+/); // no stack trace
    expect([await f.count('Sessions'), await f.count('UserSessions'), await f.count('EndedSessions')]).to.deep.equal(before);
    for (const b of [admin, staff, ...sites]) expect((await b.get('/me')).status).to.equal(200);
    return res as Awaited<ReturnType<Browser['request']>>;
  }

  describe('GET is a preview', () => {
    for (const action of [A.logoutUsers, A.logoutAll]) {
      it(`GET bulk ${action} returns the records with what will happen, and changes nothing`, async () => {
        const res = await changesNothing(() => f.bulk(admin, action, [id.alice, id.admin, id.bob], 'GET'));
        expect(res.status).to.equal(200);
        const info = Object.fromEntries(res.json.records.map((r: any) => [r.title, r.singleSession]));
        const adminOutcome = action === A.logoutUsers ? 'skipped-admin' : 'logout';
        // `sessions`: the live sessions that confirming ends — the acting admin's own is kept, a skipped user loses none.
        expect(info['admin@example.com']).to.deep.equal({
          kind: 'user', isAdmin: true, isSelf: true, outcome: adminOutcome, userId: String(id.admin), sessions: adminOutcome === 'logout' ? 1 : 0,
        });
        expect(info['alice@example.com']).to.deep.equal({ kind: 'user', isAdmin: false, isSelf: false, outcome: 'logout', userId: String(id.alice), sessions: 1 });
        // The lean record: id, title and the outcome, no column of the user (whatever the resource hides or shows).
        for (const r of res.json.records) expect([r.params, r.populated]).to.deep.equal([{}, {}]);
      });
    }

    it('GET of the record action returns the record and changes nothing', async () => {
      const res = await changesNothing(() => f.record(admin, A.logoutOne, id.alice, 'GET'));
      expect(res.json.record).to.include({ id: String(id.alice), title: 'alice@example.com' });
      expect(res.json.record.params).to.deep.equal({});
      expect(res.json.record.singleSession).to.include({ outcome: 'logout' });
    });

    it('a GET the actor may not run is refused too', async () => {
      const res = await changesNothing(() => f.bulk(staff, A.logoutAll, [id.alice], 'GET'));
      expect(res.json.notice.type).to.equal('error');
      expect(res.json.records).to.deep.equal([]);
    });

    it('the password hash is in no action response', async () => {
      const responses = [
        await admin.get('/admin/api/resources/User/actions/list'),
        await admin.get(`/admin/api/resources/User/records/${id.alice}/show`),
        await admin.get('/admin/api/resources/User/actions/search/alice'),
        await f.bulk(admin, 'bulkDelete', [id.alice], 'GET'),
      ];
      for (const res of responses) {
        expect(res.status).to.equal(200);
        expect(res.text).to.include('alice@example.com');
        expect(res.text).not.to.include('passwordHash');
        expect(res.text).not.to.include('$2');
      }
    });
  });

  describe('forged requests change nothing', () => {
    it('logout_all as a logout-only holder, with admin ids (POST)', async () => {
      const res = await changesNothing(() => f.bulk(staff, A.logoutAll, [id.admin, id.manager]));
      expect(res.json.notice.type).to.equal('error');
    });

    it('the record action on an admin as a logout-only holder (POST)', async () => {
      const res = await changesNothing(() => f.record(staff, A.logoutOne, id.admin));
      expect(res.json.notice.type).to.equal('error');
    });

    it('admins hidden among plain users with the logout action: the admin is skipped, never logged out', async () => {
      const res = await f.bulk(staff, A.logoutUsers, [id.admin, id.alice, id.bob]);
      expect(res.json.notice.options).to.include({ users: 2, skipped: 1 });
      expect((await sites[0]!.get('/me')).status, 'admin@ site session').to.equal(200);
      expect((await admin.get('/me')).status, 'admin@ admin session').to.equal(200);
      expect((await sites[3]!.get('/me')).json).to.deep.include({ reason: 'revoked' });
    });

    it('without an admin session: redirected to the login page', async () => {
      const anonymous = f.browser();
      const res = await changesNothing(() => f.bulk(anonymous, A.logoutAll, [id.alice]));
      expect(res.status).to.equal(302);
      expect(res.headers.get('location')).to.equal('/admin/login');
    });

    it('with a site session (alice) but no admin login: redirected to the login page', async () => {
      const res = await changesNothing(() => f.bulk(sites[3]!, A.logoutAll, [id.bob]));
      expect(res.status).to.equal(302);
    });

    it('a site-only user cannot log into the admin', async () => {
      const b = f.browser();
      const res = await b.request('POST', '/admin/login', { form: { email: 'alice@example.com', password: 'password' } });
      expect(res.status).to.equal(200); // the login page again, with its error
      expect(res.text).to.include('invalidCredentials');
      expect((await f.bulk(b, A.logoutAll, [id.bob])).status).to.equal(302);
    });

    it('ids in the body count only where the query string names none (issue 23): the query string\'s win', async () => {
      // Both: the query string's ids (admin, skipped) are the selection; alice, named in the body only, keeps her session.
      const res = await changesNothing(() => staff.request('POST', `/admin/api/resources/User/bulk/${A.logoutUsers}?recordIds=${id.admin}`, { form: { recordIds: `${id.alice}` } }));
      expect(res.status).to.equal(200);
      // The body's ids are checked like the query string's (test/adminjs/bulk-body.test.ts ends sessions with them).
      const bad = await changesNothing(() => staff.request('POST', `/admin/api/resources/User/bulk/${A.logoutUsers}`, { form: { recordIds: '1,abc' } }));
      expect(bad.status).to.equal(400);
      expect(bad.json.notice.message).to.equal('singleSessionInvalidIds');
    });
  });

  describe('bad input: a clear 4xx, nothing changes', () => {
    const cases: Array<[string, string, number, string]> = [
      ['an unknown id', `bulk/${A.logoutAll}?recordIds=999999`, 404, 'singleSessionUnknownRecords'],
      ['a non-numeric id', `bulk/${A.logoutAll}?recordIds=1,abc`, 400, 'singleSessionInvalidIds'],
      ['a decimal id', `bulk/${A.logoutAll}?recordIds=1.5`, 400, 'singleSessionInvalidIds'],
      ['an id beyond the integer range', `bulk/${A.logoutAll}?recordIds=99999999999`, 400, 'singleSessionInvalidIds'],
      ['SQL in an id', `bulk/${A.logoutAll}?recordIds=${encodeURIComponent("1) OR (1=1")}`, 400, 'singleSessionInvalidIds'],
      ['an empty selection', `bulk/${A.logoutAll}?recordIds=`, 400, 'singleSessionEmptySelection'],
      ['only commas', `bulk/${A.logoutAll}?recordIds=,,`, 400, 'singleSessionEmptySelection'],
      ['no recordIds at all', `bulk/${A.logoutAll}`, 400, 'singleSessionEmptySelection'],
      ['an unknown bulk action', 'bulk/logoutEveryoneEverywhere?recordIds=1', 404, 'singleSessionUnknownAction'],
      ['a record action name on the bulk route', `bulk/${A.logoutOne}?recordIds=1`, 404, 'singleSessionUnknownAction'],
      ['a bulk action name on the record route', `records/1/${A.logoutAll}`, 404, 'singleSessionUnknownAction'],
      ['an unknown record action', 'records/1/nope', 404, 'singleSessionUnknownAction'],
      ['a non-numeric record id', `records/abc/${A.logoutOne}`, 400, 'singleSessionInvalidIds'],
      ['an unknown resource action', 'actions/nope', 404, 'singleSessionUnknownAction'],
    ];
    for (const [what, path, status, message] of cases) {
      for (const method of ['GET', 'POST']) {
        it(`${what} (${method})`, async () => {
          const res = await changesNothing(() => admin.request(method, `/admin/api/resources/User/${path}`));
          expect(res.status).to.equal(status);
          expect(res.json.notice).to.include({ type: 'error', message });
          expect(res.json.error).to.be.a('string').and.match(/\.$|”\.?$/);
        });
      }
    }

    it('an unknown resource', async () => {
      const res = await changesNothing(() => admin.request('POST', `/admin/api/resources/Nope/bulk/${A.logoutAll}?recordIds=1`));
      expect(res.status).to.equal(404);
      expect(res.json.notice.message).to.equal('singleSessionUnknownResource');
    });

    it('known and unknown ids together: refused as a whole', async () => {
      const res = await changesNothing(() => f.bulk(admin, A.logoutAll, [id.alice, 999999]));
      expect(res.json.notice).to.include({ type: 'error', message: 'singleSessionUnknownRecords' });
      expect(res.json.notice.options.ids).to.equal('999999');
    });

    it('an unknown record id on the record action', async () => {
      const res = await changesNothing(() => f.record(admin, A.logoutOne, 999999));
      expect(res.json.notice.type).to.equal('error');
    });

    it('more ids than the limit (50,000)', async () => {
      const ids = Array.from({ length: 50_001 }, (_, i) => i + 1);
      const res = await changesNothing(() => f.bulk(admin, A.logoutAll, ids));
      expect(res.status).to.equal(400);
      expect(res.json.notice).to.deep.include({ message: 'singleSessionTooManyIds', options: { max: 50_000, count: 50_001 } });
    });

    it('duplicate ids count once', async () => {
      const res = await f.bulk(admin, A.logoutAll, [id.alice, id.alice, id.alice]);
      expect(res.json.notice).to.deep.include({ type: 'success', options: { sessions: 1, users: 1, skipped: 0 } });
    });
  });

  describe('scale', () => {
    it('one POST with 10,000 ids ends all their sessions with one DELETE, in one transaction', async function () {
      // 10,000 users with one session each, made with one multi-row INSERT per table (not 10,000 logins).
      const hash = hashPassword('password');
      await f.User.bulkCreate(Array.from({ length: 9999 }, (_, i) => ({ email: `bulk${i + 1}@example.com`, passwordHash: hash, isAdmin: false, permissions: [] })));
      const bulkIds = (await rows<{ id: number }>(f.sequelize, `SELECT id FROM "Users" WHERE email LIKE 'bulk%' ORDER BY id`)).map((r) => Number(r.id));
      const now = new Date();
      const expires = new Date(now.getTime() + 86400_000);
      const queryInterface = f.sequelize.getQueryInterface();
      await queryInterface.bulkInsert('Sessions', bulkIds.map((userId) => ({
        sid: `bulk-${userId}`, expires, data: JSON.stringify({ cookie: { path: '/' }, singleSessionUserId: String(userId) }), createdAt: now, updatedAt: now,
      })));
      await queryInterface.bulkInsert('UserSessions', bulkIds.map((userId) => ({ sid: `bulk-${userId}`, userId, createdAt: now, lastSeenAt: now })));
      const ids = [id.alice, ...bulkIds];
      expect(ids).to.have.length(10_000);
      const before = await f.count('Sessions');

      const { result: res, statements } = await statementsOf(f.sequelize, () => f.bulk(admin, A.logoutAll, ids));
      expect(res.status, res.text.slice(0, 300)).to.equal(200);
      expect(res.json.notice).to.deep.include({ type: 'success', options: { sessions: 10_000, users: 10_000, skipped: 0 } });
      expect(await f.count('Sessions')).to.equal(before - 10_000);
      expect(await f.count('UserSessions', `"userId" IN (SELECT id FROM "Users" WHERE email LIKE 'bulk%')`)).to.equal(0);
      expect(await f.count('EndedSessions', `reason = 'revoked'`)).to.be.at.least(10_000);
      // PostgreSQL's DELETE FROM "Sessions" … USING, MariaDB's multi-table DELETE s FROM UserSessions us JOIN Sessions s.
      const deletes = statements.filter((s) => /\bDELETE\b/.test(s) && new RegExp(quoted('Sessions')).test(s));
      expect(deletes, 'one DELETE for all').to.have.length(1);
      expect(statements.filter((s) => /START TRANSACTION|BEGIN/.test(s)), 'one transaction').to.have.length(1);
      expect((await sites[3]!.get('/me')).json).to.deep.include({ reason: 'revoked' });
      expect((await sites[4]!.get('/me')).status, 'bob was not selected').to.equal(200);
    });
  });
});
