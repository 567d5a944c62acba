import { DataTypes, type DataType, type Model, type ModelStatic } from 'sequelize';
import type { UserKeyKind } from '../ids.js';

const KEY_TYPES: Record<UserKeyKind, DataType> = {
  smallint: DataTypes.SMALLINT, integer: DataTypes.INTEGER, bigint: DataTypes.BIGINT, uuid: DataTypes.UUID, text: DataTypes.STRING(255),
};

/**
 * The Sequelize type of a `userId` column: the user model's key type when there is one, else the kind the schema
 * has (the migration copied it from the user table), else integer.
 */
export function userKeyType(userModel?: ModelStatic<Model>, kind?: UserKeyKind): DataType {
  if (userModel) return userModel.getAttributes()[userModel.primaryKeyAttribute]!.type;
  return KEY_TYPES[kind ?? 'integer'];
}
