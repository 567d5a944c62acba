/**
 * The store's security properties, provoked for real: a request in flight while its session is ended must not
 * bring it back; a session claiming a user without a link is not served; expired sessions are not served and are
 * purged; the session id changes at login.
 */
import { expect } from 'chai';
import type { Express } from 'express';
import { createFixture, type Fixture } from '../support/fixture.js';
import { sidOf } from '../support/http.js';
import { ago, rows, run } from '../support/sql.js';

/** A route that changes the session (or only reads it), then waits for the test to open the gate. */
function gatedRoutes() {
  let entered!: () => void;
  let gate!: Promise<void>;
  let open!: () => void;
  const state = {
    reset() {
      const enteredP = new Promise<void>((r) => { entered = r; });
      gate = new Promise<void>((r) => { open = r; });
      return { entered: enteredP, open: () => open() };
    },
  };
  const routes = (app: Express) => {
    app.post('/slow', async (req, res) => {
      if (req.query.write === '1') (req.session as unknown as Record<string, number>).counter = Date.now();
      entered();
      await gate;
      res.json({ ok: true });
    });
    app.get('/visit', (req, res) => {
      (req.session as unknown as Record<string, boolean>).visited = true;
      res.json({ ok: true });
    });
  };
  return { state, routes };
}

for (const resave of [false, true]) {
  describe(`store: no resurrection (resave: ${resave})`, () => {
    let f: Fixture;
    const { state, routes } = gatedRoutes();
    before(async () => { f = await createFixture({}, { session: { resave }, routes }); });
    after(async () => f?.close());

    const endings = {
      'a newer login': async () => { await f.browser().login('alice@example.com'); },
      'an administrator': async () => { await f.singleSession.endUserSessions([await f.userId('alice@example.com')]); },
    };
    for (const [how, end] of Object.entries(endings)) {
      for (const write of [true, false]) {
        it(`a ${write ? 'writing' : 'read-only'} request in flight while ${how} ends its session does not bring it back`, async () => {
          const a = f.browser();
          await a.login('alice@example.com');
          const sid = sidOf(a.cookie('sid'));
          const { entered, open } = state.reset();
          const inFlight = a.post(`/slow?write=${write ? 1 : 0}`);
          await entered;
          await end();
          expect(await f.count('Sessions', `sid = '${sid}'`)).to.equal(0);
          open();
          expect((await inFlight).status).to.equal(200);
          expect(await f.count('Sessions', `sid = '${sid}'`), 'row re-created').to.equal(0);
          const me = await a.get('/me');
          expect(me.status).to.equal(401);
        });
      }
    }
  });
}

describe('store: what is served', () => {
  let f: Fixture;
  const { routes } = gatedRoutes();
  afterEach(async () => f?.close());

  it('a session that claims a user but has no UserSessions link is not served', async () => {
    f = await createFixture({}, { routes });
    const a = f.browser();
    await a.login('alice@example.com');
    const sid = sidOf(a.cookie('sid'));
    await run(f.sequelize, `DELETE FROM "UserSessions" WHERE sid = $sid`, { bind: { sid } });
    expect(await f.count('Sessions', `sid = '${sid}'`)).to.equal(1);
    expect((await a.get('/me')).status).to.equal(401);
  });

  it('a session whose link names another user is not served', async () => {
    f = await createFixture({}, { routes });
    const a = f.browser();
    await a.login('alice@example.com');
    const sid = sidOf(a.cookie('sid'));
    await run(f.sequelize, `UPDATE "UserSessions" SET "userId" = $bob WHERE sid = $sid`, { bind: { bob: await f.userId('bob@example.com'), sid } });
    expect((await a.get('/me')).status).to.equal(401);
  });

  it('expired sessions are not served, and purgeExpired deletes them (and emits "expired")', async () => {
    f = await createFixture({}, { routes });
    const a = f.browser();
    const b = f.browser();
    await a.login('alice@example.com');
    await b.login('bob@example.com');
    const sid = sidOf(a.cookie('sid'));
    await run(f.sequelize, `UPDATE "Sessions" SET expires = ${ago(f.sequelize, 1000)} WHERE sid = $sid`, { bind: { sid } });
    expect((await a.get('/me')).status).to.equal(401);
    const events: unknown[] = [];
    f.singleSession.events.on('sessions:ended', (e) => events.push(e));
    const purged = await f.singleSession.purgeExpired();
    expect(purged!.get(String(await f.userId('alice@example.com')))).to.equal(1);
    expect(await f.count('Sessions')).to.equal(1);
    expect(await f.count('UserSessions')).to.equal(1);
    expect((await b.get('/me')).status).to.equal(200);
    expect(events).to.have.length(1);
    expect(events[0]).to.deep.include({ reason: 'expired', sessions: 1 });
  });

  it('the session id changes at login (no fixation) and the pre-login session is gone', async () => {
    f = await createFixture({}, { routes });
    const a = f.browser();
    await a.get('/visit');
    const before = sidOf(a.cookie('sid'));
    expect(await f.count('Sessions', `sid = '${before}'`)).to.equal(1);
    await a.login('alice@example.com');
    const after = sidOf(a.cookie('sid'));
    expect(after).to.not.equal(before);
    expect(await f.count('Sessions', `sid = '${before}'`)).to.equal(0);
    expect(await f.count('UserSessions', `sid = '${after}'`)).to.equal(1);
  });

  it('the reason is told only for endReasonTtlMs, and a new login clears it', async () => {
    f = await createFixture({ endReasonTtlMs: 1500 }, { routes });
    const a = f.browser();
    await a.login('alice@example.com');
    await f.browser().login('alice@example.com');
    expect((await a.get('/me')).json.reason).to.equal('replaced');
    expect((await a.get('/me')).json.reason, 'told on every request within the TTL').to.equal('replaced');
    await new Promise((r) => setTimeout(r, 1700));
    const late = await a.get('/me');
    expect(late.status).to.equal(401);
    expect(late.json.reason).to.equal(undefined);
    await a.login('alice@example.com');
    expect((await a.get('/me')).status).to.equal(200);
  });

  it('an unmodified request refreshes the expiry at most once per lastSeenIntervalMs (throttled writes)', async () => {
    f = await createFixture({ lastSeenIntervalMs: 60_000 }, { routes, session: { rolling: true, cookie: { maxAge: 3_600_000 } } });
    const a = f.browser();
    await a.login('alice@example.com');
    const sid = sidOf(a.cookie('sid'));
    const stamp = async () => {
      const found = await rows(f.sequelize, `SELECT s."updatedAt", us."lastSeenAt" FROM "Sessions" s JOIN "UserSessions" us USING (sid) WHERE sid = $sid`, { bind: { sid } });
      expect(found).to.have.length(1);
      return JSON.stringify(found);
    };
    const first = await stamp();
    for (let i = 0; i < 5; i++) expect((await a.get('/me')).status).to.equal(200);
    expect(await stamp(), 'no write within the interval').to.equal(first);
    // Pretend the last write was long ago: the next request writes expiry and last-seen once.
    await run(f.sequelize, `UPDATE "Sessions" SET "updatedAt" = ${ago(f.sequelize, 120_000)} WHERE sid = $sid`, { bind: { sid } });
    await run(f.sequelize, `UPDATE "UserSessions" SET "lastSeenAt" = ${ago(f.sequelize, 120_000)} WHERE sid = $sid`, { bind: { sid } });
    const old = await stamp();
    expect((await a.get('/me')).status).to.equal(200);
    const moved = await stamp();
    expect(moved).to.not.equal(old);
  });
});
