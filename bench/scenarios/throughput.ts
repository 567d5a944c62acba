/**
 * P3: requests per second of an authenticated route, our store against plain connect-session-sequelize 7, under
 * autocannon. The apps run in a child process (bench/serve.ts, see bench/child.ts); rounds alternate between the two stores in a
 * shuffled order, and the medians of the rounds are compared. Also counts the SQL statements per request.
 */
import autocannon from 'autocannon';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ChildServer } from '../child.js';
import type { BenchDb } from '../context.js';
import { Client, expectStatus } from '../http.js';
import type { Progress } from '../progress.js';
import type { Profile } from '../profile.js';
import type { ParentMessage, ServerMessage } from '../serve.js';
import { median, shuffle } from '../stats.js';

const SIDES = ['ours', 'plain'] as const;
type Side = (typeof SIDES)[number];

export interface ThroughputResults {
  /** Median requests per second per store. */
  rps: Record<Side, number>;
  rounds: Record<Side, number[]>;
  /** Median latency (ms) per store, median over rounds of autocannon's p50. */
  latencyP50: Record<Side, number>;
  /** SQL statements per authenticated request. */
  statementsPerRequest: Record<Side, number>;
  connections: number;
  seconds: number;
}

const serverFile = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'serve.ts');
type ServerProcess = ChildServer<ServerMessage, ParentMessage>;

export async function throughputScenario(db: BenchDb, profile: Profile, progress: Progress, random: () => number): Promise<ThroughputResults> {
  const { rounds, seconds, connections } = profile.throughput;
  const { server, ready } = await ChildServer.start<ServerMessage, ParentMessage>(serverFile, { BENCH_DB_URL: db.url }, 'the bench server (bench/serve.ts)');
  const urls = ready as Extract<ServerMessage, { type: 'ready' }>;
  try {
    const clients = { ours: new Client(urls.ours), plain: new Client(urls.plain) };
    for (const side of SIDES) {
      expectStatus(await clients[side].send('POST', `/login?id=${db.users.login.take()}`), 200, `P3 login (${side})`);
      expectStatus(await clients[side].send('GET', '/whoami'), 200, `P3 authenticated request (${side})`);
    }
    const statementsPerRequest = await countPerRequest(server, clients);
    const phase = progress.phase('P3 authenticated requests/s (autocannon)', (rounds + 1) * SIDES.length);
    const load = async (side: Side, duration: number) => {
      const result = await autocannon({ url: `${urls[side]}/whoami`, connections, duration, headers: { cookie: clients[side].cookieHeader } });
      const failed = result.non2xx + result.errors;
      if (failed > 0) throw new Error(`P3 (${side}): ${result.non2xx} non-2xx responses and ${result.errors} errors under load`);
      phase.tick();
      return { rps: result.requests.total / result.duration, p50: result.latency.p50 };
    };
    for (const side of SIDES) await load(side, Math.max(1, seconds / 2)); // warm-up, not counted
    const measured = { ours: [] as Array<{ rps: number; p50: number }>, plain: [] as Array<{ rps: number; p50: number }> };
    for (let round = 0; round < rounds; round++) {
      for (const side of shuffle([...SIDES], random)) measured[side].push(await load(side, seconds));
    }
    const rps = { ours: median(measured.ours.map((m) => m.rps)), plain: median(measured.plain.map((m) => m.rps)) };
    phase.done(`ours ${rps.ours.toFixed(0)} req/s, connect-session-sequelize ${rps.plain.toFixed(0)} req/s`);
    return {
      rps,
      rounds: { ours: measured.ours.map((m) => m.rps), plain: measured.plain.map((m) => m.rps) },
      latencyP50: { ours: median(measured.ours.map((m) => m.p50)), plain: median(measured.plain.map((m) => m.p50)) },
      statementsPerRequest,
      connections,
      seconds,
    };
  } finally {
    await server.stop();
  }
}

async function countPerRequest(server: ServerProcess, clients: Record<Side, Client>) {
  const n = 10;
  await server.ask({ type: 'count' }, 'counting');
  for (const side of SIDES) {
    for (let i = 0; i < n; i++) expectStatus(await clients[side].send('GET', '/whoami'), 200, `P3 counted request (${side})`);
  }
  const counts = await server.ask({ type: 'counted' }, 'counts');
  return { ours: counts.ours / n, plain: counts.plain / n };
}
