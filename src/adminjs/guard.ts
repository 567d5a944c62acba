/**
 * Checks AdminJS API requests before AdminJS sees them, and answers its errors after. Needed because AdminJS
 * itself answers some bad requests with a 500 and a stack trace before any action code runs: an unknown action
 * name (a TypeError), a non-numeric or out-of-range id for an integer key (a database error inside `findMany`),
 * ids that all do not exist (a thrown NotFoundError). Here they get a 4xx JSON answer with a translated notice,
 * and nothing changes.
 *
 *   const guard = singleSessionAdminGuard({ admin, singleSession });
 *   app.use(admin.options.rootPath, guard.before, adminRouter, guard.after);
 */
import express, { type ErrorRequestHandler, type RequestHandler, type Response } from 'express';
import { ForbiddenError, NotFoundError, ValidationError, type BaseResource } from 'adminjs';
import { InvalidInputError } from '../errors.js';
import { SessionRegistry } from '../registry.js';
import type { SingleSession } from '../single-session.js';
import { ACTIONS, listIds, parseRecordIds } from './actions.js';
import { fail, featureMessages, NOTICES } from './errors.js';
import { en } from './locales/en.js';

type NoticeKey = (typeof NOTICES)[keyof typeof NOTICES];
type AdminLike = { resources: BaseResource[]; options: { rootPath: string } };

export interface AdminGuardOptions {
  admin: AdminLike;
  singleSession: SingleSession;
  /** Most ids one bulk request may carry. Default 50,000 (the engine's limit). */
  maxIds?: number;
}

/** The English text of a notice (for API clients and logs; the admin UI translates the key itself). */
export function noticeText(key: NoticeKey, options: Record<string, unknown> = {}): string {
  return (en.messages[key] as string).replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(options[name] ?? ''));
}

function reply(res: Response, status: number, key: NoticeKey, options: Record<string, unknown> = {}): void {
  res.status(status).json({ error: noticeText(key, options), notice: { message: key, type: 'error', options }, records: [] });
}

const INT32 = 2n ** 31n;

/** An id check for the resource's primary key, or null if anything goes (text keys). */
function idCheck(resource: BaseResource, singleSession: SingleSession): ((id: string) => boolean) | null {
  const decorated = resource.decorate();
  // The user resource carrying the feature: the engine knows the exact key type (integer, bigint, uuid, text).
  if (ACTIONS.logoutUsers in decorated.actions) {
    return (id) => singleSession.registry.isUserId(id);
  }
  const key = Object.values(decorated.properties).find((p) => p.isId());
  if (!key || !['number', 'float'].includes(key.type())) return null;
  const int32 = (key as unknown as { property?: { sequelizePath?: { type?: { key?: string } } } }).property?.sequelizePath?.type?.key === 'INTEGER';
  return (id) => /^-?\d{1,19}$/.test(id) && (!int32 || (BigInt(id) < INT32 && BigInt(id) >= -INT32));
}

export function singleSessionAdminGuard({ admin, singleSession, maxIds = SessionRegistry.MAX_IDS }: AdminGuardOptions): {
  before: express.Router;
  after: ErrorRequestHandler;
} {
  if (!admin || !Array.isArray(admin.resources) || !singleSession) fail(featureMessages.guardOptions);
  const before = express.Router();

  const check = (actionType: 'bulk' | 'record' | 'resource'): RequestHandler => (req, res, next) => {
    // Not logged in: AdminJS redirects to its login page; say nothing about resources here.
    if (!(req.session as { adminUser?: unknown } | undefined)?.adminUser) return next();
    const { resourceId, action: actionName, recordId } = req.params as Record<string, string>;
    const resource = admin.resources.find((r) => r.decorate().id() === resourceId);
    if (!resource) return reply(res, 404, NOTICES.unknownResource, { resourceId });
    const actions = resource.decorate().actions;
    // Own names only: `__proto__` or `constructor` would find Object's and fail with a TypeError (a 500).
    const action = Object.hasOwn(actions, actionName!) ? actions[actionName!] : undefined;
    const fits = action && (actionType === 'bulk' ? action.isBulkType() : actionType === 'record' ? action.isRecordType() : action.isResourceType());
    if (!fits) return reply(res, 404, NOTICES.unknownAction, { resourceId, actionType, actionName });

    const ids = actionType === 'bulk' ? parseRecordIds(req.query.recordIds) : actionType === 'record' ? [recordId!] : [];
    if (actionType === 'bulk') {
      if (ids.length === 0) return reply(res, 400, NOTICES.emptySelection);
      if (ids.length > maxIds) return reply(res, 400, NOTICES.tooManyIds, { max: maxIds, count: ids.length });
    }
    const valid = idCheck(resource, singleSession);
    const bad = valid ? ids.find((id) => !valid(id)) : undefined;
    if (bad !== undefined) return reply(res, 400, NOTICES.invalidIds, { id: bad.length > 40 ? `${bad.slice(0, 40)}…` : bad });
    return next();
  };
  before.all('/api/resources/:resourceId/bulk/:action', check('bulk'));
  before.all('/api/resources/:resourceId/records/:recordId/:action', check('record'));
  before.all('/api/resources/:resourceId/actions/:action', check('resource'));

  const after: ErrorRequestHandler = (err, req, res, next) => {
    if (res.headersSent || !req.path.startsWith('/api/')) return next(err);
    if (err instanceof NotFoundError) return reply(res, 404, NOTICES.unknownRecords, { ids: listIds(parseRecordIds(req.query.recordIds)) });
    if (err instanceof ForbiddenError) return reply(res, 403, NOTICES.forbidden, { permission: '' });
    if (err instanceof ValidationError || err instanceof InvalidInputError) return reply(res, 400, NOTICES.invalidIds, { id: '' });
    // AdminJS's body parser (formidable) rejects a malformed JSON body with a bare SyntaxError: a client error.
    if (err instanceof SyntaxError) return void res.status(400).json({ error: featureMessages.badBody, records: [] });
    return next(err);
  };
  return { before, after };
}
