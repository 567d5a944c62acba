/**
 * The skeleton of every action that ends sessions after a confirmation page (the User feature's three actions,
 * the Sessions resource's two): refuse without a permission, refuse a bad selection, judge each selected record,
 * answer GET with a preview (AdminJS calls the handler to render the page; nothing changes), and on POST refuse the
 * whole selection if any record is forbidden, else end the sessions in one call. Permissions are checked here, on
 * the server, whatever `isAccessible` showed.
 *
 * What goes back to the browser is the lean record: id, title and the outcome. Never `params`: an adapter sends
 * every column of a record (a password hash too) whether or not the host's resource shows it.
 */
import type { Request } from 'express';
import type { Action, ActionContext, ActionRequest, ActionResponse, BaseRecord, RecordJSON } from 'adminjs';
import { InvalidInputError } from '../errors.js';
import type { SingleSession } from '../single-session.js';
import { COMPONENTS } from './components.js';
import { NOTICES } from './errors.js';
import { holdsAny, type Can, type Permission } from './permissions.js';
import { askToSignInAgain, needsFreshSignIn } from './step-up.js';

/** What the action does to one selected record. */
export type Outcome = 'logout' | 'skipped-admin' | 'forbidden';

/** Sent with each record (`record.singleSession`), for the confirmation page. */
export interface TargetInfo {
  /** What a target is: a user (all their sessions end) or one session. */
  kind: 'user' | 'session';
  isAdmin: boolean;
  isSelf: boolean;
  outcome: Outcome;
  /** For `forbidden`: the permission that is missing. */
  permission?: Permission;
  /** The user whose sessions end (as text), to count users on the confirmation page. */
  userId: string;
  /** In a preview: how many live sessions confirming will end for this target (0: none; the admin's own is kept). */
  sessions?: number;
}

/** Thrown by a judgement that refuses the request as a whole (a notice key and its options); nothing changes. */
export class Refusal extends Error {
  constructor(readonly notice: string, readonly options: Record<string, unknown> = {}) {
    super(notice);
  }
}

export interface Target {
  record: BaseRecord;
  /** How the confirmation page names the record. */
  title: string;
  info: TargetInfo;
  /** When the target is one session of the record's user (the sessions panel's "End"): its public handle. */
  handle?: string;
}

export interface Notice {
  message: string;
  type: 'success' | 'error' | 'info';
  options?: Record<string, unknown>;
}

export interface ConfirmDeps {
  singleSession: SingleSession;
  can: Can;
  maxIds: number;
}

/** What a judgement may consult. */
export interface Judging {
  holds: (p: Permission) => boolean;
  /** The acting admin's user id, as text (null when the admin login went around this package). */
  actorId: string | null;
  request: ActionRequest;
  context: ActionContext;
  /** GET: the confirmation page is being drawn (count what would end); POST: the ending follows. */
  preview: boolean;
  /** The acting admin's session, which an ending keeps (not counted). */
  exceptSid: string | null;
}

/** Who acts and what to spare, for the ending. */
export interface Acting {
  actorId: string | null;
  exceptSid: string | null;
}

export interface ConfirmActionSpec {
  name: string;
  actionType: 'bulk' | 'record';
  /** Holding any of these shows the action; checked again on the server. */
  anyOf: readonly Permission[];
  /** Also hide the action on this record (e.g. where it would be refused). */
  hiddenOn?: (record: BaseRecord, holds: (p: Permission) => boolean) => boolean;
  /** What will happen to each selected record (throw a Refusal to refuse the request). */
  judge(records: BaseRecord[], judging: Judging): Promise<Target[]>;
  /** POST with something to end (`chosen`: the targets whose outcome is `logout`) and nothing forbidden: end it; returns the success notice. */
  end(chosen: Target[], acting: Acting, targets: Target[]): Promise<Notice>;
  /** POST with nothing to end (every target skipped). */
  nothingToDo(targets: Target[]): Notice;
  /** Where the browser goes after the POST. */
  redirectUrl(context: ActionContext): string;
}

/** An AdminJS action (for `options.actions`) with the confirmation page and the skeleton's handler. */
export function confirmAction(deps: ConfirmDeps, spec: ConfirmActionSpec): Partial<Action<ActionResponse>> {
  return {
    name: spec.name,
    actionType: spec.actionType,
    component: COMPONENTS.confirm.name,
    icon: 'LogOut',
    variant: 'danger',
    showInDrawer: true,
    isAccessible: ({ currentAdmin, record }) => {
      const holds = (p: Permission) => deps.can(currentAdmin, p);
      if (!holdsAny(deps.can, currentAdmin, spec.anyOf)) return false;
      return !(record && spec.hiddenOn?.(record, holds));
    },
    handler: (request, _response, context) => handle(deps, spec, request, context),
  };
}

