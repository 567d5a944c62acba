/**
 * Session security, over HTTP against the real site routes, the real AdminJS (example/admin.ts) and Passport:
 * a new session id at every login path (a planted session id is worthless), cookie flags, logouts that another
 * site cannot trigger, and revocation that takes effect on the very next request.
 */
import bcrypt from 'bcryptjs';
import { expect } from 'chai';
import express from 'express';
import session from 'express-session';
import { Passport } from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { SingleSessionConfigError, usePassport } from '../../src/index.js';
import { guardAdminLogout } from '../../src/adminjs.js';
import { buildAdmin } from '../../example/admin.js';
import { createFixture, SECRET, type Fixture } from '../support/fixture.js';
import { Browser, sidOf } from '../support/http.js';
import { signedCookie, startApp } from './support/app.js';
import { tally } from './support/figures.js';

describe('session security', function () {
  let f: Fixture;
  let guardOn = false;

  before(async () => {
    const holder = express.Router();
    f = await createFixture({}, {
      routes: (app, singleSession) => {
        mountPassport(app, singleSession);
        app.use('/admin', holder);
      },
    });
    // The demo's router mounts guardAdminLogout; AdminJS's own router alone is the unguarded control.
    const { router, adminRouter } = await buildAdmin({ sequelize: f.sequelize, singleSession: f.singleSession, User: f.User, secret: SECRET });
    holder.use((req, res, next) => (guardOn ? router : adminRouter)(req, res, next));
  });
  after(async () => f?.close());

  function mountPassport(app: express.Express, singleSession: Fixture['singleSession']) {
    const passport = new Passport();
    passport.use(new LocalStrategy({ usernameField: 'email' }, (email, password, done) => {
      f.User.findOne({ where: { email } }).then(async (user) => {
        const ok = user && await bcrypt.compare(password, user.get('passwordHash') as string);
        done(null, ok ? user.get({ plain: true }) : false);
      }, done);
    }));
    passport.serializeUser((user, done) => done(null, (user as { id: number }).id));
    passport.deserializeUser((id: number, done) => { f.User.findByPk(id).then((u) => done(null, u?.get({ plain: true }) ?? false), done); });
    usePassport(singleSession, passport);
    app.post('/passport/login', express.json(), passport.initialize(), passport.authenticate('local'), (_req, res) => res.json({ ok: true }));
  }

  /** A browser carrying a session id the "attacker" got from the site (an anonymous session that exists). */
  async function planted(): Promise<{ browser: Browser; sid: string }> {
    const sid = randomBytes(24).toString('base64url');
    await promisify(f.singleSession.store.set.bind(f.singleSession.store))(sid, { cookie: { originalMaxAge: null, httpOnly: true, path: '/' } } as never);
    const browser = f.browser();
    browser.setCookie('sid', signedCookie(sid));
    expect((await browser.get('/me')).status).to.equal(401);
    return { browser, sid };
  }

  const LOGIN_PATHS: Array<[string, string, (b: Browser, email: string) => Promise<{ status: number }>]> = [
    ['site route (JSON)', 'alice@example.com', (b, email) => b.login(email)],
    ['site route (form)', 'bob@example.com', (b, email) => b.request('POST', '/login', { form: { email, password: 'password' } })],
    ['AdminJS login form', 'admin@example.com', (b, email) => b.request('POST', '/admin/login', { form: { email, password: 'password' } })],
    ['Passport (usePassport)', 'staff@example.com', (b, email) => b.post('/passport/login', { email, password: 'password' })],
  ];
  for (const [name, email, login] of LOGIN_PATHS) {
    it(`${name}: the login gives a new session id; the planted one stays anonymous`, async () => {
      const { browser, sid } = await planted();
      const res = await login(browser, email);
      expect(res.status, name).to.be.oneOf([200, 302, 303]);
      const after = sidOf(browser.cookie('sid'));
      expect(after, 'session id after login').not.to.equal(sid);
      expect((await browser.get('/me')).json?.email).to.equal(email);
      const attacker = f.browser();
      attacker.setCookie('sid', signedCookie(sid));
      expect((await attacker.get('/me')).status, 'the planted id is not logged in').to.equal(401);
      expect(await f.count('Sessions', `sid = '${sid}'`), 'the planted session is gone').to.equal(0);
      tally('security: login paths checked for a new session id');
    });
  }

  it('cookies are HttpOnly and SameSite=Lax; Secure when configured (behind a proxy: trust proxy)', async () => {
    const res = await f.browser().login('alice@example.com');
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('sid='))!;
    expect(cookie).to.match(/; HttpOnly/i).and.match(/; SameSite=Lax/i).and.not.match(/; Secure/i);

    const secure = await startApp(f.sequelize, {
      session: { cookie: { secure: true } },
      routes: (app) => app.set('trust proxy', 1),
    });
    try {
      const viaHttps = await secure.browser().request('POST', '/login', {
        json: { email: 'bob@example.com', password: 'password' }, headers: { 'x-forwarded-proto': 'https' },
      });
      expect(viaHttps.headers.getSetCookie().find((c) => c.startsWith('sid='))).to.match(/; Secure/i).and.match(/; HttpOnly/i);
      // Plain http to a `secure` cookie app: express-session would send no cookie at all, so the login refuses with
      // the fix (hence `trust proxy` behind TLS) instead of seeming to do nothing.
      const plain = await secure.browser().login('bob@example.com');
      expect(plain.status).to.equal(500);
      expect(plain.headers.getSetCookie().filter((c) => c.startsWith('sid='))).to.deep.equal([]);
    } finally {
      await secure.close();
    }
  });

  describe('cookies in production (issue 11): Secure by default, and a clear error where it cannot work', () => {
    const BOB = { email: 'bob@example.com', password: 'password' };
    const HTTPS = { 'x-forwarded-proto': 'https' };
    /** The error's name and message as the answer (the test needs to see which error the host's handler got). */
    const showErrors: express.ErrorRequestHandler = (err: Error, _req, res, _next) => {
      res.status(500).json({ name: err.name, message: err.message });
    };

    /** An app whose session middleware is built while NODE_ENV=production (when the engine reads it). */
    async function productionApp(session: Record<string, unknown>, trustProxy?: number) {
      const previous = process.env.NODE_ENV;
      process.env.NODE_ENV = 'production';
      try {
        return await startApp(f.sequelize, {
          session, errors: showErrors, routes: (app) => { if (trustProxy !== undefined) app.set('trust proxy', trustProxy); },
        });
      } finally {
        if (previous === undefined) delete process.env.NODE_ENV;
        else process.env.NODE_ENV = previous;
      }
    }
    const sidCookie = (res: { headers: Headers }, name = 'sid') => res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));

    it('behind a TLS proxy that Express trusts: the cookie is Secure (and HttpOnly, SameSite=Lax) without saying so', async () => {
      const app = await productionApp({}, 1);
      try {
        const b = app.browser();
        const res = await b.request('POST', '/login', { json: BOB, headers: HTTPS });
        expect(res.status, res.text).to.equal(200);
        expect(sidCookie(res)).to.match(/; Secure/i).and.match(/; HttpOnly/i).and.match(/; SameSite=Lax/i);
        expect((await b.request('GET', '/me', { headers: HTTPS })).json?.email).to.equal(BOB.email);
        tally('security: production cookie cases checked');
      } finally {
        await app.close();
      }
    });

    for (const [what, headers, fix] of [
      ['behind a proxy Express does not trust', HTTPS, /X-Forwarded-Proto.*app\.set\('trust proxy', 1\)/],
      ['over plain HTTP', {}, /Serve the app over HTTPS.*app\.set\('trust proxy', 1\)/],
    ] as const) {
      it(`${what}: the login fails with a SingleSessionConfigError that says how to fix it, and writes nothing`, async () => {
        const app = await productionApp({});
        try {
          const before = await f.count('Sessions');
          const res = await app.browser().request('POST', '/login', { json: BOB, headers });
          expect(res.status).to.equal(500);
          expect(res.json.name).to.equal('SingleSessionConfigError');
          expect(res.json.message).to.match(/this login came over plain HTTP, but the session cookie is Secure/).and.match(fix);
          expect(res.json.message).to.match(/cookie: \{ secure: false \}/);
          expect(sidCookie(res)).to.equal(undefined);
          expect(await f.count('Sessions'), 'nothing written').to.equal(before);
          tally('security: production cookie cases checked');
        } finally {
          await app.close();
        }
      });
    }

    it('a deliberate plain-HTTP deployment says `secure: false` and gets a cookie without Secure', async () => {
      const app = await productionApp({ cookie: { secure: false } });
      try {
        const res = await app.browser().request('POST', '/login', { json: BOB });
        expect(res.status, res.text).to.equal(200);
        expect(sidCookie(res)).to.match(/; HttpOnly/i).and.not.match(/; Secure/i);
      } finally {
        await app.close();
      }
    });

    it('a __Host- cookie: Secure, Path=/ and no Domain; a __Host- or __Secure- name that browsers would drop stops the start', async () => {
      const app = await productionApp({ name: '__Host-sid' }, 1);
      try {
        const b = app.browser();
        const res = await b.request('POST', '/login', { json: BOB, headers: HTTPS });
        const cookie = sidCookie(res, '__Host-sid');
        expect(cookie).to.match(/; Path=\//).and.match(/; Secure/i).and.not.match(/; Domain=/i);
        expect((await b.request('GET', '/me', { headers: HTTPS })).json?.email).to.equal(BOB.email);
      } finally {
        await app.close();
      }
      const engine = f.singleSession;
      expect(() => engine.sessionMiddleware({ secret: SECRET, name: '__Host-sid' })).to.throw(SingleSessionConfigError, /__Host- prefix.*Secure, Path=\/ and no Domain/);
      expect(() => engine.sessionMiddleware({ secret: SECRET, name: '__Host-sid', cookie: { secure: true, domain: 'example.com' } }))
        .to.throw(SingleSessionConfigError, /__Host- prefix/);
      expect(() => engine.sessionMiddleware({ secret: SECRET, name: '__Host-sid', cookie: { secure: true, path: '/admin' } }))
        .to.throw(SingleSessionConfigError, /__Host- prefix/);
      expect(() => engine.sessionMiddleware({ secret: SECRET, name: '__Secure-sid' })).to.throw(SingleSessionConfigError, /__Secure- prefix/);
    });
  });

  it('the app-wide cookie options hold even when another express-session is built later on the same store', async () => {
    // What @adminjs/express's buildAuthenticatedRouter does with the session options it is given.
    const app = await startApp(f.sequelize, { session: { cookie: { maxAge: 3600_000 } } });
    try {
      session(app.singleSession.sessionOptions({ secret: SECRET, name: 'sid' }));
      const res = await app.browser().login('bob@example.com');
      expect(res.headers.getSetCookie().find((c) => c.startsWith('sid='))).to.match(/; Expires=/);
    } finally {
      await app.close();
    }
  });

  it('site logout is a POST: a GET (what another site can trigger with a link or an image) does nothing', async () => {
    const b = f.browser();
    await b.login('alice@example.com');
    expect((await b.get('/logout')).status).to.equal(404);
    expect((await b.get('/me')).status).to.equal(200);
    expect((await b.post('/logout')).status).to.equal(200);
    expect((await b.get('/me')).status).to.equal(401);
  });

  describe('AdminJS logout is a GET in @adminjs/express', () => {
    const CROSS_SITE: Array<[string, Record<string, string>]> = [
      ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'image' }],
      ['a foreign Origin', { origin: 'https://evil.example' }],
      ['a foreign Referer', { referer: 'https://evil.example/page.html' }],
      ['Origin: null', { origin: 'null' }],
    ];

    async function adminBrowser(): Promise<Browser> {
      const b = f.browser();
      const res = await b.request('POST', '/admin/login', { form: { email: 'admin@example.com', password: 'password' } });
      expect(res.status).to.equal(302);
      expect((await b.get('/me')).status).to.equal(200);
      return b;
    }

    it('without a guard, a cross-site GET logs the administrator out (the finding)', async () => {
      guardOn = false;
      const b = await adminBrowser();
      await b.get('/admin/logout', CROSS_SITE[0]![1]);
      expect((await b.get('/me')).status, 'logged out by another site').to.equal(401);
    });

    for (const [what, headers] of CROSS_SITE) {
      it(`guardAdminLogout refuses a logout GET with ${what}: 403, still logged in`, async () => {
        guardOn = true;
        const b = await adminBrowser();
        const res = await b.get('/admin/logout', headers);
        expect(res.status).to.equal(403);
        expect(res.text).to.match(/must come from this site/);
        expect((await b.get('/me')).status).to.equal(200);
        tally('security: cross-site admin logouts refused');
      });
    }

    it('guardAdminLogout lets the admin panel\'s own logout (same origin, or no header at all) through', async () => {
      guardOn = true;
      const own: Array<Record<string, string>> = [{ 'sec-fetch-site': 'same-origin', referer: `${f.baseUrl}/admin` }, {}];
      for (const headers of own) {
        const b = await adminBrowser();
        const res = await b.get('/admin/logout', headers);
        expect(res.status).to.equal(302);
        expect((await b.get('/me')).status).to.equal(401);
      }
    });

    it('guardAdminLogout checks its options at build time', () => {
      expect(() => guardAdminLogout(undefined as never)).to.throw(SingleSessionConfigError, /must be your AdminJS instance/);
      expect(() => guardAdminLogout({ options: { logoutPath: '/admin/logout' } }, { allowedOrigins: ['not a url'] }))
        .to.throw(SingleSessionConfigError, /allowedOrigins/);
    });
  });

  it('revocation is immediate: the very next request of an ended session is logged out (API and AdminJS bulk action)', async () => {
    const victim = f.browser();
    await victim.login('bob@example.com');
    await f.singleSession.endUserSessions([await f.userId('bob@example.com')]);
    expect((await victim.get('/me')).json).to.deep.include({ reason: 'revoked' });

    await victim.login('bob@example.com');
    const manager = f.browser();
    expect((await manager.request('POST', '/admin/login', { form: { email: 'manager@example.com', password: 'password' } })).status).to.equal(302);
    const bob = await f.userId('bob@example.com');
    const bulk = await manager.request('POST', `/admin/api/resources/User/bulk/logoutUserOnAllSessions?recordIds=${bob}`);
    expect(bulk.status, bulk.text).to.equal(200);
    const me = await victim.get('/me');
    expect(me.status).to.equal(401);
    expect(me.json.reason).to.equal('revoked');
    tally('security: revocations checked on the next request', 2);
  });
});
