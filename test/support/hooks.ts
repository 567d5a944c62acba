import { useContentAddressedAdminBundle } from '../../example/admin-bundle.js';
import { leftoverDatabases, stopTestDatabase, testDatabase } from './database.js';

// Before any test file imports adminjs: never serve a stale component bundle.
useContentAddressedAdminBundle();

/** Mocha root hooks: one database for the whole run, announced once, removed at the end. */
export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(120_000);
    const db = await testDatabase();
    console.log(db.real
      ? `  Database: real ${db.dialect === "mariadb" ? "MariaDB" : "PostgreSQL"} (scratch database from DATABASE_URL)`
      : `  Database: embedded PGlite (DATABASE_URL is unset: tests that need real concurrency are skipped)`);
  },
  async afterAll(this: Mocha.Context) {
    this.timeout(60_000);
    await stopTestDatabase();
    // A scratch database of this process still there is a test that forgot its `stop()`: fail the run (and drop it).
    const left = await leftoverDatabases({ drop: true });
    if (left.length) throw new Error(`scratch databases left behind by this run (now dropped): ${left.join(', ')}. A test created them and did not stop() them.`);
  },
};
