/**
 * The stress suites' app: like test/support/fixture.ts (site routes of the demo, the engine, a free port), but on
 * a Sequelize instance the test chooses (a proxy it can cut, a statement timeout…), without resetting anything,
 * and with an app-level error handler: the user gets a short JSON error, never a stack trace.
 */
import type { ErrorRequestHandler, Express } from 'express';
import { createHmac } from 'node:crypto';
import type { Sequelize } from 'sequelize';
import { createSingleSession, type SingleSession, type SingleSessionOptions } from '../../../src/index.js';
import { defineUser } from '../../../example/db/users.js';
import { connect, testDatabase } from '../../support/database.js';
import { hashPassword, resetSchema, SECRET, serve, type ServedApp, USERS } from '../../support/fixture.js';

export const GENERIC_ERROR = 'Something went wrong; please try again.';

/** What the user sees when anything fails: the status and a fixed sentence. Client errors keep their status. */
export const jsonErrors: ErrorRequestHandler = (err, _req, res, next) => {
  if (res.headersSent) return next(err);
  const status = Number.isInteger(err?.status) && err.status >= 400 && err.status < 500 ? err.status : 500;
  res.status(status).json({ error: status === 500 ? GENERIC_ERROR : 'Bad request.' });
};

/**
 * The test database's URL with a fresh schema and the demo users, or — on embedded PGlite, which runs one
 * transaction at a time — the suite is skipped with a message saying why.
 */
export async function realPostgresOrSkip(ctx: Mocha.Context, why: string): Promise<{ url: string; sequelize: Sequelize }> {
  const db = await testDatabase();
  if (!db.real) {
    console.log(`    (skipped: needs real PostgreSQL ${why}; set DATABASE_URL)`);
    ctx.skip();
  }
  const sequelize = connect(db.url, 4);
  await freshDatabase(sequelize);
  return { url: db.url, sequelize };
}

/** A fresh schema with the five demo users (password `password`, bcrypt cost 4). */
export async function freshDatabase(sequelize: Sequelize, extraUsers = 0): Promise<void> {
  await resetSchema(sequelize);
  const User = defineUser(sequelize);
  const hash = hashPassword('password');
  const extra = Array.from({ length: extraUsers }, (_, i) => ({ email: `user${i}@example.com`, isAdmin: false, permissions: [] }));
  await User.bulkCreate([...USERS, ...extra].map((u) => ({ ...u, passwordHash: hash })));
}

export type StressApp = ServedApp;

export async function startApp(sequelize: Sequelize, {
  options = {}, session = {}, routes, engine, errors = jsonErrors,
}: {
  options?: Omit<SingleSessionOptions, 'sequelize'>;
  session?: Record<string, unknown>;
  routes?: (app: Express, singleSession: SingleSession) => void;
  /** An engine built already (to build the app around one that exists). */
  engine?: SingleSession;
  /** The app's error handler. Default: `jsonErrors`. */
  errors?: ErrorRequestHandler;
} = {}): Promise<StressApp> {
  const User = defineUser(sequelize);
  const singleSession = engine ?? await createSingleSession({ sequelize, userModel: User, purgeIntervalMs: false, ...options });
  return serve(sequelize, singleSession, User, { session, routes, errors, closeSequelize: false });
}

/** Row counts of the session tables, optionally for one user. */
export async function sessionRows(sequelize: Sequelize, userId?: number): Promise<{ sessions: number; links: number; claiming: number }> {
  const [rows] = await sequelize.query(
    `SELECT (SELECT count(*)::int FROM "Sessions") AS sessions,
            (SELECT count(*)::int FROM "UserSessions" WHERE $user::int IS NULL OR "userId" = $user::int) AS links,
            (SELECT count(*)::int FROM "Sessions" WHERE data::jsonb ? 'singleSessionUserId'
               AND ($user::int IS NULL OR data::jsonb->>'singleSessionUserId' = $user::text)) AS claiming`,
    { bind: { user: userId ?? null } },
  );
  return (rows as Array<{ sessions: number; links: number; claiming: number }>)[0]!;
}

/** Sessions rows that claim a user but have no link to that user: must never exist (and never be served). */
export async function orphanClaims(sequelize: Sequelize): Promise<number> {
  const [rows] = await sequelize.query(
    `SELECT count(*)::int AS n FROM "Sessions" s LEFT JOIN "UserSessions" us ON us.sid = s.sid
     WHERE s.data::jsonb ? 'singleSessionUserId'
       AND (us.sid IS NULL OR us."userId"::text <> s.data::jsonb->>'singleSessionUserId')`,
  );
  return (rows as Array<{ n: number }>)[0]!.n;
}

/** A cookie value as express-session signs it (`s:` + sid + `.` + HMAC-SHA256, base64 without padding), URL-encoded. */
export function signedCookie(sid: string, secret = SECRET): string {
  const mac = createHmac('sha256', secret).update(sid).digest('base64').replace(/=+$/, '');
  return encodeURIComponent(`s:${sid}.${mac}`);
}
