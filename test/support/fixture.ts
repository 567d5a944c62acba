/**
 * A real app for a test: fresh schema on the test database, demo users, the engine with the given options and an
 * Express server on a free port (site routes: POST /login, GET /me, POST /logout).
 */
import bcrypt from 'bcryptjs';
import express, { type Express } from 'express';
import type { AddressInfo } from 'node:net';
import http, { type Server } from 'node:http';
import type { Sequelize } from 'sequelize';
import { createSingleSession, type SingleSession, type SingleSessionOptions } from '../../src/index.js';
import { migrateDemo } from '../../example/db/schema.js';
import { defineUser, type UserModel } from '../../example/db/users.js';
import { siteRouter } from '../../example/site.js';
import { connect, testDatabase } from './database.js';
import { count as countRows, run } from './sql.js';
import { Browser } from './http.js';

export const SECRET = 'test secret, not for production';

/** Cost 4 keeps tests fast; it is still bcrypt. */
export const hashPassword = (password: string) => bcrypt.hashSync(password, 4);

export async function resetSchema(sequelize: Sequelize): Promise<void> {
  await run(sequelize, 'DROP VIEW IF EXISTS "ActiveSessions"');
  await run(
    sequelize,
    'DROP TABLE IF EXISTS "SessionLocks", "KnownDevices", "SessionAuditEvents", "EndedSessions", "UserSessions", "Sessions", "Users", "SequelizeMeta" CASCADE',
  );
  await migrateDemo(sequelize);
}

/** An app served by `serve`. */
export type ServedApp = Awaited<ReturnType<typeof serve>>;

export interface Fixture extends ServedApp {
  count(table: 'Sessions' | 'UserSessions' | 'EndedSessions', where?: string): Promise<number>;
}

export const USERS = [
  { email: 'admin@example.com', isAdmin: true, permissions: [] },
  { email: 'manager@example.com', isAdmin: false, permissions: ['single_session.logout', 'single_session.logout_all'] },
  { email: 'staff@example.com', isAdmin: false, permissions: ['single_session.logout'] },
  { email: 'alice@example.com', isAdmin: false, permissions: [] },
  { email: 'bob@example.com', isAdmin: false, permissions: [] },
];

export async function createFixture(
  options: Omit<SingleSessionOptions, 'sequelize'> = {},
  { session = {}, routes, pool = 10 }: {
    session?: Record<string, unknown>;
    routes?: (app: Express, singleSession: SingleSession) => void;
    pool?: number;
  } = {},
): Promise<Fixture> {
  const db = await testDatabase();
  const sequelize = connect(db.url, pool);
  await resetSchema(sequelize);
  const User = defineUser(sequelize);
  const hash = hashPassword('password');
  await User.bulkCreate(USERS.map((u) => ({ ...u, passwordHash: hash })));
  const singleSession = await createSingleSession({ sequelize, userModel: User, ...options });
  const served = await serve(sequelize, singleSession, User, { session, routes });
  return {
    ...served,
    async count(table, where = 'TRUE') {
      return countRows(sequelize, `SELECT count(*) AS n FROM "${table}" WHERE ${where}`);
    },
  };
}

/**
 * Another app process's worth of objects on the same database (its own pool, engine and HTTP server), as a
 * second instance of the app would have. Nothing is reset.
 */
export async function anotherInstance(f: Fixture, options: Omit<SingleSessionOptions, 'sequelize'> = {}, pool = 10) {
  const db = await testDatabase();
  const sequelize = connect(db.url, pool);
  const User = defineUser(sequelize);
  const singleSession = await createSingleSession({ sequelize, userModel: User, ...options });
  return serve(sequelize, singleSession, User, {});
}

/** What a host app does around the engine: the session middleware, extra routes, the site, an error handler. */
export async function serve(
  sequelize: Sequelize, singleSession: SingleSession, User: UserModel,
  { session = {}, routes, errors = shortErrors, closeSequelize = true }: {
    session?: Record<string, unknown>;
    routes?: (app: Express, singleSession: SingleSession) => void;
    errors?: express.ErrorRequestHandler;
    /** Close the Sequelize instance with the app (not when the test owns it). */
    closeSequelize?: boolean;
  },
) {
  const app = express();
  app.use(singleSession.sessionMiddleware({ secret: SECRET, name: 'sid', ...session }));
  routes?.(app, singleSession);
  app.use(siteRouter({ singleSession, User }));
  app.use(errors);
  // Bulk actions carry their ids in the query string: like the demo, accept 1 MB of headers (the admin guard checks).
  const server: Server = http.createServer({ maxHeaderSize: 1024 * 1024 }, app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    sequelize,
    singleSession,
    User,
    app,
    baseUrl,
    browser: () => new Browser(baseUrl),
    async userId(email: string) {
      const user = await User.findOne({ where: { email } });
      return user!.get('id') as number;
    },
    async close() {
      singleSession.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      if (closeSequelize) await sequelize.close();
    },
  };
}

/** Like any host app: errors become a short message, never a stack trace. */
const shortErrors: express.ErrorRequestHandler = (err: Error, _req, res, _next) => {
  res.status(500).json({ error: 'Internal error', name: err.name });
};
