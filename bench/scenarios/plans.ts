/**
 * The query plans behind the figures, as PostgreSQL ran them: `auto_explain` (loaded into the bench's own
 * connection only) reports the plan of every top-level statement with actual rows, times and buffers (the cascade to
 * UserSessions appears as its trigger's time and calls). Run after the timed scenarios, on users no scenario touched. Skipped, with a warning, where LOAD is not allowed.
 */
import { Sequelize } from 'sequelize';
import { defineUser } from '../../example/db/users.js';
import { diyEndSessions, engine, loginApp } from '../apps.js';
import type { BenchDb } from '../context.js';
import { expectStatus, request, serve } from '../http.js';
import type { Progress } from '../progress.js';
import type { Profile } from '../profile.js';
import { timed } from '../stats.js';

export type PlanResults = Array<{ title: string; text: string; ms: number }>;

const AUTO_EXPLAIN = `LOAD 'auto_explain';
  SET auto_explain.log_min_duration = 0; SET auto_explain.log_analyze = on; SET auto_explain.log_buffers = on;
  SET auto_explain.log_triggers = on;
  SET auto_explain.log_level = notice; SET client_min_messages = notice`;

interface PgConnection {
  on(event: 'notice', listener: (notice: { message?: string }) => void): void;
  query(sql: string): Promise<unknown>;
}

export async function plansScenario(db: BenchDb, profile: Profile, progress: Progress): Promise<PlanResults> {
  let notices: string[] = [];
  const sequelize = new Sequelize(db.url, {
    dialect: 'postgres', logging: false, pool: { max: 1, min: 0 },
    hooks: {
      afterConnect: async (connection) => {
        (connection as PgConnection).on('notice', (n) => { if (n.message?.includes('plan:')) notices.push(n.message); });
        await (connection as PgConnection).query(AUTO_EXPLAIN);
      },
    },
  });
  defineUser(sequelize);
  const plans: PlanResults = [];
  const phase = progress.phase(`Query plans at ${db.label} (auto_explain)`, 4);
  try {
    await sequelize.query('SELECT 1');
  } catch (err) {
    await sequelize.close();
    phase.done(`skipped: ${(err as Error).message}`);
    return plans;
  }
  const capture = async (title: string, fn: () => Promise<unknown>) => {
    notices = [];
    const ms = await timed(fn);
    const text = notices.map((n) => n.replace(/^duration: [\d.]+ ms\s+plan:\n/, '')).join('\n\n');
    plans.push({ title, ms, text: abbreviateArrays(text) });
    phase.tick();
  };
  const singleSession = await engine(sequelize, true);
  const server = await serve(loginApp(sequelize, { on: { singleSession } }));
  try {
    const loginId = db.users.login.take();
    await capture(`One login with the policy on (user with ${profile.sessionsPerUser} sessions)`, async () =>
      expectStatus(await request(`${server.url}/on/login?id=${loginId}`, { method: 'POST' }), 200, 'plans: login'));
    const oneId = db.users.endOne.take();
    await capture('P5, ours: endUserSessions([id])', () => singleSession.endUserSessions([oneId]));
    const scanId = db.users.endOne.take();
    await capture('P5, DIY: the JSON scan', () => diyEndSessions(sequelize, String(scanId)));
    // P4's statement, on a smaller block (the users of the bulk range are all spent by then): the same plan shape.
    const block = Array.from({ length: Math.min(1000, profile.bulk.users) }, () => db.users.endOne.take());
    await capture(`P4's statement: endUserSessions of ${block.length} users`, () => singleSession.endUserSessions(block));
    phase.done();
    return plans;
  } finally {
    await server.close();
    await sequelize.close();
  }
}

/** A plan names every id of a bulk ending: keep the first and last few. */
function abbreviateArrays(text: string): string {
  return text.replace(/'\{([^}]{200,})\}'/g, (_, list: string) => {
    const items = list.split(',');
    return `'{${items.slice(0, 3).join(',')},…(${items.length} ids)…,${items.slice(-2).join(',')}}'`;
  });
}
