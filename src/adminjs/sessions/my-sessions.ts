/**
 * `mySessionsPage({ singleSession, componentLoader })`: the AdminJS page "My sessions" — the current admin's own
 * sessions, "End" on each of the others and "Log out my other sessions"; the session in use is marked and never
 * ended from here (signing out does that). Self-service: any logged-in admin, no permission needed. With the engine's
 * `freshAgeMs`, ending asks for a sign-in at most that old (ASVS 5.0 7.5.2: end sessions after re-entering
 * credentials); viewing never asks.
 *
 *   new AdminJS({ componentLoader, pages: { mySessions: mySessionsPage({ singleSession, componentLoader }) }, ... })
 */
import type { Request } from 'express';
import type { AdminPage } from 'adminjs';
import type { SingleSession } from '../../single-session.js';
import { addComponents } from '../components.js';
import { Refusal, type Notice, type TargetInfo } from '../confirm.js';
import { sessionTitle } from '../display.js';
import { NOTICES } from '../errors.js';
import { checkOptions, type CommonOptions } from '../options.js';
import { needsFreshSignIn, signInAgainThenReturnTo, type StepUpAnswer } from '../step-up.js';
import { findListed, listWithCurrent } from './list.js';

/** Options of `mySessionsPage`: the engine and the loader given to `new AdminJS` (required). */
/** Options of `mySessionsPage`: the engine and the AdminJS instance's ComponentLoader. */
export type MySessionsPageOptions = Omit<CommonOptions, 'can'> & Required<Pick<CommonOptions, 'componentLoader'>>;

type PageRequest = Request & { method: string; query: Record<string, unknown>; params: { pageName?: string } };
/** What AdminJS passes a page's handler besides the request. */
interface PageContext { h: { pageUrl(pageName: string): string }; _admin: { options: { loginPath: string } } }

/** The page's answer: `preview` (one session's confirmation) and `notice` when asked for. */
interface PageData {
  linked: boolean;
  sessions: Awaited<ReturnType<typeof listWithCurrent>>;
  preview?: { id: string; title: string; singleSession: TargetInfo };
  notice?: Notice;
  /** An ending refused for an old sign-in: where to sign in again (the page returns here after the login). */
  stepUp?: StepUpAnswer['stepUp'];
}

/** The "My sessions" page, for an entry of AdminJS's `pages`. */
/** The "My sessions" page, for `new AdminJS({ pages: { mySessions: ... } })`. */
export function mySessionsPage(options: MySessionsPageOptions): AdminPage {
  // A page has no moment at which it meets the AdminJS instance: it needs the instance's loader passed in.
  const { singleSession, componentLoader } = checkOptions('mySessionsPage', options, [], { needsLoader: true });
  return {
    component: addComponents(componentLoader!, 'mySessions'),
    icon: 'Monitor',
    // GET: { linked, sessions }. POST: ends the admin's other sessions first and adds a notice.
    // `?session=<handle>`: GET previews ending that session, POST ends it (never the session in use).
    handler: async (request: PageRequest, _response: unknown, context: PageContext): Promise<PageData> => {
      const userId = singleSession.getUserId(request);
      if (userId === null) return { linked: false, sessions: [] };
      const post = request.method === 'post';
      let answer: Pick<PageData, 'preview' | 'notice' | 'stepUp'> = {};
      if (post && needsFreshSignIn(singleSession, request)) {
        const page = context.h.pageUrl(request.params?.pageName ?? 'mySessions');
        answer = { notice: { message: NOTICES.signInAgain, type: 'error' }, ...signInAgainThenReturnTo(request, page, context._admin.options.loginPath) };
      } else if (request.query?.session !== undefined) answer = await endOne(singleSession, userId, request, post);
      else if (post) answer = { notice: await endOthers(singleSession, request) };
      return { linked: true, sessions: await listWithCurrent(singleSession, userId, request), ...answer };
    },
  };
}

async function endOthers(singleSession: SingleSession, request: PageRequest): Promise<Notice> {
  const { sessions } = await singleSession.logoutOtherSessions(request);
  return sessions > 0
    ? { message: NOTICES.othersEnded, type: 'success', options: { sessions } }
    : { message: NOTICES.noOtherSessions, type: 'info', options: {} };
}

/** One of my other sessions: its preview (GET) or its ending (POST). Anything else is refused and changes nothing. */
async function endOne(singleSession: SingleSession, userId: string, request: PageRequest, post: boolean): Promise<Pick<PageData, 'preview' | 'notice'>> {
  try {
    const session = await findListed(singleSession, userId, request, request.query.session);
    if (session.current) throw new Refusal(NOTICES.currentSession);
    if (!post) {
      const info: TargetInfo = { kind: 'session', isAdmin: false, isSelf: false, outcome: 'logout', userId, sessions: 1 };
      return { preview: { id: session.id, title: sessionTitle(null, session), singleSession: info } };
    }
    const ended = await singleSession.endSessionsByHandle([session.id], { actorId: userId, exceptSid: request.sessionID, reason: 'logout' });
    return { notice: { message: NOTICES.sessionsDone, type: 'success', options: { sessions: ended.sessions, users: ended.users.length } } };
  } catch (err) {
    if (err instanceof Refusal) return { notice: { message: err.notice, type: 'error', options: err.options } };
    throw err;
  }
}
