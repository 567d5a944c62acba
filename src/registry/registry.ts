/**
 * The registry: all of the package's SQL, behind the narrow interface the engine and the store see
 * (`SessionRegistry`). What a login, a logout or an ending does, step by step and in which transaction, is written
 * once here (`SqlRegistry`); each database dialect supplies only its statements (`postgres.ts`).
 *
 * The guarantees, and what they rest on:
 * - A login's enforcement runs in one transaction that first locks the user (per-user serialization): concurrent
 *   logins of one user, from any number of processes, queue on that lock, so each one counts the sessions the
 *   previous one left. Without it two logins both see "no other session" and both survive.
 * - Ending sessions is set-based: one statement per ending, whatever the number of users or sessions; the links go
 *   with the sessions (ON DELETE CASCADE); each ended session leaves a short-lived note of why (`EndedSessions`).
 * - A session that came from the database is only ever UPDATEd, never re-inserted (see store.ts): a DELETE is final.
 * - With `audit`, the audit row is written in the ending's own transaction: both happen or neither.
 */
import { literal, type Model, type ModelStatic, QueryTypes, type Sequelize, type Transaction, type TransactionOptions, type WhereOptions } from 'sequelize';
import { LoginDeniedError, SessionInterruptedError } from '../errors.js';
import type { AuditReason, LoginMetadata } from '../events.js';
import type { UserKeyKind } from '../ids.js';
import type { ActiveSessionModel } from '../models/active-session.js';
import { log } from '../log.js';
import type { Timeouts } from '../timeouts.js';

/** What a login records about the device: defined with the events that carry it (events.ts imports nothing of the registry). */
export type { LoginMetadata } from '../events.js';

/**
 * What the next request of an ended session is told: `replaced` (a newer login), `revoked` (an administrator),
 * `logout` (the user logged out on another device, or ended their other sessions), `credentials` (the password was
 * changed), `account` (the account was disabled or deleted), `idle` and `lifetime` (the timeouts).
 */
export type EndReason = 'replaced' | 'revoked' | 'logout' | 'credentials' | 'account' | 'idle' | 'lifetime';
/** The timeouts' reasons. */
export type TimeoutReason = Extract<EndReason, 'idle' | 'lifetime'>;

export interface LoadedSession {
  data: string;
  expires: Date | null;
  updatedAt: Date;
  /** The linked user, as text; `null` when the session is not linked to a user. */
  userId: string | null;
  lastSeenAt: Date | null;
  /** When the linked user signed in on it (the link's `createdAt`); `null` when not linked. */
  signedInAt: Date | null;
}


/** A live session as the engine lists it (`listSessions`): never its sid. */
export interface SessionInfo extends LoginMetadata {
  /** Public handle of the session (never the sid, which is a bearer secret). */
  id: string;
  /** The user, as text (the canonical form of the key). */
  userId: string;
  /** When the user signed in on it. */
  createdAt: Date;
  /** When it was last used (written at most once per `lastSeenIntervalMs`). */
  lastSeenAt: Date;
  /** When it ends unless used again (the earliest of the cookie's expiry and the timeouts); null: never. */
  expires: Date | null;
}

/**
 * A device as the known-devices memory tells devices apart: browser, OS and device (type, vendor, model), versions
 * aside (a browser update is not a new device); '' for a part the user agent does not say.
 */
export interface DeviceIdentity {
  browser: string;
  os: string;
  device: string;
}

/** Per user (the id as text), how many live sessions an ending removed. */
export type EndedCounts = Map<string, number>;

/** A login, as the registry writes it: the session row, its link, and the policy's verdict on the others. */
export interface LoginWrite {
  sid: string;
  data: string;
  expires: Date;
  /** The row was stored before: it is updated, and its absence means the session ended meanwhile. */
  stored: boolean;
  userId: string;
  metadata: LoginMetadata;
  /** Sessions the user may have, this one included; Infinity for no limit. */
  limit: number;
  /** Refuse the login (LoginDeniedError) instead of ending sessions when the limit is reached. */
  deny: boolean;
  /** Which sessions are kept when ending: the most recently used, or the most recently created. */
  rankBy: 'lastSeenAt' | 'createdAt';
  /** How the audit trail names the endings of this login (`replaced` for one session, `limit` otherwise). */
  auditReason: AuditReason;
  /** The device to remember for this user; null records nothing (`metadata: false`, or no user agent). */
  device: DeviceIdentity | null;
}

/** What a login did: the sessions it ended, and whether the user had signed in from this device before (null: unknown). */
export interface LoginResult {
  ended: EndedCounts;
  knownDevice: boolean | null;
}

