'use strict';
/**
 * adminjs-single-session schema, for sequelize-cli (`npx sequelize-cli db:migrate`) and for the programmatic
 * `migrate({ sequelize })` (umzug over this same file, sharing the SequelizeMeta table).
 *
 * - Sessions: the connect-session-sequelize layout (sid, expires, data, timestamps) plus an index on expires, so
 *   purging expired sessions is an index range scan. An existing connect-session-sequelize table is kept as it is.
 * - UserSessions: which user a session belongs to, with the login's metadata. Deleting a Sessions row deletes its
 *   link (ON DELETE CASCADE); deleting a user deletes their links, which logs those sessions out.
 * - EndedSessions: why a session ended (replaced / revoked), kept briefly so the next request can be told.
 * - SessionAuditEvents: optional audit trail of every ending of sessions.
 *
 * The user table is found by name (option `userTable`, else SINGLE_SESSION_USER_TABLE, else "Users"); the type of
 * UserSessions.userId is its primary key's exact type (with its character set and collation), so integer, bigint,
 * UUID and text keys in any collation all work. What could make it fail is checked before anything changes
 * (lib/checks.cjs). Every step checks what exists first, so running it twice, or on a half-migrated database, is safe.
 * Undoing it drops the package's tables; a Sessions table that existed before is kept with its rows, as it was.
 *
 * PostgreSQL and MariaDB get the same tables; where their types differ it is said below (`types`).
 */

const { preCheck, select, tableNames } = require('./lib/checks.cjs');

const SESSIONS = 'Sessions';
const LINKS = 'UserSessions';
const ENDED = 'EndedSessions';
const AUDIT = 'SessionAuditEvents';

/**
 * The column types that differ by database. MariaDB: DATETIME(3), since its plain DATETIME drops the milliseconds the
 * sessions' order and deadlines use; session ids compared byte for byte (a case-insensitive collation would let
 * `abc` find `ABC`); session data up to 16 MB (MEDIUMTEXT), not TEXT's 64 KB; JSON instead of JSONB.
 */
function types(Sequelize, dialect) {
  if (dialect === 'postgres') {
    return { date: Sequelize.DATE, now: Sequelize.literal('CURRENT_TIMESTAMP'), sid: Sequelize.STRING(255), data: Sequelize.TEXT, json: Sequelize.JSONB };
  }
  return {
    date: Sequelize.DATE(3),
    now: Sequelize.literal('CURRENT_TIMESTAMP(3)'),
    sid: Sequelize.STRING(255).BINARY,
    data: Sequelize.TEXT('medium'),
    json: Sequelize.JSON,
  };
}

async function indexExists(queryInterface, table, name) {
  const indexes = await queryInterface.showIndex(table);
  return indexes.some((index) => index.name === name);
}

/** The mark left on a Sessions table that existed before the first run (its comment, as JSON). */
const MARK = 'adminjs-single-session:kept';

/**
 * Records, in the existing Sessions table's comment, that it was there before and what it was: its comment and, on
 * MariaDB, the definitions of the columns this migration changes.
 */
async function rememberExisting(queryInterface) {
  const { sequelize } = queryInterface;
  if (sequelize.getDialect() === 'postgres') {
    const [{ comment }] = await select(queryInterface, `SELECT obj_description(to_regclass('"${SESSIONS}"'), 'pg_class') AS comment`);
    if (comment && comment.includes(MARK)) return;
    await sequelize.query(`COMMENT ON TABLE "${SESSIONS}" IS ${sequelize.escape(JSON.stringify({ [MARK]: true, comment }))}`);
    return;
  }
  const [{ comment }] = await select(queryInterface,
    `SELECT TABLE_COMMENT AS comment FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = :table`, { table: SESSIONS });
  if (comment.includes(MARK)) return;
  const columns = await select(queryInterface,
    `SELECT COLUMN_NAME AS name, CONCAT(COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)),
            IF(IS_NULLABLE = 'YES', ' NULL', ' NOT NULL')) AS definition
     FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = :table AND COLUMN_NAME IN ('sid', 'expires', 'data')`,
    { table: SESSIONS });
  const mark = JSON.stringify({ [MARK]: true, comment: comment || null, columns });
  // MariaDB's table comments hold 2,048 characters: three column definitions fit easily.
  await sequelize.query(`ALTER TABLE \`${SESSIONS}\` COMMENT = ${sequelize.escape(mark)}`);
}

/** What rememberExisting recorded, or null for a table this migration created. */
async function remembered(queryInterface) {
  const postgres = queryInterface.sequelize.getDialect() === 'postgres';
  const [row] = await select(queryInterface, postgres
    ? `SELECT obj_description(to_regclass('"${SESSIONS}"'), 'pg_class') AS comment`
    : `SELECT TABLE_COMMENT AS comment FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '${SESSIONS}'`);
  if (!row || !row.comment || !row.comment.includes(MARK)) return null;
  return JSON.parse(row.comment);
}

