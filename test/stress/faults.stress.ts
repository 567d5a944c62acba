/**
 * Faults: the database connection is killed in the middle of a login, the database is unreachable at start-up
 * and during requests, a statement times out. Each time: the process goes on, the user gets a short JSON error
 * (no stack), nothing half-done is left (no session claiming a user without its link, never more sessions than
 * allowed), a revoked session is not served while the database is away, and everything works again once the
 * database is back. A login fails CLOSED: with no database there is no session store, so no session.
 */
import { expect } from 'chai';
import net from 'node:net';
import pg from 'pg';
import { Sequelize, type Options } from 'sequelize';
import { createSingleSession } from '../../src/index.js';
import { GENERIC_ERROR, orphanClaims, realPostgresOrSkip, startApp, type StressApp } from './support/app.js';
import { tally } from './support/figures.js';
import { startProxy, type Proxy } from './support/proxy.js';

const STACK = /\n\s+at |\.ts:\d+|node_modules/;
const LOCK_SQL = `SELECT pg_advisory_lock(hashtext('adminjs-single-session'), hashtext($1))`;
const UNLOCK_SQL = `SELECT pg_advisory_unlock(hashtext('adminjs-single-session'), hashtext($1))`;

function open(url: string, options: Options = {}): Sequelize {
  return new Sequelize(url, { dialect: 'postgres', logging: false, pool: { max: 5, min: 0, acquire: 5000 }, ...options });
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
    ({ url, sequelize: direct } = await realPostgresOrSkip(this, 'to kill backends and hold locks'));
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
    const [rows] = await direct.query(`SELECT coalesce(max(n), 0)::int AS n FROM (SELECT count(*) AS n FROM "UserSessions" GROUP BY "userId") c`);
    expect((rows as Array<{ n: number }>)[0]!.n, 'most sessions of one user').to.be.at.most(limit);
  }

  it('database unreachable at start-up: createSingleSession rejects with a clear error, nothing crashes', async () => {
    const closed = await closedPort();
    const sequelize = open(`postgres://postgres@127.0.0.1:${closed}/nothing`, { pool: { max: 1, acquire: 3000 } });
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
      proxy = await startProxy({ host: target.hostname, port: Number(target.port || 5432) });
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

  describe('connection killed in the middle of a login (pg_terminate_backend)', () => {
    const KILLS = 10;
    let app: StressApp;
    let holder: pg.Client;

    const consoleWarn = console.warn;
    before(async () => {
      // Sequelize warns (console.warn) each time it cannot roll back on a killed connection: expected here.
      console.warn = (...args: unknown[]) => {
        if (/^Rolling back transaction .* failed/.test(String(args[0]))) tally('fault: Sequelize rollbacks on a killed connection');
        else consoleWarn(...args);
      };
      app = await startApp(open(url));
      holder = new pg.Client({ connectionString: url });
      await holder.connect();
    });
    after(async () => {
      console.warn = consoleWarn;
      await holder?.end();
      await app?.close();
      await app?.sequelize.close();
    });

    it(`${KILLS} logins killed while waiting for the user's lock, ${KILLS} while ending the previous session`, async () => {
      const aliceId = String(await app.userId('alice@example.com'));
      for (let i = 0; i < KILLS * 2; i++) {
        const previous = app.browser();
        expect((await previous.login('alice@example.com')).status).to.equal(200);
        const whileEnding = i % 2 === 1;
        // Make the login wait where we want to kill it: on the user's advisory lock, or (lock taken, session and
        // link written) on the row of the session it must end.
        await holder.query('BEGIN');
        if (whileEnding) await holder.query(`SELECT 1 FROM "Sessions" WHERE data::jsonb->>'singleSessionUserId' = $1 FOR UPDATE`, [aliceId]);
        else await holder.query(LOCK_SQL, [aliceId]);
        const victim = app.browser();
        const login = victim.login('alice@example.com');
        // The ending statement (whichever form the policy uses) is the one that writes the "why" notes.
        const pid = await waitingBackend(whileEnding ? '%INSERT INTO "EndedSessions"%' : '%pg_advisory_xact_lock%');
        await holder.query('SELECT pg_terminate_backend($1)', [pid]);
        if (!whileEnding) await holder.query(UNLOCK_SQL, [aliceId]);
        await holder.query('COMMIT');
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

  describe('statement timeout (a slow holder of the user\'s lock)', () => {
    const TIMEOUTS = 5;
    let app: StressApp;
    let holder: pg.Client;

    before(async () => {
      app = await startApp(open(url, { dialectOptions: { statement_timeout: 300 } }));
      holder = new pg.Client({ connectionString: url });
      await holder.connect();
    });
    after(async () => {
      await holder?.end();
      await app?.close();
      await app?.sequelize.close();
    });

    it(`${TIMEOUTS} logins time out cleanly, then succeed once the lock is free`, async () => {
      const bobId = String(await app.userId('bob@example.com'));
      for (let i = 0; i < TIMEOUTS; i++) {
        const previous = app.browser();
        expect((await previous.login('bob@example.com')).status).to.equal(200);
        await holder.query(LOCK_SQL, [bobId]);
        const slow = app.browser();
        const started = Date.now();
        expectCleanError(await slow.login('bob@example.com'), `timed-out login ${i}`);
        expect(Date.now() - started).to.be.below(5000);
        await holder.query(UNLOCK_SQL, [bobId]);
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

  async function waitingBackend(queryLike: string): Promise<number> {
    return (await eventually(async () => {
      const [rows] = await direct.query(
        `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'
           AND query LIKE $q AND pid <> pg_backend_pid()`,
        { bind: { q: queryLike } },
      );
      return (rows as Array<{ pid: number }>)[0]?.pid;
    }, (pid) => pid !== undefined))!;
  }
});

/** Retries `fn` until `ok` (every 50 ms, at most 10 s). */
async function eventually<T>(fn: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  const until = Date.now() + 10_000;
  for (;;) {
    const value = await fn();
    if (ok(value) || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
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
  const [rows] = await sequelize.query(
    `SELECT us.id::text AS handle FROM "UserSessions" us WHERE us."userId" = $user ORDER BY us.id DESC LIMIT 1`,
    { bind: { user: userId } },
  );
  return (rows as Array<{ handle: string }>)[0]!.handle;
}