/** The reasons of an ending on purpose (`endUserSessions`, `endSessionsByHandle`). */
export const ON_PURPOSE_REASONS = ['revoked', 'logout', 'credentials', 'account'] as const;
/** Why an ending on purpose ended sessions (noted for the devices and audited alike). */
export type OnPurposeReason = (typeof ON_PURPOSE_REASONS)[number];

/** A session from before the install (not linked), as the cut-over reads it. */
export interface UnlinkedSession {
  sid: string;
  data: string;
}

/**
 * A cut-over's claim: this unlinked session is signed in as this user (null: as an id that cannot be a user's), if its
 * data is still what was read (`digest`: the md5 hex of the data).
 */
export interface SessionClaim {
  sid: string;
  digest: string;
  userId: string | null;
}

/** What a cut-over batch did. */
export interface Adopted {
  /** Sessions linked to their users. */
  linked: number;
  /** With `end`: the linked sessions ended, per user. */
  ended: EndedCounts;
  /** Unchanged sessions that claim no existing user (a deleted account, an id of another type): ended. */
  orphans: number;
}

/** An ending on purpose (administrator, self-service, an account change): why, who did it, and a session to spare. */
export interface Ending {
  reason: OnPurposeReason;
  actorId: string | null;
  exceptSid: string | null;
}

// ── statistics (the AdminJS dashboard, the confirmations' counts) ───────────────────────────────────────────────

/** What the audit trail records: the endings (`AuditReason`) and, with `audit: true`, every sign-in. */
export type AuditKind = AuditReason | 'login';

/** A value of a login's metadata (browser, device, OS) and how many live sessions have it; null = unknown. */
export interface Share {
  /** The value as the login recorded it; null when unknown (no user agent, or `metadata: false`). */
  value: string | null;
  /** Live sessions with that value (in `shareBasis.sessions`). */
  sessions: number;
}

/** The live sessions now: how many, of how many users, and their most common browsers, devices and systems. */
export interface LiveSummary {
  sessions: number;
  users: number;
  top: { browser: Share[]; device: Share[]; os: Share[] };
  /** The sessions the shares were counted over: all live ones, or (large tables) a random sample of them. */
  basis: { sessions: number; sampled: boolean };
}

/** Audit rows of one hour and kind (`login` or an ending's reason): rows, and the sessions they name. */
export interface AuditHour {
  /** The hour's start (`date_trunc('hour', at)`). */
  hour: Date;
  kind: string;
  events: number;
  sessions: number;
}

/** The audit rows per hour and kind, with the window's first hour and the database's clock. */
export interface AuditHours {
  since: Date;
  now: Date;
  rows: AuditHour[];
}

/** An audit-per-hour statement's rows: per hour and kind, plus two marker rows whose `hour` is `since` and `now`. */
export type MarkedAuditRow = AuditHour & { mark: 'since' | 'now' | null };

/** The marked rows as AuditHours (numbers as numbers, whatever the driver returned). */
export function auditHoursOf(rows: readonly MarkedAuditRow[]): AuditHours {
  const marked = (mark: string) => new Date(rows.find((r) => r.mark === mark)!.hour);
  return {
    since: marked('since'),
    now: marked('now'),
    rows: rows.filter((r) => r.mark === null)
      .map(({ hour, kind, events, sessions }) => ({ hour: new Date(hour), kind, events: Number(events), sessions: Number(sessions) })),
  };
}

/** The `top` values with the most sessions (ties by value), from a grouping's rows. */
export function topShares(rows: ReadonlyArray<{ value: string | null; n: number | string }>, top: number): Share[] {
  return rows
    .map((r) => ({ value: r.value, sessions: Number(r.n) }))
    .sort((a, b) => b.sessions - a.sessions || String(a.value).localeCompare(String(b.value)))
    .slice(0, top);
}

export interface RegistrySettings extends Timeouts {
  /** Write an audit row for every ending. */
  audit: boolean;
  /** How long an ended session's note (why it ended) is kept. */
  endReasonTtlMs: number;
  /** How long audit events are kept (the purge deletes older ones); `false`: for ever. */
  auditRetentionMs: number | false;
  /** The live sign-out's settings, or false when it is off: then endings notify nobody (nor with `listen: false`). */
  live: { listen: boolean } | false;
  /** The host's user model: whether a user still exists (a session whose user was deleted is told `account`). */
  userModel?: ModelStatic<Model> | undefined;
}

/** A session that keeps its sign-in under a new sid (a password change): the rows to write and whose it is. */
export interface Rekey {
  /** The sid the request came with: its row goes (with a `credentials` note for whoever still holds it). */
  oldSid: string;
  sid: string;
  data: string;
  expires: Date;
  userId: string;
}

/** Per reason, what a purge ended (`expired`: past the cookie's expiry; `idle`, `lifetime`: the timeouts). */
export type PurgedCounts = Map<Extract<AuditReason, 'expired' | 'idle' | 'lifetime'>, EndedCounts>;

