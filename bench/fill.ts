/**
 * Fills a bench database quickly with set-based SQL (INSERT … SELECT generate_series): users, then sessions and
 * their links in chunks (for the progress display), then VACUUM ANALYZE so the planner knows the sizes.
 *
 * Shape: `sessions / users` live sessions per user (10 at every size), spread over the heap the way real logins
 * interleave (session g belongs to user (g - 1) % users + 1), random-looking 32-character sids like
 * express-session's, and session data as our store writes it (cookie + the user id key).
 */
import bcrypt from 'bcryptjs';
import type { Sequelize } from 'sequelize';
import { migrateDemo } from '../example/db/schema.js';
import { USER_KEY } from '../src/index.js';

export interface FillPlan {
  users: number;
  sessions: number;
}

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
  for (let from = 1; from <= plan.sessions; from += CHUNK) {
    const bind = { from, to: Math.min(plan.sessions, from + CHUNK - 1), users: plan.users };
    await sequelize.query(
      `INSERT INTO "Sessions" (sid, expires, data, "createdAt", "updatedAt")
       SELECT md5('bench' || g), e, json_build_object(
                'cookie', json_build_object('originalMaxAge', 86400000, 'expires', to_char(e AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                                            'httpOnly', true, 'path', '/', 'sameSite', 'lax'),
                '${USER_KEY}', ((g - 1) % $users::int + 1)::text)::text,
              c, c
       FROM generate_series($from::int, $to::int) g,
            LATERAL (SELECT now() - (g % 86400) * interval '1 second' AS c, now() + interval '1 day' + (g % 86400) * interval '1 second' AS e) t`,
      { bind },
    );
    tick();
    await sequelize.query(
      `INSERT INTO "UserSessions" (sid, "userId", "createdAt", "lastSeenAt", ip, "userAgent", browser, os, device)
       SELECT md5('bench' || g), (g - 1) % $users::int + 1, now() - (g % 86400) * interval '1 second', now() - (g % 3600) * interval '1 second',
              '10.' || (g % 250) || '.' || (g % 249) || '.1',
              'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
              'Chrome 120', 'Linux', NULL
       FROM generate_series($from::int, $to::int) g`,
      { bind },
    );
    tick();
  }
  await sequelize.query('VACUUM ANALYZE');
  tick();
  return { adminId };
}
