/**
 * Where the package's resources sit in AdminJS's menu, and how the audit trail names people — over HTTP against the
 * demo's AdminJS. Without a `navigation` option AdminJS groups a resource under its database's name ("127 0 0 1"
 * for a local server); the audit list showed "Length: 2" and raw ids for the users and the actor.
 */
import { expect } from 'chai';
import AdminJS from 'adminjs';
import { SingleSessionConfigError } from '../../src/index.js';
import { auditResource, guardAdminRequests, sessionsResource } from '../../src/adminjs.js';
import { createAdminFixture, type AdminFixture } from '../support/admin.js';
import { hashPassword } from '../support/fixture.js';
import type { Browser } from '../support/http.js';
import { run } from '../support/sql.js';

/** AdminJS's initial state, as the panel's HTML page carries it. */
async function reduxState(b: Browser): Promise<{ resources: Array<{ id: string; navigation: unknown }> }> {
  const page = await b.get('/admin');
  const json = /window\.REDUX_STATE = (\{.*?\});\n/s.exec(page.text)?.[1];
  expect(json, `the panel page carries its state (status ${page.status})`).to.be.a('string');
  return JSON.parse(json!);
}

describe('AdminJS menu group and the audit trail\'s names (over HTTP)', function () {
  this.timeout(180_000);
  let f: AdminFixture;
  const EXTRA = ['carol', 'dave', 'erin', 'frank'].map((name) => `${name}@example.com`);

  before(async () => {
    f = await createAdminFixture({ singleUserSession: false, logoutAllSessions: false, audit: true });
    for (const email of EXTRA) await f.User.create({ email, isAdmin: false, permissions: [], passwordHash: hashPassword('password') });
  });
  beforeEach(async () => {
    await run(f.sequelize, 'DELETE FROM "Sessions"');
    await run(f.sequelize, 'DELETE FROM "SessionAuditEvents"');
  });
  after(async () => f?.close());

  describe('navigation', () => {
    it('the Sessions and audit resources are in the "Sessions" group by default, not one named after the database', async () => {
      const { resources } = await reduxState(await f.adminLogin('admin@example.com'));
      const navigation = Object.fromEntries(resources.map((r) => [r.id, r.navigation]));
      expect(navigation.ActiveSessions).to.deep.equal({ name: 'Sessions', icon: 'Shield', show: true });
      expect(navigation.SessionAuditEvents).to.deep.equal({ name: 'Sessions', icon: 'Shield', show: true });
    });

    it('`navigation` puts them where the host says: a group of its own, the top level, or out of the menu', () => {
      const singleSession = f.singleSession;
      const admin = new AdminJS({
        resources: [
          { resource: f.User, options: { id: 'User' } },
          sessionsResource({ singleSession, navigation: { name: 'Security', icon: 'Key' } }),
          auditResource({ singleSession, navigation: false }),
        ],
      });
      const of = (id: string) => admin.resources.find((r) => r.decorate().id() === id)!.decorate().getNavigation();
      expect(of('ActiveSessions')).to.deep.equal({ name: 'Security', icon: 'Key', show: true });
      expect(of('SessionAuditEvents')).to.include({ show: false });
      const top = new AdminJS({ resources: [sessionsResource({ singleSession, navigation: null })] });
      expect(top.resources[0]!.decorate().getNavigation()).to.equal(null);
    });

    it('a wrong `navigation` fails at start-up and says what it takes', () => {
      const singleSession = f.singleSession;
      for (const navigation of [42, '', true, { name: 7 }, { name: 'Security', colour: 'red' }, { icon: '' }, ['Sessions']]) {
        expect(() => sessionsResource({ singleSession, navigation: navigation as never }), JSON.stringify(navigation))
          .to.throw(SingleSessionConfigError, /sessionsResource: `navigation` must be .*\{ name: 'Sessions', icon: 'Shield' \}.*false to leave it out/);
        expect(() => auditResource({ singleSession, navigation: navigation as never })).to.throw(SingleSessionConfigError, /auditResource: `navigation`/);
      }
    });
  });

  describe('the audit trail names users and actors by their title', () => {
    const api = '/admin/api/resources/SessionAuditEvents';

    it('the list: the actor and the first users by title (id and title only), the rest counted; ids that are no user\'s as they are', async () => {
      const everyone = ['alice@example.com', 'bob@example.com', 'staff@example.com', ...EXTRA];
      for (const email of everyone) await f.siteLogin(email);
      const ids = await Promise.all(everyone.map((email) => f.userId(email)));
      const root = await f.userId('admin@example.com');
      await f.singleSession.endUserSessions(ids, { actorId: root }); // one event, seven users
      await f.siteLogin('alice@example.com');
      await f.singleSession.endUserSessions([ids[0]!], { actorId: 'nightly-job' }); // an actor the host named itself

      const admin = await f.adminLogin('admin@example.com');
      const res = await admin.get(`${api}/actions/list?filters.reason=revoked`);
      expect(res.status, res.text.slice(0, 300)).to.equal(200);
      const [byJob, byAdmin] = res.json.records;
      // The stored ids are untouched.
      expect(byAdmin.params.actorId).to.equal(String(root));
      expect(Object.keys(byAdmin.params).filter((k) => k.startsWith('userIds.'))).to.have.length(7);
      // Titles for the actor and the first five users; id and title only (the user's other columns never leave).
      expect(byAdmin.populated.actorId).to.deep.include({ id: String(root), title: 'admin@example.com', params: {} });
      const emailOf = new Map(ids.map((id, i) => [String(id), everyone[i]]));
      const stored = [0, 1, 2, 3, 4, 5, 6].map((i) => String(byAdmin.params[`userIds.${i}`]));
      expect(stored.map((id, i) => byAdmin.populated[`userIds.${i}`]?.title ?? null))
        .to.deep.equal([...stored.slice(0, 5).map((id) => emailOf.get(id)), null, null]);
      expect(`userIds.5` in byAdmin.populated, 'users past the first five are not looked up').to.equal(false);
      expect(res.text).not.to.contain('passwordHash');
      // "nightly-job" is no user id: no lookup for it (no database error), shown as it is.
      expect(byJob.params.actorId).to.equal('nightly-job');
      expect(byJob.populated.actorId ?? null).to.equal(null);
      expect(byJob.populated['userIds.0'].title).to.equal('alice@example.com');
    });

    it('the show page: up to a hundred users by title', async () => {
      const everyone = ['alice@example.com', 'bob@example.com', 'staff@example.com', ...EXTRA];
      for (const email of everyone) await f.siteLogin(email);
      const ids = await Promise.all(everyone.map((email) => f.userId(email)));
      const emailOf = new Map(ids.map((id, i) => [String(id), everyone[i]]));
      await f.singleSession.endUserSessions(ids);
      const admin = await f.adminLogin('admin@example.com');
      const list = await admin.get(`${api}/actions/list?filters.reason=revoked`);
      const [event] = list.json.records;
      const show = await admin.get(`${api}/records/${event.id}/show`);
      expect(show.status).to.equal(200);
      const stored = everyone.map((_, i) => String(show.json.record.params[`userIds.${i}`]));
      expect(stored.map((_, i) => show.json.record.populated[`userIds.${i}`]?.title)).to.deep.equal(stored.map((id) => emailOf.get(id)));
      expect(show.json.record.params.actorId ?? null, 'ended by the system: no actor').to.equal(null);
    });

    it('the guard finds an audit resource whose user resource does not exist', () => {
      const admin = new AdminJS({ resources: [auditResource({ singleSession: f.singleSession, userResourceId: 'Members' })] });
      expect(() => guardAdminRequests({ admin, singleSession: f.singleSession }))
        .to.throw(SingleSessionConfigError, /auditResource: there is no AdminJS resource with the id "Members".*auditResource\(\{ singleSession, userResourceId \}\)/);
    });
  });
});
