/**
 * `--capacity`: how many logins and authenticated requests per second the demo app sustains with 1, 2 and 4 app
 * processes (bench/app-server.ts) on the one local PostgreSQL, under autocannon (closed loop, all connections
 * busy: the most the set-up gives). The load generator runs in this process, the apps in theirs; the CPU each
 * side used is measured, since all of them share the machine's cores with PostgreSQL.
 *
 * Logins: `POST /login` (JSON, bcrypt cost 4 as filled) by users who logged in before, so each login ends exactly
 * one session — the steady state of a single-session site. Authenticated requests: `GET /me` (session lookup +
 * user lookup) with the cookies of other users, rotating. Every answer must be a 200.
 */
import autocannon from 'autocannon';
import { startAppProcesses } from '../app-processes.js';
import type { BenchDb } from '../context.js';
import { PASSWORD } from '../fill.js';
import { expectStatus, request } from '../http.js';
import type { RunInfo } from '../machine.js';
import { CpuMeter, machineCpu, ownCpuSeconds } from '../proc.js';
import type { Progress } from '../progress.js';
import type { CapacityProfile } from '../profile.js';
import { median, shuffle } from '../stats.js';

export const CAPACITY_KINDS = ['login', 'auth'] as const;
export type CapacityKind = (typeof CAPACITY_KINDS)[number];

export interface CapacityPoint {
  processes: number;
  kind: CapacityKind;
  /** Requests per second of each round. */
  rounds: number[];
  rps: number;
  /** Medians over rounds of autocannon's p50, and of the highest p99 among the processes. */
  p50Ms: number;
  p99Ms: number;
  /** Cores used (medians over rounds): by the load generator, by the app processes together, by the whole machine. */
  cpu: { generator: number; apps: number; machine: number };
}

export interface CapacityResults extends RunInfo {
  /** How the app processes reached PostgreSQL: directly, or through PgBouncer in transaction pooling (`--pgbouncer`). */
  settings: CapacityProfile & { users: number; cores: number; via?: 'direct' | 'pgbouncer' };
  points: CapacityPoint[];
  /** Size on disk of each table with its indexes (and TOAST), right after the fill (for the storage model). */
  storage: Array<{ table: string; rows: number; bytes: number }>;
}

const TABLES = ['Sessions', 'UserSessions', 'EndedSessions', 'SessionAuditEvents', 'Users'];

async function storage(db: BenchDb): Promise<CapacityResults['storage']> {
  const [rows] = await db.sequelize.query(
    `SELECT t AS "table", pg_total_relation_size(format('%I', t)::regclass)::bigint AS bytes,
            (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I', t), false, true, '')))[1]::text::bigint AS rows
     FROM unnest($tables::text[]) t`,
    { bind: { tables: TABLES } },
  );
  return (rows as Array<{ table: string; rows: string; bytes: string }>).map((r) => ({ table: r.table, rows: Number(r.rows), bytes: Number(r.bytes) }));
}

const email = (id: number) => `user${id}@bench.test`;

/** Endless rotation over a list. */
const rotation = <T>(items: T[]) => {
  let i = 0;
  return () => items[i++ % items.length]!;
};

/**
 * `appUrl`: where the app processes connect (default: the database itself; `--pgbouncer`: PgBouncer in front of
 * it). The fill and the storage figures always use the direct connection.
 */
