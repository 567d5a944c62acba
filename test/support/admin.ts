/**
 * A real AdminJS app for a test: the fixture's app (site routes, demo users, engine) with the demo's AdminJS
 * (example/admin.ts) mounted at /admin, served on a free port by a server that accepts the long query strings
 * of bulk actions (10,000 ids do not fit in Node's default 16 KB of headers).
 */
import express from 'express';
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SingleSessionOptions } from '../../src/index.js';
import { buildAdmin, type BuildAdminOptions, type DemoAdmin } from '../../example/admin.js';
import { createFixture, SECRET, type Fixture } from './fixture.js';
import { Browser, sidOf } from './http.js';
import { rows } from './sql.js';

export const MAX_HEADER_SIZE = 1024 * 1024;

export interface AdminFixture extends Fixture, DemoAdmin {
  /** A browser on the big-header server (site routes and /admin). */
  browser(): Browser;
  /** A browser logged into AdminJS through its login form. Throws unless the login redirects into the admin. */
  adminLogin(email: string, password?: string): Promise<Browser>;
  /** A browser logged into the site (POST /login). */
  siteLogin(email: string): Promise<Browser>;
  bulk(browser: Browser, action: string, ids: ReadonlyArray<string | number>, method?: 'GET' | 'POST'): Promise<Awaited<ReturnType<Browser['request']>>>;
  record(browser: Browser, action: string, id: string | number, method?: 'GET' | 'POST'): Promise<Awaited<ReturnType<Browser['request']>>>;
  /** Live session rows of a user. */
  sessionsOf(userId: number): Promise<number>;
  /** The public handle (`UserSessions.id`, as text) of the session the browser's cookie names. */
  handleOf(browser: Browser): Promise<string>;
}

/**
 * A table named in an SQL statement Sequelize logged, as a RegExp source: "Sessions" on PostgreSQL, `Sessions` or
 * Sessions on MariaDB (the library's MariaDB SQL leaves its own names bare); never a longer name (UserSessions).
 */
export const quoted = (name: string) => `(?<![\\w"\`])["\`]?${name}["\`]?(?![\\w"\`])`;

export async function createAdminFixture(
  options: Omit<SingleSessionOptions, 'sequelize'> = {},
  admin: Omit<BuildAdminOptions, 'sequelize' | 'singleSession' | 'User'> = {},
): Promise<AdminFixture> {
  // The admin router needs the engine the fixture creates: mount a holder now, fill it once both exist.
  const holder = express.Router();
  const f = await createFixture(options, { routes: (app) => app.use('/admin', holder) });
  const built = await buildAdmin({ sequelize: f.sequelize, singleSession: f.singleSession, User: f.User, secret: SECRET, ...admin });
  holder.use(built.router);

  const server: Server = http.createServer({ maxHeaderSize: MAX_HEADER_SIZE }, f.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = () => new Browser(baseUrl);
  const api = `/admin/api/resources/User`;

  return {
    ...f,
    ...built,
    baseUrl,
    browser,
    async adminLogin(email, password = 'password') {
      const b = browser();
      const res = await b.request('POST', '/admin/login', { form: { email, password } });
      if (res.status !== 302 || res.headers.get('location') !== '/admin') {
        throw new Error(`admin login of ${email} failed: ${res.status} ${res.headers.get('location') ?? res.text.slice(0, 200)}`);
      }
      return b;
    },
    async siteLogin(email) {
      const b = browser();
      const res = await b.login(email);
      if (res.status !== 200) throw new Error(`site login of ${email} failed: ${res.status} ${res.text}`);
      return b;
    },
    bulk: (b, action, ids, method = 'POST') => b.request(method, `${api}/bulk/${action}?recordIds=${ids.join(',')}`),
    record: (b, action, id, method = 'POST') => b.request(method, `${api}/records/${id}/${action}`),
    sessionsOf: (userId) => f.count('UserSessions', `"userId" = ${Number(userId)}`),
    async handleOf(b) {
      // A BIGINT: text on PostgreSQL, a number on MariaDB.
      const [row] = await rows<{ id: unknown }>(f.sequelize, 'SELECT id FROM "UserSessions" WHERE sid = $sid', { bind: { sid: sidOf(b.cookie('sid')) } });
      if (!row) throw new Error('handleOf: no UserSessions row for the browser\'s session');
      return String(row.id);
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await f.close();
    },
  };
}
