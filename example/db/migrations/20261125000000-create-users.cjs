'use strict';
/** The demo's users table (a host app has its own). Runs before the package's migration, which references it. */
module.exports = {
  async up(queryInterface, Sequelize) {
    const tables = (await queryInterface.showAllTables()).map((t) => (typeof t === 'string' ? t : t.tableName));
    if (tables.includes('Users')) return;
    const now = Sequelize.literal('CURRENT_TIMESTAMP');
    await queryInterface.createTable('Users', {
      id: { type: Sequelize.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
      email: { type: Sequelize.STRING(255), allowNull: false, unique: true },
      passwordHash: { type: Sequelize.STRING(255), allowNull: false },
      isAdmin: { type: Sequelize.BOOLEAN, allowNull: false, defaultValue: false },
      // JSONB on PostgreSQL; MariaDB's JSON (a checked LONGTEXT) has no default value, the model always sets one.
      permissions: queryInterface.sequelize.getDialect() === 'postgres'
        ? { type: Sequelize.JSONB, allowNull: false, defaultValue: [] }
        : { type: Sequelize.JSON, allowNull: false },
      createdAt: { type: Sequelize.DATE, allowNull: false, defaultValue: now },
      updatedAt: { type: Sequelize.DATE, allowNull: false, defaultValue: now },
    });
  },
  async down(queryInterface) {
    await queryInterface.dropTable('Users', { cascade: true });
  },
};
