/**
 * The three actions and their one handler. Each action is a rule (which permission shows it, what happens to one
 * target user); the handler applies the rule the same way on GET (a preview for the confirmation page, changes
 * nothing) and POST (ends the sessions, in one set-based call). Permissions are checked here again, on the server,
 * whatever `isAccessible` showed.
 */
import type { Request } from 'express';
import { flat, type Action, type ActionContext, type ActionRequest, type ActionResponse, type BaseRecord, type RecordJSON } from 'adminjs';
import { InvalidInputError } from '../errors.js';
import type { SingleSession } from '../single-session.js';
import { NOTICES } from './errors.js';
import { PERMISSIONS, permissionFor, type Can, type Permission } from './permissions.js';

export const ACTIONS = {
  /** Bulk, `single_session.logout`: ends the sessions of the selected users, skipping admin users. */
  logoutUsers: 'logoutUserOnAllSessions',
  /** Bulk, `single_session.logout_all`: ends the sessions of every selected user, admins included. */
  logoutAll: 'logoutAllUsersOnAllSessions',
  /** Record (show page): one user; an admin target needs `single_session.logout_all`. */
  logoutOne: 'logoutOnAllSessions',
} as const;
export type SingleSessionActionName = (typeof ACTIONS)[keyof typeof ACTIONS];

/** The confirmation page's name in the host's ComponentLoader. */
export const COMPONENT_NAME = 'SingleSessionLogoutConfirmation';

/** What the action does to one selected user. */
export type Outcome = 'logout' | 'skipped-admin' | 'forbidden';

/** Added to each record the actions send (`record.singleSession`), for the confirmation page. */
export interface TargetInfo {
  isAdmin: boolean;
  isSelf: boolean;
  outcome: Outcome;
  /** For `forbidden`: the permission that is missing. */
  permission?: Permission;
}

interface Rule {
  /** Holding any of these shows the action. */
  anyOf: Permission[];
  outcome(targetIsAdmin: boolean, holds: (p: Permission) => boolean): Outcome;
}

const RULES: Record<SingleSessionActionName, Rule> = {
  [ACTIONS.logoutUsers]: { anyOf: [PERMISSIONS.logout], outcome: (isAdmin) => (isAdmin ? 'skipped-admin' : 'logout') },
  [ACTIONS.logoutAll]: { anyOf: [PERMISSIONS.logoutAll], outcome: () => 'logout' },
  [ACTIONS.logoutOne]: {
    anyOf: [PERMISSIONS.logout, PERMISSIONS.logoutAll],
    outcome: (isAdmin, holds) => (holds(permissionFor(isAdmin)) || holds(PERMISSIONS.logoutAll) ? 'logout' : 'forbidden'),
  },
};

export interface ActionDeps {
  singleSession: SingleSession;
  can: Can;
  maxIds: number;
}

type Notice = NonNullable<ActionResponse['notice']> & { options?: Record<string, unknown>; resourceId?: string };

/** The actions, ready for `options.actions` of a resource. */
export function buildActions(deps: ActionDeps): Record<SingleSessionActionName, Partial<Action<ActionResponse>>> {
  const common = { component: COMPONENT_NAME, icon: 'LogOut', showInDrawer: true, variant: 'danger' as const };
  const action = (name: SingleSessionActionName, actionType: 'bulk' | 'record'): Partial<Action<ActionResponse>> => ({
    ...common,
    name,
    actionType,
    isAccessible: ({ currentAdmin, record }) => {
      const holds = (p: Permission) => deps.can(currentAdmin, p);
      if (!RULES[name].anyOf.some(holds)) return false;
      // A record action is also hidden where it would be refused (an admin's page for a `logout`-only holder).
      return actionType !== 'record' || !record || RULES[name].outcome(isAdminRecord(deps, record), holds) !== 'forbidden';
    },
    handler: (request, _response, context) => handle(deps, name, request, context),
  });
  return {
    [ACTIONS.logoutUsers]: action(ACTIONS.logoutUsers, 'bulk'),
    [ACTIONS.logoutAll]: action(ACTIONS.logoutAll, 'bulk'),
    [ACTIONS.logoutOne]: action(ACTIONS.logoutOne, 'record'),
  };
}

const isAdminRecord = (deps: ActionDeps, record: BaseRecord) => deps.singleSession.options.isAdmin(flat.unflatten(record.params)) === true;