// ── live sign-out (src/live.ts) ──────────────────────────────────────────────────────────────────────────────

/**
 * A connected session that is no longer served, as the live sign-out's check finds it: `ended` (its row is gone;
 * `reason` from its end note, null when it left none, e.g. a logout) or `expired` (its row is past its expiry and
 * waits for the purge: the caller ends it as a request would, which notes the timeout's reason).
 */
export interface NotLive {
  sid: string;
  state: 'ended' | 'expired';
  /** The end note's reason, as the note says it (opaque to the live sign-out); null without a note. */
  reason: EndReason | null;
}

/** What the endings listener reports (PostgreSQL). */
export interface EndingsHandlers {
  /** Users with sessions that ended in a committed transaction (null: anyone's, check every connected session). */
  ended(userIds: string[] | null): void;
  /** The listener is connected again after it was lost: notifications of the outage are gone, re-check everything. */
  resumed(): void;
  /** The listener lost its connection (it reconnects by itself, with backoff). */
  lost(error: unknown): void;
}

/** The one listening connection of a process. */
export interface EndingsListener {
  /** The database's pid of the listening connection (for tests and operators: `pg_stat_activity`). */
  readonly pid: number | null;
  close(): Promise<void>;
}

/** How the listener connects: its own URL (PgBouncer in transaction mode), else the Sequelize connection's config. */
export interface ListenSettings {
  listenUrl: string | null;
  /** The first reconnection delay (ms); it doubles up to 30 s. */
  reconnectDelayMs: number;
}

/** The interface the engine and the store work with. */
export interface SessionRegistry {
  /** The kind of the user key, read from the schema at start-up. */
  readonly keyKind: UserKeyKind;

  load(sid: string): Promise<LoadedSession | null>;
  /** Why `sid` ended, if it ended less than `endReasonTtlMs` ago by the policy or an administrator. */
  endReason(sid: string): Promise<{ reason: EndReason; endedAt: Date } | null>;
  /** Creates a never-stored session's row (or updates the row this very session wrote before). */
  insert(sid: string, data: string, expires: Date): Promise<void>;
  /**
   * Update-only write; false when the row is gone or already past its expiry (a late write must not move a
   * deadline that passed). With `seen`, also moves the link's last-seen time.
   */
  update(sid: string, data: string | null, expires: Date, seen: boolean): Promise<boolean>;
  /** Ends a signed-in session found past its expiry by a timeout, noting why; returns its user, or null if it was not. */
  endTimedOut(sid: string, reason: TimeoutReason): Promise<string | null>;
  destroy(sid: string): Promise<void>;

  /** Live sessions of the user other than `exceptSid`. */
  countLive(userId: string, exceptSid: string): Promise<number>;
  /**
   * Locks the user, writes and links the session, remembers the device, applies the limit: one transaction. Returns
   * what it ended and whether the device was known.
   */
  login(write: LoginWrite): Promise<LoginResult>;
  /** Ends `sid` and, with `endOthers`, every other session of `userId`: one transaction. */
  logout(sid: string, userId: string | null, endOthers: boolean): Promise<EndedCounts>;
  /**
   * Ends every session of the users (canonical ids) but `exceptSid`: one statement. Within the host's `transaction`
   * when one is given (a user deleted in it), else in its own.
   */
  endUsers(userIds: readonly string[], ending: Ending, transaction?: Transaction | null): Promise<EndedCounts>;
  /** Ends the sessions with these public handles (canonical) but `exceptSid`: one statement. */
  endHandles(handles: readonly string[], ending: Ending): Promise<EndedCounts>;
  /**
   * A password change: under the user's lock, ends every other session of the user (`credentials`, audited) and
   * moves the session from `oldSid` to `sid` with its link (handle, sign-in time, device) — one transaction.
   * Throws SessionInterruptedError (and changes nothing) when `oldSid` is no longer the user's live session.
   */
  rekey(write: Rekey): Promise<EndedCounts>;
  /**
   * A session that claims `userId` but has no link: when that user no longer exists (deleted by raw SQL, the links
   * went with it), ends the session with an `account` note and audit row and returns true; otherwise false.
   */
  endOrphan(sid: string, userId: string): Promise<boolean>;

  listUserSessions(userId: string): Promise<SessionInfo[]>;
  handleOf(sid: string): Promise<string | null>;

  /**
   * Deletes expired sessions (noting the timeouts' reasons), old notes and audit events past their retention; null
   * when another process is purging.
   */
  purgeExpired(): Promise<PurgedCounts | null>;

