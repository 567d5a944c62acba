import { EventEmitter } from 'node:events';

/** Why sessions ended, as the audit trail records it. */
export type AuditReason = 'replaced' | 'revoked' | 'logout' | 'expired' | 'limit' | 'idle' | 'lifetime';

/** The `sessions:ended` event: one ending of sessions (a login's, a logout's, an administrator's, a timeout's, the purge's). */
export interface SessionsEndedEvent {
  /** Why they ended. */
  reason: AuditReason;
  /** Who did it: the administrator, or the user themselves for logins and logouts; null for expiry. */
  actorId: string | null;
  /** The users whose sessions ended (as text, exact for any key type). */
  userIds: string[];
  /** How many sessions ended. */
  sessions: number;
  /** When (after the ending committed). */
  at: Date;
}

export interface SingleSessionEventMap {
  'sessions:ended': [SessionsEndedEvent];
  /** A background task (the purge timer) failed. Without a listener it is logged to the console instead. */
  error: [Error];
}

/** Typed emitter of `sessions:ended`. Listeners must not throw; an async listener's rejection is not awaited. */
export class SingleSessionEvents extends EventEmitter<SingleSessionEventMap> {}
