/**
 * Every error text of the package lives here, so that a message and the advice it gives are written once and
 * read together. Start-up errors say how to fix the problem; run-time errors say what happened.
 */

/** Thrown at start-up (or when a hook is wired wrongly) — the host's configuration must change. */
export class SingleSessionConfigError extends Error {
  /** `'SingleSessionConfigError'`. */
  override name = 'SingleSessionConfigError';
}

/** Thrown by a login when `whenExceeded: 'deny'` refuses it. `message` is a translation key AdminJS shows. */
export class LoginDeniedError extends Error {
  /** `'LoginDeniedError'`. */
  override name = 'LoginDeniedError';
  /** A stable code for API answers. */
  readonly code = 'SINGLE_SESSION_LIMIT_REACHED';
  /**
   * @param limit The sessions the user may have.
   * @param activeSessions The live sessions the user has (at least `limit`).
   */
  constructor(readonly limit: number, readonly activeSessions: number) {
    super(messages.loginDenied);
  }
}

/**
 * Thrown by a login of a user the `isActive` option says is disabled (or who no longer exists); nothing was written.
 * `message` is a translation key AdminJS's login page shows (`singleSessionAccountDisabled`).
 */
export class AccountDisabledError extends Error {
  /** `'AccountDisabledError'`. */
  override name = 'AccountDisabledError';
  /** A stable code for API answers. */
  readonly code = 'SINGLE_SESSION_ACCOUNT_DISABLED';
  /** @param userId The user whose login was refused (as text). */
  constructor(readonly userId: string) {
    super(messages.accountDisabled);
  }
}

/** Thrown by a login whose session row vanished while the login ran (a concurrent logout or revocation). */
export class SessionInterruptedError extends Error {
  /** `'SessionInterruptedError'`. */
  override name = 'SessionInterruptedError';
  /** A stable code for API answers. */
  readonly code = 'SINGLE_SESSION_INTERRUPTED';
  constructor() {
    super(messages.sessionInterrupted);
  }
}

/** Thrown for bad input to the programmatic API (user ids of the wrong type, too many ids, …). Changes nothing. */
export class InvalidInputError extends Error {
  /** `'InvalidInputError'`. */
  override name = 'InvalidInputError';
  /** A stable code for API answers. */
  readonly code = 'SINGLE_SESSION_INVALID_INPUT';
}

