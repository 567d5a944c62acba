/**
 * The session cookie's defaults and the checks that catch a cookie that cannot work (OWASP ASVS V3.4.1, V3.4.4).
 *
 * - `HttpOnly`, `SameSite=Lax` always; `Secure` by default when `NODE_ENV=production`. A host that really serves
 *   plain HTTP in production says so with `cookie: { secure: false }`.
 * - A `__Host-` cookie that is not Secure, has a Domain or a Path other than `/` is dropped by every browser: a
 *   start-up error says what to change.
 * - A `Secure` cookie on a plain-HTTP request is never sent (express-session sends no Set-Cookie at all), so a login
 *   there would seem to do nothing — typically behind a TLS-terminating proxy that Express was not told to trust. The
 *   login refuses it with a SingleSessionConfigError that names the fix, before anything is written: the error reaches
 *   the host's error handler and log at the first login, instead of a silent "nothing happens" (the library itself
 *   never writes to the console). It cannot be seen earlier: only a request shows how the app is reached.
 * - A Secure production cookie without the `__Host-` prefix can be tossed: a sibling subdomain sets a cookie of the
 *   same name for the parent domain, and the browser sends it to this app, signing its user in as the attacker. The
 *   prefix is not made the default (renaming the cookie on an upgrade would sign every user out, and a host that sets
 *   a Domain on purpose would stop starting); a Node warning at start-up (`process.emitWarning`, code
 *   `SINGLE_SESSION_COOKIE_PREFIX`, once per cookie name) names the fix instead.
 */
import type { Request } from 'express';
import type session from 'express-session';
import { messages, SingleSessionConfigError } from './errors.js';

/** The code of the start-up warning about a production cookie without the `__Host-` prefix. */
export const COOKIE_PREFIX_WARNING = 'SINGLE_SESSION_COOKIE_PREFIX';
/** Cookie names warned about already (a host builds the app-wide middleware and AdminJS's options: one warning). */
const warnedNames = new Set<string>();

/** The cookie options with the package's defaults, checked. */
export function cookieWithDefaults(options: session.SessionOptions): session.CookieOptions {
  const cookie: session.CookieOptions = { httpOnly: true, sameSite: 'lax', ...options.cookie };
  if (cookie.secure === undefined && process.env.NODE_ENV === 'production') cookie.secure = true;
  const name = options.name ?? 'connect.sid';
  if (name.startsWith('__Host-') && (!cookie.secure || cookie.domain !== undefined || (cookie.path ?? '/') !== '/')) {
    throw new SingleSessionConfigError(messages.hostPrefixCookie(name));
  }
  if (name.startsWith('__Secure-') && !cookie.secure) throw new SingleSessionConfigError(messages.securePrefixCookie(name));
  if (cookie.secure && process.env.NODE_ENV === 'production' && !name.startsWith('__Host-') && !warnedNames.has(name)) {
    warnedNames.add(name);
    process.emitWarning(messages.noHostPrefixInProduction(name), { code: COOKIE_PREFIX_WARNING });
  }
  return cookie;
}


/** express-session's own test (its `issecure`): is this request HTTPS, as far as the session middleware can tell? */
function isSecureRequest(req: Request, proxy: boolean | undefined): boolean {
  if ((req.socket as { encrypted?: boolean } | undefined)?.encrypted) return true;
  if (proxy === false) return false;
  if (proxy !== true) return req.secure === true;
  return String(req.headers['x-forwarded-proto'] ?? '').split(',')[0]!.trim().toLowerCase() === 'https';
}

/**
 * Throws the configuration error when the request's session cookie is Secure but the request is plain HTTP.
 * `proxy`: express-session's option of that name (undefined: it follows Express's `trust proxy`).
 */
export function assertCookieCanBeSet(req: Request, proxy: boolean | undefined): void {
  const cookie = (req as { session?: { cookie?: { secure?: unknown } } }).session?.cookie;
  if (cookie?.secure !== true || isSecureRequest(req, proxy)) return;
  throw new SingleSessionConfigError(messages.secureCookieOverHttp(Boolean(req.headers['x-forwarded-proto'])));
}
