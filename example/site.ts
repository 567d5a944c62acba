/**
 * The demo site's own login: a hand-written Express route calling the two hooks — the "plain Express"
 * integration. It shares the session store and cookie with AdminJS.
 */
import bcrypt from 'bcryptjs';
import express, { type Request, type Response, type NextFunction } from 'express';
import { LoginDeniedError, type SingleSession } from '../src/index.js';
import type { UserModel } from './db/users.js';

export const SITE_MESSAGES = {
  replaced: 'You were signed out because your account signed in on another device.',
  revoked: 'You were signed out by an administrator.',
  idle: 'You were signed out because you were inactive for too long. Please sign in again.',
  lifetime: 'You were signed out because your sign-in reached its maximum duration. Please sign in again.',
  notLoggedIn: 'Not logged in.',
  badCredentials: 'Wrong email or password.',
  missingFields: 'Give both `email` and `password`.',
  limitReached: 'This account is already signed in on the maximum number of devices. Sign out on one of them first.',
} as const;

const wantsJson = (req: Request) => !req.is('application/x-www-form-urlencoded');
const asyncRoute = (fn: (req: Request, res: Response) => Promise<unknown>) =>
  (req: Request, res: Response, next: NextFunction) => fn(req, res).catch(next);

export function siteRouter({ singleSession, User }: { singleSession: SingleSession; User: UserModel }): express.Router {
  const router = express.Router();
  const body = [express.json({ limit: '10kb' }), express.urlencoded({ extended: false, limit: '10kb' })];

  router.post('/login', ...body, asyncRoute(async (req, res) => {
    const { email, password } = (req.body ?? {}) as Record<string, unknown>;
    if (typeof email !== 'string' || typeof password !== 'string' || !email || !password) {
      return res.status(400).json({ error: SITE_MESSAGES.missingFields });
    }
    const user = await User.findOne({ where: { email: email.trim().toLowerCase() } });
    if (!user || !(await bcrypt.compare(password, user.get('passwordHash') as string))) {
      return res.status(401).json({ error: SITE_MESSAGES.badCredentials });
    }
    try {
      await singleSession.userLoggedIn(req, user.get({ plain: true }));
    } catch (err) {
      if (err instanceof LoginDeniedError) return res.status(409).json({ error: SITE_MESSAGES.limitReached, reason: 'limit' });
      throw err;
    }
    const me = { id: user.get('id'), email: user.get('email') };
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
