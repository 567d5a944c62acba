/** A user's live sessions as the session pages show them: no sid, the request's own session marked, IPs readable. */
import type { Request } from 'express';
import { InvalidInputError } from '../../errors.js';
import { parseHandles } from '../../ids.js';
import type { SessionInfo, SingleSession } from '../../single-session.js';
import { Refusal } from '../confirm.js';
import { displayIp } from '../display.js';
import { NOTICES } from '../errors.js';

export interface ListedSession extends SessionInfo {
  /** The session this request is made with ("this device"). */
  current: boolean;
}

export async function listWithCurrent(singleSession: SingleSession, userId: string | number, req: Request): Promise<ListedSession[]> {
  const [sessions, current] = await Promise.all([singleSession.listSessions(userId), singleSession.currentSessionHandle(req)]);
  return sessions.map((s) => ({ ...s, ip: displayIp(s.ip), current: s.id === current }));
}

/**
 * The session named by `?session=<handle>` among the user's live sessions, for "End" in the sessions panel and in
 * "My sessions". Throws a Refusal (nothing changes) for a malformed handle, or one that is not a live session of
 * this user: a handle from another user's list must not end that user's session through this user's page.
 */
export async function findListed(singleSession: SingleSession, userId: string | number, req: Request, raw: unknown): Promise<ListedSession> {
  let handle: string;
  try {
    if (typeof raw !== 'string') throw new InvalidInputError(String(raw));
    [handle] = parseHandles([raw]) as [string];
  } catch (err) {
    if (err instanceof InvalidInputError) throw new Refusal(NOTICES.invalidIds, { id: String(raw ?? '').slice(0, 40) });
    throw err;
  }
  const session = (await listWithCurrent(singleSession, userId, req)).find((s) => s.id === handle);
  if (!session) throw new Refusal(NOTICES.sessionGone);
  return session;
}
