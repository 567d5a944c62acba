/**
 * `guardAdminLogout(admin)`: mount before the AdminJS router. @adminjs/express logs out on a plain
 * `GET <logoutPath>`, so any other site could log an administrator out (and, with logout everywhere, end all their
 * sessions) with an <img> tag. A browser says where a request comes from: `Sec-Fetch-Site`, `Origin`, `Referer`.
 * A logout that says "another site" is refused with 403; one that says nothing (a typed URL, a bookmark, an old
 * client) passes.
 */
import type { Request, RequestHandler } from 'express';
import { adminMessages as m, fail } from './errors.js';

export interface GuardAdminLogoutOptions {
  /** Origins besides the request's own host that may log out (a proxy that rewrites Host), e.g. `https://admin.example.com`. */
  allowedOrigins?: string[];
}

export function guardAdminLogout(
  admin: { options: { logoutPath: string } }, { allowedOrigins = [] }: GuardAdminLogoutOptions = {},
): RequestHandler {
  const logoutPath = admin?.options?.logoutPath;
  if (typeof logoutPath !== 'string' || !Array.isArray(allowedOrigins)) fail(m.guardLogoutOptions(admin));
  const allowed = new Set(allowedOrigins.map((origin) => {
    try {
      return new URL(origin).origin;
    } catch {
      return fail(m.guardLogoutOptions(origin));
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
    res.status(403).type('text/plain').send(m.crossSiteLogout);
  };
}
