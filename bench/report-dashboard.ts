/** P7, the sessions dashboard's data (issue 17): its figure and its section of BENCHMARKS.md. */
import { COMMANDS, ms, toBeMeasured } from './format.js';
import type { BenchResults, Figure } from './report-core.js';

/** A dashboard that answers within a second at the largest size. */
export const DASHBOARD_TARGET_MS = 1000;

const what = (large: string, auditRows?: number) =>
  `Sessions dashboard's data over HTTP at ${large} sessions${auditRows === undefined ? '' : `, ${auditRows.toLocaleString('en')} audit rows in 24 h`}`;

export function dashboardFigures(r: BenchResults, large: string): Figure[] {
  const d = r.dashboard;
  if (!d) return [{ id: 'P7', what: what(large), measured: toBeMeasured(COMMANDS.main), target: `≤ ${DASHBOARD_TARGET_MS} ms`, met: null }];
  return [{
    id: 'P7', what: what(large, d.auditRows),
    measured: `**${ms(d.medianMs)} ms** (first request, nothing kept: ${ms(d.coldMs)} ms)`, target: `≤ ${DASHBOARD_TARGET_MS} ms`, met: d.medianMs <= DASHBOARD_TARGET_MS,
  }];
}

export function dashboardSection(r: BenchResults): string[] {
  const d = r.dashboard;
  if (!d) return [];
  const large = r.sizes[r.sizes.length - 1]!.label;
  return [`**P7.** \`GET /admin/api/dashboard\` over HTTP against the demo's AdminJS (\`sessionsDashboard\`, engine with \`audit: true\`), ` +
    `logged in as an admin, at ${large} sessions with 1 % of them expired and not yet purged, after a day of audit rows ` +
    `(one sign-in per live session, a third as many endings of every reason): ${d.activeSessions.toLocaleString('en')} live sessions of ` +
    `${d.signedInUsers.toLocaleString('en')} users, ${d.signIns.toLocaleString('en')} sign-ins and ${d.ended.toLocaleString('en')} ended sessions ` +
    `in the last 24 hours, browser and device shares ${d.sampled ? 'from a sample' : 'counted over every session'}. Every answer is ` +
    `checked against a join of every session (not timed). First request (the engine has nothing kept) ${ms(d.coldMs)} ms; then, ` +
    `with the hours that are over kept, ${d.runs.map((n) => `${ms(n)} ms`).join(', ')} (median ${ms(d.medianMs)} ms). The straightforward ` +
    'join alone takes seconds at 1M sessions; the dashboard counts links (an index-only scan) minus the expired ones (found by the ' +
    '`expires` index), samples the shares, and aggregates only the audit rows of the hours it has not kept.', ''];
}
