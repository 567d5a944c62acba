/**
 * The idle timeout and the absolute lifetime (ASVS V3.3.2), enforced by the server on every request: a session ends
 * on time (within 10 % of the idle timeout, or 1 s), its device is told why (`idle` / `lifetime`), a request in
 * flight when the deadline passes neither extends nor resurrects it, and the purge tells the reason too. Short
 * timeouts keep the waits to a few seconds; the purge cases move the clock of the rows instead of waiting.
 */
import { expect } from 'chai';
import type { Express } from 'express';
import { createSingleSession, SingleSessionConfigError, type SessionsEndedEvent } from '../../src/index.js';
import { createFixture, type Fixture } from '../support/fixture.js';
import { type Browser, sidOf } from '../support/http.js';
import { ago, now, rows, run } from '../support/sql.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A request that loads the session, writes to it, then waits for the test before answering (and saving). */
function slowRoute() {
  let release!: () => void;
  let entered!: () => void;
  const routes = (app: Express) => {
    app.post('/slow', async (req, res) => {
      (req.session as unknown as Record<string, number>).touchedBySlow = Date.now();
      entered();
      await new Promise<void>((resolve) => { release = resolve; });
      res.json({ ok: true });
    });
  };
  const start = (b: Browser) => {
    const arrived = new Promise<void>((resolve) => { entered = resolve; });
    const response = b.post('/slow');
    return { arrived, finish: async () => { release(); return response; } };
  };
  return { routes, start };
}

async function expectEnded(f: Fixture, b: Browser, sid: string, reason: 'idle' | 'lifetime') {
  const me = await b.get('/me');
  expect(me.status, JSON.stringify(me.json)).to.equal(401);
  expect(me.json.reason).to.equal(reason);
  expect(await f.count('Sessions', `sid = '${sid}'`), 'the row is gone').to.equal(0);
  expect(await f.count('EndedSessions', `sid = '${sid}' AND reason = '${reason}'`), 'a note of why').to.equal(1);
  // Told again on the next request with the same cookie (another process would read the note).
  expect((await b.get('/me')).json.reason).to.equal(reason);
}

/** The reason of the newest audit event. */
async function lastAudit(f: Fixture): Promise<string | undefined> {
  const [audit] = await rows<{ reason: string }>(f.sequelize, `SELECT reason FROM "SessionAuditEvents" ORDER BY id DESC LIMIT 1`);
  return audit?.reason;
}

