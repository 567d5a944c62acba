/**
 * PgBouncer in transaction pooling (the run of test/cluster/pgbouncer.mocharc.json; its root hook starts PgBouncer
 * and hands every test the pooled URL): the app's traffic really goes through it, and nothing the library sends
 * needs a session of its own — no LISTEN, no session-level SET or lock, no named prepared statement, no temporary
 * table — since the next transaction of the same client may run on another server connection.
 */
import { expect } from 'chai';
import { createFixture, type Fixture } from '../support/fixture.js';
import { statementsOf } from '../support/sql.js';
import { testDatabase } from '../support/database.js';
import { currentBouncer } from './support/pgbouncer-hooks.js';

/** Statements whose effect outlives their transaction on the server connection (transaction-scoped forms allowed). */
const SESSION_LEVEL = /^\s*(LISTEN|UNLISTEN|PREPARE|DECLARE\b(?![\s\S]*\bWITH HOLD\b)?|CREATE\s+TEMP|SET\s+(?!LOCAL\b|TRANSACTION\b|CONSTRAINTS\b)|RESET\b|DISCARD\b|LOAD\b)|pg_advisory_lock|pg_try_advisory_lock|set_config\([^)]*,\s*false\)/i;

describe('PgBouncer (transaction pooling): what the library sends', function () {
  let f: Fixture;
  before(async () => { f = await createFixture({ singleUserSession: true }); });
  after(async () => f?.close());

  it('the test database URL leads through PgBouncer, not to PostgreSQL directly', async () => {
    const bouncer = currentBouncer();
    const { url } = await testDatabase();
    expect(new URL(url).port).to.equal(String(bouncer.port));
    const before = (await bouncer.stats()).transactions;
    for (let i = 0; i < 5; i++) await f.sequelize.query('SELECT 1');
    // PgBouncer counts the transactions it passed on (its stats are refreshed every stats_period, 1 s here).
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await bouncer.stats()).transactions - before).to.be.at.least(5);
  });

  it('login, a signed-in request, a second login that ends the first, an admin ending and logout everywhere: no session-level statement', async () => {
    const { statements } = await statementsOf(f.sequelize, async () => {
      const first = f.browser();
      expect((await first.login('alice@example.com')).status).to.equal(200);
      expect((await first.get('/me')).status).to.equal(200);
      const second = f.browser();
      expect((await second.login('alice@example.com')).status).to.equal(200);
      expect((await first.get('/me')).status).to.equal(401);
      const bob = f.browser();
      await bob.login('bob@example.com');
      await f.singleSession.endUserSessions([await f.userId('bob@example.com')]);
      expect((await bob.get('/me')).status).to.equal(401);
      expect((await second.post('/logout')).status).to.equal(200);
      await f.singleSession.purgeExpired();
    });
    expect(statements.length, 'statements were captured').to.be.above(10);
    const sessionLevel = statements.filter((s) => SESSION_LEVEL.test(s.replace(/^Executing \([^)]*\):\s*/, '')));
    expect(sessionLevel).to.deep.equal([]);
  });
});
