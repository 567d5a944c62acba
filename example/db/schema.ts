import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Sequelize } from 'sequelize';
import { migrate } from '../../src/index.js';

/** The demo's migrations folder: its users table, then the package's migration (re-exported, as a host would). */
export const demoMigrations = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export function migrateDemo(sequelize: Sequelize): Promise<string[]> {
  return migrate({ sequelize, folder: demoMigrations });
}
