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
    await queryInterface.sequelize.query(`
      CREATE OR REPLACE VIEW "${VIEW}" AS
      SELECT us.id, us."userId", us."createdAt", us."lastSeenAt", us.ip, us."userAgent", us.browser, us.os, us.device, s.expires
      FROM "UserSessions" us JOIN "Sessions" s ON s.sid = us.sid
      WHERE s.expires IS NULL OR s.expires > now()`);
  },

  async down(queryInterface) {
    await queryInterface.sequelize.query(`DROP VIEW IF EXISTS "${VIEW}"`);
  },
};
