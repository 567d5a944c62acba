/**
 * Issue 16: the seven holes an adversarial test found, each reproduced over HTTP against the demo's site routes and
 * AdminJS (example/site.ts, example/admin.ts) and the database checked after every request: a password-hash oracle
 * through AdminJS's filters and sorts, logout-path variants past the cross-site guard, anonymous uploads to disk,
 * login CSRF, 500s on malformed requests, a user-existence timing oracle, no throttling of failed logins.
 */
import bcrypt from 'bcryptjs';
import { expect } from 'chai';
import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAdminFixture, type AdminFixture } from '../support/admin.js';
import { SECRET } from '../support/fixture.js';
import type { Browser } from '../support/http.js';
import { rows } from '../support/sql.js';

const STACK = /\n\s+at |node_modules|\.[cm]?[jt]s:\d+:\d+/;
const EVIL = { origin: 'http://evil.test', 'sec-fetch-site': 'cross-site' };
type Answer = Awaited<ReturnType<Browser['request']>>;

/** Users (every column), sessions and links, as one text: what a refused request must not change. */
async function snapshot(f: AdminFixture): Promise<string> {
  const users = await rows(f.sequelize, 'SELECT * FROM "Users" ORDER BY id');
  const links = await rows(f.sequelize, 'SELECT sid, "userId" FROM "UserSessions" ORDER BY sid');
  const sessions = await rows(f.sequelize, 'SELECT sid FROM "Sessions" ORDER BY sid');
  return JSON.stringify({ users, links, sessions });
}

/** Counts bcrypt.compare calls (the demo's password checks) while `run` runs. */
async function countingCompares<T>(run: () => Promise<T>): Promise<{ result: T; compares: number }> {
  const original = bcrypt.compare;
  let compares = 0;
  (bcrypt as { compare: unknown }).compare = (...args: Parameters<typeof original>) => {
    compares++;
    return original(...args);
  };
  try {
    return { result: await run(), compares };
  } finally {
    (bcrypt as { compare: unknown }).compare = original;
  }
}

