/**
 * `sessionsResource({ singleSession })`: the AdminJS "Sessions" resource (id `ActiveSessions`) — every live session
 * with its user, device, IP, sign-in and last-seen times, filterable, and actions to end sessions. Its list stays
 * fast at a million sessions (list-action.ts).
 * Read-only otherwise. Sessions are named by their public handle (`UserSessions.id`), never by the sid.
 */
import { AppError, type ActionResponse, type After, type Before, type RecordJSON, type ResourceOptions, type ResourceWithOptions } from 'adminjs';
import { MAX_IDS } from '../../ids.js';
import { EXACT_COUNT_UP_TO, type SingleSession } from '../../single-session.js';
import { COMPONENTS, componentsFeature } from '../components.js';
import { displayIp } from '../display.js';
import { readFilters } from '../query-check.js';
import { NOTICES } from '../errors.js';
import { resourceTranslations } from '../locales/index.js';
import { checkOptions, DEFAULT_NAVIGATION, type CommonOptions, type Navigation } from '../options.js';
import { readOnlyActions } from './access.js';
import { endSessionActions } from './end.js';
import { sessionsListAction, SORTABLE } from './list-action.js';

/** Options of `sessionsResource`. */
export interface SessionsResourceOptions extends CommonOptions {
  /** The id of the user resource (`options.id`), for the user column, its filter and the permission checks. Default `'User'`. */
  userResourceId?: string;
  /** Most sessions one request may select. Default 50,000. */
  maxIds?: number;
  /** Up to how many sessions the list counts exactly; past it, its total is the database's estimate (and says so). Default 1,000. */
  exactCountUpTo?: number;
  /**
   * Where the resource sits in AdminJS's menu (AdminJS's `navigation`). Default `{ name: 'Sessions', icon: 'Shield' }`,
   * the group of the audit resource too (AdminJS's own default is a group named after the database).
   */
  navigation?: Navigation;
}

/** The resource's id: its URL is `/admin/resources/ActiveSessions`. */
export const SESSIONS_RESOURCE_ID = 'ActiveSessions';
const FACTORY = 'sessionsResource';

/** An after hook that changes each record of the answer (list or show); what is stored stays as it is. */
const eachRecord = (change: (record: RecordJSON) => void): After<ActionResponse> => async (response) => {
  if (response.record) change(response.record);
  (response.records as RecordJSON[] | undefined)?.forEach(change);
  return response;
};

/** Keeps only id and title of the referenced users: AdminJS would send their every column (a password hash too). */
const trimPopulated = eachRecord((record) => {
  for (const [key, ref] of Object.entries(record.populated ?? {})) {
    if (ref) record.populated[key] = { ...ref, params: {}, populated: {}, recordActions: [], bulkActions: [] };
  }
});

/** IPs as people read them (`::ffff:127.0.0.1` → `127.0.0.1`), as on every page of ours; stored as given. */
const readableIps = eachRecord((record) => {
  if (typeof record.params?.ip === 'string') record.params.ip = displayIp(record.params.ip);
});

/** Dates written as on every page of ours: the panel's language, relative when near (components/When.tsx). */
export const TIME_COMPONENTS = { components: { list: COMPONENTS.sessionTime.name, show: COMPONENTS.sessionTime.name } };

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

/** The Sessions resource, for `new AdminJS({ resources: [...] })`. */
export function sessionsResource(options: SessionsResourceOptions): ResourceWithOptions & {
  /** Registers the resource's components with the AdminJS instance's loader when AdminJS builds the resource. */
  features: unknown[];
} {
  const {
    singleSession, componentLoader, can, userResourceId = 'User', maxIds = MAX_IDS, exactCountUpTo = EXACT_COUNT_UP_TO,
    navigation = DEFAULT_NAVIGATION,
  } = checkOptions(FACTORY, options, ['can', 'userResourceId', 'maxIds', 'exactCountUpTo', 'navigation']);
  const detail = { list: false, filter: false, show: true, edit: false };
  const listProperties = ['userId', 'device', 'browser', 'os', 'ip', 'createdAt', 'lastSeenAt', 'expires'];
  // Sorted on the others, every click would sort every live session: only indexed columns sort (list-action.ts).
  const unsorted = Object.fromEntries(listProperties.filter((p) => !(SORTABLE as readonly string[]).includes(p)).map((p) => [p, { isSortable: false }]));
  const resourceOptions: ResourceOptions = {
    id: SESSIONS_RESOURCE_ID,
    navigation,
    sort: { sortBy: SORTABLE[0], direction: 'desc' },
    listProperties,
    filterProperties: ['userId', 'ip', 'browser', 'os', 'device', 'createdAt', 'lastSeenAt'],
    showProperties: ['id', 'userId', 'device', 'browser', 'os', 'ip', 'userAgent', 'createdAt', 'lastSeenAt', 'expires'],
    properties: {
      userId: { reference: userResourceId },
      id: { isVisible: detail },
      userAgent: { isVisible: detail },
      createdAt: TIME_COMPONENTS,
      lastSeenAt: TIME_COMPONENTS,
      expires: TIME_COMPONENTS,
      ...unsorted,
    },
    actions: {
      ...readOnlyActions(can, {
        list: { ...sessionsListAction({ singleSession, exactCountUpTo }), before: checkUserFilter(singleSession), after: [trimPopulated, readableIps] },
        show: { after: [trimPopulated, readableIps] },
      }),
      ...endSessionActions({ singleSession, can, maxIds, userResourceId }),
    },
    translations: resourceTranslations(['feature', 'pages', 'sessionsResource']),
  };
  return {
    resource: singleSession.models.ActiveSession,
    options: resourceOptions,
    // Registers the confirmation page, the dates and the list with the AdminJS instance's own loader when AdminJS builds the resource.
    features: [componentsFeature(FACTORY, componentLoader, 'confirm', 'sessionTime', 'sessionsList')],
  };
}
