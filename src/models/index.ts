import type { Model, ModelStatic, Sequelize } from 'sequelize';
import type { UserKeyKind } from '../ids.js';
import { defineActiveSession, type ActiveSessionModel } from './active-session.js';
import { defineSessionAuditEvent, type SessionAuditEventModel } from './audit-event.js';
import { defineSession, type SessionModel } from './session.js';
import { defineUserSession, type UserSessionModel } from './user-session.js';

export type { SessionRow, SessionModel } from './session.js';
export type { UserSessionRow, UserSessionModel } from './user-session.js';
export type { SessionAuditEventRow, SessionAuditEventModel } from './audit-event.js';
export type { ActiveSessionRow, ActiveSessionModel } from './active-session.js';

/** The package's Sequelize models (`singleSession.models`, or `defineModels`). */
export interface SingleSessionModels {
  /** `Sessions`: express-session's rows. */
  Session: SessionModel;
  /** `UserSessions`: which user each session belongs to, with the login's metadata. */
  UserSession: UserSessionModel;
  /** `SessionAuditEvents`: the audit trail (written with `audit: true`). */
  SessionAuditEvent: SessionAuditEventModel;
  /** The live sessions, read-only (the view behind the AdminJS "Sessions" resource). */
  ActiveSession: ActiveSessionModel;
}

/**
 * Registers the models on `sequelize` (once per instance; a second call returns the same models). `userId` columns
 * take the type of `userModel`'s key, else of `keyKind`, else integer.
 */
export function defineModels(sequelize: Sequelize, userModel?: ModelStatic<Model>, keyKind?: UserKeyKind): SingleSessionModels {
  const session = defineSession(sequelize);
  return {
    Session: session,
    UserSession: defineUserSession(sequelize, session, userModel, keyKind),
    SessionAuditEvent: defineSessionAuditEvent(sequelize),
    ActiveSession: defineActiveSession(sequelize, keyKind ?? 'integer', userModel),
  };
}
