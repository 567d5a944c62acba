/** The capacity run's section of BENCHMARKS.md. */
import { COMMANDS, generatedLine, machineLine, ms, toBeMeasured } from './format.js';
import type { CapacityKind, CapacityPoint, CapacityResults } from './scenarios/capacity.js';

const cores = (n: number) => n.toFixed(2);
const share = (part: number, whole: number) => `${whole > 0 ? ((part / whole) * 100).toFixed(0) : '—'} %`;

export function capacityMarkdown(c: CapacityResults | undefined): string[] {
  const lines = ['## Capacity', ''];
  if (!c) return [...lines, `Logins/s and authenticated requests/s with 1, 2 and 4 app processes on one PostgreSQL: ${toBeMeasured(COMMANDS.capacity)}.`, ''];
  const s = c.settings;
  const point = (processes: number, kind: CapacityKind) => c.points.find((p) => p.processes === processes && p.kind === kind)!;
  lines.push(`${generatedLine(c)}, on ${machineLine(c)}.`, '');
  lines.push(`The demo app (\`bench/app-server.ts\`) in ${s.processes.join(', ')} processes on the one local PostgreSQL, over a table of ` +
    `${s.sessions.toLocaleString('en')} sessions of ${s.users.toLocaleString('en')} users. Load: autocannon in the bench's own process, ` +
    `${s.connections} connections split evenly over the processes, ${s.seconds} s per round after a warm-up of its own, ${s.rounds} round(s) ` +
    'per case in a shuffled order; medians over rounds. Every answer must be a 200. *Logins*: `POST /login` (JSON) by ' +
    `${s.loginUsers.toLocaleString('en')} users in turn who had all logged in before, so each login ends exactly one session (the steady state ` +
    'of a single-session site); passwords are bcrypt hashes of cost 4 (bcryptjs) — a production cost of 10–12 adds tens of milliseconds ' +
    'of CPU per login, which would then be the limit. *Authenticated requests*: `GET /me` (the session with its link, then the user ' +
    `by primary key) with the cookies of ${s.cookies.toLocaleString('en')} other logged-in users in turn.`, '');
  lines.push('| App processes | Logins/s | Login p50 / p99 | Authenticated req/s | Authenticated p50 / p99 |', '|---|---|---|---|---|');
  for (const n of s.processes) {
    const [login, auth] = [point(n, 'login'), point(n, 'auth')];
    lines.push(`| ${n} | **${login.rps.toFixed(0)}** (${login.rounds.map((r) => r.toFixed(0)).join(', ')}) | ${ms(login.p50Ms)} / ${ms(login.p99Ms)} ms | ` +
      `**${auth.rps.toFixed(0)}** (${auth.rounds.map((r) => r.toFixed(0)).join(', ')}) | ${ms(auth.p50Ms)} / ${ms(auth.p99Ms)} ms |`);
  }
  lines.push('');
  lines.push(`Where the CPU went (cores in use, of the machine's ${s.cores}; medians over rounds). The machine is shared by PostgreSQL, the app ` +
    'processes and the load generator; "rest" is the machine\'s busy time minus generator and apps: PostgreSQL, and anything else ' +
    'running on the machine at the time.', '');
  lines.push('| Case | Generator | App processes | Rest (PostgreSQL, other) | Machine busy | Generator share of the busy time | CPU ms per request: apps / rest |',
    '|---|---|---|---|---|---|---|');
  const row = (p: CapacityPoint) => {
    const rest = Math.max(0, p.cpu.machine - p.cpu.generator - p.cpu.apps);
    const perRequest = (used: number) => ((used * 1000) / p.rps).toFixed(2);
    return `| ${p.processes} × ${p.kind === 'login' ? 'logins' : 'authenticated'} | ${cores(p.cpu.generator)} | ${cores(p.cpu.apps)} | ` +
      `${cores(rest)} | ${cores(p.cpu.machine)} | ${share(p.cpu.generator, p.cpu.machine)} | ${perRequest(p.cpu.apps)} / ${perRequest(rest)} |`;
  };
  for (const p of c.points) lines.push(row(p));
  lines.push('');
  if (c.storage?.length) {
    const bytes = (name: string) => c.storage.find((t) => t.table === name)?.bytes ?? 0;
    const perSession = (bytes('Sessions') + bytes('UserSessions')) / s.sessions;
    lines.push(`Storage right after the fill (\`pg_total_relation_size\`: table, indexes and TOAST): **${perSession.toFixed(0)} bytes per live ` +
      'session** for `Sessions` and `UserSessions` together (as filled: the session JSON, one user agent string, the indexes).', '');
    lines.push('| Table | Rows | Size |', '|---|---|---|');
    for (const t of c.storage) lines.push(`| \`${t.table}\` | ${t.rows.toLocaleString('en')} | ${(t.bytes / 2 ** 20).toFixed(1)} MiB |`);
    lines.push('');
  }
  return lines;
}
