/**
 * Who keeps which sessions: the limit a user gets at login and what happens beyond it. Pure decisions, no SQL;
 * the registry carries them out inside the login's transaction.
 */
import type { Request } from 'express';
import { messages } from './errors.js';
import { limitToNumber, type ResolvedOptions, type WhenExceeded } from './options.js';

export interface LoginDecision {
  /** Sessions the user may have, this login included; Infinity for no limit. */
  limit: number;
  /** `deny`: refuse this login when the limit is reached; otherwise end the surplus sessions. */
  whenExceeded: WhenExceeded;
  /** The order in which sessions are kept: most recently used, or most recently created. */
  rankBy: 'lastSeenAt' | 'createdAt';
}

export class SessionPolicy<User> {
  constructor(private readonly options: ResolvedOptions<User>) {}

  /**
   * The limit for this user and request. Evaluated before the login's transaction starts, so that a slow
   * per-user callback does not hold the user's lock.
   */
  async decide(user: User, req: Request): Promise<LoginDecision> {
    const { singleUserSession, whenExceeded, exempt } = this.options;
    const isExempt = await exempt(user, req);
    const limit = isExempt
      ? Infinity
      : typeof singleUserSession === 'function'
        ? limitToNumber(await singleUserSession(user, req), messages.badLimitResult)
        : limitToNumber(singleUserSession);
    return { limit, whenExceeded, rankBy: whenExceeded === 'evict-oldest' ? 'createdAt' : 'lastSeenAt' };
  }
}
