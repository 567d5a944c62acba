/**
 * Starting the demo: the database brought up to date (the migrations, then the seeders when the Users table
 * is empty), then the app served over HTTP. Several processes may start at once on one database (the stress
 * suite starts four), so the database step runs under a lock held on a connection of its own: on PostgreSQL a
 * transaction-level advisory lock in a transaction kept open meanwhile (so it also works behind PgBouncer in
 * transaction pooling), a named lock (GET_LOCK) on MariaDB.
 */
import { readdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import mariadb from 'mariadb';
import pg from 'pg';
import { QueryTypes, Sequelize, type QueryInterface } from 'sequelize';
import { createSingleSession, type SingleSession, type SingleSessionOptions } from '../src/index.js';
import { buildDemoApp } from './app.js';
import { isEmbeddedPostgres } from './db/embedded-urls.js';
import { migrateDemo } from './db/schema.js';
import { defineUser, isActiveUser, type UserModel } from './db/users.js';

const require = createRequire(import.meta.url);
export const seedersPath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'seeders');

/** Any constant that every demo process agrees on. */
const SETUP_LOCK_KEY = 7_236_001;

interface CliSeeder {
  up(queryInterface: QueryInterface, sequelize: typeof Sequelize): Promise<unknown>;
}

/** Runs every sequelize-cli seeder of `seeders/`, in file-name order, as `npx sequelize-cli db:seed:all` would. */
export async function runSeeders(sequelize: Sequelize): Promise<string[]> {
  const files = readdirSync(seedersPath).filter((f) => f.endsWith('.cjs')).sort();
  for (const file of files) {
    await (require(path.join(seedersPath, file)) as CliSeeder).up(sequelize.getQueryInterface(), Sequelize);
  }
  return files;
}

export interface SetupResult {
  migrated: string[];
  seeded: string[];
}

/** The setup lock, taken; `release` unlocks it and closes its connection. */
interface SetupLock {
  release(): Promise<void>;
}

async function takeSetupLock(url: string): Promise<SetupLock> {
  // The embedded PostgreSQL belongs to this one process, and it runs one transaction at a time: a lock held in an
  // open transaction would make the migrations on the pool's other connections wait for ever.
  if (isEmbeddedPostgres(url)) return { release: async () => undefined };
  if (url.startsWith('mariadb:')) {
    const connection = await mariadb.createConnection(url);
    connection.on('error', () => undefined);
    // Named locks are the server's, not the database's: the name says which database (64 characters at most).
    const name = 'SELECT CONCAT(\'adminjs-single-session-demo-\', MD5(DATABASE()))';
    try {
      const [{ ok }] = await connection.query(`SELECT GET_LOCK((${name}), 300) AS ok`) as Array<{ ok: number | bigint | null }>;
      if (Number(ok) !== 1) throw new Error('the demo\'s setup lock was not granted within 300 s (another process is still setting up?)');
    } catch (err) {
      await connection.end().catch(() => undefined);
      throw err;
    }
    return {
      async release() {
        await connection.query(`SELECT RELEASE_LOCK((${name}))`).catch(() => undefined);
        await connection.end().catch(() => undefined);
      },
    };
  }
  const lock = new pg.Client({ connectionString: url });
  lock.on('error', () => undefined); // a dropped connection also fails the pending query, which is what we report
  await lock.connect();
  try {
    // Not pg_advisory_lock: behind PgBouncer (transaction pooling) a session-level lock stays on whichever server
    // connection ran it, after this client is gone, and the unlock may run on another one. An open transaction
    // keeps one server connection for itself, and its lock ends with it.
    await lock.query('BEGIN');
    await lock.query('SELECT pg_advisory_xact_lock($1)', [SETUP_LOCK_KEY]);
  } catch (err) {
    await lock.end().catch(() => undefined);
    throw err;
  }
  return {
    async release() {
      await lock.query('COMMIT').catch(() => undefined);
      await lock.end();
    },
  };
}

export async function prepareDatabase(sequelize: Sequelize, url: string): Promise<SetupResult> {
  const lock = await takeSetupLock(url);
  try {
    const migrated = await migrateDemo(sequelize);
    // A SELECT says so: mariadb 3.x's result array refuses the `delete meta` Sequelize does for other raw queries.
    const rows = await sequelize.query(`SELECT 1 FROM ${sequelize.getQueryInterface().quoteIdentifier('Users')} LIMIT 1`, { type: QueryTypes.SELECT });
    const seeded = rows.length > 0 ? [] : await runSeeders(sequelize);
    return { migrated, seeded };
  } finally {
    await lock.release();
  }
}

/**
 * What one connection may make the server hold before it has sent a whole request head: Node's default 16 KB of
 * headers (a larger limit is held by anonymous clients too: 300 unfinished connections held 1 MB each), for at most
 * 10 s. A bulk action's ids beyond what a query string of 16 KB holds go in its POST body (the package's request
 * guard reads `recordIds` there); the panel's own confirmation sends them there.
 */
export const SERVER_LIMITS: http.ServerOptions = {
  maxHeaderSize: 16 * 1024,
  headersTimeout: 10_000,
  requestTimeout: 120_000,
  connectionsCheckingInterval: 1_000,
};

export interface RunningDemo {
  server: http.Server;
  baseUrl: string;
  sequelize: Sequelize;
  singleSession: SingleSession;
  User: UserModel;
  setup: SetupResult;
  /** Closes the HTTP server, the engine and Sequelize, in that order. */
  close(): Promise<void>;
}

export interface LaunchOptions
  extends Pick<SingleSessionOptions, 'singleUserSession' | 'logoutAllSessions' | 'idleTimeoutMs' | 'absoluteTimeoutMs' | 'freshAgeMs' | 'live'> {
  url: string;
  port?: number;
  secret?: string;
  pool?: number;
  /** Express's `trust proxy` (the number of proxies in front). Default: none. */
  trustProxy?: number;
}

/** Prepares the database and serves the demo app: what `npm start` does, minus the embedded database and the console. */
export async function launchDemo({ url, port = 0, secret, pool = 10, trustProxy, live = true, ...policy }: LaunchOptions): Promise<RunningDemo> {
  const sequelize = new Sequelize(url, { logging: false, pool: { max: pool, min: 0 } });
  let server: http.Server | undefined;
  let singleSession: SingleSession | undefined;
  const close = async () => {
    if (server) {
      const closed = new Promise((resolve) => server!.close(resolve));
      server.closeAllConnections();
      await closed;
    }
    await singleSession?.close();
    await sequelize.close();
  };
  try {
    const setup = await prepareDatabase(sequelize, url);
    const User = defineUser(sequelize);
    // The audit trail feeds the dashboard's sign-ins and endings per hour and the "Session audit" page.
    // Live sign-out on (LIVE_SIGN_OUT): the site page and the panel learn of an ending at once (docs/live-sign-out.md).
    // PGlite cannot deliver a notification to another connection: there it polls.
    const liveOption = live === true && isEmbeddedPostgres(url) ? { listen: false } : live;
    singleSession = await createSingleSession({ sequelize, userModel: User, isActive: isActiveUser, audit: true, live: liveOption, ...policy });
    const app = await buildDemoApp({ sequelize, singleSession, User, secret, trustProxy });
    server = http.createServer(SERVER_LIMITS, app);
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject).listen(port, () => resolve());
    });
    const baseUrl = `http://localhost:${(server.address() as AddressInfo).port}`;
    return { server, baseUrl, sequelize, singleSession, User, setup, close };
  } catch (err) {
    server = server?.listening ? server : undefined;
    await close().catch(() => undefined);
    throw err;
  }
}
