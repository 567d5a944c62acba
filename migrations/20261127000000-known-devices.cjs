'use strict';
/**
 * KnownDevices: the devices (browser + OS + device type, vendor and model — versions aside) each user has signed in
 * from, with when first and last seen. A login upserts its row in the login's own transaction, so the
 * `sessions:created` event can say whether this user was seen on that device before ("new sign-in to your account"
 * mails). Nothing is recorded with `metadata: false`; no IP address is kept here. Deleting a user deletes their rows.
 *
 * Like the other migrations: the user table by name (option `userTable`, else SINGLE_SESSION_USER_TABLE, else
 * "Users"), its key type copied; running it twice changes nothing; undoing it drops only this table.
 */

const DEVICES = 'KnownDevices';

module.exports = {
  async up(queryInterface, Sequelize, options = {}) {
    const tables = (await queryInterface.showAllTables()).map((t) => (typeof t === 'string' ? t : t.tableName));
    if (tables.includes(DEVICES)) return;
    const userTable = options.userTable || process.env.SINGLE_SESSION_USER_TABLE || 'Users';
    // The first migration checked that the user table exists and has a single-column key.
    const [keyName, key] = Object.entries(await queryInterface.describeTable(userTable)).find(([, c]) => c.primaryKey);
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
        references: { model: userTable, key: keyName },
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
