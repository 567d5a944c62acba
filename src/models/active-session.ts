/**
 * A read-only Sequelize model over the view "ActiveSessions" (migration 20261126000001): what the AdminJS
 * "Sessions" resource lists. The view has no sid: a session is named by its public handle `id`.
 *
 * A hook guards every query of the model: ids and user ids that cannot exist (`abc`, 10^30) match nothing, instead
 * of reaching the database as a cast error (AdminJS looks records up before any action code runs). The view itself
 * is checked at start-up with the tables.
 */
import { DataTypes, Op, type CountOptions, type FindOptions, type Model, type ModelStatic, type Sequelize } from 'sequelize';
import { isHandle, isUserId, type UserKeyKind } from '../ids.js';
import type { UserSessionRow } from './user-session.js';
import { userKeyType } from './user-key.js';

const VIEW = 'ActiveSessions';
const MODEL_NAME = 'ActiveSession';

/** A row of the view: a link's columns without the sid, plus the session's expiry. */
export interface ActiveSessionRow extends Omit<UserSessionRow, 'sid'> {
  /** Public handle (UserSessions.id), as text: it is a bigint. */
  id: string;
  /** When it ends unless used again; null: never. */
  expires: Date | null;
}
/** The read-only Sequelize model of the `ActiveSessions` view. */
export type ActiveSessionModel = ModelStatic<Model<ActiveSessionRow>>;

/** The model on this Sequelize instance (defined once per instance). */
export function defineActiveSession(sequelize: Sequelize, keyKind: UserKeyKind, userModel?: ModelStatic<Model>): ActiveSessionModel {
  const existing = sequelize.models[MODEL_NAME] as ActiveSessionModel | undefined;
  if (existing) return existing;
  const guard = (options: FindOptions | CountOptions) => {
    keepPossible(options.where, 'id', isHandle);
    keepPossible(options.where, 'userId', (id) => isUserId(keyKind, id));
  };
  return sequelize.define<Model<ActiveSessionRow>>(
    MODEL_NAME,
    {
      id: {
        type: DataTypes.BIGINT,
        primaryKey: true,
        // Text on every database (PostgreSQL's driver gives a bigint as text, MariaDB's as a number): a handle
        // past 2^53 stays exact, and AdminJS's record ids are the same on both.
        get(this: Model<ActiveSessionRow>) {
          const id = this.getDataValue('id') as unknown;
          return id === null || id === undefined ? id : String(id);
        },
      },
      userId: { type: userKeyType(userModel, keyKind), allowNull: false },
      createdAt: { type: DataTypes.DATE, allowNull: false },
      lastSeenAt: { type: DataTypes.DATE, allowNull: false },
      ip: { type: DataTypes.STRING(64) },
      userAgent: { type: DataTypes.STRING(512) },
      browser: { type: DataTypes.STRING(100) },
      os: { type: DataTypes.STRING(100) },
      device: { type: DataTypes.STRING(100) },
      expires: { type: DataTypes.DATE },
    },
    { tableName: VIEW, timestamps: false, hooks: { beforeFind: guard, beforeCount: guard } },
  );
}

/** Drops impossible values from `where[key]` (a value, a list, or `{ [Op.in]: list }`): they match no row. */
function keepPossible(where: unknown, key: string, possible: (v: unknown) => boolean): void {
  if (!where || typeof where !== 'object' || !(key in where)) return;
  const conditions = where as Record<string, any>;
  const value = conditions[key];
  if (Array.isArray(value)) conditions[key] = value.filter(possible);
  else if (value && typeof value === 'object' && Array.isArray(value[Op.in])) value[Op.in] = value[Op.in].filter(possible);
  else if (typeof value === 'string' || typeof value === 'number') {
    if (!possible(value)) conditions[key] = { [Op.in]: [] };
  }
}
