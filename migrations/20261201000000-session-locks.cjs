'use strict';
/**
 * SessionLocks (MariaDB and MySQL only): one row per user who ever signed in, which every login of that user locks
 * inside its transaction (`INSERT … ON DUPLICATE KEY UPDATE` takes the row's exclusive lock, creating it the first
 * time). That is the per-user serialization PostgreSQL gets from `pg_advisory_xact_lock`.
 *
 * Why a row and not MariaDB's `GET_LOCK()`: a named lock belongs to the connection, not to the transaction. It
 * survives ROLLBACK, so a login that failed between GET_LOCK and RELEASE_LOCK would hand a locked connection back
 * to the pool, and the next user of that connection would "hold" a lock it never asked for. A row lock is released
 * by COMMIT or ROLLBACK, and by the server when the connection dies: it cannot leak.
 *
 * The key is the user id as text (the registry's canonical form), so it needs no foreign key to the host's table and
 * works for every key type; a deleted user's row is harmless (a few bytes) and is reused if the id comes back.
 * On PostgreSQL this migration does nothing. Running it twice changes nothing; undoing it drops the table.
 */

const LOCKS = 'SessionLocks';

module.exports = {
  async up(queryInterface, Sequelize) {
    if (queryInterface.sequelize.getDialect() === 'postgres') return;
    const tables = (await queryInterface.showAllTables()).map((t) => (typeof t === 'string' ? t : t.tableName));
    if (tables.includes(LOCKS)) return;
    await queryInterface.createTable(LOCKS, {
      // Compared byte for byte: user ids are case-sensitive text (a text key `Ann` is not `ann`).
      userId: { type: Sequelize.STRING(255).BINARY, primaryKey: true, allowNull: false },
    });
  },

  async down(queryInterface) {
    if (queryInterface.sequelize.getDialect() === 'postgres') return;
    await queryInterface.dropTable(LOCKS);
  },
};
