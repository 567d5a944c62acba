/**
 * `guardedAdminRouter({ admin, singleSession, router })`: what to mount at `admin.options.rootPath` — the AdminJS
 * router of @adminjs/express with every protection of this package around it, in the order they must run:
 * the framing headers on every answer (frame-guard.ts: no clickjacking from another origin), the refusal of requests another site sent (the login form, every API POST, and the logout GET), the body gate
 * (nothing but a small login form before authentication, nothing to disk), the login page's "why was I signed
 * out" message, a login's configuration error handed to the host's error handler (never shown on the login page),
 * live rights (the signed-in user read again on each request: `currentAdmin` as the database has it now,
 * live-rights.ts), the request guard (checked ids, filters, sorts and parameters; 4xx instead of AdminJS's 500s) and
 * its error answers.
 *
 * It is an Express sub-app so that it sees where it is mounted: `app.use(path, guardedAdminRouter(...))` throws
 * (a start-up error with the fix) when no session middleware was mounted on the app before it.
 */
import express, { type Express, type RequestHandler, type Router } from 'express';
import { guardCrossSite } from '../cross-site.js';
import { bodyGate } from './body-gate.js';
import { adminMessages as m, fail } from './errors.js';
import { PANEL_LIVE_PATH } from './components/live-path.js';
import { frameGuard } from './frame-guard.js';
import { endReasonMessage, explainEndedSessions, reportLoginFailures } from './login.js';
import { liveCurrentAdmin, type ToCurrentAdmin } from './live-rights.js';
import { guardAdminLogout, type GuardAdminLogoutOptions } from './logout-guard.js';
import { guardAdminRequests, type GuardAdminRequestsOptions } from './request-guard.js';

/** Options of `guardedAdminRouter`: the request guard's and the logout guard's, and AdminJS's router. */
export interface GuardedAdminRouterOptions extends GuardAdminRequestsOptions, GuardAdminLogoutOptions {
  /** The router from `AdminJSExpress.buildAuthenticatedRouter(admin, ...)`. */
  router: Router;
  /**
   * Live rights: read the signed-in user by primary key on each panel request and give AdminJS that `currentAdmin`
   * instead of the copy stored at sign-in, so a right taken away stops working at the next request. `true`
   * (default): the stored copy's fields refreshed from the row's same-named attributes; a function: your login's
   * mapping from the user row (null: no longer admitted to the panel); `false`: AdminJS's sign-in copy (a right
   * taken away then works until the session ends). Needs the engine's `userModel`.
   */
  liveRights?: boolean | ToCurrentAdmin;
  /**
   * Who may show the panel in a frame (CSP `frame-ancestors`). Default `["'self'"]`: only pages of the panel's own
   * origin (and `X-Frame-Options: SAMEORIGIN`). A host that embeds the panel lists its origin:
   * `["'self'", 'https://intranet.example']` (then no X-Frame-Options, which cannot name origins); `["'none'"]`:
   * nobody (`X-Frame-Options: DENY`). Checked at start-up.
   */
  frameAncestors?: string[];
}

interface Layer { name?: string; handle?: { name?: string } }
interface Mountable { _router?: { stack: Layer[] }; router?: { stack: Layer[] }; parent?: Mountable }

/** The app's middleware stack so far: `_router` in Express 4, `router` in Express 5 (whose getter throws in 4). */
function stackOf(app: Mountable): Layer[] {
  try {
    return app._router?.stack ?? app.router?.stack ?? [];
  } catch {
    return [];
  }
}

/** Is an express-session middleware (ours, or express-session with our store) in the app's stack so far? */
function hasSessionMiddleware(app: Mountable | undefined): boolean {
  for (let at = app; at; at = at.parent) {
    if (stackOf(at).some((layer) => layer.name === 'session' || layer.handle?.name === 'session')) return true;
  }
  return false;
}

/**
 * AdminJS's router, whose errors go on once: express-formidable reports a body error twice (its 'error' listener and
 * its parse callback); a login's hidden failure (login.ts) goes on instead of AdminJS's login page.
 */
const passOnOnce = (router: Router, admin: GuardedAdminRouterOptions['admin']): RequestHandler => (req, res, next) => {
  let done = false;
  const passOn = (err?: unknown) => {
    if (done) return;
    done = true;
    next(err);
  };
  reportLoginFailures(admin as never, req, res, passOn);
  router(req, res, passOn);
};

export function guardedAdminRouter(options: GuardedAdminRouterOptions): Express {
  const { admin, singleSession, router, maxIds, allowedOrigins, frameAncestors, liveRights = true } = options ?? ({} as GuardedAdminRouterOptions);
  if (typeof router !== 'function') fail(m.notRouter('guardedAdminRouter', router));
  if (typeof liveRights !== 'boolean' && typeof liveRights !== 'function') fail(m.badLiveRights(liveRights));
  const framing = frameGuard(frameAncestors);
  const guard = guardAdminRequests({ admin, singleSession, ...(maxIds !== undefined ? { maxIds } : {}) });
  if (liveRights !== false && !singleSession.readsUsers) fail(m.liveRightsWithoutUserModel);
  const live = liveRights === false ? [] : [liveCurrentAdmin({ singleSession, ...(typeof liveRights === 'function' ? { currentAdmin: liveRights } : {}) })];
  const app = express();
  app.disable('x-powered-by');
  const origins = allowedOrigins ? { allowedOrigins } : {};
  app.use(framing);
  // The panel's live sign-out stream (components/LiveSignOut.tsx): the notice's translation key rides with the reason.
  // Before liveCurrentAdmin: a reconnect costs no user-row read. The stream answers only a session the store still
  // serves (an ended one, a deleted user's, is refused by the store's read) and tells it nothing but its own ending.
  if (singleSession?.liveEnabled) {
    app.get(PANEL_LIVE_PATH, singleSession.liveSignOut({ ...origins, describe: (reason) => ({ message: endReasonMessage(reason) }) }));
  }
  app.use(
    guardCrossSite(origins),
    guardAdminLogout(admin as never, origins),
    bodyGate(),
    explainEndedSessions(singleSession, admin as never),
    ...live,
    guard.before,
    passOnOnce(router, admin),
    guard.after,
  );
  app.on('mount', (parent: unknown) => {
    if (!hasSessionMiddleware(parent as Mountable)) fail(m.sessionNotMounted);
  });
  return app;
}
