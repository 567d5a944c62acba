/**
 * The permission matrix, over HTTP against the demo's AdminJS on the test database: every actor × every action ×
 * every kind of target. Each case logs the targets into the site (one session each), runs the action as the actor,
 * and checks the rows (Sessions, UserSessions) and every target's cookie (`/me`: revoked, or still logged in).
 * The expectation comes from a small oracle written from the rules, not from the implementation.
 */
import { expect } from 'chai';
import { SINGLE_SESSION_PERMISSIONS as P } from '../../src/adminjs.js';
import { ACTIONS as A } from '../../src/adminjs/actions.js';
import { createAdminFixture, type AdminFixture } from '../support/admin.js';
import { hashPassword } from '../support/fixture.js';
import type { Browser } from '../support/http.js';
import { run } from '../support/sql.js';

type Actor = 'admin' | 'manager' | 'staff' | 'clerk';
type Targets = 'plain' | 'admins' | 'mixed' | 'self';
type Action = (typeof A)[keyof typeof A];

const EMAIL: Record<Actor, string> = {
  admin: 'admin@example.com',
  manager: 'manager@example.com',
  staff: 'staff@example.com',
  clerk: 'clerk@example.com', // holds only an unrelated permission: may log in, may not end sessions
};
const HOLDS: Record<Actor, string[]> = {
  admin: [P.logout, P.logoutAll], // isAdmin holds every permission
  manager: [P.logout, P.logoutAll],
  staff: [P.logout],
  clerk: [],
};
const TARGETS: Record<Targets, (actor: Actor) => string[]> = {
  plain: () => ['alice@example.com', 'bob@example.com'],
  admins: () => ['root@example.com'],
  mixed: () => ['alice@example.com', 'root@example.com'],
  self: (actor) => [EMAIL[actor]],
};
const ADMINS = new Set(['admin@example.com', 'root@example.com']);

/** What the rules say happens to one target: ended, spared (skipped), or the whole request refused. */
function oracle(action: Action, actor: Actor, targetIsAdmin: boolean): 'ended' | 'spared' | 'refused' {
  const holds = (p: string) => HOLDS[actor].includes(p);
  if (action === A.logoutUsers) return !holds(P.logout) ? 'refused' : targetIsAdmin ? 'spared' : 'ended';
  if (action === A.logoutAll) return holds(P.logoutAll) ? 'ended' : 'refused';
  return (targetIsAdmin ? holds(P.logoutAll) : holds(P.logout) || holds(P.logoutAll)) ? 'ended' : 'refused';
}

