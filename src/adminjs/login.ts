/**
 * Wiring for @adminjs/express's `buildAuthenticatedRouter`. Its login handler writes `req.session.adminUser`
 * without a new session id and its logout handler only calls `provider.handleLogout`; both paths are routed
 * through the hooks here, so AdminJS logins get a fresh session id and obey the policy, and AdminJS logouts end
 * the user's other sessions.
 *
 * Either wrap your `authenticate` (logins only: AdminJS calls no hook on logout in that mode) or, preferred,
 * use `SingleSessionAuthProvider` (logins and logouts).
 *
 * @adminjs/express puts the message of any error a login throws into its login page (inside an inline
 * `JSON.parse('…')` whose quotes a long message breaks) and logs nothing. A hook's error that is not meant for the user
 * — a SingleSessionConfigError (a Secure cookie over plain HTTP), the database — reaches the page only as a generic
 * translation key; the error itself is kept on the request, and guardedAdminRouter hands it to the host's error
 * handler (its log, its generic answer) instead of AdminJS's page (`reportLoginFailures`).
 */
import type { Request, RequestHandler, Response } from 'express';
import { DefaultAuthProvider, type CurrentAdmin, type DefaultAuthProviderConfig, type LoginHandlerOptions } from 'adminjs';
import { AccountDisabledError, LoginDeniedError, SessionInterruptedError } from '../errors.js';
import { log } from '../log.js';
import type { EndReason, SingleSession } from '../single-session.js';
import { addLiveSignOut } from './components.js';
import { NOTICES } from './errors.js';
import { keepingTheWayBack, wasAskedToSignInAgain } from './step-up.js';

/** The `authenticate` function of @adminjs/express's `buildAuthenticatedRouter`. */
export type Authenticate = (email: string, password: string, context?: { req: Request }) => Promise<CurrentAdmin | null>;

/** Where a login's hidden failure waits for `reportLoginFailures`. */
const LOGIN_FAILURE = Symbol('adminjs-single-session login failure');
type WithFailure = Request & { [LOGIN_FAILURE]?: unknown };

/**
 * The login hook for an AdminJS login. A refusal the user should read (the session limit, a disabled account, a login interrupted by
 * a logout) keeps its message; any other error is replaced by the generic `loginFailed` and kept on the request.
 */
async function loginHook(singleSession: SingleSession, req: Request, admin: CurrentAdmin): Promise<void> {
  try {
    await keepingTheWayBack(req, () => singleSession.userLoggedIn(req, admin));
  } catch (err) {
    if (err instanceof LoginDeniedError || err instanceof AccountDisabledError || err instanceof SessionInterruptedError) throw err;
    log.error('AdminJS login failed: %s', (err as Error)?.message ?? err);
    (req as WithFailure)[LOGIN_FAILURE] = err;
    throw new Error(NOTICES.loginFailed);
  }
}

/** `authenticate` for buildAuthenticatedRouter: your check, then the login hook. */
export function withSingleSession(singleSession: SingleSession, authenticate: Authenticate): Authenticate {
  return async (email, password, context) => {
    const admin = await authenticate(email, password, context);
    const req = context?.req;
    if (admin && req) await loginHook(singleSession, req, admin);
    return admin;
  };
}

/**
 * Around AdminJS's router, on its login POST: when the login hook hid an error (see the file's comment), the page
 * AdminJS is about to send is dropped and the error goes to `fail` — the host's error handler, which logs it (the
 * message says how to fix the configuration) and answers as it answers any server error.
 */
export function reportLoginFailures(
  admin: { options: { loginPath: string } }, req: Request, res: Response, fail: (err: unknown) => void,
): void {
  if (req.method !== 'POST' || req.originalUrl.split('?')[0] !== admin.options.loginPath) return;
  const send = res.send;
  res.send = function sendUnlessFailed(this: Response, body?: unknown) {
    res.send = send;
    const failure = (req as WithFailure)[LOGIN_FAILURE];
    if (failure === undefined) return send.call(this, body);
    res.status(500);
    fail(failure);
    return this;
  } as Response['send'];
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

  /**
   * Your `authenticate`, then the login hook (new session id, link, policy); a refused login throws its error, which
   * the login page shows (LoginDeniedError, AccountDisabledError: their messages are translation keys).
   */
  override async handleLogin(opts: LoginHandlerOptions, context: { req: Request }): Promise<CurrentAdmin | null> {
    const admin = await super.handleLogin(opts, context);
    if (admin) await loginHook(this.singleSession, context.req, admin);
    return admin;
  }

  override async handleLogout(context: { req: Request }): Promise<void> {
    const req = context.req;
    if (req.session) // AdminJS destroys req.session right after this: delete only the row here.
      await this.singleSession.userLoggedOut(req, (req.session as { adminUser?: CurrentAdmin }).adminUser, { destroySession: false });
  }
}

/** Translation keys (see locales/) that the AdminJS login page shows for an ended session. */
const END_REASON_MESSAGES: Record<EndReason, string> = {
  replaced: NOTICES.endedReplaced, revoked: NOTICES.endedRevoked, logout: NOTICES.endedLogout, credentials: NOTICES.endedCredentials,
  account: NOTICES.endedAccount, idle: NOTICES.endedIdle, lifetime: NOTICES.endedLifetime,
};

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
 * own login page with a message saying why ("signed in on another device", "by an administrator", "your password was
 * changed", …); of a browser
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
