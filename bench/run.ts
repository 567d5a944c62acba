/**
 * `npm run bench` — fills PostgreSQL to realistic sizes and measures, side by side, what issue 7 asks (P1–P5),
 * then writes BENCHMARKS.md and the login-vs-size chart. `npm run bench -- --tiny` does it all at a tiny size in
 * seconds (CI) and writes only to a temp folder. Exits non-zero on errors, never because a target was missed.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type BenchDb, userRanges } from './context.js';
import { BenchSetupError, connect, createDatabase, dropDatabases, requireDatabaseUrl, serverVersion } from './db.js';
import { fill, fillSteps } from './fill.js';
import { describeMachine } from './machine.js';
import { type Profile, PROFILES, sizeLabel } from './profile.js';
import { Progress } from './progress.js';
import { type BenchResults, CHART_PATH, chartSvg, figures, figuresTable, markdown } from './report.js';
import { bulkEndScenario } from './scenarios/bulk-end.js';
import { dashboardScenario } from './scenarios/dashboard.js';
import { endOneScenario } from './scenarios/end-one.js';
import { loginScenario } from './scenarios/login.js';
import { plansScenario } from './scenarios/plans.js';
import { throughputScenario } from './scenarios/throughput.js';
import { seededRandom } from './stats.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const USAGE = `Usage: DATABASE_URL=postgres://… npm run bench [-- --tiny] [-- --sizes A,B,C] [-- --out FILE] [-- --seed N]
  --tiny       the whole bench at a tiny size (seconds); writes to a temp folder, never BENCHMARKS.md
  --sizes      other table sizes (sessions, ascending; the full run uses 10000,100000,1000000); writes to a temp folder
  --out FILE   write the report to FILE (the chart next to it) instead of BENCHMARKS.md and ${CHART_PATH}
  --seed N     seed of the sampling order (default 7)
  --render     no measuring: write the report and chart again from the last full run's bench/results.json
               (after editing bench/notes.md or the report's code)`;

function options() {
  try {
    const { values } = parseArgs({
      options: {
        tiny: { type: 'boolean', default: false }, sizes: { type: 'string' }, out: { type: 'string' },
        seed: { type: 'string', default: '7' }, render: { type: 'boolean', default: false }, help: { type: 'boolean' },
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
    return { tiny: values.tiny!, sizes, out: values.out, seed, render: values.render! };
  } catch (err) {
    throw new BenchSetupError(`${(err as Error).message}\n${USAGE}`);
  }
}

/** The profile, with other sizes if asked (a bulk action then names at most a tenth of the users). */
function profileOf(tiny: boolean, sizes: number[] | undefined): Profile {
  const profile = PROFILES[tiny ? 'tiny' : 'full'];
  if (!sizes) return profile;
  const users = Math.floor(sizes[sizes.length - 1]! / profile.sessionsPerUser);
  return { ...profile, sizes, bulk: { ...profile.bulk, users: Math.min(profile.bulk.users, Math.max(1, Math.floor(users / 10))) } };
}

/**
 * Where the report, the chart and the raw results go, and how the report links to the chart: BENCHMARKS.md,
 * the committed chart and bench/results.json only for the full run.
 */
function outputs(scratch: boolean, out: string | undefined) {
  if (!scratch && !out) {
    return { report: path.join(root, 'BENCHMARKS.md'), chart: path.join(root, CHART_PATH), chartHref: CHART_PATH, json: RESULTS_FILE };
  }
  const report = path.resolve(out ?? path.join(os.tmpdir(), `adminjs-single-session-bench-${process.pid}`, 'BENCHMARKS.md'));
  const dir = path.dirname(report);
  return { report, chart: path.join(dir, path.basename(CHART_PATH)), chartHref: path.basename(CHART_PATH), json: path.join(dir, 'results.json') };
}

const RESULTS_FILE = path.join(root, 'bench', 'results.json');
const NOTES_FILE = path.join(root, 'bench', 'notes.md');

