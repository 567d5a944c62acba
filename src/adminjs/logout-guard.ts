/**
 * `guardAdminLogout(admin)`: mount before the AdminJS router. @adminjs/express logs out on a plain
 * `GET <logoutPath>`, so any other site could log an administrator out (and, with logout everywhere, end all their
 * sessions) with an <img> tag. A logout that the browser says comes from another site (`Sec-Fetch-Site`, `Origin`,
 * `Referer`: see src/cross-site.ts) is refused with 403; one that says nothing (a typed URL, a bookmark, an old client)
 * passes.
 *
 * The path is compared the way Express routes it, and more leniently: Express ignores case and a trailing slash,
 * and `app.use('/admin', …)` also takes `/admin//logout`; a HEAD runs the GET route. Every such variant is a logout.
 */
import type { RequestHandler } from 'express';
import { isCrossSite, parseOrigins } from '../cross-site.js';
import { adminMessages as m, fail } from './errors.js';

/** Options of `guardAdminLogout`. */
export interface GuardAdminLogoutOptions {
  /** Origins besides the request's own host that may log out (a proxy that rewrites Host), e.g. `https://admin.example.com`. */
  allowedOrigins?: string[];
}

/**
 * A URL's path in one canonical form: percent-decoded, lower case, slashes single and no trailing one. Two paths
 * that Express could route to the same handler have the same form (it may also give the same form to paths Express
 * routes apart: for a guard, refusing too much is safe).
 */
export function routePath(url: string): string {
  let path = url.split('?')[0]!;
  try {
    path = decodeURIComponent(path);
  } catch {
    // A malformed escape: Express matches the raw text; so do we.
  }
  return path.toLowerCase().replace(/\/{2,}/g, '/').replace(/(.)\/$/, '$1');
}

/** The middleware that refuses cross-site GETs (and HEADs) of AdminJS's logout route, in any spelling of its path. */
export function guardAdminLogout(
  admin: { options: { logoutPath: string } }, { allowedOrigins = [] }: GuardAdminLogoutOptions = {},
): RequestHandler {
  const logoutPath = admin?.options?.logoutPath;
  if (typeof logoutPath !== 'string') fail(m.guardLogoutOptions(admin));
  const allowed = parseOrigins(allowedOrigins, (got) => fail(m.guardLogoutOptions(got)));
  const logout = routePath(logoutPath);
  return (req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || routePath(req.originalUrl) !== logout) return next();
    if (!isCrossSite(req, allowed)) return next();
    res.status(403).type('text/plain').send(m.crossSiteLogout);
  };
}
