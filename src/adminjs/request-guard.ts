/**
 * `guardAdminRequests({ admin, singleSession })`: checks AdminJS API requests before AdminJS sees them, and answers
 * its errors after. Needed because AdminJS itself answers some bad requests with a 500 and a stack trace before any
 * action code runs: an unknown action name (a TypeError), a non-numeric or out-of-range id for an integer key (a
 * database error inside `findMany`), ids that all do not exist (a thrown NotFoundError), a parameter given twice
 * (`recordIds=1&recordIds=2`), a filter on an unknown field. It also filters and sorts on hidden fields (a password
 * hash): the query is checked first (query-check.ts). Here they get a 4xx JSON answer with a translated notice, and
 * nothing changes; a body formidable refused gets 413 or 400 on every path.
 *
 * A signed-in admin's bulk POST may carry its ids in the body instead of the query string (`recordIds`, a form field
 * or JSON, comma-separated or an array): 50,000 ids are far more than the 16 KB of headers a server should accept
 * from anyone (issue 23: 1 MB header limits let anonymous slow clients hold a megabyte each). The body is read here,
 * in memory, up to what `maxIds` ids take, and the ids handed to AdminJS as if they were in the query string.
 *
 * Building it also checks the wiring (a start-up error with the fix): AdminJS's login and logout pages are under its
 * `rootPath`, our components are in the AdminJS instance's loader, the Sessions and audit resources' user resource
 * exists. Requests then check that a session in front of AdminJS is this engine's.
 *
 *   const guard = guardAdminRequests({ admin, singleSession });
 *   app.use(admin.options.rootPath, guard.before, adminRouter, guard.after);
 */
