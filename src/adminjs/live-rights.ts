/**
 * Live rights: AdminJS's `currentAdmin` is the copy of the user the login stored in the session, so every check that
 * reads it (the feature's `can`, a host's `isAccessible`) would go on trusting rights taken away since — a demoted
 * admin could even edit their own row back. `liveCurrentAdmin` (mounted by `guardedAdminRouter`) reads the signed-in
 * user by primary key on each signed-in panel request (the engine's `loadUser`: one indexed statement) and puts the
 * fresh `currentAdmin` where AdminJS's handlers read it, so a change made through AdminJS, the Sequelize model or raw
 * SQL counts at the very next request. A user whose row is gone is signed out; a user the mapping no longer admits to
 * the panel is signed out of it (their site session, if any, stays).
 *
 * `adminsOnly(singleSession)`: the `isAccessible` of a host's own admin-only actions (AdminJS's stock `new`, `edit`,
 * `delete`, `bulkDelete` of a User resource), judged on that live `currentAdmin` — and refused when the request's
 * `currentAdmin` is not a live one, so a wiring that skipped the reload fails closed instead of trusting the copy.
 */
import type { Request, RequestHandler } from 'express';
import type { CurrentAdmin } from 'adminjs';
import { log } from '../log.js';
import type { SingleSession } from '../single-session.js';

/**
 * How a user row becomes AdminJS's `currentAdmin` — the same mapping as your login's `authenticate` (share one
 * function) — or null when this user may no longer use the panel (e.g. holds no right any more). Gets the model
 * instance `loadUser` read and the copy stored at sign-in.
 */
export type ToCurrentAdmin<User = any> = (user: User, stored: CurrentAdmin) => CurrentAdmin | null | Promise<CurrentAdmin | null>;

/** Options of `liveCurrentAdmin`. */
export interface LiveCurrentAdminOptions<User = any> {
  /** The engine from `createSingleSession` (created with `userModel`: it reads the user through it). */
  singleSession: SingleSession<User>;
  /**
   * Your login's mapping from a user row to `currentAdmin`. Default: the stored copy with each of its fields (but
   * `id`) read again from the row's attribute of the same name — right for a login that copies columns
   * (`isAdmin`, `permissions`, `role`, `email`); give your mapping when your login derives fields.
   */
  currentAdmin?: ToCurrentAdmin<User>;
}

type AdminSession = { adminUser?: CurrentAdmin };

/** The `currentAdmin` objects read from the database for the request that is being served. */
const LIVE = new WeakSet<object>();

/** Was this `currentAdmin` read from the database for this request (by `liveCurrentAdmin`), not the sign-in copy? */
export const isLiveCurrentAdmin = (currentAdmin: unknown): boolean =>
  typeof currentAdmin === 'object' && currentAdmin !== null && LIVE.has(currentAdmin);

/** The default mapping: the stored copy, its fields refreshed from the row's attributes of the same names. */
export const refreshStoredFields: ToCurrentAdmin = (user, stored) => {
  const row = (typeof user?.get === 'function' ? user.get({ plain: true }) : user) as Record<string, unknown>;
  const fresh: Record<string, unknown> = { ...stored };
  for (const key of Object.keys(stored)) if (key !== 'id' && key in row) fresh[key] = row[key];
  return fresh as CurrentAdmin;
};

/** AdminJS's bundles and static files: served without reading `currentAdmin`, so without the read. */
const isAsset = (req: Request) => req.method === 'GET' && req.path.startsWith('/frontend/assets/');

/** Express middleware (before AdminJS's router): `req.session.adminUser` as the database has the user now. */
export function liveCurrentAdmin<User = any>({ singleSession, currentAdmin: toCurrentAdmin = refreshStoredFields }: LiveCurrentAdminOptions<User>): RequestHandler {
  return (req, _res, next) => {
    const session = req.session as unknown as AdminSession | undefined;
    const stored = session?.adminUser;
    if (!session || !stored || isAsset(req)) return next();
    const userId = singleSession.getUserId(req);
    const signOut = () => {
      delete session.adminUser; // AdminJS now sends this browser to its login page
    };
    if (userId === null) {
      // An AdminJS sign-in that went around the engine's login hook: no user to read, so no rights to trust.
      log.refused('an AdminJS session without a sign-in through the engine: signed out of the panel');
      signOut();
      return next();
    }
    singleSession.loadUser(req)
      .then(async (user) => {
        if (user === null) {
          // The row is gone (its links went with it by the foreign key): every session of this id ends.
          await singleSession.endUserSessions([userId], { reason: 'account' });
          log.refused('user %s no longer exists: signed out', userId);
          return signOut();
        }
        const fresh = await toCurrentAdmin(user, stored);
        if (!fresh) {
          log.refused('user %s may no longer use the panel: signed out of it', userId);
          return signOut();
        }
        LIVE.add(fresh);
        // A changed copy is saved once (the store only updates a live row); an unchanged one is not written.
        session.adminUser = fresh;
      })
      .then(() => next(), next);
  };
}

/**
 * `isAccessible` for actions only admins may use (the engine's `isAdmin`, on the live `currentAdmin`):
 * `actions: { edit: { isAccessible: adminsOnly(singleSession) }, ... }`. Refuses a `currentAdmin` that was not read
 * from the database for this request (AdminJS mounted without `guardedAdminRouter` or `liveCurrentAdmin`).
 */
export function adminsOnly(singleSession: SingleSession): (context: { currentAdmin?: CurrentAdmin }) => boolean {
  return ({ currentAdmin }) => isLiveCurrentAdmin(currentAdmin) && singleSession.isAdmin(currentAdmin);
}