  // ── cut-over of the sessions from before the install ──
  /** Up to `limit` live sessions without a link, by sid after `after`. */
  unlinkedSessions(after: string, limit: number): Promise<UnlinkedSession[]>;
  /**
   * Links each claimed session to its user (only if its data is unchanged, it is still unlinked and the user exists),
   * with `end` ends the linked ones at once (counted, noted `revoked`), and ends the unchanged ones whose user does
   * not exist: one transaction.
   */
  adopt(claims: readonly SessionClaim[], end: boolean): Promise<Adopted>;

  // ── statistics (read-only; see the section of that name below) ──
  /** Per user (canonical ids), their live sessions other than `exceptSid`; users without one are absent. One statement. */
  countLiveByUser(userIds: readonly string[], exceptSid: string | null): Promise<Map<string, number>>;
  /** The live sessions now (exact counts; the shares over a sample when there are more than `exactUpTo` links). */
  liveSummary(top: number, exactUpTo: number): Promise<LiveSummary>;
  /**
   * The audit rows of the last `hours` hours (the current one included) from `from` on (null: all of them), per hour
   * and kind; `since` is the first hour's start.
   */
  auditPerHour(hours: number, from: Date | null): Promise<AuditHours>;
  // ── the Sessions page at scale ───────────────────────────────────────────────────────────────────────────────
  /**
   * How many live sessions the view's model finds with `where` (the condition AdminJS's list sends): counted up to
   * `exactUpTo`, and past it the database's estimate, never below `exactUpTo + 1` (no count of every row per page).
   * Where the dialect's estimate comes from per-column statistics (PostgreSQL) and puts the answer at
   * `ESTIMATE_TRUSTED_FROM` times `exactUpTo` or more, nothing is counted: the estimate is the answer.
   */
  countActiveSessions(view: ActiveSessionModel, where: WhereOptions | undefined, exactUpTo: number): Promise<SessionCount>;

  // ── live sign-out ──────────────────────────────────────────────────────────────────────────────────────────
  /** Of these sessions, the ones no longer served (ended, or past their expiry). One statement per 1,000 sids. */
  notLive(sids: readonly string[]): Promise<NotLive[]>;
  /**
   * Opens the process's one listening connection: every ending's transaction notifies the users it touched, and
   * `handlers.ended` hears it once the transaction commits. Null where the dialect has no notifications (MariaDB:
   * the live sign-out polls `notLive`). Throws SingleSessionConfigError when it cannot connect or hears nothing.
   */
  listenForEndings(settings: ListenSettings, handlers: EndingsHandlers): Promise<EndingsListener | null>;

  // ── the user as the database has it now ──────────────────────────────────────────────────────────────────────
  /** The user row of this primary key through the host's model (one indexed read), or null when it is gone. */
  findUser<M extends Model>(userModel: ModelStatic<M>, userId: string): Promise<M | null>;
}

/** A count of the Sessions page: exact, or past the exact limit an estimate. */
export interface SessionCount {
  /** The sessions found: exact, or (with `estimated`) the database's estimate, never below the exact limit + 1. */
  total: number;
  /** True when there were more than the exact limit and `total` is an estimate. */
  estimated: boolean;
}

/**
 * From how many times the exact-count limit a statistics-based estimate is answered without counting. Counting up
 * to the limit costs a join per counted row (1,001 index lookups of `Sessions` for a browser a quarter of a million
 * sessions use: the slowest Sessions page at 1M, about 35 ms); an estimate ten times the limit would only be
 * confirmed. Ten times leaves room for PostgreSQL's guesses where it has no statistics (half a percent of the rows).
 */
const ESTIMATE_TRUSTED_FROM = 10;

const NONE: EndedCounts = new Map();
/** How many times a transaction chosen as a deadlock's victim is run again. */
const DEADLOCK_RETRIES = 8;

export const totalOf = (counts: EndedCounts) => [...counts.values()].reduce((a, b) => a + b, 0);

/**
 * The steps of every write, in the order and the transactions that make the guarantees above hold. A dialect
 * subclass supplies the statements (each takes the transaction it must run in).
 */
export abstract class SqlRegistry implements SessionRegistry {
  protected constructor(
    protected readonly sequelize: Sequelize, readonly keyKind: UserKeyKind, protected readonly settings: RegistrySettings,
  ) {}

  abstract load(sid: string): Promise<LoadedSession | null>;
  abstract endReason(sid: string): Promise<{ reason: EndReason; endedAt: Date } | null>;
  abstract listUserSessions(userId: string): Promise<SessionInfo[]>;
  abstract handleOf(sid: string): Promise<string | null>;

