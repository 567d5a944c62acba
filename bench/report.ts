/**
 * Turns the runs' results into the figures against their targets, the charts, and BENCHMARKS.md. The report is
 * put together from up to three results files — the P-figures (`npm run bench`), the soak (`--soak`) and the
 * capacity (`--capacity`) — each made by its own run; a part not measured yet says so and how to measure it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { MARIADB_URL_HINT } from './db.js';
import { lineChartSvg } from './chart.js';
import { sizeLabel } from './profile.js';
import { type ChartName, COMMANDS, generatedLine, minuteLabel, ms, times, toBeMeasured } from './format.js';
import { capacityMarkdown } from './report-capacity.js';
import { type AllResults, type BenchResults, bulkSection, coreFigures, type Figure, loginStatements, loginTable } from './report-core.js';

import { dashboardFigures, dashboardSection } from './report-dashboard.js';
import { mariadbSection, statementCountsSection } from './report-mariadb.js';
import { soakMarkdown } from './report-soak.js';
import { PAGES_TARGET, USERS_WITHOUT_LIVE_RIGHTS } from './scenarios/sessions-pages.js';
import type { SoakResults } from './scenarios/soak.js';

export type { AllResults, BenchResults, CoreResults, Figure } from './report-core.js';


function pageFigures(r: BenchResults, large: string): Figure[] {
  const what = (title: string) => `${title} at ${large} ÷ User list page 1`;
  if (!r.pages) {
    return [{ id: 'P6', what: what('Session pages (list orders and filters, a user\'s panel, "My sessions")'), measured: toBeMeasured(COMMANDS.main), target: `≤ ${PAGES_TARGET}×`, met: null }];
  }
  const base = r.pages.baseline.medianMs;
  return r.pages.pages.map((p) => (p.key === USERS_WITHOUT_LIVE_RIGHTS
    // Live rights: what reading the signed-in user on each request adds to the User list (reported, no target).
    ? {
      id: 'P6', what: `Live rights: the User list at ${large} with the signed-in user read again ÷ without (the sign-in copy)`,
      measured: `**${times(1 / p.ratio)}** (${ms(base)} ms ÷ ${ms(p.medianMs)} ms; ${ms(base - p.medianMs)} ms more)`, target: '—', met: null,
    }
    : {
      id: 'P6', what: what(p.title),
      measured: `**${times(p.ratio)}** (${ms(p.medianMs)} ms ÷ ${ms(base)} ms)`, target: `≤ ${PAGES_TARGET}×`, met: p.ratio <= PAGES_TARGET,
    }));
}

export function figures(r: BenchResults): Figure[] {
  const large = r.sizes[r.sizes.length - 1]!.label;
  return [...coreFigures(r), ...pageFigures(r, large), ...dashboardFigures(r, large)];
}

export function charts(all: AllResults): Partial<Record<ChartName, string>> {
  return { ...(all.main ? { login: loginChartSvg(all.main) } : {}), ...(all.soak ? soakCharts(all.soak) : {}) };
}

function loginChartSvg(r: BenchResults): string {
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

function soakCharts(s: SoakResults): Partial<Record<ChartName, string>> {
  const minute = (i: { endSecond: number }) => i.endSecond / 60;
  const xTicks = s.intervals.map(minute);
  const formatX = minuteLabel(s.settings.intervalSeconds % 60 === 0);
  const colors = ['#1f77b4', '#ff7f0e', '#2ca02c', '#9467bd'];
  return {
    soakLatency: lineChartSvg({
      title: `Soak: latency per ${s.settings.intervalSeconds} s interval`, xLabel: 'Minutes since the traffic started', yLabel: 'Latency, log scale',
      formatX, xScale: 'linear', xTicks,
      series: [
        { name: 'p50', color: '#1f77b4', points: s.intervals.map((i) => ({ x: minute(i), y: i.p50Ms })) },
        { name: 'p99', color: '#d62728', points: s.intervals.map((i) => ({ x: minute(i), y: i.p99Ms })) },
      ],
    }),
    soakMemory: lineChartSvg({
      title: 'Soak: resident memory of each app process', xLabel: 'Minutes since the traffic started', yLabel: 'RSS (VmRSS)',
      formatX, xScale: 'linear', xTicks, yScale: 'linear', formatY: (v) => `${v.toFixed(0)} MiB`,
      series: s.intervals[0]!.rssMiB.map((_, p) => ({
        name: `Process ${p + 1}`, color: colors[p % colors.length]!, points: s.intervals.map((i) => ({ x: minute(i), y: i.rssMiB[p]! })),
      })),
    }),
  };
}

export function figuresTable(list: Figure[], tiny: boolean): string {
  const result = (f: Figure) => (tiny ? '(tiny run)' : f.met === null ? '—' : f.met ? 'met' : '**missed**');
  const rows = list.map((f) => `| ${f.id} | ${f.what} | ${f.measured} | ${f.target} | ${result(f)} |`);
  return ['| | Figure | Measured (medians) | Target | Result |', '|---|---|---|---|---|', ...rows].join('\n');
}


/** BENCHMARKS.md. `tiny`: the figures come from a tiny run (they check that the bench works, nothing more). */
export function markdown(all: AllResults, href: (chart: ChartName) => string, notesFile: string, tiny: boolean): string {
  const r = all.main;
  const lines: string[] = ['# Benchmarks', ''];
  lines.push('Generated by `npm run bench` (see [Reproduce](#reproduce)); do not edit by hand. Hand-written analysis lives in ' +
    '`bench/notes.md` and is included below.', '');
  if (tiny) lines.push('> **Tiny run** (`--tiny`): checks that the bench works; its figures mean nothing.', '');
  if (r) lines.push(...mainSections(r, href, tiny));
  else lines.push('## Results', '', toBeMeasured(COMMANDS.main), '');
  lines.push(...soakMarkdown(all.soak, href, tiny), ...capacityMarkdown(all.capacity));
  if (existsSync(notesFile)) lines.push('## Analysis', '', readFileSync(notesFile, 'utf8').trim(), '');
  if (r) lines.push(...machineSection(r));
  lines.push(...reproduceSection());
  return lines.join('\n');
}

