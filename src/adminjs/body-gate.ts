/**
 * Request bodies under AdminJS's `rootPath`. @adminjs/express runs express-formidable on every request there BEFORE
 * it checks the session, with formidable's defaults: any anonymous multipart request (to `/admin/login` or any
 * other path) writes its files, up to 200 MB, to the temp folder, and nothing ever deletes them.
 *
 * Here, before AdminJS: a request without an admin session may carry only what the login form sends — a small
 * form or JSON body (`ANONYMOUS_BODY_LIMIT`) — parsed in memory and handed to AdminJS as formidable would have
 * (formidable then skips it); anything else gets 415, a larger body 413, a malformed one 400. Nothing is written to
 * disk. A signed-in admin's request goes to formidable with the limits the host gave `buildAuthenticatedRouter`
 * (its 5th argument, see docs/install.md), and the temporary files of its uploads are deleted once the answer is sent.
 * Formidable's own errors (over a limit, a truncated body) are answered by `bodyErrorStatus` (request-guard.ts).
 */
import express, { type Request, type RequestHandler, type Response } from 'express';
import { unlink } from 'node:fs';
import { log } from '../log.js';
import { adminMessages as m } from './errors.js';

/** Largest body a request without an admin session may send: a login form is a few hundred bytes. */
export const ANONYMOUS_BODY_LIMIT = 16 * 1024;

/** The bodies `smallBodyParser` reads. */
export const SMALL_BODY_TYPES = ['application/x-www-form-urlencoded', 'application/json'];

interface FormidableRequest extends Request {
  fields?: Record<string, unknown>;
  files?: Record<string, { path?: unknown } | Array<{ path?: unknown }>>;
  express_formidable?: { parsed: boolean };
  _body?: boolean;
}

export const isSignedIn = (req: Request): boolean => Boolean((req.session as { adminUser?: unknown } | undefined)?.adminUser);

/** A client error with a sentence: JSON for AdminJS's API and JSON clients, plain text for a form post. */
export function answer(req: Request, res: Response, status: number, message: string): void {
  log.refused('admin request answered %d: %s', status, message);
  if (status === 413) res.set('connection', 'close'); // do not read the rest of a large body
  if (req.path.startsWith('/api/') || req.accepts(['html', 'json']) === 'json') res.status(status).json({ error: message, records: [] });
  else res.status(status).type('text/plain').send(message);
}

/** Formidable's error status: 413 over a limit, 400 malformed; null for any other error. Formidable 1 has no codes. */
export function bodyErrorStatus(err: unknown): 413 | 400 | null {
  const message = String((err as Error)?.message ?? '');
  if (/^max(FileSize|FieldsSize|Fields) exceeded/.test(message)) return 413;
  if (/^(MultipartParser|bad content-type header|parser error|unknown transfer-encoding|did not expect data)/.test(message)) return 400;
  if (err instanceof SyntaxError) return 400; // formidable's JSON parser
  return null;
}

/** Deletes the temporary files formidable wrote for this request once the answer is sent (moved files are gone already). */
function deleteUploadsWhenDone(req: FormidableRequest, res: Response): void {
  res.on('close', () => {
    for (const file of Object.values(req.files ?? {}).flat()) {
      if (typeof file?.path === 'string') unlink(file.path, () => undefined);
    }
  });
}

/** Does the request say it has a body? */
export const hasBody = (req: Request): boolean => {
  const length = req.get('content-length');
  return !(length === '0' || (length === undefined && req.get('transfer-encoding') === undefined));
};

/**
 * A form or JSON body of at most `limit` bytes, parsed in memory and handed to AdminJS as formidable would have
 * (`req.fields`; formidable then skips it). `done(413 | 400)` when it is over the limit or malformed.
 */
export function smallBodyParser(limit: number): (req: Request, res: Response, done: (status?: 413 | 400) => void) => void {
  const parsers = [express.urlencoded({ extended: false, limit }), express.json({ limit })];
  return (request, res, done) => {
    const req = request as FormidableRequest;
    parsers[0]!(req, res, (err?: unknown) => (err ? finish(err) : parsers[1]!(req, res, finish)));
    function finish(err?: unknown) {
      if (err) return done((err as { status?: number }).status === 413 ? 413 : 400);
      // What express-formidable would have set; it skips a request marked parsed. AdminJS refuses `_body` (body-parser's mark).
      req.fields = { ...(req.body as Record<string, unknown>) };
      req.files = {};
      req.express_formidable = { parsed: true };
      delete req._body;
      req.body = undefined;
      return done();
    }
  };
}

export function bodyGate(): RequestHandler {
  const parse = smallBodyParser(ANONYMOUS_BODY_LIMIT);

  return (request, res, next) => {
    const req = request as FormidableRequest;
    if (isSignedIn(req)) {
      deleteUploadsWhenDone(req, res);
      return next();
    }
    if (!hasBody(req)) return next();
    if (!req.is(SMALL_BODY_TYPES)) return answer(req, res, 415, m.anonymousBodyType);
    if (Number(req.get('content-length')) > ANONYMOUS_BODY_LIMIT) return answer(req, res, 413, m.anonymousBodyTooLarge(ANONYMOUS_BODY_LIMIT));
    parse(req, res, (status) => {
      if (status) return answer(req, res, status, status === 413 ? m.anonymousBodyTooLarge(ANONYMOUS_BODY_LIMIT) : m.badBody);
      return next();
    });
  };
}
