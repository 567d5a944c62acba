import { DataTypes, type Model, type ModelStatic, type Sequelize } from 'sequelize';

/** A row of `Sessions`: the connect-session-sequelize layout (plus an index on `expires`, see the migration). */
export interface SessionRow {
  sid: string;
  expires: Date | null;
  data: string | null;
  createdAt: Date;
  updatedAt: Date;
}
export type SessionModel = ModelStatic<Model<SessionRow>>;

export function defineSession(sequelize: Sequelize): SessionModel {
  return (sequelize.models.Session as SessionModel | undefined) ?? sequelize.define<Model<SessionRow>>(
    'Session',
    {
      sid: { type: DataTypes.STRING(255), primaryKey: true },
      expires: { type: DataTypes.DATE, allowNull: true },
      data: { type: DataTypes.TEXT, allowNull: true },
      createdAt: { type: DataTypes.DATE, allowNull: false },
      updatedAt: { type: DataTypes.DATE, allowNull: false },
    },
    { tableName: 'Sessions', indexes: [{ name: 'sessions_expires', fields: ['expires'] }] },
  );
}
