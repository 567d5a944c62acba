/**
 * Requests another site makes a browser send. A page on another site can submit a form to your `POST /login` (and
 * sign the victim into the attacker's account: login CSRF) or to any route that changes something; `SameSite=Lax`
 * keeps the session cookie off such POSTs but not off a login, which needs no cookie. A browser says where a
 * request comes from: `Sec-Fetch-Site`, `Origin`, `Referer`. A request that says "another site" is refused; one that
 * says nothing (curl, a server-side client, an old browser) passes: this is a browser defence, not authentication.
 */
import type { Request, RequestHandler, Response } from 'express';
import { messages, SingleSessionConfigError } from './errors.js';

/** Options of `guardCrossSite`. */
export interface GuardCrossSiteOptions {
  /**
   * Origins besides the request's own host that may send these requests, e.g. `https://admin.example.com` (a proxy
   * that rewrites Host, or a front end on another site of yours).
   */
  allowedOrigins?: string[];
}

/** Methods that must not change anything (RFC 9110 "safe"): never refused here. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** `allowedOrigins` as a set of origins; `bad(value)` throws for the list, or an entry, that is not one. */
export function parseOrigins(allowedOrigins: unknown, bad: (got: unknown) => never): Set<string> {
  if (!Array.isArray(allowedOrigins)) return bad(allowedOrigins);
  return new Set(allowedOrigins.map((origin) => {
    try {
      return new URL(String(origin)).origin;
    } catch {
      return bad(origin);
    }
  }));
}

/**
 * Does the browser say this request comes from another site? `Sec-Fetch-Site: cross-site` or `same-site` (a sibling
 * subdomain) unless its Origin is allowed; an Origin or a Referer that is neither this host nor allowed (or `null`,
 * an opaque origin: a sandboxed frame, a redirect chain).
 */
export function isCrossSite(req: Request, allowed: ReadonlySet<string>): boolean {
  const origin = req.get('origin');
  const referer = req.get('referer');
  const foreign = (value: string | undefined) => {
    if (value === undefined) return false;
    try {
      const url = new URL(value);
      return url.host !== req.get('host') && !allowed.has(url.origin);
    } catch {
      return true; // `null` or garbage: not this site
    }
  };
  const site = req.get('sec-fetch-site');
  if (site === 'cross-site' || site === 'same-site') {
    const claimed = origin ?? referer;
    if (claimed === undefined) return true;
    try {
      if (!allowed.has(new URL(claimed).origin)) return true;
    } catch {
      return true;
    }
  }
  return foreign(origin) || foreign(referer);
}

/** 403 with a sentence: JSON for API clients, plain text for a browser's form post. */
export function refuseCrossSite(res: Response, message: string): void {
  res.status(403).format({
    'application/json': () => res.json({ error: message }),
    default: () => res.type('text/plain').send(message),
  });
}

/**
 * `guardCrossSite(options?)`: refuses (403) every request that may change state — any method but GET, HEAD and
 * OPTIONS — when the browser says another site sent it. Mount it before your login and logout routes (or app-wide):
 *
 *   app.use(guardCrossSite());                      // or guardCrossSite({ allowedOrigins: ['https://www.example.com'] })
 *   app.post('/login', ...); app.post('/logout', ...);
 *
 * `guardedAdminRouter` does the same for AdminJS (its login form and API), so a host needs this only for its own routes.
 */
export function guardCrossSite(options: GuardCrossSiteOptions = {}): RequestHandler {
  const allowed = parseOrigins(options?.allowedOrigins ?? [], (got) => {
    throw new SingleSessionConfigError(messages.badAllowedOrigins('guardCrossSite', got));
  });
  return (req, res, next) => {
    if (SAFE_METHODS.has(req.method) || !isCrossSite(req, allowed)) return next();
    refuseCrossSite(res, messages.crossSiteRequest);
  };
}
