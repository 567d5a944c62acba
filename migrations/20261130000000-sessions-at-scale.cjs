'use strict';
/**
 * The Sessions page and bulk endings at a million sessions (issue 14).
 *
 * - UserSessions("lastSeenAt", id) and UserSessions("createdAt", id): the Sessions page's sort orders (last seen,
 *   the default; signed in; the handle breaks ties) and its date filters read the first rows of an index instead of
 *   sorting every live session.
 * - UserSessions(ip): the page's IP filter matches from the start of the address (`LIKE '10.1.%'`); on PostgreSQL
 *   with `varchar_pattern_ops`, which serves such a LIKE in any collation.
 * - PostgreSQL with the pg_trgm extension (installed, or available and creatable by this role): a trigram index on
 *   UserSessions.browser for the page's browser filter (it finds the text anywhere: `LIKE '%…%'`, which no b-tree
 *   serves). Without the extension that filter still works, by reading the table (fast for a common browser).
 * - PostgreSQL: EndedSessions trades its primary key for a hash index on sid. A bulk ending writes one note per
 *   ended session; the unique index made each note an `INSERT … ON CONFLICT` (a speculative insertion and a deeper
 *   b-tree), about a third of the ending's cost at 100,000 sessions. A note is written only by the statement that
 *   deleted its session, so two notes of one sid can only come from a reused sid; the newest one is read.
 *
 * - MariaDB: the same b-trees (a plain one on ip: its LIKE 'prefix%' uses it in the column's collation); no trigram
 *   index (its browser filter reads the table); EndedSessions trades its primary key for a plain index on sid, for
 *   the same reason as on PostgreSQL (notes are plain inserts; a reused sid must not fail an ending).
 *
 * Idempotent (every step checks what exists). `CREATE INDEX` blocks writes to UserSessions while it runs (about a
 * second per index per million sessions, measured on 2 cores). Undoing it drops these indexes and gives EndedSessions
 * its primary key back (keeping the newest note of a sid); it leaves the pg_trgm extension installed, which other
 * tables may use.
 */

const LINKS = 'UserSessions';
const ENDED = 'EndedSessions';
const BTREES = { user_sessions_last_seen_at: ['lastSeenAt', 'id'], user_sessions_created_at: ['createdAt', 'id'] };
const IP_INDEX = 'user_sessions_ip';
const TRIGRAMS = { user_sessions_browser_trgm: 'browser' };
const NOTE_INDEX = 'ended_sessions_sid';

async function indexExists(queryInterface, table, name) {
  const indexes = await queryInterface.showIndex(table);
  return indexes.some((index) => index.name === name);
}

/** The schema holding pg_trgm, installing it first if this role may; null when it cannot be had. */
async function trigramSchema(sequelize) {
  // A PL/pgSQL block catches the failure in a subtransaction, so a migration run inside a transaction survives it.
  await sequelize.query(`DO $$ BEGIN
      IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') THEN CREATE EXTENSION IF NOT EXISTS pg_trgm; END IF;
    EXCEPTION WHEN OTHERS THEN RAISE NOTICE 'pg_trgm not installed: %', SQLERRM;
    END $$`);
  const [rows] = await sequelize.query(
    `SELECT n.nspname AS schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'`,
  );
  return rows[0] ? rows[0].schema : null;
}

/**
 * MariaDB: whether the table has a primary key. A SELECT says it is one (`type: SELECT`): as a raw query, Sequelize 6
 * deletes the driver's `meta` from the result, which mariadb 3.x's result array refuses ("Cannot delete property
 * 'meta'").
 */
async function hasPrimaryKey(sequelize, table) {
  const keys = await sequelize.query(
    `SELECT 1 FROM information_schema.TABLE_CONSTRAINTS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND CONSTRAINT_TYPE = 'PRIMARY KEY'`,
    { replacements: [table], type: sequelize.QueryTypes.SELECT },
  );
  return keys.length > 0;
}

