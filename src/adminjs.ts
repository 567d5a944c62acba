/**
 * The AdminJS side, a separate entry (`adminjs-single-session/adminjs`) so that an app without AdminJS (Passport
 * or a hand-written login) never loads it: wiring for @adminjs/express's login and logout, the "Log out on all
 * sessions" feature, and the session pages.
 */
export { withSingleSession, SingleSessionAuthProvider, explainEndedSessions, END_REASON_MESSAGES, guardAdminLogout } from './integrations/adminjs.js';
export type { GuardAdminLogoutOptions } from './integrations/adminjs.js';
export * from './adminjs/index.js';
export * from './adminjs/sessions/index.js';
