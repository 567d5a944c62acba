import AdminJSExpress from '@adminjs/express';
import { AbstractLoader, type AdminModuleOptions } from '@adminjs/nestjs';
import { Inject, Injectable } from '@nestjs/common';
import type { AbstractHttpAdapter } from '@nestjs/core';
import type AdminJS from 'adminjs';
import type { SingleSession } from 'adminjs-single-session';
import { explainEndedSessions, guardAdminLogout, guardAdminRequests } from 'adminjs-single-session/adminjs';
import express from 'express';
import { SINGLE_SESSION } from '../single-session/single-session.module.js';

interface Layer { name: string }
type Stack = { stack: Layer[] };

/** The app's middleware, in order (Express 5: `app.router`; Express 4: `app._router`, its `app.router` throws). */
const middlewareOf = (app: object): Layer[] =>
  ((app as { _router?: Stack })._router ?? (app as { router: Stack }).router).stack;

const BODY_PARSERS = ['jsonParser', 'urlencodedParser'];

/**
 * Mounts AdminJS like @adminjs/nestjs's ExpressLoader, with this package's request handling in front of it:
 * the login page says why a session ended, cross-site logouts are refused, malformed API requests get a 4xx.
 *
 * Where: after the session middleware (main.ts applies it before app.listen()), before Nest's body parsers
 * (AdminJS reads its own form bodies). ExpressLoader puts AdminJS first of all, before the session middleware.
 */
@Injectable()
export class SingleSessionAdminLoader extends AbstractLoader {
  constructor(@Inject(SINGLE_SESSION) private readonly singleSession: SingleSession) {
    super();
  }

  async register(admin: AdminJS, httpAdapter: AbstractHttpAdapter, options: AdminModuleOptions): Promise<void> {
    const { singleSession } = this;
    if (!options.auth) throw new Error('SingleSessionAdminLoader: AdminModule needs `auth` (the SingleSessionAuthProvider).');
    const adminRouter = AdminJSExpress.buildAuthenticatedRouter(admin, options.auth, null, options.sessionOptions, options.formidableOptions);
    // Nest's HTTP server keeps Node's 16 KB header limit: 1,000 ids fit in a bulk action's query string.
    const guard = guardAdminRequests({ admin, singleSession, maxIds: 1000 });
    const router = express.Router();
    router.use(explainEndedSessions(singleSession, admin), guardAdminLogout(admin), guard.before, adminRouter, guard.after);

    const app = httpAdapter.getInstance<express.Express>();
    app.use(admin.options.rootPath, router);
    const stack = middlewareOf(app);
    const layer = stack.pop()!;
    const parsers = stack.findIndex((l) => BODY_PARSERS.includes(l.name));
    const at = parsers === -1 ? stack.length : parsers;
    if (!stack.slice(0, at).some((l) => l.name === 'session')) {
      throw new Error('SingleSessionAdminLoader: no session middleware before AdminJS. Apply it in main.ts before app.listen(): ' +
        "app.use(singleSession.sessionMiddleware({ secret, name: 'sid' })).");
    }
    stack.splice(at, 0, layer);
  }
}
