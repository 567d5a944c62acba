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
 * UserSessions.userId is copied from its primary key, so integer, bigint, UUID and text keys all work.
 * Every step checks what exists first, so running it twice, or on a half-migrated database, is safe.
 *
 * PostgreSQL and MariaDB get the same tables; where their types differ it is said below (`types`).
 */

const SESSIONS = 'Sessions';
const LINKS = 'UserSessions';
const ENDED = 'EndedSessions';
const AUDIT = 'SessionAuditEvents';

async function userKey(queryInterface, userTable) {
  const tables = (await queryInterface.showAllTables()).map((t) => (typeof t === 'string' ? t : t.tableName));
  if (!tables.includes(userTable)) {
    throw new Error(
      `adminjs-single-session migration: the user table "${userTable}" does not exist. Create your users table first, ` +
        'or tell the migration its name: migrate({ sequelize, userTable: "MyUsers" }) or SINGLE_SESSION_USER_TABLE=MyUsers for sequelize-cli.',
    );
  }
  const columns = await queryInterface.describeTable(userTable);
  const keys = Object.entries(columns).filter(([, c]) => c.primaryKey);
  if (keys.length !== 1) {
    throw new Error(`adminjs-single-session migration: the user table "${userTable}" has no single-column primary key to reference.`);
  }
  const [name, column] = keys[0];
  return { name, type: column.type };
}

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

module.exports = {
  async up(queryInterface, Sequelize, options = {}) {
    const userTable = options.userTable || process.env.SINGLE_SESSION_USER_TABLE || 'Users';
    const key = await userKey(queryInterface, userTable);
    const tables = (await queryInterface.showAllTables()).map((t) => (typeof t === 'string' ? t : t.tableName));
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
    // Dropping Sessions logs everybody out; that is what undoing this migration means.
    for (const table of [AUDIT, ENDED, LINKS, SESSIONS]) {
      await queryInterface.dropTable(table, { cascade: true });
    }
  },
};
