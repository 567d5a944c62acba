/** The AdminJS feature: "Log out on all sessions" actions, their permissions, texts and request guard. */
export { singleSessionFeature, COMPONENT_PATH } from './feature.js';
export type { SingleSessionFeatureOptions } from './feature.js';
export { ACTIONS as SINGLE_SESSION_ACTIONS, COMPONENT_NAME as SINGLE_SESSION_COMPONENT } from './actions.js';
export type { SingleSessionActionName, TargetInfo, Outcome } from './actions.js';
export { PERMISSIONS as SINGLE_SESSION_PERMISSIONS, defaultCan } from './permissions.js';
export type { Can, Permission } from './permissions.js';
export { singleSessionTranslations, withSingleSessionTranslations } from './locales/index.js';
export type { SingleSessionTranslations } from './locales/index.js';
export { singleSessionAdminGuard, noticeText } from './guard.js';
export type { AdminGuardOptions } from './guard.js';
