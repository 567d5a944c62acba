'use strict';
/**
 * KnownDevices: the devices (browser + OS + device type, vendor and model — versions aside) each user has signed in
 * from, with when first and last seen. A login upserts its row in the login's own transaction, so the
 * `sessions:created` event can say whether this user was seen on that device before ("new sign-in to your account"
 * mails). Nothing is recorded with `metadata: false`; no IP address is kept here. Deleting a user deletes their rows.
 *
 * Like the other migrations: the user table by name (option `userTable`, else SINGLE_SESSION_USER_TABLE, else
 * "Users"), its key's exact type copied; running it twice changes nothing; undoing it drops only this table.
 */

const { tableNames, userKey, userTableOf } = require('./lib/checks.cjs');

const DEVICES = 'KnownDevices';

module.exports = {
  async up(queryInterface, Sequelize, options = {}) {
    if ((await tableNames(queryInterface)).includes(DEVICES)) return;
    const userTable = userTableOf(options);
    // The key's exact type, character set and collation, as for UserSessions.userId.
    const key = await userKey(queryInterface, userTable);
    const part = { type: Sequelize.STRING(100), allowNull: false, defaultValue: '', primaryKey: true };
    // MariaDB: DATETIME(3) as in the first migration.
    const postgres = queryInterface.sequelize.getDialect() === 'postgres';
    const date = postgres ? Sequelize.DATE : Sequelize.DATE(3);
    const now = Sequelize.literal(postgres ? 'CURRENT_TIMESTAMP' : 'CURRENT_TIMESTAMP(3)');
    await queryInterface.createTable(DEVICES, {
      userId: {
        type: key.type,
        allowNull: false,
        primaryKey: true,
        references: { model: userTable, key: key.name },
        onDelete: 'CASCADE',
        onUpdate: 'CASCADE',
      },
      // Unknown parts are '' (not NULL), so that the four columns can be the key.
      browser: part,
      os: part,
      device: part,
      firstSeenAt: { type: date, allowNull: false, defaultValue: now },
      lastSeenAt: { type: date, allowNull: false, defaultValue: now },
    });
  },

  async down(queryInterface) {
    await queryInterface.dropTable(DEVICES);
  },
};
