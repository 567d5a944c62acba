/**
 * The AdminJS "Sessions" resource over HTTP against the demo's AdminJS (example/admin.ts) on the test database:
 * who may end which session (every actor × every kind of target, record and bulk), GET previews that change
 * nothing, bad input that changes nothing, no sid or password hash in any answer, the list's order and user filter.
 * Each case counts the rows before and after and asks every target's cookie (`/me`: revoked, or still logged in).
 */
import { expect } from 'chai';
import { SINGLE_SESSION_PERMISSIONS as P } from '../../src/adminjs.js';
import { NOTICES } from '../../src/adminjs/errors.js';
import { SESSION_ACTIONS as A } from '../../src/adminjs/sessions/end.js';
import { createAdminFixture, type AdminFixture } from '../support/admin.js';
import { hashPassword } from '../support/fixture.js';
import { type Browser, sidOf } from '../support/http.js';
import { sessionsApi } from '../support/sessions.js';
import { ago, rows, run } from '../support/sql.js';

type Actor = 'admin' | 'manager' | 'staff' | 'clerk';
type Targets = 'plain' | 'admin' | 'mixed' | 'self+plain';

const EMAIL: Record<Actor, string> = {
  admin: 'admin@example.com',
  manager: 'manager@example.com',
  staff: 'staff@example.com',
  clerk: 'clerk@example.com', // holds only an unrelated permission: may log in, may not see or end sessions
};
const HOLDS: Record<Actor, string[]> = {
  admin: [P.logout, P.logoutAll], // isAdmin holds every permission
  manager: [P.logout, P.logoutAll],
  staff: [P.logout],
  clerk: [],
};
/** Whose site sessions are selected ('self' = the actor's own admin session, the one making the request). */
const TARGETS: Record<Targets, string[]> = {
  plain: ['alice@example.com'],
  admin: ['root@example.com'],
  mixed: ['alice@example.com', 'root@example.com'],
  'self+plain': ['self', 'alice@example.com'],
};
const ADMINS = new Set(['root@example.com']);

/** The rules, written from the issue: a plain user's session needs logout (or logout_all), an admin's logout_all. */
function allowed(actor: Actor, targetIsAdmin: boolean): boolean {
  const holds = (p: string) => HOLDS[actor].includes(p);
  if (!holds(P.logout) && !holds(P.logoutAll)) return false;
  return targetIsAdmin ? holds(P.logoutAll) : true;
}

