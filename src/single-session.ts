/**
 * The engine: the one door to everything else (hooks, ending, listing, reasons). A host app and the AdminJS side
 * work only with this class's public methods; the store's login path and the registry (all SQL) stay behind it.
 * Created by `createSingleSession`, which checks the configuration and the schema first.
 */
import type { Request, RequestHandler } from 'express';
import session from 'express-session';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import type { Transaction, WhereOptions } from 'sequelize';
import { followAccounts } from './accounts.js';
import { assertCookieCanBeSet, cookieWithDefaults } from './cookies.js';
import { AccountDisabledError, InvalidInputError, LoginDeniedError, messages, SingleSessionConfigError } from './errors.js';
import { type AuditReason, type SingleSessionEventMap, SingleSessionEvents } from './events.js';
import { isUserId, parseHandles, parseUserIds } from './ids.js';
import { log } from './log.js';
import { LiveSignOut, type LiveSignOutOptions } from './live.js';
import { captureLogin } from './metadata.js';
import { type ActiveSessionRow, defineModels, type SingleSessionModels } from './models/index.js';
import { resolveOptions, type ResolvedOptions, type SingleSessionOptions, type UserId } from './options.js';
import { SessionPolicy } from './policy.js';
import {
  type EndedCounts, type Ending, type EndReason, type LoginResult, ON_PURPOSE_REASONS, type OnPurposeReason, openRegistry, type SessionCount,
  type SessionClaim, type SessionInfo, type SessionRegistry, totalOf,
} from './registry/index.js';
import { AuditHourCache, EXACT_SHARES_UP_TO, type SessionStatistics, type StatisticsOptions } from './statistics.js';
import { END_KEY, SingleSessionStore, USER_KEY } from './store.js';

export type { EndReason, SessionCount, SessionInfo } from './registry/index.js';
export type { Share } from './registry/index.js';
export type { LiveSignOutOptions } from './live.js';
export type { HourStatistics, SessionStatistics, StatisticsOptions } from './statistics.js';

/** Up to how many sessions `countActiveSessions` counts exactly by default. */
export const EXACT_COUNT_UP_TO = 1000;

/** What an ending did. */
export interface EndSessionsResult {
  /** Sessions ended. */
  sessions: number;
  /** Users who lost at least one session (ids as text). */
  users: string[];
}

/** Options of the endings on purpose (`endUserSessions`, `endSessionsByHandle`). */
export interface EndOptions {
  /** Who does it (recorded in the event and the audit trail). */
  actorId?: UserId | null;
  /** A session to keep (the acting administrator's own). Default: none. */
  exceptSid?: string | null;
  /**
   * Why, as the ended devices are told and the audit trail records it: `revoked` (an administrator; the default),
   * `logout` (the user's own doing), `credentials` (their password changed), `account` (their account was disabled
   * or deleted).
   */
  reason?: OnPurposeReason;
}

/** Options of `cutOverSessions`. */
export interface CutOverOptions {
  /**
   * The user a session from before the install belongs to, read from its data (the parsed session object), or
   * null/undefined when it is not signed in: `(data) => data.accountId`, `(data) => data.passport?.user`. Called once
   * per unlinked session; it must not throw.
   */
  userIdOf: (data: Record<string, any>) => unknown;
  /** `'adopt'`: link each one to its user (it stays signed in, now under the policy). `'end'`: end them (counted, noted `revoked`). */
  mode: 'adopt' | 'end';
  /** Sessions read, and linked or ended, per transaction. Default 1,000. */
  batchSize?: number;
}

/** What a cut-over did. */
export interface CutOverResult {
  /** Sessions linked to their users (with `mode: 'end'`: linked, then ended). */
  adopted: number;
  /** With `mode: 'end'`: the signed-in sessions that ended, and whose. */
  ended: EndSessionsResult;
  /** Unlinked sessions that are not signed in (`userIdOf` gave nothing): left as they are. */
  anonymous: number;
  /**
   * Sessions signed in as nobody who exists (an id of another type than the key, a deleted account): ended, since
   * no policy could reach them.
   */
  orphans: number;
  /**
   * Sessions that changed (or ended) between the read and the link: left unlinked. Run the cut-over again: it reads
   * only what is still unlinked.
   */
  changed: number;
}

