/**
 * P3's server, run in a child process so that the load generator (autocannon, in the parent) does not share an
 * event loop with the apps it measures. Serves our store's app and connect-session-sequelize's app on two free
 * ports and talks to the parent over IPC: `{ type: 'ready', ours, plain }` when up; on `{ type: 'count' }`
 * starts counting SQL statements per app (answers `counting`), on `{ type: 'counted' }` answers the counts; exits on `{ type: 'stop' }`.
 */
import { throughputApps } from './apps.js';
import { connect } from './db.js';
import { serve } from './http.js';

export type ServerMessage =
  | { type: 'ready'; ours: string; plain: string }
  | { type: 'counting' }
  | { type: 'counts'; ours: number; plain: number };
export type ParentMessage = { type: 'count' } | { type: 'counted' };

const url = process.env.BENCH_DB_URL;
if (!url || !process.send) throw new Error('bench/serve.ts is started by bench/scenarios/throughput.ts (BENCH_DB_URL, IPC)');

const sequelizes = { ours: connect(url), plain: connect(url) };
const apps = await throughputApps(sequelizes.ours, sequelizes.plain);
const served = { ours: await serve(apps.ours), plain: await serve(apps.plain) };
const counts = { ours: 0, plain: 0 };
const send = (message: ServerMessage) => process.send!(message);

function counting(on: boolean) {
  for (const side of ['ours', 'plain'] as const) {
    counts[side] = 0;
    (sequelizes[side] as unknown as { options: { logging: unknown } }).options.logging = on ? () => counts[side]++ : false;
  }
}

process.on('message', async (message: ParentMessage | { type: 'stop' }) => {
  if (message.type === 'count') {
    counting(true);
    send({ type: 'counting' });
  }
  if (message.type === 'counted') {
    send({ type: 'counts', ...counts });
    counting(false);
  }
  if (message.type === 'stop') {
    await Promise.all([served.ours.close(), served.plain.close()]);
    await Promise.all([sequelizes.ours.close(), sequelizes.plain.close()]);
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
send({ type: 'ready', ours: served.ours.url, plain: served.plain.url });
