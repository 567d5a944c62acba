/**
 * Root hooks of the PgBouncer run (test/cluster/pgbouncer.mocharc.json): PgBouncer in transaction pooling is started
 * before the test database is opened, and every test — the reused stress and AdminJS suites included — gets the
 * pooled URL; its child processes (the demo servers) too, since they are handed that URL. Stopped at the end.
 */
import { connectThrough, testDialect } from '../../support/database.js';
import { tally } from '../../stress/support/figures.js';
import { startPgBouncer, type PgBouncer } from './pgbouncer.js';

// On globalThis: mocha may load this file twice (CommonJS as a root hook, ESM for a test file): see database.ts.
const KEY = Symbol.for('adminjs-single-session.pgbouncer');
const shared = ((globalThis as Record<symbol, unknown>)[KEY] ??= {}) as { bouncer?: PgBouncer };

/** The running PgBouncer of this run. */
export function currentBouncer(): PgBouncer {
  if (!shared.bouncer) throw new Error('PgBouncer is not running: run this file with --config test/cluster/pgbouncer.mocharc.json');
  return shared.bouncer;
}

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    const server = process.env.DATABASE_URL;
    if (!server || testDialect() !== 'postgres') throw new Error('the PgBouncer run needs DATABASE_URL=postgres://… (a PostgreSQL server to pool)');
    const bouncer = shared.bouncer = await startPgBouncer({ server });
    connectThrough(bouncer.pooled);
    // The demo processes spawned here talk to PostgreSQL only through PgBouncer, where LISTEN cannot work: the live
    // sign-out's start-up check refuses that (its fix, `live.listenUrl` to a direct connection, is in
    // docs/scaling.md). These suites are about the policy and the endings, so the demo runs without live sign-out.
    process.env.LIVE_SIGN_OUT = 'false';
    console.log(`  PgBouncer (pool_mode = transaction) on 127.0.0.1:${bouncer.port} in front of ${new URL(server).host}`);
  },
  async afterAll(this: Mocha.Context) {
    this.timeout(30_000);
    connectThrough(undefined);
    const { bouncer } = shared;
    if (!bouncer) return;
    try {
      const { transactions } = await bouncer.stats();
      tally('PgBouncer: transactions it passed on', transactions);
    } finally {
      shared.bouncer = undefined;
      await bouncer.stop();
    }
  },
};