/** Options of `userLoggedIn`. */
export interface LoginOptions {
  /** Give the session a new id first (prevents session fixation). Default `true`; Passport already does it. */
  regenerate?: boolean;
}

/** Options of `userLoggedOut`. */
export interface LogoutOptions {
  /** Destroy `req.session` (default), or only delete its row and leave the object to the caller. */
  destroySession?: boolean;
}

type Req = Request & { session?: session.Session & Partial<session.SessionData> };


export class SingleSession<User = any> {
  /** `sessions:ended`, `sessions:created` (and `error` for background failures). */
  readonly events = new SingleSessionEvents();
  /** The express-session store; pass it (or use `sessionMiddleware`) wherever express-session is set up. */
  readonly store: SingleSessionStore;
  /** The Sequelize models of the package's tables and view. */
  readonly models: SingleSessionModels;
  private readonly policy: SessionPolicy<User>;
  private purgeTimer?: NodeJS.Timeout;
  /** Takes the hooks off the user model again (see accounts.ts). */
  private unfollowAccounts?: () => void;
  /** express-session's `proxy` option of the first session middleware built on this engine. */
  private sessionProxy?: { proxy: boolean | undefined };
  /** The live sign-out (the `live` option), or null when it is off. */
  private readonly live: LiveSignOut | null;

  /** @internal use `createSingleSession` */
  constructor(private readonly options: ResolvedOptions<User>, private readonly registry: SessionRegistry) {
    this.store = new SingleSessionStore(registry, options, (reason, userId) => {
      log.end('user %s: a session found ended (%s) on its request', userId, reason);
      this.announce(reason, null, new Map([[userId, 1]]));
    });
    if (options.userModel) {
      this.unfollowAccounts = followAccounts(options.userModel, {
        isActive: options.isActive,
        end: (userId, transaction) => this.endAccount(userId, transaction),
        report: (err) => this.reportError(err, 'ending the sessions of a disabled user failed'),
      });
    }
    this.models = defineModels(options.sequelize, options.userModel, registry.keyKind);
    this.policy = new SessionPolicy(options);
    this.live = options.live === false ? null : new LiveSignOut({
      registry,
      settings: options.live,
      endIfExpired: (sid) => this.store.endIfExpired(sid),
      userOf: (req) => this.getUserId(req),
      endReasonOf: (req) => this.getEndReason(req),
      notActivity: (req) => this.store.notActivityOf(this.sessionOf(req)),
      assertSession: (req) => void this.sessionOf(req),
      report: (error, what) => this.reportError(error, what),
    });
    if (options.purgeIntervalMs !== false) {
      this.purgeTimer = setInterval(() => {
        this.purgeExpired().catch((err) => this.reportError(err));
      }, options.purgeIntervalMs);
      this.purgeTimer.unref();
    }
  }

  // ── wiring ───────────────────────────────────────────────────────────────────────────────────────────────

  /**
   * express-session with this store and safe cookie defaults (HttpOnly, SameSite=Lax, Secure when
   * `NODE_ENV=production`; no resave, no empty sessions). Behind a TLS-terminating proxy also
   * `app.set('trust proxy', 1)`: a login over what looks like plain HTTP with a Secure cookie fails with the fix.
   */
  sessionMiddleware(options: session.SessionOptions): RequestHandler {
    return session(this.sessionOptions(options));
  }

  /** The same options, for `buildAuthenticatedRouter(admin, auth, router, sessionOptions)`. */
  sessionOptions(options: session.SessionOptions): session.SessionOptions {
    this.assertOurStore(options.store, 'the session options');
    const cookie = cookieWithDefaults(options);
    // The first session middleware built decides the cookie of new sessions (see the store's `generate`).
    this.sessionProxy ??= { proxy: options.proxy };
    return { resave: false, saveUninitialized: false, ...options, store: this.store, cookie };
  }

