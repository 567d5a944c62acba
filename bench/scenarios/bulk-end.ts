/**
 * P4: an administrator ends the sessions of 10,000 users (100,000 sessions) with the AdminJS bulk action
 * `logoutAllUsersOnAllSessions`, over HTTP against the demo's AdminJS (example/admin.ts): admin login by the
 * standard form, then `POST /admin/api/resources/User/bulk/logoutAllUsersOnAllSessions?recordIds=…`. Counts the
 * SQL statements the request took (everything Sequelize sent meanwhile, AdminJS's own record loading included).
 * If example/admin.ts cannot be loaded, measures the call the action makes (`endUserSessions`) and says so.
 */
import express from 'express';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { defineUser } from '../../example/db/users.js';
import type { SingleSession } from '../../src/index.js';
import { engine, SECRET } from '../apps.js';
import { type BenchDb, sessionsOf } from '../context.js';
import { countStatements } from '../db.js';
import { ADMIN_EMAIL, PASSWORD } from '../fill.js';
import { Client, expectStatus, serve, type Served } from '../http.js';
import type { Progress } from '../progress.js';
import type { Profile } from '../profile.js';
import { interleave, median, timed, totalSamples, type Variant } from '../stats.js';

export interface BulkResults {
  /** 'http': through AdminJS over HTTP; 'direct': `singleSession.endUserSessions(ids)` (why in `note`). */
  path: 'http' | 'direct';
  note: string;
  users: number;
  sessions: number;
  runs: number[];
  medianMs: number;
  statements: string[];
  /** With the HTTP path: the same ending by `endUserSessions` directly, sampled alongside (where the time goes). */
  direct?: { runs: number[]; medianMs: number };
}

const adminFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../example/admin.ts');

/** Ends the given users' sessions one way or the other; returns how many sessions ended. */
type EndSessions = (userIds: number[]) => Promise<number>;

export async function bulkEndScenario(db: BenchDb, profile: Profile, progress: Progress, random: () => number): Promise<BulkResults> {
  const singleSession = await engine(db.sequelize, true);
  const direct: EndSessions = async (ids) => (await singleSession.endUserSessions(ids, { actorId: db.adminId })).sessions;
  const admin = await adminPath(db, singleSession, direct);
  try {
    const { users: perRun, runs } = profile.bulk;
    let statements: string[] = [];
    let sessions = 0;
    /** One run on a fresh block of users, checked: every session of theirs ended, and the count reported is right. */
    const run = (end: EndSessions, record: boolean) => async () => {
      const ids = db.users.bulk.block(perRun);
      const before = await sessionsOf(db.sequelize, ids);
      let ended = 0;
      const counted = await countStatements(db.sequelize, () => timed(async () => { ended = await end(ids); }));
      const after = await sessionsOf(db.sequelize, ids);
      if (after !== 0 || ended !== before) {
        throw new Error(`P4: ${before} sessions before, ${ended} reported ended, ${after} left (expected all ended)`);
      }
      if (record) [statements, sessions] = [counted.statements, ended];
      return counted.result;
    };
    const variants: Record<string, Variant> = { main: { samples: runs, run: run(admin.end, true) } };
    if (admin.via === 'http') variants.direct = { samples: runs, run: run(direct, false) };
    const title = `P4 end ${perRun} users' sessions (${admin.via === 'http' ? 'AdminJS bulk action, and directly' : 'endUserSessions'})`;
    const phase = progress.phase(title, totalSamples(variants));
    const times = await interleave(variants, random, () => phase.tick());
    const medianMs = median(times.main!);
    phase.done(`${sessions} sessions of ${perRun} users in ${medianMs.toFixed(0)} ms (median), ${statements.length} SQL statements`);
    return {
      path: admin.via, note: admin.note, users: perRun, sessions, runs: times.main!, medianMs, statements,
      ...(times.direct ? { direct: { runs: times.direct, medianMs: median(times.direct) } } : {}),
    };
  } finally {
    await admin.stop();
  }
}

interface AdminPath {
  via: BulkResults['path'];
  note: string;
  end: EndSessions;
  stop: () => Promise<void>;
}

async function adminPath(db: BenchDb, singleSession: SingleSession, directEnd: EndSessions): Promise<AdminPath> {
  const direct = (note: string): AdminPath => ({ via: 'direct', note, end: directEnd, stop: async () => {} });
  if (!existsSync(adminFile)) return direct('example/admin.ts does not exist yet: measured the call the bulk action makes');
  let buildAdmin: (options: object) => Promise<{ admin: { options: { rootPath: string } }; router: express.Router }>;
  try {
    ({ buildAdmin } = await import(pathToFileURL(adminFile).href));
  } catch (err) {
    console.warn(`  P4: example/admin.ts failed to load (${(err as Error).message}); measuring endUserSessions instead`);
    return direct(`example/admin.ts failed to load (${(err as Error).message.split('\n')[0]}): measured the call the bulk action makes`);
  }
  const User = defineUser(db.sequelize);
  const app = express();
  app.use(singleSession.sessionMiddleware({ secret: SECRET, name: 'sid' }));
  const { admin, router } = await buildAdmin({ sequelize: db.sequelize, singleSession, User, secret: SECRET });
  app.use(admin.options.rootPath, router);
  const server: Served = await serve(app);
  const client = new Client(server.url);
  const login = await client.send('POST', '/admin/login', { form: { email: ADMIN_EMAIL, password: PASSWORD } });
  if (login.status !== 302) {
    await server.close();
    throw new Error(`P4: admin login answered ${login.status}, expected a redirect: ${login.text.slice(0, 300)}`);
  }
  return {
    via: 'http',
    note: 'POST /admin/api/resources/User/bulk/logoutAllUsersOnAllSessions over HTTP (example/admin.ts), logged in as an admin',
    end: async (ids) => {
      const res = expectStatus(
        await client.send('POST', `/admin/api/resources/User/bulk/logoutAllUsersOnAllSessions?recordIds=${ids.join(',')}`, { json: {} }),
        200, 'P4 bulk action',
      );
      const notice = (JSON.parse(res.text) as { notice?: { type?: string; options?: { sessions?: number } } }).notice;
      if (notice?.type !== 'success') throw new Error(`P4: the bulk action did not succeed: ${JSON.stringify(notice)}`);
      return Number(notice.options?.sessions);
    },
    stop: () => server.close(),
  };
}
