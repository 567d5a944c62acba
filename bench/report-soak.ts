/** The soak's section of BENCHMARKS.md: its checks (computed from the raw intervals), charts and per-interval table. */
import { type ChartName, COMMANDS, generatedLine, machineLine, minuteLabel, ms, toBeMeasured } from './format.js';
import type { SoakInterval, SoakResults, TableRows } from './scenarios/soak.js';
import { median, slope } from './stats.js';
import { KINDS } from './traffic.js';

export interface Check {
  what: string;
  /** null: the run was too short to tell. */
  ok: boolean | null;
  detail: string;
}

/** Most an app process's RSS may grow after warm-up and still count as flat. */
const RSS_GROWTH = 0.15;
/** Most the second half's median p50 (p99) may exceed the first half's, after warm-up. */
const LATENCY_GROWTH = { p50: 1.25, p99: 1.5 };
/** Most a table's peak in the second half of the settled run may exceed its peak in the first half. */
const TABLE_GROWTH = 1.25;

const halves = <T>(list: T[]): [T[], T[]] => [list.slice(0, Math.floor(list.length / 2)), list.slice(Math.floor(list.length / 2))];
const pct = (n: number) => `${n >= 0 ? '+' : ''}${(n * 100).toFixed(0)} %`;
const minutes = (i: SoakInterval) => i.endSecond / 60;

function tableCheck(s: SoakResults, table: keyof TableRows, name: string, why: string): Check {
  // Settled: after warm-up, and after the first notes (and audit events) could have aged out and been purged.
  const { endReasonTtlMs, auditRetentionMs = 0, purgeIntervalMs } = s.settings.engine;
  const settleSecond = (Math.max(endReasonTtlMs, auditRetentionMs) + purgeIntervalMs) / 1000;
  const settled = s.intervals.slice(s.warmupIntervals).filter((i) => i.endSecond - s.settings.intervalSeconds >= settleSecond);
  const [first, second] = halves(settled.map((i) => i.rows[table]));
  const rows = s.intervals.map((i) => i.rows[table].toLocaleString('en')).join(' → ');
  if (first.length === 0) return { what: `${name} bounded`, ok: null, detail: `too short to tell (${rows})` };
  const growth = Math.max(...second) / Math.max(1, ...first);
  return {
    what: `${name} bounded`, ok: growth <= TABLE_GROWTH,
    detail: `peak of the later half ÷ the earlier half of the settled run: ${growth.toFixed(2)} (at most ${TABLE_GROWTH}); rows: ${rows}${growth > TABLE_GROWTH ? `. ${why}` : ''}`,
  };
}

