/**
 * The NestJS host (examples/nestjs-app) over HTTP: Nest's Express platform, AdminJS through @adminjs/nestjs, users
 * in a TypeORM entity shown through @adminjs/typeorm, the engine's tables in the same PostgreSQL through Sequelize.
 * The database is checked after every call that may end sessions.
 */
import { expect } from 'chai';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Sequelize } from 'sequelize';
import { connect, postgresOnly, testDatabase } from '../support/database.js';
import { Browser } from '../support/http.js';
import { startNestApp, type RunningNestApp } from '../support/nestjs.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const api = '/admin/api/resources';
const LOGOUT_USERS = 'logoutUserOnAllSessions';
const LOGOUT_ALL = 'logoutAllUsersOnAllSessions';
const EMAILS = ['admin', 'manager', 'staff', 'alice', 'bob'] as const;
type Who = (typeof EMAILS)[number];

describe('NestJS host with a TypeORM User resource (examples/nestjs-app)', function () {
  this.timeout(180_000);
  postgresOnly(this, 'the NestJS example is configured for PostgreSQL (TypeORM postgres driver)');
  let app: RunningNestApp;
  let sequelize: Sequelize;
  const id = {} as Record<Who, number>;

  before(async function () {
    const db = await testDatabase();
    app = await startNestApp(db.url);
    console.log(`      the NestJS example started in ${Math.round(app.readyMs)} ms`);
    sequelize = connect(db.url, 2);
    const [rows] = await sequelize.query('SELECT id, email FROM "Users"');
    for (const row of rows as Array<{ id: number; email: string }>) id[row.email.split('@')[0] as Who] = row.id;
    expect(Object.keys(id).sort()).to.deep.equal([...EMAILS].sort());
  });

  after(async () => {
    await sequelize?.close();
    await app?.stop();
  });

  beforeEach(async () => {
    await sequelize.query('DELETE FROM "Sessions"'); // every test starts with nobody signed in
  });

  const browser = () => new Browser(app.baseUrl);

  async function siteLogin(who: Who): Promise<Browser> {
    const b = browser();
    const res = await b.login(`${who}@example.com`);
    expect(res.status, res.text).to.equal(200);
    return b;
  }

  async function adminLogin(who: Who): Promise<Browser> {
    const b = browser();
    const res = await b.request('POST', '/admin/login', { form: { email: `${who}@example.com`, password: 'password' } });
    expect(res.status, `${who}: ${res.text.slice(0, 200)}`).to.equal(302);
    expect(res.headers.get('location')).to.equal('/admin');
    return b;
  }

  /** Live sessions per user, as the UserSessions table has them. */
  async function sessions(): Promise<Record<Who, number>> {
    const [rows] = await sequelize.query('SELECT "userId", count(*)::int AS n FROM "UserSessions" GROUP BY "userId"');
    const byId = new Map((rows as Array<{ userId: number; n: number }>).map((r) => [r.userId, r.n]));
    return Object.fromEntries(EMAILS.map((who) => [who, byId.get(id[who]) ?? 0])) as Record<Who, number>;
  }

  const bulk = (b: Browser, action: string, who: Who[], method: 'GET' | 'POST' = 'POST') =>
    b.request(method, `${api}/User/bulk/${action}?recordIds=${who.map((w) => id[w]).join(',')}`);

  /** A response our code sent about users: no password hash in any form. */
  function expectNoSecrets(res: { text: string }): void {
    expect(res.text).not.to.include('passwordHash');
    expect(res.text).not.to.match(/\$2[aby]\$/);
  }

  it('site: a second login ends the first, whose next request is told why (replaced)', async () => {
    const first = await siteLogin('alice');
    expect((await first.get('/me')).json).to.deep.equal({ id: id.alice, email: 'alice@example.com' });
    const second = await siteLogin('alice');
    expect(await sessions()).to.include({ alice: 1 });

    const kicked = await first.get('/me');
    expect(kicked.status).to.equal(401);
    expect(kicked.json).to.deep.equal({ error: 'You were signed out because your account signed in on another device.', reason: 'replaced' });
    expect((await second.get('/me')).json.email).to.equal('alice@example.com');

    const wrong = await browser().login('alice@example.com', 'not the password');
    expect(wrong.status).to.equal(401);
    expect(await sessions()).to.include({ alice: 1 });

    expect((await second.post('/logout')).json).to.deep.equal({ ok: true, sessionsEnded: 1 });
    expect((await second.get('/me')).status).to.equal(401);
    expect(await sessions()).to.include({ alice: 0 });
  });

  it('AdminJS login: admin, manager and staff get in (one session each); plain users and wrong passwords are refused', async () => {
    for (const who of ['admin', 'manager', 'staff'] as const) await adminLogin(who);
    for (const [who, password] of [['alice', 'password'], ['bob', 'password'], ['staff', 'wrong']] as const) {
      const b = browser();
      const res = await b.request('POST', '/admin/login', { form: { email: `${who}@example.com`, password } });
      expect(res.status, who).to.equal(200); // the login page again, with its error
      expect(res.text).to.include('invalidCredentials');
      expect((await b.get(`${api}/User/actions/list`)).status).to.equal(302);
    }
    expect(await sessions()).to.deep.equal({ admin: 1, manager: 1, staff: 1, alice: 0, bob: 0 });
  });

  it(`${LOGOUT_USERS}: GET previews and changes nothing; POST by staff ends the plain users' sessions and skips the admin`, async () => {
    const site = { admin: await siteLogin('admin'), alice: await siteLogin('alice'), bob: await siteLogin('bob') };
    const staff = await adminLogin('staff');
    const before = await sessions();
    expect(before).to.deep.equal({ admin: 1, manager: 0, staff: 1, alice: 1, bob: 1 });

    const preview = await bulk(staff, LOGOUT_USERS, ['admin', 'alice', 'bob'], 'GET');
    expect(preview.status).to.equal(200);
    const outcome = Object.fromEntries(preview.json.records.map((r: any) => [r.title, r.singleSession.outcome]));
    expect(outcome).to.deep.equal({ 'admin@example.com': 'skipped-admin', 'alice@example.com': 'logout', 'bob@example.com': 'logout' });
    for (const r of preview.json.records) expect(r.params).to.deep.equal({}); // no column of the user record
    expectNoSecrets(preview);
    expect(await sessions()).to.deep.equal(before);

    const done = await bulk(staff, LOGOUT_USERS, ['admin', 'alice', 'bob']);
    expect(done.json.notice).to.deep.include({ type: 'success', options: { sessions: 2, users: 2, skipped: 1 } });
    expect(await sessions()).to.deep.equal({ admin: 1, manager: 0, staff: 1, alice: 0, bob: 0 });
    expect((await site.alice.get('/me')).json).to.deep.include({ reason: 'revoked' });
    expect((await site.bob.get('/me')).json).to.deep.include({ reason: 'revoked' });
    expect((await site.admin.get('/me')).status).to.equal(200);
  });

  it(`${LOGOUT_ALL} needs single_session.logout_all: refused for staff, done for manager (admins included)`, async () => {
    const site = { admin: await siteLogin('admin'), alice: await siteLogin('alice') };
    const staff = await adminLogin('staff');
    const manager = await adminLogin('manager');
    const before = await sessions();

    for (const method of ['GET', 'POST'] as const) {
      const refused = await bulk(staff, LOGOUT_ALL, ['admin', 'alice'], method);
      expect(refused.status).to.be.below(500);
      expect(refused.json.notice).to.include({ type: 'error' });
      expect(refused.json.records).to.deep.equal([]);
      expect(await sessions(), method).to.deep.equal(before);
    }

    const done = await bulk(manager, LOGOUT_ALL, ['admin', 'alice']);
    expect(done.json.notice).to.deep.include({ type: 'success', options: { sessions: 2, users: 2, skipped: 0 } });
    expect(await sessions()).to.deep.equal({ ...before, admin: 0, alice: 0 });
    expect((await site.admin.get('/me')).json).to.deep.include({ reason: 'revoked' });
    expect((await site.alice.get('/me')).json).to.deep.include({ reason: 'revoked' });
  });

  it('a kicked admin-panel session is out: its next API request is not logged in, and the login page says why', async () => {
    const staff = await adminLogin('staff');
    const manager = await adminLogin('manager');
    expect((await staff.get(`${api}/User/actions/list`)).status).to.equal(200);

    const done = await bulk(manager, LOGOUT_ALL, ['staff']);
    expect(done.json.notice).to.deep.include({ type: 'success', options: { sessions: 1, users: 1, skipped: 0 } });
    expect(await sessions()).to.include({ staff: 0, manager: 1 });

    const next = await staff.get(`${api}/User/actions/list`);
    expect(next.status).to.equal(302);
    expect(next.headers.get('location')).to.equal('/admin/login');
    const login = await staff.get('/admin/login');
    expect(login.text).to.include('singleSessionEndedRevoked');
    // The same old cookie cannot bring the session back.
    expect((await staff.get(`${api}/User/actions/list`)).status).to.equal(302);
    expect(await sessions()).to.include({ staff: 0 });
  });

  it("the loader puts the package's guards in front of AdminJS: bad or unknown ids are refused with a clear answer, cross-site logouts get a 403, nothing changes", async () => {
    await siteLogin('alice');
    const admin = await adminLogin('admin');
    const before = await sessions();
    for (const method of ['GET', 'POST']) {
      const invalid = await admin.request(method, `${api}/User/bulk/${LOGOUT_ALL}?recordIds=${id.alice},abc`);
      expect(invalid.status, method).to.equal(400);
      expect(invalid.json.notice).to.include({ type: 'error', message: 'singleSessionInvalidIds' });
      const unknown = await admin.request(method, `${api}/User/bulk/${LOGOUT_ALL}?recordIds=999999`);
      expect(unknown.status, method).to.equal(404);
      expect(unknown.json.notice).to.include({ type: 'error', message: 'singleSessionUnknownRecords' });
      const mixed = await admin.request(method, `${api}/User/bulk/${LOGOUT_ALL}?recordIds=${id.alice},999999`);
      expect(mixed.json.notice).to.include({ type: 'error', message: 'singleSessionUnknownRecords' }); // refused whole
    }
    const crossSite = await admin.request('GET', '/admin/logout', { headers: { origin: 'https://elsewhere.example' } });
    expect(crossSite.status).to.equal(403);
    expect(await sessions()).to.deep.equal(before);
    expect((await admin.get(`${api}/User/actions/list`)).status).to.equal(200);
  });

  it("the per-user sessions panel's action lists a user's sessions, without sids or secrets", async () => {
    await siteLogin('bob');
    const admin = await adminLogin('admin');
    const res = await admin.get(`${api}/User/records/${id.bob}/singleSessionSessions`);
    expect(res.status).to.equal(200);
    expect(res.json.record).to.include({ id: String(id.bob), title: 'bob@example.com' });
    expect(res.json.sessions).to.have.length(1);
    expect(res.json.sessions[0]).to.include({ userId: String(id.bob), current: false });
    expect(res.json.sessions[0]).not.to.have.property('sid');
    expectNoSecrets(res);
  });

  it('"My sessions" page: the admin\'s own session, marked current; with one session per user there is nothing else to end', async () => {
    const first = await adminLogin('admin');
    const admin = await adminLogin('admin'); // replaces the first (one session per user)
    expect((await first.get(`${api}/User/actions/list`)).status).to.equal(302);
    const page = await admin.get('/admin/api/pages/mySessions');
    expect(page.json.linked).to.equal(true);
    expect(page.json.sessions).to.have.length(1);
    expect(page.json.sessions[0]).to.include({ userId: String(id.admin), current: true });
    const post = await admin.request('POST', '/admin/api/pages/mySessions');
    expect(post.json.notice).to.include({ type: 'info', message: 'singleSessionNoOtherSessions' });
    expect(await sessions()).to.include({ admin: 1 });
  });

  it('no action response carries the password hash (list, show, search, bulk and record previews)', async () => {
    const admin = await adminLogin('admin');
    const responses = [
      await admin.get(`${api}/User/actions/list`),
      await admin.get(`${api}/User/records/${id.alice}/show`),
      await admin.get(`${api}/User/actions/search/alice`),
      await admin.get(`${api}/User/records/${id.alice}/logoutOnAllSessions`),
      await bulk(admin, LOGOUT_USERS, ['alice', 'bob'], 'GET'),
      await bulk(admin, 'bulkDelete', ['alice'], 'GET'),
    ];
    for (const res of responses) {
      expect(res.status).to.equal(200);
      expect(res.text).to.include('alice@example.com');
      expectNoSecrets(res);
    }
  });

  it("AdminJS's own actions that change users are for admins only, also when forged", async () => {
    const staff = await adminLogin('staff');
    const edit = await staff.request('POST', `${api}/User/records/${id.alice}/edit`, { form: { isAdmin: 'true' } });
    const del = await bulk(staff, 'bulkDelete', ['bob']);
    for (const res of [edit, del]) expect(res.json.notice).to.include({ type: 'error', message: 'forbiddenError' });
    const [rows] = await sequelize.query('SELECT email, "isAdmin" FROM "Users" WHERE email IN (\'alice@example.com\', \'bob@example.com\') ORDER BY email');
    expect(rows).to.deep.equal([{ email: 'alice@example.com', isAdmin: false }, { email: 'bob@example.com', isAdmin: false }]);
  });

  describe('the Sessions resource over the TypeORM users (the engine has no Sequelize user model)', () => {
    it('lists live sessions with their user, without the user\'s columns', async () => {
      await siteLogin('alice');
      const admin = await adminLogin('admin');
      const list = await admin.get(`${api}/ActiveSessions/actions/list`);
      expect(list.status).to.equal(200);
      const users = list.json.records.map((r: any) => r.populated.userId?.title).sort();
      expect(users).to.deep.equal(['admin@example.com', 'alice@example.com']);
      expectNoSecrets(list);
    });

    it("staff may end a plain user's session but not an admin's; GET changes nothing", async () => {
      await siteLogin('admin');
      await siteLogin('alice');
      const staff = await adminLogin('staff');
      const handles = async (who: Who) => {
        const [rows] = await sequelize.query(`SELECT id::text FROM "UserSessions" WHERE "userId" = ${id[who]}`);
        return (rows as Array<{ id: string }>).map((r) => r.id);
      };
      const [adminHandle] = await handles('admin');
      const [aliceHandle] = await handles('alice');
      const before = await sessions();

      const preview = await staff.get(`${api}/ActiveSessions/records/${aliceHandle}/endSession`);
      expect(preview.status).to.equal(200);
      expect(preview.json.record.singleSession).to.include({ outcome: 'logout', isAdmin: false });
      expect(await sessions()).to.deep.equal(before);

      const refused = await staff.request('POST', `${api}/ActiveSessions/records/${adminHandle}/endSession`);
      expect(refused.status).to.be.below(500);
      expect(refused.json.notice).to.include({ type: 'error' });
      expect(await sessions()).to.deep.equal(before);

      const ended = await staff.request('POST', `${api}/ActiveSessions/records/${aliceHandle}/endSession`);
      expect(ended.json.notice).to.deep.include({ type: 'success', options: { sessions: 1, users: 1 } });
      expect(await sessions()).to.deep.equal({ ...before, alice: 0 });
      expectNoSecrets(ended);
    });
  });
});

describe('docs/nestjs.md: its code is the example\'s code', () => {
  it('every line of its TypeScript blocks is in examples/nestjs-app/src', () => {
    const guide = readFileSync(path.join(root, 'docs', 'nestjs.md'), 'utf8');
    const blocks = [...guide.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(blocks.length).to.be.above(2);
    const srcDir = path.join(root, 'examples', 'nestjs-app', 'src');
    const source = readdirSync(srcDir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .map((f) => readFileSync(path.join(srcDir, f), 'utf8'))
      .join('\n');
    const lines = new Set(source.split('\n').map((l) => l.trim()));
    // An elision (`// …`) marks trimmed code.
    const shown = blocks.flatMap((block) => block.split('\n').map((l) => l.trim())).filter((l) => l !== '' && !l.startsWith('// …'));
    expect(shown.filter((line) => !lines.has(line)), 'docs/nestjs.md lines that are not in the example\'s source').to.deep.equal([]);
  });
});
