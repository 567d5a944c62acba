/**
 * `sessionsResource({ singleSession })`: the AdminJS "Sessions" resource (id `ActiveSessions`) — every live session
 * with its user, device, IP, sign-in and last-seen times, filterable by user, and actions to end sessions.
 * Read-only otherwise. Sessions are named by their public handle (`UserSessions.id`), never by the sid.
 */
import { AppError, type ActionResponse, type After, type Before, type RecordJSON, type ResourceOptions, type ResourceWithOptions } from 'adminjs';
import { MAX_IDS } from '../../ids.js';
import type { SingleSession } from '../../single-session.js';
import { componentsFeature } from '../components.js';
import { readFilters } from '../query-check.js';
import { NOTICES } from '../errors.js';
import { resourceTranslations } from '../locales/index.js';
import { checkOptions, type CommonOptions } from '../options.js';
import { readOnlyActions } from './access.js';
import { endSessionActions } from './end.js';

export interface SessionsResourceOptions extends CommonOptions {
  /** The id of the user resource (`options.id`), for the user column, its filter and the permission checks. Default `'User'`. */
  userResourceId?: string;
  /** Most sessions one request may select. Default 50,000. */
  maxIds?: number;
}

/** The resource's id: its URL is `/admin/resources/ActiveSessions`. */
export const SESSIONS_RESOURCE_ID = 'ActiveSessions';
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

/**
 * AdminJS looks a user filter's value up in the user resource before listing: an impossible id (`abc`, 10^15 for
 * an integer key) would be a database error there. Answer it with a notice instead, however the filter is spelled
 * (`filters.userId`, `filters[userId]`, repeated). The request guard refuses these first when it is mounted.
 */
const checkUserFilter = (singleSession: SingleSession): Before => async (request) => {
  const bad = readFilters(request.query).find(([key, value]) => key === 'userId' && !singleSession.isUserId(value));
  if (bad) {
    const id = String(bad[1]).slice(0, 40);
    throw new AppError(NOTICES.badUserFilter, undefined, { message: NOTICES.badUserFilter, type: 'error', options: { id } });
  }
  return request;
};

export function sessionsResource(options: SessionsResourceOptions): ResourceWithOptions & { features: unknown[] } {
  const { singleSession, componentLoader, can, userResourceId = 'User', maxIds = MAX_IDS } =
    checkOptions(FACTORY, options, ['can', 'userResourceId', 'maxIds']);
  const detail = { list: false, filter: false, show: true, edit: false };
  const resourceOptions: ResourceOptions = {
    id: SESSIONS_RESOURCE_ID,
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
      ...endSessionActions({ singleSession, can, maxIds, userResourceId }),
    },
    translations: resourceTranslations(['feature', 'pages', 'sessionsResource']),
  };
  return {
    resource: singleSession.models.ActiveSession,
    options: resourceOptions,
    // Registers the confirmation page with the AdminJS instance's own loader when AdminJS builds the resource.
    features: [componentsFeature(FACTORY, componentLoader, 'confirm')],
  };
}
