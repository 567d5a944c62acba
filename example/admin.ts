/**
 * The demo's AdminJS: the User resource with the single-session feature (AdminJS's stock actions that change users
 * for admins only), the login through the package's auth provider, the feature's translations, and the request guard. Shared by the demo app, the tests and the benchmarks.
 *
 *   const { admin, router } = await buildAdmin({ sequelize, singleSession, User });
 *   app.use(singleSession.sessionMiddleware({ secret, name: sessionCookieName() }));   // app-wide, BEFORE the admin router
 *   app.use(admin.options.rootPath, router);                             // '/admin'; no body parser before it
 *
 * Stable signature: `buildAdmin({ sequelize, singleSession, User, componentLoader?, secret?, language?, can? })`
 * → `{ admin, router, adminRouter, componentLoader }`. `router` is everything to mount at `/admin`
 * (guardedAdminRouter: the login page's "why was I signed out" message, the refusal of cross-site logouts, the
 * request guard around AdminJS's router). `adminRouter` is AdminJS's router alone. Serve it with Node's default header
 * limit (setup.ts's SERVER_LIMITS): a bulk action with more ids than a 16 KB query string holds sends them in its
 * POST body (`recordIds`).
 */
import AdminJSExpress from '@adminjs/express';
import { Database, Resource } from '@adminjs/sequelize';
import AdminJS, {
  ACTIONS as STOCK_ACTIONS, ComponentLoader, ValidationError, type Action, type ActionContext, type ActionRequest, type ActionResponse, type After,
  type Before, type CurrentAdmin, type ResourceOptions,
} from 'adminjs';
import bcrypt from 'bcryptjs';
import express from 'express';
import type { Sequelize } from 'sequelize';
import { type SingleSession } from '../src/index.js';
import {
  adminsOnly, auditResource, guardedAdminRouter, mySessionsPage, SingleSessionAuthProvider, singleSessionFeature, sessionsDashboard, sessionsResource,
  stepUpFeature, withSingleSessionTranslations, type Can,
} from '../src/adminjs.js';
import type { UserModel } from './db/users.js';
import { LoginThrottle, LoginThrottledError, PASSWORD_COST, passwordChecker, type PasswordChecker } from './login.js';
import { MIN_PASSWORD_LENGTH, SITE_MESSAGES } from './site.js';

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
  /** Failed-login counters; share one with the site login (example/app.ts does). Default: its own. */
  throttle?: LoginThrottle;
  /** The Sessions list counts exactly up to this many sessions, then shows an estimate. Default: the package's (1,000). */
  exactCountUpTo?: number;
  /**
   * `false`: AdminJS trusts the copy of the user stored at sign-in, as without this package's live rights — only for
   * the bench, which measures what reading the user on each request costs. Default: live.
   */
  liveRights?: false;
}

/**
 * The session cookie's name, one for the site and AdminJS. In production `__Host-sid`: browsers accept a `__Host-`
 * cookie only Secure, for `Path=/` and without `Domain`, so a sibling subdomain cannot set ("toss") one for the parent
 * domain that would sign a visitor in as its attacker — a plain `sid` it can. Plain-HTTP development keeps `sid`
 * (a `__Host-` cookie must be Secure). Read when the app is built.
 */
export const sessionCookieName = (): string => (process.env.NODE_ENV === 'production' ? '__Host-sid' : 'sid');

/**
 * express-formidable's options for AdminJS's router (buildAuthenticatedRouter's 5th argument): only signed-in
 * admins reach formidable (guardedAdminRouter parses the login form itself, in memory), and they may not send more
 * than this. The demo has no file upload: 1 MB of files and of fields is plenty. Over a limit: 413.
 */
export const UPLOAD_LIMITS = { maxFileSize: 1024 * 1024, maxFieldsSize: 1024 * 1024, maxFields: 200 };