  private assertOurStore(store: unknown, where: string): void {
    if (store !== undefined && store !== this.store) throw new SingleSessionConfigError(messages.storeNotOurs(where));
  }

  /** Did this request go through a session middleware with this engine's store (mounted before the caller)? */
  hasOurSession(req: Request): boolean {
    return Boolean((req as Req).session) && (req.sessionStore as unknown) === this.store;
  }

  private sessionOf(req: Req): session.Session & Partial<session.SessionData> {
    if (!req?.session) throw new SingleSessionConfigError(messages.noSession);
    if ((req.sessionStore as unknown) !== this.store) throw new SingleSessionConfigError(messages.storeNotOurs('this request'));
    return req.session;
  }

  private userIdOf(user: User): string {
    const id = this.options.getUserId(user);
    if ((typeof id !== 'string' && typeof id !== 'number') || id === '') throw new SingleSessionConfigError(messages.noUserId(user));
    return parseUserIds(this.registry.keyKind, [id])[0]!;
  }

  // ── questions the AdminJS side (and a host) may ask ───────────────────────────────────────────────────────

  /** Is this user an admin user (protected from `single_session.logout`)? The `isAdmin` option decides. */
  isAdmin(user: unknown): boolean {
    return this.options.isAdmin(user as User) === true;
  }

  /** Could this be a user id (of the user key's type and range)? */
  isUserId(id: unknown): boolean {
    return isUserId(this.registry.keyKind, id);
  }

  /**
   * How long ago (ms) the request's user signed in on this session, or null when it is not signed in through this
   * engine. For step-up checks: an action that needs a recent sign-in compares it with its limit.
   */
  signInAge(req: Request): number | null {
    const session = (req as Req).session;
    const signedInAt = session ? this.store.signedInAt(session) : null;
    return signedInAt === null ? null : Date.now() - signedInAt;
  }

  /**
   * The step-up limit (ms): actions that end other people's sessions need a sign-in at most this old (compare with
   * `signInAge(req)`); `false` when off. The `freshAgeMs` option.
   */
  get freshAgeMs(): number | false {
    return this.options.freshAgeMs;
  }

  /** Is the audit trail (`SessionAuditEvents`) written? The `audit` option. */
  get auditEnabled(): boolean {
    return this.options.audit;
  }

  // ── login and logout ─────────────────────────────────────────────────────────────────────────────────────

  /**
   * Call when `user` has proved who they are. Gives the session a new id (no fixation), writes it, links it
   * to the user and applies the policy — all but the first step in one transaction holding the user's lock,
   * so concurrent logins of one user (from any process) leave exactly the allowed sessions.
   * Throws LoginDeniedError when `whenExceeded: 'deny'` refuses the login; the session is then anonymous.
   */
  async userLoggedIn(req: Request, user: User, { regenerate = true }: LoginOptions = {}): Promise<void> {
    const userId = this.userIdOf(user);
    this.sessionOf(req);
    assertCookieCanBeSet(req, this.sessionProxy?.proxy);
    await this.assertActive(userId);
    const { limit, whenExceeded, rankBy } = await this.policy.decide(user, req);
    const deny = whenExceeded === 'deny' && Number.isFinite(limit);
    // A refusal known before anything is written leaves the request's session exactly as it was. The check
    // inside the login's transaction is the one that counts; this one only avoids needless writes.
    if (deny) await this.refuseBeyondLimit(userId, req.sessionID, limit);
    if (regenerate) await this.store.renew(req);
    const sess = this.sessionOf(req);
    sess[USER_KEY] = userId;
    delete sess[END_KEY];
    const auditReason: AuditReason = limit === 1 ? 'replaced' : 'limit';
    const { metadata, device } = captureLogin(req, this.options.metadata);
    let result: LoginResult;
    try {
      result = await this.store.saveLogin(req.sessionID, sess, { userId, metadata, device, limit, deny, rankBy, auditReason });
    } catch (err) {
      delete sess[USER_KEY];
      log.refused('login of user %s refused: %s', userId, (err as Error).name);
      throw err;
    }
    // Committed. A user disabled while the login ran: its own ending may have come before our link, so look again.
    if (!(await this.isActiveNow(userId))) {
      delete sess[USER_KEY];
      await this.endAccount(userId, null);
      log.refused('login of user %s undone: the account was disabled meanwhile', userId);
      throw new AccountDisabledError(userId);
    }
    // Tell the listeners (outside the try: a listener's error is not a failed login).
    const { ended, knownDevice } = result;
    log.login('user %s signed in (limit %s; device known: %s); sessions ended: %d', userId, limit, knownDevice, totalOf(ended));
    this.announce(auditReason, userId, ended);
    this.tell('sessions:created', { userId, metadata, knownDevice, endedSessions: totalOf(ended), at: new Date() });
  }

