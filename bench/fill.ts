/**
 * Fills a bench database quickly with set-based SQL (INSERT … SELECT generate_series): users, then sessions and
 * their links in chunks (for the progress display), then VACUUM ANALYZE so the planner knows the sizes.
 *
 * Shape: `sessions / users` live sessions per user (10 at every size), spread over the heap the way real logins
 * interleave (session g belongs to user (g - 1) % users + 1), random-looking 32-character sids like
 * express-session's, and session data as our store writes it (cookie + the user id key). Login metadata as the
 * Sessions page shows it: about 62,000 distinct IP addresses, four browser/OS pairs in equal shares.
 * With `expiring`, that share of the sessions expires during the next `withinSeconds` (evenly spread), for the
 * soak's purge; the rest expire in a day or two.
 */
import bcrypt from 'bcryptjs';
import type { Sequelize } from 'sequelize';
import { migrateDemo } from '../example/db/schema.js';
import { USER_KEY } from '../src/index.js';

export interface FillPlan {
  users: number;
  sessions: number;
  expiring?: { share: number; withinSeconds: number };
}

/** Browser, OS and user agent of filled sessions, in equal shares (index g % 4). */
const DEVICES = [
  ['Chrome 120', 'Windows 10', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36'],
  ['Firefox 121', 'Linux', 'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0'],
  ['Safari 17', 'macOS 14.2', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15'],
  ['Edge 120', 'Windows 10', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 Edg/120.0'],
] as const;
const sqlArray = (values: readonly string[]) => `ARRAY[${values.map((v) => `'${v}'`).join(', ')}]`;
const device = (column: 0 | 1 | 2) => `(${sqlArray(DEVICES.map((d) => d[column]))})[g % ${DEVICES.length} + 1]`;

export const ADMIN_EMAIL = 'admin@bench.test';
export const PASSWORD = 'password';
const CHUNK = 100_000;

/** Number of statements fill() runs, for the progress bar: schema, users, 2 per chunk, vacuum. */
export const fillSteps = (plan: FillPlan) => 3 + 2 * Math.ceil(plan.sessions / CHUNK);

export async function fill(sequelize: Sequelize, plan: FillPlan, tick: () => void): Promise<{ adminId: number }> {
  await migrateDemo(sequelize);
  tick();
  const hash = await bcrypt.hash(PASSWORD, 4);
  const adminId = plan.users + 1;
  await sequelize.query(
    `INSERT INTO "Users" (id, email, "passwordHash", "isAdmin", permissions, "createdAt", "updatedAt")
     SELECT g, 'user' || g || '@bench.test', $hash, false, '[]'::jsonb, now(), now() FROM generate_series(1, $users::int) g
     UNION ALL
     SELECT $admin::int, $adminEmail, $hash, true, '["single_session.logout","single_session.logout_all"]'::jsonb, now(), now()`,
    { bind: { hash, users: plan.users, admin: adminId, adminEmail: ADMIN_EMAIL } },
  );
  await sequelize.query(`SELECT setval(pg_get_serial_sequence('"Users"', 'id'), $admin::int)`, { bind: { admin: adminId } });
  tick();
  // Every `every`-th session expires within `within` seconds (0: none does).
  const every = plan.expiring ? Math.max(1, Math.round(1 / plan.expiring.share)) : 0;
  const within = Math.max(1, Math.round(plan.expiring?.withinSeconds ?? 1));
  for (let from = 1; from <= plan.sessions; from += CHUNK) {
    const bind = { from, to: Math.min(plan.sessions, from + CHUNK - 1), users: plan.users, every, within };
    await sequelize.query(
      `INSERT INTO "Sessions" (sid, expires, data, "createdAt", "updatedAt")
       SELECT md5('bench' || g), e, json_build_object(
                'cookie', json_build_object('originalMaxAge', 86400000, 'expires', to_char(e AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                                            'httpOnly', true, 'path', '/', 'sameSite', 'lax'),
                '${USER_KEY}', ((g - 1) % $users::int + 1)::text)::text,
              c, c
       FROM generate_series($from::int, $to::int) g,
            LATERAL (SELECT now() - (g % 86400) * interval '1 second' AS c,
                            CASE WHEN $every::int > 0 AND g % $every::int = 0 THEN now() + (1 + (g / $every::int) % $within::int) * interval '1 second'
                                 ELSE now() + interval '1 day' + (g % 86400) * interval '1 second' END AS e) t`,
      { bind },
    );
    tick();
    await sequelize.query(
      `INSERT INTO "UserSessions" (sid, "userId", "createdAt", "lastSeenAt", ip, "userAgent", browser, os, device)
       SELECT md5('bench' || g), (g - 1) % $users::int + 1, now() - (g % 86400) * interval '1 second', now() - (g % 3600) * interval '1 second',
              '10.' || (g % 250) || '.' || (g % 249) || '.1', ${device(2)}, ${device(0)}, ${device(1)}, NULL
       FROM generate_series($from::int, $to::int) g`,
      { bind: { from: bind.from, to: bind.to, users: bind.users } },
    );
    tick();
  }
  await sequelize.query('VACUUM ANALYZE');
  tick();
  return { adminId };
}
