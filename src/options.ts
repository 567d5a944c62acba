import type { Request } from 'express';
import type { ModelStatic, Model, Sequelize } from 'sequelize';
import { messages, SingleSessionConfigError } from './errors.js';
import { DEFAULT_TIMEOUTS } from './timeouts.js';

/** A user's primary key as the host gives it: a number or a string (UUIDs, bigints as text). */
export type UserId = string | number;

/** `true` = one session, `false` or `Infinity` = no limit, N = at most N sessions. */
export type SessionLimit = boolean | number;

/** The values of `whenExceeded`. */
export const WHEN_EXCEEDED = ['evict-least-recently-used', 'evict-oldest', 'deny'] as const;
/**
 * What a login beyond the limit does: end the least recently used of the other sessions, end the oldest (earliest
 * created), or refuse the new login (`LoginDeniedError`).
 */
export type WhenExceeded = (typeof WHEN_EXCEEDED)[number];

/**
 * The live sign-out's settings (`live: { … }`; `live: true` takes every default). See docs/live-sign-out.md.
 */
export interface LiveOptions {
  /**
   * PostgreSQL: the URL of the listener's own connection (one per process). Needed behind PgBouncer in transaction
   * mode, where LISTEN does not work: point it at the database directly. Default: the Sequelize connection's config.
   */
  listenUrl?: string;
  /**
   * How often every connected session is checked against the database, in one statement (per 1,000 sessions on
   * PostgreSQL, 5,000 on MariaDB): on MariaDB this poll delivers every ending; on PostgreSQL, where endings arrive by
   * NOTIFY, it finds the idle and lifetime deadlines that passed. Default 1000 ms on MariaDB, 10,000 ms on PostgreSQL.
   */
  checkIntervalMs?: number;
  /** A comment line on every open stream this often, so that proxies keep it open. Default 25,000 ms. */
  heartbeatMs?: number;
  /** Open streams per session (tabs of one browser); a new one beyond closes the oldest. Default 8. */
  maxStreamsPerSession?: number;
  /** PostgreSQL: the first delay before the listener reconnects (it doubles, up to 30 s). Default 250 ms. */
  reconnectDelayMs?: number;
  /**
   * PostgreSQL: `false` polls as on MariaDB instead of listening — for a server that cannot deliver notifications
   * to another connection (PGlite over a socket). Default `true`.
   */
  listen?: boolean;
}

/** `live` resolved: every setting filled in (`checkIntervalMs` null: the dialect's default). */
export interface ResolvedLive {
  listen: boolean;
  listenUrl: string | null;
  checkIntervalMs: number | null;
  heartbeatMs: number;
  maxStreamsPerSession: number;
  reconnectDelayMs: number;
}

const LIVE_KNOWN = ['listen', 'listenUrl', 'checkIntervalMs', 'heartbeatMs', 'maxStreamsPerSession', 'reconnectDelayMs'] as const;

/** `live`: false, true (the defaults) or the settings, checked. */
function resolveLive(value: unknown): ResolvedLive | false {
  if (value === undefined || value === false) return false;
  if (value !== true && (value === null || typeof value !== 'object' || Array.isArray(value))) return fail(messages.badLive(value));
  const given = (value === true ? {} : value) as Record<string, unknown>;
  for (const name of Object.keys(given)) {
    if (!(LIVE_KNOWN as readonly string[]).includes(name)) fail(messages.unknownLiveOption(name, LIVE_KNOWN));
  }
  const listenUrl = given.listenUrl;
  if (listenUrl !== undefined && !isPostgresUrl(listenUrl)) fail(messages.badListenUrl(listenUrl));
  const listen = check(given, 'listen', 'a boolean', isBoolean, true, 'live.listen');
  if (!listen && listenUrl !== undefined) fail(messages.listenUrlWithoutListening);
  const ms = <T extends number | null>(name: string, fallback: T): number | T =>
    check<number | T>(given, name, 'a positive number of milliseconds', isPositiveMs, fallback, `live.${name}`);
  const streams = check(given, 'maxStreamsPerSession', 'a positive integer', (v) => Number.isInteger(v) && (v as number) >= 1, 8,
    'live.maxStreamsPerSession');
  return {
    listen,
    listenUrl: (listenUrl as string | undefined) ?? null,
    checkIntervalMs: ms('checkIntervalMs', null),
    heartbeatMs: ms('heartbeatMs', 25_000),
    maxStreamsPerSession: streams,
    reconnectDelayMs: ms('reconnectDelayMs', 250),
  };
}

function isPostgresUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    return ['postgres:', 'postgresql:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

/** Options of `createSingleSession`, named after django-single-session's settings where they have a twin. */
export interface SingleSessionOptions<User = any> {
  /** The app's Sequelize instance (dialect `postgres`). Required. */
  sequelize: Sequelize;
  /** SINGLE_USER_SESSION: how many sessions a user may have. Default `true` (one). */
  singleUserSession?: SessionLimit | ((user: User, req: Request) => SessionLimit | Promise<SessionLimit>);
  /** What a login beyond the limit does. Default `'evict-least-recently-used'`. */
  whenExceeded?: WhenExceeded;
  /** Users for whom no limit applies at all (service accounts, say). Default: nobody. */
  exempt?: (user: User, req: Request) => boolean | Promise<boolean>;
  /** LOGOUT_ALL_SESSIONS: logging out ends every session of the user. Default `true`. */
  logoutAllSessions?: boolean;
  /** Who counts as an admin user (protected from `single_session.logout`). Default `user.isAdmin === true`. */
  isAdmin?: (user: User) => boolean;
  /** The user's primary key. Default `user.id`. */
  getUserId?: (user: User) => UserId;
  /**
   * The host's user model; checked at start-up and used by the AdminJS feature. Optional. Given, the engine follows
   * it: destroying a user through it (`instance.destroy()`, `Model.destroy({ where })`, AdminJS's `delete` and
   * `bulkDelete`) first ends the user's sessions (reason `account`, audited).
   */
  userModel?: ModelStatic<Model>;
  /**
   * When a user counts as active (needs `userModel`). A user it says is not (false) cannot sign in
   * (`AccountDisabledError`), and a user who becomes inactive through the model (`save`, `update`, AdminJS's `edit`)
   * loses every session (reason `account`, audited). It is given the user as `userModel` loads it (a model instance),
   * at every login and after every update. Default: every user is active.
   */
  isActive?: (user: Model) => boolean | Promise<boolean>;
  /** Lifetime of a session whose cookie has no maxAge. Default 24 h. */
  sessionTtlMs?: number;
  /** A signed-in session with no request for this long ends (reason `idle`); `false`: never. Default 30 min. */
  idleTimeoutMs?: number | false;
  /** A signed-in session ends this long after its sign-in, however active (reason `lifetime`); `false`: never. Default 12 h. */
  absoluteTimeoutMs?: number | false;
  /** How long an ended session's reason (`replaced`/`revoked`) is remembered. Default 1 h. */
  endReasonTtlMs?: number;
  /** How often expired sessions are purged (one process at a time); `false` turns purging off. Default 15 min. */
  purgeIntervalMs?: number | false;
  /** Last-seen (and the session's expiry on touch) is written at most this often per session. Default 60 s. */
  lastSeenIntervalMs?: number;
  /** Record IP address and user agent of each login (privacy: set `false` to record neither). Default `true`. */
  metadata?: boolean;
  /** Also write every `sessions:ended` event to the `SessionAuditEvents` table. Default `false`. */
  audit?: boolean;
  /**
   * Step-up: actions that end other people's sessions (the AdminJS feature's and the Sessions resource's) need a
   * sign-in at most this old, else they refuse and ask the admin to sign in again. `false`: off. Default `false`.
   */
  freshAgeMs?: number | false;
  /** Audit events older than this are deleted by the purge; `false` keeps every one. Default 90 days. */
  auditRetentionMs?: number | false;
  /**
   * Live sign-out: the open tabs of an ended session are told at once, with the reason (`singleSession.liveSignOut()`
   * serves the stream; see docs/live-sign-out.md). `true` for the defaults, or its settings. Default `false`.
   */
  live?: boolean | LiveOptions;
}

export interface ResolvedOptions<User = any> {
  sequelize: Sequelize;
  singleUserSession: Exclude<SingleSessionOptions<User>['singleUserSession'], undefined>;
  whenExceeded: WhenExceeded;
  exempt: (user: User, req: Request) => boolean | Promise<boolean>;
  logoutAllSessions: boolean;
  isAdmin: (user: User) => boolean;
  getUserId: (user: User) => UserId;
  userModel: ModelStatic<Model> | undefined;
  isActive: ((user: Model) => boolean | Promise<boolean>) | undefined;
  sessionTtlMs: number;
  idleTimeoutMs: number | false;
  absoluteTimeoutMs: number | false;
  endReasonTtlMs: number;
  purgeIntervalMs: number | false;
  lastSeenIntervalMs: number;
  metadata: boolean;
  audit: boolean;
  freshAgeMs: number | false;
  auditRetentionMs: number | false;
  live: ResolvedLive | false;
}

const KNOWN = [
  'sequelize', 'singleUserSession', 'whenExceeded', 'exempt', 'logoutAllSessions', 'isAdmin', 'getUserId',
  'userModel', 'isActive', 'sessionTtlMs', 'idleTimeoutMs', 'absoluteTimeoutMs', 'endReasonTtlMs', 'purgeIntervalMs', 'lastSeenIntervalMs', 'metadata', 'audit',
  'freshAgeMs',
  'auditRetentionMs', 'live',
] as const;

const fail = (message: string): never => {
  throw new SingleSessionConfigError(message);
};

function check<T>(
  options: Record<string, unknown>, name: string, expected: string, ok: (v: unknown) => boolean, fallback: T, label = name,
): T {
  const value = options[name];
  if (value === undefined) return fallback;
  if (!ok(value)) fail(messages.wrongType(label, expected, value));
  return value as T;
}

const isFunction = (v: unknown) => typeof v === 'function';
const isBoolean = (v: unknown) => typeof v === 'boolean';
const isPositiveMs = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v > 0;
const isMsOrFalse = (v: unknown) => v === false || isPositiveMs(v);

/** A limit as a number of sessions: `Infinity` for no limit. Throws on anything that is not a limit. */
export function limitToNumber(limit: unknown, error: (got: unknown) => string = messages.badLimit): number {
  if (limit === true) return 1;
  if (limit === false || limit === Infinity) return Infinity;
  if (typeof limit === 'number' && Number.isInteger(limit) && limit >= 1) return limit;
  throw new SingleSessionConfigError(error(limit));
}

/** Default audit retention: 90 days. */
const DEFAULT_AUDIT_RETENTION_MS = 90 * 24 * 3600_000;

/** `auditRetentionMs`: at least a second (`90` meant as days would empty the trail at every purge), or false. */
function auditRetention(value: unknown): number | false {
  if (value === undefined) return DEFAULT_AUDIT_RETENTION_MS;
  if (value === false || (isPositiveMs(value) && (value as number) >= 1000)) return value as number | false;
  return fail(messages.badAuditRetention(value));
}

/** Validates the options by throwing at start-up, and fills in the defaults. */
export function resolveOptions<User>(input: SingleSessionOptions<User>): ResolvedOptions<User> {
  if (input === null || typeof input !== 'object') fail(messages.optionsNotObject);
  const options = input as unknown as Record<string, unknown>;
  for (const name of Object.keys(options)) {
    if (!(KNOWN as readonly string[]).includes(name)) fail(messages.unknownOption(name, KNOWN));
  }
  const sequelize = input.sequelize;
  if (!sequelize || typeof (sequelize as Sequelize).getDialect !== 'function') fail(messages.missingSequelize);

  const singleUserSession = input.singleUserSession ?? true;
  if (typeof singleUserSession !== 'function') limitToNumber(singleUserSession);

  const whenExceeded = input.whenExceeded ?? 'evict-least-recently-used';
  if (!WHEN_EXCEEDED.includes(whenExceeded)) fail(messages.badWhenExceeded(whenExceeded, WHEN_EXCEEDED));

  const userModel = input.userModel;
  if (userModel !== undefined) {
    const isModel = typeof userModel === 'function' && typeof (userModel as ModelStatic<Model>).getTableName === 'function';
    if (!isModel) fail(messages.userModelNotModel(userModel));
    if (!userModel.primaryKeyAttribute) fail(messages.userModelWithoutKey(userModel.name));
  }

  const isActive = check(options, 'isActive', 'a function (user) => boolean', isFunction, undefined as ResolvedOptions['isActive']);
  if (isActive && !userModel) fail(messages.isActiveWithoutUserModel);

  const absoluteTimeoutMs = check(options, 'absoluteTimeoutMs', 'a positive number of milliseconds or false', isMsOrFalse,
    DEFAULT_TIMEOUTS.absoluteTimeoutMs as number | false);
  const freshAgeMs = check(options, 'freshAgeMs', 'a positive number of milliseconds or false', isMsOrFalse, false as number | false);
  // A sign-in is never older than the lifetime: such a limit would never ask anyone to sign in again.
  if (freshAgeMs !== false && absoluteTimeoutMs !== false && freshAgeMs >= absoluteTimeoutMs) fail(messages.freshAgeNotShorter(freshAgeMs, absoluteTimeoutMs));

  return {
    sequelize,
    singleUserSession,
    whenExceeded,
    exempt: check(options, 'exempt', 'a function (user, req) => boolean', isFunction, () => false),
    logoutAllSessions: check(options, 'logoutAllSessions', 'a boolean', isBoolean, true),
    isAdmin: check(options, 'isAdmin', 'a function (user) => boolean', isFunction, (user: any) => user?.isAdmin === true),
    getUserId: check(options, 'getUserId', 'a function (user) => id', isFunction, (user: any) => user?.id),
    userModel,
    isActive,
    sessionTtlMs: check(options, 'sessionTtlMs', 'a positive number of milliseconds', isPositiveMs, 24 * 3600_000),
    idleTimeoutMs: check(options, 'idleTimeoutMs', 'a positive number of milliseconds or false', isMsOrFalse, DEFAULT_TIMEOUTS.idleTimeoutMs as number | false),
    absoluteTimeoutMs,
    endReasonTtlMs: check(options, 'endReasonTtlMs', 'a positive number of milliseconds', isPositiveMs, 3600_000),
    purgeIntervalMs: check(options, 'purgeIntervalMs', 'a positive number of milliseconds or false', isMsOrFalse, 15 * 60_000 as number | false),
    lastSeenIntervalMs: check(options, 'lastSeenIntervalMs', 'a positive number of milliseconds', isPositiveMs, 60_000),
    metadata: check(options, 'metadata', 'a boolean', isBoolean, true),
    audit: check(options, 'audit', 'a boolean', isBoolean, false),
    freshAgeMs,
    auditRetentionMs: auditRetention(options.auditRetentionMs),
    live: resolveLive(options.live),
  };
}
