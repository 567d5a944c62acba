/**
 * Clickjacking: a page of another origin — another port of the host, a sibling subdomain — could frame the panel
 * (say a bulk "log out on all sessions" confirmation) nearly transparent over a bait, and the administrator's click
 * would be a real one, from the panel's own origin, with its cookie. Every answer under the panel says who may frame
 * it: CSP `frame-ancestors` (by default `'self'`), and `X-Frame-Options` for browsers that know only that header.
 *
 * The CSP is added as a policy of its own (`append`): a host's own Content-Security-Policy keeps applying, and a
 * browser enforces every policy it gets, so this one can only narrow what is allowed.
 */
import type { RequestHandler } from 'express';
import { adminMessages as m, fail } from './errors.js';

/** Who may frame the panel when the host says nothing: pages of its own origin. */
export const DEFAULT_FRAME_ANCESTORS: readonly string[] = ["'self'"];

/** A CSP host source: `https://intranet.example`, `https://*.example.com:8443` (no path, no wildcard alone). */
const ORIGIN_SOURCE = /^https?:\/\/(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*(:\d{1,5})?$/i;

const bad = (got: unknown): never => fail(m.notFrameAncestors(got));

/** The checked list (start-up error for anything else), as the two headers' values. */
export function frameHeaders(frameAncestors: unknown = DEFAULT_FRAME_ANCESTORS): { csp: string; xFrameOptions: string | null } {
  if (!Array.isArray(frameAncestors) || frameAncestors.length === 0) return bad(frameAncestors);
  for (const source of frameAncestors) {
    if (typeof source !== 'string' || !(source === "'self'" || source === "'none'" || ORIGIN_SOURCE.test(source))) bad(source);
  }
  if (frameAncestors.includes("'none'") && frameAncestors.length > 1) bad(frameAncestors);
  const sources = frameAncestors as string[];
  // X-Frame-Options can say DENY or SAMEORIGIN, not a list: with other origins it is left out (a browser that knows
  // frame-ancestors ignores it anyway, and one that does not would refuse the host that embeds the panel).
  const xFrameOptions = sources[0] === "'none'" ? 'DENY' : sources.length === 1 && sources[0] === "'self'" ? 'SAMEORIGIN' : null;
  return { csp: `frame-ancestors ${[...new Set(sources)].join(' ')}`, xFrameOptions };
}

/** Sets the framing headers on every answer it passes. */
export function frameGuard(frameAncestors?: unknown): RequestHandler {
  const { csp, xFrameOptions } = frameHeaders(frameAncestors);
  return (_req, res, next) => {
    res.append('Content-Security-Policy', csp);
    if (xFrameOptions && !res.get('X-Frame-Options')) res.set('X-Frame-Options', xFrameOptions);
    next();
  };
}