describe('timeouts: idle and absolute lifetime', function () {
  this.timeout(60_000);

  describe('the idle timeout (3 s)', () => {
    let f: Fixture;
    const slow = slowRoute();
    const events: SessionsEndedEvent[] = [];
    before(async () => {
      f = await createFixture({ idleTimeoutMs: 3000, absoluteTimeoutMs: false, audit: true, purgeIntervalMs: false }, { routes: slow.routes });
      f.singleSession.events.on('sessions:ended', (e) => events.push(e));
    });
    after(async () => f?.close());

    it('requests keep the session alive past the timeout; it ends within 10 % or 1 s of the last request', async () => {
      const b = f.browser();
      await b.login('alice@example.com');
      const sid = sidOf(b.cookie('sid'));
      for (let i = 0; i < 12; i++) { // 6 s of activity: twice the timeout
        await sleep(500);
        expect((await b.get('/me')).status, `request ${i}`).to.equal(200);
      }
      await sleep(3000 - 1000 - 500); // well inside the timeout less the allowed 1 s: not yet ended
      expect((await b.get('/me')).status).to.equal(200);
      const last = Date.now();
      await sleep(3000 + 300 - (Date.now() - last));
      events.length = 0;
      await expectEnded(f, b, sid, 'idle');
      expect(events.map((e) => [e.reason, e.sessions])).to.deep.equal([['idle', 1]]);
      expect(await lastAudit(f)).to.equal('idle');
    });

    it('a request in flight when the idle deadline passes does not extend or resurrect the session', async () => {
      const b = f.browser();
      await b.login('bob@example.com');
      const sid = sidOf(b.cookie('sid'));
      await sleep(2300);
      const request = slow.start(b); // loaded while alive, 0.7 s before the deadline
      await request.arrived;
      await sleep(1200); // the deadline passes while it runs
      await request.finish(); // its save comes after the deadline: refused by the update, nothing written
      expect(await f.count('Sessions', `sid = '${sid}' AND expires > ${now(f.sequelize)}`), 'not extended').to.equal(0);
      await expectEnded(f, b, sid, 'idle');
    });

    it('the site tells the signed-out browser why, in words', async () => {
      const b = f.browser();
      await b.login('alice@example.com');
      await sleep(3300);
      const me = await b.get('/me');
      expect(me.json).to.deep.include({ reason: 'idle', error: 'You were signed out because you were inactive for too long. Please sign in again.' });
    });
  });

  describe('the absolute lifetime (3 s)', () => {
    let f: Fixture;
    const slow = slowRoute();
    before(async () => {
      f = await createFixture({ idleTimeoutMs: false, absoluteTimeoutMs: 3000, purgeIntervalMs: false }, { routes: slow.routes });
    });
    after(async () => f?.close());

    it('ends an active session at its deadline however busy it is', async () => {
      const b = f.browser();
      await b.login('alice@example.com');
      const sid = sidOf(b.cookie('sid'));
      const signedIn = Date.now();
      while (Date.now() - signedIn < 2000) {
        expect((await b.get('/me')).status).to.equal(200);
        await sleep(200);
      }
      await sleep(3000 + 300 - (Date.now() - signedIn));
      await expectEnded(f, b, sid, 'lifetime');
    });

    it('a writing request in flight at the deadline does not resurrect the session', async () => {
      const b = f.browser();
      await b.login('bob@example.com');
      const sid = sidOf(b.cookie('sid'));
      await sleep(2300);
      const request = slow.start(b);
      await request.arrived;
      await sleep(1200);
      await request.finish();
      await expectEnded(f, b, sid, 'lifetime');
    });

    it('a new login starts a new lifetime', async () => {
      const b = f.browser();
      await b.login('alice@example.com');
      await sleep(3300);
      expect((await b.get('/me')).json.reason).to.equal('lifetime');
      await b.login('alice@example.com');
      expect((await b.get('/me')).status).to.equal(200);
    });
  });

  describe('the purge', () => {
    let f: Fixture;
    before(async () => { f = await createFixture({ purgeIntervalMs: false, audit: true }); }); // the defaults: 30 min, 12 h
    after(async () => f?.close());

    it('by default a signed-in session expires 30 minutes after its last write (12 h at most), not at the cookie\'s 24 h', async () => {
      const b = f.browser();
      await b.login('bob@example.com');
      const [row] = await rows<{ expires: Date; now: Date }>(f.sequelize,
        `SELECT expires, ${now(f.sequelize)} AS now FROM "Sessions" WHERE sid = $sid`, { bind: { sid: sidOf(b.cookie('sid')) } });
      expect((row!.expires.getTime() - row!.now.getTime()) / 60_000).to.be.within(29, 30.1);
    });

    for (const reason of ['idle', 'lifetime'] as const) {
      it(`deletes sessions a timeout ended and notes why (${reason}); their browsers are told`, async () => {
        const b = f.browser();
        await b.login('alice@example.com');
        const sid = sidOf(b.cookie('sid'));
        // Move the row's clock instead of waiting: as the store would have left it.
        const { sequelize } = f;
        if (reason === 'idle') {
          await run(sequelize, `UPDATE "Sessions" SET expires = ${ago(sequelize, 60_000)}, "updatedAt" = ${ago(sequelize, 31 * 60_000)} WHERE sid = $sid`, { bind: { sid } });
        } else {
          await run(sequelize, `UPDATE "UserSessions" SET "createdAt" = ${ago(sequelize, 13 * 3600_000)} WHERE sid = $sid`, { bind: { sid } });
          await run(sequelize, `UPDATE "Sessions" SET expires = ${ago(sequelize, 3600_000)} WHERE sid = $sid`, { bind: { sid } });
        }
        const purged = await f.singleSession.purgeExpired();
        expect([...purged!.values()].reduce((a, n) => a + n, 0)).to.equal(1);
        expect(await f.count('EndedSessions', `sid = '${sid}' AND reason = '${reason}'`)).to.equal(1);
        expect((await b.get('/me')).json.reason).to.equal(reason);
        expect(await lastAudit(f)).to.equal(reason);
      });
    }

    it('a session past its cookie\'s expiry (not a timeout) is purged without a reason', async () => {
      const b = f.browser();
      await b.login('alice@example.com');
      const sid = sidOf(b.cookie('sid'));
      await run(f.sequelize, `UPDATE "Sessions" SET expires = ${ago(f.sequelize, 1000)} WHERE sid = $sid`, { bind: { sid } });
      await f.singleSession.purgeExpired();
      expect(await f.count('EndedSessions', `sid = '${sid}'`)).to.equal(0);
      expect((await b.get('/me')).json.reason).to.equal(undefined);
    });
  });

  describe('options', () => {
    let f: Fixture;
    before(async () => { f = await createFixture(); });
    after(async () => f?.close());

    for (const [name, value] of [['idleTimeoutMs', 0], ['idleTimeoutMs', '30m'], ['absoluteTimeoutMs', -1], ['absoluteTimeoutMs', true]] as const) {
      it(`${name}: ${JSON.stringify(value)} stops the start with what is allowed`, async () => {
        const err = await createSingleSession({ sequelize: f.sequelize, [name]: value } as never).catch((e: unknown) => e);
        expect(err).to.be.instanceOf(SingleSessionConfigError);
        expect((err as Error).message).to.match(new RegExp(`option \`${name}\` must be a positive number of milliseconds or false`));
      });
    }
  });
});

describe('timeouts: the AdminJS login page says why', function () {
  this.timeout(60_000);
  it('an admin signed out by the idle timeout sees the translated reason on the login page', async () => {
    const { createAdminFixture } = await import('../support/admin.js');
    const f = await createAdminFixture({ idleTimeoutMs: 1500, purgeIntervalMs: false });
    try {
      const admin = await f.adminLogin('admin@example.com');
      expect((await admin.get('/admin/api/resources/User/actions/list')).status).to.equal(200);
      await sleep(1800);
      const login = await admin.get('/admin/login');
      expect(login.status).to.equal(200);
      expect(login.text).to.include('singleSessionEndedIdle');
      expect((await admin.get('/admin/api/resources/User/actions/list')).status, 'signed out').not.to.equal(200);
    } finally {
      await f.close();
    }
  });
});