const quoted = (name) => `"${name.replace(/"/g, '""')}"`;

module.exports = {
  async up(queryInterface) {
    const { sequelize } = queryInterface;
    const postgres = sequelize.getDialect() === 'postgres';
    for (const [name, columns] of Object.entries(BTREES)) {
      if (!(await indexExists(queryInterface, LINKS, name))) await queryInterface.addIndex(LINKS, columns, { name });
    }
    if (!(await indexExists(queryInterface, LINKS, IP_INDEX))) {
      await queryInterface.addIndex(LINKS, [postgres ? { name: 'ip', operator: 'varchar_pattern_ops' } : 'ip'], { name: IP_INDEX });
    }
    if (!postgres) {
      if (await hasPrimaryKey(sequelize, ENDED)) await sequelize.query(`ALTER TABLE \`${ENDED}\` DROP PRIMARY KEY`);
      if (!(await indexExists(queryInterface, ENDED, NOTE_INDEX))) await queryInterface.addIndex(ENDED, ['sid'], { name: NOTE_INDEX });
      return;
    }

    const schema = await trigramSchema(sequelize);
    if (schema === null) {
      console.warn('adminjs-single-session migration: the pg_trgm extension is not available to this role; the Sessions page filters browsers without an index.');
    } else {
      for (const [name, column] of Object.entries(TRIGRAMS)) {
        await sequelize.query(`CREATE INDEX IF NOT EXISTS ${name} ON "${LINKS}" USING gin (${column} ${quoted(schema)}.gin_trgm_ops)`);
      }
    }

    const [keys] = await sequelize.query(`SELECT conname AS name FROM pg_constraint WHERE conrelid = '"${ENDED}"'::regclass AND contype = 'p'`);
    if (keys[0]) await sequelize.query(`ALTER TABLE "${ENDED}" DROP CONSTRAINT ${quoted(keys[0].name)}`);
    await sequelize.query(`CREATE INDEX IF NOT EXISTS ${NOTE_INDEX} ON "${ENDED}" USING hash (sid)`);
  },

  async down(queryInterface) {
    const { sequelize } = queryInterface;
    if (sequelize.getDialect() === 'postgres') {
      const [keys] = await sequelize.query(`SELECT 1 FROM pg_constraint WHERE conrelid = '"${ENDED}"'::regclass AND contype = 'p'`);
      if (!keys[0]) {
        await sequelize.query(`DELETE FROM "${ENDED}" a USING "${ENDED}" b WHERE a.sid = b.sid AND (a."endedAt", a.ctid) < (b."endedAt", b.ctid)`);
        await sequelize.query(`ALTER TABLE "${ENDED}" ADD PRIMARY KEY (sid)`);
      }
      await sequelize.query(`DROP INDEX IF EXISTS ${NOTE_INDEX}`);
      for (const name of Object.keys(TRIGRAMS)) await sequelize.query(`DROP INDEX IF EXISTS ${name}`);
    } else if (!(await hasPrimaryKey(sequelize, ENDED))) {
      // Keep the newest note of a sid (IGNORE keeps one of two notes of the same millisecond), then the key can come back.
      await sequelize.query(`DELETE a FROM \`${ENDED}\` a JOIN \`${ENDED}\` b ON a.sid = b.sid AND a.\`endedAt\` < b.\`endedAt\``);
      await sequelize.query(`ALTER IGNORE TABLE \`${ENDED}\` ADD PRIMARY KEY (sid)`);
      if (await indexExists(queryInterface, ENDED, NOTE_INDEX)) await queryInterface.removeIndex(ENDED, NOTE_INDEX);
    }
    for (const name of [...Object.keys(BTREES), IP_INDEX]) {
      if (await indexExists(queryInterface, LINKS, name)) await queryInterface.removeIndex(LINKS, name);
    }
  },
};
