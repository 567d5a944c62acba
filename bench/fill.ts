/**
 * Fills a bench database quickly with set-based SQL: users, then sessions and their links in chunks (for the
 * progress display), then the planner's statistics. PostgreSQL numbers its rows with `generate_series` (and ends
 * with VACUUM ANALYZE); MariaDB with the SEQUENCE engine's `seq_<from>_to_<to>` tables (and ends with ANALYZE
 * TABLE). Both write the same rows: the same sids, users, times, session JSON and login metadata.
 *
 * Shape: `sessions / users` live sessions per user (10 at every size), spread over the heap the way real logins
 * interleave (session g belongs to user (g - 1) % users + 1), random-looking 32-character sids like
 * express-session's, and session data as our store writes it (cookie + the user id key). Login metadata as the
 * Sessions page shows it: about 62,000 distinct IP addresses, four browser/OS pairs in equal shares.
 * With `expiring`, that share of the sessions expires during the next `withinSeconds` (evenly spread), for the
 * soak's purge; the rest expire in a day or two.
 */
import bcrypt from 'bcryptjs';
import { QueryTypes, type Sequelize } from 'sequelize';
import { migrateDemo } from '../example/db/schema.js';
import { USER_KEY } from '../src/index.js';
import { isMariaDb, quoted } from './db.js';

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
const literals = (column: 0 | 1 | 2) => DEVICES.map((d) => `'${d[column]}'`).join(', ');

export const ADMIN_EMAIL = 'admin@bench.test';
export const PASSWORD = 'password';
const CHUNK = 100_000;

/**
 * Rows g = from..to of Sessions and UserSessions: sid md5(`sidPrefix` || g), owned by the user of the SQL
 * expression `user` (in terms of g). Every `every`-th session (0: none) expires within `within` seconds.
 */
interface SessionRows {
  from: number;
  to: number;
  sidPrefix: string;
  user: string;
  every: number;
  within: number;
}

/** The fill's statements in each dialect's spelling (the numbers are the bench's own integers, written inline). */
interface FillSql {
  users(users: number, admin: number): string;
  sessions(rows: SessionRows): string;
  links(rows: SessionRows): string;
  analyze: string[];
}

const PERMISSIONS = '["single_session.logout","single_session.logout_all"]';

const POSTGRES: FillSql = {
  users: (users, admin) => `INSERT INTO "Users" (id, email, "passwordHash", "isAdmin", permissions, "createdAt", "updatedAt")
     SELECT g, 'user' || g || '@bench.test', $hash, false, '[]'::jsonb, now(), now() FROM generate_series(1, ${users}) g
     UNION ALL
     SELECT ${admin}, $adminEmail, $hash, true, '${PERMISSIONS}'::jsonb, now(), now();
     SELECT setval(pg_get_serial_sequence('"Users"', 'id'), ${admin})`,
  sessions: (r) => `INSERT INTO "Sessions" (sid, expires, data, "createdAt", "updatedAt")
     SELECT md5('${r.sidPrefix}' || g), e, json_build_object(
              'cookie', json_build_object('originalMaxAge', 86400000, 'expires', to_char(e AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                                          'httpOnly', true, 'path', '/', 'sameSite', 'lax'),
              '${USER_KEY}', (${r.user})::text)::text,
            c, c
     FROM generate_series(${r.from}, ${r.to}) g,
          LATERAL (SELECT now() - (g % 86400) * interval '1 second' AS c,
                          CASE WHEN ${r.every} > 0 AND g % ${r.every || 1} = 0 THEN now() + (1 + (g / ${r.every || 1}) % ${r.within}) * interval '1 second'
                               ELSE now() + interval '1 day' + (g % 86400) * interval '1 second' END AS e) t`,
  links: (r) => `INSERT INTO "UserSessions" (sid, "userId", "createdAt", "lastSeenAt", ip, "userAgent", browser, os, device)
     SELECT md5('${r.sidPrefix}' || g), ${r.user}, now() - (g % 86400) * interval '1 second', now() - (g % 3600) * interval '1 second',
            '10.' || (g % 250) || '.' || (g % 249) || '.1', (ARRAY[${literals(2)}])[g % 4 + 1], (ARRAY[${literals(0)}])[g % 4 + 1],
            (ARRAY[${literals(1)}])[g % 4 + 1], NULL
     FROM generate_series(${r.from}, ${r.to}) g`,
  analyze: ['VACUUM ANALYZE'],
};

