import { EventEmitter } from 'node:events';

/** What a login records about the device (all null with `metadata: false`). */
export interface LoginMetadata {
  /** `req.ip` (honours Express's `trust proxy`), as given (an IPv4-mapped address stays `::ffff:…`). */
  ip: string | null;
  /** The `User-Agent` header, at most 512 characters. */
  userAgent: string | null;
  /** Browser name and major version, parsed from the user agent (`"Chrome 120"`). */
  browser: string | null;
  /** Operating system and version (`"Windows 10"`). */
  os: string | null;
  /** Device type, vendor and model (`"desktop"`, `"mobile Apple iPhone"`). */
  device: string | null;
}

/**
 * Why sessions ended, as the audit trail records it: `replaced` and `limit` (a login's policy), `revoked` (an
 * administrator), `logout` (the user's own logout, everywhere or of the other sessions), `credentials` (a password
 * change), `account` (the account was disabled or deleted), `expired`, `idle`, `lifetime` (expiry and the timeouts).
 */
export type AuditReason = 'replaced' | 'revoked' | 'logout' | 'credentials' | 'account' | 'expired' | 'limit' | 'idle' | 'lifetime';

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

/** A login: emitted once it is committed, for every login through the engine. */
export interface SessionCreatedEvent {
  /** Who signed in (as text, exact for any key type). */
  userId: string;
  /** What the login recorded about the device (all null with `metadata: false`). */
  metadata: LoginMetadata;
  /**
   * Had this user signed in from this device (browser + OS + device, versions aside) before? `false` is the moment
   * for a "new sign-in to your account" mail. `null` when unknown: `metadata: false`, or no user agent.
   */
  knownDevice: boolean | null;
  /** Sessions of this user the login ended (the policy). */
  endedSessions: number;
  /** When the login was committed (this process's clock). */
  at: Date;
}

export interface SingleSessionEventMap {
  'sessions:ended': [SessionsEndedEvent];
  'sessions:created': [SessionCreatedEvent];
  /** A background task (the purge timer) failed, or an event listener threw. Without a listener it goes to the debug log. */
  error: [Error];
}

/**
 * Typed emitter of `sessions:ended` and `sessions:created`, emitted once the change is committed. A listener that
 * throws is reported as `error` (it does not fail the login or ending); an async listener's rejection is not awaited.
 */
export class SingleSessionEvents extends EventEmitter<SingleSessionEventMap> {}