module.exports = {
  async up(queryInterface, Sequelize, options = {}) {
    const { userTable, key } = await preCheck(queryInterface, options);
    const tables = await tableNames(queryInterface);
    const dialect = queryInterface.sequelize.getDialect();
    const { date, now, sid, data, json } = types(Sequelize, dialect);

    if (!tables.includes(SESSIONS)) {
      await queryInterface.createTable(SESSIONS, {
        sid: { type: sid, primaryKey: true, allowNull: false },
        expires: { type: date, allowNull: true },
        data: { type: data, allowNull: true },
        createdAt: { type: date, allowNull: false, defaultValue: now },
        updatedAt: { type: date, allowNull: false, defaultValue: now },
      });
    } else if (!tables.includes(LINKS)) {
      // First run on an existing table: remember what it was, so that undoing restores it (and keeps its rows).
      await rememberExisting(queryInterface);
    }
    if (tables.includes(SESSIONS) && dialect !== 'postgres' && !tables.includes(LINKS)) {
      // MariaDB: an existing connect-session-sequelize table (sid VARCHAR(36) in the database's collation, DATETIME
      // expiry, TEXT data) gets this migration's column types, which UserSessions' foreign key needs (same type and
      // collation on both sides) and the deadlines' milliseconds need. Its rows are kept.
      await queryInterface.sequelize.query(
        `ALTER TABLE \`${SESSIONS}\` MODIFY sid VARCHAR(255) BINARY NOT NULL, MODIFY expires DATETIME(3) NULL, MODIFY data MEDIUMTEXT NULL`,
      );
    }
    if (!(await indexExists(queryInterface, SESSIONS, 'sessions_expires'))) {
      await queryInterface.addIndex(SESSIONS, ['expires'], { name: 'sessions_expires' });
    }

    if (!tables.includes(LINKS)) {
      await queryInterface.createTable(LINKS, {
        sid: {
          type: sid,
          primaryKey: true,
          allowNull: false,
          references: { model: SESSIONS, key: 'sid' },
          onDelete: 'CASCADE',
          onUpdate: 'CASCADE',
        },
        userId: {
          type: key.type,
          allowNull: false,
          references: { model: userTable, key: key.name },
          onDelete: 'CASCADE',
          onUpdate: 'CASCADE',
        },
        // A public handle for a session: admins list and end sessions by it, never by the sid (a bearer secret).
        id: { type: Sequelize.BIGINT, autoIncrement: true, allowNull: false, unique: true },
        createdAt: { type: date, allowNull: false, defaultValue: now },
        lastSeenAt: { type: date, allowNull: false, defaultValue: now },
        ip: { type: Sequelize.STRING(64), allowNull: true },
        userAgent: { type: Sequelize.STRING(512), allowNull: true },
        browser: { type: Sequelize.STRING(100), allowNull: true },
        os: { type: Sequelize.STRING(100), allowNull: true },
        device: { type: Sequelize.STRING(100), allowNull: true },
      });
    }
    if (!(await indexExists(queryInterface, LINKS, 'user_sessions_user_id'))) {
      await queryInterface.addIndex(LINKS, ['userId'], { name: 'user_sessions_user_id' });
    }

    if (!tables.includes(ENDED)) {
      await queryInterface.createTable(ENDED, {
        sid: { type: sid, primaryKey: true, allowNull: false },
        userId: { type: Sequelize.STRING(255), allowNull: true },
        reason: { type: Sequelize.STRING(16), allowNull: false },
        endedAt: { type: date, allowNull: false, defaultValue: now },
      });
    }
    // Unlogged: these notes are hints kept for an hour, written by the hundred thousand when an administrator ends
    // many sessions at once; WAL for them costs a third of that statement. A crash empties the table, which only
    // means a kicked browser is told "not logged in" instead of why. The sessions themselves stay deleted.
    // (MariaDB has no unlogged tables; there the notes cost what any row costs.)
    if (dialect === 'postgres') await queryInterface.sequelize.query(`ALTER TABLE "${ENDED}" SET UNLOGGED`);
    if (!(await indexExists(queryInterface, ENDED, 'ended_sessions_ended_at'))) {
      await queryInterface.addIndex(ENDED, ['endedAt'], { name: 'ended_sessions_ended_at' });
    }

    if (!tables.includes(AUDIT)) {
      await queryInterface.createTable(AUDIT, {
        id: { type: Sequelize.BIGINT, primaryKey: true, autoIncrement: true, allowNull: false },
        at: { type: date, allowNull: false, defaultValue: now },
        reason: { type: Sequelize.STRING(16), allowNull: false },
        actorId: { type: Sequelize.STRING(255), allowNull: true },
        userIds: { type: json, allowNull: false },
        sessionCount: { type: Sequelize.INTEGER, allowNull: false },
      });
    }
    if (!(await indexExists(queryInterface, AUDIT, 'session_audit_events_at'))) {
      await queryInterface.addIndex(AUDIT, ['at'], { name: 'session_audit_events_at' });
    }
  },

  async down(queryInterface) {
    // Dropping the package's Sessions table logs everybody out; that is what undoing this migration means. A table
    // that was there before goes back to what it was, rows included (connect-session-sequelize can serve them again).
    for (const table of [AUDIT, ENDED, LINKS]) await queryInterface.dropTable(table, { cascade: true });
    const existing = await remembered(queryInterface);
    if (!existing) {
      await queryInterface.dropTable(SESSIONS, { cascade: true });
      return;
    }
    if (await indexExists(queryInterface, SESSIONS, 'sessions_expires')) await queryInterface.removeIndex(SESSIONS, 'sessions_expires');
    const { sequelize } = queryInterface;
    if (sequelize.getDialect() === 'postgres') {
      await sequelize.query(`COMMENT ON TABLE "${SESSIONS}" IS ${existing.comment === null ? 'NULL' : sequelize.escape(existing.comment)}`);
    } else {
      const columns = existing.columns.map((c) => `MODIFY \`${c.name}\` ${c.definition}`).join(', ');
      await sequelize.query(`ALTER TABLE \`${SESSIONS}\` ${columns}, COMMENT = ${sequelize.escape(existing.comment ?? '')}`);
    }
  },
};
