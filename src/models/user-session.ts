import { DataTypes, type Model, type ModelStatic, type Sequelize } from 'sequelize';
import type { UserKeyKind } from '../ids.js';
import type { SessionModel } from './session.js';
import { userKeyType } from './user-key.js';

/** A row of `UserSessions`: the link from a session to the user logged in on it, with the login's metadata. */
export interface UserSessionRow {
  /** The session (`Sessions.sid`); deleting the session deletes the link. */
  sid: string;
  /** The user's primary key. */
  userId: string | number;
  /** When the user signed in on this session (the absolute timeout counts from it). */
  createdAt: Date;
  /** When the session was last used (written at most once per `lastSeenIntervalMs`). */
  lastSeenAt: Date;
  /** The login's IP address, as given. */
  ip: string | null;
  /** The login's `User-Agent` header. */
  userAgent: string | null;
  /** Browser name and major version. */
  browser: string | null;
  /** Operating system and version. */
  os: string | null;
  /** Device type, vendor and model. */
  device: string | null;
}
/** The Sequelize model of `UserSessions`. */
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
