/**
 * The package as a new user installs it into an app like theirs: examples/plain-js-app (plain JavaScript ES modules,
 * Express 5, an Account model with a DataTypes.UUID key on table `accounts`), which already ran with
 * connect-session-sequelize and has live sessions. From the packed tarball: the one-step migration
 * (`npx adminjs-single-session migration --user-table accounts`, then sequelize-cli), the app with the cut-over at
 * start-up, then the policy, the bulk logout and the old cookies over HTTP. On DATABASE_URL's server (PostgreSQL, or
 * MariaDB with the driver `npm install mariadb` gives today), else embedded PostgreSQL.
 */
import { expect } from 'chai';
import bcrypt from 'bcryptjs';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Sequelize } from 'sequelize';
import { connect, scratchDatabase, type TestDatabase } from '../support/database.js';
import { Browser } from '../support/http.js';
import { count, now, run as runSql } from '../support/sql.js';
import { installExample, run, since } from './support.js';

const PASSWORD = 'correct horse battery staple';
const ACCOUNTS = { ada: { id: randomUUID(), role: 'admin' }, carol: { id: randomUUID(), role: 'member' }, dan: { id: randomUUID(), role: 'member' } };
type Name = keyof typeof ACCOUNTS;
const email = (name: Name) => `${name}@corp.test`;

