/**
 * The parts of the report that every section builds on: the results' shapes, the P1–P5 figures of one database
 * server, and the login and bulk-ending sections both servers' parts show. report.ts and its per-section files
 * import from here (never from each other's way back up).
 */
import type { Dialect } from './db.js';
import { COMMANDS, inlineCode, ms, ratio, toBeMeasured } from './format.js';
import type { RunInfo } from './machine.js';
import type { Profile } from './profile.js';
import { BULK_TARGETS, type BulkResults } from './scenarios/bulk-end.js';
import type { CapacityResults } from './scenarios/capacity.js';
import type { DashboardResults } from './scenarios/dashboard.js';
import type { EndOneResults } from './scenarios/end-one.js';
import type { LoginResults } from './scenarios/login.js';
import type { PlanResults } from './scenarios/plans.js';
import type { PagesResults } from './scenarios/sessions-pages.js';
import type { SoakResults } from './scenarios/soak.js';
import type { StatementCounts } from './scenarios/statement-counts.js';
import type { ThroughputResults } from './scenarios/throughput.js';

/** P1–P5 as measured on one database server. */
export interface CoreResults {
  /** "MariaDB 10.11.19" (absent for PostgreSQL's, whose version is the machine's `postgres`). */
  server?: string;
  sizes: Array<{ label: string; sessions: number; users: number }>;
  login: LoginResults;
  throughput: ThroughputResults;
  endOne: EndOneResults;
  bulk: BulkResults;
}

export interface BenchResults extends RunInfo, CoreResults {
  profile: Profile;
  plans: PlanResults;
  /** P1–P5 on MariaDB, same sizes, same run (with `--mariadb`). */
  mariadb?: CoreResults;
  /** The statements of the endings at a few and at many users or sessions, per database (absent from older results). */
  statementCounts?: Partial<Record<Dialect, StatementCounts>>;
  /** P6 (absent from results made before it existed). */
  pages?: PagesResults;
  /** P7, the sessions dashboard (absent from results made before it existed). */
  dashboard?: DashboardResults;
}

/** Everything one report shows; a part that was never measured is absent. */
export interface AllResults {
  main?: BenchResults;
  soak?: SoakResults;
  capacity?: CapacityResults;
}

export interface Figure {
  id: string;
  what: string;
  measured: string;
  target: string;
  /** null: reported without a target, or not measured yet. */
  met: boolean | null;
}

function bulkFigures(r: CoreResults): Figure[] {
  const b = r.bulk;
  const who = `the sessions of ${b.users.toLocaleString('en')} users (${b.sessions.toLocaleString('en')} sessions)`;
  const sql: Figure = b.actionSql && b.bare
    ? {
      id: 'P4', what: `End ${who}: the action's own SQL ÷ the bare DELETE with its cascade`,
      measured: `**${ratio(b.actionSql.medianMs / b.bare.medianMs)}** (${ms(b.actionSql.medianMs)} ms ÷ ${ms(b.bare.medianMs)} ms)`,
      target: `≤ ${BULK_TARGETS.sqlRatio}`, met: b.actionSql.medianMs / b.bare.medianMs <= BULK_TARGETS.sqlRatio,
    }
    : { id: 'P4', what: `End ${who}: the action's own SQL ÷ the bare DELETE with its cascade`, measured: toBeMeasured(COMMANDS.main), target: `≤ ${BULK_TARGETS.sqlRatio}`, met: null };
  return [
    {
      id: 'P4', what: `End ${who}, AdminJS bulk action over HTTP`,
      measured: `**${(b.medianMs / 1000).toFixed(2)} s**, ${b.statements.length} SQL statements`,
      target: `≤ ${(BULK_TARGETS.httpMs / 1000).toFixed(1)} s`, met: b.medianMs <= BULK_TARGETS.httpMs,
    },
    sql,
  ];
}

