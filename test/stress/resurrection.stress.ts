/**
 * Resurrection: a request that loaded (and changes) a session is in flight while that session is ended — by a
 * newer login of the same user, by an administrator (`endUserSessions`, what the AdminJS bulk actions call) or by
 * a logout on another device (logout everywhere). When the request ends, express-session saves the session. With
 * our store the ended session stays ended, in the table and over HTTP, for every resave/rolling combination.
 * The negative control runs the same race on connect-session-sequelize 7 and shows it DOES resurrect.
 */
import { expect } from 'chai';
import SequelizeStoreInit from 'connect-session-sequelize';
import express from 'express';
import session from 'express-session';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Sequelize } from 'sequelize';
import { connect, testDatabase } from '../support/database.js';
import { Browser, sidOf } from '../support/http.js';
import { SECRET } from '../support/fixture.js';
import { count, run } from '../support/sql.js';
import { freshDatabase, sessionRows, startApp, type StressApp } from './support/app.js';
import { tally } from './support/figures.js';
import { Gates } from './support/gates.js';

// Fewer in the cluster run (test/cluster/pgbouncer.mocharc.json sets it), which must stay within CI's few minutes.
const RACES = Number(process.env.STRESS_RESURRECTION_RACES ?? 1000);
const ENDERS = ['newer login', 'admin endUserSessions', 'logout everywhere'] as const;
type Ender = (typeof ENDERS)[number];
const COMBINATIONS = [false, true].flatMap((resave) => [false, true].map((rolling) => ({ resave, rolling })));
/** Each ender has its own user, so the three kinds of race run side by side. */
const VICTIM: Record<Ender, string> = {
  'newer login': 'alice@example.com',
  'admin endUserSessions': 'staff@example.com',
  'logout everywhere': 'bob@example.com',
};

describe('resurrection: an ended session never comes back', function () {
  let sequelize: Sequelize;
  const perRun = Math.ceil(RACES / (COMBINATIONS.length * ENDERS.length));

  let real = false;

  before(async () => {
    const db = await testDatabase();
    real = db.real;
    sequelize = connect(db.url, 12);
    await freshDatabase(sequelize);
  });
  after(async () => sequelize?.close());

  for (const { resave, rolling } of COMBINATIONS) {
    it(`${perRun * ENDERS.length} races with resave=${resave}, rolling=${rolling}`, async () => {
      const gates = new Gates();
      // bob may have any number of sessions (so a second device can log out everywhere); everyone else one.
      const app = await startApp(sequelize, {
        options: { singleUserSession: (user: { email: string }) => user.email !== 'bob@example.com' },
        session: { resave, rolling },
        routes: (a) => gates.mount(a),
      });
      try {
        const adminId = await app.userId('admin@example.com');
        const ids = Object.fromEntries(await Promise.all(ENDERS.map(async (e) => [e, await app.userId(VICTIM[e])])));
        const end = async (ender: Ender, other: Browser | null) => {
          if (ender === 'newer login') await app.browser().login(VICTIM[ender]);
          else if (ender === 'admin endUserSessions') await app.singleSession.endUserSessions([ids[ender]], { actorId: adminId });
          else expect((await other!.post('/logout')).json?.sessionsEnded).to.be.at.least(2);
        };
        let violations = 0;
        for (let i = 0; i < perRun; i++) {
          const one = (ender: Ender) => race(app, gates, ender, i % 2 === 0, end);
          const results: boolean[] = [];
          // PGlite runs one transaction at a time: there the three kinds take turns.
          if (real) results.push(...await Promise.all(ENDERS.map(one)));
          else for (const ender of ENDERS) results.push(await one(ender));
          violations += results.filter((ok) => !ok).length;
        }
        tally('resurrection races', perRun * ENDERS.length);
        tally('violations: ended session came back', violations);
        expect(violations, 'ended sessions that came back').to.equal(0);
        expect(await sessionRows(sequelize, ids['newer login'])).to.include({ links: 1 });
      } finally {
        await app.close();
      }
    });
  }

  /** One race; true when the ended session stayed ended. `write`: the in-flight request changes the session. */
  async function race(
    app: StressApp, gates: Gates, ender: Ender, write: boolean, end: (ender: Ender, other: Browser | null) => Promise<void>,
  ) {
    const other = ender === 'logout everywhere' ? app.browser() : null;
    if (other) expect((await other.login(VICTIM[ender])).status).to.equal(200);
    const victim = app.browser();
    expect((await victim.login(VICTIM[ender])).status).to.equal(200);
    const sid = sidOf(victim.cookie('sid'));
    const gate = gates.arm();
    const inFlight = write ? victim.post(gate.path) : victim.get(gate.path);
    await gate.arrived;
    await end(ender, other);
    gate.open();
    await inFlight;
    const rows = await countSid(app.sequelize, sid);
    const me = await victim.get('/me');
    const after = await countSid(app.sequelize, sid);
    return rows === 0 && after === 0 && me.status === 401;
  }
});

