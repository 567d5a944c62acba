/** The built-in actions of a read-only resource: viewing for holders of a single_session permission, nothing else. */
import type { Action, ActionResponse, CurrentAdmin } from 'adminjs';
import { holdsAny, type Can } from '../permissions.js';

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
