/**
 * The demo app (example/app.ts: the site, AdminJS with the package's feature and pages, the error handler) served
 * in this process on a bench database, with a client logged in to its AdminJS as the bench's admin by the standard
 * login form. P4 and P6 talk to it over real HTTP.
 */
import { buildDemoApp } from '../example/app.js';
import { defineUser } from '../example/db/users.js';
import type { SingleSession } from '../src/index.js';
import { SECRET } from './apps.js';
import type { BenchDb } from './context.js';
import { ADMIN_EMAIL, PASSWORD } from './fill.js';
import { Client, serve } from './http.js';

export interface DemoAdmin {
  url: string;
  /** Carries the admin's session cookie. */
  client: Client;
  close(): Promise<void>;
}

/** `liveRights: false`: AdminJS trusts the sign-in copy of the user (P6 measures what reading it costs). */
export async function serveDemoAdmin(db: BenchDb, singleSession: SingleSession, { liveRights }: { liveRights?: false } = {}): Promise<DemoAdmin> {
  const app = await buildDemoApp({ sequelize: db.sequelize, singleSession, User: defineUser(db.sequelize), secret: SECRET, ...(liveRights === false ? { liveRights } : {}) });
  const server = await serve(app);
  const client = new Client(server.url);
  const login = await client.send('POST', '/admin/login', { form: { email: ADMIN_EMAIL, password: PASSWORD } });
  if (login.status !== 302) {
    await server.close();
    throw new Error(`admin login answered ${login.status}, expected a redirect: ${login.text.slice(0, 300)}`);
  }
  return { url: server.url, client, close: () => server.close() };
}
