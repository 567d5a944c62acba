/**
 * Who may end whose sessions. One place decides, for both the UI (`isAccessible`, which hides an action) and the
 * handler (which re-checks on the server, because hiding a button stops nobody who can craft a request).
 */
import type { CurrentAdmin } from 'adminjs';
import type { SingleSession } from '../single-session.js';

export const PERMISSIONS = {
  /** End the sessions of users who are not admins. */
  logout: 'single_session.logout',
  /** End the sessions of anyone, admins included. */
  logoutAll: 'single_session.logout_all',
} as const;
export type Permission = (typeof PERMISSIONS)[keyof typeof PERMISSIONS];

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
    return singleSession.options.isAdmin(currentAdmin) === true;
  };
}

/** The permission needed to end the sessions of one target user: admins are protected by the stronger one. */
export const permissionFor = (targetIsAdmin: boolean): Permission => (targetIsAdmin ? PERMISSIONS.logoutAll : PERMISSIONS.logout);