export const messages = {
  /** The translation key (and English fallback) of a refused login; see src/adminjs/locales. */
  loginDenied: 'singleSessionLoginDenied',
  sessionInterrupted: 'The session ended while the login was in progress; please sign in again.',
  /** The translation key (and English fallback) of a login the `isActive` option refused; see src/adminjs/locales. */
  accountDisabled: 'singleSessionAccountDisabled',
  isActiveWithoutUserModel:
    'createSingleSession: option `isActive` needs `userModel` — the engine loads the user with it at every login and ' +
    'follows its changes (a user who becomes disabled loses every session). Pass createSingleSession({ sequelize, userModel: User, isActive }).',
  notSignedIn: (call: string) =>
    `${call}: the request's session is not signed in through adminjs-single-session (no user). Call it from a route that ` +
    'only signed-in users reach, after the login hook (userLoggedIn) ran for this session.',
  badEndReason: (got: unknown, allowed: readonly string[]) =>
    `The ending's \`reason\` must be one of ${allowed.map((a) => `'${a}'`).join(', ')}; got ${describe(got)}.`,

  badCutOver: (what: string) => `cutOverSessions: ${what}.`,
  optionsNotObject: 'createSingleSession(options): options must be an object such as { sequelize }.',
  missingSequelize:
    'createSingleSession: `sequelize` is required — pass the Sequelize instance your app uses: createSingleSession({ sequelize }).',
  unsupportedDialect: (dialect: string, supported: readonly string[]) =>
    `createSingleSession: the Sequelize dialect is "${dialect}", which adminjs-single-session does not support. ` +
    `Supported dialects: ${supported.join(', ')}. Create the engine with a Sequelize instance on one of them.`,
  wrongType: (name: string, expected: string, got: unknown) =>
    `createSingleSession: option \`${name}\` must be ${expected}; got ${describe(got)}.`,
  unknownOption: (name: string, known: readonly string[]) =>
    `createSingleSession: unknown option \`${name}\`. Known options: ${known.join(', ')}.`,
  badLimit: (got: unknown) =>
    `createSingleSession: option \`singleUserSession\` must be true, false, a positive integer or a function; got ${describe(got)}. ` +
    'Use true for one session per user, false for no limit, or N for at most N sessions.',
  badWhenExceeded: (got: unknown, allowed: readonly string[]) =>
    `createSingleSession: option \`whenExceeded\` must be one of ${allowed.map((a) => `'${a}'`).join(', ')}; got ${describe(got)}.`,
  badAuditRetention: (got: unknown) =>
    `createSingleSession: option \`auditRetentionMs\` must be a number of milliseconds of at least 1000 (one second), or false to keep ` +
    `every audit event; got ${describe(got)}. For example 90 * 24 * 3600_000 keeps 90 days (the default).`,
  badLimitResult: (got: unknown) =>
    `singleUserSession(user, req) returned ${describe(got)}; it must return true, false, a positive integer or Infinity.`,
  freshAgeNotShorter: (freshAgeMs: number, absoluteTimeoutMs: number) =>
    `createSingleSession: option \`freshAgeMs\` (${freshAgeMs} ms) must be shorter than \`absoluteTimeoutMs\` (${absoluteTimeoutMs} ms): ` +
    'every session ends before its sign-in is that old, so no action would ever ask for a fresh sign-in. Shorten it ' +
    '(e.g. freshAgeMs: 15 * 60_000) or turn it off (false).',
  userModelWithoutKey: (name: string) =>
    `createSingleSession: the user model "${name}" has no primary key. Give it one (e.g. an \`id\` column) — ` +
    'sessions are linked to users by their primary key.',
  badLive: (got: unknown) =>
    `createSingleSession: option \`live\` must be true, false or an object { listenUrl?, checkIntervalMs?, heartbeatMs?, ` +
    `maxStreamsPerSession?, reconnectDelayMs?, listen? }; got ${describe(got)}.`,
  unknownLiveOption: (name: string, known: readonly string[]) =>
    `createSingleSession: unknown option \`live.${name}\`. Known: ${known.join(', ')}.`,
  badListenUrl: (got: unknown) =>
    `createSingleSession: option \`live.listenUrl\` must be a postgres:// URL of a direct connection to the database (not ` +
    `through PgBouncer in transaction mode, where LISTEN does not work); got ${describe(typeof got === 'string' ? got.replace(/\/\/[^@/]*@/, '//…@') : got)}.`,
  listenUrlNotPostgres: (dialect: string) =>
    `createSingleSession: option \`live.listenUrl\` is for PostgreSQL (LISTEN/NOTIFY); on ${dialect} the live sign-out polls ` +
    'the database instead and needs no connection of its own. Remove `listenUrl`.',
  listenUrlWithoutListening: 'createSingleSession: `live.listenUrl` is the listener\'s connection, and `live.listen: false` turns the listener off. Keep one of them.',
  liveNotSignedIn: 'Not signed in: the live sign-out stream is for a signed-in session.',
  liveOff: 'singleSession.liveSignOut(): the live sign-out is off. Turn it on with createSingleSession({ ..., live: true }).',
  liveNeedsPg: 'createSingleSession: the live sign-out on PostgreSQL listens through the `pg` package (the driver Sequelize uses): npm install pg.',
  liveCannotListen: (ownUrl: boolean, cause: string) =>
    `createSingleSession: the live sign-out could not open its listening connection (${cause}). ` +
    (ownUrl ? 'Check `live.listenUrl`: it must reach the database directly.' : 'It connects like Sequelize does; give it its own with `live.listenUrl`.'),
  liveListenerDeaf: (ownUrl: boolean) =>
    'createSingleSession: the live sign-out listens, but a notification sent through the app\'s connection did not reach it within 5 s. ' +
    (ownUrl
      ? 'Does `live.listenUrl` point at the same database as Sequelize?'
      : 'Behind PgBouncer in transaction mode LISTEN does not work: set `live.listenUrl` to a direct connection (postgres://…:5432/db).'),
  userModelNotModel: (got: unknown) =>
    `createSingleSession: option \`userModel\` must be a Sequelize model class (sequelize.define(...) or a class extending Model); got ${describe(got)}.`,
  missingTable: (table: string) =>
    `adminjs-single-session: table "${table}" does not exist. Run the migrations first: ` +
    '`await migrate({ sequelize })` (exported by adminjs-single-session) or `npx sequelize-cli db:migrate` with the shipped migrations (see docs/install.md).',
  missingColumn: (table: string, column: string) =>
    `adminjs-single-session: table "${table}" has no column "${column}"; it was created by an older version. ` +
    'Run the pending migrations: `await migrate({ sequelize })` or `npx sequelize-cli db:migrate`.',
  missingView: (view: string) =>
    `adminjs-single-session: the view "${view}" (behind the AdminJS "Sessions" resource) does not exist. Run the pending ` +
    'migrations: `await migrate({ sequelize })`, or with sequelize-cli take every file of the package\'s `migrations/` folder ' +
    '(20261126000001-active-sessions-view.cjs too) into your migrations folder and run `npx sequelize-cli db:migrate`.',
  missingDevices: (table: string) =>
    `adminjs-single-session: the table "${table}" (the devices each user signed in from, for the \`sessions:created\` event) ` +
    'does not exist. Run the pending migrations: `await migrate({ sequelize })`, or with sequelize-cli take every file of the ' +
    'package\'s `migrations/` folder (20261127000000-known-devices.cjs too) into your migrations folder and run `npx sequelize-cli db:migrate`.',
  missingLocks: (table: string) =>
    `adminjs-single-session: the table "${table}" (one lock row per user: logins of one user wait for each other on it) ` +
    'does not exist. Run the pending migrations: `await migrate({ sequelize })`, or with sequelize-cli take every file of the ' +
    'package\'s `migrations/` folder (20261201000000-session-locks.cjs too) into your migrations folder and run `npx sequelize-cli db:migrate`.',
  oldMariaDb: (version: string) =>
    `adminjs-single-session: MariaDB ${version} is too old; it needs MariaDB 10.6 or newer (SKIP LOCKED, used by the purge). ` +
    'Upgrade the server, or use PostgreSQL.',
  storeNotOurs: (what: string) =>
    `adminjs-single-session: ${what} uses a session store that is not this package's store. Pass \`singleSession.store\` ` +
    'to express-session (and to buildAuthenticatedRouter\'s session options): other stores re-create revoked sessions and know nothing of the user links.',
  notPassport:
    'usePassport(singleSession, passport): this does not look like a Passport ≥ 0.6 instance (no session manager). ' +
    'Pass the object you `import passport from "passport"` (or `new Passport()`).',
  liveUserWithoutModel:
    'adminjs-single-session: loadUser needs the user model: pass it to createSingleSession({ sequelize, userModel: User }) ' +
    '(the model your login reads), so that rights are read from the database on each request.',
  noSession:
    'adminjs-single-session: req.session is missing. Mount express-session with `singleSession.store` (or use singleSession.sessionMiddleware()) before your login routes.',
  noUserId: (got: unknown) =>
    `adminjs-single-session: could not read a user id from ${describe(got)}. Return the user's primary key from \`getUserId(user)\` (default: user.id).`,
  badUserIds: (type: string, bad: unknown) =>
    `Invalid user id ${describe(bad)}: user ids are of type ${type}.`,
  tooManyIds: (max: number, got: number) => `Too many ids: at most ${max} may be given at once; got ${got}.`,
  badExactUpTo: (got: unknown) => `countActiveSessions: \`exactUpTo\` must be an integer of at least 0; got ${describe(got)}.`,
  badAllowedOrigins: (factory: string, got: unknown) =>
    `${factory}: \`allowedOrigins\` must be a list of origins such as ["https://admin.example.com"]; got ${describe(got)}.`,
  hostPrefixCookie: (name: string) =>
    `adminjs-single-session: the session cookie "${name}" has the __Host- prefix, so browsers accept it only with Secure, ` +
    'Path=/ and no Domain, and would drop it silently. Pass cookie: { secure: true } (the default when NODE_ENV=production), ' +
    'leave `path` at "/" and `domain` unset — or use another name during plain-HTTP development.',
  noHostPrefixInProduction: (name: string) =>
    `adminjs-single-session: the production session cookie "${name}" lacks the __Host- prefix, so a sibling subdomain (or ` +
    'a plain-HTTP page of the same host) can set a cookie of that name for the parent domain ("cookie tossing") and sign a ' +
    `browser in as the attacker. Name it "__Host-${name.replace(/^__Secure-/, '')}" in production (sessionMiddleware() and ` +
    'sessionOptions() alike, and AdminJS\'s cookieName), with cookie.domain unset and cookie.path "/"; renaming signs every ' +
    'user out once.',
  securePrefixCookie: (name: string) =>
    `adminjs-single-session: the session cookie "${name}" has the __Secure- prefix, so browsers accept it only with Secure. ` +
    'Pass cookie: { secure: true } (the default when NODE_ENV=production), or use another name during plain-HTTP development.',
  secureCookieOverHttp: (forwarded: boolean) =>
    'adminjs-single-session: this login came over plain HTTP, but the session cookie is Secure (the default when ' +
    'NODE_ENV=production), so the browser would never get it and the login would seem to do nothing. ' +
    (forwarded
      ? 'The request carries X-Forwarded-Proto: a TLS-terminating proxy is in front, and Express does not trust it. Tell it ' +
        "how many proxies there are: app.set('trust proxy', 1). "
      : "Serve the app over HTTPS; behind a TLS-terminating proxy, tell Express to trust it: app.set('trust proxy', 1). ") +
    'Only for a deliberate plain-HTTP deployment pass cookie: { secure: false } to sessionMiddleware() / sessionOptions().',
  /** Run time, to the browser (JSON or plain text): a form or request another site made it send. */
  crossSiteRequest: 'Refused: this request came from another site. Send it from this site\'s own pages.',
  badStatisticsOption: (name: string, max: number, got: unknown) =>
    `sessionStatistics: \`${name}\` must be an integer from 1 to ${max}; got ${describe(got)}.`,
} as const;

/** A value as an error message names it: its kind, and short strings themselves. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (typeof value === 'object') return Array.isArray(value) ? 'an array' : 'an object';
  return `${typeof value} ${String(value)}`;
}
