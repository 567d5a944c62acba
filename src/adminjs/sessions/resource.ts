/**
 * `sessionsResource({ singleSession, componentLoader })`: the AdminJS "Sessions" resource — every live session with
 * its user, device, IP, sign-in and last-seen times, filterable by user, and actions to end sessions. Read-only
 * otherwise. Needs the view from migration 20261126000001 (`migrate({ sequelize })` runs it); without it the first
 * request says which migration is missing.
 */
import { AppError, type ActionResponse, type After, type Before, type ComponentLoader, type RecordJSON, type ResourceOptions, type ResourceWithOptions } from 'adminjs';
import type { SingleSession } from '../../single-session.js';
import { SessionRegistry } from '../../registry.js';
import { COMPONENT_NAME } from '../actions.js';
import { COMPONENT_PATH } from '../feature.js';
import { readOnlyActions } from './access.js';
import { endSessionActions } from './end.js';
import { resourceTranslations } from './locales.js';
import { activeSessionModel, possibleUserId, VIEW } from './model.js';
import { checkOptions, failConfig, sessionsMessages as m, type CommonOptions } from './options.js';

export interface SessionsResourceOptions extends CommonOptions {
  componentLoader: ComponentLoader;
  /** The id of the user resource (`options.id`), for the user column and its filter. Default `'User'`. */
  userResourceId?: string;
  /** Most sessions one request may select. Default 50,000. */
  maxIds?: number;
}

const KNOWN = ['singleSession', 'componentLoader', 'can', 'userResourceId', 'maxIds'] as const;
const FACTORY = 'sessionsResource';

/** Keeps only id and title of the referenced users: AdminJS would send their every column (a password hash too). */
const trimPopulated: After<ActionResponse> = async (response) => {
  const trim = (record?: RecordJSON) => {
    for (const [key, ref] of Object.entries(record?.populated ?? {})) {
      if (ref) record!.populated[key] = { ...ref, params: {}, populated: {}, recordActions: [], bulkActions: [] };
    }
  };
  trim(response.record);
  (response.records as RecordJSON[] | undefined)?.forEach(trim);
  return response;
};

export const BAD_USER_FILTER = 'singleSessionBadUserFilter';

/**
 * AdminJS looks a user filter's value up in the user resource before listing: an impossible id (`abc`, 10^15 for
 * an integer key) would be a database error there. Answer it with a notice instead.
 */
const checkUserFilter = (singleSession: SingleSession): Before => {
  const possible = possibleUserId(singleSession);
  return async (request) => {
    const value = request.query?.['filters.userId'];
    if (value !== undefined && !possible(value)) {
      const id = String(value).slice(0, 40);
      throw new AppError(BAD_USER_FILTER, undefined, { message: BAD_USER_FILTER, type: 'error', options: { id } });
    }
    return request;
  };
};

export function sessionsResource(options: SessionsResourceOptions): ResourceWithOptions {
  const { singleSession, componentLoader, can, userResourceId = 'User', maxIds = SessionRegistry.MAX_IDS } =
    checkOptions(FACTORY, options, KNOWN, { componentLoader: true });
  if (typeof userResourceId !== 'string' || userResourceId === '') failConfig(m.badString(FACTORY, 'userResourceId', userResourceId));
  if (!(Number.isInteger(maxIds) && maxIds > 0)) failConfig(m.maxIdsInvalid(FACTORY, maxIds));
  const userModel = singleSession.options.userModel ?? failConfig(m.noUserModel(FACTORY));
  componentLoader!.add(COMPONENT_NAME, COMPONENT_PATH);

  const detail = { list: false, filter: false, show: true, edit: false };
  const resourceOptions: ResourceOptions = {
    id: VIEW,
    sort: { sortBy: 'lastSeenAt', direction: 'desc' },
    listProperties: ['userId', 'device', 'browser', 'os', 'ip', 'createdAt', 'lastSeenAt', 'expires'],
    filterProperties: ['userId', 'ip', 'browser', 'os', 'device', 'createdAt', 'lastSeenAt'],
    showProperties: ['id', 'userId', 'device', 'browser', 'os', 'ip', 'userAgent', 'createdAt', 'lastSeenAt', 'expires'],
    properties: {
      userId: { reference: userResourceId },
      id: { isVisible: detail },
      userAgent: { isVisible: detail },
    },
    actions: {
      ...readOnlyActions(can, { list: { before: checkUserFilter(singleSession), after: trimPopulated }, show: { after: trimPopulated } }),
      ...endSessionActions({ singleSession, can, maxIds, userModel, userResourceId }),
    },
    translations: resourceTranslations(['global', 'sessions']),
  };
  return { resource: activeSessionModel(singleSession), options: resourceOptions };
}
