/**
 * Many processes: four demo servers on one database (PostgreSQL or MariaDB); 50 logins of the same user at once, spread over
 * the four, 100 rounds. After each round exactly the allowed number of sessions exists (links, and session rows
 * claiming the user) and exactly that many of the 50 cookies are still logged in — asked of another process than
 * the one that logged the cookie in. Once with one session per user, once with a limit of 3.
 */
import { expect } from 'chai';
import type { Sequelize } from 'sequelize';
import { Browser } from '../support/http.js';
import { rows } from '../support/sql.js';
import { realServerOrSkip, sessionRows } from './support/app.js';
import { tally } from './support/figures.js';
import { startDemoProcesses, type AppProcesses } from './support/processes.js';

const PROCESSES = 4;
const LOGINS = 50;
// Fewer in the cluster run (test/cluster/pgbouncer.mocharc.json sets it), which must stay within CI's few minutes.
const ROUNDS = Number(process.env.STRESS_PROCESS_ROUNDS ?? 100);
const EMAIL = 'alice@example.com';

describe(`many processes: ${PROCESSES} app processes, ${LOGINS} concurrent logins of one user, ${ROUNDS} rounds`, function () {
  let sequelize: Sequelize;
  let url: string;

  before(async function () {
    // Our own seed (bcrypt cost 4 instead of the seeder's 10): the servers find users and skip their seeding.
    ({ url, sequelize } = await realServerOrSkip(this, 'for concurrent transactions in several processes'));
  });
  after(async () => sequelize?.close());

  for (const limit of [1, 3]) {
    it(`SINGLE_USER_SESSION=${limit === 1 ? 'true' : limit}: exactly ${limit} session(s) after every round`, async () => {
      let apps: AppProcesses | undefined;
      try {
        apps = await startDemoProcesses(PROCESSES, { DATABASE_URL: url, SINGLE_USER_SESSION: limit === 1 ? 'true' : String(limit) });
        const [user] = await rows<{ id: number }>(sequelize, 'SELECT id FROM "Users" WHERE email = $email', { bind: { email: EMAIL } });
        const userId = user!.id;
        const problems: string[] = [];
        for (let round = 0; round < ROUNDS; round++) {
          const problem = await oneRound(apps.urls, userId, limit);
          if (problem) problems.push(`round ${round}: ${problem}`);
        }
        tally('process rounds', ROUNDS);
        tally('process logins', ROUNDS * LOGINS);
        tally('violations: wrong number of sessions after a round', problems.length);
        expect(problems).to.deep.equal([]);
      } finally {
        await apps?.stop();
      }
    });
  }

  /** One round; a description of what was wrong, or null. */
  async function oneRound(urls: string[], userId: number, limit: number): Promise<string | null> {
    const logins = await Promise.all(Array.from({ length: LOGINS }, async (_, i) => {
      const b = new Browser(urls[i % urls.length]!);
      const res = await b.login(EMAIL);
      return { status: res.status, cookie: b.cookie('sid') };
    }));
    const failed = logins.filter((l) => l.status !== 200).map((l) => l.status);
    const counts = await sessionRows(sequelize, userId);
    const loggedIn = await Promise.all(logins.map(async ({ cookie }, i) => {
      const b = new Browser(urls[(i + 1) % urls.length]!);
      if (cookie) b.setCookie('sid', cookie);
      return (await b.get('/me')).status === 200;
    }));
    const alive = loggedIn.filter(Boolean).length;
    if (failed.length || counts.links !== limit || counts.claiming !== limit || alive !== limit) {
      return `failed logins ${JSON.stringify(failed)}, links ${counts.links}, claiming rows ${counts.claiming}, logged-in cookies ${alive}`;
    }
    return null;
  }
});
