/**
 * The database the tests run against: a scratch database on the server named by DATABASE_URL (created for this
 * run, dropped after it; `postgres://` or `mariadb://`), or embedded PGlite when DATABASE_URL is unset.
 */
import pg from 'pg';
import { QueryTypes, Sequelize } from 'sequelize';
import { isAlive, startEmbeddedPostgres } from '../../example/db/embedded-postgres.js';

export type Dialect = 'postgres' | 'mariadb';

export interface TestDatabase {
  url: string;
  dialect: Dialect;
  /** True on a real server (PostgreSQL or MariaDB): the concurrency tests need one. */
  real: boolean;
  stop(): Promise<void>;
}

// On globalThis, not in a module variable: mocha may load this file twice in one process — as CommonJS for the
// root hooks (test/support/hooks.ts) and as ESM for the test files (seen when a test file imports AdminJS) — and
// the second instance's database, made by the tests, was then never dropped (issue 27, item 5).
const KEY = Symbol.for('adminjs-single-session.test-database');
const shared = ((globalThis as Record<symbol, unknown>)[KEY] ??= {}) as {
  current?: Promise<TestDatabase>;
  through?: (url: string) => string;
};

/**
 * From now on the test databases' URLs lead through a pooler (test/cluster: PgBouncer): `through` turns a direct
 * URL into the pooled one. Creating and dropping the scratch databases stays direct.
 */
export function connectThrough(through: ((url: string) => string) | undefined): void {
  if (through && shared.current) throw new Error('connectThrough: the test database is open already; call it before the first testDatabase()');
  shared.through = through;
}

export function testDatabase(): Promise<TestDatabase> {
  shared.current ??= open();
  return shared.current;
}

export async function stopTestDatabase(): Promise<void> {
  const current = shared.current;
  shared.current = undefined;
  if (current) await (await current).stop();
}

/**
 * The scratch databases on the DATABASE_URL server that this process (or, with `pid: undefined`, any process)
 * created and did not drop: the root hook fails the run when one is left (every database a test makes must be
 * dropped by it), and .ci/run checks the server is clean after all suites.
 */
export async function leftoverDatabases({ pid = process.pid as number | undefined, drop = false } = {}): Promise<string[]> {
  const base = process.env.DATABASE_URL;
  if (!base) return [];
  const admin = await serverAdmin(base);
  try {
    const names = await admin.databases(pid === undefined ? PREFIX : `${PREFIX}${pid}_`);
    if (drop) for (const name of names) await admin.run(dropDatabase(dialectOf(base), name));
    return names;
  } finally {
    await admin.end();
  }
}

/** The dialect of DATABASE_URL (PGlite is PostgreSQL). */
export function testDialect(): Dialect {
  return dialectOf(process.env.DATABASE_URL);
}

export function dialectOf(url: string | undefined): Dialect {
  if (!url) return 'postgres';
  const scheme = new URL(url).protocol.replace(/:$/, '');
  if (scheme === 'postgres' || scheme === 'postgresql') return 'postgres';
  if (scheme === 'mariadb') return 'mariadb';
  throw new Error(`DATABASE_URL: the tests run on postgres:// or mariadb:// URLs, got ${scheme}://`);
}

/**
 * Skips the calling suite (with the reason printed) unless the test database is PostgreSQL: for what exists only
 * there (the NestJS example's TypeORM setup, PostgreSQL's own plans and extensions).
 */
export function postgresOnly(suite: Mocha.Suite, why: string): void {
  if (testDialect() === 'postgres') return;
  suite.beforeAll(function () {
    console.log(`    (skipped on ${testDialect()}: ${why})`);
    this.skip();
  });
}

async function open(): Promise<TestDatabase> {
  const base = process.env.DATABASE_URL;
  if (!base) {
    const embedded = await startEmbeddedPostgres();
    return { url: embedded.url, dialect: 'postgres', real: false, stop: embedded.stop };
  }
  return createOnServer(base, `${PREFIX}${process.pid}_${Date.now()}`);
}

/**
 * Another empty database, for a test that hands it to a child process (an installed app, the demo): on the
 * DATABASE_URL server (dropped by `stop`), or a new in-memory embedded PostgreSQL served by this process.
 */
export async function scratchDatabase(label: string, { maxConnections = 32 } = {}): Promise<TestDatabase> {
  if (!/^[a-z0-9_]+$/.test(label)) throw new Error(`scratchDatabase: the label must be [a-z0-9_]+, got ${JSON.stringify(label)}`);
  const base = process.env.DATABASE_URL;
  if (!base) {
    const embedded = await startEmbeddedPostgres({ maxConnections });
    return { url: embedded.url, dialect: 'postgres', real: false, stop: embedded.stop };
  }
  return createOnServer(base, `${PREFIX}${process.pid}_${Date.now()}_${label}`);
}

/** The server's administration, as the tests need it: list, create and drop scratch databases. */
interface ServerAdmin {
  databases(prefix: string): Promise<string[]>;
  run(sql: string): Promise<void>;
  end(): Promise<void>;
}

async function serverAdmin(base: string): Promise<ServerAdmin> {
  if (dialectOf(base) === 'postgres') {
    const client = new pg.Client({ connectionString: base });
    await client.connect();
    return {
      async databases(prefix) {
        const { rows } = await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`${prefix}%`]);
        return rows.map((r) => r.datname);
      },
      async run(sql) { await client.query(sql); },
      end: () => client.end(),
    };
  }
  const sequelize = new Sequelize(base, { logging: false, pool: { max: 1, min: 0 } });
  return {
    async databases(prefix) {
      // A SELECT says so: mariadb 3.x's result array refuses the `delete meta` Sequelize does for raw queries.
      const rows = await sequelize.query<{ name: string }>(`SELECT schema_name AS name FROM information_schema.schemata WHERE schema_name LIKE ?`, {
        replacements: [`${prefix}%`], type: QueryTypes.SELECT,
      });
      return rows.map((r) => r.name);
    },
    async run(sql) { await sequelize.query(sql); },
    end: () => sequelize.close(),
  };
}

const createDatabase = (dialect: Dialect, name: string) =>
  dialect === 'postgres' ? `CREATE DATABASE "${name}"` : `CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`;
const dropDatabase = (dialect: Dialect, name: string) =>
  dialect === 'postgres' ? `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)` : `DROP DATABASE IF EXISTS \`${name}\``;

async function createOnServer(base: string, name: string): Promise<TestDatabase> {
  const dialect = dialectOf(base);
  const admin = await serverAdmin(base);
  await dropAbandoned(admin, dialect);
  await admin.run(createDatabase(dialect, name));
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: shared.through ? shared.through(url.toString()) : url.toString(),
    dialect,
    real: true,
    async stop() {
      const client = await serverAdmin(base);
      await client.run(dropDatabase(dialect, name));
      await client.end();
    },
  };
}

const PREFIX = 'single_session_test_';

/** Scratch databases of runs that were killed before their clean-up (their process is gone). */
async function dropAbandoned(admin: ServerAdmin, dialect: Dialect): Promise<void> {
  for (const name of await admin.databases(PREFIX)) {
    const pid = Number(name.slice(PREFIX.length).split('_')[0]);
    if (pid && !isAlive(pid)) await admin.run(dropDatabase(dialect, name));
  }
}

/** A Sequelize instance on the test database; the dialect comes from the URL, as in any app. */
export function connect(url: string, pool = 10): Sequelize {
  return new Sequelize(url, { logging: false, pool: { max: pool, min: 0 } });
}