export interface DemoAdmin {
  admin: AdminJS;
  /** Everything to mount at `/admin` (an Express sub-app: mounting it checks the session middleware came first). */
  router: express.Express;
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

/**
 * @adminjs/sequelize sends every attribute, hidden or not: strip the secrets from the responses of AdminJS's stock
 * actions (the package's own actions send no attribute of a user at all).
 */
const stripSecrets: After<ActionResponse> = async (response) => {
  const strip = (record?: { params?: Record<string, unknown> }) => {
    for (const field of SECRET_FIELDS) delete record?.params?.[field];
  };
  strip(response.record);
  (response.records as Array<{ params?: Record<string, unknown> }> | undefined)?.forEach(strip);
  return response;
};

/**
 * AdminJS's stock actions that change users, which AdminJS opens to every panel user: admins only. Without this a
 * user holding nothing but `single_session.logout` could edit their own `isAdmin` or `permissions`, create users and
 * delete them — and the package's permissions would mean nothing. `isAccessible` false hides the buttons and makes
 * AdminJS refuse a forged request ("forbiddenError") before the handler runs. `adminsOnly` judges the user as the
 * database has it now (guardedAdminRouter reads it on each request), so a demoted admin cannot undo the demotion;
 * `stepUpFeature` (with FRESH_AGE_MS) makes the same actions need a recent sign-in, like the package's own.
 */
export const USER_CHANGING_ACTIONS = ['new', 'edit', 'delete', 'bulkDelete'] as const;

function adminsOnlyChangeUsers(singleSession: SingleSession) {
  const isAccessible = adminsOnly(singleSession);
  return (_admin: AdminJS, previous: ResourceOptions = {}): ResourceOptions => {
    const actions = { ...previous.actions } as Record<string, Partial<Action<ActionResponse>>>;
    for (const name of USER_CHANGING_ACTIONS) actions[name] = { ...actions[name], isAccessible };
    return { ...previous, actions };
  };
}

/** The edit form's field for a new password (not a column: hashed into `passwordHash`). */
const NEW_PASSWORD = 'newPassword';
/** Set on the action's context by `edit`'s before hook: the user's password hash before the edit. */
const HASH_BEFORE = Symbol('password hash before the edit');

/**
 * The form's "New password" (on `new` and `edit`) is hashed into `passwordHash` before the record is saved; it never
 * reaches the table as typed.
 */
const hashTypedPassword: Before = async (request: ActionRequest) => {
  if (request.method !== 'post' || !request.payload) return request;
  const { [NEW_PASSWORD]: typed, ...payload } = request.payload as Record<string, unknown>;
  if (typeof typed === 'string' && typed !== '') {
    if (typed.length < MIN_PASSWORD_LENGTH) throw new ValidationError({ [NEW_PASSWORD]: { message: SITE_MESSAGES.passwordTooShort } });
    payload.passwordHash = await bcrypt.hash(typed, PASSWORD_COST);
  }
  return { ...request, payload };
};

/**
 * An administrator's change of a user's password through the stock `edit` — the form's "New password", or a
 * `passwordHash` sent to the API — ends every session of that user (reason `credentials`, audited, by that admin)
 * once the record is saved. Whether it was saved is read back from the database, not from the handler's answer: a
 * refused edit (a stale sign-in, a validation error) answers with a record too, and must end nothing.
 */
function passwordChangeEndsSessions(singleSession: SingleSession) {
  const remembered = (context: ActionContext) => context as unknown as Record<symbol, unknown>;
  const notice: Before = async (request, context) => {
    const hash = (request.payload as Record<string, unknown> | undefined)?.passwordHash;
    if (request.method === 'post' && hash !== undefined && context.record) remembered(context)[HASH_BEFORE] = context.record.get('passwordHash');
    return request;
  };
  const end: After<ActionResponse> = async (response, _request, context) => {
    const id = context.record?.id();
    if (!id || !(HASH_BEFORE in remembered(context))) return response;
    const now = await context.resource.findOne(id, context);
    if (now && now.get('passwordHash') !== remembered(context)[HASH_BEFORE]) {
      await singleSession.endUserSessions([id], { reason: 'credentials', actorId: context.currentAdmin?.id ?? null });
    }
    return response;
  };
  return (_admin: AdminJS, previous: ResourceOptions = {}): ResourceOptions => {
    const actions = { ...previous.actions } as Record<string, Partial<Action<ActionResponse>>>;
    const hooks = (name: 'new' | 'edit', before: Before[], after: Array<After<ActionResponse>>) => {
      const action = actions[name] ?? {};
      actions[name] = {
        ...action,
        before: [...(action.before ? [action.before].flat() : []), ...before],
        after: [...after, ...(action.after ? [action.after].flat() : [])],
      };
    };
    hooks('new', [hashTypedPassword], []);
    hooks('edit', [hashTypedPassword, notice], [end]);
    return { ...previous, actions };
  };
}

/**
 * The demo's `currentAdmin` of a user row — for the login and, on every later panel request, for the live rights
 * (guardedAdminRouter's `liveRights`): one mapping, so both judge alike. Null for a user without any right in the
 * panel (alice, bob; staff once their permissions are taken): the login refuses them, an open panel session ends.
 */
export function demoCurrentAdmin(row: { id: unknown; email: unknown; isAdmin: unknown; permissions: unknown }): DemoCurrentAdmin | null {
  const isAdmin = row.isAdmin === true;
  const list = Array.isArray(row.permissions) ? row.permissions.filter((p): p is string => typeof p === 'string') : [];
  if (!isAdmin && list.length === 0) return null;
  return { id: String(row.id), email: String(row.email), title: isAdmin ? 'Administrator' : list.join(', '), isAdmin, permissions: list };
}

/**
 * Admits the admin user and anyone holding some permission; site-only users (alice, bob) are refused. The password
 * check is the site's (same time for unknown emails, throttled); a throttled login shows its message on the login page.
 */
function authenticator(checkPassword: PasswordChecker) {
  return async (
    { email, password }: { email?: string; password?: string }, context?: { req?: express.Request },
  ): Promise<DemoCurrentAdmin | null> => {
    if (typeof email !== 'string' || typeof password !== 'string' || !email || !password) return null;
    let row;
    try {
      row = await checkPassword(email, password, context?.req?.ip ?? '');
    } catch (err) {
      // @adminjs/express shows the error's message on its login page (400).
      if (err instanceof LoginThrottledError) throw new Error(err.message);
      throw err;
    }
    return row ? demoCurrentAdmin(row) : null;
  };
}

export async function buildAdmin({
  singleSession, User, componentLoader = new ComponentLoader(), secret = 'demo secret', language = 'en', can, throttle = new LoginThrottle(),
  exactCountUpTo, liveRights,
}: BuildAdminOptions): Promise<DemoAdmin> {
  const userOptions: ResourceOptions = {
    id: 'User',
    titleProperty: 'email',
    navigation: { name: 'Accounts', icon: 'Users' },
    properties: {
      passwordHash: { isVisible: false },
      [NEW_PASSWORD]: { type: 'password', isVisible: { list: false, show: false, filter: false, edit: true } },
      permissions: { type: 'string', isArray: true },
    },
    listProperties: ['id', 'email', 'isAdmin', 'updatedAt'],
  };
  const admin = new AdminJS({
    rootPath: '/admin',
    componentLoader,
    branding: { companyName: 'adminjs-single-session demo', withMadeWithLove: false },
    locale: withSingleSessionTranslations({ language, availableLanguages: LANGUAGES }),
    // The home page: who is signed in now, sign-ins and endings per hour (with `audit: true`), browsers and devices.
    dashboard: sessionsDashboard({ singleSession, componentLoader, ...(can ? { can } : {}) }),
    // "My sessions": every admin's own sessions, "End" on each other one, "Log out my other sessions".
    pages: { mySessions: mySessionsPage({ singleSession, componentLoader }) },
    resources: [{
      resource: User,
      options: userOptions,
      features: [
        singleSessionFeature({ singleSession, ...(can ? { can } : {}) }),
        // The stock actions' responses without secrets; every other action as it was.
        (_admin: AdminJS, previous: ResourceOptions = {}) => {
          const actions = { ...previous.actions } as Record<string, Partial<Action<ActionResponse>>>;
          for (const name of Object.keys(STOCK_ACTIONS)) {
            const action = actions[name] ?? {};
            actions[name] = { ...action, after: [...(action.after ? [action.after].flat() : []), stripSecrets] };
          }
          return { ...previous, actions };
        },
        adminsOnlyChangeUsers(singleSession),
        // With FRESH_AGE_MS, changing users needs a recent sign-in too (GET and POST, refused on the server).
        stepUpFeature({ singleSession, actions: USER_CHANGING_ACTIONS }),
        passwordChangeEndsSessions(singleSession),
      ],
    },
    // Every live session (end them from here), and the audit trail when the engine writes one.
    sessionsResource({ singleSession, ...(can ? { can } : {}), ...(exactCountUpTo ? { exactCountUpTo } : {}) }),
    ...(singleSession.auditEnabled ? [auditResource({ singleSession, ...(can ? { can } : {}) })] : []),
    ],
  });

  const adminRouter = AdminJSExpress.buildAuthenticatedRouter(
    admin,
    {
      provider: new SingleSessionAuthProvider({ singleSession, componentLoader, authenticate: authenticator(passwordChecker(User, throttle)) }),
      cookieName: sessionCookieName(),
      cookiePassword: secret,
    },
    null,
    // The app-wide session middleware runs first, so this instance only passes; same name, secret and store.
    singleSession.sessionOptions({ secret, name: sessionCookieName() }),
    UPLOAD_LIMITS,
  );
  // Around AdminJS's router: the login page's "why", the cross-site logout refusal, the request guard.
  // Live rights: each panel request reads the user again and maps it as the login does.
  const router = guardedAdminRouter({ admin, singleSession, router: adminRouter, liveRights: liveRights ?? ((user) => demoCurrentAdmin(user)) });
  return { admin, router, adminRouter, componentLoader };
}
