'use strict';
/**
 * The demo's "account disabled" flag (a host app has its own notion of it): a user with `disabled = true` cannot
 * sign in, and setting it ends the user's sessions (the engine's `isActive` option, example/db/users.ts). Not part
 * of the demo contract's Users columns: defaulted, so every other writer of the table is unaffected.
 */
module.exports = {
  async up(queryInterface, Sequelize) {
    const columns = await queryInterface.describeTable('Users');
    if (columns.disabled) return;
    await queryInterface.addColumn('Users', 'disabled', { type: Sequelize.BOOLEAN, allowNull: false, defaultValue: false });
  },
  async down(queryInterface) {
    const columns = await queryInterface.describeTable('Users');
    if (columns.disabled) await queryInterface.removeColumn('Users', 'disabled');
  },
};
