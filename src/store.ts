/**
 * The express-session store. It differs from connect-session-sequelize in three ways, each a security property:
 *
 * 1. No resurrection. connect-session-sequelize's set() is find-or-create, so a request that loaded a session
 *    before an administrator deleted it writes the row back when it ends, and the cookie is logged in again.
 *    Here a session that came from the database (or that this process already inserted) is only ever UPDATEd,
 *    like Django's `UpdateError`; a row that is gone stays gone. Only a brand-new session is INSERTed.
 * 2. A session that claims a user (it carries USER_KEY, written by the login hook) but has no UserSessions link
 *    is not served: the link is the proof the login went through the policy and was not ended since. When the
 *    user itself is gone (deleted by raw SQL: the foreign key took the links), the session ends as `account`.
 * 3. A request that presents an ended session learns why (`replaced`, `revoked`, `logout`, `credentials`,
 *    `account`, `idle`, `lifetime`) through getEndReason(req).
 * 4. The timeouts (timeouts.ts) hold on the server: every write of a signed-in session sets its expiry to the
 *    earliest deadline, a session found past it is ended (with its reason) instead of served, and a write that comes
 *    after the deadline changes nothing.
 *
 * It also writes less than connect-session-sequelize: `touch` (express-session calls it on every unmodified
 * request) only writes when the last write is older than the write interval (`lastSeenIntervalMs`, or a tenth of the
 * idle timeout when that is shorter), and then moves the link's last-seen time in the same statement.
 */
import session from 'express-session';
import type { Request } from 'express';
import { promisify } from 'node:util';
import { SessionInterruptedError } from './errors.js';
import type { EndedCounts, EndReason, LoginResult, LoginWrite, SessionRegistry, TimeoutReason } from './registry/index.js';
import { expiryOf, timeoutReason, type Timeouts, writeIntervalMs } from './timeouts.js';

/** Where the login hook records, inside the session data, which user the session claims. */
export const USER_KEY = 'singleSessionUserId';
/** Where a fresh session carries why the previous one ended (set on the request that presents the ended one). */
export const END_KEY = 'singleSessionEnded';

export interface EndNote {
  reason: EndReason;
  at: number;
}

declare module 'express-session' {
  interface SessionData {
    [USER_KEY]?: string;
    [END_KEY]?: EndNote;
  }
}

type SessionObject = session.Session & Partial<session.SessionData>;

/** What `get` learned about a row, handed on to `createSession` (symbol keys are neither copied nor saved). */
const LOADED = Symbol('adminjs-single-session.loaded');
interface RowClock {
  /** When the row's expiry was last written (ms). */
  touchedAt: number;
  /** When the link's last-seen time was last written (ms); 0 when not linked. */
  seenAt: number;
  linked: boolean;
  /** When the linked user signed in (ms): the absolute timeout counts from it. Null when not linked. */
  signedInAt: number | null;
  /** The data as this process last wrote it, if it did: an unchanged save is then only a touch. */
  written?: string;
}

export interface StoreSettings extends Timeouts {
  sessionTtlMs: number;
  lastSeenIntervalMs: number;
  endReasonTtlMs: number;
}

/** What the store tells the engine: a request found its session past a timeout, or its user deleted, and ended it. */
export type EndedOnRequest = (reason: Extract<EndReason, 'idle' | 'lifetime' | 'account'>, userId: string) => void;

/** express-session's callback. */
export type Callback<T = void> = (err?: any, result?: T) => void;
/** express-session's `generate`: gives `req` a fresh session. */
export type Generate = (req: Request) => void;

/**
 * The express-session store (`singleSession.store`): update-only for stored sessions, served only while linked and
 * live, telling an ended session's next request why. Give it to every express-session of the app (or use
 * `singleSession.sessionMiddleware`).
 */
