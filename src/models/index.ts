import type { Model, ModelStatic, Sequelize } from 'sequelize';
import { defineSessionAuditEvent, type SessionAuditEventModel } from './audit-event.js';
import { defineSession, type SessionModel } from './session.js';
import { defineUserSession, type UserSessionModel } from './user-session.js';

export type { SessionRow, SessionModel } from './session.js';
export type { UserSessionRow, UserSessionModel } from './user-session.js';
export type { SessionAuditEventRow, SessionAuditEventModel } from './audit-event.js';

export interface SingleSessionModels {
  Session: SessionModel;
  UserSession: UserSessionModel;
  SessionAuditEvent: SessionAuditEventModel;
}

/** Registers the models on `sequelize` (once per instance; a second call returns the same models). */
export function defineModels(sequelize: Sequelize, userModel?: ModelStatic<Model>): SingleSessionModels {
  const session = defineSession(sequelize);
  return {
    Session: session,
    UserSession: defineUserSession(sequelize, session, userModel),
    SessionAuditEvent: defineSessionAuditEvent(sequelize),
  };
}
