/**
 * The object a host app works with: the store, the login/logout hooks, why a session ended, and the programmatic
 * API for ending sessions. Created by `createSingleSession`, which checks the configuration and the schema first.
 */
import type { Request, RequestHandler } from 'express';
import type { Transaction } from 'sequelize';
import session from 'express-session';
import { promisify } from 'node:util';
import { LoginDeniedError, messages, SessionInterruptedError, SingleSessionConfigError } from './errors.js';
import { type AuditReason, SingleSessionEvents } from './events.js';
import { captureMetadata } from './metadata.js';
import { defineModels, type SingleSessionModels } from './models/index.js';
import { resolveOptions, type ResolvedOptions, type SingleSessionOptions, type UserId } from './options.js';
import { SessionPolicy } from './policy.js';
import { type EndedCounts, type EndReason, SessionRegistry, type SessionInfo } from './registry.js';
import { END_KEY, SingleSessionStore, USER_KEY } from './store.js';

export interface EndSessionsResult {
  /** Sessions ended. */
  sessions: number;
  /** Users who lost at least one session. */
  users: string[];
}

export interface EndOptions {
  /** Who does it (recorded in the event and the audit trail). */
  actorId?: UserId | null;
  /** A session to keep (the acting administrator's own). Default: none. */
  exceptSid?: string | null;
  /** Audit reason. Default `revoked`. */
  reason?: Extract<AuditReason, 'revoked' | 'logout'>;
}

export interface LoginOptions {
  /** Give the session a new id first (prevents session fixation). Default `true`; Passport already does it. */
  regenerate?: boolean;
}

export interface LogoutOptions {
  /** Destroy `req.session` (default), or only delete its row and leave the object to the caller. */
  destroySession?: boolean;
}

type Req = Request & { session?: session.Session & Partial<session.SessionData> };

export class SingleSession<User = any> {
  readonly events = new SingleSessionEvents();
  readonly store: SingleSessionStore;
  readonly models: SingleSessionModels;
  private readonly policy: SessionPolicy<User>;
  private purgeTimer?: NodeJS.Timeout;

  /** @internal use `createSingleSession` */
  constructor(readonly options: ResolvedOptions<User>, readonly registry: SessionRegistry) {
    this.store = new SingleSessionStore(registry, options);
    this.models = defineModels(options.sequelize, options.userModel);
    this.policy = new SessionPolicy(options);
    if (options.purgeIntervalMs !== false) {
      this.purgeTimer = setInterval(() => {
        this.purgeExpired().catch((err) => this.reportError(err));
      }, options.purgeIntervalMs);
      this.purgeTimer.unref();
    }
  }

  // ── wiring ───────────────────────────────────────────────────────────────────────────────────────────────

  /**
   * express-session with this store and safe cookie defaults (HttpOnly, SameSite=Lax, no resave, no empty
   * sessions). Pass `cookie: { secure: true }` (and `app.set('trust proxy', 1)` behind a proxy) under HTTPS.
   */
  sessionMiddleware(options: session.SessionOptions): RequestHandler {
    return session(this.sessionOptions(options));
  }

  /** The same options, for `buildAuthenticatedRouter(admin, auth, router, sessionOptions)`. */
  sessionOptions(options: session.SessionOptions): session.SessionOptions {
    this.assertOurStore(options.store, 'the session options');
    return {
      resave: false,
      saveUninitialized: false,
      ...options,
      store: this.store,
      cookie: { httpOnly: true, sameSite: 'lax', ...options.cookie },
    };
  }

  /** Throws the start-up error for a store that is not this package's (undefined counts as "ours will be used"). */
  assertOurStore(store: unknown, where: string): void {
    if (store !== undefined && store !== this.store) throw new SingleSessionConfigError(messages.storeNotOurs(where));
  }

  private sessionOf(req: Req): session.Session & Partial<session.SessionData> {
    if (!req?.session) throw new SingleSessionConfigError(messages.noSession);
    if ((req.sessionStore as unknown) !== this.store) throw new SingleSessionConfigError(messages.storeNotOurs('this request'));
    return req.session;
  }

