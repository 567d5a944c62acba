/**
 * `--soak`: steady mixed traffic (bench/traffic.ts) against 2 app processes (the demo app, bench/app-server.ts)
 * over a filled table, for minutes. The processes run with short session lifetimes, a frequent purge and the
 * audit trail on, so that expiry, purge and the end-reason notes all have work. Per interval: latency p50/p99,
 * errors, each process's RSS and CPU, the machine's CPU, the row count of every table, and what the engines ended
 * (by reason; `expired` is the purge).
 */
import { startAppProcesses } from '../app-processes.js';
import type { BenchDb } from '../context.js';
import { ADMIN_EMAIL, PASSWORD } from '../fill.js';
import type { RunInfo } from '../machine.js';
import { CpuMeter, machineCpu, ownCpuSeconds } from '../proc.js';
import type { Progress } from '../progress.js';
import type { SoakProfile } from '../profile.js';
import { percentile } from '../stats.js';
import { type Bucket, KINDS, type Kind, MixedTraffic, type TrafficOptions } from '../traffic.js';

export const SOAK_PROCESSES = 2;
const WEIGHTS = { login: 0.12, me: 0.83, logout: 0.05 };
const KEEP_SHARE = 0.7;
/** Share of the users who log in (the others are only ever ended by the admin or expire). */
const LOGIN_SHARE = 0.2;
const RSS_SAMPLE_MS = 5000;

export interface TableRows {
  sessions: number;
  links: number;
  ended: number;
  audit: number;
}

export interface SoakInterval {
  /** Seconds since the traffic started, at the end of the interval. */
  endSecond: number;
  requests: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Traffic errors plus failed background purges. */
  errors: number;
  /** 401s for sessions the generator had ended itself (expected), by reason. */
  endedSeen: Record<string, number>;
  /** Per process: RSS at the end of the interval, and the most seen in it (MiB). */
  rssMiB: number[];
  rssMaxMiB: number[];
  /** Cores used: per app process, by the load generator, by the whole machine. */
  appCpu: number[];
  generatorCpu: number;
  machineCpu: number;
  rows: TableRows;
  /** What PostgreSQL itself did in the interval (absent from results written before it was recorded). */
  server?: ServerActivity;
  /** Sessions the engines ended in the interval, by reason (both processes). */
  ended: Record<string, number>;
  liveCookies: number;
}

export interface SoakResults extends RunInfo {
  settings: SoakProfile & { processes: number; users: number; loginUsers: number; weights: typeof WEIGHTS; keepShare: number };
  intervals: SoakInterval[];
  /** Intervals left out of the flatness checks (start-up: caches, JIT, the pool of cookies filling up). */
  warmupIntervals: number;
  /** After warm-up, per kind of request. */
  perKind: Record<Kind, { count: number; p50Ms: number; p99Ms: number }>;
  errorSamples: string[];
}

async function countRows(db: BenchDb): Promise<TableRows> {
  const [rows] = await db.sequelize.query(`SELECT (SELECT count(*)::int FROM "Sessions") AS sessions, (SELECT count(*)::int FROM "UserSessions") AS links,
    (SELECT count(*)::int FROM "EndedSessions") AS ended, (SELECT count(*)::int FROM "SessionAuditEvents") AS audit`);
  return (rows as TableRows[])[0]!;
}

/**
 * PostgreSQL's own work, counted since the server started: checkpoints begun, autovacuum and autoanalyze runs
 * finished (this database's tables), WAL written. Per interval (the difference), it shows what a latency spike
 * coincides with: a checkpoint makes the next write of every page a full-page image in the WAL, and an
 * autovacuum of a million-row table reads and writes it for a while, on the same 2 cores and virtual disk.
 */
export interface ServerActivity {
  checkpoints: number;
  autovacuums: number;
  walMiB: number;
}

async function serverActivity(db: BenchDb): Promise<ServerActivity> {
  const [rows] = await db.sequelize.query(`SELECT (SELECT (checkpoints_timed + checkpoints_req)::int FROM pg_stat_bgwriter) AS checkpoints,
    (SELECT coalesce(sum(autovacuum_count + autoanalyze_count), 0)::int FROM pg_stat_user_tables) AS autovacuums,
    ((pg_current_wal_lsn() - '0/0'::pg_lsn) / 1048576)::float8 AS "walMiB"`);
  return (rows as ServerActivity[])[0]!;
}

const since = (now: ServerActivity, before: ServerActivity): ServerActivity => ({
  checkpoints: now.checkpoints - before.checkpoints, autovacuums: now.autovacuums - before.autovacuums, walMiB: now.walMiB - before.walMiB,
});

const addCounts = (into: Record<string, number>, from: Record<string, number>) => {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
  return into;
};

