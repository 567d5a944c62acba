/** Turns a run's results into the figures against their targets, the chart, and BENCHMARKS.md. */
import { existsSync, readFileSync } from 'node:fs';
import { lineChartSvg } from './chart.js';
import type { Machine } from './machine.js';
import { type Profile, sizeLabel } from './profile.js';
import type { BulkResults } from './scenarios/bulk-end.js';
import type { DashboardResults } from './scenarios/dashboard.js';
import type { EndOneResults } from './scenarios/end-one.js';
import type { LoginResults } from './scenarios/login.js';
import type { PlanResults } from './scenarios/plans.js';
import type { ThroughputResults } from './scenarios/throughput.js';

export interface BenchResults {
  profile: Profile;
  machine: Machine;
  command: string;
  date: Date;
  seconds: number;
  sizes: Array<{ label: string; sessions: number; users: number }>;
  login: LoginResults;
  throughput: ThroughputResults;
  endOne: EndOneResults;
  bulk: BulkResults;
  plans: PlanResults;
  /** P7 (issue 17); absent in results of runs made before it existed. */
  dashboard?: DashboardResults;
}

export interface Figure {
  id: string;
  what: string;
  measured: string;
  target: string;
  met: boolean;
}

export const CHART_PATH = 'docs/images/bench-login-vs-size.svg';

const ms = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));
const ratio = (n: number) => n.toFixed(3);

export function figures(r: BenchResults): Figure[] {
  const small = r.sizes[0]!.label;
  const large = r.sizes[r.sizes.length - 1]!.label;
  const at = (label: string) => r.login.medians[label]!;
  const p1 = at(large).on / at(large).off;
  const p2 = at(large).on / at(small).on;
  const p3 = r.throughput.rps.ours / r.throughput.rps.plain;
  const p5 = r.endOne.scanMs / r.endOne.oursMs;
  const bulkVia = r.bulk.path === 'http' ? 'AdminJS bulk action over HTTP' : '`endUserSessions` called directly (see note)';
  return [
    {
      id: 'P1', what: `Login, policy on ÷ policy off, at ${large} sessions`,
      measured: `**${ratio(p1)}** (${ms(at(large).on)} ms ÷ ${ms(at(large).off)} ms)`, target: '≤ 1.15', met: p1 <= 1.15,
    },
    {
      id: 'P2', what: `Login with the policy, at ${large} ÷ at ${small} sessions`,
      measured: `**${ratio(p2)}** (${ms(at(large).on)} ms ÷ ${ms(at(small).on)} ms)`, target: '≤ 1.05', met: p2 <= 1.05,
    },
    {
      id: 'P3', what: 'Authenticated requests/s, our store ÷ connect-session-sequelize 7',
      measured: `**${ratio(p3)}** (${r.throughput.rps.ours.toFixed(0)} ÷ ${r.throughput.rps.plain.toFixed(0)} req/s)`, target: '≥ 0.95', met: p3 >= 0.95,
    },
    {
      id: 'P4', what: `End the sessions of ${r.bulk.users.toLocaleString('en')} users (${r.bulk.sessions.toLocaleString('en')} sessions), ${bulkVia}`,
      measured: `**${(r.bulk.medianMs / 1000).toFixed(2)} s**, ${r.bulk.statements.length} SQL statements`, target: '≤ 1.5 s', met: r.bulk.medianMs <= 1500,
    },
    {
      id: 'P5', what: `End one user's sessions at ${large}: JSON scan ÷ ours`,
      measured: `**${p5.toFixed(0)}×** (${ms(r.endOne.scanMs)} ms ÷ ${ms(r.endOne.oursMs)} ms)`, target: '≥ 100×', met: p5 >= 100,
    },
    ...dashboardFigure(r.dashboard, large),
  ];
}

// ── P7: the sessions dashboard (issue 17) ───────────────────────────────────────────────────────────────────────

const DASHBOARD_TARGET_MS = 1000;

