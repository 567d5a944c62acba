'use strict';
/**
 * The read-only view "ActiveSessions" behind the AdminJS "Sessions" resource (sessionsResource()): the live
 * sessions with their login metadata. It has no `sid` column on purpose: a sid is a bearer secret and must never
 * reach a browser; sessions are named by the public handle UserSessions.id.
 *
 * CREATE OR REPLACE makes running it twice harmless; undoing it drops only the view. (Undoing the base migration
 * drops the tables with CASCADE, which takes this view with them if it is still there.)
 */

const VIEW = 'ActiveSessions';

module.exports = {
  async up(queryInterface) {
    // Identifiers quoted the database's way; MariaDB's NOW() is to the second, NOW(3) to the millisecond like now().
    const q = (name) => queryInterface.quoteIdentifier(name);
    const clock = queryInterface.sequelize.getDialect() === 'postgres' ? 'now()' : 'NOW(3)';
    await queryInterface.sequelize.query(`
      CREATE OR REPLACE VIEW ${q(VIEW)} AS
      SELECT us.id, us.${q('userId')}, us.${q('createdAt')}, us.${q('lastSeenAt')}, us.ip, us.${q('userAgent')}, us.browser, us.os, us.device, s.expires
      FROM ${q('UserSessions')} us JOIN ${q('Sessions')} s ON s.sid = us.sid
      WHERE s.expires IS NULL OR s.expires > ${clock}`);
  },

  async down(queryInterface) {
    await queryInterface.sequelize.query(`DROP VIEW IF EXISTS ${queryInterface.quoteIdentifier(VIEW)}`);
  },
};
