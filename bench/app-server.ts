/**
 * One app process of the soak and capacity runs: the demo app (example/app.ts — the site's login, `/me` and
 * logout, AdminJS with the package's feature, one session store) on the bench database, with the engine options
 * the parent passes (short lifetimes and a frequent purge for the soak). Started by bench/app-processes.ts as a
 * real child process; serves on a free port and talks to the parent over IPC (see bench/child.ts):
 * `{ type: 'ready', url }`; on `{ type: 'stats' }` answers what its engine did since the last question.
 */
import { buildDemoApp } from '../example/app.js';
import { defineUser } from '../example/db/users.js';
import { createSingleSession, type SingleSessionOptions } from '../src/index.js';
import { SECRET } from './apps.js';
import { connect } from './db.js';
import { serve } from './http.js';

/** What the engine did in one process: sessions ended per reason (`expired` is the purge), failed background purges. */
export interface EngineStats {
  ended: Record<string, number>;
  backgroundErrors: number;
}
export type AppMessage = { type: 'ready'; url: string } | ({ type: 'stats' } & EngineStats);
export type AppQuestion = { type: 'stats' };
export type EngineOptions = Pick<SingleSessionOptions, 'sessionTtlMs' | 'endReasonTtlMs' | 'purgeIntervalMs' | 'lastSeenIntervalMs' | 'audit' | 'auditRetentionMs'>;

const url = process.env.BENCH_DB_URL;
if (!url || !process.send) throw new Error('bench/app-server.ts is started by the bench (BENCH_DB_URL, IPC)');
const options = JSON.parse(process.env.BENCH_ENGINE_OPTIONS ?? '{}') as EngineOptions;

const sequelize = connect(url);
const User = defineUser(sequelize);
const singleSession = await createSingleSession({ sequelize, userModel: User, ...options });
let stats: EngineStats = { ended: {}, backgroundErrors: 0 };
singleSession.events.on('sessions:ended', ({ reason, sessions }) => { stats.ended[reason] = (stats.ended[reason] ?? 0) + sessions; });
const app = await buildDemoApp({ sequelize, singleSession, User, secret: SECRET });
// After the demo's own listener (which logs the failure): counted, so that the parent can report it.
singleSession.events.on('error', () => { stats.backgroundErrors++; });
const served = await serve(app);
const send = (message: AppMessage) => process.send!(message);

/**
 * Waits (at most `ms`) until no query has run or waited for 100 ms: a load generator may drop its connections
 * while requests are still being handled, and closing Sequelize under them would fail them noisily.
 */
async function settle(ms: number): Promise<void> {
  const pool = (sequelize.connectionManager as unknown as { pool: { using: number; waiting: number } }).pool;
  for (let idle = 0, until = Date.now() + ms; idle < 5 && Date.now() < until;) {
    idle = pool.using + pool.waiting === 0 ? idle + 1 : 0;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

process.on('message', async (message: AppQuestion | { type: 'stop' }) => {
  if (message.type === 'stats') {
    send({ type: 'stats', ...stats });
    stats = { ended: {}, backgroundErrors: 0 };
  }
  if (message.type === 'stop') {
    await served.close();
    await settle(5000);
    singleSession.close();
    await sequelize.close();
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
send({ type: 'ready', url: served.url });
