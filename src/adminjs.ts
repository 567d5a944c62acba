/**
 * The AdminJS side, a separate entry (`adminjs-single-session/adminjs`) so that an app without AdminJS (Passport
 * or a hand-written login) never loads it. Everything here reaches the engine only through its public methods.
 */
/** The User resource feature: "Log out on all sessions" actions and the user's sessions panel. */
export { singleSessionFeature } from './adminjs/feature.js';
export type { SingleSessionFeatureOptions } from './adminjs/feature.js';
/** The Sessions resource (id `ActiveSessions`), the audit resource, the "My sessions" page. */
export { sessionsResource } from './adminjs/sessions/resource.js';
export type { SessionsResourceOptions } from './adminjs/sessions/resource.js';
export { auditResource } from './adminjs/sessions/audit.js';
export { mySessionsPage } from './adminjs/sessions/my-sessions.js';
export type { MySessionsPageOptions } from './adminjs/sessions/my-sessions.js';
/** The sessions dashboard (AdminJS's `dashboard`, or a page). */
export { sessionsDashboard } from './adminjs/sessions/dashboard.js';
export type { DashboardData, SessionsDashboard, SessionsDashboardOptions } from './adminjs/sessions/dashboard.js';
/** The AdminJS login through the engine's hooks. */
export { SingleSessionAuthProvider, withSingleSession } from './adminjs/login.js';
/** What to mount at `rootPath`, and its parts for hosts that mount AdminJS themselves (NestJS). */
export { guardedAdminRouter } from './adminjs/router.js';
export type { GuardedAdminRouterOptions } from './adminjs/router.js';
export { guardAdminRequests } from './adminjs/request-guard.js';
export { guardAdminLogout } from './adminjs/logout-guard.js';
export { explainEndedSessions } from './adminjs/login.js';
/** Live rights (the signed-in user as the database has it now) and step-up on any action. */
export { adminsOnly, isLiveCurrentAdmin, liveCurrentAdmin } from './adminjs/live-rights.js';
export type { LiveCurrentAdminOptions, ToCurrentAdmin } from './adminjs/live-rights.js';
export { stepUpFeature } from './adminjs/step-up-feature.js';
export type { StepUpFeatureOptions } from './adminjs/step-up-feature.js';
/** Texts in six languages, and the permissions. */
export { withSingleSessionTranslations } from './adminjs/locales/index.js';
export { PERMISSIONS as SINGLE_SESSION_PERMISSIONS } from './adminjs/permissions.js';
export type { Can, Permission } from './adminjs/permissions.js';
/** The option types the factories and guards share or reference. */
export type { CommonOptions as SingleSessionAdminOptions, Navigation } from './adminjs/options.js';
export type { AuditResourceOptions } from './adminjs/sessions/audit.js';
export type { Authenticate, SingleSessionAuthProviderConfig } from './adminjs/login.js';
export type { GuardAdminRequestsOptions } from './adminjs/request-guard.js';
export type { GuardAdminLogoutOptions } from './adminjs/logout-guard.js';

// ── deprecated names, kept for one release ───────────────────────────────────────────────────────────────────
export { userSessionsFeature } from './adminjs/feature.js';
/** @deprecated since 0.2.0: renamed `guardAdminRequests` (the three middlewares are named alike now). */
export { guardAdminRequests as singleSessionAdminGuard } from './adminjs/request-guard.js';