  /** With `isActive`: the user as the database has it now, judged by it (a deleted user is not active). */
  private async isActiveNow(userId: string): Promise<boolean> {
    const { isActive, userModel } = this.options;
    if (!isActive || !userModel) return true;
    const user = await userModel.findByPk(userId);
    return user !== null && (await isActive(user)) === true;
  }

  private async assertActive(userId: string): Promise<void> {
    if (await this.isActiveNow(userId)) return;
    log.refused('login of user %s refused: the account is disabled', userId);
    throw new AccountDisabledError(userId);
  }

  /** Every session of a user whose account was disabled or deleted (the model hooks; a login that lost a race). */
  private async endAccount(userId: string | number, transaction: Transaction | null): Promise<void> {
    const ids = parseUserIds(this.registry.keyKind, [userId]);
    const ending: Ending = { reason: 'account', actorId: null, exceptSid: null };
    const ended = await this.registry.endUsers(ids, ending, transaction);
    log.end('account of user %s disabled or deleted: sessions ended: %d', ids[0], totalOf(ended));
    // Inside the host's transaction the listeners hear of it once it is committed (a rollback ended nothing).
    if (transaction) transaction.afterCommit(() => this.announce('account', null, ended));
    else this.announce('account', null, ended);
  }

  private async refuseBeyondLimit(userId: string, sid: string, limit: number): Promise<void> {
    const active = await this.registry.countLive(userId, sid);
    if (active >= limit) {
      log.refused('login of user %s refused: %d of %d sessions in use', userId, active, limit);
      throw new LoginDeniedError(limit, active);
    }
  }

  /**
   * Call when the user logs out. With `logoutAllSessions` (default) every other session of the user ends too
   * (their next request is told `logout`). The current session ends: by default `req.session.destroy()`; with
   * `destroySession: false` only its row is deleted and the caller replaces the session object itself
   * (AdminJS destroys it after `handleLogout`, Passport regenerates it).
   */
  async userLoggedOut(req: Request, user?: User, { destroySession = true }: LogoutOptions = {}): Promise<EndSessionsResult> {
    const sess = this.sessionOf(req);
    const claimed = sess[USER_KEY];
    const userId = user !== undefined && user !== null ? this.userIdOf(user) : claimed != null ? String(claimed) : null;
    const sid = req.sessionID;
    delete sess[USER_KEY];
    const ended = await this.registry.logout(sid, userId, this.options.logoutAllSessions);
    // The row is gone already; destroying the object also stops express-session from saving it.
    if (destroySession) await promisify(sess.destroy.bind(sess))();
    log.end('user %s logged out; sessions ended: %d', userId, totalOf(ended));
    this.announce('logout', userId, ended);
    return userId === null ? { sessions: 1, users: [] } : summarize(ended);
  }