async function handle(deps: ActionDeps, name: SingleSessionActionName, request: ActionRequest, context: ActionContext): Promise<ActionResponse> {
  const { currentAdmin, resource, h } = context;
  const resourceId = resource.decorate().id();
  const bulk = !context.record;
  const records = context.records ?? (context.record ? [context.record] : []);
  const rule = RULES[name];
  const holds = (p: Permission) => deps.can(currentAdmin, p);
  const notice = (message: string, type: Notice['type'], options: Record<string, unknown> = {}): Notice =>
    ({ message, type, resourceId, options });
  const refuse = (message: string, options?: Record<string, unknown>): ActionResponse =>
    ({ records: [], record: context.record?.toJSON(currentAdmin), notice: notice(message, 'error', options) });

  if (!rule.anyOf.some(holds)) return refuse(NOTICES.forbidden, { permission: rule.anyOf.join(' | ') });

  const problem = bulk ? selectionProblem(request.query?.recordIds, records, deps.maxIds) : null;
  if (problem) return refuse(...problem);

  const actorId = deps.singleSession.getUserId(request as unknown as Request) ?? (currentAdmin?.id != null ? String(currentAdmin.id) : null);
  const targets = records.map((record) => {
    const isAdmin = isAdminRecord(deps, record);
    const outcome = rule.outcome(isAdmin, holds);
    const info: TargetInfo = { isAdmin, isSelf: actorId !== null && String(record.id()) === actorId, outcome };
    if (outcome === 'forbidden') info.permission = permissionFor(isAdmin);
    return { record, info };
  });
  // Full JSON (with every action, evaluated per record) for the first record only: AdminJS's page finds the
  // action in the union of the records' bulkActions, and 10,000 full records would be 26 MB.
  const json = (): RecordJSON[] => targets.map(({ record, info }, i) =>
    ({ ...(i === 0 ? record.toJSON(currentAdmin) : lean(record)), singleSession: info }) as RecordJSON);
  const respond = (extra: Partial<ActionResponse> = {}, records = json()): ActionResponse =>
    (bulk ? { records, ...extra } : { record: records[0], ...extra });

  // GET (AdminJS calls every handler to render the page): a preview, nothing changes.
  if (request.method !== 'post') return respond();

  const forbidden = targets.find((t) => t.info.outcome === 'forbidden');
  if (forbidden) return refuse(NOTICES.forbidden, { permission: forbidden.info.permission });

  const ids = targets.filter((t) => t.info.outcome === 'logout').map((t) => t.record.id());
  const skipped = targets.length - ids.length;
  const redirectUrl = bulk
    ? h.resourceUrl({ resourceId })
    : h.recordActionUrl({ resourceId, recordId: String(context.record!.id()), actionName: 'show' });
  // After a bulk POST the page navigates away: no records to send back.
  const finish = (n: Notice) => respond({ notice: n, redirectUrl }, bulk ? [] : json());
  if (ids.length === 0) return finish(notice(NOTICES.nothingDone, 'info', { skipped }));

  let ended;
  try {
    // One call, one statement in one transaction, whatever the number of ids; the admin's own session survives.
    ended = await deps.singleSession.endUserSessions(ids, { actorId, exceptSid: (request as { sessionID?: string }).sessionID ?? null });
  } catch (err) {
    if (err instanceof InvalidInputError) return refuse(NOTICES.invalidIds, { id: err.message });
    throw err;
  }
  const keptOwn = targets.some((t) => t.info.isSelf && t.info.outcome === 'logout');
  const counts = { sessions: ended.sessions, users: ended.users.length, skipped };
  return finish(notice(keptOwn ? NOTICES.doneKeptOwn : NOTICES.done, 'success', counts));
}

/** A record as the confirmation page shows it: id, title and params, without the per-record action lists. */
export const lean = (record: BaseRecord): RecordJSON => ({
  id: String(record.id()), title: record.title(), params: record.params, populated: {}, errors: {}, baseError: null,
  recordActions: [], bulkActions: [],
});

/**
 * Why a bulk selection is refused before anything else — empty, too large, or naming records that do not exist
 * (all or nothing: a forged id must not let the rest through) — as notice arguments; null when it is fine.
 */
export function selectionProblem(raw: unknown, records: readonly BaseRecord[], maxIds: number): [string, Record<string, unknown>?] | null {
  const requested = [...new Set(parseRecordIds(raw))];
  if (requested.length === 0) return [NOTICES.emptySelection];
  if (requested.length > maxIds) return [NOTICES.tooManyIds, { max: maxIds, count: requested.length }];
  const found = new Set(records.map((r) => String(r.id())));
  const missing = requested.filter((id) => !found.has(id));
  return missing.length > 0 ? [NOTICES.unknownRecords, { ids: listIds(missing) }] : null;
}

/** `recordIds` of a bulk request (`?recordIds=1,2`, or repeated) as trimmed, non-empty strings. */
export function parseRecordIds(raw: unknown): string[] {
  const text = Array.isArray(raw) ? raw.join(',') : typeof raw === 'string' ? raw : '';
  return text.split(',').map((s) => s.trim()).filter(Boolean);
}

/** A few ids for a message (a forged request may name thousands). */
export const listIds = (ids: readonly string[], max = 10) => ids.slice(0, max).join(', ') + (ids.length > max ? `, … (${ids.length})` : '');
