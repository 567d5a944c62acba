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
import { count, isMariaDb, rows } from '../../support/sql.js';

export const GENERIC_ERROR = 'Something went wrong; please try again.';

/** What the user sees when anything fails: the status and a fixed sentence. Client errors keep their status. */
export const jsonErrors: ErrorRequestHandler = (err, _req, res, next) => {
  if (res.headersSent) return next(err);
  const status = Number.isInteger(err?.status) && err.status >= 400 && err.status < 500 ? err.status : 500;
  res.status(status).json({ error: status === 500 ? GENERIC_ERROR : 'Bad request.' });
};

/**
 * The test database's URL with a fresh schema and the demo users, on a real server (PostgreSQL or MariaDB), or —
 * on embedded PGlite, which runs one transaction at a time — the suite is skipped with a message saying why.
 */
export async function realServerOrSkip(ctx: Mocha.Context, why: string): Promise<{ url: string; sequelize: Sequelize }> {
  const db = await testDatabase();
  if (!db.real) {
    console.log(`    (skipped: needs a real database server ${why}; set DATABASE_URL)`);
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

/**
 * The user a Sessions row claims (the store's `singleSessionUserId` in its JSON `data`, as text; NULL when none):
 * an SQL expression. `data` is TEXT on both databases.
 */
export function claimedUser(sequelize: Sequelize, data: string): string {
  return isMariaDb(sequelize) ? `JSON_VALUE(${data}, '$.singleSessionUserId')` : `(${data}::jsonb->>'singleSessionUserId')`;
}

/** Row counts of the session tables, optionally for one user. */
export async function sessionRows(sequelize: Sequelize, userId?: number): Promise<{ sessions: number; links: number; claiming: number }> {
  const claimed = claimedUser(sequelize, 'data');
  const [row] = await rows<Record<string, unknown>>(sequelize,
    `SELECT (SELECT count(*) FROM "Sessions") AS sessions,
            (SELECT count(*) FROM "UserSessions" ${userId === undefined ? '' : 'WHERE "userId" = $user'}) AS links,
            (SELECT count(*) FROM "Sessions" WHERE ${claimed} ${userId === undefined ? 'IS NOT NULL' : '= $text'}) AS claiming`,
    userId === undefined ? {} : { bind: { user: userId, text: String(userId) } },
  );
  return { sessions: Number(row!.sessions), links: Number(row!.links), claiming: Number(row!.claiming) };
}

/** Sessions rows that claim a user but have no link to that user: must never exist (and never be served). */
export async function orphanClaims(sequelize: Sequelize): Promise<number> {
  const claimed = claimedUser(sequelize, 's.data');
  const linked = isMariaDb(sequelize) ? 'CAST(us.`userId` AS CHAR)' : 'us."userId"::text';
  return count(sequelize,
    `SELECT count(*) AS n FROM "Sessions" s LEFT JOIN "UserSessions" us ON us.sid = s.sid
     WHERE ${claimed} IS NOT NULL AND (us.sid IS NULL OR ${linked} <> ${claimed})`,
  );
}

/** A cookie value as express-session signs it (`s:` + sid + `.` + HMAC-SHA256, base64 without padding), URL-encoded. */
export function signedCookie(sid: string, secret = SECRET): string {
  const mac = createHmac('sha256', secret).update(sid).digest('base64').replace(/=+$/, '');
  return encodeURIComponent(`s:${sid}.${mac}`);
}
