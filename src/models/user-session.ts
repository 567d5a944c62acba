import { DataTypes, type Model, type ModelStatic, type Sequelize } from 'sequelize';
import type { UserKeyKind } from '../ids.js';
import type { SessionModel } from './session.js';
import { userKeyType } from './user-key.js';

/** A row of `UserSessions`: the link from a session to the user logged in on it, with the login's metadata. */
export interface UserSessionRow {
  sid: string;
  userId: string | number;
  createdAt: Date;
  lastSeenAt: Date;
  ip: string | null;
  userAgent: string | null;
  browser: string | null;
  os: string | null;
  device: string | null;
}
export type UserSessionModel = ModelStatic<Model<UserSessionRow>>;

/** `userId` has the type of the user key (see userKeyType). */
export function defineUserSession(
  sequelize: Sequelize, session: SessionModel, userModel?: ModelStatic<Model>, keyKind?: UserKeyKind,
): UserSessionModel {
  const existing = sequelize.models.UserSession as UserSessionModel | undefined;
  if (existing) return existing;
  const model = sequelize.define<Model<UserSessionRow>>(
    'UserSession',
    {
      sid: { type: DataTypes.STRING(255), primaryKey: true },
      userId: { type: userKeyType(userModel, keyKind), allowNull: false },
      createdAt: { type: DataTypes.DATE, allowNull: false },
      lastSeenAt: { type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW },
      ip: { type: DataTypes.STRING(64), allowNull: true },
      userAgent: { type: DataTypes.STRING(512), allowNull: true },
      browser: { type: DataTypes.STRING(100), allowNull: true },
      os: { type: DataTypes.STRING(100), allowNull: true },
      device: { type: DataTypes.STRING(100), allowNull: true },
    },
    { tableName: 'UserSessions', updatedAt: false },
  );
  model.belongsTo(session, { foreignKey: 'sid', targetKey: 'sid', onDelete: 'CASCADE' });
  if (userModel) model.belongsTo(userModel, { foreignKey: 'userId', as: 'user', onDelete: 'CASCADE' });
  return model;
}