export class SingleSessionStore extends session.Store {
  /** Session objects whose row exists (or existed) in the database: they are updated, never inserted. */
  private readonly persisted = new WeakMap<object, RowClock>();
  /** Sessions of requests that are not activity (the live sign-out's streams): never touched, never saved. */
  private readonly notActivity = new WeakSet<object>();
  /** End reasons found by `get` for a sid, picked up by `generate` for the same request. */
  private readonly pendingEndNotes = new Map<string, EndNote>();
  private generateSession?: Generate;
  /** How long a row may go unwritten (touch, last-seen): the idle timeout's precision. */
  private readonly writeIntervalMs: number;

  /** @internal the engine creates the store: `singleSession.store` */
  constructor(private readonly registry: SessionRegistry, private readonly settings: StoreSettings, private readonly endedOnRequest: EndedOnRequest) {
    super();
    this.writeIntervalMs = writeIntervalMs(settings.lastSeenIntervalMs, settings);
  }

  /**
   * express-session assigns `store.generate` when it is set up. We wrap it: when the cookie's session was not
   * found because it was ended, the fresh session gets a note of why. The note is set before express-session
   * hashes the new session, so it alone does not make the session "modified": nothing is saved, no new cookie
   * is sent, and every request with the old cookie is told again, until the note's time is up or the user
   * logs in again.
   */
  get generate(): Generate {
    return (req: Request) => {
      const note = this.pendingEndNotes.get(req.sessionID);
      if (note) this.pendingEndNotes.delete(req.sessionID);
      this.generateSession!(req);
      if (note) (req.session as SessionObject)[END_KEY] = note;
    };
  }
  /**
   * Every express-session built with this store assigns it, and the last one would decide the cookie (Secure,
   * maxAge…) of every new and regenerated session — @adminjs/express builds its own, after the app's, with
   * whatever session options it was given. The first one (the app-wide middleware, built first) keeps it.
   */
  set generate(fn: Generate) {
    this.generateSession ??= fn;
  }

  override get(sid: string, callback: Callback<session.SessionData | null>): void {
    this.read(sid).then((data) => callback(null, data), callback);
  }

  private async read(sid: string): Promise<session.SessionData | null> {
    const row = await this.registry.load(sid);
    if (!row) {
      const ended = await this.registry.endReason(sid);
      if (ended) this.rememberEndNote(sid, { reason: ended.reason, at: new Date(ended.endedAt).getTime() });
      return null;
    }
    const now = Date.now();
    if (row.expires && new Date(row.expires).getTime() <= now) {
      await this.endIfTimedOut(sid, row.signedInAt, row.updatedAt, now);
      return null;
    }
    const data = JSON.parse(row.data) as session.SessionData & { [LOADED]?: RowClock };
    const claimed = data[USER_KEY];
    // Claims a user but the link is missing or names someone else: the login was ended or never went through us.
    if (claimed != null && String(claimed) !== row.userId) {
      if (row.userId === null) await this.endIfUserGone(sid, String(claimed), now);
      return null;
    }
    // Linked without a claim: a session from before the install, adopted by the cut-over. It is signed in as its link's user.
    if (claimed == null && row.userId !== null) data[USER_KEY] = row.userId;
    data[LOADED] = {
      touchedAt: new Date(row.updatedAt).getTime(),
      seenAt: row.lastSeenAt ? new Date(row.lastSeenAt).getTime() : 0,
      linked: row.userId !== null,
      signedInAt: row.signedInAt ? new Date(row.signedInAt).getTime() : null,
    };
    return data;
  }

  /**
   * A signed-in session past its expiry because of a timeout is ended now, with its reason noted (this request and
   * the next ones with the same cookie are told why); one past its cookie's expiry is only not served.
   */
  private async endIfTimedOut(sid: string, signedInAt: Date | null, lastWrite: Date, now: number): Promise<TimeoutReason | null> {
    if (signedInAt === null) return null;
    const reason = timeoutReason(now, new Date(signedInAt).getTime(), new Date(lastWrite).getTime(), this.settings);
    if (reason === null) return null;
    const userId = await this.registry.endTimedOut(sid, reason);
    this.rememberEndNote(sid, { reason, at: now });
    if (userId !== null) this.endedOnRequest(reason, userId);
    return reason;
  }

