/**
 * `tsx bench/write-costs.ts [--size N] [--rounds N]` — what issue 14's changes cost or save on the write side,
 * measured as the CPU time of the PostgreSQL backend that runs each statement (read from /proc, so PostgreSQL must
 * run on this machine): unlike wall time, it does not count waiting for a CPU, so it stays comparable on a busy box.
 * Each variant runs in a transaction that is rolled back, on the same rows, interleaved in a shuffled order.
 *
 * - The bulk ending of `--users` users (P4's statement): the bare DELETE with its cascade; the shipped statement
 *   (plus end-reason notes and per-user counts); the same with the notes as the former upsert under a unique index;
 *   the same without notes.
 * - A login's two rows (session and link) and a touch (the link's last-seen time), with the Sessions page's indexes
 *   (migration 20261130000000) and without them.
 *
 * Works in a database of its own on the DATABASE_URL server (dropped at the end). Figures go to bench/notes.md by hand.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { connect, createDatabase, dropDatabases, requireDatabaseUrl } from './db.js';
import { fill } from './fill.js';
import { median, seededRandom, shuffle } from './stats.js';

const { values } = parseArgs({ options: { size: { type: 'string', default: '1000000' }, rounds: { type: 'string', default: '7' }, users: { type: 'string', default: '2000' } } });
const [size, rounds, users] = [Number(values.size), Number(values.rounds), Number(values.users)];

const NOTE = `INSERT INTO "EndedSessions" (sid, "userId", reason, "endedAt") SELECT sid, "userId", 'revoked', now() FROM gone WHERE live`;
const GONE = `gone AS (DELETE FROM "Sessions" s USING "UserSessions" us WHERE us.sid = s.sid AND us."userId" = ANY($1::int[]) AND s.sid <> ''
  RETURNING s.sid, us."userId"::text AS "userId", (s.expires IS NULL OR s.expires > now()) AS live)`;
const COUNTS = `SELECT "userId", count(*) AS sessions FROM gone WHERE live GROUP BY "userId"`;
const PAGE_INDEXES = 'user_sessions_last_seen_at, user_sessions_created_at, user_sessions_ip, user_sessions_browser_trgm';

interface Variant {
  /** Run first, in the transaction, unmeasured. */
  setup?: string[];
  /** The measured work. */
  run: (client: pg.Client) => Promise<unknown>;
}

const endings = (ids: number[]): Record<string, Variant> => ({
  'bare DELETE with its cascade': { run: (c) => c.query(`DELETE FROM "Sessions" s USING "UserSessions" us WHERE us.sid = s.sid AND us."userId" = ANY($1::int[])`, [ids]) },
  'shipped: notes as plain inserts (hash index on sid)': { run: (c) => c.query(`WITH ${GONE}, noted AS (${NOTE}) ${COUNTS}`, [ids]) },
  'former: notes as an upsert (unique index on sid)': {
    setup: ['DROP INDEX ended_sessions_sid', 'ALTER TABLE "EndedSessions" ADD PRIMARY KEY (sid)'],
    run: (c) => c.query(`WITH ${GONE}, noted AS (${NOTE} ON CONFLICT (sid) DO UPDATE SET reason = EXCLUDED.reason, "endedAt" = EXCLUDED."endedAt") ${COUNTS}`, [ids]),
  },
  'without notes (counts only)': { run: (c) => c.query(`WITH ${GONE} ${COUNTS}`, [ids]) },
});

async function loginRows(c: pg.Client, n: number, tag: string): Promise<void> {
  for (let i = 0; i < n; i++) {
    const sid = `write-cost-${tag}-${i}`;
    await c.query(`INSERT INTO "Sessions" (sid, expires, data, "createdAt", "updatedAt") VALUES ($1, now() + interval '1 day', '{}', now(), now())`, [sid]);
    await c.query(
      `INSERT INTO "UserSessions" (sid, "userId", "createdAt", "lastSeenAt", ip, "userAgent", browser, os) VALUES ($1, $2, now(), now(), $3,
       'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0', 'Firefox 121', 'Linux')`,
      [sid, 1 + ((i * 7919) % Math.max(1, Math.floor(size / 10))), `10.${i % 250}.${i % 249}.1`],
    );
  }
}

