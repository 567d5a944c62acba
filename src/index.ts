/** The core: engine, store, hooks, models and migrations, Passport wiring. The AdminJS side is `./adminjs.ts`. */
export { createSingleSession, SingleSession, EXACT_COUNT_UP_TO } from './single-session.js';
export type { CutOverOptions, CutOverResult, EndOptions, EndSessionsResult, LoginOptions, LogoutOptions } from './single-session.js';
export type { HourStatistics, SessionStatistics, Share, StatisticsOptions } from './single-session.js';
export type { SingleSessionOptions, SessionLimit, WhenExceeded, UserId, LiveOptions } from './options.js';
export type { LiveSignOutOptions } from './live.js';
export { WHEN_EXCEEDED } from './options.js';
export { SingleSessionStore, USER_KEY, END_KEY } from './store.js';
export type { Callback, Generate } from './store.js';
export type { EndReason, EndedCounts, SessionCount, SessionInfo, LoginMetadata } from './registry/index.js';
export { SingleSessionEvents } from './events.js';
export type { AuditReason, SessionCreatedEvent, SessionsEndedEvent } from './events.js';
export { SingleSessionConfigError, LoginDeniedError, AccountDisabledError, SessionInterruptedError, InvalidInputError } from './errors.js';
export { MAX_IDS } from './ids.js';
export type { UserKeyKind } from './ids.js';
export { defineModels } from './models/index.js';
export type {
  SingleSessionModels, SessionRow, SessionModel, UserSessionRow, UserSessionModel, SessionAuditEventRow, SessionAuditEventModel,
  ActiveSessionRow, ActiveSessionModel,
} from './models/index.js';
export { migrate, unmigrate, createMigrator, migrationsPath } from './migrate.js';
export type { MigrateOptions } from './migrate.js';
export { usePassport } from './integrations/passport.js';
export { guardCrossSite } from './cross-site.js';
export type { GuardCrossSiteOptions } from './cross-site.js';