  /**
   * Why this request's session ended, when the cookie it presented belonged to a session that was ended: by the
   * policy (`replaced`), by an administrator (`revoked`), by the user's logout on another device or "log out my
   * other sessions" (`logout`), by a password change (`credentials`), because the account was disabled or deleted
   * (`account`), by the idle timeout (`idle`) or by the absolute lifetime (`lifetime`); otherwise null.
   */
  getEndReason(req: Request): EndReason | null {
    const note = (req as Req).session?.[END_KEY];
    if (!note || Date.now() - note.at > this.options.endReasonTtlMs) return null;
    return note.reason;
  }

  /**
   * The user id the request's session is logged in as (through this package's hooks), or null. Always text — the
   * canonical form of the key (`"3"` for an integer key 3, a bigint exactly, a UUID in lower case) — whatever the
   * type `getUserId(user)` returned at login, so that it compares equal across key types and processes.
   */
  getUserId(req: Request): string | null {
    const claimed = (req as Req).session?.[USER_KEY];
    return claimed != null ? String(claimed) : null;
  }

  /**
   * The request's user as the database has it now: the row of the signed-in user id, read by primary key through
   * the `userModel` option (one indexed statement; no cache, so a change made through the model, AdminJS or raw SQL
   * counts at the next request). Null when the request is not signed in through this engine, or when the row is
   * gone (a deleted user). For permission checks that must not trust the copy a login stored in the session (AdminJS's
   * `currentAdmin`). Throws SingleSessionConfigError when the engine was created without `userModel`.
   */
  async loadUser(req: Request): Promise<User | null> {
    const userModel = this.options.userModel;
    if (!userModel) throw new SingleSessionConfigError(messages.liveUserWithoutModel);
    const userId = this.getUserId(req);
    if (userId === null) return null;
    return (await this.registry.findUser(userModel, userId)) as User | null;
  }

  /** Was the engine given the user model (so that `loadUser` can read users)? */
  get readsUsers(): boolean {
    return this.options.userModel !== undefined;
  }

  // ── ending sessions on purpose ───────────────────────────────────────────────────────────────────────────

  /**
   * Ends every session of the given users (compromised account, admin action; with `reason: 'credentials'` an
   * administrator's change of their password, with `reason: 'account'` an account disabled or deleted by raw SQL),
   * in one statement whatever the number of users. Ids and the reason are checked first: bad ones throw
   * InvalidInputError and nothing changes.
   */
  async endUserSessions(userIds: readonly unknown[], options: EndOptions = {}): Promise<EndSessionsResult> {
    const ids = parseUserIds(this.registry.keyKind, userIds);
    if (ids.length === 0) return { sessions: 0, users: [] };
    return this.endOnPurpose(options, (ending) => this.registry.endUsers(ids, ending));
  }

  /** Ends sessions by their public handles (`SessionInfo.id`), e.g. from a "Sessions" admin page. */
  async endSessionsByHandle(handles: readonly string[], options: EndOptions = {}): Promise<EndSessionsResult> {
    const ids = parseHandles(handles);
    if (ids.length === 0) return { sessions: 0, users: [] };
    return this.endOnPurpose(options, (ending) => this.registry.endHandles(ids, ending));
  }

  /** Ends every other session of the request's user, keeping the current one ("log out my other devices"). */
  async logoutOtherSessions(req: Request): Promise<EndSessionsResult> {
    const userId = this.getUserId(req);
    if (userId === null) return { sessions: 0, users: [] };
    return this.endUserSessions([userId], { actorId: userId, exceptSid: req.sessionID, reason: 'logout' });
  }