  userIdOf(user: User): string {
    const id = this.options.getUserId(user);
    if ((typeof id !== 'string' && typeof id !== 'number') || id === '') throw new SingleSessionConfigError(messages.noUserId(user));
    return this.registry.parseUserIds([id])[0]!;
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
    const current = this.sessionOf(req);
    const { limit, whenExceeded, rankBy } = await this.policy.decide(user, req);
    const denies = whenExceeded === 'deny' && Number.isFinite(limit);
    // A refusal known before anything is written leaves the request's session exactly as it was. The check
    // inside the transaction below is the one that counts; this one only avoids needless writes.
    if (denies) await this.refuseBeyondLimit(userId, req.sessionID, limit);
    if (regenerate) {
      // A session that was never stored has no row to delete: only give it a new id and a fresh object.
      if (this.store.isPersisted(current)) await promisify(current.regenerate.bind(current))();
      else this.store.generate(req);
    }
    const sess = this.sessionOf(req);
    const sid = req.sessionID;
    sess[USER_KEY] = userId;
    delete sess[END_KEY];
    const metadata = captureMetadata(req, this.options.metadata);
    const reason: AuditReason = limit === 1 ? 'replaced' : 'limit';
    try {
      const ended = await this.options.sequelize.transaction(async (transaction) => {
        await this.registry.lockUser(userId, transaction);
        if (denies) await this.refuseBeyondLimit(userId, sid, limit, transaction);
        if (!(await this.store.save(sid, sess, transaction))) throw new SessionInterruptedError();
        await this.registry.link(sid, userId, metadata, transaction);
        if (!Number.isFinite(limit)) return NONE;
        const count = await this.registry.endBeyond(userId, sid, limit - 1, rankBy, 'replaced', transaction);
        const counts: EndedCounts = count > 0 ? new Map([[userId, count]]) : NONE;
        await this.audit(reason, userId, counts, transaction);
        return counts;
      });
      this.store.markLinked(sess);
      this.announce(reason, userId, ended);
    } catch (err) {
      delete sess[USER_KEY];
      throw err;
    }
  }

  private async refuseBeyondLimit(userId: string, sid: string, limit: number, transaction?: Transaction): Promise<void> {
    const active = await this.registry.countLive(userId, sid, transaction);
    if (active >= limit) throw new LoginDeniedError(limit, active);
  }

  /**
   * Call when the user logs out. With `logoutAllSessions` (default) every other session of the user ends too
   * (their next request is told `revoked`). The current session ends: by default `req.session.destroy()`; with
   * `destroySession: false` only its row is deleted and the caller replaces the session object itself
   * (AdminJS destroys it after `handleLogout`, Passport regenerates it).
   */
  async userLoggedOut(req: Request, user?: User, { destroySession = true }: LogoutOptions = {}): Promise<EndSessionsResult> {
    const sess = this.sessionOf(req);
    const claimed = sess[USER_KEY];
    const userId = user !== undefined && user !== null ? this.userIdOf(user) : claimed != null ? String(claimed) : null;
    const sid = req.sessionID;
    delete sess[USER_KEY];
    const ended = await this.options.sequelize.transaction(async (transaction) => {
      const others = userId !== null && this.options.logoutAllSessions
        ? await this.registry.endUsers([userId], 'revoked', sid, transaction) : NONE;
      await this.registry.destroy(sid, transaction);
      if (userId === null) return NONE;
      const counts: EndedCounts = new Map([[userId, (others.get(userId) ?? 0) + 1]]);
      await this.audit('logout', userId, counts, transaction);
      return counts;
    });
    // The row is gone already; destroying the object also stops express-session from saving it.
    if (destroySession) await promisify(sess.destroy.bind(sess))();
    this.announce('logout', userId, ended);
    return userId === null ? { sessions: 1, users: [] } : summarize(ended);
  }

  /**
   * Why this request's session ended, when the cookie it presented belonged to a session that was ended by
   * the policy (`replaced`) or by an administrator or a logout elsewhere (`revoked`); otherwise null.
   */
  getEndReason(req: Request): EndReason | null {
    const note = (req as Req).session?.[END_KEY];
    if (!note || Date.now() - note.at > this.options.endReasonTtlMs) return null;
    return note.reason;
  }

  /** The user id the request's session is logged in as (through this package's hooks), or null. */
  getUserId(req: Request): string | null {
    const claimed = (req as Req).session?.[USER_KEY];
    return claimed != null ? String(claimed) : null;
  }

  // ── ending sessions on purpose ───────────────────────────────────────────────────────────────────────────

