/**
 * A read-only Sequelize model over the view "ActiveSessions" (migration 20261126000001): what the AdminJS
 * "Sessions" resource lists. The view has no sid: a session is named by its public handle `id`.
 *
 * Two hooks guard every query of the model:
 * - the view is checked once (a missing migration gives an error saying which one, not "relation does not exist");
 * - ids and user ids that cannot exist (`abc`, 10^30) match nothing, instead of reaching PostgreSQL as a cast error
 *   (AdminJS looks records up before any action code runs).
 */
import { DataTypes, Op, QueryTypes, type CountOptions, type FindOptions, type Model, type ModelStatic } from 'sequelize';
import { isHandle } from '../../registry.js';
import type { UserSessionRow } from '../../models/index.js';
import type { SingleSession } from '../../single-session.js';
import { failConfig, sessionsMessages } from './options.js';

export const VIEW = 'ActiveSessions';
export const MODEL_NAME = 'ActiveSession';

/** A row of the view: a link's columns without the sid, plus the session's expiry. */
export interface ActiveSessionRow extends Omit<UserSessionRow, 'sid'> {
  /** Public handle (UserSessions.id), as text: it is a bigint. */
  id: string;
  expires: Date | null;
}
export type ActiveSessionModel = ModelStatic<Model<ActiveSessionRow>>;

/** Could this be a user id (of the user key's type and range)? */
export const possibleUserId = (singleSession: SingleSession) => (v: unknown): boolean => singleSession.registry.isUserId(v);

/** The model on the engine's Sequelize instance (defined once per instance). */
export function activeSessionModel(singleSession: SingleSession): ActiveSessionModel {
  const { sequelize, userModel } = singleSession.options;
  const existing = sequelize.models[MODEL_NAME] as ActiveSessionModel | undefined;
  if (existing) return existing;

  const isUserId = possibleUserId(singleSession);
  let viewChecked: Promise<void> | undefined;
  const checkView = () => (viewChecked ??= sequelize
    .query<{ view: string | null }>(`SELECT to_regclass('"${VIEW}"')::text AS view`, { type: QueryTypes.SELECT })
    .then(([row]) => {
      if (!row?.view) failConfig(sessionsMessages.missingView(VIEW));
    })
    .catch((err) => {
      viewChecked = undefined; // checked again next time: the host may run the migration meanwhile
      throw err;
    }));

  const guard = async (options: FindOptions | CountOptions) => {
    await checkView();
    keepPossible(options.where, 'id', isHandle);
    keepPossible(options.where, 'userId', isUserId);
  };

  const keyType = userModel ? userModel.getAttributes()[userModel.primaryKeyAttribute]!.type : DataTypes.INTEGER;
  return sequelize.define<Model<ActiveSessionRow>>(
    MODEL_NAME,
    {
      id: { type: DataTypes.BIGINT, primaryKey: true },
      userId: { type: keyType, allowNull: false },
      createdAt: { type: DataTypes.DATE, allowNull: false },
      lastSeenAt: { type: DataTypes.DATE, allowNull: false },
      ip: { type: DataTypes.STRING(64) },
      userAgent: { type: DataTypes.STRING(512) },
      browser: { type: DataTypes.STRING(100) },
      os: { type: DataTypes.STRING(100) },
      device: { type: DataTypes.STRING(100) },
      expires: { type: DataTypes.DATE },
    },
    {
      tableName: VIEW,
      timestamps: false,
      hooks: { beforeFind: guard, beforeCount: guard },
    },
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
