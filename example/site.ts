/**
 * The demo site's own login: a hand-written Express route calling the two hooks — the "plain Express"
 * integration. It shares the session store and cookie with AdminJS. The login and the logout refuse what another
 * site sends (`guardCrossSite`); the password check takes the same time for unknown emails and is throttled per
 * account and per client (login.ts).
 */
import express, { type Request, type Response, type NextFunction } from 'express';
import { guardCrossSite, LoginDeniedError, type SingleSession } from '../src/index.js';
import type { UserModel } from './db/users.js';
import { LoginThrottle, LoginThrottledError, passwordChecker } from './login.js';

export const SITE_MESSAGES = {
  replaced: 'You were signed out because your account signed in on another device.',
  revoked: 'You were signed out by an administrator.',
  idle: 'You were signed out because you were inactive for too long. Please sign in again.',
  lifetime: 'You were signed out because your sign-in reached its maximum duration. Please sign in again.',
  signedOut: 'You were signed out.',
  notLoggedIn: 'Not logged in.',
  badCredentials: 'Wrong email or password.',
  missingFields: 'Give both `email` and `password`.',
  limitReached: 'This account is already signed in on the maximum number of devices. Sign out on one of them first.',
  throttled: (seconds: number) => `Too many failed sign-ins. Try again in ${seconds} s.`,
} as const;

const wantsJson = (req: Request) => !req.is('application/x-www-form-urlencoded');
const asyncRoute = (fn: (req: Request, res: Response) => Promise<unknown>) =>
  (req: Request, res: Response, next: NextFunction) => fn(req, res).catch(next);

export interface SiteRouterOptions {
  singleSession: SingleSession;
  User: UserModel;
  /** Failed-login counters; share one with the AdminJS login so both count the same account. Default: its own. */
  throttle?: LoginThrottle;
}

export function siteRouter({ singleSession, User, throttle = new LoginThrottle() }: SiteRouterOptions): express.Router {
  const router = express.Router();
  const body = [guardCrossSite(), express.json({ limit: '10kb' }), express.urlencoded({ extended: false, limit: '10kb' })];
  const checkPassword = passwordChecker(User, throttle);

  router.post('/login', ...body, asyncRoute(async (req, res) => {
    const { email, password } = (req.body ?? {}) as Record<string, unknown>;
    if (typeof email !== 'string' || typeof password !== 'string' || !email || !password) {
      return res.status(400).json({ error: SITE_MESSAGES.missingFields });
    }
    let user;
    try {
      user = await checkPassword(email, password, req.ip ?? '');
    } catch (err) {
      if (!(err instanceof LoginThrottledError)) throw err;
      res.set('retry-after', String(err.retryAfterSeconds));
      return res.status(429).json({ error: SITE_MESSAGES.throttled(err.retryAfterSeconds) });
    }
    if (!user) return res.status(401).json({ error: SITE_MESSAGES.badCredentials });
    try {
      await singleSession.userLoggedIn(req, user);
    } catch (err) {
      if (err instanceof LoginDeniedError) return res.status(409).json({ error: SITE_MESSAGES.limitReached, reason: 'limit' });
      throw err;
    }
    const me = { id: user.id, email: user.email };
    return wantsJson(req) ? res.json(me) : res.redirect(303, '/');
  }));

  router.get('/me', asyncRoute(async (req, res) => {
    const userId = singleSession.getUserId(req);
    const user = userId === null ? null : await User.findByPk(userId);
    if (!user) {
      const reason = singleSession.getEndReason(req);
      return res.status(401).json(reason ? { error: SITE_MESSAGES[reason], reason } : { error: SITE_MESSAGES.notLoggedIn });
    }
    return res.json({ id: user.get('id'), email: user.get('email') });
  }));

  router.post('/logout', ...body, asyncRoute(async (req, res) => {
    const ended = singleSession.getUserId(req) === null ? { sessions: 0 } : await singleSession.userLoggedOut(req);
    return wantsJson(req) ? res.json({ ok: true, sessionsEnded: ended.sessions }) : res.redirect(303, '/');
  }));

  return router;
}