  /**
   * Call from the host's "change password" route once the new password is stored (ASVS 5.0, 7.4.3 and 7.2.4): every
   * other session of the request's user ends (reason `credentials`, audited), and this session gets a new id while
   * it stays signed in — same user, link, handle and sign-in time; the old id ends too (no fixation: a copy of the
   * old cookie is told `credentials`). One transaction under the user's lock. Throws InvalidInputError when the
   * session is not signed in, SessionInterruptedError when it ended while the call ran (it stays ended).
   */
  async credentialsChanged(req: Request): Promise<EndSessionsResult> {
    this.sessionOf(req);
    const userId = this.getUserId(req);
    if (userId === null) throw new InvalidInputError(messages.notSignedIn('credentialsChanged(req)'));
    assertCookieCanBeSet(req, this.sessionProxy?.proxy);
    const ended = await this.store.rekey(req, userId);
    log.end('user %s changed their password; other sessions ended: %d', userId, totalOf(ended));
    this.announce('credentials', userId, ended);
    return summarize(ended);
  }

  /** The live sessions of a user, most recently used first. */
  async listSessions(userId: UserId): Promise<SessionInfo[]> {
    const [id] = parseUserIds(this.registry.keyKind, [userId]);
    return this.registry.listUserSessions(id!);
  }

  /** The public handle of the request's own session (to mark "this device" in a list). */
  currentSessionHandle(req: Request): Promise<string | null> {
    return this.registry.handleOf(req.sessionID);
  }

  /**
   * How many live sessions match `where` (a condition on `models.ActiveSession`, as AdminJS's list sends it): counted
   * exactly up to `exactUpTo` (default 1,000), past that the database's estimate (`estimated: true`). On PostgreSQL
   * an estimate of ten times `exactUpTo` or more (from the planner's statistics) is answered without counting at all.
   * The Sessions page's pager: a count of every live session on every click is what made it slow at a million.
   */
  countActiveSessions(where?: WhereOptions<ActiveSessionRow>, { exactUpTo = EXACT_COUNT_UP_TO }: { exactUpTo?: number } = {}): Promise<SessionCount> {
    if (!(Number.isInteger(exactUpTo) && exactUpTo >= 0)) throw new InvalidInputError(messages.badExactUpTo(exactUpTo));
    return this.registry.countActiveSessions(this.models.ActiveSession, where as WhereOptions | undefined, exactUpTo);
  }

  // ── the sessions from before the install ─────────────────────────────────────────────────────────────────

  /**
   * Brings the sessions that existed before the install (a connect-session-sequelize table, signed in by the host's
   * own key such as `req.session.accountId`) under the policy: each live unlinked session that `userIdOf` names a user
   * for is linked to that user (`mode: 'adopt'`: it stays signed in, and the user's next login, logout everywhere and
   * an administrator's ending end it and count it) or ended (`mode: 'end'`: every such user signs in again). A session
   * signed in as nobody who exists (a deleted account) ends either way. Batched
   * by sid (one short transaction per `batchSize` sessions), and safe while the app serves requests: a session is
   * linked only if its data is still what was read, and a session ended meanwhile is not linked.
   */
  async cutOverSessions({ userIdOf, mode, batchSize = 1000 }: CutOverOptions): Promise<CutOverResult> {
    if (typeof userIdOf !== 'function') throw new InvalidInputError(messages.badCutOver('userIdOf must be a function of the session data, e.g. (data) => data.accountId'));
    if (mode !== 'adopt' && mode !== 'end') throw new InvalidInputError(messages.badCutOver(`mode must be 'adopt' or 'end'; got ${String(mode)}`));
    if (!(Number.isInteger(batchSize) && batchSize >= 1 && batchSize <= 10_000)) throw new InvalidInputError(messages.badCutOver('batchSize must be an integer from 1 to 10,000'));
    const result: CutOverResult = { adopted: 0, ended: { sessions: 0, users: [] }, anonymous: 0, orphans: 0, changed: 0 };
    const ended: EndedCounts = new Map();
    for (let after = ''; ;) {
      const batch = await this.registry.unlinkedSessions(after, batchSize);
      if (batch.length === 0) break;
      after = batch[batch.length - 1]!.sid;
      const claims: SessionClaim[] = [];
      for (const { sid, data } of batch) {
        let id: unknown;
        try { id = userIdOf(JSON.parse(data)); } catch { id = undefined; }
        if (id === null || id === undefined) { result.anonymous++; continue; }
        const userId = isUserId(this.registry.keyKind, id) ? parseUserIds(this.registry.keyKind, [id])[0]! : null;
        claims.push({ sid, userId, digest: createHash('md5').update(data).digest('hex') });
      }
      const done = await this.registry.adopt(claims, mode === 'end');
      result.adopted += done.linked;
      result.orphans += done.orphans;
      result.changed += claims.length - done.linked - done.orphans;
      for (const [userId, n] of done.ended) ended.set(userId, (ended.get(userId) ?? 0) + n);
      if (batch.length < batchSize) break;
    }
    log.end('cut-over (%s): %d adopted, %d ended, %d anonymous, %d orphans ended, %d changed meanwhile', mode, result.adopted, totalOf(ended),
      result.anonymous, result.orphans, result.changed);
    this.announce('revoked', null, ended);
    return { ...result, ended: summarize(ended) };
  }

