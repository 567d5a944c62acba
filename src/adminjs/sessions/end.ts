/**
 * "End this session" (record) and "End the selected sessions" (bulk) on the Sessions resource, run by the
 * confirm-action skeleton. The rule is the feature's: ending a session of a plain user needs
 * `single_session.logout` (or `logout_all`), ending an admin user's session needs `single_session.logout_all`. It
 * is judged against the target users, loaded in one call through the AdminJS user resource (whatever its adapter:
 * Sequelize, TypeORM, …); a selection with one session the admin may not end is refused whole.
 */
import type { Action, ActionContext, ActionResponse, BaseRecord, BaseResource } from 'adminjs';
import { confirmAction, type ConfirmDeps, type Target } from '../confirm.js';
import { sessionTitle } from '../display.js';
import { adminMessages as m, fail, NOTICES } from '../errors.js';
import { ANY_PERMISSION, isAdminRecord, mayEnd, permissionFor } from '../permissions.js';

export const SESSION_ACTIONS = {
  /** Record: end one session. */
  endOne: 'endSession',
  /** Bulk: end the selected sessions. */
  endSelected: 'endSessions',
} as const;

export interface EndDeps extends ConfirmDeps {
  /** The id of the AdminJS user resource the sessions' `userId` refers to. */
  userResourceId: string;
}

export function endSessionActions(deps: EndDeps): Record<string, Partial<Action<ActionResponse>>> {
  const { singleSession } = deps;
  const action = (name: string, actionType: 'record' | 'bulk') => confirmAction(deps, {
    name,
    actionType,
    anyOf: ANY_PERMISSION,
    judge: async (records, { holds, request, context }) => {
      const [users, currentHandle] = await Promise.all([
        loadUsers(deps.userResourceId, records, context),
        singleSession.currentSessionHandle(request as never),
      ]);
      return records.map((record): Target => {
        const userId = String(record.param('userId'));
        const user = users.get(userId);
        // A session whose user cannot be read is treated as an admin's: refuse rather than guess.
        const isAdmin = user === undefined || isAdminRecord(singleSession, user);
        const allowed = mayEnd(holds, isAdmin);
        const isSelf = String(record.id()) === currentHandle;
        const who = user ? user.title() : `#${userId}`;
        return {
          record,
          title: sessionTitle(who, { id: record.id(), browser: record.param('browser'), os: record.param('os'), ip: record.param('ip') }),
          info: {
            kind: 'session', isAdmin, isSelf, userId, outcome: allowed ? 'logout' : 'forbidden', ...(allowed ? {} : { permission: permissionFor(isAdmin) }),
            // Each record is one live session (the view lists no other); the admin's own is kept.
            sessions: allowed && !isSelf ? 1 : 0,
          },
        };
      });
    },
    end: async (chosen, acting) => {
      const ended = await singleSession.endSessionsByHandle(chosen.map((t) => String(t.record.id())), acting);
      const keptOwn = chosen.some((t) => t.info.isSelf);
      return { message: keptOwn ? NOTICES.sessionsDoneKeptOwn : NOTICES.sessionsDone, type: 'success', options: { sessions: ended.sessions, users: ended.users.length } };
    },
    nothingToDo: () => ({ message: NOTICES.sessionsDone, type: 'info', options: { sessions: 0, users: 0 } }),
    // The ended sessions' pages are gone: back to the list, which refreshes.
    redirectUrl: (context: ActionContext) => context.h.resourceUrl({ resourceId: context.resource.decorate().id() }),
  });
  return {
    [SESSION_ACTIONS.endOne]: action(SESSION_ACTIONS.endOne, 'record'),
    [SESSION_ACTIONS.endSelected]: action(SESSION_ACTIONS.endSelected, 'bulk'),
  };
}

/** The target sessions' users, by id as text, in one call to the user resource. */
const loadUsers = (userResourceId: string, records: BaseRecord[], context: ActionContext) =>
  findUsers(context._admin, userResourceId, records.map((r) => String(r.param('userId'))));

/** Users by id as text, read in one call through the AdminJS user resource (whatever its adapter). */
export async function findUsers(admin: { resources: BaseResource[] }, userResourceId: string, ids: readonly string[]): Promise<Map<string, BaseRecord>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const users = await findResource(admin, userResourceId).findMany(unique);
  return new Map(users.map((user) => [String(user.id()), user]));
}

/** The resource with this id, or the start-up error that says how to name the user resource. */
export function findResource(admin: { resources: BaseResource[] }, resourceId: string, factory?: string): BaseResource {
  const ids = admin.resources.map((r) => r.decorate().id());
  const index = ids.indexOf(resourceId);
  return index >= 0 ? admin.resources[index]! : fail(m.userResourceMissing(resourceId, ids, factory));
}
