/**
 * MariaDB beside PostgreSQL (`--mariadb`): P1–P5 on both, and the statements of the endings counted on each at a
 * few and at many users or sessions. Their sections of BENCHMARKS.md.
 */
import { DIALECT_NAMES, type Dialect, MARIADB_URL_HINT } from './db.js';
import { COMMANDS, inlineCode, toBeMeasured } from './format.js';
import { type BenchResults, bulkSection, codeList, coreFigures, type Figure, loginStatements, loginTable } from './report-core.js';
import { DIY_JSON_SCAN } from './apps.js';
import { COUNTED, type CountedOperation, sameCount } from './scenarios/statement-counts.js';

export const MARIADB_COMMAND = `${COMMANDS.main} -- --mariadb ${MARIADB_URL_HINT}`;

/** P1–P5, PostgreSQL's and MariaDB's side by side. */
export function comparisonTable(r: BenchResults, tiny: boolean): string {
  const postgres = coreFigures(r);
  const mariadb = r.mariadb ? coreFigures(r.mariadb) : [];
  const cell = (f: Figure | undefined) => (!f ? toBeMeasured(MARIADB_COMMAND) : `${f.measured}${tiny || f.met === null ? '' : f.met ? ' — met' : ' — **missed**'}`);
  const rows = postgres.map((f, i) => `| ${f.id} | ${f.what} | ${cell(f)} | ${cell(mariadb[i])} | ${f.target} |`);
  return ['| | Figure | PostgreSQL | MariaDB | Target |', '|---|---|---|---|---|', ...rows].join('\n');
}

const sizeOf = (n: number, unit: string) => `${n.toLocaleString('en')} ${n === 1 ? unit.replace(/s$/, '') : unit}`;

function countCell(op: CountedOperation | undefined): string {
  if (!op) return '—';
  const [few, many] = [op.few.statements.length, op.many.statements.length];
  return `${sizeOf(op.few.size, op.unit)}: **${few}**; ${sizeOf(op.many.size, op.unit)}: **${many}**${sameCount(op) ? '' : ' (**differs**)'}`;
}

/** The statement counts of the endings on each database, and the statements themselves (folded). */
export function statementCountsSection(r: BenchResults): string[] {
  const counts = r.statementCounts;
  if (!counts?.postgres) return [];
  const dialects = (Object.keys(DIALECT_NAMES) as Dialect[]).filter((d) => counts[d]);
  const lines = ['### Statements per ending', ''];
  lines.push('Every SQL statement the engine\'s Sequelize instance sent during one operation, counted through Sequelize\'s `logging` hook ' +
    '(transaction control, AdminJS\'s loading of the selected users and the session\'s own load included), at a few and at many ' +
    'sessions or users, in a database of their own (one session per user, then ' +
    `${COUNTED.manySessions.toLocaleString('en')} more for the "many" user; ${COUNTED.fewUsers} and ${COUNTED.manyUsers.toLocaleString('en')} users ` +
    'for the bulk action), after one unmeasured run of each operation. The same count at both sizes is the proof that an ending is set-based: ' +
    'a fixed number of statements, not one per user or per session.', '');
  lines.push(`| Operation | ${dialects.map((d) => DIALECT_NAMES[d]).join(' | ')} |`, `|---|${dialects.map(() => '---|').join('')}`);
  for (const [i, op] of counts.postgres.entries()) {
    lines.push(`| ${op.title} | ${dialects.map((d) => countCell(counts[d]![i])).join(' | ')} |`);
  }
  lines.push('');
  for (const d of dialects) {
    for (const op of counts[d]!) {
      const runs = sameCount(op) ? [op.many] : [op.few, op.many];
      for (const run of runs) {
        lines.push(`<details><summary>${DIALECT_NAMES[d]}: ${op.title}, ${sizeOf(run.size, op.unit)}: ${run.statements.length} statements</summary>`, '',
          codeList(run.statements), '', '</details>', '');
      }
    }
  }
  return lines;
}

/** P1–P5 on MariaDB beside PostgreSQL's, and MariaDB's details. */
export function mariadbSection(r: BenchResults, tiny: boolean): string[] {
  const lines = ['## MariaDB beside PostgreSQL', ''];
  const m = r.mariadb;
  if (!m) return [...lines, `P1–P5 on MariaDB: ${toBeMeasured(MARIADB_COMMAND)}.`, ''];
  const large = m.sizes[m.sizes.length - 1]!;
  lines.push(`The same run, on the same machine, measured P1–P5 again on ${m.server ?? 'MariaDB'} (default settings) after PostgreSQL's ` +
    'scenarios, with the same sizes, the same rows (the fill writes the same sids, users and times), the same code and the same checks; ' +
    'PostgreSQL\'s databases were dropped before MariaDB\'s were filled. The ratios compare each database with itself (samples taken side by ' +
    'side); the absolute times compare the two.', '');
  lines.push(comparisonTable(r, tiny), '');
  lines.push('### Login time vs table size (MariaDB)', '', ...loginTable(m), '');
  lines.push('SQL statements per login on MariaDB:', '', ...loginStatements(m));
  const t = m.throughput;
  lines.push(`**P3 on MariaDB.** As on PostgreSQL, at ${large.label} sessions: ours ${t.rps.ours.toFixed(0)} req/s (rounds ` +
    `${t.rounds.ours.map((n) => n.toFixed(0)).join(', ')}), connect-session-sequelize 7 ${t.rps.plain.toFixed(0)} req/s (rounds ` +
    `${t.rounds.plain.map((n) => n.toFixed(0)).join(', ')}); SQL statements per request ${t.statementsPerRequest.ours} and ${t.statementsPerRequest.plain}.`, '');
  lines.push(...bulkSection({ ...m, profile: r.profile }).map((line) => line.replace(/^\*\*P4\.\*\*/, '**P4 on MariaDB.**')));
  lines.push(`**P5 on MariaDB.** ${m.endOne.samples} samples per approach, as on PostgreSQL; the JSON scan in MariaDB's spelling: ` +
    `${inlineCode(DIY_JSON_SCAN.mariadb)}.`, '');
  return lines;
}
