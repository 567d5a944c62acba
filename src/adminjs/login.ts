/**
 * Wiring for @adminjs/express's `buildAuthenticatedRouter`. Its login handler writes `req.session.adminUser`
 * without a new session id and its logout handler only calls `provider.handleLogout`; both paths are routed
 * through the hooks here, so AdminJS logins get a fresh session id and obey the policy, and AdminJS logouts end
 * the user's other sessions.
 *
 * Either wrap your `authenticate` (logins only: AdminJS calls no hook on logout in that mode) or, preferred,
 * use `SingleSessionAuthProvider` (logins and logouts).
 */
import type { Request, RequestHandler } from 'express';
import { DefaultAuthProvider, type CurrentAdmin, type DefaultAuthProviderConfig, type LoginHandlerOptions } from 'adminjs';
import type { SingleSession } from '../single-session.js';
import { addLiveSignOut } from './components.js';
import { NOTICES } from './errors.js';
import { keepingTheWayBack, wasAskedToSignInAgain } from './step-up.js';

/** The `authenticate` function of @adminjs/express's `buildAuthenticatedRouter`. */
export type Authenticate = (email: string, password: string, context?: { req: Request }) => Promise<CurrentAdmin | null>;

/** `authenticate` for buildAuthenticatedRouter: your check, then the login hook. */
export function withSingleSession(singleSession: SingleSession, authenticate: Authenticate): Authenticate {
  return async (email, password, context) => {
    const admin = await authenticate(email, password, context);
    const req = context?.req;
    if (admin && req) await keepingTheWayBack(req, () => singleSession.userLoggedIn(req, admin));
    return admin;
  };
}

/** `DefaultAuthProvider`'s configuration (your `authenticate`, the `componentLoader`) plus the engine. */
export interface SingleSessionAuthProviderConfig extends DefaultAuthProviderConfig {
  /** The engine from `createSingleSession`. */
  singleSession: SingleSession;
}

/** An AdminJS auth provider: DefaultAuthProvider's email/password login, through the policy, both ways. */
export class SingleSessionAuthProvider extends DefaultAuthProvider {
  private readonly singleSession: SingleSession;

  constructor({ singleSession, ...config }: SingleSessionAuthProviderConfig) {
    super(config);
    this.singleSession = singleSession;
    // With the live sign-out on, every panel page watches its session (components/LiveSignOut.tsx).
    if (singleSession?.liveEnabled && config.componentLoader) addLiveSignOut(config.componentLoader);
  }

  /** Your `authenticate`, then the login hook (new session id, link, policy); a refused login throws its error. */
  override async handleLogin(opts: LoginHandlerOptions, context: { req: Request }): Promise<CurrentAdmin | null> {
    const admin = await super.handleLogin(opts, context);
    if (admin) await keepingTheWayBack(context.req, () => this.singleSession.userLoggedIn(context.req, admin));
    return admin;
  }

  override async handleLogout(context: { req: Request }): Promise<void> {
    const req = context.req;
    if (req.session) // AdminJS destroys req.session right after this: delete only the row here.
      await this.singleSession.userLoggedOut(req, (req.session as { adminUser?: CurrentAdmin }).adminUser, { destroySession: false });
  }
}

/** Translation keys (see locales/) that the AdminJS login page shows for an ended session. */
const END_REASON_MESSAGES = {
  replaced: NOTICES.endedReplaced, revoked: NOTICES.endedRevoked, idle: NOTICES.endedIdle, lifetime: NOTICES.endedLifetime,
} as const;

/**
 * The translation key of the notice for an ended session's reason: the login page's, or a generic one for a reason
 * without a text of its own (the reason is the registry's end note, passed on as it is).
 */
export function endReasonMessage(reason: string | null): string {
  const known = END_REASON_MESSAGES as Record<string, string>;
  return reason !== null && Object.hasOwn(known, reason) ? known[reason]! : NOTICES.endedGeneric;
}

/**
 * Mount before the AdminJS router: on `GET <loginPath>` of a browser whose session was ended, renders AdminJS's
 * own login page with a message saying why ("signed in on another device" / "by an administrator"); of a browser
 * an action sent to sign in again (step-up), "sign in again to continue".
 */
export function explainEndedSessions(
  singleSession: SingleSession,
  admin: { options: { loginPath: string }; renderLogin(props: object): Promise<string> },
): RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'GET' || req.originalUrl.split('?')[0] !== admin.options.loginPath) return next();
    const reason = singleSession.getEndReason(req);
    const message = reason ? END_REASON_MESSAGES[reason] : wasAskedToSignInAgain(req) ? NOTICES.signInAgain : null;
    if (!message) return next();
    admin.renderLogin({ action: admin.options.loginPath, errorMessage: message })
      .then((html) => res.send(html), next);
  };
}
