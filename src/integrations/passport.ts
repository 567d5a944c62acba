/**
 * Passport (0.6+) wiring. Passport's `req.login` regenerates the session and saves it, then calls back; we link
 * the session and apply the policy there. Its `req.logout` saves and regenerates the session; we end the user's
 * sessions first. Both go through Passport's session manager, which every request shares (`passport._sm`).
 */
import type { Request } from 'express';
import { messages, SingleSessionConfigError } from '../errors.js';
import type { SingleSession } from '../single-session.js';

type Done = (err?: unknown) => void;
interface SessionManager {
  logIn(req: Request, user: unknown, options: unknown, cb: Done): void;
  logOut(req: Request, options: unknown, cb: Done): void;
}
interface PassportLike {
  _sm?: SessionManager;
}

/**
 * Routes Passport's `req.login` and `req.logout` through the engine's hooks (once, at start-up): logins get the
 * policy, logouts end the user's other sessions. Throws SingleSessionConfigError for anything but Passport ≥ 0.6.
 */
export function usePassport(singleSession: SingleSession, passport: object): void {
  // Passport keeps its session manager in a property its typings do not declare.
  const manager = (passport as PassportLike | undefined)?._sm;
  if (!manager || typeof manager.logIn !== 'function' || typeof manager.logOut !== 'function') {
    throw new SingleSessionConfigError(messages.notPassport);
  }
  const logIn = manager.logIn.bind(manager);
  const logOut = manager.logOut.bind(manager);

  manager.logIn = (req, user, options, cb) => {
    const done: Done = typeof options === 'function' ? (options as Done) : cb;
    const opts = typeof options === 'function' ? {} : options;
    logIn(req, user, opts, (err) => {
      if (err) return done(err);
      // Passport regenerated the session already.
      singleSession.userLoggedIn(req, user, { regenerate: false }).then(() => done(), done);
    });
  };

  manager.logOut = (req, options, cb) => {
    const done: Done = typeof options === 'function' ? (options as Done) : cb;
    const opts = typeof options === 'function' ? {} : options;
    // Passport regenerates the session after this.
    singleSession.userLoggedOut(req, (req as { user?: unknown }).user ?? undefined, { destroySession: false })
      .then(() => logOut(req, opts, done), done);
  };
}