  /** Deletes expired sessions now (also runs every `purgeIntervalMs`). Returns null if another process is at it. */
  async purgeExpired(): Promise<EndedCounts | null> {
    const purged = await this.registry.purgeExpired();
    if (!purged) return null;
    const all: EndedCounts = new Map();
    for (const [reason, ended] of purged) {
      log.purge('sessions purged (%s): %d', reason, totalOf(ended));
      this.announce(reason, null, ended);
      for (const [userId, n] of ended) all.set(userId, (all.get(userId) ?? 0) + n);
    }
    return all;
  }

  // ── live sign-out (live.ts) ──────────────────────────────────────────────────────────────────────────────

  /** Is the live sign-out on (the `live` option)? */
  get liveEnabled(): boolean {
    return this.live !== null;
  }

  /**
   * The live sign-out's stream, to mount on a host site (`app.get('/session/live', singleSession.liveSignOut())`,
   * after the session middleware): Server-Sent Events that tell this request's own session, at once, that it ended
   * and why — `event: ended`, `data: {"reason":"replaced"}` — and close. Heartbeat comment lines keep proxies from
   * closing it. A request without a signed-in session gets 401 at once; one another site's page sent, 403; it is not
   * activity (the session is neither touched nor saved). The browser side: `adminjs-single-session/browser`.
   * Throws SingleSessionConfigError when the `live` option is off.
   */
  liveSignOut(options: LiveSignOutOptions = {}): RequestHandler {
    if (!this.live) throw new SingleSessionConfigError(messages.liveOff);
    return this.live.handler(options);
  }

  /** @internal The listener's database pid and the open streams of this process (tests, operators). */
  liveStatus(): { listenerPid: number | null; openStreams: number } | null {
    return this.live ? { listenerPid: this.live.listenerPid, openStreams: this.live.openStreams } : null;
  }

  /** @internal Called by createSingleSession: opens the listener (PostgreSQL) and starts the checks. */
  async startLive(): Promise<void> {
    await this.live?.start(this.options.sequelize.getDialect());
  }

  /**
   * Stops the purge timer, takes the engine's hooks off the user model and stops the live sign-out (its listener,
   * its streams). The Sequelize instance is the host's to close. Resolves when the listener's connection is closed.
   */
  async close(): Promise<void> {
    clearInterval(this.purgeTimer);
    this.unfollowAccounts?.();
    await this.live?.close();
  }

  private async endOnPurpose(
    options: EndOptions, end: (ending: Ending) => Promise<EndedCounts>,
  ): Promise<EndSessionsResult> {
    const reason = options.reason ?? 'revoked';
    if (!ON_PURPOSE_REASONS.includes(reason)) throw new InvalidInputError(messages.badEndReason(reason, ON_PURPOSE_REASONS));
    const actorId = options.actorId != null ? String(options.actorId) : null;
    const ended = await end({ reason, actorId, exceptSid: options.exceptSid ?? null });
    log.end('%s by %s: sessions ended: %d, users: %d', reason, actorId ?? 'the system', totalOf(ended), ended.size);
    this.announce(reason, actorId, ended);
    return summarize(ended);
  }