export async function capacityScenario(
  db: BenchDb, capacity: CapacityProfile, progress: Progress, random: () => number, cores: number, appUrl = db.url,
): Promise<Omit<CapacityResults, keyof RunInfo>> {
  const sizes = await storage(db);
  const most = Math.max(...capacity.processes);
  // No purge: nothing expires here, and a timer in the background would only add noise.
  const { apps, stop } = await startAppProcesses(most, appUrl, { purgeIntervalMs: false });
  try {
    const loginUsers = Array.from({ length: capacity.loginUsers }, (_, i) => i + 1);
    const cookieUsers = Array.from({ length: capacity.cookies }, (_, i) => capacity.loginUsers + i + 1);
    if (capacity.loginUsers + capacity.cookies > db.plan.users) {
      throw new Error(`capacity: ${capacity.loginUsers} + ${capacity.cookies} users needed, the fill has ${db.plan.users}`);
    }
    const setup = progress.phase(`Capacity: log in ${cookieUsers.length} users for their cookies, and every login user once`, 2);
    const cookies = await logIn(apps.map((a) => a.url), cookieUsers);
    setup.tick();
    // Each of these users then holds one session: every measured login ends exactly one.
    await load(apps.map((a) => a.url), 'login', { amount: loginUsers.length }, capacity.connections, rotation(loginUsers), rotation(cookies));
    setup.done();

    const nextUser = rotation(loginUsers);
    const nextCookie = rotation(cookies);
    const pairs = capacity.processes.flatMap((processes) => CAPACITY_KINDS.map((kind) => ({ processes, kind })));
    const samples = new Map<string, Array<Omit<CapacityPoint, 'rounds' | 'processes' | 'kind'>>>();
    const phase = progress.phase(`Capacity: ${capacity.processes.join(', ')} app processes, ${capacity.seconds} s per round`, capacity.rounds * pairs.length);
    for (let round = 0; round < capacity.rounds; round++) {
      for (const { processes, kind } of shuffle([...pairs], random)) {
        const urls = apps.slice(0, processes).map((a) => a.url);
        await load(urls, kind, { duration: Math.max(1, capacity.seconds / 5) }, capacity.connections, nextUser, nextCookie); // warm-up
        const meters = { generator: new CpuMeter(ownCpuSeconds), apps: new CpuMeter(() => apps.reduce((s, a) => s + a.cpuSeconds(), 0)), machine: new CpuMeter(() => machineCpu().busy) };
        const measured = await load(urls, kind, { duration: capacity.seconds }, capacity.connections, nextUser, nextCookie);
        const key = `${processes}|${kind}`;
        samples.set(key, [...(samples.get(key) ?? []), {
          ...measured, cpu: { generator: meters.generator.cores(), apps: meters.apps.cores(), machine: meters.machine.cores() },
        }]);
        phase.tick();
      }
    }
    const points: CapacityPoint[] = pairs.map(({ processes, kind }) => {
      const runs = samples.get(`${processes}|${kind}`)!;
      const mid = (f: (s: (typeof runs)[number]) => number) => median(runs.map(f));
      return {
        processes, kind, rounds: runs.map((r) => r.rps), rps: mid((r) => r.rps), p50Ms: mid((r) => r.p50Ms), p99Ms: mid((r) => r.p99Ms),
        cpu: { generator: mid((r) => r.cpu.generator), apps: mid((r) => r.cpu.apps), machine: mid((r) => r.cpu.machine) },
      };
    });
    phase.done(points.map((p) => `${p.processes}×${p.kind} ${p.rps.toFixed(0)}/s`).join(', '));
    return { settings: { ...capacity, users: db.plan.users, cores, via: appUrl === db.url ? 'direct' : 'pgbouncer' }, points, storage: sizes };
  } finally {
    await stop();
  }
}

/** Logs the users in over HTTP (a few at a time, spread over the processes) and returns their cookies. */
async function logIn(urls: string[], userIds: number[]): Promise<string[]> {
  const cookies: string[] = [];
  const next = rotation(urls);
  for (let i = 0; i < userIds.length; i += 8) {
    cookies.push(...await Promise.all(userIds.slice(i, i + 8).map(async (id) => {
      const res = expectStatus(await request(`${next()}/login`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: email(id), password: PASSWORD }),
      }), 200, 'capacity: login');
      return res.setCookies.map((c) => c.split(';')[0]!).find((c) => c.startsWith('sid='))!;
    })));
  }
  return cookies;
}

/**
 * One load: an autocannon instance per process, all at once, the connections split between them. Returns the
 * requests per second summed over the processes; throws on any error or non-2xx answer.
 */
async function load(
  urls: string[], kind: CapacityKind, length: { duration: number } | { amount: number }, connections: number,
  nextUser: () => number, nextCookie: () => string,
): Promise<{ rps: number; p50Ms: number; p99Ms: number }> {
  const perProcess = Math.max(1, Math.floor(connections / urls.length));
  const amount = 'amount' in length ? Math.ceil(length.amount / urls.length) : undefined;
  const req: autocannon.Request = kind === 'login'
    ? {
      method: 'POST', path: '/login', headers: { 'content-type': 'application/json' },
      setupRequest: (r) => ({ ...r, body: JSON.stringify({ email: email(nextUser()), password: PASSWORD }) }),
    }
    : { method: 'GET', path: '/me', setupRequest: (r) => ({ ...r, headers: { ...r.headers, cookie: nextCookie() } }) };
  const results = await Promise.all(urls.map((url) => autocannon({
    url, connections: perProcess, requests: [req], ...('duration' in length ? { duration: length.duration } : { amount }),
  })));
  const failed = results.reduce((n, r) => n + r.errors + r.non2xx + r.timeouts, 0);
  if (failed > 0) {
    throw new Error(`capacity (${kind}, ${urls.length} processes): ${failed} errors, timeouts or non-2xx answers under load`);
  }
  const seconds = Math.max(...results.map((r) => r.duration));
  return {
    rps: results.reduce((n, r) => n + r.requests.total, 0) / seconds,
    p50Ms: median(results.map((r) => r.latency.p50)),
    p99Ms: Math.max(...results.map((r) => r.latency.p99)),
  };
}