  /**
   * @internal The live sign-out found `sid` past its expiry: ends it as its next request would (noting the
   * timeout's reason, which the ending's notification carries to every process). Returns that reason; null when
   * the row is gone or its cookie's expiry (not a timeout) passed.
   */
  async endIfExpired(sid: string): Promise<TimeoutReason | null> {
    const row = await this.registry.load(sid);
    const now = Date.now();
    if (!row?.expires || new Date(row.expires).getTime() > now) return null;
    return this.endIfTimedOut(sid, row.signedInAt, row.updatedAt, now);
  }

  /**
   * @internal This request's session is not touched or saved when it ends (a live sign-out stream: an open tab is
   * not activity, and must not keep an idle session alive).
   */
  notActivityOf(sess: object): void {
    this.notActivity.add(sess);
  }

  /** A session whose user was deleted behind the engine's back (raw SQL) ends now, as `account`, audited. */
  private async endIfUserGone(sid: string, userId: string, now: number): Promise<void> {
    if (!(await this.registry.endOrphan(sid, userId))) return;
    this.rememberEndNote(sid, { reason: 'account', at: now });
    this.endedOnRequest('account', userId);
  }

  private rememberEndNote(sid: string, note: EndNote): void {
    // Bounded: an entry is normally taken by `generate` within the same request.
    if (this.pendingEndNotes.size >= 1000) this.pendingEndNotes.delete(this.pendingEndNotes.keys().next().value!);
    this.pendingEndNotes.set(sid, note);
  }

  /** express-session builds the request's session object here: we remember that its row exists (update-only). */
  override createSession(req: Request, data: session.SessionData): session.Session & session.SessionData {
    const clock = (data as { [LOADED]?: RowClock })[LOADED];
    const created = super.createSession(req, data);
    this.persisted.set(created, clock ?? { touchedAt: Date.now(), seenAt: 0, linked: false, signedInAt: null });
    return created;
  }

  set(sid: string, sess: session.SessionData, callback?: Callback): void {
    if (this.notActivity.has(sess)) return void callback?.();
    this.save(sid, sess).then(() => callback?.(), (err) => callback?.(err));
  }

  /**
   * express-session calls touch on every request that did not change the session, to push the expiry forward.
   * We write only when the last write is older than lastSeenIntervalMs: the expiry then lags by at most that,
   * far less than a session's lifetime, and a busy session costs one SELECT per request instead of two queries.
   */
  override touch(sid: string, sess: session.SessionData, callback?: Callback): void {
    const clock = this.persisted.get(sess);
    if ((clock && this.recentlyWritten(clock)) || this.notActivity.has(sess)) {
      callback?.();
      return;
    }
    this.write(sid, null, sess, clock).then(() => callback?.(), (err) => callback?.(err));
  }

  destroy(sid: string, callback?: Callback): void {
    this.registry.destroy(sid).then(() => callback?.(), (err) => callback?.(err));
  }

  /**
   * Writes a session. Returns false when the session had been written before and its row is gone: it was ended
   * meanwhile, and it stays ended. (No error: express-session saves when the response ends, where an error would
   * only reach the error handler.)
   */
  private async save(sid: string, sess: session.SessionData): Promise<boolean> {
    const clock = this.persisted.get(sess);
    const data = JSON.stringify(sess);
    if (clock) {
      // express-session saves again what the login just wrote (the id changed, so it counts as modified).
      if (clock.written === data && this.recentlyWritten(clock)) return true;
      return this.write(sid, data, sess, clock);
    }
    await this.registry.insert(sid, data, this.expiresOf(sess));
    this.persisted.set(sess, { touchedAt: Date.now(), seenAt: 0, linked: false, signedInAt: null, written: data });
    return true;
  }

  // ── the engine's login (not part of the express-session contract) ──────────────────────────────────────────

