/**
 * `npm run bench` — fills PostgreSQL to realistic sizes and measures, side by side, what issues 7 and 14 ask
 * (P1–P7); with `--mariadb <url>`, P1–P5 again on MariaDB in the same run (issue 13), and on both the statements of
 * the endings counted at a few and at many users. `--soak`: mixed traffic against 2 app processes for minutes. `--capacity`: logins/s and authenticated
 * requests/s with 1, 2 and 4 app processes. Each writes its results file, then BENCHMARKS.md is written again from
 * all of them (with the charts). `npm run bench -- --tiny` runs all three at a tiny size in about two minutes (CI)
 * and writes only to a temp folder. Exits non-zero on errors, never because a target was missed.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type BenchDb, userRanges } from './context.js';
import { BenchSetupError, connect, createDatabase, dropDatabases, mariadbUrl, requireDatabaseUrl, serverVersion } from './db.js';
import { fill, fillSteps, type FillPlan } from './fill.js';
import { CHART_DIR, CHARTS, type ChartName } from './format.js';
import { describeMachine, type Machine, type RunInfo } from './machine.js';
import { type CapacityProfile, type Profile, PROFILES, type SoakProfile, sizeLabel } from './profile.js';
import { Progress } from './progress.js';
import { type AllResults, type BenchResults, charts, type CoreResults, figures, figuresTable, markdown } from './report.js';
import { comparisonTable } from './report-mariadb.js';
import { bulkEndScenario } from './scenarios/bulk-end.js';
import { capacityScenario } from './scenarios/capacity.js';
import { startPgBouncer } from '../test/cluster/support/pgbouncer.js';
import { dashboardScenario } from './scenarios/dashboard.js';
import { endOneScenario } from './scenarios/end-one.js';
import { loginScenario } from './scenarios/login.js';
import { plansScenario } from './scenarios/plans.js';
import { sessionsPagesScenario } from './scenarios/sessions-pages.js';
import { soakScenario } from './scenarios/soak.js';
import { COUNTS_PLAN, type StatementCounts, statementCountsScenario } from './scenarios/statement-counts.js';
import { throughputScenario } from './scenarios/throughput.js';
import { seededRandom } from './stats.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const USAGE = `Usage: DATABASE_URL=postgres://… npm run bench [-- options]
  (none)       P1–P7 at 10k, 100k and 1M sessions (5–15 min): rewrites BENCHMARKS.md, its chart, bench/results.json
  --mariadb URL  also P1–P5 on MariaDB (e.g. mariadb://root@127.0.0.1:3306/test) at the same sizes, in the same run,
               beside PostgreSQL's, and the SQL statements of the endings counted on both (about twice as long)
  --soak       the soak instead: 2 app processes, mixed traffic, 1M sessions, 10 min (bench/soak-results.json, charts)
  --capacity   the capacity run instead: logins/s and requests/s with 1, 2, 4 app processes (bench/capacity-results.json)
  --tiny       at a tiny size: without --soak/--capacity all three (about 2 min); writes to a temp folder, never BENCHMARKS.md
  --sizes      P1–P7 at other table sizes (sessions, ascending; full: 10000,100000,1000000)
  --size N     soak/capacity: sessions in the table (full 1000000)
  --minutes N  soak: length (full 10)        --rate N   soak: requests per second (full 100)
  --seconds N  capacity: seconds per round (full 10)
  --pgbouncer  capacity: the app processes connect through PgBouncer (pool_mode = transaction), started for the run
  --out FILE   write the report to FILE (charts and results next to it) instead of BENCHMARKS.md
               (other sizes, lengths or rates write to a temp folder unless --out is given)
  --seed N     seed of the sampling order and of the traffic (default 7)
  --render     no measuring: write BENCHMARKS.md and the charts again from the committed results files
               (after editing bench/notes.md or the report's code)`;

type Mode = 'main' | 'soak' | 'capacity';
const RESULTS_FILES: Record<Mode, string> = { main: 'results.json', soak: 'soak-results.json', capacity: 'capacity-results.json' };
const NOTES_FILE = path.join(root, 'bench', 'notes.md');

function positive(name: string, value: string | undefined, integer = true): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(n > 0) || (integer && !Number.isInteger(n))) throw new Error(`--${name} must be a positive ${integer ? 'integer' : 'number'}, got ${value}`);
  return n;
}

function options() {
  try {
    const { values } = parseArgs({
      options: {
        tiny: { type: 'boolean', default: false }, sizes: { type: 'string' }, out: { type: 'string' },
        seed: { type: 'string', default: '7' }, render: { type: 'boolean', default: false }, help: { type: 'boolean' },
        soak: { type: 'boolean', default: false }, capacity: { type: 'boolean', default: false },
        size: { type: 'string' }, minutes: { type: 'string' }, rate: { type: 'string' }, seconds: { type: 'string' },
        mariadb: { type: 'string' }, pgbouncer: { type: 'boolean', default: false },
      },
    });
    if (values.help) {
      console.log(USAGE);
      process.exit(0);
    }
    const seed = Number(values.seed);
    if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got ${values.seed}`);
    const sizes = values.sizes?.split(',').map(Number);
    if (sizes && !sizes.every((n, i) => Number.isInteger(n) && n >= 100 && (i === 0 || n > sizes[i - 1]!))) {
      throw new Error(`--sizes must be ascending integers of at least 100, got ${values.sizes}`);
    }
    if (sizes && sizes[sizes.length - 1]! < 3000) {
      throw new Error(`--sizes: the largest size must be at least 3000 sessions (enough users for every scenario), got ${values.sizes}`);
    }
    const modes: Mode[] = values.soak || values.capacity
      ? [...(values.soak ? ['soak' as const] : []), ...(values.capacity ? ['capacity' as const] : [])]
      : values.tiny ? ['main', 'soak', 'capacity'] : ['main'];
    const size = positive('size', values.size);
    if (size !== undefined && size < 1000) throw new Error(`--size must be at least 1000 sessions, got ${size}`);
    const custom = { size, minutes: positive('minutes', values.minutes, false), rate: positive('rate', values.rate, false), seconds: positive('seconds', values.seconds, false) };
    const misplaced = [
      sizes && !modes.includes('main') && '--sizes (P1–P7 only)',
      values.mariadb && !modes.includes('main') && '--mariadb (P1–P5 only)',
      (custom.minutes || custom.rate) && !modes.includes('soak') && '--minutes/--rate (with --soak)',
      custom.seconds && !modes.includes('capacity') && '--seconds (with --capacity)',
      values.pgbouncer && !values.capacity && '--pgbouncer (with --capacity)',
      size && !modes.includes('soak') && !modes.includes('capacity') && '--size (with --soak or --capacity)',
    ].filter(Boolean);
    if (misplaced.length) throw new Error(`not used in this run: ${misplaced.join(', ')}`);
    // Through PgBouncer: never in place of the committed (direct) capacity results.
    const scratch = values.tiny || values.pgbouncer! || sizes !== undefined || Object.values(custom).some((v) => v !== undefined);
    const mariadb = values.mariadb === undefined ? undefined : mariadbUrl(values.mariadb);
    return { tiny: values.tiny!, sizes, out: values.out, seed, render: values.render!, modes, custom, scratch, mariadb, pgbouncer: values.pgbouncer! };
  } catch (err) {
    throw new BenchSetupError(`${(err as Error).message}\n${USAGE}`);
  }
}
type Args = ReturnType<typeof options>;

/** The profile, with other sizes if asked (a bulk action then names at most a tenth of the users). */
function profileOf({ tiny, sizes, custom }: Args): Profile {
  const profile = PROFILES[tiny ? 'tiny' : 'full'];
  const soak: SoakProfile = {
    ...profile.soak, sessions: custom.size ?? profile.soak.sessions, minutes: custom.minutes ?? profile.soak.minutes, rate: custom.rate ?? profile.soak.rate,
  };
  const capacity: CapacityProfile = { ...profile.capacity, sessions: custom.size ?? profile.capacity.sessions, seconds: custom.seconds ?? profile.capacity.seconds };
  if (!sizes) return { ...profile, soak, capacity };
  const users = Math.floor(sizes[sizes.length - 1]! / profile.sessionsPerUser);
  return { ...profile, sizes, soak, capacity, bulk: { ...profile.bulk, users: Math.min(profile.bulk.users, Math.max(1, Math.floor(users / 10))) } };
}

