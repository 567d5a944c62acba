import { DataTypes, type Model, type ModelStatic, type Sequelize } from 'sequelize';

/** A row of `SessionAuditEvents`: one ending of sessions (written only with the `audit: true` option). */
export interface SessionAuditEventRow {
  /** The row's id (a bigint, as text). */
  id: string;
  /** When the ending committed. */
  at: Date;
  /** Why (`AuditReason`). */
  reason: string;
  /** Who did it (a user id as text); null for the timeouts and the purge. */
  actorId: string | null;
  /** The users whose sessions ended. */
  userIds: string[];
  /** How many sessions ended. */
  sessionCount: number;
}
/** The Sequelize model of `SessionAuditEvents`. */
export type SessionAuditEventModel = ModelStatic<Model<SessionAuditEventRow>>;

export function defineSessionAuditEvent(sequelize: Sequelize): SessionAuditEventModel {
  return (sequelize.models.SessionAuditEvent as SessionAuditEventModel | undefined) ?? sequelize.define<Model<SessionAuditEventRow>>(
    'SessionAuditEvent',
    {
      id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
      at: { type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW },
      reason: { type: DataTypes.STRING(16), allowNull: false },
      actorId: { type: DataTypes.STRING(255), allowNull: true },
      userIds: { type: DataTypes.JSON, allowNull: false }, // jsonb on PostgreSQL, JSON on MariaDB: read and written alike
      sessionCount: { type: DataTypes.INTEGER, allowNull: false },
    },
    { tableName: 'SessionAuditEvents', timestamps: false },
  );
}
