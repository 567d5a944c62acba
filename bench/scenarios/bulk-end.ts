/**
 * P4: an administrator ends the sessions of 10,000 users (100,000 sessions) with the AdminJS bulk action
 * `logoutAllUsersOnAllSessions`, over HTTP against the demo app (example/app.ts): admin login by the standard
 * form, then `POST /admin/api/resources/User/bulk/logoutAllUsersOnAllSessions?recordIds=…`. Beside it, interleaved
 * on other blocks of as many users, the bare set-based DELETE with its cascade (BEGIN, DELETE, COMMIT). Every
 * statement is timed (Sequelize's `benchmark`), so a run splits into AdminJS's loading of the selected users,
 * the action's own SQL (its transaction, BEGIN to COMMIT) and the rest (HTTP, AdminJS, our JavaScript).
 */
import { type DemoAdmin, serveDemoAdmin } from '../admin.js';
import { BARE_DELETE, bareEndSessions, engine } from '../apps.js';
import { type BenchDb, sessionsOf } from '../context.js';
import { countStatements, isMariaDb, lastTransactionMs, type Statement } from '../db.js';
import { expectAdminJson } from '../http.js';
import type { Progress } from '../progress.js';
import type { Profile } from '../profile.js';
import { interleave, median, timed } from '../stats.js';

export const BULK_TARGETS = { httpMs: 2000, sqlRatio: 1.3 };

export interface Timings {
  runs: number[];
  medianMs: number;
}

export interface BulkResults {
  note: string;
  users: number;
  sessions: number;
  /** The HTTP request, end to end. */
  runs: number[];
  medianMs: number;
  statements: string[];
  /** The action's transaction (BEGIN … COMMIT) inside those requests. */
  actionSql?: Timings;
  /** AdminJS's loading of the selected users (before any action code runs). */
  recordLoading?: Timings;
  /** The bare DELETE with its cascade, in its own transaction (BEGIN … COMMIT), on other users. */
  bare?: Timings & { sql: string };
  /** Older results only: the ending called directly (`endUserSessions`). */
  direct?: Timings;
}

const ACTION = 'logoutAllUsersOnAllSessions';
/** AdminJS's `findMany` of the selected records. */
const LOADS_USERS = /^SELECT .* FROM ["`]Users["`] AS ["`]User["`] WHERE ["`]User["`]\.["`]id["`] IN \(/;

/** The bulk action over HTTP, as an administrator clicks it on the selected users; answers the sessions it reports ended. */
export async function bulkEndViaAdmin(admin: DemoAdmin, ids: number[]): Promise<number> {
  const res = await admin.client.send('POST', `/admin/api/resources/User/bulk/${ACTION}?recordIds=${ids.join(',')}`, { json: {} });
  const { notice } = expectAdminJson<{ notice?: { type?: string; options?: { sessions?: number } } }>(res, 'P4 bulk action');
  if (notice?.type !== 'success') throw new Error(`P4: the bulk action did not succeed: ${JSON.stringify(notice)}`);
  return Number(notice.options?.sessions);
}

const sumOf = (statements: Statement[], match: RegExp) => statements.filter((s) => match.test(s.sql)).reduce((n, s) => n + s.ms, 0);
const timings = (runs: number[]): Timings => ({ runs, medianMs: median(runs) });

export async function bulkEndScenario(db: BenchDb, profile: Profile, progress: Progress, random: () => number): Promise<BulkResults> {
  const admin = await serveDemoAdmin(db, await engine(db.sequelize, true));
  try {
    const { users: perRun, runs } = profile.bulk;
    const measured = { http: [] as number[], actionSql: [] as number[], loading: [] as number[], bare: [] as number[] };
    let statements: string[] = [];
    let sessions = 0;

    /** One run on a fresh block of users, checked: every session of theirs ended, and the count reported is right. */
    const run = (end: (ids: number[]) => Promise<number>, record: (counted: Statement[], ms: number, ended: number) => void) => async () => {
      const ids = db.users.bulk.block(perRun);
      const before = await sessionsOf(db.sequelize, ids);
      let ended = 0;
      const counted = await countStatements(db.sequelize, () => timed(async () => { ended = await end(ids); }));
      const after = await sessionsOf(db.sequelize, ids);
      if (after !== 0 || ended !== before) {
        throw new Error(`P4: ${before} sessions before, ${ended} reported ended, ${after} left (expected all ended)`);
      }
      record(counted.statements, counted.result, ended);
      return counted.result;
    };
    const viaAdmin = (ids: number[]) => bulkEndViaAdmin(admin, ids);
    const phase = progress.phase(`P4 end ${perRun} users' sessions (AdminJS bulk action, and the bare DELETE)`, 2 * runs);
    await interleave({
      action: {
        samples: runs,
        run: run(viaAdmin, (counted, ms, ended) => {
          measured.http.push(ms);
          measured.actionSql.push(lastTransactionMs(counted));
          measured.loading.push(sumOf(counted, LOADS_USERS));
          [statements, sessions] = [counted.map((s) => s.sql), ended];
        }),
      },
      bare: { samples: runs, run: run((ids) => bareEndSessions(db.sequelize, ids), (counted) => measured.bare.push(lastTransactionMs(counted))) },
    }, random, () => phase.tick());
    const result: BulkResults = {
      note: `POST /admin/api/resources/User/bulk/${ACTION} over HTTP (the demo app, example/app.ts), logged in as an admin`,
      users: perRun, sessions, statements,
      runs: measured.http, medianMs: median(measured.http),
      actionSql: timings(measured.actionSql), recordLoading: timings(measured.loading), bare: { ...timings(measured.bare), sql: BARE_DELETE[isMariaDb(db.sequelize) ? 'mariadb' : 'postgres'] },
    };
    phase.done(`${sessions} sessions of ${perRun} users: ${result.medianMs.toFixed(0)} ms over HTTP, action SQL ` +
      `${result.actionSql!.medianMs.toFixed(0)} ms, bare DELETE ${result.bare!.medianMs.toFixed(0)} ms (medians)`);
    return result;
  } finally {
    await admin.close();
  }
}