export async function soakScenario(db: BenchDb, soak: SoakProfile, progress: Progress, random: () => number): Promise<Omit<SoakResults, keyof RunInfo>> {
  const engine = { ...soak.engine, audit: true };
  const loginUsers = Math.max(1, Math.floor(db.plan.users * LOGIN_SHARE));
  const { apps, stop } = await startAppProcesses(SOAK_PROCESSES, db.url, engine);
  try {
    const options: TrafficOptions = {
      urls: apps.map((a) => a.url), rate: soak.rate, weights: WEIGHTS, keepShare: KEEP_SHARE,
      loginUsers: { first: 1, last: loginUsers }, allUsers: { first: 1, last: db.plan.users },
      adminEnding: soak.adminEnding,
      maxIdleMs: soak.engine.sessionTtlMs - soak.engine.lastSeenIntervalMs - 2000,
      email: (id) => `user${id}@bench.test`, password: PASSWORD, admin: { email: ADMIN_EMAIL, password: PASSWORD }, random,
    };
    const traffic = new MixedTraffic(options);
    await traffic.prepare(soak.warmCookies);
    for (const app of apps) await app.stats(); // from now on
    const count = Math.max(1, Math.round((soak.minutes * 60) / soak.intervalSeconds));
    const phase = progress.phase(`Soak: ${soak.rate} req/s against ${apps.length} app processes for ${soak.minutes} min`, count);
    const meters = { apps: apps.map((a) => new CpuMeter(a.cpuSeconds)), generator: new CpuMeter(ownCpuSeconds), machine: new CpuMeter(() => machineCpu().busy) };
    let rssMax = apps.map((a) => a.rssMiB());
    const rssTimer = setInterval(() => { rssMax = apps.map((a, i) => Math.max(rssMax[i]!, a.rssMiB())); }, RSS_SAMPLE_MS);
    const intervals: SoakInterval[] = [];
    const buckets: Bucket[] = [];
    let activity = await serverActivity(db);
    const t0 = performance.now();
    traffic.start();
    try {
      for (let i = 1; i <= count; i++) {
        await new Promise((resolve) => setTimeout(resolve, t0 + i * soak.intervalSeconds * 1000 - performance.now()));
        if (i === count) await traffic.stop(); // the answers still due belong to the last interval
        const bucket = traffic.take();
        const rss = apps.map((a) => a.rssMiB());
        const current = await serverActivity(db);
        const interval: SoakInterval = {
          endSecond: Math.round((performance.now() - t0) / 1000),
          requests: bucket.latencies.length,
          p50Ms: percentile(bucket.latencies, 50), p99Ms: percentile(bucket.latencies, 99), maxMs: percentile(bucket.latencies, 100),
          errors: bucket.errors, endedSeen: bucket.endedSeen,
          rssMiB: rss, rssMaxMiB: rss.map((r, j) => Math.max(r, rssMax[j]!)),
          appCpu: meters.apps.map((m) => m.cores()), generatorCpu: meters.generator.cores(), machineCpu: meters.machine.cores(),
          rows: await countRows(db),
          server: since(current, activity),
          ended: {},
          liveCookies: traffic.liveCookies,
        };
        for (const stats of await Promise.all(apps.map((a) => a.stats()))) {
          addCounts(interval.ended, stats.ended);
          interval.errors += stats.backgroundErrors;
          if (stats.backgroundErrors > 0) bucket.errorSamples.push(`${stats.backgroundErrors} background purge(s) failed (see the app's log above)`);
        }
        rssMax = rss;
        activity = current;
        intervals.push(interval);
        buckets.push(bucket);
        phase.tick();
      }
    } finally {
      clearInterval(rssTimer);
      await traffic.stop();
    }
    const last = intervals[intervals.length - 1]!;
    phase.done(`${intervals.reduce((n, i) => n + i.errors, 0)} errors; last interval p50 ${last.p50Ms.toFixed(1)} ms, p99 ${last.p99Ms.toFixed(1)} ms, ` +
      `RSS ${last.rssMiB.map((r) => r.toFixed(0)).join(' / ')} MiB`);

    const warmupIntervals = Math.min(count - 1, Math.max(1, Math.round(count / 5)));
    const steady = buckets.slice(warmupIntervals);
    const perKind = Object.fromEntries(KINDS.map((kind) => {
      const all = steady.flatMap((b) => b.byKind[kind]);
      return [kind, { count: all.length, p50Ms: percentile(all, 50), p99Ms: percentile(all, 99) }];
    })) as SoakResults['perKind'];
    return {
      settings: { ...soak, processes: apps.length, users: db.plan.users, loginUsers, weights: WEIGHTS, keepShare: KEEP_SHARE },
      intervals, warmupIntervals, perKind, errorSamples: buckets.flatMap((b) => b.errorSamples).slice(0, 20),
    };
  } finally {
    await stop();
  }
}
