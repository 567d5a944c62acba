/**
 * The demo site's own login: a hand-written Express route calling the two hooks — the "plain Express"
 * integration. It shares the session store and cookie with AdminJS. The login and the logout refuse what another
 * site sends (`guardCrossSite`); the password check takes the same time for unknown emails and is throttled per
 * account and per client (login.ts).
 */
import bcrypt from 'bcryptjs';
import express, { type Request, type Response, type NextFunction } from 'express';
import { AccountDisabledError, guardCrossSite, LoginDeniedError, type EndReason, type SingleSession } from '../src/index.js';
import type { UserModel } from './db/users.js';
import { LoginThrottle, LoginThrottledError, PASSWORD_COST, passwordChecker } from './login.js';

/** What the site tells a browser whose session was ended, per reason (also the page's `#ended`). */
export const END_MESSAGES: Record<EndReason, string> = {
  replaced: 'You were signed out because your account signed in on another device.',
  revoked: 'You were signed out by an administrator.',
  logout: 'You were signed out because you signed out on another device, or ended your other sessions there.',
  credentials: 'You were signed out because your password was changed. Please sign in with the new password.',
  account: 'You were signed out because your account was disabled or deleted.',
  idle: 'You were signed out because you were inactive for too long. Please sign in again.',
  lifetime: 'You were signed out because your sign-in reached its maximum duration. Please sign in again.',
};

/** The shortest new password `POST /password` accepts. */
export const MIN_PASSWORD_LENGTH = 8;

export const SITE_MESSAGES = {
  ...END_MESSAGES,
  /** An ending whose reason has no text of its own (the live sign-out passes reasons on as they are). */
  signedOut: 'You were signed out.',
  notLoggedIn: 'Not logged in.',
  badCredentials: 'Wrong email or password.',
  missingFields: 'Give both `email` and `password`.',
  limitReached: 'This account is already signed in on the maximum number of devices. Sign out on one of them first.',
  throttled: (seconds: number) => `Too many failed sign-ins. Try again in ${seconds} s.`,
  accountDisabled: 'This account is disabled. Ask an administrator to enable it.',
  missingPasswordFields: 'Give both `currentPassword` and `newPassword`.',
  passwordTooShort: `The new password must have at least ${MIN_PASSWORD_LENGTH} characters.`,
  wrongPassword: 'The current password is wrong.',
} as const;

const wantsJson = (req: Request) => !req.is('application/x-www-form-urlencoded');
const asyncRoute = (fn: (req: Request, res: Response) => Promise<unknown>) =>
  (req: Request, res: Response, next: NextFunction) => fn(req, res).catch(next);

const THROTTLED = Symbol('throttled');

/** The password check, or (answered here: 429 with Retry-After) THROTTLED when the account or the client is throttled. */
async function throttled<T>(res: Response, check: () => Promise<T>): Promise<T | typeof THROTTLED> {
  try {
    return await check();
  } catch (err) {
    if (!(err instanceof LoginThrottledError)) throw err;
    res.set('retry-after', String(err.retryAfterSeconds));
    res.status(429).json({ error: SITE_MESSAGES.throttled(err.retryAfterSeconds) });
    return THROTTLED;
  }
}

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
    const user = await throttled(res, () => checkPassword(email, password, req.ip ?? ''));
    if (user === THROTTLED) return;
    if (!user) return res.status(401).json({ error: SITE_MESSAGES.badCredentials });
    try {
      await singleSession.userLoggedIn(req, user);
    } catch (err) {
      if (err instanceof LoginDeniedError) return res.status(409).json({ error: SITE_MESSAGES.limitReached, reason: 'limit' });
      if (err instanceof AccountDisabledError) return res.status(403).json({ error: SITE_MESSAGES.accountDisabled, reason: 'disabled' });
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

  // Change of password: the current one checked (and throttled) as a login is, the new one stored, then the engine ends
  // the user's other sessions and gives this one a new id (it stays signed in).
  router.post('/password', ...body, asyncRoute(async (req, res) => {
    const userId = singleSession.getUserId(req);
    const user = userId === null ? null : await User.findByPk(userId);
    if (!user) return res.status(401).json({ error: SITE_MESSAGES.notLoggedIn });
    const { currentPassword, newPassword } = (req.body ?? {}) as Record<string, unknown>;
    if (typeof currentPassword !== 'string' || typeof newPassword !== 'string' || !currentPassword || !newPassword) {
      return res.status(400).json({ error: SITE_MESSAGES.missingPasswordFields });
    }
    if (newPassword.length < MIN_PASSWORD_LENGTH) return res.status(400).json({ error: SITE_MESSAGES.passwordTooShort });
    const checked = await throttled(res, () => checkPassword(user.get('email') as string, currentPassword, req.ip ?? ''));
    if (checked === THROTTLED) return;
    if (!checked || checked.id !== user.get('id')) return res.status(403).json({ error: SITE_MESSAGES.wrongPassword });
    await user.update({ passwordHash: await bcrypt.hash(newPassword, PASSWORD_COST) });
    const ended = await singleSession.credentialsChanged(req);
    return wantsJson(req) ? res.json({ ok: true, sessionsEnded: ended.sessions }) : res.redirect(303, '/');
  }));

  router.post('/logout', ...body, asyncRoute(async (req, res) => {
    const ended = singleSession.getUserId(req) === null ? { sessions: 0 } : await singleSession.userLoggedOut(req);
    return wantsJson(req) ? res.json({ ok: true, sessionsEnded: ended.sessions }) : res.redirect(303, '/');
  }));

  return router;
}
