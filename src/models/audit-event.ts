import { DataTypes, type Model, type ModelStatic, type Sequelize } from 'sequelize';

/** A row of `SessionAuditEvents`: one ending of sessions (written only with the `audit: true` option). */
export interface SessionAuditEventRow {
  id: string;
  at: Date;
  reason: string;
  actorId: string | null;
  userIds: string[];
  sessionCount: number;
}
export type SessionAuditEventModel = ModelStatic<Model<SessionAuditEventRow>>;

export function defineSessionAuditEvent(sequelize: Sequelize): SessionAuditEventModel {
  return (sequelize.models.SessionAuditEvent as SessionAuditEventModel | undefined) ?? sequelize.define<Model<SessionAuditEventRow>>(
    'SessionAuditEvent',
    {
      id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
      at: { type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW },
      reason: { type: DataTypes.STRING(16), allowNull: false },
      actorId: { type: DataTypes.STRING(255), allowNull: true },
      userIds: { type: DataTypes.JSONB, allowNull: false },
      sessionCount: { type: DataTypes.INTEGER, allowNull: false },
    },
    { tableName: 'SessionAuditEvents', timestamps: false },
  );
}