describe('AdminJS feature: the permission matrix (over HTTP)', function () {
  this.timeout(180_000);
  let f: AdminFixture;
  const ids = new Map<string, number>();

  before(async () => {
    // Several sessions per user, so that "self" can have a site session besides the admin one.
    f = await createAdminFixture({ singleUserSession: false, logoutAllSessions: false });
    await f.User.bulkCreate([
      { email: 'root@example.com', isAdmin: true, permissions: [], passwordHash: hashPassword('password') },
      { email: 'clerk@example.com', isAdmin: false, permissions: ['other.permission'], passwordHash: hashPassword('password') },
    ]);
    for (const u of await f.User.findAll()) ids.set(u.get('email') as string, u.get('id') as number);
  });
  after(async () => f?.close());

  async function runCase(actor: Actor, action: Action, targets: string[], bulk: boolean) {
    await run(f.sequelize, 'DELETE FROM "Sessions"');
    const admin = await f.adminLogin(EMAIL[actor]);
    const site = new Map<string, Browser>();
    for (const email of targets) site.set(email, await f.siteLogin(email));
    const before = { sessions: await f.count('Sessions'), links: await f.count('UserSessions') };
    expect(before.sessions).to.equal(targets.length + 1);

    const targetIds = targets.map((e) => ids.get(e)!);
    const res = bulk ? await f.bulk(admin, action, targetIds) : await f.record(admin, action, targetIds[0]!);
    expect(res.status, res.text).to.equal(200);

    const outcomes = targets.map((e) => oracle(action, actor, ADMINS.has(e)));
    const refused = outcomes.includes('refused');
    const ended = refused ? 0 : outcomes.filter((o) => o === 'ended').length;
    expect(await f.count('Sessions'), 'Sessions rows').to.equal(before.sessions - ended);
    expect(await f.count('UserSessions'), 'UserSessions rows').to.equal(before.links - ended);
    if (refused) {
      expect(res.json.notice.type).to.equal('error');
    } else if (ended === 0) {
      expect(res.json.notice).to.include({ type: 'info', message: 'singleSessionNothingDone' });
    } else {
      expect(res.json.notice.type).to.equal('success');
      expect(res.json.notice.options).to.include({ sessions: ended, users: ended, skipped: outcomes.filter((o) => o === 'spared').length });
      const self = targets.includes(EMAIL[actor]);
      expect(res.json.notice.message).to.equal(self ? 'singleSessionDoneKeptOwn' : 'singleSessionDone');
    }

    // Each target's cookie, over HTTP: an ended one is told "revoked", a spared one is still logged in.
    for (const [i, email] of targets.entries()) {
      const me = await site.get(email)!.get('/me');
      if (!refused && outcomes[i] === 'ended') expect(me.json, `${email} should be logged out`).to.deep.include({ reason: 'revoked' });
      else expect(me.status, `${email} should still be logged in`).to.equal(200);
    }
    // The actor's own current session always survives.
    expect((await admin.get('/me')).status, 'the acting admin stays logged in').to.equal(200);
  }

  for (const actor of ['admin', 'manager', 'staff', 'clerk'] as const) {
    describe(`actor: ${actor} (${HOLDS[actor].join(', ') || 'no single_session permission'})`, () => {
      for (const action of [A.logoutUsers, A.logoutAll]) {
        for (const targets of ['plain', 'admins', 'mixed', 'self'] as const) {
          const expected = TARGETS[targets](actor).map((e) => oracle(action, actor, ADMINS.has(e))).join(', ');
          it(`bulk ${action} on ${targets} users → ${expected}`, () => runCase(actor, action, TARGETS[targets](actor), true));
        }
      }
      for (const targets of ['plain', 'admins', 'self'] as const) {
        const email = TARGETS[targets](actor)[0]!;
        it(`record ${A.logoutOne} on a ${targets} user → ${oracle(A.logoutOne, actor, ADMINS.has(email))}`,
          () => runCase(actor, A.logoutOne, [email], false));
      }

      it('sees exactly the actions it may run', async () => {
        const admin = await f.adminLogin(EMAIL[actor]);
        const list = await admin.get('/admin/api/resources/User/actions/list?perPage=50');
        expect(list.status).to.equal(200);
        const byEmail = new Map<string, any>(list.json.records.map((r: any) => [r.params.email, r]));
        const bulkNames = (email: string) => byEmail.get(email).bulkActions.map((a: any) => a.name);
        const recordNames = (email: string) => byEmail.get(email).recordActions.map((a: any) => a.name);
        const holds = (p: string) => HOLDS[actor].includes(p);
        expect(bulkNames('alice@example.com').includes(A.logoutUsers)).to.equal(holds(P.logout));
        expect(bulkNames('alice@example.com').includes(A.logoutAll)).to.equal(holds(P.logoutAll));
        expect(recordNames('alice@example.com').includes(A.logoutOne)).to.equal(holds(P.logout) || holds(P.logoutAll));
        expect(recordNames('root@example.com').includes(A.logoutOne)).to.equal(holds(P.logoutAll));
      });
    });
  }

});

describe('AdminJS feature: a host permission rule', () => {
  it('a host `can` function replaces the default rule (and is enforced on the server)', async () => {
    const g = await createAdminFixture({ singleUserSession: false }, { can: (admin, permission) => admin?.email === 'staff@example.com' && permission === P.logoutAll });
    try {
      const aliceId = await g.userId('alice@example.com');
      const adminId = await g.userId('admin@example.com');
      // admin@ holds every permission by default, but not under this rule.
      const admin = await g.adminLogin('admin@example.com');
      const alice = await g.siteLogin('alice@example.com');
      const refused = await g.bulk(admin, A.logoutAll, [aliceId]);
      expect(refused.json.notice.type).to.equal('error');
      expect((await alice.get('/me')).status).to.equal(200);
      // staff@ holds only `logout` by its list, but logout_all under this rule: may log the admin out.
      const staff = await g.adminLogin('staff@example.com');
      const adminSite = await g.siteLogin('admin@example.com');
      const done = await g.bulk(staff, A.logoutAll, [adminId]);
      expect(done.json.notice).to.include({ type: 'success' });
      expect((await adminSite.get('/me')).json).to.deep.include({ reason: 'revoked' });
    } finally {
      await g.close();
    }
  });
});