describe('AdminJS Sessions resource (over HTTP)', function () {
  this.timeout(180_000);
  let f: AdminFixture;
  let api: ReturnType<typeof sessionsApi>;

  before(async () => {
    f = await createAdminFixture({ singleUserSession: false, logoutAllSessions: false });
    api = sessionsApi(f);
    await f.User.bulkCreate([
      { email: 'root@example.com', isAdmin: true, permissions: [], passwordHash: hashPassword('password') },
      { email: 'clerk@example.com', isAdmin: false, permissions: ['other.permission'], passwordHash: hashPassword('password') },
    ]);
  });
  after(async () => f?.close());

  const counts = async () => [await f.count('Sessions'), await f.count('UserSessions')];

  describe('the permission matrix', () => {
    async function runCase(actor: Actor, targets: string[], bulk: boolean) {
      await run(f.sequelize, 'DELETE FROM "Sessions"');
      const me = await f.adminLogin(EMAIL[actor]);
      const site = new Map<string, Browser>();
      const handles: string[] = [];
      for (const email of targets) {
        if (email === 'self') {
          handles.push(...(await api.handlesOf(EMAIL[actor])));
        } else {
          site.set(email, await f.siteLogin(email));
          handles.push(...(await api.handlesOf(email)));
        }
      }
      expect(handles).to.have.length(targets.length);
      const before = await counts();

      const res = bulk ? await api.bulk(me, A.endSelected, handles) : await api.record(me, A.endOne, handles[0]!);
      expect(res.status, res.text.slice(0, 300)).to.equal(200);
      expect(res.text).not.to.include('passwordHash');

      const refused = targets.some((e) => e !== 'self' && !allowed(actor, ADMINS.has(e)));
      const ended = refused ? 0 : site.size;
      expect(await counts(), 'Sessions and UserSessions rows').to.deep.equal(before.map((n) => n - ended));
      if (refused) {
        expect(res.json.notice.type).to.equal('error');
      } else {
        const self = targets.includes('self');
        expect(res.json.notice).to.deep.include({ type: 'success', message: self ? NOTICES.sessionsDoneKeptOwn : NOTICES.sessionsDone });
        expect(res.json.notice.options).to.deep.equal({ sessions: ended, users: new Set(targets.filter((e) => e !== 'self')).size });
      }
      for (const [email, browser] of site) {
        const answer = await browser.get('/me');
        if (refused) expect(answer.status, `${email} should still be logged in`).to.equal(200);
        else expect(answer.json, `${email} should be logged out`).to.deep.include({ reason: 'revoked' });
      }
      expect((await me.get('/me')).status, 'the acting admin stays logged in').to.equal(200);
    }

    for (const actor of ['admin', 'manager', 'staff', 'clerk'] as const) {
      describe(`actor: ${actor} (${HOLDS[actor].join(', ') || 'no single_session permission'})`, () => {
        for (const targets of ['plain', 'admin'] as const) {
          const outcome = allowed(actor, targets === 'admin') ? 'ended' : 'refused';
          it(`record ${A.endOne} on a ${targets} user's session → ${outcome}`, () => runCase(actor, TARGETS[targets], false));
        }
        for (const targets of ['plain', 'admin', 'mixed', 'self+plain'] as const) {
          const refused = TARGETS[targets].some((e) => e !== 'self' && !allowed(actor, ADMINS.has(e)));
          it(`bulk ${A.endSelected} on ${targets} sessions → ${refused ? 'refused, nothing changes' : 'ended'}`,
            () => runCase(actor, TARGETS[targets], true));
        }
      });
    }
  });

  describe('requests', () => {
    let admin: Browser;
    let staff: Browser;
    let sites: Map<string, Browser[]>;

    /** Fresh sessions: the two admins', two site sessions of alice, one of bob and one of root. */
    beforeEach(async () => {
      await run(f.sequelize, 'DELETE FROM "Sessions"');
      admin = await f.adminLogin('admin@example.com');
      staff = await f.adminLogin('staff@example.com');
      sites = new Map();
      for (const email of ['alice@example.com', 'alice@example.com', 'bob@example.com', 'root@example.com']) {
        sites.set(email, [...(sites.get(email) ?? []), await f.siteLogin(email)]);
      }
    });

    /** Runs `request` and checks that no session ended and every cookie still works. */
    async function changesNothing(request: () => ReturnType<Browser['request']>) {
      const before = [...(await counts()), await f.count('EndedSessions')];
      const res = await request();
      expect(res.status, res.text.slice(0, 300)).to.be.below(500);
      expect(res.text).not.to.match(/\bat .+\.(js|ts):\d+/); // no stack trace
      expect([...(await counts()), await f.count('EndedSessions')]).to.deep.equal(before);
      for (const b of [admin, staff, ...[...sites.values()].flat()]) expect((await b.get('/me')).status).to.equal(200);
      return res;
    }

    it('GET of the bulk action is a preview: what would happen to each session, nothing changes', async () => {
      const handles = [...(await api.handlesOf('alice@example.com')), ...(await api.handlesOf('root@example.com')), ...(await api.handlesOf('staff@example.com'))];
      const res = await changesNothing(() => api.bulk(staff, A.endSelected, handles, 'GET'));
      expect(res.status).to.equal(200);
      const info = res.json.records.map((r: any) => [r.title.split(' — ')[0], r.singleSession])
        .sort((a: string[], b: string[]) => a[0]!.localeCompare(b[0]!));
      const [alice, root, staffId] = (await Promise.all(['alice', 'root', 'staff'].map((u) => f.userId(`${u}@example.com`)))).map(String);
      // `sessions`: what confirming ends — each row is one session; a refused one and the admin's own end none.
      expect(info).to.deep.equal([
        ['alice@example.com', { kind: 'session', isAdmin: false, isSelf: false, outcome: 'logout', userId: alice, sessions: 1 }],
        ['alice@example.com', { kind: 'session', isAdmin: false, isSelf: false, outcome: 'logout', userId: alice, sessions: 1 }],
        ['root@example.com', { kind: 'session', isAdmin: true, isSelf: false, outcome: 'forbidden', permission: P.logoutAll, userId: root, sessions: 0 }],
        ['staff@example.com', { kind: 'session', isAdmin: false, isSelf: true, outcome: 'logout', userId: staffId, sessions: 0 }],
      ]);
      expect(res.text).not.to.include('passwordHash');
    });

    it('GET of the record action is a preview too', async () => {
      const [handle] = await api.handlesOf('bob@example.com');
      const res = await changesNothing(() => api.record(admin, A.endOne, handle!, 'GET'));
      expect(res.json.record.singleSession).to.deep.equal({
        kind: 'session', isAdmin: false, isSelf: false, outcome: 'logout', userId: String(await f.userId('bob@example.com')), sessions: 1,
      });
    });

    it('the list shows every live session, most recently seen first, and never a sid or a password hash', async () => {
      // Distinct last-seen times, in an order unlike the handles'.
      for (const { id } of await rows<{ id: unknown }>(f.sequelize, 'SELECT id FROM "UserSessions"')) {
        const handle = Number(id);
        await run(f.sequelize, `UPDATE "UserSessions" SET "lastSeenAt" = ${ago(f.sequelize, ((handle % 3) * 60 + handle) * 1000)} WHERE id = ${handle}`);
      }
      const res = await changesNothing(() => api.list(admin));
      expect(res.status).to.equal(200);
      const records: any[] = res.json.records;
      expect(records).to.have.length(await f.count('UserSessions'));
      const seen = records.map((r) => Date.parse(r.params.lastSeenAt));
      expect(seen).to.deep.equal([...seen].sort((a, b) => b - a));
      expect(Object.keys(records[0].params).sort()).to.deep.equal(
        ['browser', 'createdAt', 'device', 'expires', 'id', 'ip', 'lastSeenAt', 'os', 'userAgent', 'userId']);
      expect(records.map((r) => r.populated.userId.title)).to.include.members(['alice@example.com', 'root@example.com']);
      for (const b of [admin, staff, ...[...sites.values()].flat()]) expect(res.text).not.to.include(sidOf(b.cookie('sid')));
      expect(res.text).not.to.include('"sid"');
      expect(res.text).not.to.include('passwordHash');
      // The show page neither.
      const show = await admin.get(`/admin/api/resources/ActiveSessions/records/${records[0].id}/show`);
      expect(show.status).to.equal(200);
      expect(show.text).not.to.include('passwordHash');
      expect(show.text).not.to.include('"sid"');
    });

    it('filters by user', async () => {
      const aliceId = await f.userId('alice@example.com');
      const res = await api.list(admin, `&filters.userId=${aliceId}`);
      expect(res.json.records.map((r: any) => r.params.userId)).to.deep.equal([aliceId, aliceId]);
      // A filter value that cannot be a user id, however spelled, gets a 400 with a notice, not a database error.
      for (const [query, value] of [['filters.userId=abc', 'abc'], ['filters.userId=99999999999999', '99999999999999'], ['filters[userId]=abc', 'abc']]) {
        const refused = await api.list(admin, `&${query}`);
        expect(refused.status, query).to.equal(400);
        expect(refused.json.records).to.deep.equal([]);
        expect(refused.json.notice).to.deep.include({ type: 'error', message: 'singleSessionBadParameter', options: { name: 'filters.userId', value } });
      }
      // A user without sessions: an empty list.
      const bob = await f.userId('bob@example.com');
      await run(f.sequelize, `DELETE FROM "Sessions" WHERE sid IN (SELECT sid FROM "UserSessions" WHERE "userId" = ${bob})`);
      expect((await api.list(admin, `&filters.userId=${bob}`)).json.records).to.deep.equal([]);
    });

    it('an admin without a single_session permission cannot list sessions', async () => {
      const clerk = await f.adminLogin('clerk@example.com');
      const res = await clerk.get('/admin/api/resources/ActiveSessions/actions/list');
      expect(res.json.notice).to.deep.equal({ message: 'forbiddenError', type: 'error' });
      expect(res.json.records).to.deep.equal([]);
      expect(res.text).not.to.include('alice@example.com');
    });

    it('new, edit and delete are refused', async () => {
      const [handle] = await api.handlesOf('bob@example.com');
      for (const [method, path] of [
        ['POST', '/actions/new'], ['POST', `/records/${handle}/edit`], ['POST', `/records/${handle}/delete`], ['POST', `/bulk/bulkDelete?recordIds=${handle}`],
      ] as const) {
        const res = await changesNothing(() => admin.request(method, `/admin/api/resources/ActiveSessions${path}`, { form: { ip: '1.2.3.4' } }));
        expect(res.json.notice, `${method} ${path}`).to.deep.equal({ message: 'forbiddenError', type: 'error' });
      }
    });

    it('bad handles get a clear answer and change nothing', async () => {
      const [alice] = await api.handlesOf('alice@example.com');
      const cases: Array<[() => ReturnType<Browser['request']>, number, string]> = [
        [() => api.bulk(admin, A.endSelected, ['abc']), 400, 'singleSessionInvalidIds'],
        [() => api.bulk(admin, A.endSelected, [alice!, '1e3']), 400, 'singleSessionInvalidIds'],
        [() => api.bulk(admin, A.endSelected, ['99999999999999999999']), 400, 'singleSessionInvalidIds'],
        [() => api.bulk(admin, A.endSelected, ['987654321']), 404, 'singleSessionUnknownRecords'],
        [() => api.bulk(admin, A.endSelected, [alice!, '987654321']), 200, 'singleSessionUnknownRecords'],
        [() => api.bulk(admin, A.endSelected, []), 400, 'singleSessionEmptySelection'],
        [() => api.record(admin, A.endOne, 'abc'), 400, 'singleSessionInvalidIds'],
      ];
      for (const [request, status, message] of cases) {
        const res = await changesNothing(request);
        expect(res.status, res.text.slice(0, 200)).to.equal(status);
        expect(res.json.notice).to.include({ type: 'error', message });
      }
    });

    it('the model itself turns impossible handles and user ids into "no such row" (for hosts without the guard)', async () => {
      const model = f.singleSession.models.ActiveSession;
      expect(await model.findByPk('abc')).to.equal(null);
      expect(await model.findByPk('99999999999999999999')).to.equal(null);
      const [alice] = await api.handlesOf('alice@example.com');
      const found = await model.findAll({ where: { id: [alice!, 'x', '-1; DROP TABLE "Users"'] } });
      expect(found.map((r) => String(r.get('id')))).to.deep.equal([alice]);
      expect(await model.count({ where: { userId: 'abc' } })).to.be.a('number');
      expect(await model.findAll({ where: { userId: 'abc' } })).to.deep.equal([]);
    });
  });
});