function dashboardFigure(d: DashboardResults | undefined, large: string): Figure[] {
  if (!d) return [];
  return [{
    id: 'P7', what: `Sessions dashboard's data over HTTP at ${large} sessions, ${d.auditRows.toLocaleString('en')} audit rows in 24 h`,
    measured: `**${ms(d.medianMs)} ms** (first request ${ms(d.coldMs)} ms)`, target: `≤ ${DASHBOARD_TARGET_MS} ms`, met: d.medianMs <= DASHBOARD_TARGET_MS,
  }];
}

function dashboardDetails(d: DashboardResults | undefined, large: string): string[] {
  if (!d) return [];
  return [`**P7.** \`GET /admin/api/dashboard\` over HTTP against the demo's AdminJS (\`sessionsDashboard\`, engine with \`audit: true\`), ` +
    `logged in as an admin, at ${large} sessions with 1 % of them expired and not yet purged, after a day of audit rows ` +
    `(one sign-in per live session, a third as many endings of every reason): ${d.activeSessions.toLocaleString('en')} live sessions of ` +
    `${d.signedInUsers.toLocaleString('en')} users, ${d.signIns.toLocaleString('en')} sign-ins and ${d.ended.toLocaleString('en')} ended sessions ` +
    `in the last 24 hours, browser and device shares ${d.sampled ? 'from a sample' : 'counted over every session'}. Every answer is ` +
    `checked against a join of every session (not timed). First request ${ms(d.coldMs)} ms; then ${d.runs.map((n) => `${ms(n)} ms`).join(', ')} ` +
    `(median ${ms(d.medianMs)} ms). The straightforward join alone takes seconds at 1M sessions; the dashboard counts links ` +
    '(an index-only scan) minus the expired ones (found by the `expires` index) and samples the shares.', ''];
}

export function chartSvg(r: BenchResults): string {
  const series = (key: 'on' | 'off' | 'scan') => r.sizes.map((s) => ({ x: s.sessions, y: r.login.medians[s.label]![key] }));
  return lineChartSvg({
    title: 'Login time vs stored sessions (median)',
    xLabel: `Stored sessions (${r.profile.sessionsPerUser} per user), log scale`,
    yLabel: 'Login time over HTTP, log scale',
    formatX: sizeLabel,
    series: [
      { name: 'Policy on (ours)', color: '#1f77b4', points: series('on') },
      { name: 'Policy off (ours)', color: '#2ca02c', points: series('off') },
      { name: 'JSON scan (DIY)', color: '#d62728', dashed: true, points: series('scan') },
    ],
  });
}

export function figuresTable(list: Figure[], tiny: boolean): string {
  const rows = list.map((f) => `| ${f.id} | ${f.what} | ${f.measured} | ${f.target} | ${tiny ? '(tiny run)' : f.met ? 'met' : '**missed**'} |`);
  return ['| | Figure | Measured (medians) | Target | Result |', '|---|---|---|---|---|', ...rows].join('\n');
}

const codeList = (statements: string[]) =>
  statements.map((s, i) => `${i + 1}. \`${s.replace(/\s+/g, ' ').replace(/`/g, "'").slice(0, 200)}${s.length > 200 ? '…' : ''}\``).join('\n');