function mainSections(r: BenchResults, href: (chart: ChartName) => string, tiny: boolean): string[] {
  const list = figures(r);
  const missed = [...new Set(list.filter((f) => f.met === false).map((f) => f.id))];
  const large = r.sizes[r.sizes.length - 1]!;
  const t = r.throughput;
  const lines: string[] = [];
  lines.push('## Results', '', `${generatedLine(r)}.`, '', figuresTable(list, tiny), '');
  lines.push(tiny ? '' : missed.length === 0 ? 'Every target is met.' : `Missed: ${missed.join(', ')} — see [Analysis](#analysis).`, '');
  lines.push(...pagesSection(r));
  lines.push('## Login time vs table size', '');
  lines.push(`![Login time vs stored sessions](${href('login')})`, '');
  lines.push(...loginTable(r), '');
  lines.push('Each login is a real HTTP request (`POST /<variant>/login?id=N`, no cookie, so a new session) to an Express app using the ' +
    'core hooks: `singleSession.userLoggedIn(req, user)` after a user lookup by primary key, without password hashing (identical on ' +
    'every side). *Policy on*: `singleUserSession: true`; the user has ' + `${r.profile.sessionsPerUser} live sessions beforehand, ` +
    'which the login ends. *Policy off*: `singleUserSession: false` (the session is still linked to the user). *JSON scan*: policy off, ' +
    'then the do-it-yourself way to end the other sessions without a link table: ' +
    '`DELETE FROM "Sessions" WHERE data::jsonb->>\'singleSessionUserId\' = $1 AND sid <> $2`. Every user logs in once, so each login ' +
    'meets a user with the same number of sessions at every size. P1 is reported as the time the policy adds, without a target: ' +
    'it is the cost of ending the other sessions, which does not shrink with a faster baseline.', '');
  lines.push('SQL statements per login (from Sequelize\'s `logging` hook, user lookup and transaction control included):', '', ...loginStatements(r));
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
  lines.push(...bulkSection(r));
  lines.push(`**P5.** ${r.endOne.samples} samples per approach, interleaved, each on a different user with ${r.profile.sessionsPerUser} sessions, at ` +
    `${large.label} sessions. Ours: \`singleSession.endUserSessions([id])\` (index on \`UserSessions.userId\`, one DELETE with its cascade and ` +
    'the end-reason notes, in a transaction). DIY: the JSON scan above.', '');
  lines.push(...dashboardSection(r));
  lines.push(...statementCountsSection(r));
  if (r.plans.length > 0) {
    lines.push('### Query plans', '', `Captured with PostgreSQL's \`auto_explain\` (ANALYZE, BUFFERS; the cascade to UserSessions shows as its trigger's time and calls) at ${large.label} sessions, ` +
      'after the timed runs, on fresh users.', '');
    for (const plan of r.plans) {
      lines.push(`<details><summary>${plan.title} (${plan.ms.toFixed(1)} ms with EXPLAIN ANALYZE overhead)</summary>`, '', '```', plan.text.trim(), '```', '', '</details>', '');
    }
  }
  lines.push(...mariadbSection(r, tiny));
  return lines;
}