export function soakChecks(s: SoakResults): Check[] {
  const post = s.intervals.slice(s.warmupIntervals);
  const errors = s.intervals.reduce((n, i) => n + i.errors, 0);
  const checks: Check[] = [{ what: 'No errors', ok: errors === 0, detail: `${errors} errors${s.errorSamples.length ? `; first: ${s.errorSamples.slice(0, 3).join(' / ')}` : ''}` }];
  checks.push(...post[0]!.rssMiB.map((_, p): Check => {
    const first = post[0]!.rssMiB[p]!;
    const last = post[post.length - 1]!.rssMiB[p]!;
    const perMinute = slope(post.map((i) => ({ x: minutes(i), y: i.rssMiB[p]! })));
    return {
      what: `Process ${p + 1}: RSS flat after warm-up`, ok: (last - first) / first <= RSS_GROWTH,
      detail: `${first.toFixed(0)} → ${last.toFixed(0)} MiB (${pct((last - first) / first)}, at most ${pct(RSS_GROWTH)}); trend ${perMinute.toFixed(1)} MiB/min`,
    };
  }));
  const [early, late] = halves(post);
  if (early.length === 0) {
    checks.push({ what: 'Latency flat after warm-up', ok: null, detail: 'too short to tell' });
  } else {
    const at = (list: SoakInterval[], key: 'p50Ms' | 'p99Ms') => median(list.map((i) => i[key]));
    const p50 = at(late, 'p50Ms') / at(early, 'p50Ms');
    const p99 = at(late, 'p99Ms') / at(early, 'p99Ms');
    checks.push({
      what: 'Latency flat after warm-up', ok: p50 <= LATENCY_GROWTH.p50 && p99 <= LATENCY_GROWTH.p99,
      detail: `later ÷ earlier half (medians of the intervals): p50 ${ms(at(late, 'p50Ms'))} ÷ ${ms(at(early, 'p50Ms'))} ms = ${p50.toFixed(2)} ` +
        `(at most ${LATENCY_GROWTH.p50}), p99 ${ms(at(late, 'p99Ms'))} ÷ ${ms(at(early, 'p99Ms'))} ms = ${p99.toFixed(2)} (at most ${LATENCY_GROWTH.p99})`,
    });
  }
  checks.push(tableCheck(s, 'ended', '`EndedSessions`', 'The purge should delete notes older than `endReasonTtlMs`.'));
  checks.push(tableCheck(s, 'audit', '`SessionAuditEvents`', 'The purge should delete audit events older than `auditRetentionMs`.'));
  const purged = s.intervals.reduce((n, i) => n + (i.ended.expired ?? 0), 0);
  checks.push({
    what: 'Expired sessions purged', ok: s.settings.expiringShare > 0 ? purged > 0 : null,
    detail: `${purged.toLocaleString('en')} sessions purged (per interval: ${s.intervals.map((i) => i.ended.expired ?? 0).join(', ')})`,
  });
  return checks;
}

/** PostgreSQL's checkpoints begun, autovacuum/autoanalyze runs finished and WAL written in the interval. */
const serverCell = ({ server }: SoakInterval) => (server ? `${server.checkpoints} / ${server.autovacuums} / ${server.walMiB.toFixed(0)} MiB` : '—');

const result = (ok: boolean | null, tiny: boolean) => (tiny ? `(tiny run: ${ok === null ? '—' : ok ? 'ok' : 'not ok'})` : ok === null ? '—' : ok ? 'met' : '**missed**');

