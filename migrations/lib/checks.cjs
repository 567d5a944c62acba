'use strict';
/**
 * What the package's migrations need to know about the host's database, read before they change anything: the user
 * table and the exact type of its key, and whether an existing `Sessions` table is one they can adopt. MariaDB's DDL
 * is not transactional (a migration that fails halfway leaves what it did), so every reason a migration could fail
 * is checked here first, with a message that says what to do.
 */

const SESSIONS = 'Sessions';
const PREFIX = 'adminjs-single-session migration';

/** The user table's name: the migration's option, else SINGLE_SESSION_USER_TABLE, else "Users". */
function userTableOf(options = {}) {
  return options.userTable || process.env.SINGLE_SESSION_USER_TABLE || 'Users';
}

async function tableNames(queryInterface) {
  return (await queryInterface.showAllTables()).map((t) => (typeof t === 'string' ? t : t.tableName));
}

/** A SELECT's rows (said to be a SELECT: mariadb 3.x's result array refuses the `delete meta` of a raw query). */
function select(queryInterface, sql, replacements) {
  const { sequelize } = queryInterface;
  return sequelize.query(sql, { replacements, type: sequelize.QueryTypes.SELECT });
}

/**
 * The user key: its column name and the SQL type a column referencing it must have — the very same type and, for
 * text, the same character set and collation (MariaDB refuses a foreign key otherwise: errno 150; Sequelize's
 * DataTypes.UUID is `CHAR(36) BINARY`, collation utf8mb4_bin). Throws before anything changed when there is none.
 */
async function userKey(queryInterface, userTable) {
  if (!(await tableNames(queryInterface)).includes(userTable)) {
    throw new Error(
      `${PREFIX}: the user table "${userTable}" does not exist. Create your users table first, or tell the migration its ` +
        'name: `npx adminjs-single-session migration --user-table MyUsers` (one file for your migrations folder), ' +
        'migrate({ sequelize, userTable: "MyUsers" }), or SINGLE_SESSION_USER_TABLE=MyUsers for the re-exported files.',
    );
  }
  const columns = await queryInterface.describeTable(userTable);
  const keys = Object.entries(columns).filter(([, c]) => c.primaryKey);
  if (keys.length !== 1) {
    throw new Error(`${PREFIX}: the user table "${userTable}" has no single-column primary key to reference.`);
  }
  const [name] = keys[0];
  if (queryInterface.sequelize.getDialect() === 'postgres') {
    const [column] = await select(queryInterface,
      `SELECT format_type(a.atttypid, a.atttypmod) AS type, CASE WHEN a.attcollation <> t.typcollation THEN c.collname END AS collation
       FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid LEFT JOIN pg_collation c ON c.oid = a.attcollation
       WHERE a.attrelid = to_regclass(:table) AND a.attname = :name`,
      { table: queryInterface.quoteIdentifier(userTable), name });
    // serial/bigserial keys are integer/bigint columns with a default: the link is the plain type.
    return { name, type: column.collation ? `${column.type} COLLATE "${column.collation.replace(/"/g, '""')}"` : column.type };
  }
  const [column] = await select(queryInterface,
    `SELECT c.COLUMN_TYPE AS type, c.CHARACTER_SET_NAME AS charset, c.COLLATION_NAME AS collation, t.ENGINE AS engine
     FROM information_schema.COLUMNS c JOIN information_schema.TABLES t ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME
     WHERE c.TABLE_SCHEMA = DATABASE() AND c.TABLE_NAME = :table AND c.COLUMN_NAME = :name`,
    { table: userTable, name });
  if (String(column.engine).toLowerCase() !== 'innodb') {
    throw new Error(
      `${PREFIX}: the user table "${userTable}" uses the ${column.engine} engine, which has no foreign keys; UserSessions ` +
        `references it. Convert it first: ALTER TABLE \`${userTable}\` ENGINE=InnoDB.`,
    );
  }
  const type = column.type.toUpperCase();
  return { name, type: column.charset ? `${type} CHARACTER SET ${column.charset} COLLATE ${column.collation}` : type };
}

/**
 * An existing `Sessions` table is adopted only if it is connect-session-sequelize's layout (sid its primary key,
 * expires and data); anything else is refused before any change.
 */
async function checkExistingSessions(queryInterface) {
  if (!(await tableNames(queryInterface)).includes(SESSIONS)) return;
  const columns = await queryInterface.describeTable(SESSIONS);
  const missing = ['sid', 'expires', 'data'].filter((c) => !columns[c]);
  const keys = Object.keys(columns).filter((c) => columns[c].primaryKey);
  if (missing.length > 0 || keys.join() !== 'sid') {
    throw new Error(
      `${PREFIX}: a table "${SESSIONS}" exists but is not connect-session-sequelize's (` +
        `${missing.length ? `no column ${missing.join(', ')}` : `its primary key is (${keys.join(', ')}), not (sid)`}). ` +
        'The package keeps its sessions in that table: rename yours (ALTER TABLE … RENAME) and run the migration again.',
    );
  }
}

/** Everything the first migration checks before it changes anything; returns the user table and its key. */
async function preCheck(queryInterface, options) {
  const userTable = userTableOf(options);
  const key = await userKey(queryInterface, userTable);
  await checkExistingSessions(queryInterface);
  return { userTable, key };
}

module.exports = { preCheck, select, tableNames, userKey, userTableOf };
