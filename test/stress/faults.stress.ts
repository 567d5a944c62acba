/**
 * Faults: the database connection is killed in the middle of a login, the database is unreachable at start-up
 * and during requests, a statement times out. Each time: the process goes on, the user gets a short JSON error
 * (no stack), nothing half-done is left (no session claiming a user without its link, never more sessions than
 * allowed), a revoked session is not served while the database is away, and everything works again once the
 * database is back. A login fails CLOSED: with no database there is no session store, so no session.
 */
import { expect } from 'chai';
import net from 'node:net';
import { Sequelize, type Options, type Transaction } from 'sequelize';
import { createSingleSession } from '../../src/index.js';
import { dialectOf } from '../support/database.js';
import { count, isMariaDb, rows, run } from '../support/sql.js';
import { GENERIC_ERROR, orphanClaims, realServerOrSkip, startApp, type StressApp } from './support/app.js';
import { tally } from './support/figures.js';
import { startProxy, type Proxy } from './support/proxy.js';

const STACK = /\n\s+at |\.ts:\d+|node_modules/;

/** The dialect comes from the URL, as in any app. */
function open(url: string, options: Options = {}): Sequelize {
  return new Sequelize(url, { logging: false, pool: { max: 5, min: 0, acquire: 5000 }, ...options });
}

/**
 * The user's lock as the library's login takes it, taken by the test in its own open transaction: on PostgreSQL
 * the transaction-level advisory lock on the hash of the user id; on MariaDB the user's row of SessionLocks.
 */
async function holdUserLock(sequelize: Sequelize, transaction: Transaction, userId: string): Promise<void> {
  await run(sequelize, isMariaDb(sequelize)
    ? 'INSERT INTO "SessionLocks" ("userId") VALUES ($user) ON DUPLICATE KEY UPDATE "userId" = "userId"'
    : `SELECT pg_advisory_xact_lock(hashtext('adminjs-single-session'), hashtext($user))`, { bind: { user: userId }, transaction });
}

/** Locks the rows of the user's sessions (by primary key: InnoDB then locks those rows only, not the gaps). */
async function holdSessionRows(sequelize: Sequelize, transaction: Transaction, userId: string): Promise<void> {
  const sids = (await rows<{ sid: string }>(sequelize, 'SELECT sid FROM "UserSessions" WHERE "userId" = $user', { bind: { user: userId } })).map((r) => r.sid);
  expect(sids, 'the user has a session to lock').to.have.length.above(0);
  await run(sequelize, 'SELECT 1 FROM "Sessions" WHERE sid IN (:sids) FOR UPDATE', { replacements: { sids }, transaction });
}

/** Ends another connection of the server, as an operator or a crash would (its open transaction is rolled back). */
async function killConnection(sequelize: Sequelize, id: number): Promise<void> {
  if (isMariaDb(sequelize)) await run(sequelize, `KILL CONNECTION ${Number(id)}`);
  else await run(sequelize, 'SELECT pg_terminate_backend($id)', { bind: { id } });
}

/**
 * The id of a connection of this database (not ours) whose transaction waits for a lock, running a statement
 * like `pattern` (PostgreSQL: pg_stat_activity; MariaDB: information_schema.INNODB_TRX, joined to the process
 * list for the database); undefined while there is none.
 */
async function lockWaiter(sequelize: Sequelize, pattern: string): Promise<number | undefined> {
  const [row] = await rows<{ id: number }>(sequelize, isMariaDb(sequelize)
    ? `SELECT t.trx_mysql_thread_id AS id FROM information_schema.INNODB_TRX t
         JOIN information_schema.PROCESSLIST p ON p.ID = t.trx_mysql_thread_id
        WHERE t.trx_state = 'LOCK WAIT' AND p.DB = DATABASE() AND t.trx_query LIKE $q AND t.trx_mysql_thread_id <> CONNECTION_ID()`
    : `SELECT pid AS id FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'
         AND query LIKE $q AND pid <> pg_backend_pid()`,
    { bind: { q: pattern } });
  return row === undefined ? undefined : Number(row.id);
}

/** A failure the user may see: 5xx with the generic JSON message, no stack trace. */
function expectCleanError(res: { status: number; text: string; json?: { error?: unknown } }, what: string) {
  expect(res.status, `${what}: ${res.text}`).to.be.within(500, 503);
  expect(res.json?.error, what).to.equal(GENERIC_ERROR);
  expect(res.text, what).not.to.match(STACK);
}