/** The same rows on MariaDB: CONCAT for ||, ELT for the arrays, JSON_OBJECT, DATETIME(3) arithmetic with INTERVAL. */
const MARIADB: FillSql = {
  users: (users, admin) => `INSERT INTO \`Users\` (id, email, \`passwordHash\`, \`isAdmin\`, permissions, \`createdAt\`, \`updatedAt\`)
     SELECT seq, CONCAT('user', seq, '@bench.test'), $hash, false, '[]', NOW(), NOW() FROM seq_1_to_${users}
     UNION ALL
     SELECT ${admin}, $adminEmail, $hash, true, '${PERMISSIONS}', NOW(), NOW()`,
  sessions: (r) => `INSERT INTO \`Sessions\` (sid, expires, data, \`createdAt\`, \`updatedAt\`)
     SELECT MD5(CONCAT('${r.sidPrefix}', g)), e, JSON_OBJECT(
              'cookie', JSON_OBJECT('originalMaxAge', 86400000, 'expires', CONCAT(DATE_FORMAT(e, '%Y-%m-%dT%H:%i:%s.'), LPAD(MICROSECOND(e) DIV 1000, 3, '0'), 'Z'),
                                    'httpOnly', true, 'path', '/', 'sameSite', 'lax'),
              '${USER_KEY}', CAST(${r.user} AS CHAR)),
            c, c
     FROM (SELECT seq AS g, NOW(3) - INTERVAL (seq % 86400) SECOND AS c,
                  CASE WHEN ${r.every} > 0 AND seq % ${r.every || 1} = 0 THEN NOW(3) + INTERVAL (1 + (seq DIV ${r.every || 1}) % ${r.within}) SECOND
                       ELSE NOW(3) + INTERVAL 1 DAY + INTERVAL (seq % 86400) SECOND END AS e
           FROM seq_${r.from}_to_${r.to}) t`,
  links: (r) => `INSERT INTO \`UserSessions\` (sid, \`userId\`, \`createdAt\`, \`lastSeenAt\`, ip, \`userAgent\`, browser, os, device)
     SELECT MD5(CONCAT('${r.sidPrefix}', g)), ${r.user}, NOW(3) - INTERVAL (g % 86400) SECOND, NOW(3) - INTERVAL (g % 3600) SECOND,
            CONCAT('10.', g % 250, '.', g % 249, '.1'), ELT(g % 4 + 1, ${literals(2)}), ELT(g % 4 + 1, ${literals(0)}),
            ELT(g % 4 + 1, ${literals(1)}), NULL
     FROM (SELECT seq AS g FROM seq_${r.from}_to_${r.to}) t`,
  analyze: ['ANALYZE TABLE `Users`, `Sessions`, `UserSessions`'],
};

const sqlOf = (sequelize: Sequelize) => (isMariaDb(sequelize) ? MARIADB : POSTGRES);
const run = (sequelize: Sequelize, sql: string, bind?: Record<string, unknown>) => sequelize.query(sql, { bind, type: QueryTypes.RAW });
/** The planner's statistics. MariaDB's ANALYZE TABLE answers rows: read as a SELECT's. */
const analyze = async (sequelize: Sequelize) => {
  for (const statement of sqlOf(sequelize).analyze) await sequelize.query(statement, { type: QueryTypes.SELECT });
};

/** Number of statements fill() runs, for the progress bar: schema, users, 2 per chunk, statistics. */
export const fillSteps = (plan: FillPlan) => 3 + 2 * Math.ceil(plan.sessions / CHUNK);

async function insertSessions(sequelize: Sequelize, rows: Omit<SessionRows, 'to'> & { count: number }, tick: () => void): Promise<void> {
  const sql = sqlOf(sequelize);
  for (let from = rows.from; from < rows.from + rows.count; from += CHUNK) {
    const chunk = { ...rows, from, to: Math.min(rows.from + rows.count - 1, from + CHUNK - 1) };
    await run(sequelize, sql.sessions(chunk));
    tick();
    await run(sequelize, sql.links(chunk));
    tick();
  }
}

export async function fill(sequelize: Sequelize, plan: FillPlan, tick: () => void): Promise<{ adminId: number }> {
  const sql = sqlOf(sequelize);
  await migrateDemo(sequelize);
  tick();
  const hash = await bcrypt.hash(PASSWORD, 4);
  const adminId = plan.users + 1;
  for (const statement of sql.users(plan.users, adminId).split(/;\n/)) await run(sequelize, statement, statement.includes('$hash') ? { hash, adminEmail: ADMIN_EMAIL } : undefined);
  tick();
  // Every `every`-th session expires within `within` seconds (0: none does).
  const every = plan.expiring ? Math.max(1, Math.round(1 / plan.expiring.share)) : 0;
  const within = Math.max(1, Math.round(plan.expiring?.withinSeconds ?? 1));
  await insertSessions(sequelize, { from: 1, count: plan.sessions, sidPrefix: 'bench', user: `((g - 1) % ${plan.users} + 1)`, every, within }, tick);
  await analyze(sequelize);
  tick();
  return { adminId };
}

/** `count` more live sessions of one user (for the statement counts: a user with many sessions), then the statistics again. */
export async function addSessions(sequelize: Sequelize, userId: number, count: number): Promise<void> {
  if (!Number.isInteger(userId) || !Number.isInteger(count) || count < 1) throw new Error(`addSessions(${userId}, ${count})`);
  await insertSessions(sequelize, { from: 1, count, sidPrefix: `extra-${userId}-`, user: String(userId), every: 0, within: 1 }, () => undefined);
  await analyze(sequelize);
}

