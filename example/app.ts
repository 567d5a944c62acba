/**
 * The demo app: one session middleware (one cookie, one store) for the site and AdminJS, the site's page and
 * routes, AdminJS at /admin, and an error handler that never shows a stack trace.
 */
import express, { type ErrorRequestHandler, type Express, type Request } from 'express';
import { ConnectionError, type Sequelize } from 'sequelize';
import { SessionInterruptedError, type SingleSession } from '../src/index.js';
import { buildAdmin, sessionCookieName } from './admin.js';
import type { UserModel } from './db/users.js';
import { LoginThrottle } from './login.js';
import { escapeHtml, LIVE_PATH, sitePages } from './pages.js';
import { siteRouter } from './site.js';

export const DEMO_ERRORS = {
  unavailable: 'The service is temporarily unavailable; please retry.',
  internal: 'Something went wrong on our side; please retry.',
  badRequest: 'The request could not be read.',
} as const;

export interface DemoAppOptions {
  sequelize: Sequelize;
  singleSession: SingleSession;
  User: UserModel;
  /** Signs the session cookie. */
  secret?: string;
  /** Proxies in front whose X-Forwarded-* headers to trust (HTTPS behind a TLS proxy, the client's IP). Default: none. */
  trustProxy?: number;
  /** `false`: AdminJS trusts the sign-in copy of the user (the bench's comparison only; see BuildAdminOptions). */
  liveRights?: false;
}

export async function buildDemoApp({ sequelize, singleSession, User, secret = 'demo secret', trustProxy, liveRights }: DemoAppOptions): Promise<Express> {
  const app = express();
  app.disable('x-powered-by');
  // With NODE_ENV=production the session cookie is Secure: behind a TLS-terminating proxy Express must trust it.
  if (trustProxy !== undefined) app.set('trust proxy', trustProxy);
  // Background failures (the purge timer) are reported here; requests' errors reach the handler below.
  singleSession.events.on('error', (err) => logError('background purge', err));
  // `__Host-sid` in production (no cookie tossing from a sibling subdomain), `sid` over plain-HTTP development.
  app.use(singleSession.sessionMiddleware({ secret, name: sessionCookieName(), cookie: { sameSite: 'lax', httpOnly: true } }));
  app.use(sitePages({ live: singleSession.liveEnabled }));
  // The live sign-out's stream for the site page (the panel's is inside the guarded AdminJS router).
  if (singleSession.liveEnabled) app.get(LIVE_PATH, singleSession.liveSignOut());
  // One count of failed logins for the site and the admin: a guess at either counts against the account.
  const throttle = new LoginThrottle();
  app.use(siteRouter({ singleSession, User, throttle }));
  const { admin, router } = await buildAdmin({ sequelize, singleSession, User, secret, throttle, ...(liveRights === false ? { liveRights } : {}) });
  app.use(admin.options.rootPath, router);
  app.use(errorHandler);
  return app;
}

// ── errors ─────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * Codes of a database that cannot answer now (node and PostgreSQL: class 08, admin shutdown, too many clients,
 * a statement timeout): the client should retry, so 503.
 */
const CONNECTION_CODES = /^(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|08...|57P0[123]|57014|53300)$/;
const CONNECTION_MESSAGES = /Connection terminated|not queryable|timeout exceeded when trying to connect|Client was closed/i;
/**
 * Codes of a query that a malformed request made fail (class 22: a value of the wrong form, a negative offset;
 * 42703: no such column, e.g. AdminJS's list sorted by a field that does not exist): the client's fault, 400.
 */
const BAD_INPUT_CODES = /^(22...|42703)$/;

/** The error and its causes, as Sequelize and pg nest them. */
function* causes(err: unknown): Generator<any> {
  for (let e = err as any, depth = 0; e && depth < 5; e = e.parent ?? e.original ?? e.cause, depth++) yield e;
}

/** A database that is down, restarting, cut off or too slow. */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (const e of causes(err)) {
    if (e instanceof ConnectionError) return true;
    if (CONNECTION_CODES.test(String(e.code ?? '')) || CONNECTION_MESSAGES.test(String(e.message ?? ''))) return true;
  }
  return false;
}

/** A query that failed because of what the request asked for. */
export function isBadInput(err: unknown): boolean {
  for (const e of causes(err)) if (BAD_INPUT_CODES.test(String(e.code ?? ''))) return true;
  return false;
}

/** The site's JSON routes and AdminJS's API answer JSON; pages answer a line of HTML. */
const SITE_JSON_ROUTES = new Set(['/login', '/me', '/logout', '/password']);
const wantsJson = (req: Request) =>
  SITE_JSON_ROUTES.has(req.path) || req.originalUrl.startsWith('/admin/api/') || req.accepts(['html', 'json']) === 'json';

function logError(where: string, err: unknown): void {
  // An outage or a malformed request: one line each. Anything else is a bug: the stack, server-side only.
  const e = err as Error;
  console.error(`[demo] ${where}: ${isDatabaseUnavailable(err) || isBadInput(err) ? `${e?.name}: ${e?.message}` : e?.stack ?? String(err)}`);
}

const errorHandler: ErrorRequestHandler = (err, req, res, next) => {
  logError(`${req.method} ${req.originalUrl.slice(0, 200)}`, err);
  if (res.headersSent) return next(err);
  let status = 500;
  let message: string = DEMO_ERRORS.internal;
  if (isDatabaseUnavailable(err)) [status, message] = [503, DEMO_ERRORS.unavailable];
  else if (isBadInput(err)) [status, message] = [400, DEMO_ERRORS.badRequest];
  else if (err instanceof SessionInterruptedError) [status, message] = [409, err.message];
  else if (Number.isInteger(err?.status) && err.status >= 400 && err.status < 500) {
    // body-parser and friends: a client error with a message written for clients (or a generic one).
    [status, message] = [err.status, err.expose && typeof err.message === 'string' ? err.message : DEMO_ERRORS.badRequest];
  }
  if (status === 503) res.set('retry-after', '1');
  if (wantsJson(req)) res.status(status).json({ error: message });
  else res.status(status).type('html').send(`<!doctype html><title>${status}</title><p>${escapeHtml(message)}</p>`);
};
