/**
 * The Express apps the bench talks to over real HTTP. Logins are bench-only routes that look the user up by id
 * and skip password hashing (identical on every side, and hashing would hide the difference being measured).
 */
import SequelizeStoreInit from 'connect-session-sequelize';
import express, { type NextFunction, type Request, type Response } from 'express';
import session from 'express-session';
import { promisify } from 'node:util';
import { QueryTypes, type Sequelize } from 'sequelize';
import { defineUser, type UserModel } from '../example/db/users.js';
import { createSingleSession, type SingleSession, USER_KEY } from '../src/index.js';
import { isMariaDb } from './db.js';

export const SECRET = 'bench-only-secret';

/**
 * The do-it-yourself way to end a user's sessions without a link table: scan every session's JSON. MariaDB's
 * spelling reads the key with JSON_VALUE (its `data` is text, like PostgreSQL's).
 */
export const DIY_JSON_SCAN = {
  postgres: `DELETE FROM "Sessions" WHERE data::jsonb->>'${USER_KEY}' = $user AND sid <> $keep`,
  mariadb: `DELETE FROM \`Sessions\` WHERE JSON_VALUE(data, '$.${USER_KEY}') = :user AND sid <> :keep`,
};

export function diyEndSessions(sequelize: Sequelize, userId: string, keepSid = ''): Promise<number> {
  const values = { user: userId, keep: keepSid };
  return isMariaDb(sequelize)
    ? sequelize.query(DIY_JSON_SCAN.mariadb, { replacements: values, type: QueryTypes.BULKDELETE })
    : sequelize.query(DIY_JSON_SCAN.postgres, { bind: values, type: QueryTypes.BULKDELETE });
}

/** An engine as the bench uses it: the demo's user model, no background purge (nothing runs between samples). */
export function engine(sequelize: Sequelize, singleUserSession: boolean): Promise<SingleSession> {
  return createSingleSession({ sequelize, userModel: defineUser(sequelize), singleUserSession, purgeIntervalMs: false });
}

/**
 * P4's yardstick: ending users' sessions with nothing but the set-based DELETE and its cascade to UserSessions
 * (no end-reason notes, no counts), in a transaction of its own like the action's. MariaDB has no DELETE … USING:
 * its multiple-table DELETE joins instead.
 */
export const BARE_DELETE = {
  postgres: `DELETE FROM "Sessions" s USING "UserSessions" us WHERE us.sid = s.sid AND us."userId" = ANY($ids::int[])`,
  mariadb: 'DELETE s FROM `Sessions` s JOIN `UserSessions` us ON us.sid = s.sid WHERE us.`userId` IN (:ids)',
};

export function bareEndSessions(sequelize: Sequelize, userIds: number[]): Promise<number> {
  return sequelize.transaction((transaction) => (isMariaDb(sequelize)
    ? sequelize.query(BARE_DELETE.mariadb, { replacements: { ids: userIds }, transaction, type: QueryTypes.BULKDELETE })
    : sequelize.query(BARE_DELETE.postgres, { bind: { ids: userIds }, transaction, type: QueryTypes.BULKDELETE })));
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

/**
 * One app, two routes per variant, each with its own engine's session middleware: `POST /<variant>/login?id=N`,
 * and `POST /<variant>/logout` (the user's own logout, which ends every session of theirs: `logoutAllSessions`).
 */
export function loginApp(sequelize: Sequelize, variants: Record<string, LoginVariant>): express.Express {
  const User = defineUser(sequelize);
  const app = express();
  for (const [name, { singleSession, after }] of Object.entries(variants)) {
    const sessions = singleSession.sessionMiddleware({ secret: SECRET });
    app.post(`/${name}/login`, sessions, loginRoute(User, async (req, user) => {
      await singleSession.userLoggedIn(req, user);
      await after?.(String(user.id), req.sessionID);
    }));
    app.post(`/${name}/logout`, sessions, (req, res, next) => {
      singleSession.userLoggedOut(req).then((ended) => res.json(ended), next);
    });
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