  // ── the dialect's statements ───────────────────────────────────────────────────────────────────────────────
  /** Serializes every login and logout of the user until the transaction ends. */
  protected abstract lockUser(userId: string, transaction: Transaction): Promise<void>;
  protected abstract countLiveIn(userId: string, exceptSid: string, transaction?: Transaction): Promise<number>;
  protected abstract insertRow(sid: string, data: string, expires: Date, transaction?: Transaction): Promise<void>;
  protected abstract updateRow(sid: string, data: string | null, expires: Date, seen: boolean, transaction?: Transaction): Promise<boolean>;
  protected abstract deleteRow(sid: string, transaction?: Transaction): Promise<void>;
  /** Deletes a session with a note of why (for whoever still presents its cookie); true when there was one. */
  protected abstract deleteNoted(sid: string, userId: string, reason: EndReason, transaction: Transaction): Promise<boolean>;
  /** Points the user's link of `oldSid` at `sid` (a row already written); false when there is no such link. */
  protected abstract moveLink(oldSid: string, sid: string, userId: string, transaction: Transaction): Promise<boolean>;
  /** Deletes the session if it is linked and past its expiry, with a note of `reason`; returns its user. */
  protected abstract deleteTimedOut(sid: string, reason: TimeoutReason, transaction: Transaction): Promise<string | null>;
  protected abstract link(sid: string, userId: string, metadata: LoginMetadata, transaction: Transaction): Promise<void>;
  /**
   * Ends the user's sessions other than `sid` except the `keep` best by `rankBy` (most recent first); expired ones
   * go first and without a note. Returns how many live sessions ended.
   */
  protected abstract endAllButBest(
    userId: string, sid: string, keep: number, rankBy: LoginWrite['rankBy'], transaction: Transaction,
  ): Promise<number>;
  protected abstract endUsersIn(userIds: readonly string[], reason: EndReason, exceptSid: string | null, transaction: Transaction): Promise<EndedCounts>;
  protected abstract endHandlesIn(handles: readonly string[], reason: EndReason, exceptSid: string | null, transaction: Transaction): Promise<EndedCounts>;
  /**
   * Deletes up to `batch` expired sessions, noting why for the signed-in ones a timeout ended (`idle`, `lifetime`);
   * returns each one's user and that reason (null: its cookie's expiry). Null when another process holds the purge lock.
   */
  protected abstract purgeBatch(batch: number, transaction: Transaction): Promise<Array<{ userId: string | null; reason: TimeoutReason | null }> | null>;
  protected abstract forgetOldNotes(): Promise<void>;
  /** Deletes up to `batch` audit events older than `auditRetentionMs`; returns how many. */
  protected abstract forgetOldAudit(batch: number): Promise<number>;
  protected abstract insertAudit(
    event: { reason: AuditKind; actorId: string | null; userIds: string[]; sessionCount: number }, transaction?: Transaction,
  ): Promise<void>;

  // ── cut-over ──────────────────────────────────────────────────────────────────────────────────────────────
  abstract unlinkedSessions(after: string, limit: number): Promise<UnlinkedSession[]>;
  /** Inserts the links of the claims that still hold (unchanged data, unlinked, the user exists); returns sid and handle of each. */
  protected abstract linkClaims(claims: readonly SessionClaim[], transaction: Transaction): Promise<Array<{ sid: string; id: string }>>;
  /** Deletes the claimed sessions whose data is unchanged, noting `revoked`; returns how many. */
  protected abstract deleteClaimed(claims: readonly SessionClaim[], transaction: Transaction): Promise<number>;

  adopt(claims: readonly SessionClaim[], end: boolean): Promise<Adopted> {
    if (claims.length === 0) return Promise.resolve({ linked: 0, ended: NONE, orphans: 0 });
    return this.transaction(async (transaction) => {
      const valid = claims.filter((c) => c.userId !== null);
      const links = valid.length > 0 ? await this.linkClaims(valid, transaction) : [];
      // Ending through the links, like any ending: the same notes, counts per user and audit row.
      const ended = end && links.length > 0 ? await this.endHandlesIn(links.map((l) => l.id), 'revoked', null, transaction) : NONE;
      await this.afterEnding('revoked', null, ended, transaction);
      // Signed in as nobody who exists: no policy can reach them, so they end (a changed one is left for the next run).
      const linked = new Set(links.map((l) => l.sid));
      const unlinked = claims.filter((c) => !linked.has(c.sid));
      const orphans = unlinked.length > 0 ? await this.deleteClaimed(unlinked, transaction) : 0;
      return { linked: links.length, ended, orphans };
    });
  }

  // ── known devices (the `sessions:created` event) ───────────────────────────────────────────────────────────
  /** Records that the user signed in from this device now (first and last seen); true when it was recorded before. */
  protected abstract rememberDevice(userId: string, device: DeviceIdentity, transaction: Transaction): Promise<boolean>;

