/**
 * The package as a user installs it: `npm pack`, then the tarball installed into a scratch copy of
 * examples/express-app (an ordinary AdminJS app wired exactly as docs/install.md says, with its own User
 * model holding secrets and no `after` hooks of its own for our actions), migrated with sequelize-cli as the guide
 * says, started as a child process and driven over HTTP and in Chromium.
 *
 * On DATABASE_URL it gets its own scratch database on that server (PostgreSQL, or MariaDB: then the app also
 * installs the `mariadb` driver); without it, an in-memory embedded PostgreSQL served by this process.
 */
import { expect } from 'chai';
import bcrypt from 'bcryptjs';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chromium, type Browser as Chromium } from 'playwright-core';
import type { Sequelize } from 'sequelize';
import { connect, scratchDatabase, type TestDatabase } from '../support/database.js';
import { Browser } from '../support/http.js';
import { count, now, rows, run as runSql } from '../support/sql.js';
import { installExampleApp, run, since } from './support.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const PASSWORD = 'correct horse battery staple';
const MISSING_COMPONENT = 'You have to implement action component';

/** The app's users, each with secrets that none of our actions may send (values unique to this run). */
const nonce = randomBytes(4).toString('hex');
const PEOPLE = [
  { key: 'ada', email: 'ada@corp.test', fullName: `Ada Lovelace ${nonce}`, role: 'admin' },
  { key: 'sam', email: 'sam@corp.test', fullName: `Sam Support ${nonce}`, role: 'support' },
  { key: 'alice', email: 'alice@corp.test', fullName: `Alice Member ${nonce}`, role: 'member' },
  { key: 'bob', email: 'bob@corp.test', fullName: `Bob Member ${nonce}`, role: 'member' },
].map((p) => ({ ...p, apiToken: `tok_${randomBytes(12).toString('hex')}`, passwordDigest: bcrypt.hashSync(PASSWORD, 4), id: 0 }));
type Person = (typeof PEOPLE)[number];
const person = (key: string) => PEOPLE.find((p) => p.key === key)!;

/** Columns of the app's Users table that the confirmation and session pages do not show (id and email they do). */
const HIDDEN_USER_FIELDS = ['fullName', 'passwordDigest', 'apiToken', 'role', 'createdAt', 'updatedAt'];
const SHOWN_USER_FIELDS = ['id', 'email'];

interface Captured { label: string; status: number; text: string; json: any; userRecords: boolean }

/**
 * Where a response gives away a user field: a secret's value anywhere in the body; a hidden column's name as a
 * key of a user record's params (the records of the User resource, and any populated reference); the names of
 * the secret columns anywhere.
 */
export function leaksIn(response: Captured): string[] {
  const found: string[] = [];
  for (const p of PEOPLE) {
    for (const field of ['fullName', 'passwordDigest', 'apiToken'] as const) {
      if (response.text.includes(p[field])) found.push(`${p.key}'s ${field} value`);
    }
  }
  for (const name of ['fullName', 'passwordDigest', 'apiToken']) if (response.text.includes(`"${name}"`)) found.push(`the key "${name}"`);
  const userRecord = (record: any, where: string) => {
    for (const key of Object.keys(record?.params ?? {})) {
      if (!SHOWN_USER_FIELDS.includes(key)) found.push(`${where}.params.${key}`);
    }
  };
  const json = response.json ?? {};
  if (response.userRecords) {
    if (json.record) userRecord(json.record, 'record');
    (json.records ?? []).forEach((r: any, i: number) => userRecord(r, `records[${i}]`));
  }
  for (const [i, r] of [json.record, ...(json.records ?? [])].entries()) {
    for (const [key, ref] of Object.entries(r?.populated ?? {})) if (ref) userRecord(ref, `record ${i}.populated.${key}`);
  }
  return found;
}

