/**
 * P7: the sessions dashboard's data at the largest size — `GET /admin/api/dashboard` over HTTP against the demo app
 * (its AdminJS mounts `sessionsDashboard`; bench/admin.ts), logged in as an admin, on an engine with `audit: true`. The
 * audit trail first gets a full day: one sign-in row per live session (every session of the fill was created within
 * the last 24 hours) and endings of every reason (about a third as many); 1 % of the sessions have expired and wait
 * for the purge, as between two purges. The first request (the engine has kept no hour yet: the whole day is
 * aggregated) and the median of the others (the hours that are over kept) are reported; every answer is checked
 * against exact SQL counts. Runs last: it writes audit rows and expires sessions.
 */
import { defineUser } from '../../example/db/users.js';
import { createSingleSession, type SessionStatistics } from '../../src/index.js';
import { serveDemoAdmin } from '../admin.js';
import type { BenchDb } from '../context.js';
import { expectStatus } from '../http.js';
import type { Progress } from '../progress.js';
import type { Profile } from '../profile.js';
import { median, timed } from '../stats.js';

export interface DashboardResults {
  /** Live sessions and signed-in users the dashboard reported (checked against a join of every session). */
  activeSessions: number;
  signedInUsers: number;
  /** Audit rows in the last 24 hours, and the sign-ins and endings among them as the dashboard summed them. */
  auditRows: number;
  signIns: number;
  ended: number;
  /** Whether the browser/device shares came from a sample (above 50,000 links). */
  sampled: boolean;
  coldMs: number;
  runs: number[];
  medianMs: number;
}

const SAMPLES: Record<Profile['name'], number> = { full: 11, tiny: 3 };

export async function dashboardScenario(db: BenchDb, profile: Profile, progress: Progress): Promise<DashboardResults> {
  const { sequelize } = db;
  const setup = progress.phase(`P7 a day of audit rows, 1 % expired, at ${db.label}`, 3);
  await fillAuditDay(db);
  setup.tick();
  await sequelize.query(`UPDATE "Sessions" SET expires = now() - interval '1 minute' WHERE sid IN (SELECT sid FROM "Sessions" TABLESAMPLE BERNOULLI (1))`);
  await sequelize.query('VACUUM ANALYZE "Sessions", "UserSessions", "SessionAuditEvents"');
  setup.tick();

  const singleSession = await createSingleSession({ sequelize, userModel: defineUser(sequelize), audit: true, purgeIntervalMs: false });
  const demo = await serveDemoAdmin(db, singleSession);
  try {
    const { client } = demo;
    // After the admin's login (its session and sign-in count too); nothing is written while sampling.
    const expected = await exactFigures(db);
    setup.done(`${expected.auditRows.toLocaleString('en')} audit rows, ${expected.sessions.toLocaleString('en')} live sessions`);
    const samples = SAMPLES[profile.name];
    const phase = progress.phase(`P7 GET /admin/api/dashboard at ${db.label}`, samples + 1);
    let figures: Omit<DashboardResults, 'coldMs' | 'runs' | 'medianMs' | 'auditRows'> | undefined;
    const sample = async () => {
      let body = '';
      const ms = await timed(async () => { body = expectStatus(await client.send('GET', '/admin/api/dashboard'), 200, 'P7 dashboard').text; });
      figures = check(JSON.parse(body), expected);
      phase.tick();
      return ms;
    };
    const coldMs = await sample();
    const runs: number[] = [];
    for (let i = 0; i < samples; i++) runs.push(await sample());
    const medianMs = median(runs);
    phase.done(`${medianMs.toFixed(0)} ms (median of ${samples}), first ${coldMs.toFixed(0)} ms`);
    return { ...figures!, auditRows: expected.auditRows, coldMs, runs, medianMs };
  } finally {
    await demo.close();
    singleSession.close();
  }
}

/** One sign-in per live session at its creation time, and endings of every reason spread over the day. */
async function fillAuditDay({ sequelize, plan }: BenchDb): Promise<void> {
  await sequelize.query(
    `INSERT INTO "SessionAuditEvents" (at, reason, "actorId", "userIds", "sessionCount")
     SELECT "createdAt", 'login', "userId"::text, jsonb_build_array("userId"::text), 1 FROM "UserSessions"`,
  );
  await sequelize.query(
    `INSERT INTO "SessionAuditEvents" (at, reason, "actorId", "userIds", "sessionCount")
     SELECT now() - (g % 86400) * interval '1 second', (ARRAY['replaced', 'revoked', 'logout', 'expired', 'limit'])[g % 5 + 1],
            NULL, jsonb_build_array(((g - 1) % $users::int + 1)::text), 1 + g % 3
     FROM generate_series(1, $rows::int) g`,
    { bind: { users: plan.users, rows: Math.ceil(plan.sessions / 3) } },
  );
}

interface Expected { sessions: number; users: number; auditRows: number; signIns: number; ended: number }

/** The figures the straightforward way (a join of every session: seconds at 1M, never timed). */
async function exactFigures({ sequelize }: BenchDb): Promise<Expected> {
  const [[live], [audit]] = await Promise.all([
    sequelize.query(`SELECT count(*)::int AS sessions, count(DISTINCT us."userId")::int AS users
      FROM "UserSessions" us JOIN "Sessions" s ON s.sid = us.sid WHERE s.expires IS NULL OR s.expires > now()`),
    sequelize.query(`SELECT count(*)::int AS rows, count(*) FILTER (WHERE reason = 'login')::int AS "signIns",
      coalesce(sum("sessionCount") FILTER (WHERE reason <> 'login'), 0)::int AS ended
      FROM "SessionAuditEvents" WHERE at >= date_trunc('hour', now()) - interval '23 hours'`),
  ]);
  const l = (live as Array<{ sessions: number; users: number }>)[0]!;
  const a = (audit as Array<{ rows: number; signIns: number; ended: number }>)[0]!;
  return { sessions: l.sessions, users: l.users, auditRows: a.rows, signIns: a.signIns, ended: a.ended };
}

/** The answer must match the exact figures (nothing was written meanwhile), or the bench measures nothing. */
function check(answer: { allowed?: boolean; statistics?: SessionStatistics }, expected: Expected) {
  const s = answer.statistics;
  if (!answer.allowed || !s?.hours) throw new Error(`P7: the dashboard answered no statistics: ${JSON.stringify(answer).slice(0, 300)}`);
  const signIns = s.hours.reduce((n, h) => n + h.signIns, 0);
  const ended = s.hours.reduce((n, h) => n + Object.values(h.ended).reduce((a, b) => a + b, 0), 0);
  const got = { sessions: s.activeSessions, users: s.signedInUsers, signIns, ended };
  const want = { sessions: expected.sessions, users: expected.users, signIns: expected.signIns, ended: expected.ended };
  if (JSON.stringify(got) !== JSON.stringify(want)) throw new Error(`P7: the dashboard said ${JSON.stringify(got)}, the database ${JSON.stringify(want)}`);
  return { activeSessions: got.sessions, signedInUsers: got.users, signIns, ended, sampled: s.shareBasis.sampled };
}
