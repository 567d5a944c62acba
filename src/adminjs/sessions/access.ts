/** Who may see the session pages, and the built-in actions a read-only resource refuses. */
import type { Action, ActionResponse, CurrentAdmin } from 'adminjs';
import { PERMISSIONS, type Can } from '../permissions.js';

/** Holding either single_session permission lets an admin see sessions (and try to end them; the handler decides). */
export const SESSION_PERMISSIONS = [PERMISSIONS.logout, PERMISSIONS.logoutAll];

export const holdsAny = (can: Can, currentAdmin: CurrentAdmin | undefined) => SESSION_PERMISSIONS.some((p) => can(currentAdmin, p));

type Actions = Record<string, Partial<Action<ActionResponse>>>;

/**
 * list/show/search for holders of a single_session permission; new/edit/delete refused on the server too
 * (`isAccessible: false` makes AdminJS answer a forged request with a "forbidden" error, not only hide a button).
 */
export function readOnlyActions(can: Can, extra: Actions = {}): Actions {
  const view = { isAccessible: ({ currentAdmin }: { currentAdmin?: CurrentAdmin }) => holdsAny(can, currentAdmin) };
  const refused = { isAccessible: false, isVisible: false };
  return {
    list: { ...view, ...extra.list },
    show: { ...view, ...extra.show },
    search: { ...view, ...extra.search },
    new: refused,
    edit: refused,
    delete: refused,
    bulkDelete: refused,
  };
}
