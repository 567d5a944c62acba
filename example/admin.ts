/**
 * The demo's AdminJS: the User resource with the single-session feature, the login through the package's auth
 * provider, the feature's translations, and the request guard. Shared by the demo app, the tests and the benchmarks.
 *
 *   const { admin, router } = await buildAdmin({ sequelize, singleSession, User });
 *   app.use(singleSession.sessionMiddleware({ secret, name: 'sid' }));   // app-wide, BEFORE the admin router
 *   app.use(admin.options.rootPath, router);                             // '/admin'; no body parser before it
 *
 * Stable signature: `buildAdmin({ sequelize, singleSession, User, componentLoader?, secret?, language?, can? })`
 * → `{ admin, router, adminRouter, componentLoader }`. `router` is everything to mount at `/admin`: the login page's
 * "why was I signed out" message (explainEndedSessions), the refusal of cross-site logouts (guardAdminLogout), the
 * request guard, AdminJS's authenticated router and the guard's error answers. `adminRouter` is AdminJS's router alone. Serve it with a large `maxHeaderSize`
 * (`http.createServer({ maxHeaderSize: 1024 * 1024 }, app)`): a bulk action carries its ids in the query string,
 * and 10,000 ids exceed Node's default 16 KB.
 */
import AdminJSExpress from '@adminjs/express';
import { Database, Resource } from '@adminjs/sequelize';
import AdminJS, { ACTIONS as ADMINJS_ACTIONS, ComponentLoader, type Action, type ActionResponse, type After, type CurrentAdmin, type ResourceOptions } from 'adminjs';
import bcrypt from 'bcryptjs';
import express from 'express';
import type { Sequelize } from 'sequelize';
import { type SingleSession } from '../src/index.js';
import {
  auditResource, explainEndedSessions, guardAdminLogout, mySessionsPage, SINGLE_SESSION_ACTIONS, SingleSessionAuthProvider, singleSessionAdminGuard, singleSessionFeature, sessionsResource, userSessionsFeature, withSingleSessionTranslations, type Can,
} from '../src/adminjs.js';
import type { UserModel } from './db/users.js';

AdminJS.registerAdapter({ Database, Resource });

export interface BuildAdminOptions {
  sequelize: Sequelize;
  singleSession: SingleSession;
  User: UserModel;
  /** The loader given to AdminJS and the feature. Default: a new one. */
  componentLoader?: ComponentLoader;
  /** Must equal the secret of the app-wide session middleware. Default `'demo secret'` (example/app.ts's default). */
  secret?: string;
  /** AdminJS UI language. Default `'en'`; all six of the feature's languages are offered. */
  language?: 'en' | 'nl' | 'de' | 'fr' | 'es' | 'pl';
  /** A host permission rule for the feature (default: the admin's `permissions` list, or isAdmin). */
  can?: Can;
}

export interface DemoAdmin {
  admin: AdminJS;
  router: express.Router;
  adminRouter: express.Router;
  componentLoader: ComponentLoader;
}

/** What AdminJS keeps in the session as `currentAdmin`. */
export interface DemoCurrentAdmin extends CurrentAdmin {
  /** The user's primary key, as text (AdminJS's type). */
  id: string;
  email: string;
  isAdmin: boolean;
  permissions: string[];
}

const LANGUAGES = ['en', 'nl', 'de', 'fr', 'es', 'pl'];
const SECRET_FIELDS = ['passwordHash'];

/** @adminjs/sequelize sends every attribute, hidden or not: strip the secrets from every action's response. */
const stripSecrets: After<ActionResponse> = async (response) => {
  const strip = (record?: { params?: Record<string, unknown> }) => {
    for (const field of SECRET_FIELDS) delete record?.params?.[field];
  };
  strip(response.record);
  (response.records as Array<{ params?: Record<string, unknown> }> | undefined)?.forEach(strip);
  return response;
};

/** Admits the admin user and anyone holding some permission; site-only users (alice, bob) are refused. */
function authenticator(User: UserModel) {
  return async ({ email, password }: { email?: string; password?: string }): Promise<DemoCurrentAdmin | null> => {
    if (typeof email !== 'string' || typeof password !== 'string' || !email || !password) return null;
    const user = await User.findOne({ where: { email: email.trim().toLowerCase() } });
    const row = user?.get({ plain: true });
    if (!row || !(await bcrypt.compare(password, row.passwordHash))) return null;
    const { id, isAdmin, permissions } = row;
    const list = Array.isArray(permissions) ? permissions.filter((p): p is string => typeof p === 'string') : [];
    if (!isAdmin && list.length === 0) return null;
    return { id: String(id), email: row.email, title: isAdmin ? 'Administrator' : list.join(', '), isAdmin, permissions: list };
  };
}

export async function buildAdmin({
  singleSession, User, componentLoader = new ComponentLoader(), secret = 'demo secret', language = 'en', can,
}: BuildAdminOptions): Promise<DemoAdmin> {
  const everyAction = [...Object.keys(ADMINJS_ACTIONS), ...Object.values(SINGLE_SESSION_ACTIONS)];
  const userOptions: ResourceOptions = {
    id: 'User',
    titleProperty: 'email',
    navigation: { name: 'Accounts', icon: 'Users' },
    properties: { passwordHash: { isVisible: false }, permissions: { type: 'string', isArray: true } },
    listProperties: ['id', 'email', 'isAdmin', 'updatedAt'],
  };
  const admin = new AdminJS({
    rootPath: '/admin',
    componentLoader,
    branding: { companyName: 'adminjs-single-session demo', withMadeWithLove: false },
    locale: withSingleSessionTranslations({ language, availableLanguages: LANGUAGES }),
    // "My sessions": every admin's own sessions, "Log out my other sessions".
    pages: { mySessions: mySessionsPage({ singleSession, componentLoader }) },
    resources: [{
      resource: User,
      options: userOptions,
      features: [
        singleSessionFeature({ singleSession, componentLoader, ...(can ? { can } : {}) }),
        // After the feature, so that it also covers the actions the feature added.
        (_admin: AdminJS, previous: ResourceOptions = {}) => ({
          ...previous,
          actions: Object.fromEntries(everyAction.map((name) => {
            const action: Partial<Action<ActionResponse>> = (previous.actions as Record<string, Partial<Action<ActionResponse>>> | undefined)?.[name] ?? {};
            const after = action.after ? [action.after].flat() : [];
            return [name, { ...action, after: [...after, stripSecrets] }];
          })),
        }),
        // After the one above (which keeps only the actions it names); its action sends no user column.
        userSessionsFeature({ singleSession, componentLoader, ...(can ? { can } : {}) }),
      ],
    },
    // Every live session (end them from here), and the audit trail when the engine writes one.
    sessionsResource({ singleSession, componentLoader, ...(can ? { can } : {}) }),
    ...(singleSession.options.audit ? [auditResource({ singleSession, ...(can ? { can } : {}) })] : []),
    ],
  });

  const adminRouter = AdminJSExpress.buildAuthenticatedRouter(
    admin,
    {
      provider: new SingleSessionAuthProvider({ singleSession, componentLoader, authenticate: authenticator(User) }),
      cookieName: 'sid',
      cookiePassword: secret,
    },
    null,
    // The app-wide session middleware runs first, so this instance only passes; same name, secret and store.
    singleSession.sessionOptions({ secret, name: 'sid' }),
  );
  const guard = singleSessionAdminGuard({ admin, singleSession });
  const router = express.Router();
  router.use(explainEndedSessions(singleSession, admin), guardAdminLogout(admin), guard.before, adminRouter, guard.after);
  return { admin, router, adminRouter, componentLoader };
}