function countSid(sequelize: Sequelize, sid: string): Promise<number> {
  return count(sequelize,
    `SELECT (SELECT count(*) FROM "Sessions" WHERE sid = $sid) + (SELECT count(*) FROM "UserSessions" WHERE sid = $sid) AS n`,
    { bind: { sid } },
  );
}

describe('negative control: connect-session-sequelize 7 resurrects in the same race', () => {
  const CONTROL_RACES = 20;
  let sequelize: Sequelize;
  let server: Server;
  let baseUrl: string;
  const gates = new Gates();
  let store: InstanceType<ReturnType<typeof SequelizeStoreInit>>;

  before(async () => {
    sequelize = connect((await testDatabase()).url, 4);
    const SequelizeStore = SequelizeStoreInit(session.Store);
    store = new SequelizeStore({ db: sequelize, modelKey: 'ControlSession', tableName: 'ControlSessions', checkExpirationInterval: 3600_000 });
    await store.sync({ force: true });
    const app = express();
    app.use(session({ store, secret: SECRET, name: 'sid', resave: false, saveUninitialized: false }));
    app.post('/login', (req, res) => {
      (req.session as unknown as Record<string, unknown>).userId = 'alice';
      res.json({ ok: true });
    });
    app.get('/me', (req, res) => {
      const userId = (req.session as unknown as Record<string, unknown>).userId;
      res.status(userId ? 200 : 401).json({ userId });
    });
    gates.mount(app);
    server = await new Promise((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)); });
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    (store as unknown as { stopExpiringSessions(): void })?.stopExpiringSessions();
    server?.closeAllConnections();
    await new Promise((resolve) => server ? server.close(resolve) : resolve(undefined));
    if (sequelize) await run(sequelize, 'DROP TABLE IF EXISTS "ControlSessions"');
    await sequelize?.close();
  });

  it(`${CONTROL_RACES} races: the deleted row comes back and the cookie is logged in again`, async () => {
    let resurrected = 0;
    for (let i = 0; i < CONTROL_RACES; i++) {
      const victim = new Browser(baseUrl);
      await victim.post('/login');
      const sid = sidOf(victim.cookie('sid'));
      const gate = gates.arm();
      const inFlight = victim.post(gate.path);
      await gate.arrived;
      // What an administrator's "log out everywhere" does to this store: delete the user's rows.
      await run(sequelize, 'DELETE FROM "ControlSessions" WHERE sid = $sid', { bind: { sid } });
      gate.open();
      await inFlight;
      const rows = await count(sequelize, 'SELECT count(*) AS n FROM "ControlSessions" WHERE sid = $sid', { bind: { sid } });
      const back = rows === 1 && (await victim.get('/me')).status === 200;
      if (back) resurrected++;
    }
    tally('control races (connect-session-sequelize 7)', CONTROL_RACES);
    tally('control resurrections (expected = control races)', resurrected);
    expect(resurrected, 'the control must resurrect, or the race does not test anything').to.equal(CONTROL_RACES);
  });
});
