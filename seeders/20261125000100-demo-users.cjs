'use strict';
/**
 * The demo users (sequelize-cli seeder; `npm start` runs it too when the Users table is empty).
 * Every password is `password`, hashed with bcrypt (cost 10). Running it again changes nothing.
 */
const bcrypt = require('bcryptjs');

const USERS = [
  { email: 'admin@example.com', isAdmin: true, permissions: [] },
  { email: 'manager@example.com', isAdmin: false, permissions: ['single_session.logout', 'single_session.logout_all'] },
  { email: 'staff@example.com', isAdmin: false, permissions: ['single_session.logout'] },
  { email: 'alice@example.com', isAdmin: false, permissions: [] },
  { email: 'bob@example.com', isAdmin: false, permissions: [] },
];

module.exports = {
  USERS,
  async up(queryInterface) {
    const now = new Date();
    const rows = await Promise.all(USERS.map(async (user) => ({
      ...user,
      // JSONB through bulkInsert needs the JSON text; Sequelize would send a JS array as a Postgres array.
      permissions: JSON.stringify(user.permissions),
      passwordHash: await bcrypt.hash('password', 10),
      createdAt: now,
      updatedAt: now,
    })));
    await queryInterface.bulkInsert('Users', rows, { ignoreDuplicates: true });
  },
  async down(queryInterface, Sequelize) {
    await queryInterface.bulkDelete('Users', { email: { [Sequelize.Op.in]: USERS.map((u) => u.email) } });
  },
};