  /**
   * @internal Gives the request a fresh session under a new id (no fixation): a stored session is regenerated
   * (its row deleted), a never-stored one only replaced — it has no row to delete.
   */
  async renew(req: Request): Promise<void> {
    const current = req.session!;
    if (this.persisted.has(current)) await promisify(current.regenerate.bind(current))();
    else this.generate(req);
  }

  /**
   * @internal Writes the logged-in session and its link, and applies the policy, in one registry call (one
   * transaction). Returns the sessions it ended and whether the device was known; throws what the registry throws
   * (a refused or interrupted login).
   */
  async saveLogin(sid: string, sess: session.SessionData, login: Omit<LoginWrite, 'sid' | 'data' | 'expires' | 'stored'>): Promise<LoginResult> {
    const stored = this.persisted.has(sess);
    const data = JSON.stringify(sess);
    const now = Date.now();
    const clock: RowClock = { touchedAt: now, seenAt: now, linked: true, signedInAt: now, written: data };
    const result = await this.registry.login({ ...login, sid, data, expires: this.expiresOf(sess, clock), stored });
    this.persisted.set(sess, clock);
    return result;
  }

  /**
   * @internal A password change: the request's signed-in session moves to a new sid with everything it holds (its
   * data, its link: handle, sign-in time, device), the old sid ends (`credentials`), and so do the user's other
   * sessions — one registry call. A session that ended meanwhile throws SessionInterruptedError and the request is
   * left with an empty, anonymous session.
   */
  async rekey(req: Request, userId: string): Promise<EndedCounts> {
    const old = req.session as SessionObject;
    const oldSid = req.sessionID;
    const clock = this.persisted.get(old);
    if (!clock?.linked) throw new SessionInterruptedError();
    this.generate(req);
    const fresh = req.session as SessionObject & Record<string, unknown>;
    const carried = Object.keys(old).filter((key) => key !== 'cookie');
    for (const key of carried) fresh[key] = (old as unknown as Record<string, unknown>)[key];
    const data = JSON.stringify(fresh);
    const moved: RowClock = { ...clock, touchedAt: Date.now(), written: data };
    try {
      const ended = await this.registry.rekey({ oldSid, sid: req.sessionID, data, expires: this.expiresOf(fresh, moved), userId });
      this.persisted.set(fresh, moved);
      return ended;
    } catch (err) {
      for (const key of carried) delete fresh[key];
      throw err;
    }
  }

  /** The row was written less than the write interval ago: a touch (or an unchanged save) may be skipped. */
  private recentlyWritten(clock: RowClock): boolean {
    return Date.now() - clock.touchedAt < this.writeIntervalMs;
  }

  /** Update-only write; moves last-seen too when the session is linked and last-seen is due. */
  private async write(sid: string, data: string | null, sess: session.SessionData, clock?: RowClock) {
    const now = Date.now();
    const seen = Boolean(clock?.linked) && now - clock!.seenAt >= this.writeIntervalMs;
    const exists = await this.registry.update(sid, data, this.expiresOf(sess, clock), seen);
    if (exists && clock) {
      clock.touchedAt = now;
      if (seen) clock.seenAt = now;
      if (data !== null) clock.written = data;
    }
    return exists;
  }

  /** The row's expiry: the cookie's (or the TTL), shortened by the timeouts for a signed-in session. */
  private expiresOf(sess: session.SessionData, clock?: RowClock): Date {
    const now = Date.now();
    const cookie = sess.cookie?.expires;
    const base = cookie ? new Date(cookie).getTime() : now + this.settings.sessionTtlMs;
    return new Date(expiryOf(base, now, clock?.linked ? clock.signedInAt : null, this.settings));
  }

  /** @internal When the session's user signed in (ms), or null when it is not signed in through the engine. */
  signedInAt(sess: object): number | null {
    const clock = this.persisted.get(sess);
    return clock?.linked ? clock.signedInAt : null;
  }
}
