/**
 * Every login path goes through the policy and gets a fresh session id: the AdminJS login of @adminjs/express
 * (auth provider and `authenticate` wrapper), Passport's req.login/req.logout, and a hand-written route (the demo
 * site's, exercised throughout test/core/policy.test.ts).
 */
import { expect } from 'chai';
import AdminJSExpress from '@adminjs/express';
import AdminJS from 'adminjs';
import bcrypt from 'bcryptjs';
import express from 'express';
import passport from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { usePassport } from '../../src/index.js';
import { withSingleSession } from '../../src/adminjs.js';
import { createAdminFixture, type AdminFixture } from '../support/admin.js';
import { createFixture, type Fixture, SECRET } from '../support/fixture.js';
import { sidOf } from '../support/http.js';

describe('integration: AdminJS login through SingleSessionAuthProvider', () => {
  let f: AdminFixture;
  before(async () => { f = await createAdminFixture(); });
  after(async () => f?.close());

  it('gives a fresh session id, links it, and a second admin login replaces the first', async () => {
    const first = f.browser();
    await first.get('/admin/login');
    const before = first.cookie('sid');
    const res = await first.request('POST', '/admin/login', { form: { email: 'manager@example.com', password: 'password' } });
    expect(res.status).to.equal(302);
    const after = first.cookie('sid');
    expect(after).to.not.equal(undefined);
    if (before) expect(sidOf(after)).to.not.equal(sidOf(before));
    expect(await f.count('UserSessions', `sid = '${sidOf(after)}'`)).to.equal(1);
    expect((await first.get('/admin/api/resources/User/actions/list')).status).to.equal(200);

    await f.adminLogin('manager@example.com');
    const kicked = await first.get('/admin/api/resources/User/actions/list');
    expect(kicked.status, 'the replaced admin is sent to the login page').to.equal(302);
    const page = await first.get('/admin/login');
    expect(page.text).to.match(/another device|singleSessionEndedReplaced/);
  });

  it('plain users are refused by the admin login and nothing is written', async () => {
    const before = await f.count('Sessions');
    const b = f.browser();
    const res = await b.request('POST', '/admin/login', { form: { email: 'alice@example.com', password: 'password' } });
    expect(res.status).to.not.equal(302);
    expect(await f.count('Sessions')).to.equal(before);
  });
});

describe('integration: AdminJS logout (limit 2)', () => {
  let f: AdminFixture;
  before(async () => { f = await createAdminFixture({ singleUserSession: 2 }); });
  after(async () => f?.close());

  it('ends the admin\'s other sessions too (logoutAllSessions), and they are told "logout"', async () => {
    const site = await f.siteLogin('staff@example.com');
    const adminBrowser = await f.adminLogin('staff@example.com');
    expect(await f.sessionsOf(await f.userId('staff@example.com'))).to.equal(2);
    expect((await adminBrowser.get('/admin/logout')).status).to.equal(302);
    expect(await f.sessionsOf(await f.userId('staff@example.com'))).to.equal(0);
    expect((await adminBrowser.get('/admin/api/resources/User/actions/list')).status).to.equal(302);
    const me = await site.get('/me');
    expect(me.status).to.equal(401);
    expect(me.json.reason).to.equal('logout');
  });
});

describe('integration: AdminJS login refused by whenExceeded: deny', () => {
  let f: AdminFixture;
  before(async () => { f = await createAdminFixture({ singleUserSession: 1, whenExceeded: 'deny' }); });
  after(async () => f?.close());

  it('shows the translated "too many devices" message on the login page and keeps the existing session', async () => {
    const first = await f.adminLogin('manager@example.com');
    const second = f.browser();
    const res = await second.request('POST', '/admin/login', { form: { email: 'manager@example.com', password: 'password' } });
    expect(res.status).to.equal(400);
    expect(res.text).to.include('singleSessionLoginDenied'); // the message key AdminJS's login page translates…
    expect(res.text).to.include('This account is already signed in on the maximum number of devices'); // …with our text
    expect((await first.get('/admin/api/resources/User/actions/list')).status, 'the existing session stays').to.equal(200);
    expect(await f.sessionsOf(await f.userId('manager@example.com'))).to.equal(1);
  });
});