/** P1–P5, from the results of one database server. */
export function coreFigures(r: CoreResults): Figure[] {
  const small = r.sizes[0]!.label;
  const large = r.sizes[r.sizes.length - 1]!.label;
  const at = (label: string) => r.login.medians[label]!;
  const p2 = at(large).on / at(small).on;
  const p3 = r.throughput.rps.ours / r.throughput.rps.plain;
  const p5 = r.endOne.scanMs / r.endOne.oursMs;
  return [
    {
      id: 'P1', what: `Login: time the policy adds (policy on − policy off), at ${large} sessions`,
      measured: `**${ms(at(large).on - at(large).off)} ms** (${ms(at(large).on)} ms − ${ms(at(large).off)} ms)`, target: 'reported (no target)', met: null,
    },
    {
      id: 'P2', what: `Login with the policy, at ${large} ÷ at ${small} sessions`,
      measured: `**${ratio(p2)}** (${ms(at(large).on)} ms ÷ ${ms(at(small).on)} ms)`, target: '≤ 1.05', met: p2 <= 1.05,
    },
    {
      id: 'P3', what: 'Authenticated requests/s, our store ÷ connect-session-sequelize 7',
      measured: `**${ratio(p3)}** (${r.throughput.rps.ours.toFixed(0)} ÷ ${r.throughput.rps.plain.toFixed(0)} req/s)`, target: '≥ 0.95', met: p3 >= 0.95,
    },
    ...bulkFigures(r),
    {
      id: 'P5', what: `End one user's sessions at ${large}: JSON scan ÷ ours`,
      measured: `**${p5.toFixed(0)}×** (${ms(r.endOne.scanMs)} ms ÷ ${ms(r.endOne.oursMs)} ms)`, target: '≥ 100×', met: p5 >= 100,
    },
  ];
}

export const codeList = (statements: string[]) =>
  statements.map((s, i) => `${i + 1}. \`${s.replace(/\s+/g, ' ').replace(/`/g, "'").slice(0, 200)}${s.length > 200 ? '…' : ''}\``).join('\n');

/** Login time per size and variant (the chart's numbers). */
export function loginTable(r: CoreResults): string[] {
  const lines = ['| Stored sessions | Users | Policy on | Policy off | JSON scan (DIY) | Samples (on / off / scan) |', '|---|---|---|---|---|---|'];
  for (const s of r.sizes) {
    const m = r.login.medians[s.label]!;
    const n = r.login.samples[s.label]!;
    lines.push(`| ${s.sessions.toLocaleString('en')} | ${s.users.toLocaleString('en')} | ${ms(m.on)} ms | ${ms(m.off)} ms | ${ms(m.scan)} ms | ${n.on} / ${n.off} / ${n.scan} |`);
  }
  return lines;
}

/** The statements of one login per variant, folded. */
export const loginStatements = (r: CoreResults) => Object.entries(r.login.statements).flatMap(([variant, statements]) =>
  [`<details><summary>${variant}: ${statements.length} statements</summary>`, '', codeList(statements), '', '</details>', '']);

export function bulkSection(r: CoreResults & { profile: Profile }): string[] {
  const b = r.bulk;
  const list = (t: { runs: number[]; medianMs: number }) => `${t.runs.map((n) => `${n.toFixed(0)} ms`).join(', ')} (median ${t.medianMs.toFixed(0)} ms)`;
  const parts = [`**P4.** ${b.note}. ${b.runs.length} runs on disjoint blocks of ${b.users.toLocaleString('en')} users with ` +
    `${r.profile.sessionsPerUser} sessions each, over HTTP: ${list(b)}.`];
  if (b.actionSql && b.bare && b.recordLoading) {
    parts.push(`Inside those requests, timed per statement by Sequelize's \`benchmark\` option: the action's own transaction ` +
      `(BEGIN, the one ending statement with its end-reason notes and counts, COMMIT): ${list(b.actionSql)}; AdminJS's loading of the ` +
      `${b.users.toLocaleString('en')} selected users before any action code runs: ${list(b.recordLoading)}. Beside them, interleaved on ` +
      `other blocks of as many users, the bare ${inlineCode(b.bare.sql)} with its cascade, in its own transaction (BEGIN, DELETE, COMMIT): ${list(b.bare)}.`);
  } else if (b.direct) {
    parts.push(`(Older run: beside it, the ending called directly with \`endUserSessions\`: ${list(b.direct)}; the action's SQL and the bare DELETE ${toBeMeasured(COMMANDS.main)}.)`);
  }
  return [parts.join(' ') + ' The SQL statements of one request (everything Sequelize sent meanwhile):', '', codeList(b.statements), ''];
}
