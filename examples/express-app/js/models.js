// src/models.ts without its types (test/install/readme.test.ts checks it): what the app had before.
/**
 * What the app had before it installed adminjs-single-session: its Sequelize instance and its User model (with
 * secrets that must never reach a browser: the password digest and an API token).
 */
import { DataTypes, Model, Sequelize } from 'sequelize';
if (!process.env.DATABASE_URL) throw new Error('Set DATABASE_URL to a postgres:// or mariadb:// URL.');
// The dialect comes from the URL's scheme.
export const sequelize = new Sequelize(process.env.DATABASE_URL, { logging: false });
export class User extends Model {} // its attributes come from User.init below
User.init({
  id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
  email: { type: DataTypes.STRING, allowNull: false, unique: true },
  fullName: { type: DataTypes.STRING, allowNull: false },
  passwordDigest: { type: DataTypes.STRING, allowNull: false },
  apiToken: { type: DataTypes.STRING, allowNull: true },
  role: { type: DataTypes.STRING, allowNull: false, defaultValue: 'member' },
  createdAt: DataTypes.DATE,
  updatedAt: DataTypes.DATE,
}, { sequelize, tableName: 'Users' });
