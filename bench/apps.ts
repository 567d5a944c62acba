/**
 * The Express apps the bench talks to over real HTTP. Logins are bench-only routes that look the user up by id
 * and skip password hashing (identical on every side, and hashing would hide the difference being measured).
 */
import SequelizeStoreInit from 'connect-session-sequelize';
import express, { type NextFunction, type Request, type Response } from 'express';
import session from 'express-session';
import { promisify } from 'node:util';
import type { Sequelize } from 'sequelize';
import { defineUser, type UserModel } from '../example/db/users.js';
import { createSingleSession, type SingleSession, USER_KEY } from '../src/index.js';

export const SECRET = 'bench-only-secret';

/** The do-it-yourself way to end a user's sessions without a link table: scan every session's JSON. */
export const DIY_JSON_SCAN = `DELETE FROM "Sessions" WHERE data::jsonb->>'${USER_KEY}' = $user AND sid <> $keep`;

export async function diyEndSessions(sequelize: Sequelize, userId: string, keepSid = ''): Promise<number> {
  const [, result] = await sequelize.query(DIY_JSON_SCAN, { bind: { user: userId, keep: keepSid } });
  return (result as { rowCount: number }).rowCount;
}

/** An engine as the bench uses it: the demo's user model, no background purge (nothing runs between samples). */
export function engine(sequelize: Sequelize, singleUserSession: boolean): Promise<SingleSession> {
  return createSingleSession({ sequelize, userModel: defineUser(sequelize), singleUserSession, purgeIntervalMs: false });
}

/**
 * P4's yardstick: ending users' sessions with nothing but the set-based DELETE and its cascade to UserSessions
 * (no end-reason notes, no counts), in a transaction of its own like the action's.
 */
export const BARE_DELETE = `DELETE FROM "Sessions" s USING "UserSessions" us WHERE us.sid = s.sid AND us."userId" = ANY($ids::int[])`;

export function bareEndSessions(sequelize: Sequelize, userIds: number[]): Promise<number> {
  return sequelize.transaction(async (transaction) => {
    const [, result] = await sequelize.query(BARE_DELETE, { bind: { ids: userIds }, transaction });
    return (result as { rowCount: number }).rowCount;
  });
}

type LogIn = (req: Request, user: { id: number }) => Promise<void>;

/** `POST /login?id=N`: find the user, log them in through `logIn`, answer `{ id }`. */
function loginRoute(User: UserModel, logIn: LogIn) {
  return (req: Request, res: Response, next: NextFunction) => {
    (async () => {
      const user = await User.findByPk(Number(req.query.id));
      if (!user) return res.status(404).json({ error: 'no such user' });
      await logIn(req, user.get({ plain: true }));
      return res.json({ id: user.get('id') });
    })().catch(next);
  };
}

export interface LoginVariant {
  singleSession: SingleSession;
  /** Runs after the login hook, inside the request (the JSON-scan variant ends the other sessions here). */
  after?: (userId: string, sid: string) => Promise<unknown>;
}

/** One app, one route per variant: `POST /<variant>/login?id=N`, each with its own engine's session middleware. */
export function loginApp(sequelize: Sequelize, variants: Record<string, LoginVariant>): express.Express {
  const User = defineUser(sequelize);
  const app = express();
  for (const [name, { singleSession, after }] of Object.entries(variants)) {
    app.post(`/${name}/login`, singleSession.sessionMiddleware({ secret: SECRET }), loginRoute(User, async (req, user) => {
      await singleSession.userLoggedIn(req, user);
      await after?.(String(user.id), req.sessionID);
    }));
  }
  return app;
}

/**
 * P3's two apps, identical but for the session store: `POST /login?id=N` and an authenticated `GET /whoami`
 * that answers from the session alone (no user lookup), so the store's per-request cost is what differs.
 * Each gets its own Sequelize instance: connect-session-sequelize defines its own `Session` model.
 */
export async function throughputApps(ours: Sequelize, plain: Sequelize): Promise<{ ours: express.Express; plain: express.Express }> {
  const singleSession = await engine(ours, true);
  const oursApp = express();
  oursApp.use(singleSession.sessionMiddleware({ secret: SECRET }));
  oursApp.post('/login', loginRoute(defineUser(ours), (req, user) => singleSession.userLoggedIn(req, user)));
  oursApp.get('/whoami', (req, res) => whoami(res, singleSession.getUserId(req)));

  const SequelizeStore = SequelizeStoreInit(session.Store);
  const store = new SequelizeStore({ db: plain, checkExpirationInterval: 0 });
  const plainApp = express();
  plainApp.use(session({
    secret: SECRET, store, resave: false, saveUninitialized: false, cookie: { httpOnly: true, sameSite: 'lax' },
  }));
  plainApp.post('/login', loginRoute(defineUser(plain), async (req, user) => {
    await promisify(req.session.regenerate.bind(req.session))();
    (req.session as unknown as Record<string, unknown>).benchUserId = String(user.id);
  }));
  plainApp.get('/whoami', (req, res) => whoami(res, (req.session as unknown as Record<string, string | undefined>).benchUserId ?? null));
  return { ours: oursApp, plain: plainApp };
}

function whoami(res: Response, userId: string | null) {
  if (userId === null) res.status(401).json({ error: 'not logged in' });
  else res.json({ id: userId });
}
