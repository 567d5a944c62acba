/**
 * "End this session" (record) and "End the selected sessions" (bulk) on the Sessions resource, with the feature's
 * confirmation page. The rule is the feature's: ending a session of a plain user needs `single_session.logout`
 * (or `logout_all`), ending an admin user's session needs `single_session.logout_all`. It is checked here, on the
 * server, against the target users' rows (loaded in one query); a selection with one session the admin may not end
 * is refused whole and changes nothing. GET is a preview; only POST ends sessions. The admin's own current session
 * is always kept.
 */
import type { Request } from 'express';
import type { Action, ActionContext, ActionRequest, ActionResponse, BaseRecord, RecordJSON } from 'adminjs';
import type { Model, ModelStatic } from 'sequelize';
import type { SingleSession } from '../../single-session.js';
import { COMPONENT_NAME, lean, selectionProblem, type TargetInfo } from '../actions.js';
import { NOTICES } from '../errors.js';
import { PERMISSIONS, permissionFor, type Can, type Permission } from '../permissions.js';
import { holdsAny, SESSION_PERMISSIONS } from './access.js';

export const SESSION_ACTIONS = {
  /** Record: end one session. */
  endOne: 'endSession',
  /** Bulk: end the selected sessions. */
  endSelected: 'endSessions',
} as const;

export const SESSION_NOTICES = {
  done: 'singleSessionSessionsDone',
  doneKeptOwn: 'singleSessionSessionsDoneKeptOwn',
} as const;

export interface EndDeps {
  singleSession: SingleSession;
  can: Can;
  maxIds: number;
  userModel: ModelStatic<Model>;
  userResourceId: string;
}

type Notice = NonNullable<ActionResponse['notice']> & { options?: Record<string, unknown>; resourceId?: string };

export function endSessionActions(deps: EndDeps): Record<string, Partial<Action<ActionResponse>>> {
  const action = (name: string, actionType: 'record' | 'bulk'): Partial<Action<ActionResponse>> => ({
    name,
    actionType,
    component: COMPONENT_NAME,
    icon: 'LogOut',
    variant: 'danger',
    showInDrawer: true,
    isAccessible: ({ currentAdmin }) => holdsAny(deps.can, currentAdmin),
    handler: (request, _response, context) => handle(deps, request, context),
  });
  return {
    [SESSION_ACTIONS.endOne]: action(SESSION_ACTIONS.endOne, 'record'),
    [SESSION_ACTIONS.endSelected]: action(SESSION_ACTIONS.endSelected, 'bulk'),
  };
}

async function handle(deps: EndDeps, request: ActionRequest, context: ActionContext): Promise<ActionResponse> {
  const { currentAdmin, resource, h } = context;
  const resourceId = resource.decorate().id();
  const bulk = !context.record;
  const records = context.records ?? (context.record ? [context.record] : []);
  const holds = (p: Permission) => deps.can(currentAdmin, p);
  const notice = (message: string, type: Notice['type'], options: Record<string, unknown> = {}): Notice =>
    ({ message, type, resourceId, options });
  // Never the populated user: AdminJS loads every column of it, a password hash too.
  const full = (record: BaseRecord): RecordJSON => ({ ...record.toJSON(currentAdmin), populated: {} });
  const refuse = (message: string, options?: Record<string, unknown>): ActionResponse =>
    ({ records: [], record: context.record && full(context.record), notice: notice(message, 'error', options) });

  if (!SESSION_PERMISSIONS.some(holds)) return refuse(NOTICES.forbidden, { permission: SESSION_PERMISSIONS.join(' | ') });

  const problem = bulk ? selectionProblem(request.query?.recordIds, records, deps.maxIds) : null;
  if (problem) return refuse(...problem);

  const req = request as unknown as Request;
  const [users, currentHandle] = await Promise.all([loadUsers(deps, records), deps.singleSession.currentSessionHandle(req)]);
  const titleOf = userTitle(deps, context);
  const targets = records.map((record) => {
    const user = users.get(String(record.param('userId')));
    // A session whose user row cannot be read is treated as an admin's: refuse rather than guess.
    const isAdmin = user === undefined || deps.singleSession.options.isAdmin(user) === true;
    const allowed = holds(permissionFor(isAdmin)) || holds(PERMISSIONS.logoutAll);
    const info: TargetInfo = { isAdmin, isSelf: String(record.id()) === currentHandle, outcome: allowed ? 'logout' : 'forbidden' };
    if (!allowed) info.permission = permissionFor(isAdmin);
    return { record, info, title: sessionTitle(record, user ? titleOf(user) : `#${String(record.param('userId'))}`) };
  });
  // Full JSON (with the actions AdminJS's page looks the action up in) for the first record only, as the feature does.
  const json = (): RecordJSON[] => targets.map(({ record, info, title }, i) =>
    ({ ...(i === 0 ? full(record) : lean(record)), title, singleSession: info }) as RecordJSON);
  const respond = (extra: Partial<ActionResponse> = {}, list = json()): ActionResponse =>
    (bulk ? { records: list, ...extra } : { record: list[0], ...extra });

  // GET (AdminJS calls the handler to render the confirmation page): a preview, nothing changes.
  if (request.method !== 'post') return respond();

  const forbidden = targets.find((t) => t.info.outcome === 'forbidden');
  if (forbidden) return refuse(NOTICES.forbidden, { permission: forbidden.info.permission });

  const actorId = deps.singleSession.getUserId(req) ?? (currentAdmin?.id != null ? String(currentAdmin.id) : null);
  const ended = await deps.singleSession.endSessionsByHandle(records.map((r) => String(r.id())), { actorId, exceptSid: req.sessionID ?? null });
  const keptOwn = targets.some((t) => t.info.isSelf);
  // The ended sessions' pages are gone: back to the list, which refreshes.
  return respond(
    { notice: notice(keptOwn ? SESSION_NOTICES.doneKeptOwn : SESSION_NOTICES.done, 'success', { sessions: ended.sessions }), redirectUrl: h.resourceUrl({ resourceId }) },
    bulk ? [] : json(),
  );
}

/** The target sessions' users, by id as text, in one query. */
async function loadUsers(deps: EndDeps, records: BaseRecord[]): Promise<Map<string, object>> {
  const ids = [...new Set(records.map((r) => r.param('userId')))];
  if (ids.length === 0) return new Map();
  const key = deps.userModel.primaryKeyAttribute;
  const rows = await deps.userModel.findAll({ where: { [key]: ids } });
  return new Map(rows.map((row) => {
    const plain = row.get({ plain: true }) as Record<string, unknown>;
    return [String(plain[key]), plain];
  }));
}

/** The user's title as the user resource shows it (its title property), else the id. */
function userTitle(deps: EndDeps, context: ActionContext): (user: object) => string {
  const key = deps.userModel.primaryKeyAttribute;
  let property = key;
  try {
    property = context._admin.findResource(deps.userResourceId).decorate().titleProperty().name();
  } catch {
    // no such resource: show the id
  }
  return (user) => String((user as Record<string, unknown>)[property] ?? (user as Record<string, unknown>)[key]);
}

/** "alice@example.com — Chrome 120, Windows 10, 127.0.0.1": who and which device, for the confirmation page. */
const sessionTitle = (record: BaseRecord, user: string) =>
  `${user} — ${['browser', 'os', 'ip'].map((p) => record.param(p)).filter(Boolean).join(', ') || `#${String(record.id())}`}`;