async function touches(c: pg.Client, sids: string[]): Promise<void> {
  for (const sid of sids) await c.query(`UPDATE "UserSessions" SET "lastSeenAt" = now() WHERE sid = $1`, [sid]);
}

/** Backend CPU milliseconds of each variant, `rounds` times, interleaved. */
async function measure(client: pg.Client, variants: Record<string, Variant>, random: () => number): Promise<Record<string, number[]>> {
  const { rows: [{ pid }] } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  const tick = 1000 / 100; // USER_HZ is 100 on Linux
  const cpu = () => {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * tick;
  };
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  for (let round = 0; round < rounds; round++) {
    for (const name of shuffle(Object.keys(variants), random)) {
      await client.query('BEGIN');
      for (const sql of variants[name]!.setup ?? []) await client.query(sql);
      const start = cpu();
      await variants[name]!.run(client);
      times[name]!.push(cpu() - start);
      await client.query('ROLLBACK');
      await client.query('VACUUM "EndedSessions"'); // the rolled-back notes would otherwise bloat its indexes
    }
  }
  return times;
}

/** A Markdown table of `names` (the first is the yardstick), medians divided by `per`. */
function table(title: string, times: Record<string, number[]>, names: string[], per = 1, unit = 'ms'): string {
  const first = median(times[names[0]!]!);
  const lines = [title, '', `| Variant | Median (${unit}) | ÷ first | Runs (ms) |`, '|---|---|---|---|'];
  for (const name of names) {
    const runs = times[name]!;
    lines.push(`| ${name} | ${(median(runs) / per).toFixed(0)} | ${(median(runs) / first).toFixed(2)} | ${runs.join(' ')} |`);
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const baseUrl = requireDatabaseUrl();
  const name = 'single_session_bench_write_costs';
  const url = await createDatabase(baseUrl, name);
  const sequelize = connect(url);
  const client = new pg.Client({ connectionString: url });
  try {
    console.log(`Filling ${size.toLocaleString('en')} sessions…`);
    await fill(sequelize, { sessions: size, users: Math.floor(size / 10) }, () => undefined);
    await client.connect();
    const random = seededRandom(7);
    const ids = Array.from({ length: users }, (_, i) => i + 1);
    const ended = await measure(client, endings(ids), random);
    console.log(table(`\nEnding ${users.toLocaleString('en')} users' sessions (${rounds} rounds, backend CPU per statement):`, ended, Object.keys(ended)));
    const n = 2000;
    const { rows } = await client.query<{ sid: string }>(`SELECT sid FROM "UserSessions" ORDER BY md5(sid) LIMIT $1`, [n]);
    const sids = rows.map((r) => r.sid);
    const without = [`DROP INDEX ${PAGE_INDEXES}`];
    const writes = await measure(client, {
      'login rows, without the Sessions page\'s indexes': { setup: without, run: (c) => loginRows(c, n, 'without') },
      'login rows, with them': { run: (c) => loginRows(c, n, 'with') },
      'touches, without the Sessions page\'s indexes': { setup: without, run: (c) => touches(c, sids) },
      'touches, with them': { run: (c) => touches(c, sids) },
    }, random);
    const [loginsWithout, loginsWith, touchesWithout, touchesWith] = Object.keys(writes);
    const per = n / 1000;
    console.log(table(`\nA login's two rows (session, link), ${n.toLocaleString('en')} per run:`, writes, [loginsWithout!, loginsWith!], per, 'ms per 1,000'));
    console.log(table(`\nTouches (the link's last-seen time), ${n.toLocaleString('en')} per run:`, writes, [touchesWithout!, touchesWith!], per, 'ms per 1,000'));
  } finally {
    await client.end().catch(() => undefined);
    await sequelize.close();
    await dropDatabases(baseUrl, [name]);
  }
}

main().then(() => process.exit(0), (err) => {
  console.error(err);
  process.exit(1);
});
