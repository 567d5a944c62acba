/** The demo's own user model. A host app brings its own; the package only needs its primary key. */
import { DataTypes, type Model, type ModelStatic, type Sequelize } from 'sequelize';

export interface UserRow {
  id: number;
  email: string;
  passwordHash: string;
  isAdmin: boolean;
  permissions: string[];
  /** The demo's "account disabled" flag (migration 20261208000000): no sign-in, and setting it ends every session. */
  disabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}
export type UserModel = ModelStatic<Model<UserRow, Partial<UserRow>>>;

export function defineUser(sequelize: Sequelize): UserModel {
  return (sequelize.models.User as UserModel | undefined) ?? sequelize.define<Model<UserRow, Partial<UserRow>>>(
    'User',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      email: { type: DataTypes.STRING(255), allowNull: false, unique: true },
      passwordHash: { type: DataTypes.STRING(255), allowNull: false },
      isAdmin: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      permissions: { type: sequelize.getDialect() === 'postgres' ? DataTypes.JSONB : DataTypes.JSON, allowNull: false, defaultValue: [] },
      disabled: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      createdAt: { type: DataTypes.DATE, allowNull: false },
      updatedAt: { type: DataTypes.DATE, allowNull: false },
    },
    { tableName: 'Users' },
  );
}

/** The engine's `isActive` for the demo's users: a disabled user cannot sign in and loses every session. */
export const isActiveUser = (user: Model): boolean => user.get('disabled') !== true;
