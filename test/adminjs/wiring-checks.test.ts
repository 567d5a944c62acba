/**
 * Start-up checks of the AdminJS wiring. An app wired as docs/install.md says, with one mistake each,
 * must fail with a SingleSessionConfigError whose message says how to fix it — at start-up, or at the latest on its
 * first request — instead of a page that silently shows AdminJS's "You have to implement action component", a login
 * page that never says why a session ended, or bulk actions whose query strings the server refuses.
 *
 * The mistakes: a feature, resource or page built with another ComponentLoader than the AdminJS instance (or an
 * AdminJS given none, as most existing apps are); the session middleware not mounted before AdminJS; a server whose
 * header limit is too small for the configured number of ids; a custom `rootPath` without its `loginPath` and
 * `logoutPath` (AdminJS keeps `/admin/login`, which @adminjs/express then redirects to: a 404).
 */
import { expect } from 'chai';
import AdminJSExpress from '@adminjs/express';
import { Database, Resource } from '@adminjs/sequelize';
import AdminJS, { ComponentLoader } from 'adminjs';
import express from 'express';
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Sequelize } from 'sequelize';
import { createSingleSession, SingleSessionConfigError, type SingleSession } from '../../src/index.js';
import {
  guardedAdminRouter, mySessionsPage, sessionsResource, SingleSessionAuthProvider, singleSessionFeature,
} from '../../src/adminjs.js';
import { defineUser, type UserModel } from '../../example/db/users.js';
import { connect, testDatabase } from '../support/database.js';
import { resetSchema, SECRET } from '../support/fixture.js';

type Mistake =
  | 'none' | 'feature-loader' | 'resource-loader' | 'page-loader' | 'admin-without-loader'
  | 'session-after-admin' | 'no-session-middleware'
  | 'custom-root-default-paths' | 'custom-root-default-logout' | 'custom-root';

/** AdminJS's paths for each case: a custom root with its pages (`custom-root`), or without them. */
const PATHS: Partial<Record<Mistake, { rootPath: string; loginPath?: string; logoutPath?: string }>> = {
  'custom-root-default-paths': { rootPath: '/backoffice' },
  'custom-root-default-logout': { rootPath: '/backoffice', loginPath: '/backoffice/login' },
  'custom-root': { rootPath: '/backoffice', loginPath: '/backoffice/login', logoutPath: '/backoffice/logout' },
};


AdminJS.registerAdapter({ Database, Resource });

describe('AdminJS wiring: start-up checks', function () {
  this.timeout(120_000);
  let sequelize: Sequelize;
  let User: UserModel;
  const servers: Server[] = [];
  const engines: SingleSession[] = [];

  before(async () => {
    sequelize = connect((await testDatabase()).url, 5);
    await resetSchema(sequelize);
    User = defineUser(sequelize);
  });

  after(async () => {
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    for (const engine of engines) engine.close();
    await sequelize?.close();
  });

  /** The install section's wiring with one mistake; the error it fails with (thrown, or sent to the error handler). */
  async function wire(mistake: Mistake): Promise<{ error: unknown; status?: number; base?: string }> {
    const errors: unknown[] = [];
    try {
      // An engine per app: each express-session instance listens to its store.
      const singleSession = await createSingleSession({ sequelize, userModel: User });
      engines.push(singleSession);
      const loader = new ComponentLoader();
      const loaderFor = (part: Mistake) => (mistake === part ? new ComponentLoader() : loader);
      const admin = new AdminJS({
        ...(PATHS[mistake] ?? { rootPath: '/admin' }),
        ...(mistake === 'admin-without-loader' ? {} : { componentLoader: loader }),
        pages: { mySessions: mySessionsPage({ singleSession, componentLoader: loaderFor('page-loader') }) },
        resources: [
          { resource: User, options: { id: 'User' }, features: [singleSessionFeature({ singleSession, componentLoader: loaderFor('feature-loader') })] },
          sessionsResource({ singleSession, componentLoader: loaderFor('resource-loader') }),
        ],
      });
      const app = express();
      const sessions = singleSession.sessionMiddleware({ secret: SECRET, name: 'sid' });
      if (mistake !== 'session-after-admin' && mistake !== 'no-session-middleware') app.use(sessions);
      const provider = new SingleSessionAuthProvider({ singleSession, componentLoader: loader, authenticate: async () => null });
      const adminRouter = AdminJSExpress.buildAuthenticatedRouter(
        admin, { provider, cookieName: 'sid', cookiePassword: SECRET }, null, singleSession.sessionOptions({ secret: SECRET, name: 'sid' }),
      );
      app.use(admin.options.rootPath, guardedAdminRouter({ admin, singleSession, router: adminRouter }));
      if (mistake === 'session-after-admin') app.use(sessions);
      app.use(((err, _req, res, _next) => {
        errors.push(err);
        res.status(500).json({ error: String(err?.message) });
      }) satisfies express.ErrorRequestHandler);

      const server = http.createServer(app); // Node's default 16 KB of headers: bulk ids beyond it go in the body (issue 23)
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', resolve);
      });
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const res = await fetch(`${base}${admin.options.loginPath}`);
      await res.text();
      return { error: errors[0], status: res.status, base };
    } catch (err) {
      return { error: err };
    }
  }

  it('the install guide\'s wiring starts and serves the login page', async () => {
    const { error, status } = await wire('none');
    expect(error).to.equal(undefined);
    expect(status).to.equal(200);
  });

  it('a custom rootPath with its loginPath and logoutPath: signed out, the panel sends the browser to its login page', async () => {
    const { error, status, base } = await wire('custom-root');
    expect([error, status]).to.deep.equal([undefined, 200]);
    const panel = await fetch(`${base}/backoffice/resources/User`, { redirect: 'manual' });
    expect([panel.status, panel.headers.get('location')]).to.deep.equal([302, '/backoffice/login']);
  });

  const CASES: Array<[Mistake, string, RegExp]> = [
    ['feature-loader', 'singleSessionFeature built with another ComponentLoader than new AdminJS', /componentLoader/],
    ['resource-loader', 'sessionsResource built with another ComponentLoader than new AdminJS', /componentLoader/],
    ['page-loader', 'mySessionsPage built with another ComponentLoader than new AdminJS', /componentLoader/],
    ['admin-without-loader', 'new AdminJS without the componentLoader the feature got (most existing apps pass none)', /componentLoader/],
    ['session-after-admin', 'the session middleware mounted after AdminJS', /sessionMiddleware/],
    ['no-session-middleware', 'no app-wide session middleware before AdminJS', /sessionMiddleware/],
    ['custom-root-default-paths', 'rootPath \'/backoffice\' without loginPath and logoutPath (the login redirect would be a 404)',
      /rootPath: '\/backoffice', loginPath: '\/backoffice\/login', logoutPath: '\/backoffice\/logout'/],
    ['custom-root-default-logout', 'rootPath \'/backoffice\' with its loginPath but not its logoutPath', /`logoutPath` is "\/admin\/logout"/],
  ];
  for (const [mistake, title, fix] of CASES) {
    it(`${title}: a SingleSessionConfigError says how to fix it`, async () => {
      const { error } = await wire(mistake);
      expect(error, 'no error at start-up or on the first request').to.be.instanceOf(SingleSessionConfigError);
      expect((error as Error).message).to.match(fix);
    });
  }
});
