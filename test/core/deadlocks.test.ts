/**
 * Deadlocks between logins and an administrator's endings of the same users, provoked on purpose: users with
 * several sessions each (limit 3, so a login locks and ends that user's surplus rows) sign in again while bulk
 * endings over all of them run, from two app instances. The database breaks each cycle by rolling one transaction
 * back; the registry runs that transaction again, so no request fails and the end state is exact. The test reads the
 * server's own deadlock counter to show that deadlocks did happen (MariaDB: `Innodb_deadlocks`; PostgreSQL:
 * `pg_stat_database.deadlocks`, where they are much rarer — its row locks are taken in the plan's order and it has
 * no gap locks — so there the counter is reported, not required). Needs a real server.
 */
import { expect } from 'chai';
import type { Sequelize } from 'sequelize';
import { testDatabase } from '../support/database.js';
import { anotherInstance, createFixture, hashPassword, type Fixture } from '../support/fixture.js';
import type { Browser } from '../support/http.js';
import { count, isMariaDb } from '../support/sql.js';

const USERS = 24;
const SESSIONS_EACH = 3;
const ROUNDS = 6;

async function deadlocksSoFar(sequelize: Sequelize): Promise<number> {
  return isMariaDb(sequelize)
    ? count(sequelize, `SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'INNODB_DEADLOCKS'`)
    : count(sequelize, `SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()`);
}

describe('deadlocks: logins and bulk endings of the same users at once', function () {
  this.timeout(240_000);
  let f: Fixture;
  let other: Awaited<ReturnType<typeof anotherInstance>>;
  let emails: string[];
  let ids: number[];

  before(async function () {
    if (!(await testDatabase()).real) {
      console.log('    (skipped: needs a real server — set DATABASE_URL; PGlite runs one transaction at a time)');
      this.skip();
    }
    f = await createFixture({ singleUserSession: SESSIONS_EACH }, { pool: 20 });
    other = await anotherInstance(f, { singleUserSession: SESSIONS_EACH }, 20);
    emails = Array.from({ length: USERS }, (_, i) => `deadlock${i}@example.com`);
    const hash = hashPassword('password');
    const users = await f.User.bulkCreate(emails.map((email) => ({ email, passwordHash: hash, isAdmin: false, permissions: [] })));
    ids = users.map((u) => u.get('id') as number);
  });
  after(async () => {
    await other?.close();
    await f?.close();
  });

  it(`${ROUNDS} rounds: ${USERS} users re-sign in while two instances end all their sessions; no request fails, nothing is left over`, async () => {
    const before = await deadlocksSoFar(f.sequelize);
    const browserOf = (i: number): Browser => (i % 2 ? f.browser() : other.browser());
    for (let round = 0; round < ROUNDS; round++) {
      // Every user signed in on SESSIONS_EACH browsers.
      const settled = await Promise.all(emails.flatMap((email, i) =>
        Array.from({ length: SESSIONS_EACH }, async (_, k) => {
          const browser = browserOf(i + k);
          return { browser, status: (await browser.login(email)).status };
        })));
      expect(settled.map((s) => s.status).filter((s) => s !== 200), 'logins before the endings').to.deep.equal([]);

      // At once: two bulk endings (in opposite orders) and a new login of every user.
      const reversed = [...ids].reverse();
      const [endedHere, endedThere, logins] = await Promise.all([
        f.singleSession.endUserSessions(ids),
        other.singleSession.endUserSessions(reversed),
        Promise.all(emails.map(async (email, i) => {
          const browser = browserOf(i + round);
          return { browser, status: (await browser.login(email)).status };
        })),
      ]);
      expect(logins.map((l) => l.status).filter((s) => s !== 200), 'logins during the endings').to.deep.equal([]);
      expect(endedHere.sessions + endedThere.sessions, 'the endings ended the sessions that were there').to.be.at.least(1);

      // Each user has at most the new login's session; the browsers of those that survived are signed in.
      for (const id of ids) expect(await f.count('UserSessions', `"userId" = ${id}`)).to.be.at.most(1);
      const alive = await Promise.all(logins.map(async (l) => ((await l.browser.get('/me')).status === 200 ? 1 : 0)));
      expect(await f.count('UserSessions', `"userId" IN (${ids.join(', ')})`)).to.equal(alive.reduce((a: number, b) => a + b, 0));
      // Nothing half-written: every link has its session and every signed-in session its link.
      expect(await f.count('UserSessions', `sid NOT IN (SELECT sid FROM "Sessions")`)).to.equal(0);

      await f.singleSession.endUserSessions(ids); // a clean start for the next round
    }
    const deadlocks = (await deadlocksSoFar(f.sequelize)) - before;
    console.log(`      deadlocks the server detected (and the registry survived): ${deadlocks}`);
    if (isMariaDb(f.sequelize)) expect(deadlocks, 'the test provoked deadlocks (InnoDB_deadlocks grew)').to.be.greaterThan(0);
  });
});
