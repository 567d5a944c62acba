/** A user's live sessions as the session pages show them: no sid, the request's own session marked. */
import type { Request } from 'express';
import type { SessionInfo, SingleSession } from '../../single-session.js';

export interface ListedSession extends SessionInfo {
  /** The session this request is made with ("this device"). */
  current: boolean;
}

export async function listWithCurrent(singleSession: SingleSession, userId: string | number, req: Request): Promise<ListedSession[]> {
  const [sessions, current] = await Promise.all([singleSession.listSessions(userId), singleSession.currentSessionHandle(req)]);
  return sessions.map((s) => ({ ...s, current: s.id === current }));
}
