'use strict';
/**
 * All of the package's migrations as one sequelize-cli migration, configured once:
 *
 *   // migrations/20261208000000-adminjs-single-session.cjs (written by `npx adminjs-single-session migration`)
 *   module.exports = require('adminjs-single-session/migration')({ userTable: 'accounts' });
 *
 * `up` checks everything that could make it fail before it changes anything, then runs the package's migrations in
 * order (each one is idempotent, so a database that already has some of them, under the five re-exported files of
 * earlier versions, is safe); `down` undoes them in reverse (a Sessions table that existed before is kept, rows and
 * all). sequelize-cli records this file once, under its own name: a later version that adds a migration says in
 * its CHANGELOG how to add that step.
 */
const fs = require('fs');
const path = require('path');
const { preCheck } = require('./checks.cjs');

const folder = path.join(__dirname, '..');
const steps = () => fs.readdirSync(folder).filter((name) => name.endsWith('.cjs')).sort();

/** The one-step migration for `options` (`userTable`: the host's user table, default "Users"). */
module.exports = function singleSessionMigration(options = {}) {
  if (options === null || typeof options !== 'object') {
    throw new Error('adminjs-single-session/migration: call it with options, e.g. require(\'adminjs-single-session/migration\')({ userTable: \'accounts\' })');
  }
  const known = ['userTable'];
  const unknown = Object.keys(options).find((key) => !known.includes(key));
  if (unknown) throw new Error(`adminjs-single-session/migration: unknown option \`${unknown}\`. Known options: ${known.join(', ')}.`);
  return {
    async up(queryInterface, Sequelize) {
      await preCheck(queryInterface, options);
      for (const name of steps()) await require(path.join(folder, name)).up(queryInterface, Sequelize, options);
    },
    async down(queryInterface, Sequelize) {
      for (const name of steps().reverse()) await require(path.join(folder, name)).down(queryInterface, Sequelize, options);
    },
  };
};