function pagesSection(r: BenchResults): string[] {
  const large = r.sizes[r.sizes.length - 1]!;
  const lines = ['## Session pages (P6)', ''];
  if (!r.pages) return [...lines, toBeMeasured(COMMANDS.main), ''];
  const p = r.pages;
  lines.push(`Over HTTP against the demo app's AdminJS (example/app.ts) at ${large.sessions.toLocaleString('en')} sessions of ` +
    `${large.users.toLocaleString('en')} users, logged in as an admin; ${p.samples} samples of each page, interleaved in a shuffled order ` +
    'after one warm-up request each, before any other scenario changed the table. Each answer is checked (a list answers records ' +
    'that match its filter; the panel and "My sessions" answer the sessions). Target: each page ≤ ' +
    `${PAGES_TARGET}× the User list's first page, measured beside it.`, '');
  lines.push('| Page | Request | Median | ÷ User list | Pager total | Samples (ms) |', '|---|---|---|---|---|---|');
  for (const page of [p.baseline, ...p.pages]) {
    lines.push(`| ${page.title} | \`GET ${page.path}\` | ${ms(page.medianMs)} ms | ${page === p.baseline ? '1' : times(page.ratio)} | ` +
      `${page.total === undefined ? '' : `${page.estimated ? '≈ ' : ''}${page.total.toLocaleString('en')}${page.estimated ? ' (estimate)' : ''}`} | ` +
      `${page.runs.map((n) => n.toFixed(0)).join(', ')} |`);
  }
  lines.push('');
  return lines;
}

function machineSection(r: BenchResults): string[] {
  const m = r.machine;
  return ['## Machine', '',
    `- CPU: ${m.cpu}, ${m.cores} cores; RAM ${m.ramGiB} GiB; ${m.os}`,
    `- ${m.postgres}${m.mariadb ? ` and ${m.mariadb}` : ''}, default settings, on the same machine; Node.js ${m.node}`,
    `- Load average when the run started: ${m.loadAtStart.join(', ')} (the machine may be shared: compare the sides of a ratio, which were sampled side by side, rather than absolute times)`, '',
    '## How it is measured', '',
    '- The bench creates its own databases on the server of `DATABASE_URL` (`single_session_bench_<size>`), one per table size, and ' +
      'drops them at the end. Schema: `migrateDemo(sequelize)` (the demo\'s users table + the package\'s migrations).',
    `- Fill: set-based SQL (\`INSERT … SELECT generate_series\`), ${r.profile.sessionsPerUser} live sessions per user spread over the ` +
      'table, express-session-like 32-character sids and session JSON, each session linked to its user with login metadata (about ' +
      '62,000 IP addresses, four browser/OS pairs in equal shares), then `VACUUM ANALYZE`. On MariaDB (`--mariadb`) the same rows, numbered ' +
      'by the SEQUENCE engine\'s `seq_1_to_N` tables instead of `generate_series`, then `ANALYZE TABLE`.',
    '- Every ratio compares medians of samples taken side by side: the variants are interleaved, in a shuffled order per round ' +
      '(seeded, so a run can be repeated), after a warm-up. Logins and endings use disjoint users, each user once where the size allows.',
    '- Every measured operation is checked: a login must answer 200 and leave the expected number of sessions, an ending must end ' +
      'exactly the user\'s sessions, a page must answer what it shows, autocannon must see no error and no non-2xx answer. A failed ' +
      'check stops the run with a non-zero exit.', ''];
}

function reproduceSection(): string[] {
  const url = 'DATABASE_URL=postgres://postgres@127.0.0.1:5432/test';
  const commands: Array<[string, string]> = [
    [COMMANDS.main, 'P1–P7 (5–15 min on 2 cores): rewrites BENCHMARKS.md, its chart, bench/results.json'],
    [COMMANDS.soak, 'the soak (1M sessions, 10 min; about 13 min in all): bench/soak-results.json, the soak charts'],
    [COMMANDS.capacity, 'capacity with 1, 2, 4 app processes (about 7 min): bench/capacity-results.json'],
    ['npm run bench -- --tiny', 'all three at a tiny size (about 2 min; CI); writes to a temp folder only'],
    [`${COMMANDS.main} -- --mariadb ${MARIADB_URL_HINT}`, 'P1–P7, and P1–P5 on MariaDB beside them (same sizes, same run)'],
  ];
  const width = Math.max(...commands.map(([c]) => c.length));
  return ['## Reproduce', '', '```sh', ...commands.map(([c, what]) => `${url} ${c.padEnd(width)}  # ${what}`),
    '```', '',
    '`DATABASE_URL` only names the server (any existing database on it): the bench works in databases of its own. Each run rewrites ' +
    'BENCHMARKS.md from all three results files, so a section keeps its figures until its own run is repeated. Options: `--tiny`; ' +
    '`--sizes 10000,100000,1000000` (other table sizes, written to a temp folder); `--out <file>` (write the report elsewhere, charts and ' +
    'results next to it); `--mariadb <url>` (P1–P5 on that MariaDB server too, beside PostgreSQL\'s); `--seed <n>` (sampling order); `--render` (write this file again from the committed results without measuring, ' +
    'e.g. after editing `bench/notes.md`). Soak: `--minutes <n>`, `--rate <req/s>`, `--size <sessions>`. Capacity: `--seconds <n>` per ' +
    'round, `--size <sessions>`. Changing a size, rate or length writes to a temp folder unless `--out` is given.', ''];
}
