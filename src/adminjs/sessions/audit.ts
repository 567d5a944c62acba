/**
 * `auditResource({ singleSession })`: the audit trail (`SessionAuditEvents`, written with `audit: true`) as a
 * read-only AdminJS resource, newest first: every ending and, since 0.2, every sign-in (`login`). New, edit and delete
 * are refused on the server. Who acted and whose sessions ended are shown by the user resource's title (an email,
 * a name), looked up in one call per page; the stored ids stay as they are (and the filter still takes an id).
 */
import type { ActionContext, ActionResponse, After, RecordJSON, ResourceWithOptions } from 'adminjs';
import type { SingleSession } from '../../single-session.js';
import { COMPONENTS, componentsFeature } from '../components.js';
import { adminMessages as m, fail } from '../errors.js';
import { resourceTranslations } from '../locales/index.js';
import { checkOptions, DEFAULT_NAVIGATION, type CommonOptions, type Navigation } from '../options.js';
import { readOnlyActions } from './access.js';
import { findUsers } from './end.js';
import { TIME_COMPONENTS } from './resource.js';

/** Options of `auditResource`. */
export interface AuditResourceOptions extends Omit<CommonOptions, 'componentLoader'> {
  /** The id of the user resource (`options.id`) whose titles name the actors and the users. Default `'User'`. */
  userResourceId?: string;
  /** Where the resource sits in AdminJS's menu (AdminJS's `navigation`). Default `{ name: 'Sessions', icon: 'Shield' }`. */
  navigation?: Navigation;
}

/** The resource's id: its URL is `/admin/resources/SessionAuditEvents`. */
export const AUDIT_RESOURCE_ID = 'SessionAuditEvents';

/**
 * Users named per event: a list row names the first few (the rest are counted), a show page up to a hundred. One
 * event of a bulk logout may hold 50,000 users: looking them all up to draw one row would read the whole table.
 */
const TITLED = { list: 5, show: 100 } as const;

/** The user ids of an event's `userIds` (AdminJS flattens the JSON array to `userIds.0`, `userIds.1`, …). */
function userIdsOf(record: RecordJSON): string[] {
  const params = record.params ?? {};
  if (typeof params.userIds === 'string') {
    // A JSON column some drivers hand over as text.
    try {
      const parsed: unknown = JSON.parse(params.userIds);
      return Array.isArray(parsed) ? parsed.map(String) : [];
    } catch {
      return [];
    }
  }
  const ids: string[] = [];
  for (let i = 0; `userIds.${i}` in params; i++) ids.push(String(params[`userIds.${i}`]));
  return ids;
}

/**
 * An after hook that puts the titles of the actor and the first users of each event in `record.populated`
 * (`actorId`, `userIds.0`, …) as AdminJS does for a reference: id and title only, never the user's other columns.
 * An id that is no user's (an actor a host named itself, a user deleted since) is populated as null: shown as is.
 */
const withUserTitles = (singleSession: SingleSession, userResourceId: string, titled: number): After<ActionResponse> =>
  async (response, _request, context: ActionContext) => {
    const records = [response.record, ...(response.records ?? [])].filter((r): r is RecordJSON => Boolean(r));
    const wanted = records.map((record) => {
      const actor = record.params?.actorId;
      const pairs: Array<[key: string, id: string]> = userIdsOf(record).slice(0, titled).map((id, i) => [`userIds.${i}`, id]);
      if (actor != null && actor !== '') pairs.unshift(['actorId', String(actor)]);
      return { record, ids: pairs };
    });
    const ids = wanted.flatMap((w) => w.ids.map(([, id]) => id)).filter((id) => singleSession.isUserId(id));
    const users = await findUsers(context._admin, userResourceId, ids);
    for (const { record, ids: pairs } of wanted) {
      record.populated ??= {};
      for (const [key, id] of pairs) {
        const user = users.get(id);
        record.populated[key] = user
          ? { id, title: user.title(), params: {}, populated: {}, recordActions: [], bulkActions: [], errors: {} } as unknown as RecordJSON
          : null as unknown as RecordJSON;
      }
    }
    return response;
  };

/** The audit resource, for `new AdminJS({ resources: [...] })`; needs the engine's `audit: true`. */
export function auditResource(options: AuditResourceOptions): ResourceWithOptions {
  const { singleSession, can, userResourceId = 'User', navigation = DEFAULT_NAVIGATION } =
    checkOptions('auditResource', options, ['can', 'userResourceId', 'navigation']);
  if (!singleSession.auditEnabled) fail(m.auditOff);
  const titles = { list: COMPONENTS.userTitles.name, show: COMPONENTS.userTitles.name };
  return {
    resource: singleSession.models.SessionAuditEvent,
    options: {
      id: AUDIT_RESOURCE_ID,
      navigation,
      sort: { sortBy: 'at', direction: 'desc' },
      listProperties: ['at', 'reason', 'actorId', 'userIds', 'sessionCount'],
      filterProperties: ['at', 'reason', 'actorId'],
      // A JSON array of ids, shown (as the actor) by the users' titles. `custom.userResourceId`: the start-up check.
      properties: {
        userIds: { type: 'string', isArray: true, components: titles, custom: { userResourceId } },
        actorId: { components: titles, custom: { userResourceId } },
        at: TIME_COMPONENTS,
      },
      actions: readOnlyActions(can, {
        list: { after: [withUserTitles(singleSession, userResourceId, TITLED.list)] },
        show: { after: [withUserTitles(singleSession, userResourceId, TITLED.show)] },
      }),
      translations: resourceTranslations(['pages', 'auditResource']),
    },
    features: [componentsFeature('auditResource', undefined, 'sessionTime', 'userTitles')],
  };
}
