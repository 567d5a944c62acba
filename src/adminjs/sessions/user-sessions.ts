/**
 * `userSessionsFeature({ singleSession, componentLoader })`: on the user resource's show page, the user's live
 * sessions (device, IP, signed in, last seen; "this device" marked). The panel fetches them through a hidden
 * record action of the same resource, open to holders of a single_session permission.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Request } from 'express';
import type { ComponentLoader, FeatureType, ResourceOptions } from 'adminjs';
import { holdsAny } from './access.js';
import { listWithCurrent } from './list.js';
import { resourceTranslations } from './locales.js';
import { checkOptions, type CommonOptions } from './options.js';

export interface UserSessionsFeatureOptions extends CommonOptions {
  componentLoader: ComponentLoader;
}

export const USER_SESSIONS = {
  /** The virtual property shown on the show page (include it if you set `showProperties`). */
  property: 'singleSessionSessions',
  /** The record action the panel reads from: GET → `{ record, sessions }`. */
  action: 'singleSessionSessions',
  component: 'SingleSessionUserSessions',
} as const;

const KNOWN = ['singleSession', 'componentLoader', 'can'] as const;
export const COMPONENTS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'components');

export function userSessionsFeature(options: UserSessionsFeatureOptions): FeatureType {
  const { singleSession, componentLoader, can } = checkOptions('userSessionsFeature', options, KNOWN, { componentLoader: true });
  componentLoader!.add(USER_SESSIONS.component, path.join(COMPONENTS_DIR, 'UserSessions'));
  return (_admin, previous: ResourceOptions = {}) => ({
    ...previous,
    properties: {
      ...previous.properties,
      [USER_SESSIONS.property]: {
        type: 'string',
        isVisible: { list: false, filter: false, edit: false, show: true },
        components: { show: USER_SESSIONS.component },
        position: 1000,
        ...previous.properties?.[USER_SESSIONS.property],
      },
    },
    actions: {
      ...previous.actions,
      [USER_SESSIONS.action]: {
        actionType: 'record',
        component: false,
        isVisible: false,
        isAccessible: ({ currentAdmin }) => holdsAny(can, currentAdmin),
        // Reads only. The record sent back is reduced to id and title: the panel needs nothing else.
        handler: async (request, _response, { record }) => ({
          record: { id: String(record!.id()), title: record!.title(), params: {}, populated: {}, errors: {}, baseError: null, recordActions: [], bulkActions: [] },
          sessions: await listWithCurrent(singleSession, record!.id(), request as unknown as Request),
        }),
      },
    },
    translations: resourceTranslations(['global'], previous.translations),
  });
}