  /**
   * Runs `work` in one transaction, and again (a few times at most) when the database chose it as a deadlock's
   * victim: a login and an administrator's ending lock one user's rows in different orders, and the database
   * breaks the cycle by rolling one transaction back whole — it left nothing behind, so it can simply run again.
   */
  protected async transaction<T>(work: (transaction: Transaction) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.sequelize.transaction(this.transactionOptions, work);
      } catch (error) {
        if (attempt > DEADLOCK_RETRIES || !this.isDeadlock(error)) throw error;
        log.database('deadlock victim (attempt %d): running the transaction again', attempt);
        // A random pause that doubles each time (5 ms, 10 ms, … about 1.3 s in all): the database picks the smaller
        // transaction as the victim — a login, against a bulk ending that may run for a second — so the login waits
        // for the ending to finish rather than meeting it again at once.
        await new Promise((resolve) => setTimeout(resolve, 5 * 2 ** (attempt - 1) * (0.5 + Math.random())));
      }
    }
  }

  /** How the dialect's transactions run (the isolation level, where the server's default does not fit). */
  protected readonly transactionOptions: TransactionOptions = {};

  /** Whether `error` says the database rolled the transaction back to break a deadlock. */
  protected abstract isDeadlock(error: unknown): boolean;

  // ── the store's reads and writes ───────────────────────────────────────────────────────────────────────────
  insert(sid: string, data: string, expires: Date): Promise<void> {
    return this.insertRow(sid, data, expires);
  }

  update(sid: string, data: string | null, expires: Date, seen: boolean): Promise<boolean> {
    return this.updateRow(sid, data, expires, seen);
  }

  destroy(sid: string): Promise<void> {
    return this.deleteRow(sid);
  }

  endTimedOut(sid: string, reason: TimeoutReason): Promise<string | null> {
    return this.transaction(async (transaction) => {
      const userId = await this.deleteTimedOut(sid, reason, transaction);
      if (userId !== null) await this.afterEnding(reason, null, new Map([[userId, 1]]), transaction);
      return userId;
    });
  }

  countLive(userId: string, exceptSid: string): Promise<number> {
    return this.countLiveIn(userId, exceptSid);
  }

  // ── logins, logouts and endings ────────────────────────────────────────────────────────────────────────────
  login(write: LoginWrite): Promise<LoginResult> {
    const { sid, userId, limit } = write;
    return this.transaction(async (transaction) => {
      await this.lockUser(userId, transaction);
      // Under the lock: the count is exact, no concurrent login of this user can slip in before our link.
      if (write.deny && Number.isFinite(limit)) {
        const active = await this.countLiveIn(userId, sid, transaction);
        if (active >= limit) throw new LoginDeniedError(limit, active);
      }
      // The surplus sessions end first, before this session is linked: the login then locks the user's old rows
      // before it writes anything an administrator's ending of the same user would wait for, which leaves that
      // ending and this login one order to take their locks in (fewer deadlocks; the outcome is the same, since
      // the ending spares `sid` and everything commits together).
      const count = Number.isFinite(limit) ? await this.endAllButBest(userId, sid, limit - 1, write.rankBy, transaction) : 0;
      if (write.stored) {
        // Gone: a logout or an administrator ended this session while the login ran. It stays ended.
        if (!(await this.updateRow(sid, write.data, write.expires, false, transaction))) throw new SessionInterruptedError();
      } else {
        await this.insertRow(sid, write.data, write.expires, transaction);
      }
      await this.link(sid, userId, write.metadata, transaction);
      await this.auditSignIn(userId, transaction); // statistics: the dashboard's sign-ins per hour
      // Under the user's lock: two first logins from one new device cannot both be told "new".
      const knownDevice = write.device ? await this.rememberDevice(userId, write.device, transaction) : null;
      const ended: EndedCounts = count > 0 ? new Map([[userId, count]]) : NONE;
      await this.afterEnding(write.auditReason, userId, ended, transaction);
      return { ended, knownDevice };
    });
  }

  logout(sid: string, userId: string | null, endOthers: boolean): Promise<EndedCounts> {
    return this.transaction(async (transaction) => {
      const others = userId !== null && endOthers ? await this.endUsersIn([userId], 'logout', sid, transaction) : NONE;
      await this.deleteRow(sid, transaction);
      if (userId === null) return NONE;
      const ended: EndedCounts = new Map([[userId, (others.get(userId) ?? 0) + 1]]);
      await this.afterEnding('logout', userId, ended, transaction);
      return ended;
    });
  }

  endUsers(userIds: readonly string[], ending: Ending, within?: Transaction | null): Promise<EndedCounts> {
    return this.endAndAudit(ending, (transaction) => this.endUsersIn(userIds, ending.reason, ending.exceptSid, transaction), within);
  }

  endHandles(handles: readonly string[], ending: Ending): Promise<EndedCounts> {
    return this.endAndAudit(ending, (transaction) => this.endHandlesIn(handles, ending.reason, ending.exceptSid, transaction));
  }

  rekey({ oldSid, sid, data, expires, userId }: Rekey): Promise<EndedCounts> {
    return this.transaction(async (transaction) => {
      // The lock first, as a login takes it: a login of this user on another device waits, then counts what we left.
      await this.lockUser(userId, transaction);
      const ended = await this.endUsersIn([userId], 'credentials', oldSid, transaction);
      await this.insertRow(sid, data, expires, transaction);
      // Ended meanwhile (by an administrator, a timeout): the rollback undoes the other endings too, and it stays ended.
      if (!(await this.moveLink(oldSid, sid, userId, transaction))) throw new SessionInterruptedError();
      await this.deleteNoted(oldSid, userId, 'credentials', transaction);
      await this.afterEnding('credentials', userId, ended, transaction);
      return ended;
    });
  }

  async endOrphan(sid: string, userId: string): Promise<boolean> {
    const users = this.settings.userModel;
    if (!users) return false;
    return this.transaction(async (transaction) => {
      if (await users.count({ where: { [users.primaryKeyAttribute]: userId }, transaction }) > 0) return false;
      if (!(await this.deleteNoted(sid, userId, 'account', transaction))) return false;
      await this.afterEnding('account', null, new Map([[userId, 1]]), transaction);
      return true;
    });
  }

  private endAndAudit(
    ending: Ending, end: (transaction: Transaction) => Promise<EndedCounts>, within?: Transaction | null,
  ): Promise<EndedCounts> {
    const work = async (transaction: Transaction) => {
      const ended = await end(transaction);
      await this.afterEnding(ending.reason, ending.actorId, ended, transaction);
      return ended;
    };
    // The host's transaction is the host's to run again: no retry of ours inside it.
    return within ? work(within) : this.transaction(work);
  }

  /**
   * Deletes expired sessions in batches (no statement holds many locks for long) and forgets old notes. Only one
   * process purges at a time: the others find the purge lock taken and return null at once.
   */
  async purgeExpired(batch = 5000): Promise<PurgedCounts | null> {
    const purged: PurgedCounts = new Map();
    for (let round = 0; ; round++) {
      const rows = await this.transaction(async (transaction) => {
        const batchRows = await this.purgeBatch(batch, transaction);
        // The audit rows of a purge are written after it; the live sign-out must hear each batch as it commits.
        const users = [...new Set((batchRows ?? []).flatMap((r) => (r.userId === null ? [] : [r.userId])))];
        if (users.length > 0 && this.notifying) await this.notifyEnded(users, transaction);
        return batchRows;
      });
      if (rows === null) {
        if (round === 0) return null;
        break;
      }
      for (const { userId, reason } of rows) {
        if (userId === null) continue;
        const counts = purged.get(reason ?? 'expired') ?? new Map<string, number>();
        counts.set(userId, (counts.get(userId) ?? 0) + 1);
        purged.set(reason ?? 'expired', counts);
      }
      if (rows.length < batch) break;
    }
    await this.forgetOldNotes();
    if (this.settings.auditRetentionMs !== false) {
      // In batches, like the sessions: a first purge of a long-kept trail holds no lock for long.
      while ((await this.forgetOldAudit(batch)) === batch) continue;
    }
    for (const [reason, ended] of purged) await this.audit(reason, null, ended);
    return purged;
  }

  async findUser<M extends Model>(userModel: ModelStatic<M>, userId: string): Promise<M | null> {
    // The model's own read (its getters, its column types on each dialect), never cached: the point is "now".
    return userModel.findByPk(userId);
  }

  // ── the Sessions page at scale ───────────────────────────────────────────────────────────────────────────────
  // The view's model writes the SELECT (the same conversion of `where` as the list's own query, in any dialect);
  // the dialect supplies only the estimate.

  async countActiveSessions(view: ActiveSessionModel, where: WhereOptions | undefined, exactUpTo: number): Promise<SessionCount> {
    const options = { attributes: [[literal('1'), 'one']], where: where ?? {}, model: view };
    // The model's guard (impossible ids match nothing) runs as it does for AdminJS's own queries.
    await (view as unknown as { runHooks(name: string, options: object): Promise<void> }).runHooks('beforeCount', options);
    const generator = this.sequelize.getQueryInterface().queryGenerator as {
      selectQuery(table: ReturnType<ActiveSessionModel['getTableName']>, options: object, model: ActiveSessionModel): string;
    };
    const select = (limit?: number) => generator.selectQuery(view.getTableName(), { ...options, limit }, view).replace(/;\s*$/, '');
    let estimate: number | null | undefined;
    if (this.estimatesFromStatistics) {
      estimate = await this.estimateRows(select());
      if (estimate !== null && estimate >= ESTIMATE_TRUSTED_FROM * Math.max(1, exactUpTo)) return { total: Math.round(estimate), estimated: true };
    }
    const [row] = await this.selectGenerated<{ n: number | string }>(`SELECT count(*) AS n FROM (${select(exactUpTo + 1)}) AS bounded`);
    const counted = Number(row!.n);
    if (counted <= exactUpTo) return { total: counted, estimated: false };
    estimate ??= await this.estimateRows(select());
    return { total: Math.max(exactUpTo + 1, Math.round(estimate ?? 0)), estimated: true };
  }

  /**
   * Whether `estimateRows` comes from per-column statistics, close enough to skip counting what it puts far past
   * the limit (PostgreSQL's planner); MariaDB's `filtered` for a `LIKE '%…%'` is a guess, so it always counts first.
   */
  protected readonly estimatesFromStatistics: boolean = false;

  /**
   * Runs a SELECT that Sequelize's query generator wrote, with the filter's values inlined and escaped — text a user
   * typed. It must go with neither `bind` nor `replacements`: given either, Sequelize looks for `$name` / `:name` in
   * the whole text, string literals included, and a filter of `$x` became a missing bind parameter (a 500).
   */
  protected selectGenerated<T extends object>(sql: string): Promise<T[]> {
    return this.sequelize.query<T>(sql, { type: QueryTypes.SELECT });
  }

  /** The planner's estimate of the rows `select` (a `selectGenerated` text) returns, without running it; null where the dialect has none. */
  protected async estimateRows(_select: string): Promise<number | null> {
    return null;
  }

  /**
   * In an ending's transaction: the audit row (with `audit: true`) and the notification of the users it touched
   * (the live sign-out: PostgreSQL delivers it when the transaction commits, and not at all if it rolls back).
   */
  private async afterEnding(reason: AuditReason, actorId: string | null, ended: EndedCounts, transaction: Transaction): Promise<void> {
    await this.audit(reason, actorId, ended, transaction);
    if (ended.size > 0 && this.notifying) await this.notifyEnded([...ended.keys()], transaction);
  }

  /** Does someone listen for endings (the live sign-out, listening)? */
  private get notifying(): boolean {
    return this.settings.live !== false && this.settings.live.listen;
  }

  /** Tells the listeners of other processes (and this one) which users' sessions ended; a no-op where nobody listens. */
  protected async notifyEnded(_userIds: readonly string[], _transaction: Transaction): Promise<void> {}

  abstract notLive(sids: readonly string[]): Promise<NotLive[]>;

  /** No notifications by default: the live sign-out polls. */
  async listenForEndings(_settings: ListenSettings, _handlers: EndingsHandlers): Promise<EndingsListener | null> {
    return null;
  }

  /** With `audit: true`, records an ending (inside the ending's transaction when there is one). */
  private async audit(reason: AuditReason, actorId: string | null, ended: EndedCounts, transaction?: Transaction): Promise<void> {
    if (!this.settings.audit || ended.size === 0) return;
    await this.insertAudit({ reason, actorId, userIds: [...ended.keys()], sessionCount: totalOf(ended) }, transaction);
  }

  // ── statistics (the AdminJS dashboard, the confirmations' counts) ──────────────────────────────────────────────
  // Read-only statements of the dialect, and the one row they need written: a sign-in's, with `audit: true`.

  abstract countLiveByUser(userIds: readonly string[], exceptSid: string | null): Promise<Map<string, number>>;
  /** The counts and the shares, in parallel: each dialect supplies the two statements. */
  async liveSummary(top: number, exactUpTo: number): Promise<LiveSummary> {
    const [counts, shares] = await Promise.all([this.liveCounts(), this.liveShares(top, exactUpTo)]);
    return { ...counts, ...shares };
  }

  /** Live sessions and users with one, exactly. */
  protected abstract liveCounts(): Promise<Pick<LiveSummary, 'sessions' | 'users'>>;
  /** The most common browsers, devices and systems among the live sessions (over a sample past `exactUpTo` links). */
  protected abstract liveShares(top: number, exactUpTo: number): Promise<Pick<LiveSummary, 'top' | 'basis'>>;
  abstract auditPerHour(hours: number, from: Date | null): Promise<AuditHours>;

  /** With `audit: true`, a sign-in's row, in the login's transaction (the dashboard counts sign-ins per hour from it). */
  private async auditSignIn(userId: string, transaction: Transaction): Promise<void> {
    if (!this.settings.audit) return;
    await this.insertAudit({ reason: 'login', actorId: userId, userIds: [userId], sessionCount: 1 }, transaction);
  }
}