// ── where things are written ─────────────────────────────────────────────────────────────────────────────────

interface Outputs {
  report: string;
  json: (mode: Mode) => string;
  chart: (name: ChartName) => string;
  /** How the report links to a chart. */
  href: (name: ChartName) => string;
}

/** The full runs: BENCHMARKS.md, bench/*.json and docs/images/*.svg. Otherwise one folder (a temp one, or --out's). */
function outputs(scratch: boolean, out: string | undefined): Outputs {
  if (!scratch && !out) {
    return {
      report: path.join(root, 'BENCHMARKS.md'), json: (m) => path.join(root, 'bench', RESULTS_FILES[m]),
      chart: (c) => path.join(root, CHART_DIR, CHARTS[c]), href: (c) => `${CHART_DIR}/${CHARTS[c]}`,
    };
  }
  const report = path.resolve(out ?? path.join(os.tmpdir(), `adminjs-single-session-bench-${process.pid}`, 'BENCHMARKS.md'));
  const dir = path.dirname(report);
  return { report, json: (m) => path.join(dir, RESULTS_FILES[m]), chart: (c) => path.join(dir, CHARTS[c]), href: (c) => CHARTS[c] };
}

function load(out: Outputs): AllResults {
  const all: AllResults = {};
  for (const mode of Object.keys(RESULTS_FILES) as Mode[]) {
    if (!existsSync(out.json(mode))) continue;
    const results = JSON.parse(readFileSync(out.json(mode), 'utf8'));
    results.date = new Date(results.date);
    (all as Record<Mode, unknown>)[mode] = results;
  }
  return all;
}

