import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Sequelize, type QueryInterface } from 'sequelize';
import { SequelizeStorage, Umzug } from 'umzug';

const require = createRequire(import.meta.url);

/** The folder of the shipped sequelize-cli migrations (works from `src/` under tsx and from `dist/src/`). */
export const migrationsPath: string = findUp('migrations');

function findUp(folder: string): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, folder);
    if (existsSync(path.join(dir, 'package.json')) && existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`adminjs-single-session: cannot find its ${folder}/ folder`);
    dir = parent;
  }
}

/** Options of `migrate`, `unmigrate` and `createMigrator`. */
export interface MigrateOptions {
  /** The app's Sequelize instance. */
  sequelize: Sequelize;
  /** The host's user table, referenced by UserSessions.userId. Default: SINGLE_SESSION_USER_TABLE or "Users". */
  userTable?: string;
  /** Folder of `.cjs` sequelize-cli migrations to run. Default: this package's `migrations/`. */
  folder?: string;
}

interface CliMigration {
  up(queryInterface: QueryInterface, sequelize: typeof Sequelize, options?: object): Promise<unknown>;
  down(queryInterface: QueryInterface, sequelize: typeof Sequelize, options?: object): Promise<unknown>;
}

/**
 * An umzug migrator over sequelize-cli migration files. It records what ran in SequelizeMeta under the file
 * name, exactly as sequelize-cli does, so the two can be mixed on one database.
 */
export function createMigrator({ sequelize, userTable, folder = migrationsPath }: MigrateOptions) {
  const options = { userTable };
  return new Umzug<QueryInterface>({
    migrations: {
      glob: ['*.cjs', { cwd: folder }],
      resolve: ({ name, path: file, context }) => {
        const migration = require(file!) as CliMigration;
        return {
          name,
          up: () => migration.up(context, Sequelize, options),
          down: () => migration.down(context, Sequelize, options),
        };
      },
    },
    context: sequelize.getQueryInterface(),
    storage: new SequelizeStorage({ sequelize }),
    logger: undefined,
  });
}

/** Applies the pending migrations; returns the names of those it ran. */
export async function migrate(options: MigrateOptions): Promise<string[]> {
  const done = await createMigrator(options).up();
  return done.map((m) => m.name);
}

/** Reverts every migration of the folder (drops the tables: everybody is logged out). */
export async function unmigrate(options: MigrateOptions): Promise<string[]> {
  const undone = await createMigrator(options).down({ to: 0 });
  return undone.map((m) => m.name);
}
