/**
 * The database the tests run against: a scratch database on the server named by DATABASE_URL (created for this
 * run, dropped after it), or embedded PGlite when DATABASE_URL is unset.
 */
import pg from 'pg';
import { Sequelize } from 'sequelize';
import { isAlive, startEmbeddedPostgres } from '../../example/db/embedded-postgres.js';

export interface TestDatabase {
  url: string;
  /** True on a real PostgreSQL server (concurrency tests need it). */
  real: boolean;
  stop(): Promise<void>;
}

let current: Promise<TestDatabase> | undefined;

export function testDatabase(): Promise<TestDatabase> {
  current ??= open();
  return current;
}

export async function stopTestDatabase(): Promise<void> {
  if (current) await (await current).stop();
  current = undefined;
}

async function open(): Promise<TestDatabase> {
  const base = process.env.DATABASE_URL;
  if (!base) {
    const embedded = await startEmbeddedPostgres();
    return { url: embedded.url, real: false, stop: embedded.stop };
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
    return { url: embedded.url, real: false, stop: embedded.stop };
  }
  return createOnServer(base, `${PREFIX}${process.pid}_${Date.now()}_${label}`);
}

async function createOnServer(base: string, name: string): Promise<TestDatabase> {
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await dropAbandoned(admin);
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    real: true,
    async stop() {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}

const PREFIX = 'single_session_test_';

/** Scratch databases of runs that were killed before their clean-up (their process is gone). */
async function dropAbandoned(admin: pg.Client): Promise<void> {
  const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE '${PREFIX}%'`);
  for (const { datname } of rows) {
    const pid = Number(datname.slice(PREFIX.length).split('_')[0]);
    if (pid && !isAlive(pid)) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  }
}

export function connect(url: string, pool = 10): Sequelize {
  return new Sequelize(url, { dialect: 'postgres', logging: false, pool: { max: pool, min: 0 } });
}