/** Writes the new results files, then the report and charts from every results file there is. */
function write(fresh: AllResults, out: Outputs, tiny: boolean): void {
  mkdirSync(path.dirname(out.report), { recursive: true });
  for (const [mode, results] of Object.entries(fresh) as Array<[Mode, unknown]>) {
    mkdirSync(path.dirname(out.json(mode)), { recursive: true });
    writeFileSync(out.json(mode), `${JSON.stringify(results, null, 1)}\n`);
  }
  const all = { ...load(out), ...fresh };
  for (const [name, svg] of Object.entries(charts(all)) as Array<[ChartName, string]>) {
    mkdirSync(path.dirname(out.chart(name)), { recursive: true });
    writeFileSync(out.chart(name), svg);
  }
  writeFileSync(out.report, markdown(all, out.href, NOTES_FILE, tiny));
  if (fresh.main) console.log(`\n${figuresTable(figures(fresh.main), tiny)}\n`);
  if (fresh.main?.mariadb) console.log(`${comparisonTable(fresh.main, tiny)}\n`);
  console.log(`Report: ${path.relative(process.cwd(), out.report)}; results and charts: ` +
    `${path.relative(process.cwd(), path.dirname(out.json('main')))}, ${path.relative(process.cwd(), path.dirname(out.chart('login')))}`);
}

// ── the runs ─────────────────────────────────────────────────────────────────────────────────────────────────

/** A fresh bench database on the server of `baseUrl`, filled; the caller closes it (`run.created` drops it). */
async function filledDb(run: Run, baseUrl: string, name: string, plan: FillPlan, largest: boolean): Promise<BenchDb> {
  const label = sizeLabel(plan.sessions);
  run.created.push({ baseUrl, name });
  const url = await createDatabase(baseUrl, name);
  const sequelize = connect(url);
  const db: BenchDb = { label, name, url, sequelize, plan, adminId: 0, users: userRanges(plan.users, largest) };
  const server = baseUrl === run.baseUrl ? '' : ' (MariaDB)';
  const phase = run.progress.phase(`Fill ${label} sessions, ${plan.users.toLocaleString('en')} users${server}`, fillSteps(plan));
  try {
    db.adminId = (await fill(sequelize, plan, () => phase.tick())).adminId;
  } catch (err) {
    await sequelize.close();
    throw err;
  }
  phase.done();
  return db;
}