  /** Tells `sessions:ended` listeners, once the ending is committed. */
  private announce(reason: AuditReason, actorId: string | null, counts: EndedCounts): void {
    if (counts.size === 0) return;
    this.tell('sessions:ended', { reason, actorId, userIds: [...counts.keys()], sessions: totalOf(counts), at: new Date() });
  }

  // ── statistics (the AdminJS dashboard, the confirmations' counts) ─────────────────────────────────────────

  /** The audit trail's figures of the hours that are over, kept for the next dashboard (made on first use). */
  private auditHourCache?: AuditHourCache;
  private get auditHours(): AuditHourCache {
    return (this.auditHourCache ??= new AuditHourCache(this.registry));
  }

  /**
   * Per user, their live sessions other than `exceptSid` (the acting admin's own, which an ending keeps): what ending
   * their sessions now would end. One statement for the whole selection; users without a live session are absent.
   * Bad ids throw InvalidInputError.
   */
  async countLiveSessions(userIds: readonly unknown[], { exceptSid = null }: { exceptSid?: string | null } = {}): Promise<Map<string, number>> {
    return this.registry.countLiveByUser(parseUserIds(this.registry.keyKind, userIds), exceptSid);
  }

  /**
   * A sessions dashboard's figures: live sessions and signed-in users now (exact), the most common browsers, devices
   * and systems, and — with `audit: true`, from the audit trail — sign-ins and endings per hour (the hours that are
   * over are kept in this process: a reload aggregates only the last one). See BENCHMARKS.md, P7, for its time at a
   * million sessions.
   */
  async sessionStatistics({ hours = 24, top = 5 }: StatisticsOptions = {}): Promise<SessionStatistics> {
    for (const [name, value, max] of [['hours', hours, 168], ['top', top, 50]] as const) {
      if (!Number.isInteger(value) || value < 1 || value > max) throw new InvalidInputError(messages.badStatisticsOption(name, max, value));
    }
    const [live, perHour] = await Promise.all([
      this.registry.liveSummary(top, EXACT_SHARES_UP_TO),
      this.options.audit ? this.auditHours.perHour(hours) : null,
    ]);
    return { activeSessions: live.sessions, signedInUsers: live.users, top: live.top, shareBasis: live.basis, hours: perHour };
  }


  /** Emits an event of something already committed: a listener that throws (a broken mailer) is reported, never the caller's failure. */
  private tell<E extends 'sessions:created' | 'sessions:ended'>(event: E, payload: SingleSessionEventMap[E][0]): void {
    try {
      (this.events.emit as (e: E, p: SingleSessionEventMap[E][0]) => boolean)(event, payload);
    } catch (err) {
      this.reportError(err, `a ${event} listener threw`);
    }
  }

  /** Background failures (the purge timer, listeners) go to `events.on('error')` if anyone listens, else to the debug log. */
  private reportError(err: unknown, what = 'background purge failed'): void {
    if (this.events.listenerCount('error') > 0) this.events.emit('error', err as Error);
    else log.error('%s: %O', what, err);
  }
}

const summarize = (counts: EndedCounts): EndSessionsResult => ({ sessions: totalOf(counts), users: [...counts.keys()] });

/**
 * Creates the single-session engine: validates the options (throws SingleSessionConfigError with the fix),
 * checks that the migrations ran and that the user model has a primary key.
 */
export async function createSingleSession<User = any>(options: SingleSessionOptions<User>): Promise<SingleSession<User>> {
  const resolved = resolveOptions(options);
  const registry = await openRegistry(resolved.sequelize, resolved);
  const engine = new SingleSession(resolved, registry);
  try {
    await engine.startLive();
  } catch (error) {
    await engine.close();
    throw error;
  }
  return engine;
}
