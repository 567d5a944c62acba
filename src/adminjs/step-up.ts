/**
 * Step-up (OWASP ASVS 5.0 7.5.1, 7.5.2): with the engine's `freshAgeMs`, the actions that end other people's sessions
 * (and ending one's own others in "My sessions", and every action `stepUpFeature` wraps) refuse, changing nothing,
 * when the acting admin signed in longer ago than that. The refusal sends the browser to the login
 * page (the confirmation page loads it: `stepUp.loginPath` in the answer), which says "sign in again to continue";
 * after the login AdminJS returns to the action's page (@adminjs/express redirects to `req.session.redirectTo`), where
 * the same action now works. Reading the panel never asks.
 *
 * The note that carries the way back lives in the admin's session (the host's express-session object, not the
 * store): the login gives the session a new id, so the login hooks here carry it over to the new session.
 */
import type { Request } from 'express';
import type { ActionContext } from 'adminjs';
import type { SingleSession } from '../single-session.js';

/** Where the refusal leaves its note in the session. */
const STEP_UP_KEY = 'singleSessionStepUp';
/** A way back longer than this (a selection of thousands of ids) returns to the resource's list instead. */
const MAX_RETURN_LENGTH = 4096;

type SessionWithNotes = { [STEP_UP_KEY]?: { returnTo: string }; redirectTo?: string };
const notesOf = (req: Request) => req.session as unknown as SessionWithNotes | undefined;

/** What the answer of a refused action carries for the confirmation page. */
export interface StepUpAnswer {
  stepUp: { loginPath: string };
}

/**
 * Is the request's sign-in older than `limit` (default: the engine's `freshAgeMs`), or not known to the engine at
 * all? Always false when the limit is off.
 */
export function needsFreshSignIn(singleSession: SingleSession, req: Request, limit: number | false = singleSession.freshAgeMs): boolean {
  if (limit === false) return false;
  const age = singleSession.signInAge(req);
  return age === null || age > limit;
}

/** Notes in the session where to come back after the login (this action's page) and answers where to sign in. */
export function askToSignInAgain(req: Request, context: ActionContext): StepUpAnswer {
  const resourceId = context.resource.decorate().id();
  const { h, record, records } = context;
  const actionName = context.action.name;
  let returnTo = context.action.isResourceType()
    ? h.resourceActionUrl({ resourceId, actionName })
    : record && !records
      ? h.recordActionUrl({ resourceId, recordId: String(record.id()), actionName })
      : h.bulkActionUrl({ resourceId, recordIds: (records ?? []).map((r) => String(r.id())), actionName });
  if (returnTo.length > MAX_RETURN_LENGTH) returnTo = h.resourceUrl({ resourceId });
  return signInAgainThenReturnTo(req, returnTo, context._admin.options.loginPath);
}

/** The same for any page of the panel (a custom page's path, e.g. "My sessions"). */
export function signInAgainThenReturnTo(req: Request, returnTo: string, loginPath: string): StepUpAnswer {
  const notes = notesOf(req);
  if (notes) notes[STEP_UP_KEY] = { returnTo };
  return { stepUp: { loginPath } };
}

/** Was this browser sent to the login page by a step-up refusal (so the page should say why)? */
export const wasAskedToSignInAgain = (req: Request): boolean => Boolean(notesOf(req)?.[STEP_UP_KEY]);

/**
 * Around a login that gives the session a new id: reads the step-up note first, and after the login sets
 * `redirectTo` on the new session, so that @adminjs/express returns to the refused action's page.
 */
export async function keepingTheWayBack(req: Request, login: () => Promise<void>): Promise<void> {
  const returnTo = notesOf(req)?.[STEP_UP_KEY]?.returnTo;
  await login();
  const notes = notesOf(req);
  // Only a path of this site (we wrote it; a protocol-relative `//host` would leave it).
  if (notes && typeof returnTo === 'string' && returnTo.startsWith('/') && !/^\/[/\\]/.test(returnTo)) notes.redirectTo = returnTo;
}
