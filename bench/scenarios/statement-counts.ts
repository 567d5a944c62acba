/**
 * The SQL statements each ending sends, counted at a few and at many users or sessions, on each database: the
 * proof that an ending is a fixed number of statements (set-based), not a loop per user or per session. Counted
 * through Sequelize's `logging` hook (`countStatements`: every statement the engine's Sequelize instance sends,
 * transaction control included), in a database of its own (`counts`), so the sizes are the same in every run,
 * `--tiny` included:
 *
 * - a login with the policy on (over HTTP), of a user with 1 and with 1,001 live sessions, which it ends;
 * - the user's own logout (over HTTP, `userLoggedOut`: logout everywhere), with 1 and with 1,000 other sessions;
 * - an administrator's ending of one user's sessions (`endUserSessions([id])`, P5's call), of 1 and of 1,001 sessions;
 * - the AdminJS bulk action (P4's request) on 10 and on 10,000 users.
 *
 * Every run has something to end (with nothing, an ending may rightly skip statements: MariaDB's skips its notes
 * and DELETE when its count finds no session). Each operation runs once unmeasured first (on other users), so one-time work (AdminJS's first request, a
 * statement prepared on first use) is not counted; each counted run is checked to have ended what it should.
 */
import { serveDemoAdmin } from '../admin.js';
import { engine, loginApp } from '../apps.js';
import { sessionsOf, UserRange } from '../context.js';
import { countStatements } from '../db.js';
import { addSessions, type FillPlan } from '../fill.js';
import { Client, expectStatus, serve } from '../http.js';
import type { Progress } from '../progress.js';
import { bulkEndViaAdmin } from './bulk-end.js';
import type { BenchDb } from '../context.js';

/** Users of the bulk ending's two runs; the other sessions of the one-user operations' "many" runs. */
export const COUNTED = { fewUsers: 10, manyUsers: 10_000, manySessions: 1_000 } as const;

/** The counts database: one session per user; the bulk runs' users, then spare users for the one-user operations. */
export const COUNTS_PLAN: FillPlan = (() => {
  const users = COUNTED.fewUsers + COUNTED.manyUsers + 40;
  return { users, sessions: users };
})();

export interface CountedRun {
  /** Users (bulk) or sessions of the user, at the time of the operation. */
  size: number;
  statements: string[];
}

export interface CountedOperation {
  title: string;
  /** What `size` counts: "users" or "sessions". */
  unit: string;
  few: CountedRun;
  many: CountedRun;
}

export type StatementCounts = CountedOperation[];

export const sameCount = (op: CountedOperation) => op.few.statements.length === op.many.statements.length;

export async function statementCountsScenario(db: BenchDb, progress: Progress): Promise<StatementCounts> {
  const { sequelize } = db;
  const singleSession = await engine(sequelize, true);
  const server = await serve(loginApp(sequelize, { on: { singleSession } }));
  const admin = await serveDemoAdmin(db, singleSession);
  const phase = progress.phase(`Statement counts (${sequelize.getDialect()})`, 4);
  const bulkFew = Array.from({ length: COUNTED.fewUsers }, (_, i) => i + 1);
  const bulkMany = Array.from({ length: COUNTED.manyUsers }, (_, i) => COUNTED.fewUsers + i + 1);
  const spare = new UserRange(COUNTED.fewUsers + COUNTED.manyUsers + 1, COUNTS_PLAN.users);
  const check = async (what: string, ids: number[], expected: number) => {
    const left = await sessionsOf(sequelize, ids);
    if (left !== expected) throw new Error(`statement counts, ${what}: ${left} sessions left, expected ${expected}`);
  };
  /** A spare user with `extra` live sessions besides the filled one. */
  const userWith = async (extra: number) => {
    const id = spare.take();
    if (extra > 0) await addSessions(sequelize, id, extra);
    return { id, sessions: await sessionsOf(sequelize, [id]) };
  };
  const login = (client: Client, id: number) =>
    client.send('POST', `/on/login?id=${id}`).then((res) => expectStatus(res, 200, 'statement counts: login'));
  const logout = (client: Client) => client.send('POST', '/on/logout').then((res) => expectStatus(res, 200, 'statement counts: logout'));

  /** Runs `op` unmeasured at the few size, then counted at the few and the many size. */
  const operation = async (title: string, unit: string, op: (size: 'few' | 'many', counted: boolean) => Promise<CountedRun>) => {
    await op('few', false);
    const result: CountedOperation = { title, unit, few: await op('few', true), many: await op('many', true) };
    phase.tick();
    return result;
  };
  const counted = async (size: number, counting: boolean, fn: () => Promise<unknown>): Promise<CountedRun> => {
    if (!counting) {
      await fn();
      return { size, statements: [] };
    }
    const { statements } = await countStatements(sequelize, fn);
    return { size, statements: statements.map((s) => s.sql) };
  };

  try {
    const results: StatementCounts = [];
    results.push(await operation('Login with the policy on, ending the user\'s other sessions', 'sessions', async (size, counting) => {
      const user = await userWith(size === 'many' ? COUNTED.manySessions : 0);
      const run = await counted(user.sessions, counting, () => login(new Client(server.url), user.id));
      await check('login', [user.id], 1);
      return run;
    }));
    results.push(await operation('The user\'s logout, ending all their sessions (logout everywhere)', 'sessions', async (size, counting) => {
      const user = await userWith(0);
      const client = new Client(server.url);
      await login(client, user.id); // ends the filled session: the user now holds the one of this client
      // At least one other session at both sizes: with none, an ending rightly skips its notes and its DELETE.
      await addSessions(sequelize, user.id, size === 'many' ? COUNTED.manySessions : 1);
      const run = await counted(await sessionsOf(sequelize, [user.id]), counting, () => logout(client));
      await check('logout', [user.id], 0);
      return run;
    }));
    results.push(await operation('An administrator ends one user\'s sessions (`endUserSessions([id])`, P5)', 'sessions', async (size, counting) => {
      const user = await userWith(size === 'many' ? COUNTED.manySessions : 0);
      const run = await counted(user.sessions, counting, () => singleSession.endUserSessions([user.id]));
      await check('endUserSessions', [user.id], 0);
      return run;
    }));
    results.push(await operation('AdminJS bulk action ending the selected users\' sessions (P4)', 'users', async (size, counting) => {
      const ids = !counting ? [spare.take(), spare.take()] : size === 'few' ? bulkFew : bulkMany;
      const run = await counted(ids.length, counting, () => bulkEndViaAdmin(admin, ids));
      await check('bulk action', ids, 0);
      return run;
    }));
    const differ = results.filter((op) => !sameCount(op));
    phase.done(results.map((op) => `${op.few.statements.length}/${op.many.statements.length}`).join(', ') +
      ' statements (few/many)' + (differ.length ? ` — DIFFERS for: ${differ.map((op) => op.title).join('; ')}` : ''));
    return results;
  } finally {
    await admin.close();
    await server.close();
  }
}