import express, { type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';
import { ForbiddenError, NotFoundError, ValidationError, type default as AdminJS } from 'adminjs';
import { InvalidInputError, SingleSessionConfigError } from '../errors.js';
import { MAX_IDS } from '../ids.js';
import { log } from '../log.js';
import type { SingleSession } from '../single-session.js';
import { assertComponentsBundled } from './components.js';
import { listIds, parseRecordIds } from './confirm.js';
import { adminMessages as m, fail, NOTICES, type NoticeKey } from './errors.js';
import { englishText } from './locales/index.js';
import { checkOptions } from './options.js';
import { answer, bodyErrorStatus, hasBody, isSignedIn, smallBodyParser, SMALL_BODY_TYPES } from './body-gate.js';
import { checkQuery, idCheck, quote } from './query-check.js';
import { AUDIT_RESOURCE_ID } from './sessions/audit.js';
import { findResource, SESSION_ACTIONS } from './sessions/end.js';


/** Options of `guardAdminRequests`. */
export interface GuardAdminRequestsOptions {
  /** Your AdminJS instance. */
  admin: AdminJS;
  /** The engine from `createSingleSession`. */
  singleSession: SingleSession;
  /**
   * Most ids one bulk request may carry. Default 50,000 (the engine's limit). Beyond what fits in the server's header
   * limit (about 1,300 ids in Node's default 16 KB) they go in the POST body (`recordIds`).
   */
  maxIds?: number;
}

function reply(res: Response, status: number, key: NoticeKey, options: Record<string, unknown> = {}): void {
  log.refused('admin request answered %d: %s', status, key);
  res.status(status).json({ error: englishText(key as never, options), notice: { message: key, type: 'error', options }, records: [] });
}

/** A database error of class 22 (data exception), as Sequelize nests it. */
function isInvalidValue(err: unknown): boolean {
  for (let e = err as { code?: unknown; parent?: unknown; original?: unknown } | undefined, depth = 0; e && depth < 4; depth++) {
    if (/^22[0-9A-Z]{3}$/.test(String(e.code ?? ''))) return true;
    e = (e.parent ?? e.original) as typeof e;
  }
  return false;
}

/** Is `path` a page under `rootPath` (AdminJS's paths are compared the way @adminjs/express strips the root)? */
const isUnder = (rootPath: string, path: string) => rootPath === '/' || path.startsWith(`${rootPath.replace(/\/+$/, '')}/`);

/**
 * Start-up: the login and logout pages are under `rootPath` (a custom root without them redirects to a 404), the
 * components are bundled, and every Sessions or audit resource's user resource exists.
 */
function checkWiring(admin: AdminJS): void {
  const { rootPath, loginPath, logoutPath } = admin.options as { rootPath: string; loginPath: string; logoutPath: string };
  for (const [name, path] of [['loginPath', loginPath], ['logoutPath', logoutPath]] as const) {
    if (!isUnder(rootPath, path)) fail(m.pathOutsideRoot(rootPath, name, path));
  }
  assertComponentsBundled(admin);
  for (const resource of admin.resources) {
    const decorated = resource.decorate();
    const properties = decorated.options.properties ?? {};
    if (decorated.id() === AUDIT_RESOURCE_ID) {
      const userResourceId = (properties.actorId?.custom as { userResourceId?: string } | undefined)?.userResourceId;
      if (userResourceId) findResource(admin, userResourceId, 'auditResource');
    } else if (SESSION_ACTIONS.endSelected in decorated.actions) {
      const reference = (properties.userId as { reference?: string } | undefined)?.reference;
      if (reference) findResource(admin, reference);
    }
  }
}

/**
 * AdminJS's stock `new` action throws a plain Error (a 500) when it is called with anything but POST. A host's own
 * handler for it (in the resource's options) may answer other methods, so only the stock one is answered here.
 */
function isStockPostOnly(resource: AdminJS['resources'][number], actionName: string, method: string): boolean {
  return actionName === 'new' && method !== 'POST' && resource.decorate().options.actions?.new?.handler === undefined;
}

/** Bytes of body that `maxIds` ids take at most: a UUID, quoted, and its comma each (JSON), with room for the rest. */
const idsBodyLimit = (maxIds: number) => maxIds * 40 + 4096;

/**
 * A signed-in admin's bulk POST without `recordIds` in its query string (or an empty one): its form or JSON body, read in memory (up to
 * what `maxIds` ids take), handed to AdminJS as formidable would have, and its `recordIds` made the query's.
 */
function idsFromBody(maxIds: number): RequestHandler {
  const parse = smallBodyParser(idsBodyLimit(maxIds));
  return (req, res, next) => {
    const inQuery = req.query.recordIds !== undefined && req.query.recordIds !== ''; // AdminJS's ApiClient always sends one
    if (!isSignedIn(req) || inQuery || !hasBody(req) || !req.is(SMALL_BODY_TYPES)) return next();
    parse(req, res, (status) => {
      if (status) return answer(req, res, status, status === 413 ? m.bodyTooLarge : m.badBody);
      const fields = (req as { fields?: Record<string, unknown> }).fields ?? {};
      if (fields.recordIds === undefined) return next();
      // AdminJS reads the ids from `req.query`: a getter in Express 5, hence a property of this request.
      const query = { ...req.query, recordIds: parseRecordIds(fields.recordIds).join(',') };
      Object.defineProperty(req, 'query', { value: query, configurable: true, enumerable: true, writable: true });
      return next();
    });
  };
}

/** The request guard: `before` goes in front of AdminJS's router, `after` right behind it (see the file's comment). */
export function guardAdminRequests(options: GuardAdminRequestsOptions): {
  /** Checks a request before AdminJS sees it. */
  before: express.Router;
  /** Answers AdminJS's errors with a 4xx where they are the client's. */
  after: ErrorRequestHandler;
} {
  const { admin, singleSession, maxIds } = options ?? ({} as GuardAdminRequestsOptions);
  checkOptions('guardAdminRequests', { singleSession, ...(maxIds !== undefined ? { maxIds } : {}) }, ['maxIds']);
  if (!admin || !Array.isArray(admin.resources) || !admin.options) fail(m.notAdmin('guardAdminRequests', admin));
  checkWiring(admin);
  const limit = maxIds ?? MAX_IDS;

  const before = express.Router();
  before.use((req, _res, next) => {
    // A session from another store (another express-session before AdminJS's): our hooks would fail at every login.
    if (req.session && !singleSession.hasOurSession(req)) return next(new SingleSessionConfigError(m.sessionNotMounted));
    return next();
  });

  /** `fixedAction`: the deprecated search routes name no action (AdminJS runs `search`). */
  const check = (actionType: 'bulk' | 'record' | 'resource', fixedAction?: string): RequestHandler => (req, res, next) => {
    // Not logged in: AdminJS redirects to its login page; say nothing about resources here.
    if (!(req.session as { adminUser?: unknown } | undefined)?.adminUser) return next();
    const { resourceId, action: actionParam, recordId } = req.params as Record<string, string>;
    const actionName = fixedAction ?? actionParam!;
    const resource = admin.resources.find((r) => r.decorate().id() === resourceId);
    if (!resource) return reply(res, 404, NOTICES.unknownResource, { resourceId });
    const actions = resource.decorate().actions;
    // Own names only: `__proto__` or `constructor` would find Object's and fail with a TypeError (a 500).
    const action = Object.hasOwn(actions, actionName) ? actions[actionName] : undefined;
    const fits = action && (actionType === 'bulk' ? action.isBulkType() : actionType === 'record' ? action.isRecordType() : action.isResourceType());
    if (!fits) return reply(res, 404, NOTICES.unknownAction, { resourceId, actionType, actionName });
    if (isStockPostOnly(resource, actionName, req.method)) {
      res.set('Allow', 'POST');
      return reply(res, 405, NOTICES.postOnly);
    }

    // Filters, sort, paging, and every parameter given once (`recordIds=1&recordIds=2` made AdminJS call `.split` on an array).
    const refusal = checkQuery(resource, req.query as Record<string, unknown>, singleSession);
    if (refusal) return reply(res, 400, refusal.key, refusal.options);

    const ids = actionType === 'bulk' ? parseRecordIds(req.query.recordIds) : actionType === 'record' ? [recordId!] : [];
    if (actionType === 'bulk') {
      if (ids.length === 0) return reply(res, 400, NOTICES.emptySelection);
      if (ids.length > limit) return reply(res, 400, NOTICES.tooManyIds, { max: limit, count: ids.length });
    }
    const valid = idCheck(resource, singleSession);
    const bad = valid ? ids.find((id) => !valid(id)) : undefined;
    if (bad !== undefined) return reply(res, 400, NOTICES.invalidIds, { id: quote(bad) });
    return next();
  };
  before.post('/api/resources/:resourceId/bulk/:action', idsFromBody(limit));
  before.all('/api/resources/:resourceId/bulk/:action', check('bulk'));
  before.all('/api/resources/:resourceId/records/:recordId/:action', check('record'));
  before.all(['/api/resources/:resourceId/actions/:action', '/api/resources/:resourceId/actions/:action/:query'], check('resource'));
  before.all(['/api/resources/:resourceId/search', '/api/resources/:resourceId/search/:query'], check('resource', 'search'));

  const after: ErrorRequestHandler = (err, req: Request, res, next) => {
    // A body over formidable's limits or malformed, on any path (the login form too). express-formidable reports
    // formidable's error twice: the second one finds the answer sent.
    const bodyStatus = bodyErrorStatus(err);
    if (bodyStatus && res.headersSent) return undefined;
    if (bodyStatus) return answer(req, res, bodyStatus, bodyStatus === 413 ? m.bodyTooLarge : m.badBody);
    if (res.headersSent || !req.path.startsWith('/api/')) return next(err);
    if (err instanceof NotFoundError) return reply(res, 404, NOTICES.unknownRecords, { ids: listIds(parseRecordIds(req.query.recordIds)) });
    if (err instanceof ForbiddenError) return reply(res, 403, NOTICES.forbidden, { permission: '' });
    if (err instanceof ValidationError || err instanceof InvalidInputError) return reply(res, 400, NOTICES.invalidIds, { id: '' });
    // A value the database could not take (class 22: a date that is not one, an id out of range in a host's filter).
    if (isInvalidValue(err)) return reply(res, 400, NOTICES.badQuery);
    return next(err);
  };
  return { before, after };
}