  /**
   * Ends every session of the given users (password change, compromised account, admin action), in one
   * statement whatever the number of users. Ids are checked against the key type first: bad ids throw
   * InvalidInputError and nothing changes.
   */
  async endUserSessions(userIds: readonly unknown[], options: EndOptions = {}): Promise<EndSessionsResult> {
    const ids = this.registry.parseUserIds(userIds);
    if (ids.length === 0) return { sessions: 0, users: [] };
    return this.endAndAudit(options, (transaction) => this.registry.endUsers(ids, 'revoked', options.exceptSid ?? null, transaction));
  }

  /** Ends sessions by their public handles (`SessionInfo.id`), e.g. from a "Sessions" admin page. */
  async endSessionsByHandle(handles: readonly string[], options: EndOptions = {}): Promise<EndSessionsResult> {
    const ids = this.registry.parseHandles(handles);
    if (ids.length === 0) return { sessions: 0, users: [] };
    return this.endAndAudit(options, (transaction) => this.registry.endHandles(ids, 'revoked', options.exceptSid ?? null, transaction));
  }

  /** Ends every other session of the request's user, keeping the current one ("log out my other devices"). */
  async logoutOtherSessions(req: Request): Promise<EndSessionsResult> {
    const userId = this.getUserId(req);
    if (userId === null) return { sessions: 0, users: [] };
    return this.endUserSessions([userId], { actorId: userId, exceptSid: req.sessionID, reason: 'revoked' });
  }

  /** The live sessions of a user, most recently used first. */
  async listSessions(userId: UserId): Promise<SessionInfo[]> {
    const [id] = this.registry.parseUserIds([userId]);
    return this.registry.listUserSessions(id!);
  }

  /** The public handle of the request's own session (to mark "this device" in a list). */
  currentSessionHandle(req: Request): Promise<string | null> {
    return this.registry.handleOf(req.sessionID);
  }

  /** Deletes expired sessions now (also runs every `purgeIntervalMs`). Returns null if another process is at it. */
  async purgeExpired(): Promise<EndedCounts | null> {
    const ended = await this.registry.purgeExpired(this.options.endReasonTtlMs);
    if (ended) {
      await this.audit('expired', null, ended);
      this.announce('expired', null, ended);
    }
    return ended;
  }

  /** Stops the purge timer. The Sequelize instance is the host's to close. */
  close(): void {
    clearInterval(this.purgeTimer);
  }

  private async endAndAudit(
    options: EndOptions, end: (transaction: Transaction) => Promise<EndedCounts>,
  ): Promise<EndSessionsResult> {
    const reason = options.reason ?? 'revoked';
    const actorId = options.actorId != null ? String(options.actorId) : null;
    const counts = await this.options.sequelize.transaction(async (transaction) => {
      const ended = await end(transaction);
      await this.audit(reason, actorId, ended, transaction);
      return ended;
    });
    this.announce(reason, actorId, counts);
    return summarize(counts);
  }

  /** With `audit: true`, records an ending — inside the ending's transaction, so both happen or neither. */
  private async audit(reason: AuditReason, actorId: string | null, counts: EndedCounts, transaction?: Transaction): Promise<void> {
    if (!this.options.audit || counts.size === 0) return;
    await this.registry.writeAudit({ reason, actorId, userIds: [...counts.keys()], sessionCount: total(counts) }, transaction);
  }

  /** Tells `sessions:ended` listeners, once the ending is committed. */
  private announce(reason: AuditReason, actorId: string | null, counts: EndedCounts): void {
    if (counts.size === 0) return;
    this.events.emit('sessions:ended', { reason, actorId, userIds: [...counts.keys()], sessions: total(counts), at: new Date() });
  }

  /** Background failures (the purge timer) go to `events.on('error')` if anyone listens, else to the console. */
  private reportError(err: unknown): void {
    if (this.events.listenerCount('error') > 0) this.events.emit('error', err as Error);
    else console.error('adminjs-single-session: background purge failed:', err);
  }
}

const NONE: EndedCounts = new Map();
const total = (counts: EndedCounts) => [...counts.values()].reduce((a, b) => a + b, 0);
const summarize = (counts: EndedCounts): EndSessionsResult => ({ sessions: total(counts), users: [...counts.keys()] });

/**
 * Creates the single-session engine: validates the options (throws SingleSessionConfigError with the fix),
 * checks that the migrations ran and that the user model has a primary key.
 */
export async function createSingleSession<User = any>(options: SingleSessionOptions<User>): Promise<SingleSession<User>> {
  const resolved = resolveOptions(options);
  const registry = await SessionRegistry.open(resolved.sequelize);
  return new SingleSession(resolved, registry);
}
