import { DataTypes, type Model, type ModelStatic, type Sequelize } from 'sequelize';

/** A row of `Sessions`: the connect-session-sequelize layout (plus an index on `expires`, see the migration). */
export interface SessionRow {
  /** The session id: a bearer secret, never shown. */
  sid: string;
  /** When it ends unless written again (the cookie's expiry, shortened by the timeouts); null: never. */
  expires: Date | null;
  /** express-session's data, as JSON. */
  data: string | null;
  /** When the row was created. */
  createdAt: Date;
  /** When it was last written (the idle timeout counts from it). */
  updatedAt: Date;
}
/** The Sequelize model of `Sessions`. */
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