describe('install: a plain-JavaScript Express 5 app with a UUID key and connect-session-sequelize sessions', function () {
  this.timeout(600_000);
  let dir: string;
  let db: TestDatabase;
  let sql: Sequelize;
  let child: ChildProcess | undefined;
  let output = '';
  const t0 = performance.now();

  /** Starts one of the app's entry points; resolves with its URL. */
  function start(entry: string, env: Record<string, string> = {}): Promise<string> {
    output = '';
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm_|NODE_ENV$|ADMIN_JS_TMP_DIR$|DATABASE_URL$)/i.test(k)));
    child = spawn(process.execPath, [entry], {
      cwd: dir, env: { ...clean, DATABASE_URL: db.url, SESSION_SECRET: 'plain js install test', PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    const proc = child;
    proc.stderr!.on('data', (chunk) => { output += chunk; });
    return new Promise((resolve, reject) => {
      proc.stdout!.on('data', (chunk) => {
        output += chunk;
        const match = /Listening on (http:\/\/localhost:\d+)\//.exec(output);
        if (match) resolve(match[1]!);
      });
      proc.once('exit', (code) => reject(new Error(`${entry} exited (${code}) before listening:\n${output}`)));
    });
  }

  async function stop(): Promise<void> {
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }

  async function login(url: string, name: Name, browser = new Browser(url)): Promise<Browser> {
    const res = await browser.post('/login', { email: email(name), password: PASSWORD });
    expect(res.status, `login of ${name}: ${res.text}`).to.equal(200);
    return browser;
  }
  const signedIn = async (b: Browser) => (await b.get('/me')).status === 200;
  /** Points a browser (and its cookies) at the app's new URL. */
  const moved = (b: Browser, url: string) => Object.assign(b, { baseUrl: url });

  let old: Record<'carol1' | 'carol2' | 'dan', Browser>;
  let url: string;
  let cutOver: Record<string, unknown>;

  before(async function () {
    let t = performance.now();
    dir = await installExample('plain-js-app');
    const versions = JSON.parse((await run('npm', ['ls', 'express', 'mariadb', 'connect-session-sequelize', '--json'], { cwd: dir })).stdout).dependencies;
    console.log(`      installed under Node ${process.version} (express ${versions.express.version}, mariadb ${versions.mariadb.version}, connect-session-sequelize ${versions['connect-session-sequelize'].version}) in ${since(t)}`);

    t = performance.now();
    db = await scratchDatabase('plainjs');
    await run('npx', ['sequelize-cli', 'db:migrate'], { cwd: dir, env: { DATABASE_URL: db.url } });
    sql = connect(db.url, 2);
    const digest = bcrypt.hashSync(PASSWORD, 4);
    for (const [name, a] of Object.entries(ACCOUNTS)) {
      await runSql(sql, `INSERT INTO "accounts" (id, email, "passwordDigest", role, "createdAt", "updatedAt") VALUES ($id, $email, $digest, $role, ${now(sql)}, ${now(sql)})`,
        { bind: { id: a.id, email: email(name as Name), digest, role: a.role } });
    }
    // Before the install: connect-session-sequelize, and three live sessions.
    const before = await start('src/before.js');
    old = { carol1: await login(before, 'carol'), carol2: await login(before, 'carol'), dan: await login(before, 'dan') };
    await stop();
    console.log(`      the app as it was: 3 sessions signed in with connect-session-sequelize in ${since(t)}`);

    // The install: one migration file, written once with the user table, then sequelize-cli with nothing else.
    t = performance.now();
    const written = await run('npx', ['adminjs-single-session', 'migration', '--user-table', 'accounts'], { cwd: dir });
    expect(written.stdout).to.match(/Wrote migrations\/\d{14}-adminjs-single-session\.cjs/);
    const migrated = await run('npx', ['sequelize-cli', 'db:migrate'], { cwd: dir, env: { DATABASE_URL: db.url } });
    expect(migrated.stdout).to.match(/adminjs-single-session: migrated/);
    url = await start('src/app.js', { CUT_OVER: 'adopt' });
    cutOver = JSON.parse(/Cut-over: (\{.*\})/.exec(output)![1]!);
    for (const b of Object.values(old)) moved(b, url);
    console.log(`      migrated in one step, the app with the cut-over up in ${since(t)}`);
  });

  after(async function () {
    this.timeout(60_000);
    await stop();
    await sql?.close();
    await db?.stop();
    console.log(`      plain-js install test: ${since(t0)} in all`);
  });

  it('the one-step file names the user table once; the sessions table and its rows were kept', async () => {
    const [file] = (await run('ls', ['migrations'], { cwd: dir })).stdout.split('\n').filter((f) => f.endsWith('-adminjs-single-session.cjs'));
    expect(readFileSync(path.join(dir, 'migrations', file!), 'utf8')).to.contain(`require('adminjs-single-session/migration')({ userTable: "accounts" })`);
    expect(await count(sql, `SELECT count(*) FROM "Sessions"`)).to.equal(3);
  });

  it('the cut-over adopted the three old sessions; the old cookies still work', async () => {
    expect(cutOver).to.deep.equal({ adopted: 3, ended: { sessions: 0, users: [] }, anonymous: 0, orphans: 0, changed: 0 });
    expect(await count(sql, `SELECT count(*) FROM "UserSessions"`)).to.equal(3);
    for (const b of Object.values(old)) expect(await signedIn(b)).to.equal(true);
  });

  it('the user\'s next login ends their old sessions (the host\'s own req.session.accountId no longer sees them)', async () => {
    const carol = await login(url, 'carol');
    expect([await signedIn(old.carol1), await signedIn(old.carol2), await signedIn(carol)]).to.deep.equal([false, false, true]);
    // Logout everywhere from the new session: counted.
    expect((await carol.post('/logout')).json).to.deep.equal({ sessions: 1, users: [ACCOUNTS.carol.id] });
  });

  it('the admin\'s bulk logout ends an adopted session and counts it', async () => {
    const ada = new Browser(url);
    const res = await ada.request('POST', '/admin/login', { form: { email: email('ada'), password: PASSWORD } });
    expect([res.status, res.headers.get('location')], `${res.text.slice(0, 200)}\n${output.slice(-3000)}`).to.deep.equal([302, '/admin']);
    const path = `/admin/api/resources/User/bulk/logoutUserOnAllSessions?recordIds=${ACCOUNTS.dan.id}`;
    const preview = await ada.request('GET', path);
    expect(preview.json.records.map((r: { singleSession?: { outcome: string } }) => r.singleSession?.outcome)).to.deep.equal(['logout']);
    const done = await ada.request('POST', path, { json: {} });
    expect(done.json.notice?.type, done.text.slice(0, 300)).to.equal('success');
    expect(await signedIn(old.dan)).to.equal(false);
    expect(await count(sql, `SELECT count(*) FROM "UserSessions" WHERE "userId" = $id`, { bind: { id: ACCOUNTS.dan.id } })).to.equal(0);
  });

  it('a malformed JSON body is the client\'s mistake: 400, not 500', async () => {
    const res = await new Browser(url).request('POST', '/login', { headers: { 'content-type': 'application/json' }, json: undefined });
    const bad = await fetch(`${url}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email":' });
    expect([res.status, bad.status]).to.deep.equal([401, 400]);
  });
});
