/**
 * The timeouts under concurrent requests: two app instances on one database, 20 signed-in browsers each firing
 * requests at both instances without pause. The absolute lifetime must end every one of them at its deadline
 * (no request that starts after it is served, however many are in flight when it passes), the idle timeout must
 * never end a busy session and must end an idle one, and no write in flight may bring a row back.
 */
import { expect } from 'chai';
import type { Sequelize } from 'sequelize';
import { Browser } from '../support/http.js';
import { count, now, rows } from '../support/sql.js';
import { freshDatabase, realServerOrSkip, startApp, type StressApp } from './support/app.js';
import { tally } from './support/figures.js';

const USERS = 20;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Slack for the two clocks involved (the app's, which decides, and the test's, which starts requests). */
const SLACK_MS = 250;

/** Sessions rows not expired by the database's clock. */
const liveSessions = (sequelize: Sequelize) => count(sequelize, `SELECT count(*) FROM "Sessions" WHERE expires > ${now(sequelize)}`);

interface Served { startedAt: number; status: number; ms: number }

/** Signs USERS users in (alternating instances), one browser each, each browser bound to the instance it signed in on. */
async function signIn(apps: StressApp[], sequelize: Sequelize): Promise<Array<{ browsers: Browser[]; signedInAt: number; userId: number }>> {
  const users = await rows<{ id: number }>(sequelize, `SELECT id FROM "Users" WHERE email LIKE 'user%@example.com' ORDER BY id LIMIT ${USERS}`);
  return Promise.all(users.map(async ({ id }, i) => {
    const first = apps[i % 2]!.browser();
    const res = await first.login(`user${i}@example.com`);
    expect(res.status).to.equal(200);
    // The same cookie on the other instance: a second "tab" of the same browser.
    const second = new Browser(apps[(i + 1) % 2]!.baseUrl);
    second.setCookie('sid', first.cookie('sid')!);
    return { browsers: [first, second], signedInAt: Date.now(), userId: id };
  }));
}

/** Each browser fires requests back to back until `until` (ms since epoch); returns every request's start and status. */
async function hammer(browsers: Browser[], until: number): Promise<Served[]> {
  const served: Served[] = [];
  await Promise.all(browsers.map(async (b) => {
    while (Date.now() < until) {
      const startedAt = Date.now();
      const res = await b.get('/me');
      served.push({ startedAt, status: res.status, ms: Date.now() - startedAt });
    }
  }));
  return served;
}

describe('timeouts under concurrent requests (two instances)', function () {
  this.timeout(120_000);
  let sequelize: Sequelize;
  let apps: StressApp[] = [];

  async function start(this: Mocha.Context, options: Record<string, unknown>) {
    const db = await realServerOrSkip(this, 'for true concurrency');
    sequelize = db.sequelize;
    await freshDatabase(sequelize, USERS);
    apps = await Promise.all([0, 1].map(() => startApp(sequelize, { options: { singleUserSession: false, ...options } })));
  }
  afterEach(async () => {
    await Promise.all(apps.map((a) => a.close()));
    apps = [];
    await sequelize?.close();
  });

  it('absolute lifetime 3 s: every session ends at its deadline; no request started after it is served', async function () {
    await start.call(this, { idleTimeoutMs: false, absoluteTimeoutMs: 3000 });
    const users = await signIn(apps, sequelize);
    const results = await Promise.all(users.map(async ({ browsers, signedInAt }) => ({
      signedInAt, served: await hammer(browsers, signedInAt + 4500),
    })));
    let servedLate = 0;
    let servedBefore = 0;
    let refusedEarly = 0;
    for (const { signedInAt, served } of results) {
      const deadline = signedInAt + 3000;
      servedLate += served.filter((s) => s.status === 200 && s.startedAt > deadline + SLACK_MS).length;
      servedBefore += served.filter((s) => s.status === 200 && s.startedAt < deadline - SLACK_MS).length;
      refusedEarly += served.filter((s) => s.status !== 200 && s.startedAt < deadline - 1000).length;
    }
    const requests = results.reduce((n, r) => n + r.served.length, 0);
    tally('lifetime: concurrent requests', requests);
    tally('lifetime violations: served after the deadline', servedLate);
    expect(servedBefore, 'busy sessions were served before their deadline').to.be.at.least(USERS * 2);
    expect(refusedEarly, 'refused well before the deadline').to.equal(0);
    expect(servedLate, 'served after the deadline').to.equal(0);
    const live = await liveSessions(sequelize);
    expect(live, 'rows brought back by writes in flight').to.equal(0);
    await sleep(300);
    for (const { browsers } of users) expect((await browsers[0]!.get('/me')).json.reason).to.equal('lifetime');
  });

  // Activity counts when a request completes (express-session writes then): 4 s leaves room for slow requests on a
  // loaded machine, the rows being rewritten at least every second.
  it('idle timeout 4 s: busy sessions live on past it, then 5 s of quiet ends every one (told "idle")', async function () {
    await start.call(this, { idleTimeoutMs: 4000, absoluteTimeoutMs: false });
    const users = await signIn(apps, sequelize);
    const busyUntil = Date.now() + 8000; // twice the timeout
    const served = (await Promise.all(users.map(({ browsers }) => hammer(browsers, busyUntil)))).flat();
    const refused = served.filter((s) => s.status !== 200).length;
    if (refused) console.log('      refused while busy:', JSON.stringify(served.filter((s) => s.status !== 200).slice(0, 5)), 'slowest', Math.max(...served.map((s) => s.ms)));
    tally('idle: concurrent requests while busy', served.length);
    tally('idle violations: busy session ended', refused);
    expect(refused, 'a busy session was ended').to.equal(0);
    await sleep(5000);
    const live = await liveSessions(sequelize);
    expect(live, 'sessions still live after the idle timeout').to.equal(0);
    const told = await Promise.all(users.map(async ({ browsers }) => (await browsers[1]!.get('/me')).json.reason));
    expect(told).to.deep.equal(users.map(() => 'idle'));
  });
});
