/**
 * The panel of a user's live sessions on the user resource's show page (device, IP, signed in, last seen; "this
 * device" marked). The panel reads them through a hidden record action of the same resource, open to holders of a
 * single_session permission. Part of `singleSessionFeature` (option `sessionsPanel`).
 */
import type { Request } from 'express';
import type { Action, ActionResponse, PropertyOptions } from 'adminjs';
import type { SingleSession } from '../../single-session.js';
import { COMPONENTS } from '../components.js';
import { leanRecord } from '../confirm.js';
import { holdsAny, type Can } from '../permissions.js';
import { listWithCurrent } from './list.js';

export const SESSIONS_PANEL = {
  /** The virtual property shown on the show page (include it if you set `showProperties`). */
  property: 'singleSessionSessions',
  /** The record action the panel reads from: GET → `{ record, sessions }`. */
  action: 'singleSessionSessions',
} as const;

export function sessionsPanel({ singleSession, can }: { singleSession: SingleSession; can: Can }): {
  properties: Record<string, PropertyOptions>;
  actions: Record<string, Partial<Action<ActionResponse>>>;
} {
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
        handler: async (request, _response, { record }) => ({
          record: leanRecord(record!),
          sessions: await listWithCurrent(singleSession, record!.id(), request as unknown as Request),
        }),
      },
    },
  };
}