export function markdown(r: BenchResults, chartHref: string, notesFile: string): string {
  const tiny = r.profile.name === 'tiny';
  const list = figures(r);
  const missed = list.filter((f) => !f.met);
  const large = r.sizes[r.sizes.length - 1]!;
  const t = r.throughput;
  const lines: string[] = [];
  lines.push('# Benchmarks', '');
  lines.push(`Generated by \`${r.command}\` on ${r.date.toISOString().slice(0, 16).replace('T', ' ')} UTC (${Math.round(r.seconds / 60)} min). ` +
    'Do not edit by hand: run it again (see [Reproduce](#reproduce)); hand-written analysis lives in `bench/notes.md` and is included below.', '');
  if (tiny) lines.push('> **Tiny run** (`--tiny`): checks that the bench works; its figures mean nothing.', '');
  lines.push('## Results', '', figuresTable(list, tiny), '');
  lines.push(missed.length === 0 || tiny ? 'Every target is met.' : `Missed: ${missed.map((f) => f.id).join(', ')} — see [Analysis](#analysis).`, '');
  lines.push('## Login time vs table size', '');
  lines.push(`![Login time vs stored sessions](${chartHref})`, '');
  lines.push('| Stored sessions | Users | Policy on | Policy off | JSON scan (DIY) | Samples (on / off / scan) |', '|---|---|---|---|---|---|');
  for (const s of r.sizes) {
    const m = r.login.medians[s.label]!;
    const n = r.login.samples[s.label]!;
    lines.push(`| ${s.sessions.toLocaleString('en')} | ${s.users.toLocaleString('en')} | ${ms(m.on)} ms | ${ms(m.off)} ms | ${ms(m.scan)} ms | ${n.on} / ${n.off} / ${n.scan} |`);
  }
  lines.push('');
  lines.push('Each login is a real HTTP request (`POST /<variant>/login?id=N`, no cookie, so a new session) to an Express app using the ' +
    'core hooks: `singleSession.userLoggedIn(req, user)` after a user lookup by primary key, without password hashing (identical on ' +
    'every side). *Policy on*: `singleUserSession: true`; the user has ' + `${r.profile.sessionsPerUser} live sessions beforehand, ` +
    'which the login ends. *Policy off*: `singleUserSession: false` (the session is still linked to the user). *JSON scan*: policy off, ' +
    'then the do-it-yourself way to end the other sessions without a link table: ' +
    '`DELETE FROM "Sessions" WHERE data::jsonb->>\'singleSessionUserId\' = $1 AND sid <> $2`. Every user logs in once, so each login ' +
    'meets a user with the same number of sessions at every size.', '');
  lines.push('SQL statements per login (from Sequelize\'s `logging` hook, user lookup and transaction control included):', '');
  for (const [variant, statements] of Object.entries(r.login.statements)) {
    lines.push(`<details><summary>${variant}: ${statements.length} statements</summary>`, '', codeList(statements), '', '</details>', '');
  }
  lines.push('## Details', '');
  lines.push(`**P3.** autocannon, ${t.connections} connections, ${t.seconds} s per round, ${t.rounds.ours.length} rounds per store alternating in a ` +
    'shuffled order after a warm-up round each; the apps run in a child process (`bench/serve.ts`). The route, `GET /whoami`, answers ' +
    'the user id from the session alone, so the store is the only thing that differs. Both stores use the same table at ' +
    `${large.label} sessions; both apps use \`resave: false, saveUninitialized: false\`.`, '');
  lines.push('| Store | req/s (median) | Rounds (req/s) | Latency p50 (median) | SQL statements per request |', '|---|---|---|---|---|');
  lines.push(`| ours (\`singleSession.sessionMiddleware\`) | ${t.rps.ours.toFixed(0)} | ${t.rounds.ours.map((n) => n.toFixed(0)).join(', ')} | ${t.latencyP50.ours} ms | ${t.statementsPerRequest.ours} |`);
  lines.push(`| connect-session-sequelize 7 | ${t.rps.plain.toFixed(0)} | ${t.rounds.plain.map((n) => n.toFixed(0)).join(', ')} | ${t.latencyP50.plain} ms | ${t.statementsPerRequest.plain} |`, '');
  lines.push('Our store answers an unchanged session with one SELECT (session and link, joined) and writes the expiry and last-seen ' +
    'time at most once per `lastSeenIntervalMs` (60 s); connect-session-sequelize runs a SELECT and an UPDATE of the expiry (`touch`) on every request.', '');
  const direct = r.bulk.direct
    ? ` Alongside, interleaved on other blocks, the same ending by calling \`singleSession.endUserSessions(ids)\` directly (what the action ` +
      `calls; the rest is AdminJS and HTTP): ${r.bulk.direct.runs.map((n) => `${n.toFixed(0)} ms`).join(', ')} (median ${r.bulk.direct.medianMs.toFixed(0)} ms).`
    : '';
  lines.push(`**P4.** ${r.bulk.note}. ${r.bulk.runs.length} runs on disjoint blocks of ${r.bulk.users.toLocaleString('en')} users with ` +
    `${r.profile.sessionsPerUser} sessions each: ${r.bulk.runs.map((n) => `${n.toFixed(0)} ms`).join(', ')}.${direct} ` +
    'The SQL statements of one run (everything Sequelize sent during the request):', '', codeList(r.bulk.statements), '');
  lines.push(`**P5.** ${r.endOne.samples} samples per approach, interleaved, each on a different user with ${r.profile.sessionsPerUser} sessions, at ` +
    `${large.label} sessions. Ours: \`singleSession.endUserSessions([id])\` (index on \`UserSessions.userId\`, one DELETE with its cascade and ` +
    'the end-reason notes, in a transaction). DIY: the JSON scan above.', '');
  lines.push(...dashboardDetails(r.dashboard, large.label));
  if (r.plans.length > 0) {
    lines.push('### Query plans', '', `Captured with PostgreSQL's \`auto_explain\` (ANALYZE, BUFFERS; the cascade to UserSessions shows as its trigger's time and calls) at ${large.label} sessions, ` +
      'after the timed runs, on fresh users.', '');
    for (const plan of r.plans) {
      lines.push(`<details><summary>${plan.title} (${plan.ms.toFixed(1)} ms with EXPLAIN ANALYZE overhead)</summary>`, '', '```', plan.text.trim(), '```', '', '</details>', '');
    }
  }
  if (existsSync(notesFile)) lines.push('## Analysis', '', readFileSync(notesFile, 'utf8').trim(), '');
  lines.push('## Machine', '');
  const m = r.machine;
  lines.push(`- CPU: ${m.cpu}, ${m.cores} cores; RAM ${m.ramGiB} GiB; ${m.os}`);
  lines.push(`- ${m.postgres}, default settings, on the same machine; Node.js ${m.node}`);
  lines.push(`- Load average when the run started: ${m.loadAtStart.join(', ')} (the machine may be shared: compare the sides of a ratio, which were sampled side by side, rather than absolute times)`, '');
  lines.push('## How it is measured', '');
  lines.push('- The bench creates its own databases on the server of `DATABASE_URL` (`single_session_bench_<size>`), one per table size, and ' +
    'drops them at the end. Schema: `migrateDemo(sequelize)` (the demo\'s users table + the package\'s migration).');
  lines.push(`- Fill: set-based SQL (\`INSERT … SELECT generate_series\`), ${r.profile.sessionsPerUser} live sessions per user spread over the ` +
    'table, express-session-like 32-character sids and session JSON, each session linked to its user, then `VACUUM ANALYZE`.');
  lines.push('- Every ratio compares medians of samples taken side by side: the variants are interleaved, in a shuffled order per round ' +
    '(seeded, so a run can be repeated), after a warm-up. Logins and endings use disjoint users, each user once where the size allows.');
  lines.push('- Every measured operation is checked: a login must answer 200 and leave the expected number of sessions, an ending must end ' +
    'exactly the user\'s sessions, autocannon must see no error and no non-2xx answer. A failed check stops the run with a non-zero exit.', '');
  lines.push('## Reproduce', '');
  lines.push('```sh', 'DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run bench        # full run (5–15 min): rewrites BENCHMARKS.md, the chart, bench/results.json',
    'DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run bench -- --tiny  # seconds; writes to a temp file only (CI)', '```', '');
  lines.push('`DATABASE_URL` only names the server (any existing database on it): the bench works in databases of its own. ' +
    'Options: `--tiny`; `--sizes 10000,100000,1000000` (other table sizes, written to a temp folder); `--out <file>` (write the report ' +
    'elsewhere, the chart next to it); `--seed <n>` (sampling order); `--render` (write this file again from `bench/results.json` ' +
    'without measuring, e.g. after editing `bench/notes.md`).', '');
  return lines.join('\n');
}
