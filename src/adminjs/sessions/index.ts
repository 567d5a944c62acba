/** The session pages: the Sessions resource, the user's sessions panel, "My sessions", the audit resource. */
export { sessionsResource } from './resource.js';
export type { SessionsResourceOptions } from './resource.js';
export { SESSION_ACTIONS, SESSION_NOTICES } from './end.js';
export { userSessionsFeature, USER_SESSIONS } from './user-sessions.js';
export type { UserSessionsFeatureOptions } from './user-sessions.js';
export { mySessionsPage, MY_SESSIONS, MY_SESSIONS_NOTICES } from './my-sessions.js';
export type { MySessionsPageOptions } from './my-sessions.js';
export { auditResource } from './audit.js';
export type { AuditResourceOptions } from './audit.js';
export { activeSessionModel, VIEW as ACTIVE_SESSIONS_VIEW } from './model.js';
export type { ActiveSessionRow, ActiveSessionModel } from './model.js';
export type { ListedSession } from './list.js';
export { sessionsTranslations } from './locales.js';
export type { SessionsTranslations } from './locales.js';
