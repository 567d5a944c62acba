/**
 * A real app for a test: fresh schema on the test database, demo users, the engine with the given options and an
 * Express server on a free port (site routes: POST /login, GET /me, POST /logout).
 */
import bcrypt from 'bcryptjs';
import express, { type Express } from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Sequelize } from 'sequelize';
import { createSingleSession, type SingleSession, type SingleSessionOptions } from '../../src/index.js';
import { migrateDemo } from '../../example/db/schema.js';
import { defineUser, type UserModel } from '../../example/db/users.js';
import { siteRouter } from '../../example/site.js';
import { connect, testDatabase } from './database.js';
import { Browser } from './http.js';

export const SECRET = 'test secret, not for production';

/** Cost 4 keeps tests fast; it is still bcrypt. */
export const hashPassword = (password: string) => bcrypt.hashSync(password, 4);

export async function resetSchema(sequelize: Sequelize): Promise<void> {
  await sequelize.query(
    'DROP TABLE IF EXISTS "SessionAuditEvents", "EndedSessions", "UserSessions", "Sessions", "Users", "SequelizeMeta" CASCADE',
  );
  await migrateDemo(sequelize);
}

export interface Fixture {
  sequelize: Sequelize;
  singleSession: SingleSession;
  User: UserModel;
  app: Express;
  baseUrl: string;
  browser(): Browser;
  userId(email: string): Promise<number>;
  count(table: 'Sessions' | 'UserSessions' | 'EndedSessions', where?: string): Promise<number>;
  close(): Promise<void>;
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
    browser: () => new Browser(served.baseUrl),
    async userId(email) {
      const user = await User.findOne({ where: { email } });
      return user!.get('id') as number;
    },
    async count(table, where = 'TRUE') {
      const [rows] = await sequelize.query(`SELECT count(*)::int AS n FROM "${table}" WHERE ${where}`);
      return (rows as Array<{ n: number }>)[0]!.n;
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
  const served = await serve(sequelize, singleSession, User, {});
  return { ...served, browser: () => new Browser(served.baseUrl) };
}

async function serve(
  sequelize: Sequelize, singleSession: SingleSession, User: UserModel,
  { session = {}, routes }: { session?: Record<string, unknown>; routes?: (app: Express, singleSession: SingleSession) => void },
) {
  const app = express();
  app.use(singleSession.sessionMiddleware({ secret: SECRET, name: 'sid', ...session }));
  routes?.(app, singleSession);
  app.use(siteRouter({ singleSession, User }));
  // Like any host app: errors become a short message, never a stack trace.
  app.use((err: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.status(500).json({ error: 'Internal error', name: err.name });
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    sequelize,
    singleSession,
    User,
    app,
    baseUrl,
    async close() {
      singleSession.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await sequelize.close();
    },
  };
}