describe('hardening (issue 16): the seven findings, over HTTP', function () {
  this.timeout(120_000);
  let f: AdminFixture;
  let admin: Browser;
  let staff: Browser;

  before(async () => {
    f = await createAdminFixture({ singleUserSession: false });
  });
  after(async () => f?.close());
  beforeEach(async () => {
    admin = await f.adminLogin('admin@example.com');
    staff = await f.adminLogin('staff@example.com');
  });

  /** Runs `request`; checks a 4xx without a stack trace, and that no user, session or link changed. */
  async function refused(request: () => Promise<Answer>, status?: number): Promise<Answer> {
    const before = await snapshot(f);
    const res = await request();
    expect(res.status, res.text.slice(0, 300)).to.be.within(400, 499);
    if (status) expect(res.status, res.text.slice(0, 300)).to.equal(status);
    expect(res.text).not.to.match(STACK);
    expect(await snapshot(f), 'rows changed').to.equal(before);
    return res;
  }

  describe('1. no password-hash oracle: hidden fields can be neither filtered, searched nor sorted on', () => {
    let prefix: string;
    before(async () => {
      const hash = (await f.User.findOne({ where: { email: 'admin@example.com' } }))!.get('passwordHash') as string;
      prefix = encodeURIComponent(hash.slice(0, 12));
    });
    const list = (b: Browser, query: string) => b.get(`/admin/api/resources/User/actions/list?${query}`);

    it('a filter on passwordHash (right or wrong prefix, dotted or bracketed) is refused the same way', async () => {
      for (const query of [
        `filters.email=admin%40example.com&filters.passwordHash=${prefix}`,
        'filters.email=admin%40example.com&filters.passwordHash=zzzz',
        `filters[passwordHash]=${prefix}`,
        `filters[email]=admin%40example.com&filters[passwordHash]=${prefix}`,
      ]) {
        const res = await refused(() => list(staff, query), 400);
        expect(res.json.notice, query).to.deep.include({ type: 'error', message: 'singleSessionBadFilter' });
        expect(res.json.meta, query).to.equal(undefined);
      }
    });

    it('a sort on passwordHash is refused', async () => {
      for (const query of ['sortBy=passwordHash', 'sortBy=passwordHash&direction=desc']) {
        const res = await refused(() => list(staff, query), 400);
        expect(res.json.notice).to.deep.include({ message: 'singleSessionBadSort', options: { field: 'passwordHash' } });
      }
    });

    it('a search on passwordHash (searchProperty, both search routes) is refused', async () => {
      for (const url of [
        `/admin/api/resources/User/actions/search/${prefix}?searchProperty=passwordHash`,
        `/admin/api/resources/User/search/${prefix}?searchProperty=passwordHash`,
      ]) {
        const res = await refused(() => staff.get(url), 400);
        expect(res.json.notice.message).to.equal('singleSessionBadFilter');
      }
    });

    it('filters and sorts on shown fields still work', async () => {
      const res = await list(staff, 'filters.email=admin%40example.com&sortBy=email&direction=desc&page=1&perPage=20');
      expect(res.status).to.equal(200);
      expect(res.json.meta.total).to.equal(1);
      expect(res.text).not.to.include('$2');
      const search = await staff.get('/admin/api/resources/User/actions/search/alice');
      expect(search.status).to.equal(200);
      expect(search.json.records.map((r: { title: string }) => r.title)).to.deep.equal(['alice@example.com']);
    });
  });

  describe('2. every spelling of the logout path is guarded', () => {
    const VARIANTS: Array<[string, string]> = [
      ['GET', '/admin/logout/'], ['GET', '/admin/Logout'], ['GET', '/admin//logout'], ['GET', '/admin/LOGOUT/'],
      ['GET', '/admin/%6Cogout'], ['GET', '/admin/logout?next=1'], ['GET', '/Admin/logout'], ['HEAD', '/admin/logout'],
    ];
    for (const [method, url] of VARIANTS) {
      it(`a cross-site ${method} ${url} logs no one out`, async () => {
        const before = await f.count('Sessions');
        const res = await admin.request(method, url, { headers: { 'sec-fetch-site': 'cross-site', 'sec-fetch-dest': 'image' } });
        expect(res.status, `${method} ${url}`).not.to.equal(302);
        expect((await admin.get('/me')).status, 'still logged in').to.equal(200);
        expect(await f.count('Sessions')).to.equal(before);
      });
    }

    it('the same spellings from the admin panel itself do log out (they are the logout route)', async () => {
      for (const url of ['/admin/logout/', '/admin/LOGOUT', '/admin//logout']) {
        const b = await f.adminLogin('manager@example.com');
        const res = await b.get(url, { 'sec-fetch-site': 'same-origin' });
        expect(res.status, url).to.equal(302);
        expect((await b.get('/me')).status, url).to.equal(401);
      }
    });
  });

  describe('3. nothing before authentication writes to disk; over the limit: 413', () => {
    let tmp: string;
    let savedTmp: string | undefined;
    beforeEach(() => {
      // formidable writes to os.tmpdir(), which reads TMPDIR at each call: a folder of this test's own.
      savedTmp = process.env.TMPDIR;
      tmp = mkdtempSync(path.join(os.tmpdir(), 'harden-uploads-'));
      process.env.TMPDIR = tmp;
    });
    afterEach(() => {
      if (savedTmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = savedTmp;
      rmSync(tmp, { recursive: true, force: true });
    });

    const multipart = (size: number) => {
      const form = new FormData();
      form.set('email', 'admin@example.com');
      form.set('password', 'password');
      form.set('file', new Blob([Buffer.alloc(size, 7)]), 'upload.bin');
      return form;
    };
    const send = async (url: string, body: BodyInit, headers: Record<string, string> = {}) => {
      const res = await fetch(f.baseUrl + url, { method: 'POST', body, headers, redirect: 'manual' });
      return { status: res.status, text: await res.text() };
    };

    for (const url of ['/admin/login', '/admin/api/resources/User/actions/new', '/admin/anything']) {
      it(`an anonymous multipart POST ${url}: 415, no file written`, async () => {
        const before = await snapshot(f);
        const res = await send(url, multipart(100_000));
        expect(res.status).to.equal(415);
        expect(res.text).not.to.match(STACK);
        expect(readdirSync(tmp), 'files in the temp folder').to.deep.equal([]);
        expect(await snapshot(f)).to.equal(before);
      });
    }

    it('an anonymous body over 16 KB: 413; the login form itself still works', async () => {
      const big = new URLSearchParams({ email: 'admin@example.com', password: 'x'.repeat(20_000) }).toString();
      const res = await send('/admin/login', big, { 'content-type': 'application/x-www-form-urlencoded' });
      expect(res.status).to.equal(413);
      const b = f.browser();
      const ok = await b.request('POST', '/admin/login', { form: { email: 'manager@example.com', password: 'password' } });
      expect(ok.status).to.equal(302);
      const json = await b.request('POST', '/admin/login', { json: { email: 'manager@example.com', password: 'password' } });
      expect(json.status, 'a JSON login body too').to.equal(302);
    });

    it('a signed-in multipart body over the router\'s limits (1 MB): 413', async () => {
      const res = await fetch(`${f.baseUrl}/admin/api/resources/User/actions/list`, {
        method: 'POST', body: multipart(2 * 1024 * 1024), headers: { cookie: `sid=${admin.cookie('sid')}` }, redirect: 'manual',
      }).catch((err) => err as Error);
      // The server answers before reading the whole body and closes the connection; the client may see either.
      if (res instanceof Error) expect(String((res.cause as Error)?.message ?? res)).to.match(/closed|reset|socket|EPIPE/i);
      else expect(res.status).to.equal(413);
      expect((await admin.get('/me')).status).to.equal(200);
    });

    it('a signed-in upload within the limits is served, and its temporary file deleted after the answer', async () => {
      const res = await fetch(`${f.baseUrl}/admin/api/resources/User/actions/list`, {
        method: 'POST', body: multipart(10_000), headers: { cookie: `sid=${admin.cookie('sid')}` }, redirect: 'manual',
      });
      expect(res.status).to.equal(200);
      await res.text();
      for (let i = 0; i < 50 && readdirSync(tmp).length > 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(readdirSync(tmp)).to.deep.equal([]);
    });
  });

  describe('4. requests another site sends are refused (login CSRF, admin API, logout)', () => {
    const CROSS: Array<[string, Record<string, string>]> = [
      ['Origin + Sec-Fetch-Site: cross-site', EVIL],
      ['a foreign Origin only', { origin: 'http://evil.test' }],
      ['Origin: null', { origin: 'null' }],
      ['a foreign Referer only', { referer: 'http://evil.test/form.html' }],
      ['Sec-Fetch-Site: same-site (a sibling subdomain) without an allowed Origin', { 'sec-fetch-site': 'same-site' }],
    ];
    for (const [what, headers] of CROSS) {
      it(`site POST /login with ${what}: 403, no one logged in`, async () => {
        const b = f.browser();
        const res = await refused(() => b.request('POST', '/login', { form: { email: 'alice@example.com', password: 'password' }, headers }), 403);
        expect(res.text).to.match(/another site/);
        expect((await b.get('/me')).status).to.equal(401);
      });

      it(`POST /admin/login with ${what}: 403, no one logged in`, async () => {
        const b = f.browser();
        await refused(() => b.request('POST', '/admin/login', { form: { email: 'admin@example.com', password: 'password' }, headers }), 403);
        expect((await b.get('/me')).status).to.equal(401);
      });
    }

    it('a cross-site POST to an admin bulk action and to the site logout: 403, nothing ended', async () => {
      const alice = await f.siteLogin('alice@example.com');
      const aliceId = await f.userId('alice@example.com');
      const res = await refused(() => staff.request('POST', `/admin/api/resources/User/bulk/logoutUserOnAllSessions?recordIds=${aliceId}`, { headers: EVIL }), 403);
      expect(res.json.error).to.match(/another site/);
      await refused(() => alice.request('POST', '/logout', { json: {}, headers: EVIL }), 403);
      expect((await alice.get('/me')).status).to.equal(200);
    });

    it('the same requests from the site itself pass', async () => {
      const own = { origin: f.baseUrl, 'sec-fetch-site': 'same-origin' };
      const b = f.browser();
      expect((await b.request('POST', '/login', { json: { email: 'alice@example.com', password: 'password' }, headers: own })).status).to.equal(200);
      expect((await b.request('POST', '/logout', { json: {}, headers: own })).status).to.equal(200);
      const a = f.browser();
      expect((await a.request('POST', '/admin/login', { form: { email: 'admin@example.com', password: 'password' }, headers: own })).status).to.equal(302);
    });
  });

  describe('5. malformed requests: a 4xx with a clear message, nothing changed', () => {
    const API = '/admin/api/resources';
    const CASES: Array<[string, string, string, number, string]> = [
      ['repeated recordIds', 'POST', `${API}/ActiveSessions/bulk/endSessions?recordIds=1&recordIds=2`, 400, 'singleSessionRepeatedParameter'],
      ['recordIds as an object', 'POST', `${API}/User/bulk/logoutUserOnAllSessions?recordIds[a]=1`, 400, 'singleSessionRepeatedParameter'],
      ['an unknown filter key (view without sid)', 'GET', `${API}/ActiveSessions/actions/list?filters.sid=abc`, 400, 'singleSessionBadFilter'],
      ['an unknown filter key', 'GET', `${API}/User/actions/list?filters.nope=1`, 400, 'singleSessionBadFilter'],
      ['a __proto__ filter key', 'GET', `${API}/User/actions/list?filters.__proto__=1`, 400, 'singleSessionBadFilter'],
      ['a range on a text field', 'GET', `${API}/User/actions/list?filters.email~~from=a`, 400, 'singleSessionBadFilter'],
      ['filters[userId]=abc (bracketed)', 'GET', `${API}/ActiveSessions/actions/list?filters[userId]=abc`, 400, 'singleSessionBadParameter'],
      ['filters.userId=abc', 'GET', `${API}/ActiveSessions/actions/list?filters.userId=abc`, 400, 'singleSessionBadParameter'],
      ['a repeated filter', 'GET', `${API}/ActiveSessions/actions/list?filters.userId=1&filters.userId=2`, 400, 'singleSessionRepeatedParameter'],
      ['a filter given dotted and bracketed', 'GET', `${API}/User/actions/list?filters.email=a&filters[email]=b`, 400, 'singleSessionRepeatedParameter'],
      ['an id filter out of range', 'GET', `${API}/User/actions/list?filters.id=99999999999`, 400, 'singleSessionBadParameter'],
      ['a date filter that is no date', 'GET', `${API}/User/actions/list?filters.createdAt~~from=notadate`, 400, 'singleSessionBadParameter'],
      ['a repeated sortBy', 'GET', `${API}/User/actions/list?sortBy=email&sortBy=id`, 400, 'singleSessionRepeatedParameter'],
      ['an unknown sort', 'GET', `${API}/User/actions/list?sortBy=nope`, 400, 'singleSessionBadSort'],
      ['a negative page', 'GET', `${API}/User/actions/list?page=-1`, 400, 'singleSessionBadParameter'],
      ['perPage not a number', 'GET', `${API}/User/actions/list?perPage=abc`, 400, 'singleSessionBadParameter'],
      ['perPage over 500 (search has no cap)', 'GET', `${API}/User/actions/search/a?perPage=100000`, 400, 'singleSessionBadParameter'],
      ['a direction that is neither', 'GET', `${API}/User/actions/list?direction=sideways`, 400, 'singleSessionBadParameter'],
    ];
    for (const [what, method, url, status, message] of CASES) {
      it(`${what}: ${status} ${message}`, async () => {
        const res = await refused(() => admin.request(method, url), status);
        expect(res.json.notice).to.deep.include({ type: 'error', message });
        expect(res.json.error).to.be.a('string').and.match(/\.$/);
      });
    }

    it('without the guard, the Sessions resource itself refuses filters[userId]=abc (a notice, not a database error)', async () => {
      // AdminJS's router alone (what a host that mounts the pieces itself gets), on the same session store.
      const app = express();
      app.use(f.singleSession.sessionMiddleware({ secret: SECRET, name: 'sid' }));
      app.use('/admin', f.adminRouter);
      app.use(((err, _req, res, _next) => res.status(500).json({ error: String(err?.name) })) as express.ErrorRequestHandler);
      const server = await new Promise<Server>((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)); });
      try {
        const port = (server.address() as AddressInfo).port;
        for (const query of ['filters[userId]=abc', 'filters.userId=abc', 'filters.userId=1&filters.userId=x']) {
          const res = await fetch(`http://127.0.0.1:${port}${API}/ActiveSessions/actions/list?${query}`, { headers: { cookie: `sid=${admin.cookie('sid')}` } });
          const json = await res.json() as { notice?: { message: string }; records: unknown[] };
          expect(res.status, query).to.equal(200);
          expect(json.notice?.message, query).to.equal('singleSessionBadUserFilter');
          expect(json.records).to.deep.equal([]);
        }
      } finally {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    });

    const login = (body: string, type: string) => async () => {
      const res = await fetch(`${f.baseUrl}/admin/login`, { method: 'POST', body, headers: { 'content-type': type }, redirect: 'manual' });
      return { status: res.status, text: await res.text(), headers: res.headers, json: undefined };
    };
    it('POST /admin/login with a broken JSON body: 400', async () => {
      const res = await refused(login('{"email": ', 'application/json'), 400);
      expect(res.text).to.match(/could not be read/);
    });
    it('POST /admin/login with a truncated multipart body, or multipart without a boundary: 415', async () => {
      await refused(login('--x\r\ncontent-disposition: form-data; name="email"\r\n\r\nadm', 'multipart/form-data; boundary=x'), 415);
      await refused(login('email=a', 'multipart/form-data'), 415);
    });
    it('a signed-in admin\'s broken multipart and JSON bodies: 400', async () => {
      const post = (body: string, type: string) => async () => {
        const r = await fetch(`${f.baseUrl}${API}/User/actions/list`, {
          method: 'POST', body, headers: { 'content-type': type, cookie: `sid=${admin.cookie('sid')}` },
        });
        return { status: r.status, text: await r.text(), headers: r.headers, json: undefined };
      };
      await refused(post('--x\r\ncontent-disposition: form-data; name="a"\r\n\r\nb', 'multipart/form-data; boundary=x'), 400);
      await refused(post('a=b', 'multipart/form-data'), 400);
      await refused(post('{"a": ', 'application/json'), 400);
    });
  });

  describe('6. login takes the same work whether or not the email exists', () => {
    const CASES: Array<[string, (b: Browser, email: string) => Promise<Answer>]> = [
      ['site login', (b, email) => b.login(email, 'not the password')],
      ['admin login', (b, email) => b.request('POST', '/admin/login', { form: { email, password: 'not the password' } })],
    ];
    for (const [what, login] of CASES) {
      it(`${what}: bcrypt runs once for an unknown email as for a known one`, async () => {
        const known = await countingCompares(() => login(f.browser(), 'bob@example.com'));
        const unknown = await countingCompares(() => login(f.browser(), 'nobody@example.com'));
        expect([known.compares, unknown.compares]).to.deep.equal([1, 1]);
        expect(unknown.result.status).to.equal(known.result.status);
      });
    }
  });
});

describe('hardening (issue 16): 7. failed logins are throttled per account and per client', function () {
  this.timeout(180_000);
  let f: AdminFixture;
  before(async () => {
    f = await createAdminFixture({ singleUserSession: false });
  });
  after(async () => f?.close());

  it('200 parallel wrong passwords for alice: at most 10 reach bcrypt, the rest get 429; bob signs in meanwhile', async () => {
    const { result, compares } = await countingCompares(async () => {
      const burst = Array.from({ length: 200 }, () => f.browser().login('alice@example.com', 'wrong'));
      const started = performance.now();
      const bob = await f.browser().login('bob@example.com');
      const bobMs = performance.now() - started;
      return { burst: await Promise.all(burst), bob, bobMs };
    });
    expect(result.bob.status, 'bob is not throttled').to.equal(200);
    const statuses = result.burst.map((r) => r.status);
    expect(statuses.filter((s) => s === 401).length, 'wrong passwords checked').to.equal(10);
    expect(statuses.filter((s) => s === 429).length).to.equal(190);
    expect(compares, 'bcrypt runs: 10 for alice, 1 for bob').to.equal(11);
    const throttled = result.burst.find((r) => r.status === 429)!;
    expect(Number(throttled.headers.get('retry-after'))).to.be.within(1, 60);
    expect(throttled.json.error).to.match(/Too many failed sign-ins/);
    console.log(`      (bob's login during the burst: ${result.bobMs.toFixed(0)} ms)`);

    // alice's own correct password is refused while her account is throttled (at most a minute); bob is not.
    const alice = await f.browser().login('alice@example.com');
    expect(alice.status).to.equal(429);
    expect(await f.sessionsOf(await f.userId('alice@example.com'))).to.equal(0);
    expect((await f.browser().login('bob@example.com')).status).to.equal(200);
  });

  it('the admin login too: after 10 failures for an account, even the right password is refused for a while', async () => {
    for (let i = 0; i < 10; i++) {
      const res = await f.browser().request('POST', '/admin/login', { form: { email: 'staff@example.com', password: 'wrong' } });
      expect(res.text).to.include('invalidCredentials');
    }
    const b = f.browser();
    const res = await b.request('POST', '/admin/login', { form: { email: 'staff@example.com', password: 'password' } });
    expect(res.status).to.equal(400);
    expect(res.text).to.include('Too many failed sign-ins');
    expect((await b.get('/me')).status).to.equal(401);
    await f.adminLogin('manager@example.com'); // another account is not affected
  });

  it('per client: 50 failures over many accounts block that client, known or unknown emails alike', async () => {
    // This client already failed 10 times (alice's burst): 40 more failures reach the limit of 50.
    const statuses: number[] = [];
    for (let i = 0; i < 41; i++) statuses.push((await f.browser().login(`nobody${i}@example.com`, 'wrong')).status);
    expect(statuses).to.deep.equal([...Array(40).fill(401), 429]);
    const res = await f.browser().login('bob@example.com');
    expect(res.status).to.equal(429);
    expect(Number(res.headers.get('retry-after'))).to.be.within(60, 600);
  });
});