export function soakMarkdown(s: SoakResults | undefined, href: (chart: ChartName) => string, tiny: boolean): string[] {
  const lines = ['## Soak', ''];
  if (!s) {
    return [...lines, `2 app processes, mixed traffic at a steady rate over a 1M-session table for 10 minutes: ${toBeMeasured(COMMANDS.soak)}.`, ''];
  }
  const c = s.settings;
  const e = c.engine;
  const w = c.weights;
  lines.push(`${generatedLine(s)}, on ${machineLine(s)}.`, '');
  lines.push(`${c.processes} app processes (the demo app, \`bench/app-server.ts\`, each its own Node.js process with a pool of 10 connections) ` +
    `on one PostgreSQL, ${c.sessions.toLocaleString('en')} sessions of ${c.users.toLocaleString('en')} users at the start ` +
    `(${(c.expiringShare * 100).toFixed(0)} % of them expiring during the run). Traffic (\`bench/traffic.ts\`, open loop, in the bench's own process) ` +
    `at ${c.rate} requests/s for ${c.minutes} min: ${(w.login * 100).toFixed(0)} % site logins (\`POST /login\`, users 1–${c.loginUsers.toLocaleString('en')}; ` +
    `${((1 - c.keepShare) * 100).toFixed(0)} % of the new sessions are abandoned and expire), ${(w.me * 100).toFixed(0)} % authenticated requests ` +
    `(\`GET /me\`) with the live cookies, ${(w.logout * 100).toFixed(0)} % logouts (\`POST /logout\`, ending all of the user's sessions); ` +
    `and every ${c.adminEnding.everySeconds} s an admin ends the sessions of ${c.adminEnding.users} random users with the bulk action. ` +
    `Engine options: \`sessionTtlMs: ${e.sessionTtlMs}\`, \`endReasonTtlMs: ${e.endReasonTtlMs}\`, \`purgeIntervalMs: ${e.purgeIntervalMs}\`, ` +
    `\`lastSeenIntervalMs: ${e.lastSeenIntervalMs}\`, \`audit: true\`. The first ${s.warmupIntervals} interval(s) of ${c.intervalSeconds} s are warm-up.`, '');
  lines.push('Every session the generator ends (by a newer login of the same user, a logout or the admin) is then probed once with ' +
    '`GET /me` on the *other* process (`probe`): it must be refused there. An error is a failed connection, an unexpected status, a ' +
    'wrong user, a request not sent because too many were pending, an ended session still served, a failed background purge, or a ' +
    '401 for a session the generator had not ended itself (it tracks the logins, logouts and admin endings it sends, and never ' +
    'reuses a cookie left idle for its lifetime).', '');
  lines.push('| Check | Result | Detail |', '|---|---|---|');
  for (const check of soakChecks(s)) lines.push(`| ${check.what} | ${result(check.ok, tiny)} | ${check.detail} |`);
  lines.push('');
  lines.push(`![Soak latency](${href('soakLatency')})`, '', `![Soak memory](${href('soakMemory')})`, '');
  lines.push('Per minute below, the last column is what PostgreSQL did on its own in that minute (`pg_stat_bgwriter`, `pg_stat_user_tables`, ' +
    'the WAL position): checkpoints begun, autovacuum and autoanalyze runs finished, WAL written. After a checkpoint begins, the first ' +
    'change of each page writes the whole page to the WAL; an autovacuum of a million-row table reads and writes it for a while.', '');
  const processes = s.intervals[0]!.rssMiB.map((_, p) => `${p + 1}`).join(' / ');
  lines.push(`| Minute | Requests | p50 | p99 | max | Errors | 401s of ended sessions | RSS, processes ${processes} (MiB) | CPU: apps / generator / machine (cores) | ` +
    'Sessions | UserSessions | EndedSessions | SessionAuditEvents | Ended: replaced / revoked / logout / expired | PostgreSQL: checkpoints / autovacuums / WAL |',
  '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  const label = minuteLabel(c.intervalSeconds % 60 === 0);
  for (const i of s.intervals) {
    const ended = ['replaced', 'revoked', 'logout', 'expired'].map((k) => (i.ended[k] ?? 0).toLocaleString('en')).join(' / ');
    const seen = Object.values(i.endedSeen).reduce((a, b) => a + b, 0);
    lines.push(`| ${label(minutes(i))} | ${i.requests.toLocaleString('en')} | ${ms(i.p50Ms)} ms | ${ms(i.p99Ms)} ms | ${ms(i.maxMs)} ms | ` +
      `${i.errors} | ${seen} | ${i.rssMiB.map((r) => r.toFixed(0)).join(' / ')} | ` +
      `${i.appCpu.map((c) => c.toFixed(2)).join(' + ')} / ${i.generatorCpu.toFixed(2)} / ${i.machineCpu.toFixed(2)} | ` +
      `${i.rows.sessions.toLocaleString('en')} | ${i.rows.links.toLocaleString('en')} | ${i.rows.ended.toLocaleString('en')} | ${i.rows.audit.toLocaleString('en')} | ${ended} | ${serverCell(i)} |`);
  }
  lines.push('', 'After warm-up, per kind of request:', '', '| Request | Count | p50 | p99 |', '|---|---|---|---|');
  for (const kind of KINDS) {
    const k = s.perKind[kind];
    lines.push(`| ${kind} | ${k.count.toLocaleString('en')} | ${ms(k.p50Ms)} ms | ${ms(k.p99Ms)} ms |`);
  }
  lines.push('');
  if (s.errorSamples.length) lines.push('Errors (first ones):', '', ...s.errorSamples.map((e) => `- ${e.replace(/\|/g, '\\|')}`), '');
  return lines;
}
