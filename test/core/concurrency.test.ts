/**
 * Concurrent logins of one user through two app instances (separate pools, as two processes would have): the
 * per-user lock (an advisory lock on PostgreSQL, the user's SessionLocks row on MariaDB) must leave exactly the
 * allowed sessions. Needs a real database server (PGlite runs one transaction at a time, so it cannot show a race).
 */
import { expect } from 'chai';
import type { Sequelize, Transaction } from 'sequelize';
import { testDatabase } from '../support/database.js';
import { anotherInstance, createFixture, type Fixture } from '../support/fixture.js';
import type { Browser } from '../support/http.js';
import { isMariaDb, run } from '../support/sql.js';

const LOGINS = 24;

for (const limit of [1, 3]) {
  describe(`concurrency: ${LOGINS} simultaneous logins of one user, limit ${limit}`, function () {
    let f: Fixture;
    let other: Awaited<ReturnType<typeof anotherInstance>>;

    before(async function () {
      if (!(await testDatabase()).real) {
        console.log('    (skipped: needs a real PostgreSQL or MariaDB server — set DATABASE_URL)');
        this.skip();
      }
      f = await createFixture({ singleUserSession: limit }, { pool: 15 });
      other = await anotherInstance(f, { singleUserSession: limit }, 15);
    });
    after(async () => {
      await other?.close();
      await f?.close();
    });

    for (let round = 1; round <= 3; round++) {
      it(`round ${round}: exactly ${limit} session(s) and ${limit} logged-in cookie(s) remain`, async () => {
        const browsers: Browser[] = Array.from({ length: LOGINS }, (_, i) => (i % 2 ? f.browser() : other.browser()));
        const results = await Promise.all(browsers.map((b) => b.login('alice@example.com')));
        expect(results.map((r) => r.status)).to.deep.equal(results.map(() => 200));
        const alice = await f.userId('alice@example.com');
        expect(await f.count('UserSessions', `"userId" = ${alice}`)).to.equal(limit);
        const alive = await Promise.all(browsers.map(async (b) => (await b.get('/me')).status === 200));
        expect(alive.filter(Boolean)).to.have.length(limit);
        const told = await Promise.all(browsers.map(async (b) => (await b.get('/me')).json?.reason));
        expect(told.filter((r) => r === 'replaced')).to.have.length(LOGINS - limit);
      });
    }
  });
}

/** Takes a user's login lock in `transaction`, as the engine's login does: until COMMIT or ROLLBACK. */
async function holdUserLock(sequelize: Sequelize, userId: string, transaction: Transaction) {
  await run(sequelize, isMariaDb(sequelize)
    ? `INSERT INTO "SessionLocks" ("userId") VALUES ($user) ON DUPLICATE KEY UPDATE "userId" = "userId"`
    : `SELECT pg_advisory_xact_lock(hashtext('adminjs-single-session'), hashtext($user))`, { bind: { user: userId }, transaction });
}

describe('concurrency: the per-user lock', function () {
  let f: Fixture;
  before(async function () {
    if (!(await testDatabase()).real) {
      console.log('    (skipped: needs a real PostgreSQL or MariaDB server — set DATABASE_URL)');
      this.skip();
    }
    f = await createFixture();
  });
  after(async () => f?.close());

  it('a login waits while another transaction holds its user\'s lock; another user\'s login does not', async () => {
    const alice = String(await f.userId('alice@example.com'));
    await f.browser().login('alice@example.com'); // on MariaDB: alice's lock row exists from here on
    const holder = await f.sequelize.transaction();
    let waiting: Promise<{ status: number }>;
    let finished = false;
    try {
      await holdUserLock(f.sequelize, alice, holder);
      waiting = f.browser().login('alice@example.com').then((res) => { finished = true; return res; });
      expect((await f.browser().login('bob@example.com')).status, 'bob is not held up').to.equal(200);
      await new Promise((resolve) => setTimeout(resolve, 700));
      expect(finished, 'alice\'s login waits for the lock').to.equal(false);
    } finally {
      await holder.commit();
    }
    expect((await waiting).status).to.equal(200);
    expect(await f.count('UserSessions', `"userId" = ${alice}`), 'the second login replaced the first').to.equal(1);
  });
});
