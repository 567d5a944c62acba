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
import { messages, SingleSessionConfigError } from '../errors.js';
import type { SingleSession } from '../single-session.js';

type Authenticate = (email: string, password: string, context?: { req: Request }) => Promise<CurrentAdmin | null>;

/** `authenticate` for buildAuthenticatedRouter: your check, then the login hook. */
export function withSingleSession(singleSession: SingleSession, authenticate: Authenticate): Authenticate {
  return async (email, password, context) => {
    const admin = await authenticate(email, password, context);
    if (admin && context?.req) await singleSession.userLoggedIn(context.req, admin);
    return admin;
  };
}

export interface SingleSessionAuthProviderConfig extends DefaultAuthProviderConfig {
  singleSession: SingleSession;
}

/** An AdminJS auth provider: DefaultAuthProvider's email/password login, through the policy, both ways. */
export class SingleSessionAuthProvider extends DefaultAuthProvider {
  private readonly singleSession: SingleSession;

  constructor({ singleSession, ...config }: SingleSessionAuthProviderConfig) {
    super(config);
    this.singleSession = singleSession;
  }

  override async handleLogin(opts: LoginHandlerOptions, context: { req: Request }): Promise<CurrentAdmin | null> {
    const admin = await super.handleLogin(opts, context);
    if (admin) await this.singleSession.userLoggedIn(context.req, admin);
    return admin;
  }

  override async handleLogout(context: { req: Request }): Promise<void> {
    const req = context.req;
    if (req.session) // AdminJS destroys req.session right after this: delete only the row here.
      await this.singleSession.userLoggedOut(req, (req.session as { adminUser?: CurrentAdmin }).adminUser, { destroySession: false });
  }
}

/** Translation keys (see src/adminjs/locales) that the AdminJS login page shows for an ended session. */
export const END_REASON_MESSAGES = {
  replaced: 'singleSessionEndedReplaced',
  revoked: 'singleSessionEndedRevoked',
} as const;

/**
 * Mount before the AdminJS router: on `GET <loginPath>` of a browser whose session was ended, renders AdminJS's
 * own login page with a message saying why ("signed in on another device" / "by an administrator").
 */
export function explainEndedSessions(
  singleSession: SingleSession,
  admin: { options: { loginPath: string }; renderLogin(props: object): Promise<string> },
): RequestHandler {
  return (req, res, next) => {
    const reason = req.method === 'GET' && req.originalUrl.split('?')[0] === admin.options.loginPath
      ? singleSession.getEndReason(req) : null;
    if (!reason) return next();
    admin.renderLogin({ action: admin.options.loginPath, errorMessage: END_REASON_MESSAGES[reason] })
      .then((html) => res.send(html), next);
  };
}

export interface GuardAdminLogoutOptions {
  /** Origins besides the request's own host that may log out (a proxy that rewrites Host), e.g. `https://admin.example.com`. */
  allowedOrigins?: string[];
}

/**
 * Mount before the AdminJS router. @adminjs/express logs out on a plain `GET <logoutPath>`, so any other site
 * could log an administrator out (and, with logout everywhere, end all their sessions) with an <img> tag. A
 * browser says where a request comes from: `Sec-Fetch-Site`, `Origin`, `Referer`. A logout that says "another
 * site" is refused with 403; one that says nothing (a typed URL, a bookmark, an old client) passes.
 */
export function guardAdminLogout(
  admin: { options: { logoutPath: string } }, { allowedOrigins = [] }: GuardAdminLogoutOptions = {},
): RequestHandler {
  const logoutPath = admin?.options?.logoutPath;
  if (typeof logoutPath !== 'string' || !Array.isArray(allowedOrigins)) throw new SingleSessionConfigError(messages.guardLogoutOptions(admin));
  const allowed = new Set(allowedOrigins.map((origin) => {
    try {
      return new URL(origin).origin;
    } catch {
      throw new SingleSessionConfigError(messages.guardLogoutOptions(origin));
    }
  }));
  const foreign = (req: Request, value: string | undefined) => {
    if (value === undefined) return false;
    try {
      const url = new URL(value);
      return url.host !== req.get('host') && !allowed.has(url.origin);
    } catch {
      return true; // `null` (an opaque origin) or garbage: not this site
    }
  };
  return (req, res, next) => {
    if (req.method !== 'GET' || req.originalUrl.split('?')[0] !== logoutPath) return next();
    const crossSite = req.get('sec-fetch-site') === 'cross-site' || foreign(req, req.get('origin')) || foreign(req, req.get('referer'));
    if (!crossSite) return next();
    res.status(403).type('text/plain').send(messages.crossSiteLogout);
  };
}