function write(results: BenchResults, out: ReturnType<typeof outputs>): void {
  for (const file of [out.report, out.chart, out.json]) mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(out.chart, chartSvg(results));
  writeFileSync(out.report, markdown(results, out.chartHref, NOTES_FILE));
  writeFileSync(out.json, `${JSON.stringify(results, null, 1)}\n`);
  console.log(`\n${figuresTable(figures(results), results.profile.name === 'tiny')}\n`);
  console.log(`Report: ${path.relative(process.cwd(), out.report)}; chart: ${path.relative(process.cwd(), out.chart)}; ` +
    `raw results: ${path.relative(process.cwd(), out.json)} (run took ${(results.seconds / 60).toFixed(1)} min)`);
}

/** `--render`: the last full run's report again, from its raw results (nothing is measured). */
function render(out: string | undefined): void {
  if (!existsSync(RESULTS_FILE)) throw new BenchSetupError(`--render needs ${path.relative(process.cwd(), RESULTS_FILE)}, written by a full run.`);
  const results = JSON.parse(readFileSync(RESULTS_FILE, 'utf8')) as BenchResults;
  results.date = new Date(results.date);
  write(results, { ...outputs(false, out), json: RESULTS_FILE });
}

async function main(): Promise<void> {
  const args = options();
  if (args.render) return render(args.out);
  const baseUrl = requireDatabaseUrl();
  const profile = profileOf(args.tiny, args.sizes);
  const started = performance.now();
  const progress = new Progress();
  const random = seededRandom(args.seed);
  const machine = describeMachine(await serverVersion(baseUrl));
  progress.note(`adminjs-single-session bench (${profile.name}): sizes ${profile.sizes.map(sizeLabel).join(', ')} sessions; ` +
    `${machine.cores} cores, load ${machine.loadAtStart.join(' ')}; ${machine.postgres}; Node ${machine.node}`);

  const dbs: BenchDb[] = [];
  const names = profile.sizes.map((s) => `single_session_bench_${args.tiny ? 'tiny_' : ''}${sizeLabel(s).toLowerCase()}`);
  try {
    for (const [i, sessions] of profile.sizes.entries()) {
      const plan = { sessions, users: Math.floor(sessions / profile.sessionsPerUser) };
      const label = sizeLabel(sessions);
      const url = await createDatabase(baseUrl, names[i]!);
      const sequelize = connect(url);
      const db: BenchDb = { label, name: names[i]!, url, sequelize, plan, adminId: 0, users: userRanges(plan.users) };
      dbs.push(db);
      const phase = progress.phase(`Fill ${label} sessions, ${plan.users.toLocaleString('en')} users`, fillSteps(plan));
      db.adminId = (await fill(sequelize, plan, () => phase.tick())).adminId;
      phase.done();
    }
    const largest = dbs[dbs.length - 1]!;
    const login = await loginScenario(dbs, profile, progress, random);
    const throughput = await throughputScenario(largest, profile, progress, random);
    const endOne = await endOneScenario(largest, profile, progress, random);
    const bulk = await bulkEndScenario(largest, profile, progress, random);
    const plans = await plansScenario(largest, profile, progress);
    const dashboard = await dashboardScenario(largest, profile, progress); // last: it writes audit rows, expires sessions

    const results: BenchResults = {
      profile, machine, login, throughput, endOne, bulk, plans, dashboard,
      command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
      date: new Date(),
      seconds: (performance.now() - started) / 1000,
      sizes: dbs.map((d) => ({ label: d.label, sessions: d.plan.sessions, users: d.plan.users })),
    };
    write(results, outputs(args.tiny || args.sizes !== undefined, args.out));
  } finally {
    await Promise.allSettled(dbs.map((d) => d.sequelize.close()));
    await dropDatabases(baseUrl, names);
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err instanceof BenchSetupError ? `\n${err.message}` : err);
    process.exit(1);
  },
);
