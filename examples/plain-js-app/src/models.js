// What the app had before it installed adminjs-single-session: its Sequelize instance and its Account model.
import { DataTypes, Sequelize } from 'sequelize';

if (!process.env.DATABASE_URL) throw new Error('Set DATABASE_URL to a postgres:// or mariadb:// URL.');

export const sequelize = new Sequelize(process.env.DATABASE_URL, { logging: false });

export const Account = sequelize.define('Account', {
  id: { type: DataTypes.UUID, defaultValue: DataTypes.UUIDV4, primaryKey: true },
  email: { type: DataTypes.STRING, allowNull: false, unique: true },
  passwordDigest: { type: DataTypes.STRING, allowNull: false },
  role: { type: DataTypes.STRING, allowNull: false, defaultValue: 'member' },
}, { tableName: 'accounts' });