interface Run {
  /** The PostgreSQL server (DATABASE_URL). */
  baseUrl: string;
  /** The MariaDB server (--mariadb), if any. */
  mariadbUrl?: string;
  profile: Profile;
  progress: Progress;
  random: () => number;
  prefix: string;
  /** The databases created, on either server (all dropped at the end). */
  created: Array<{ baseUrl: string; name: string }>;
}

/** Drops the databases created so far. */
async function dropCreated(run: Run): Promise<void> {
  const created = run.created.splice(0);
  for (const baseUrl of new Set(created.map((c) => c.baseUrl))) {
    await dropDatabases(baseUrl, created.filter((c) => c.baseUrl === baseUrl).map((c) => c.name));
  }
}

/** One database per size of the profile on `baseUrl`, filled; the largest last. */
async function filledDbs(run: Run, baseUrl: string): Promise<BenchDb[]> {
  const { sizes, sessionsPerUser } = run.profile;
  const dbs: BenchDb[] = [];
  for (const [i, sessions] of sizes.entries()) {
    const plan = { sessions, users: Math.floor(sessions / sessionsPerUser) };
    dbs.push(await filledDb(run, baseUrl, `${run.prefix}${sizeLabel(sessions).toLowerCase()}`, plan, i === sizes.length - 1));
  }
  return dbs;
}

/** The statement counts, in a database of their own on `baseUrl`. */
async function countsOn(run: Run, baseUrl: string): Promise<StatementCounts> {
  const db = await filledDb(run, baseUrl, `${run.prefix}counts`, COUNTS_PLAN, true);
  try {
    return await statementCountsScenario(db, run.progress);
  } finally {
    await db.sequelize.close();
  }
}

async function mainRun(run: Run): Promise<Omit<BenchResults, keyof RunInfo>> {
  const { profile, progress, random } = run;
  const dbs: BenchDb[] = [];
  let postgres: Omit<BenchResults, keyof RunInfo>;
  try {
    dbs.push(...await filledDbs(run, run.baseUrl));
    const largest = dbs[dbs.length - 1]!;
    // First, while the table is as filled: it only reads.
    const pages = await sessionsPagesScenario(largest, profile, progress, random);
    const login = await loginScenario(dbs, profile, progress, random);
    const throughput = await throughputScenario(largest, profile, progress, random);
    const endOne = await endOneScenario(largest, profile, progress, random);
    const bulk = await bulkEndScenario(largest, profile, progress, random);
    const plans = await plansScenario(largest, profile, progress);
    const dashboard = await dashboardScenario(largest, profile, progress); // last: it writes audit rows, expires sessions
    postgres = {
      profile, login, throughput, endOne, bulk, plans, pages, dashboard,
      sizes: dbs.map((d) => ({ label: d.label, sessions: d.plan.sessions, users: d.plan.users })),
      statementCounts: { postgres: await countsOn(run, run.baseUrl) },
    };
  } finally {
    await Promise.allSettled(dbs.splice(0).map((d) => d.sequelize.close()));
  }
  if (!run.mariadbUrl) return postgres;
  // PostgreSQL's databases are dropped before MariaDB's are filled: each server measured with the machine to itself.
  await dropCreated(run);
  const mariadb = await coreRun(run, run.mariadbUrl);
  return { ...postgres, mariadb, statementCounts: { ...postgres.statementCounts, mariadb: await countsOn(run, run.mariadbUrl) } };
}

