/**
 * Who may end whose sessions. One place decides, for both the UI (`isAccessible`, which hides an action) and the
 * handlers (which check again on the server, because hiding a button stops nobody who can craft a request).
 */
import { flat, type BaseRecord, type CurrentAdmin } from 'adminjs';
import type { SingleSession } from '../single-session.js';

/** The two permissions, as `currentAdmin.permissions` (or your `can`) names them. */
export const PERMISSIONS = {
  /** End the sessions of users who are not admins. */
  logout: 'single_session.logout',
  /** End the sessions of anyone, admins included. */
  logoutAll: 'single_session.logout_all',
} as const;
/** One of the two permissions. */
export type Permission = (typeof PERMISSIONS)[keyof typeof PERMISSIONS];

/** Holding either permission lets an admin see sessions (and try to end them; the handler decides). */
export const ANY_PERMISSION: readonly Permission[] = [PERMISSIONS.logout, PERMISSIONS.logoutAll];

/** A host's own rule: does this logged-in admin hold this permission? Must answer synchronously (AdminJS asks while rendering). */
export type Can = (currentAdmin: CurrentAdmin | undefined, permission: Permission) => boolean;

/**
 * The default rule: `currentAdmin.permissions` lists the permission, or the engine's `isAdmin(currentAdmin)`
 * holds (admins hold every permission).
 */
export function defaultCan(singleSession: SingleSession): Can {
  return (currentAdmin, permission) => {
    if (!currentAdmin) return false;
    const permissions = (currentAdmin as { permissions?: unknown }).permissions;
    if (Array.isArray(permissions) && permissions.includes(permission)) return true;
    return singleSession.isAdmin(currentAdmin);
  };
}

export const holdsAny = (can: Can, currentAdmin: CurrentAdmin | undefined, permissions: readonly Permission[] = ANY_PERMISSION) =>
  permissions.some((p) => can(currentAdmin, p));

/** The permission needed to end the sessions of one target user: admins are protected by the stronger one. */
export const permissionFor = (targetIsAdmin: boolean): Permission => (targetIsAdmin ? PERMISSIONS.logoutAll : PERMISSIONS.logout);

/** May an admin holding these permissions end a session (or all sessions) of this user? One rule for every page. */
export const mayEnd = (holds: (p: Permission) => boolean, targetIsAdmin: boolean): boolean =>
  holds(permissionFor(targetIsAdmin)) || holds(PERMISSIONS.logoutAll);

/** Is this user record (of the AdminJS user resource, whatever its adapter) an admin user, by the engine's `isAdmin`? */
export const isAdminRecord = (singleSession: SingleSession, record: Pick<BaseRecord, 'params'>): boolean =>
  singleSession.isAdmin(flat.unflatten(record.params));
