/**
 * Deadlocks, and the retry that survives them (SqlRegistry.transaction runs a deadlock's victim again).
 *
 * 1. Provoked: a transaction of the test's own locks bob's session, an administrator's ending of alice and bob locks
 *    alice's and waits for bob's, then the test asks for alice's — a cycle the server must break. The test's
 *    transaction has written more (the server rolls back the smaller one), so the ending is the victim: it must run
 *    again and succeed once the test lets go, and the server's deadlock counter must have grown.
 * 2. Under load: users with several sessions (limit 3) sign in again while two app instances end all their sessions
 *    at once; no request may fail and the end state must be exact, whether deadlocks happened or not (on MariaDB
 *    the registry's READ COMMITTED transactions take no gap locks, so they are rare; the count is printed).
 * Needs a real server.
 */
import { expect } from 'chai';
import type { Sequelize } from 'sequelize';
import { testDatabase } from '../support/database.js';
import { anotherInstance, createFixture, hashPassword, type Fixture } from '../support/fixture.js';
import type { Browser } from '../support/http.js';
import { count, isMariaDb, now, rows, run } from '../support/sql.js';

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

  it('a deadlock provoked between an ending and another transaction: the ending is the victim, runs again and succeeds', async () => {
    const [alice, bob] = [f.browser(), other.browser()];
    for (const [browser, email] of [[alice, emails[0]], [bob, emails[1]]] as const) expect((await browser.login(email!)).status).to.equal(200);
    const sidOf = (i: number) => rows<{ sid: string }>(f.sequelize, 'SELECT sid FROM "UserSessions" WHERE "userId" = $id', { bind: { id: ids[i] } });
    const [[aliceSid], [bobSid]] = await Promise.all([sidOf(0), sidOf(1)]);
    const before = await deadlocksSoFar(f.sequelize);

    const blocker = await f.sequelize.transaction();
    try {
      // Heavier than the ending (many rows written), so that the server picks the ending as the victim.
      for (let i = 0; i < 20; i++) {
        await run(f.sequelize, `INSERT INTO "SessionAuditEvents" (at, reason, "actorId", "userIds", "sessionCount")
          VALUES (${now(f.sequelize)}, 'logout', NULL, $users, 0)`, { bind: { users: '[]' }, transaction: blocker });
      }
      await run(f.sequelize, 'SELECT sid FROM "Sessions" WHERE sid = $sid FOR UPDATE', { bind: { sid: bobSid!.sid }, transaction: blocker });
      const ending = other.singleSession.endUserSessions([ids[0], ids[1]]);
      await new Promise((resolve) => setTimeout(resolve, 300)); // the ending holds alice's session and waits for bob's
      // Closes the cycle. The server breaks it at once (MariaDB) or after deadlock_timeout, 1 s (PostgreSQL).
      await run(f.sequelize, 'SELECT sid FROM "Sessions" WHERE sid = $sid FOR UPDATE', { bind: { sid: aliceSid!.sid }, transaction: blocker });
      await blocker.rollback();
      const ended = await ending;
      expect(ended.sessions, 'both sessions ended by the ending that ran again').to.equal(2);
    } finally {
      if (!(blocker as unknown as { finished?: string }).finished) await blocker.rollback().catch(() => undefined);
    }
    expect((await alice.get('/me')).json?.reason).to.equal('revoked');
    expect((await bob.get('/me')).json?.reason).to.equal('revoked');
    // The server's own counter (PostgreSQL updates its statistics shortly after the transaction ends).
    let deadlocks = 0;
    for (let wait = 0; wait < 20 && deadlocks === 0; wait++) {
      deadlocks = (await deadlocksSoFar(f.sequelize)) - before;
      if (deadlocks === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(deadlocks, 'the server detected the deadlock').to.be.at.least(1);
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
    console.log(`      deadlocks the server detected under this load (and the registry survived): ${deadlocks}`);
  });
});