describe('install: the packed package in examples/express-app', function () {
  this.timeout(600_000);
  let appDir: string;
  let db: TestDatabase;
  let sql: Sequelize;
  let child: ChildProcess | undefined;
  let jsChild: ChildProcess | undefined;
  let output = '';
  let baseUrl: string;
  const responses: Captured[] = [];
  const t0 = performance.now();

  before(async function () {
    let t = performance.now();
    appDir = await installExampleApp();
    console.log(`      built, packed and installed into a copy of examples/express-app in ${since(t)}`);

    t = performance.now();
    db = await scratchDatabase('install');
    // As docs/install.md says: the app's own migrations folder, with the package's re-exported.
    const migrate = await run('npx', ['sequelize-cli', 'db:migrate'], { cwd: appDir, env: { DATABASE_URL: db.url } });
    for (const name of ['single-session', 'active-sessions-view', 'known-devices', 'sessions-at-scale', 'session-locks']) {
      expect(migrate.stdout).to.match(new RegExp(`${name}: migrated`));
    }
    sql = connect(db.url, 2);
    for (const p of PEOPLE) {
      await runSql(sql,
        `INSERT INTO "Users" (email, "fullName", "passwordDigest", "apiToken", role, "createdAt", "updatedAt")
         VALUES ($email, $fullName, $passwordDigest, $apiToken, $role, ${now(sql)}, ${now(sql)})`,
        { bind: { email: p.email, fullName: p.fullName, passwordDigest: p.passwordDigest, apiToken: p.apiToken, role: p.role } },
      );
      p.id = (await rows<{ id: number }>(sql, 'SELECT id FROM "Users" WHERE email = $email', { bind: { email: p.email } }))[0]!.id;
    }
    console.log(`      migrated with sequelize-cli and added ${PEOPLE.length} users in ${since(t)}`);

    t = performance.now();
    ({ child, url: baseUrl } = await startApp(['--import', 'tsx', 'src/app.ts']));
    console.log(`      the app is up in ${since(t)}`);
  });

  after(async function () {
    this.timeout(60_000);
    for (const app of [child, jsChild]) {
      if (!app || app.exitCode !== null) continue;
      const exited = new Promise((resolve) => app.once('exit', resolve));
      app.kill('SIGTERM');
      const timer = setTimeout(() => app.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    await sql?.close();
    await db?.stop();
    console.log(`      install test: ${since(t0)} in all`);
  });

  /**
   * `npm start` (TypeScript: `--import tsx src/app.ts`) or `npm run start:js` (`js/app.js`) of the example without npm
   * in between, configured only through the environment.
   */
  async function startApp(args: string[]): Promise<{ child: ChildProcess; url: string }> {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm_|NODE_ENV$|ADMIN_JS_TMP_DIR$|DATABASE_URL$)/i.test(k)));
    const app = spawn(process.execPath, args, {
      cwd: appDir,
      env: { ...env, DATABASE_URL: db.url, SESSION_SECRET: `install test ${nonce}`, PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let own = '';
    const collect = (chunk: Buffer) => { own += chunk; output += chunk; };
    app.stdout!.on('data', collect);
    app.stderr!.on('data', collect);
    return new Promise((resolve, reject) => {
      app.stdout!.on('data', () => {
        const match = /Listening on (http:\/\/localhost:\d+)\//.exec(own);
        if (match) resolve({ child: app, url: match[1]! });
      });
      app.once('exit', (code) => reject(new Error(`the example app (${args.join(' ')}) exited (${code}) before listening:\n${own}`)));
    });
  }

  /** A POST whose JSON body is malformed (a truncated object), as a broken client or a fuzzer sends it. */
  const malformedJson = (url: string) =>
    fetch(`${url}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email": "ada@corp.test", "pass' });

  const browser = () => new Browser(baseUrl);

  async function siteLogin(p: Person): Promise<Browser> {
    const b = browser();
    const res = await b.login(p.email, PASSWORD);
    expect(res.status, `site login of ${p.email}: ${res.text}`).to.equal(200);
    return b;
  }

  async function adminLogin(p: Person): Promise<Browser> {
    const b = browser();
    const res = await b.request('POST', '/admin/login', { form: { email: p.email, password: PASSWORD } });
    expect([res.status, res.headers.get('location')], `admin login of ${p.email}: ${res.text.slice(0, 200)}`).to.deep.equal([302, '/admin']);
    return b;
  }

  /** A request to one of our actions; its response is kept for the leak scan. */
  async function ours(b: Browser, method: 'GET' | 'POST', path: string, userRecords = path.includes('/resources/User/')) {
    const res = await b.request(method, path, method === 'POST' ? { json: {} } : {});
    responses.push({ label: `${method} ${path}`, status: res.status, text: res.text, json: res.json, userRecords });
    expect(res.status, `${method} ${path}: ${res.text.slice(0, 300)}`).to.be.below(500);
    return res;
  }

  const sessionsOf = (p: Person) => count(sql, 'SELECT count(*) FROM "UserSessions" WHERE "userId" = $id', { bind: { id: p.id } });
  const handlesOf = async (p: Person) =>
    (await rows<{ id: string | number }>(sql, 'SELECT id FROM "UserSessions" WHERE "userId" = $id ORDER BY id', { bind: { id: p.id } })).map((r) => String(r.id));
  const users = (...keys: string[]) => keys.map((k) => person(k).id).join(',');

  it('a malformed JSON body gets a 400 with a JSON error (the client\'s mistake), not a 500', async () => {
    const res = await malformedJson(baseUrl);
    expect(`${res.status} ${res.headers.get('content-type')}`).to.match(/^400 application\/json/);
    expect((await res.json()).error).to.be.a('string').and.not.match(/went wrong/);
    expect(output, 'a client error is not logged as the server\'s').not.to.match(/SyntaxError/);
  });

  it('the same app in JavaScript (js/app.js, no TypeScript anywhere) signs in, ends the first session and answers 400 to a malformed body', async () => {
    let url: string;
    ({ child: jsChild, url } = await startApp(['js/app.js']));
    const js = () => new Browser(url);
    const [first, second] = [js(), js()];
    for (const b of [first, second]) expect((await b.login(person('bob').email, PASSWORD)).status).to.equal(200);
    const me = await first.get('/me');
    expect([me.status, me.json?.reason]).to.deep.equal([401, 'replaced']);
    expect((await second.get('/me')).status).to.equal(200);
    expect((await malformedJson(url)).status).to.equal(400);
    const admin = await js().request('POST', '/admin/login', { form: { email: person('ada').email, password: PASSWORD } });
    expect([admin.status, admin.headers.get('location')]).to.deep.equal([302, '/admin']);
  });

  it('site login: a second login of a user ends the first session, which is told why', async () => {
    const first = await siteLogin(person('alice'));
    const second = await siteLogin(person('alice'));
    const me = await first.get('/me');
    expect([me.status, me.json?.reason]).to.deep.equal([401, 'replaced']);
    expect((await second.get('/me')).status).to.equal(200);
    expect(await sessionsOf(person('alice'))).to.equal(1);
  });

  it('AdminJS login: a second login of an admin ends the first, whose login page says why', async () => {
    const first = await adminLogin(person('ada'));
    await adminLogin(person('ada'));
    const page = await first.get('/admin/resources/User');
    expect([page.status, page.headers.get('location')]).to.deep.equal([302, '/admin/login']);
    const login = await first.get('/admin/login');
    expect(login.text).to.contain('singleSessionEndedReplaced');
    expect(await sessionsOf(person('ada'))).to.equal(1);
  });

  it('bulk logout: the preview changes nothing, the POST ends the selected users\' sessions (admins skipped)', async () => {
    const alice = await siteLogin(person('alice'));
    await siteLogin(person('bob'));
    const sam = await adminLogin(person('sam'));
    const before = { alice: await sessionsOf(person('alice')), bob: await sessionsOf(person('bob')), ada: await sessionsOf(person('ada')) };
    expect(before).to.deep.equal({ alice: 1, bob: 1, ada: 1 });
    const path = `/admin/api/resources/User/bulk/logoutUserOnAllSessions?recordIds=${users('ada', 'alice', 'bob')}`;

    const preview = await ours(sam, 'GET', path);
    const outcomes = Object.fromEntries(preview.json.records.map((r: any) => [r.id, r.singleSession?.outcome]));
    expect(outcomes).to.deep.equal({ [person('ada').id]: 'skipped-admin', [person('alice').id]: 'logout', [person('bob').id]: 'logout' });
    expect({ alice: await sessionsOf(person('alice')), bob: await sessionsOf(person('bob')), ada: await sessionsOf(person('ada')) }).to.deep.equal(before);

    const done = await ours(sam, 'POST', path);
    expect(done.json.notice?.type, done.text).to.equal('success');
    expect({ alice: await sessionsOf(person('alice')), bob: await sessionsOf(person('bob')), ada: await sessionsOf(person('ada')) })
      .to.deep.equal({ alice: 0, bob: 0, ada: 1 });
    const me = await alice.get('/me');
    expect([me.status, me.json?.reason]).to.deep.equal([401, 'revoked']);
  });

  it('AdminJS\'s stock actions that change users are admins only: support cannot make itself an admin', async () => {
    const roleOf = async (p: Person) => (await rows<{ role: string }>(sql, 'SELECT role FROM "Users" WHERE id = $id', { bind: { id: p.id } }))[0]!.role;
    const [admin, sam] = [await adminLogin(person('ada')), await adminLogin(person('sam'))];
    const edit = (p: Person) => `/admin/api/resources/User/records/${p.id}/edit`;
    const refused = await sam.request('POST', edit(person('sam')), { form: { role: 'admin' } });
    expect(refused.json.notice).to.deep.equal({ type: 'error', message: 'forbiddenError' });
    const deleted = await sam.request('POST', `/admin/api/resources/User/records/${person('bob').id}/delete`);
    expect(deleted.json.notice).to.deep.equal({ type: 'error', message: 'forbiddenError' });
    expect([await roleOf(person('sam')), await roleOf(person('bob'))]).to.deep.equal(['support', 'member']);
    const done = await admin.request('POST', edit(person('bob')), { form: { role: 'member' } });
    expect(done.json.notice?.type, done.text.slice(0, 300)).to.equal('success');
  });

  it('no response of our actions carries a user field beyond id, title and the outcome (whatever the resource hides)', async () => {
    const [admin, sam] = [await adminLogin(person('ada')), await adminLogin(person('sam'))];
    await siteLogin(person('alice'));
    await siteLogin(person('bob'));
    const bulk = (action: string, ids: string) => `/admin/api/resources/User/bulk/${action}?recordIds=${ids}`;
    const record = (action: string, p: Person) => `/admin/api/resources/User/records/${p.id}/${action}`;

    // The User resource: both bulk actions, the record action and the sessions panel, as admin and as support.
    await ours(admin, 'GET', bulk('logoutAllUsersOnAllSessions', users('ada', 'alice', 'bob')));
    await ours(sam, 'GET', bulk('logoutAllUsersOnAllSessions', users('alice'))); // refused: support lacks logout_all
    await ours(sam, 'GET', bulk('logoutUserOnAllSessions', '999999')); // refused: unknown id
    await ours(sam, 'GET', bulk('logoutUserOnAllSessions', '')); // refused: empty selection
    await ours(sam, 'GET', record('logoutOnAllSessions', person('ada'))); // an admin's page: refused for support
    await ours(sam, 'POST', record('logoutOnAllSessions', person('ada')));
    await ours(admin, 'GET', record('logoutOnAllSessions', person('bob')));
    await ours(admin, 'GET', record('singleSessionSessions', person('alice')));
    await ours(sam, 'GET', record('singleSessionSessions', person('ada')));
    await ours(admin, 'POST', record('logoutOnAllSessions', person('bob')));
    expect(await sessionsOf(person('bob'))).to.equal(0);
    await ours(admin, 'POST', bulk('logoutAllUsersOnAllSessions', users('alice')));
    expect(await sessionsOf(person('alice'))).to.equal(0);

    // The Sessions resource (id ActiveSessions): list, show, end one, end several, and a refused one.
    await siteLogin(person('alice'));
    await siteLogin(person('bob'));
    const sessions = '/admin/api/resources/ActiveSessions';
    const list = await ours(admin, 'GET', `${sessions}/actions/list?perPage=50`, false);
    expect(list.json.records.length).to.be.at.least(3);
    const [aliceHandle] = await handlesOf(person('alice'));
    const [bobHandle] = await handlesOf(person('bob'));
    const adaHandles = await handlesOf(person('ada'));
    await ours(admin, 'GET', `${sessions}/actions/list?filters.userId=${person('alice').id}`, false);
    await ours(admin, 'GET', `${sessions}/records/${aliceHandle}/show`, false);
    await ours(sam, 'GET', `${sessions}/records/${adaHandles[0]}/endSession`, false);
    await ours(sam, 'POST', `${sessions}/records/${adaHandles[0]}/endSession`, false); // refused: an admin's session
    await ours(admin, 'GET', `${sessions}/records/${aliceHandle}/endSession`, false);
    await ours(admin, 'POST', `${sessions}/records/${aliceHandle}/endSession`, false);
    await ours(admin, 'GET', `${sessions}/bulk/endSessions?recordIds=${bobHandle}`, false);
    await ours(admin, 'POST', `${sessions}/bulk/endSessions?recordIds=${bobHandle}`, false);
    expect([await sessionsOf(person('alice')), await sessionsOf(person('bob'))]).to.deep.equal([0, 0]);

    // "My sessions" (one session per user: there is no other to end, and the one in use is kept).
    await ours(admin, 'GET', '/admin/api/pages/mySessions', false);
    await ours(admin, 'POST', '/admin/api/pages/mySessions', false);
    expect(await sessionsOf(person('ada'))).to.equal(1);

    const leaks = responses.map((r) => ({ label: r.label, leaks: leaksIn(r) })).filter((r) => r.leaks.length > 0);
    console.log(`      scanned ${responses.length} responses of our actions`);
    expect(leaks, leaks.map((l) => `${l.label}: ${l.leaks.join(', ')}`).join('\n')).to.deep.equal([]);
  });

  it('Chromium: the bulk action\'s confirmation page renders (not AdminJS\'s missing-component error) and confirms', async function () {
    if (!existsSync(CHROMIUM)) {
      console.log(`      skipped: no Chromium at ${CHROMIUM} (install it: apt-get install -y chromium)`);
      this.skip();
    }
    const t = performance.now();
    const browserProcess: Chromium = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    try {
      const context = await browserProcess.newContext({ viewport: { width: 1280, height: 800 } });
      await context.route((url) => url.origin !== new URL(baseUrl).origin, (route) => route.abort()); // AdminJS links a web font
      const page = await context.newPage();
      page.setDefaultTimeout(180_000);
      await siteLogin(person('alice'));
      await page.goto(`${baseUrl}/admin/login`);
      await page.fill('input[name=email]', person('sam').email);
      await page.fill('input[name=password]', PASSWORD);
      await page.getByRole('button', { name: 'Login' }).click();
      await page.waitForURL(`${baseUrl}/admin`);

      await page.goto(`${baseUrl}/admin/resources/User/bulk/logoutUserOnAllSessions?recordIds=${users('ada', 'alice')}`);
      const targets = page.locator('[data-css=single-session-targets]');
      await Promise.race([targets.waitFor(), page.getByText(MISSING_COMPONENT).waitFor().then(() => {
        throw new Error(`AdminJS shows "${MISSING_COMPONENT}": the confirmation component was not bundled`);
      })]);
      expect(await targets.locator('tr[data-outcome=logout]').count()).to.equal(1);
      expect(await targets.locator('tr[data-outcome=skipped-admin]').textContent()).to.contain(person('ada').email);
      expect(await page.content()).not.to.contain(MISSING_COMPONENT);

      expect(await sessionsOf(person('alice'))).to.equal(1);
      await page.getByTestId('single-session-confirm').click();
      await page.getByText(/Sessions ended: 1\./).waitFor();
      expect(await sessionsOf(person('alice'))).to.equal(0);
    } finally {
      await browserProcess.close();
    }
    console.log(`      Chromium part: ${since(t)}`);
  });
});
