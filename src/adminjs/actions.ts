/**
 * The User feature's three actions. Each is a rule — which permission shows it, what happens to one target user —
 * run by the confirm-action skeleton (confirm.ts) the same way on GET (a preview) and POST (one set-based ending).
 */
import type { Action, ActionContext, ActionResponse } from 'adminjs';
import { confirmAction, type ConfirmDeps, type Outcome, type Target } from './confirm.js';
import { NOTICES } from './errors.js';
import { isAdminRecord, mayEnd, PERMISSIONS, permissionFor, type Permission } from './permissions.js';

export const ACTIONS = {
  /** Bulk, `single_session.logout`: ends the sessions of the selected users, skipping admin users. */
  logoutUsers: 'logoutUserOnAllSessions',
  /** Bulk, `single_session.logout_all`: ends the sessions of every selected user, admins included. */
  logoutAll: 'logoutAllUsersOnAllSessions',
  /** Record (show page): one user; an admin target needs `single_session.logout_all`. */
  logoutOne: 'logoutOnAllSessions',
} as const;
export type SingleSessionActionName = (typeof ACTIONS)[keyof typeof ACTIONS];

interface Rule {
  actionType: 'bulk' | 'record';
  /** Holding any of these shows the action. */
  anyOf: Permission[];
  outcome(targetIsAdmin: boolean, holds: (p: Permission) => boolean): Outcome;
}

const RULES: Record<SingleSessionActionName, Rule> = {
  [ACTIONS.logoutUsers]: { actionType: 'bulk', anyOf: [PERMISSIONS.logout], outcome: (isAdmin) => (isAdmin ? 'skipped-admin' : 'logout') },
  [ACTIONS.logoutAll]: { actionType: 'bulk', anyOf: [PERMISSIONS.logoutAll], outcome: () => 'logout' },
  [ACTIONS.logoutOne]: {
    actionType: 'record',
    anyOf: [PERMISSIONS.logout, PERMISSIONS.logoutAll],
    outcome: (isAdmin, holds) => (mayEnd(holds, isAdmin) ? 'logout' : 'forbidden'),
  },
};

/** The actions, ready for `options.actions` of the user resource. */
export function buildActions(deps: ConfirmDeps): Record<SingleSessionActionName, Partial<Action<ActionResponse>>> {
  const { singleSession } = deps;
  const action = (name: SingleSessionActionName) => {
    const rule = RULES[name];
    return confirmAction(deps, {
      name,
      actionType: rule.actionType,
      anyOf: rule.anyOf,
      // A record action is also hidden where it would be refused (an admin's page for a `logout`-only holder).
      hiddenOn: (record, holds) => rule.actionType === 'record' && rule.outcome(isAdminRecord(singleSession, record), holds) === 'forbidden',
      judge: async (records, { holds, actorId, preview, exceptSid }) => {
        // The preview says how many sessions each user would lose: one count for the whole selection.
        const live = preview ? await singleSession.countLiveSessions(records.map((r) => r.id()), { exceptSid }) : null;
        return records.map((record): Target => {
          const userId = String(record.id());
          const isAdmin = isAdminRecord(singleSession, record);
          const outcome = rule.outcome(isAdmin, holds);
          const isSelf = actorId !== null && userId === actorId;
          const sessions = live ? (outcome === 'logout' ? live.get(userId) ?? 0 : 0) : undefined;
          return {
            record,
            title: record.title(),
            info: { kind: 'user', isAdmin, isSelf, outcome, userId, ...(outcome === 'forbidden' ? { permission: permissionFor(isAdmin) } : {}), ...(live ? { sessions } : {}) },
          };
        });
      },
      end: async (chosen, acting, targets) => {
        // One call, one statement in one transaction, whatever the number of users.
        const ended = await singleSession.endUserSessions(chosen.map((t) => t.record.id()), acting);
        const keptOwn = chosen.some((t) => t.info.isSelf);
        const options = { sessions: ended.sessions, users: ended.users.length, skipped: targets.length - chosen.length };
        return { message: keptOwn ? NOTICES.doneKeptOwn : NOTICES.done, type: 'success', options };
      },
      nothingToDo: (targets) => ({ message: NOTICES.nothingDone, type: 'info', options: { skipped: targets.length } }),
      redirectUrl: (context: ActionContext) => (context.record
        ? context.h.recordActionUrl({ resourceId: context.resource.decorate().id(), recordId: String(context.record.id()), actionName: 'show' })
        : context.h.resourceUrl({ resourceId: context.resource.decorate().id() })),
    });
  };
  return { [ACTIONS.logoutUsers]: action(ACTIONS.logoutUsers), [ACTIONS.logoutAll]: action(ACTIONS.logoutAll), [ACTIONS.logoutOne]: action(ACTIONS.logoutOne) };
}
