/**
 * The panel of a user's live sessions on the user resource's show page (device, IP, signed in, last seen; "this
 * device" marked), with "End" on each session. The panel reads them through a hidden record action of the same
 * resource, open to holders of a single_session permission; "End" is a second hidden record action run by the
 * confirm-action skeleton (GET: the preview its dialog shows; POST: the ending), with the rule of every other
 * ending: a plain user's session needs `single_session.logout`, an admin user's `single_session.logout_all`.
 * Part of `singleSessionFeature` (option `sessionsPanel`).
 */
import type { Request } from 'express';
import type { Action, ActionResponse, PropertyOptions } from 'adminjs';
import { COMPONENTS } from '../components.js';
import { confirmAction, leanRecord, type ConfirmDeps } from '../confirm.js';
import { sessionTitle } from '../display.js';
import { NOTICES } from '../errors.js';
import { ANY_PERMISSION, holdsAny, isAdminRecord, mayEnd, permissionFor } from '../permissions.js';
import { findListed, listWithCurrent } from './list.js';

export const SESSIONS_PANEL = {
  /** The virtual property shown on the show page (include it if you set `showProperties`). */
  property: 'singleSessionSessions',
  /** The record action the panel reads from: GET → `{ record, sessions, canEnd }`. */
  action: 'singleSessionSessions',
  /** The record action that ends one of the user's sessions: `?session=<handle>`; GET previews, POST ends. */
  endAction: 'singleSessionEndSession',
} as const;

export function sessionsPanel(deps: Omit<ConfirmDeps, 'maxIds'>): {
  properties: Record<string, PropertyOptions>;
  actions: Record<string, Partial<Action<ActionResponse>>>;
} {
  const { singleSession, can } = deps;
  return {
    properties: {
      [SESSIONS_PANEL.property]: {
        type: 'string',
        isVisible: { list: false, filter: false, edit: false, show: true },
        components: { show: COMPONENTS.userSessions.name },
        position: 1000,
      },
    },
    actions: {
      [SESSIONS_PANEL.action]: {
        actionType: 'record',
        component: false,
        isVisible: false,
        isAccessible: ({ currentAdmin }) => holdsAny(can, currentAdmin),
        // Reads only. The record sent back is reduced to id and title: the panel needs nothing else.
        handler: async (request, _response, { record, currentAdmin }) => ({
          record: leanRecord(record!),
          sessions: await listWithCurrent(singleSession, record!.id(), request as unknown as Request),
          // Whether "End" is offered: the rule the end action applies again on the server.
          canEnd: mayEnd((p) => can(currentAdmin, p), isAdminRecord(singleSession, record!)),
        }),
      },
      [SESSIONS_PANEL.endAction]: { ...endOneAction(deps), component: false, isVisible: false },
    },
  };
}

/** "End" on one session of the user whose page this is. */
function endOneAction({ singleSession, can }: Omit<ConfirmDeps, 'maxIds'>): Partial<Action<ActionResponse>> {
  return confirmAction({ singleSession, can, maxIds: 1 }, {
    name: SESSIONS_PANEL.endAction,
    actionType: 'record',
    anyOf: ANY_PERMISSION,
    judge: async ([user], { holds, request, preview }) => {
      const userId = String(user!.id());
      const session = await findListed(singleSession, userId, request as unknown as Request, request.query?.session);
      const isAdmin = isAdminRecord(singleSession, user!);
      const allowed = mayEnd(holds, isAdmin);
      return [{
        record: user!,
        handle: session.id,
        title: sessionTitle(user!.title(), session),
        info: {
          kind: 'session', isAdmin, isSelf: session.current, userId, outcome: allowed ? 'logout' : 'forbidden',
          ...(allowed ? {} : { permission: permissionFor(isAdmin) }),
          ...(preview ? { sessions: allowed && !session.current ? 1 : 0 } : {}),
        },
      }];
    },
    end: async ([target], acting) => {
      const ended = await singleSession.endSessionsByHandle([target!.handle!], acting);
      const message = target!.info.isSelf ? NOTICES.sessionsDoneKeptOwn : NOTICES.sessionsDone;
      return { message, type: 'success', options: { sessions: ended.sessions, users: ended.users.length } };
    },
    nothingToDo: () => ({ message: NOTICES.sessionsDone, type: 'info', options: { sessions: 0, users: 0 } }),
    // The panel reloads its list itself; a client that follows the redirect lands on the user's page.
    redirectUrl: (context) => context.h.recordActionUrl({
      resourceId: context.resource.decorate().id(), recordId: String(context.record!.id()), actionName: 'show',
    }),
  });
}