describe('integration: AdminJS `authenticate` wrapped by withSingleSession', () => {
  let f: Fixture;
  after(async () => f?.close());

  it('logs in through the policy with a fresh session id', async () => {
    f = await createFixture({}, {
      routes: (app, singleSession) => {
        const admin = new AdminJS({ rootPath: '/admin', resources: [] });
        const authenticate = withSingleSession(singleSession, async (email, password) => {
          const user = await f.User.findOne({ where: { email } });
          if (!user || !(await bcrypt.compare(password, user.get('passwordHash') as string))) return null;
          return { id: String(user.get('id')), email };
        });
        app.use('/admin', AdminJSExpress.buildAuthenticatedRouter(admin, { authenticate, cookieName: 'sid', cookiePassword: SECRET },
          null, singleSession.sessionOptions({ secret: SECRET, name: 'sid' })));
      },
    });
    const a = f.browser();
    const b = f.browser();
    expect((await a.request('POST', '/admin/login', { form: { email: 'bob@example.com', password: 'password' } })).status).to.equal(302);
    expect((await b.request('POST', '/admin/login', { form: { email: 'bob@example.com', password: 'password' } })).status).to.equal(302);
    expect(sidOf(a.cookie('sid'))).to.not.equal(sidOf(b.cookie('sid')));
    expect(await f.count('UserSessions')).to.equal(1);
    expect((await a.get('/admin')).status).to.equal(302);
    expect((await b.get('/admin')).status).to.equal(200);
  });
});

describe('integration: Passport req.login / req.logout', () => {
  let f: Fixture;
  after(async () => f?.close());

  it('goes through the policy both ways', async () => {
    const auth = new passport.Passport();
    f = await createFixture({}, {
      routes: (app, singleSession) => {
        auth.use(new LocalStrategy({ usernameField: 'email' }, (email, password, done) => {
          f.User.findOne({ where: { email } }).then(async (user) => {
            if (!user || !(await bcrypt.compare(password, user.get('passwordHash') as string))) return done(null, false);
            done(null, user.get({ plain: true }));
          }, done);
        }));
        auth.serializeUser((user: any, done) => done(null, user.id));
        auth.deserializeUser((id: number, done) => { f.User.findByPk(id).then((u) => done(null, u ? u.get({ plain: true }) : false), done); });
        usePassport(singleSession, auth);
        app.use(auth.initialize(), auth.session());
        app.post('/passport/login', express.json(), auth.authenticate('local'), (req, res) => { res.json({ id: (req.user as any).id }); });
        app.get('/passport/me', (req, res) => { res.status(req.user ? 200 : 401).json({ user: (req.user as any)?.email ?? null, reason: singleSession.getEndReason(req) }); });
        app.post('/passport/logout', (req, res, next) => { req.logout((err) => (err ? next(err) : res.json({ ok: true }))); });
      },
    });
    const a = f.browser();
    const b = f.browser();
    const c = f.browser();
    await a.get('/passport/me');
    expect((await a.post('/passport/login', { email: 'alice@example.com', password: 'password' })).status).to.equal(200);
    const sidA = sidOf(a.cookie('sid'));
    expect(await f.count('UserSessions', `sid = '${sidA}'`)).to.equal(1);
    await b.post('/passport/login', { email: 'alice@example.com', password: 'password' });
    expect((await a.get('/passport/me')).json).to.deep.equal({ user: null, reason: 'replaced' });
    expect((await b.get('/passport/me')).json.user).to.equal('alice@example.com');

    // Logging out ends alice's sessions; bob's stays.
    await c.post('/passport/login', { email: 'bob@example.com', password: 'password' });
    expect((await b.post('/passport/logout')).status).to.equal(200);
    expect(await f.count('UserSessions', `"userId" = ${await f.userId('alice@example.com')}`)).to.equal(0);
    expect((await b.get('/passport/me')).status).to.equal(401);
    expect((await c.get('/passport/me')).status).to.equal(200);
  });
});