async function handle(deps: ConfirmDeps, spec: ConfirmActionSpec, request: ActionRequest, context: ActionContext): Promise<ActionResponse> {
  const { currentAdmin, resource } = context;
  const resourceId = resource.decorate().id();
  const bulk = spec.actionType === 'bulk';
  const records = context.records ?? (context.record ? [context.record] : []);
  const holds = (p: Permission) => deps.can(currentAdmin, p);
  const notice = ({ message, type, options = {} }: Notice) => ({ message, type, resourceId, options });
  const json = (targets: Target[]): RecordJSON[] => targets.map((target, i) => leanTarget(target, i === 0 ? currentAdmin : null));
  const respond = (targets: Target[], extra: Partial<ActionResponse> = {}): ActionResponse => {
    const list = json(targets);
    return bulk ? { records: list, ...extra } : { record: list[0], ...extra };
  };
  const refuse = (message: string, options?: Record<string, unknown>): ActionResponse => {
    const own = context.record ? [{ record: context.record, title: context.record.title(), info: NO_INFO }] : [];
    return { records: [], ...(own.length ? { record: json(own)[0] } : {}), notice: notice({ message, type: 'error', options }) };
  };

  if (!holdsAny(deps.can, currentAdmin, spec.anyOf)) return refuse(NOTICES.forbidden, { permission: spec.anyOf.join(' | ') });
  const problem = bulk ? selectionProblem(request.query?.recordIds, records, deps.maxIds) : null;
  if (problem) return refuse(...problem);

  const req = request as unknown as Request;
  const actorId = deps.singleSession.getUserId(req) ?? (currentAdmin?.id != null ? String(currentAdmin.id) : null);
  const exceptSid = req.sessionID ?? null;
  const preview = request.method !== 'post';
  let targets: Target[];
  try {
    targets = await spec.judge(records, { holds, actorId, request, context, preview, exceptSid });
  } catch (err) {
    if (err instanceof Refusal) return refuse(err.notice, err.options);
    throw err;
  }
  // GET (AdminJS calls every handler to render the page): a preview, nothing changes.
  if (preview) return respond(targets);

  const forbidden = targets.find((t) => t.info.outcome === 'forbidden');
  if (forbidden) return refuse(NOTICES.forbidden, { permission: forbidden.info.permission });
  // Step-up: a sign-in older than the engine's `freshAgeMs` is renewed first; nothing changes (step-up.ts).
  if (needsFreshSignIn(deps.singleSession, req)) return { ...refuse(NOTICES.signInAgain), ...askToSignInAgain(req, context) };
  const chosen = targets.filter((t) => t.info.outcome === 'logout');
  // After a bulk POST the page navigates away: no records to send back.
  const finish = (n: Notice) => respond(bulk ? [] : targets, { notice: notice(n), redirectUrl: spec.redirectUrl(context) });
  if (chosen.length === 0) return finish(spec.nothingToDo(targets));

  // The acting admin's own session survives.
  const acting: Acting = { actorId, exceptSid };
  try {
    return finish(await spec.end(chosen, acting, targets));
  } catch (err) {
    if (err instanceof InvalidInputError) return refuse(NOTICES.invalidIds, { id: err.message });
    throw err;
  }
}

const NO_INFO: TargetInfo = { kind: 'user', isAdmin: false, isSelf: false, outcome: 'forbidden', userId: '' };

/**
 * The lean record: id, title and the outcome — no `params`, no `populated`. The first record also carries its
 * action lists (AdminJS's page finds the action in them; sending them for every record of a large selection
 * would cost megabytes), which name actions, not values.
 */
function leanTarget({ record, title, info }: Target, actionsFor: ActionContext['currentAdmin'] | null): RecordJSON {
  const actions = actionsFor !== null ? record.toJSON(actionsFor) : null;
  return {
    id: String(record.id()), title, params: {}, populated: {}, errors: {}, baseError: null,
    recordActions: actions?.recordActions ?? [], bulkActions: actions?.bulkActions ?? [],
    singleSession: info,
  } as RecordJSON;
}

/** A record reduced to id and title (for a read-only action's answer: the sessions panel). */
export const leanRecord = (record: BaseRecord): RecordJSON => ({
  id: String(record.id()), title: record.title(), params: {}, populated: {}, errors: {}, baseError: null, recordActions: [], bulkActions: [],
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