describe('faults: the database fails, the app does not', function () {
  let url: string;
  let direct: Sequelize;
  let unexpected: unknown[] = [];
  const onUnexpected = (err: unknown) => { unexpected.push(err); };

  before(async function () {
    ({ url, sequelize: direct } = await realServerOrSkip(this, 'to kill connections and hold locks'));
    process.on('unhandledRejection', onUnexpected);
    process.on('uncaughtException', onUnexpected);
  });
  after(async () => {
    process.off('unhandledRejection', onUnexpected);
    process.off('uncaughtException', onUnexpected);
    await direct?.close();
  });
  afterEach(() => {
    expect(unexpected, 'unhandled errors (a real process would have crashed)').to.deep.equal([]);
    unexpected = [];
  });

  /** The invariants after any fault: no half-done login, not more sessions than `limit` for anybody. */
  async function expectConsistent(limit = 1) {
    expect(await orphanClaims(direct), 'sessions claiming a user without the link').to.equal(0);
    const most = await count(direct, 'SELECT coalesce(max(n), 0) AS n FROM (SELECT count(*) AS n FROM "UserSessions" GROUP BY "userId") c');
    expect(most, 'most sessions of one user').to.be.at.most(limit);
  }

  it('database unreachable at start-up: createSingleSession rejects with a clear error, nothing crashes', async () => {
    const closed = await closedPort();
    const scheme = dialectOf(url) === 'mariadb' ? 'mariadb://root' : 'postgres://postgres';
    const sequelize = open(`${scheme}@127.0.0.1:${closed}/nothing`, { pool: { max: 1, acquire: 3000 } });
    try {
      const started = Date.now();
      const error = await createSingleSession({ sequelize }).then(() => null, (err: Error) => err);
      expect(error, 'createSingleSession must fail').to.be.instanceOf(Error);
      expect(`${error!.name}: ${error!.message}`).to.match(/ECONNREFUSED|connect/i);
      expect(Date.now() - started).to.be.below(10_000);
      tally('fault: start-up without database');
    } finally {
      await sequelize.close();
    }
  });

  describe('database unreachable during requests (a TCP proxy that the test cuts)', () => {
    const CYCLES = 10;
    let proxy: Proxy;
    let app: StressApp;

    before(async () => {
      const target = new URL(url);
      proxy = await startProxy({ host: target.hostname, port: Number(target.port || (dialectOf(url) === 'mariadb' ? 3306 : 5432)) });
      const viaProxy = new URL(url);
      viaProxy.host = `127.0.0.1:${proxy.port}`;
      app = await startApp(open(viaProxy.toString()), { options: { singleUserSession: 2 } });
    });
    after(async () => {
      await app?.close();
      await app?.sequelize.close();
      await proxy?.close();
    });

    it(`${CYCLES} outages: requests fail cleanly, logins fail closed, revoked sessions are not served, then it recovers`, async () => {
      const adminEngine = await createSingleSession({ sequelize: direct, purgeIntervalMs: false });
      const aliceId = await app.userId('alice@example.com');
      for (let cycle = 0; cycle < CYCLES; cycle++) {
        const kept = app.browser();
        const revoked = app.browser();
        expect((await kept.login('alice@example.com')).status).to.equal(200);
        expect((await revoked.login('alice@example.com')).status).to.equal(200);

        proxy.cut();
        // Revoked while the app cannot reach the database (an administrator on another process).
        await adminEngine.endSessionsByHandle([await newestHandle(direct, aliceId)]);
        const during = await Promise.all([
          kept.get('/me'), revoked.get('/me'), app.browser().login('alice@example.com'), app.browser().login('bob@example.com'),
          kept.post('/logout'),
        ]);
        during.forEach((res, i) => expectCleanError(res, `request ${i} during outage ${cycle}`));
        tally('fault: requests during an outage (all refused cleanly)', during.length);

        proxy.restore();
        const me = await eventually(() => kept.get('/me'), (r) => r.status === 200);
        expect(me.json?.email).to.equal('alice@example.com');
        const gone = await revoked.get('/me');
        expect(gone.status).to.equal(401);
        expect(gone.json?.reason).to.equal('revoked');
        await expectConsistent(2);
        tally('fault: database outages survived');
      }
    });
  });

  describe('connection killed in the middle of a login (pg_terminate_backend; MariaDB: KILL CONNECTION)', () => {
    const KILLS = 10;
    let app: StressApp;

    const consoleWarn = console.warn;
    before(async () => {
      // Sequelize warns (console.warn) each time it cannot roll back on a killed connection: expected here.
      console.warn = (...args: unknown[]) => {
        if (/^Rolling back transaction .* failed/.test(String(args[0]))) tally('fault: Sequelize rollbacks on a killed connection');
        else consoleWarn(...args);
      };
      app = await startApp(open(url));
    });
    after(async () => {
      console.warn = consoleWarn;
      await app?.close();
      await app?.sequelize.close();
    });

    it(`${KILLS} logins killed while waiting for the user's lock, ${KILLS} while ending the previous session`, async () => {
      const aliceId = String(await app.userId('alice@example.com'));
      for (let i = 0; i < KILLS * 2; i++) {
        const previous = app.browser();
        expect((await previous.login('alice@example.com')).status).to.equal(200);
        const whileEnding = i % 2 === 1;
        // Make the login wait where we want to kill it: on the user's lock, or (lock taken, session and link
        // written) on the row of the session it must end.
        const victim = app.browser();
        const holder = await direct.transaction();
        let login;
        try {
          if (whileEnding) await holdSessionRows(direct, holder, aliceId);
          else await holdUserLock(direct, holder, aliceId);
          login = victim.login('alice@example.com');
          await killConnection(direct, await waitingLogin(whileEnding ? 'ending' : 'lock'));
        } finally {
          await holder.commit(); // also when something failed: a login left waiting would hang the suite
        }
        expectCleanError(await login, `killed login ${i}`);
        expect((await victim.get('/me')).status, 'the killed login must not be logged in').to.equal(401);
        expect((await previous.get('/me')).status, 'the previous session is intact').to.equal(200);
        await expectConsistent();
        // Recovery: the next login of the same user goes through (the pool replaced the dead connection).
        const again = app.browser();
        expect((await again.login('alice@example.com')).status).to.equal(200);
        expect((await again.get('/me')).status).to.equal(200);
        expect((await previous.get('/me')).status).to.equal(401);
        await expectConsistent();
        tally('fault: logins killed mid-transaction');
      }
    });
  });

  describe('statement timeout (a slow holder of the user\'s lock; MariaDB: innodb_lock_wait_timeout)', () => {
    const TIMEOUTS = 5;
    let app: StressApp;

    before(async () => {
      // PostgreSQL: every statement of the app's connections gives up after 300 ms. MariaDB has no such limit for
      // lock waits; its lock wait timeout (whole seconds, 1 at least) is set on each connection the pool opens.
      app = await startApp(open(url, isMariaDb(direct)
        ? { hooks: { afterConnect: async (connection) => { await (connection as { query(sql: string): Promise<unknown> }).query('SET SESSION innodb_lock_wait_timeout = 1'); } } }
        : { dialectOptions: { statement_timeout: 300 } }));
    });
    after(async () => {
      await app?.close();
      await app?.sequelize.close();
    });

    it(`${TIMEOUTS} logins time out cleanly, then succeed once the lock is free`, async () => {
      const bobId = String(await app.userId('bob@example.com'));
      for (let i = 0; i < TIMEOUTS; i++) {
        const previous = app.browser();
        expect((await previous.login('bob@example.com')).status).to.equal(200);
        const holder = await direct.transaction();
        const slow = app.browser();
        const started = Date.now();
        try {
          await holdUserLock(direct, holder, bobId);
          expectCleanError(await slow.login('bob@example.com'), `timed-out login ${i}`);
          expect(Date.now() - started).to.be.below(5000);
        } finally {
          await holder.commit();
        }
        expect((await slow.get('/me')).status).to.equal(401);
        expect((await previous.get('/me')).status).to.equal(200);
        await expectConsistent();
        expect((await slow.login('bob@example.com')).status).to.equal(200);
        expect((await previous.get('/me')).status).to.equal(401);
        await expectConsistent();
        tally('fault: statement timeouts');
      }
    });
  });

  /**
   * The connection of the login that waits on the test's lock: on the user's lock, or in the ending (PostgreSQL:
   * the statement that writes the "why" notes, whichever form the policy uses).
   */
  async function waitingLogin(where: 'lock' | 'ending'): Promise<number> {
    const pattern = isMariaDb(direct)
      ? (where === 'lock' ? '%SessionLocks%' : '%FOR UPDATE%') // the ending's first statement locks what it ends
      : (where === 'lock' ? '%pg_advisory_xact_lock%' : '%INSERT INTO "EndedSessions"%');
    // MariaDB refreshes INNODB_TRX only when it was not read for 0.1 s: polled faster, it would never change.
    const id = await eventually(() => lockWaiter(direct, pattern), (found) => found !== undefined, isMariaDb(direct) ? 250 : 50);
    expect(id, `a login waiting on the ${where === 'lock' ? 'user\'s lock' : 'session it ends'}`).to.be.a('number');
    return id!;
  }
});

/** Retries `fn` until `ok` (every `everyMs`, at most 10 s). */
async function eventually<T>(fn: () => Promise<T>, ok: (value: T) => boolean, everyMs = 50): Promise<T> {
  const until = Date.now() + 10_000;
  for (;;) {
    const value = await fn();
    if (ok(value) || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The public handle of a user's newest session. */
async function newestHandle(sequelize: Sequelize, userId: number): Promise<string> {
  const [newest] = await rows<{ handle: string | number }>(sequelize,
    'SELECT us.id AS handle FROM "UserSessions" us WHERE us."userId" = $user ORDER BY us.id DESC LIMIT 1',
    { bind: { user: userId } },
  );
  return String(newest!.handle);
}
