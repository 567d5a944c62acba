/**
 * `guardedAdminRouter({ admin, singleSession, router })`: what to mount at `admin.options.rootPath` — the AdminJS
 * router of @adminjs/express with every protection of this package around it, in the order they must run:
 * the refusal of requests another site sent (the login form, every API POST, and the logout GET), the body gate
 * (nothing but a small login form before authentication, nothing to disk), the login page's "why was I signed
 * out" message, the request guard (checked ids, filters, sorts and parameters; 4xx instead of AdminJS's 500s) and
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
import { endReasonMessage, explainEndedSessions } from './login.js';
import { guardAdminLogout, type GuardAdminLogoutOptions } from './logout-guard.js';
import { guardAdminRequests, type GuardAdminRequestsOptions } from './request-guard.js';

/** Options of `guardedAdminRouter`: the request guard's and the logout guard's, and AdminJS's router. */
export interface GuardedAdminRouterOptions extends GuardAdminRequestsOptions, GuardAdminLogoutOptions {
  /** The router from `AdminJSExpress.buildAuthenticatedRouter(admin, ...)`. */
  router: Router;
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

/** express-formidable reports a body error twice (its 'error' listener and its parse callback): pass it on once. */
const passOnOnce = (router: Router): RequestHandler => (req, res, next) => {
  let done = false;
  router(req, res, (err?: unknown) => {
    if (done) return;
    done = true;
    next(err);
  });
};

export function guardedAdminRouter(options: GuardedAdminRouterOptions): Express {
  const { admin, singleSession, router, maxIds, allowedOrigins } = options ?? ({} as GuardedAdminRouterOptions);
  if (typeof router !== 'function') fail(m.notRouter('guardedAdminRouter', router));
  const guard = guardAdminRequests({ admin, singleSession, ...(maxIds !== undefined ? { maxIds } : {}) });
  const app = express();
  app.disable('x-powered-by');
  const origins = allowedOrigins ? { allowedOrigins } : {};
  // The panel's live sign-out stream (components/LiveSignOut.tsx): the notice's translation key rides with the reason.
  if (singleSession?.liveEnabled) {
    app.get(PANEL_LIVE_PATH, singleSession.liveSignOut({ ...origins, describe: (reason) => ({ message: endReasonMessage(reason) }) }));
  }
  app.use(
    guardCrossSite(origins),
    guardAdminLogout(admin as never, origins),
    bodyGate(),
    explainEndedSessions(singleSession, admin as never),
    guard.before,
    passOnOnce(router),
    guard.after,
  );
  app.on('mount', (parent: unknown) => {
    if (!hasSessionMiddleware(parent as Mountable)) fail(m.sessionNotMounted);
  });
  return app;
}