/** P1–P5 on another server (MariaDB), at the same sizes, the scenarios in PostgreSQL's order. */
async function coreRun(run: Run, baseUrl: string): Promise<CoreResults> {
  const { profile, progress, random } = run;
  const server = await serverVersion(baseUrl);
  progress.note(`${server}: P1–P5 at the same sizes`);
  const dbs = await filledDbs(run, baseUrl);
  try {
    const largest = dbs[dbs.length - 1]!;
    return {
      server,
      sizes: dbs.map((d) => ({ label: d.label, sessions: d.plan.sessions, users: d.plan.users })),
      login: await loginScenario(dbs, profile, progress, random),
      throughput: await throughputScenario(largest, profile, progress, random),
      endOne: await endOneScenario(largest, profile, progress, random),
      bulk: await bulkEndScenario(largest, profile, progress, random),
    };
  } finally {
    await Promise.allSettled(dbs.map((d) => d.sequelize.close()));
  }
}

/** The soak or the capacity run, each on a database of its own. */
async function withDb<T>(run: Run, name: string, plan: FillPlan, fn: (db: BenchDb) => Promise<T>): Promise<T> {
  const db = await filledDb(run, run.baseUrl, `${run.prefix}${name}`, plan, true);
  try {
    return await fn(db);
  } finally {
    await db.sequelize.close();
  }
}

const soakRun = (run: Run) => {
  const soak = run.profile.soak;
  const plan = { sessions: soak.sessions, users: Math.floor(soak.sessions / run.profile.sessionsPerUser), expiring: { share: soak.expiringShare, withinSeconds: soak.minutes * 60 } };
  return withDb(run, 'soak', plan, (db) => soakScenario(db, soak, run.progress, run.random));
};

const capacityRun = (run: Run, machine: Machine, pgbouncer: boolean) => {
  const capacity = run.profile.capacity;
  const plan = { sessions: capacity.sessions, users: Math.floor(capacity.sessions / run.profile.sessionsPerUser) };
  return withDb(run, 'capacity', plan, async (db) => {
    if (!pgbouncer) return capacityScenario(db, capacity, run.progress, run.random, machine.cores);
    const bouncer = await startPgBouncer({ server: run.baseUrl });
    try {
      run.progress.note(`Capacity through PgBouncer (pool_mode = transaction, 20 server connections) on port ${bouncer.port}`);
      return await capacityScenario(db, capacity, run.progress, run.random, machine.cores, bouncer.pooled(db.url));
    } finally {
      await bouncer.stop();
    }
  });
};

async function main(): Promise<void> {
  const args = options();
  if (args.render) {
    const out = outputs(false, args.out);
    const committed = outputs(false, undefined);
    return write({}, { ...out, json: committed.json }, false);
  }
  const baseUrl = requireDatabaseUrl();
  const profile = profileOf(args);
  const progress = new Progress();
  const random = seededRandom(args.seed);
  const machine = describeMachine(await serverVersion(baseUrl), args.mariadb === undefined ? undefined : await serverVersion(args.mariadb));
  progress.note(`adminjs-single-session bench (${profile.name}): ${args.modes.join(', ')}; ` +
    `${machine.cores} cores, load ${machine.loadAtStart.join(' ')}; ${machine.postgres}${machine.mariadb ? `, ${machine.mariadb}` : ''}; Node ${machine.node}`);
  const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  const run: Run = { baseUrl, mariadbUrl: args.mariadb, profile, progress, random, prefix: `single_session_bench_${args.tiny ? 'tiny_' : ''}`, created: [] };
  const fresh: AllResults = {};
  try {
    for (const mode of args.modes) {
      const started = performance.now();
      const measured = mode === 'main' ? await mainRun(run) : mode === 'soak' ? await soakRun(run) : await capacityRun(run, machine, args.pgbouncer);
      const info: RunInfo = { command, date: new Date(), seconds: (performance.now() - started) / 1000, machine };
      (fresh as Record<Mode, unknown>)[mode] = { ...info, ...measured };
      await dropCreated(run);
    }
    write(fresh, outputs(args.scratch, args.out), args.tiny);
  } finally {
    await dropCreated(run);
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err instanceof BenchSetupError ? `\n${err.message}` : err);
    process.exit(1);
  },
);
