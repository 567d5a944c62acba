#!/usr/bin/env node
'use strict';
/**
 * `npx adminjs-single-session migration [--user-table accounts] [--dir migrations]`: writes the one migration file
 * the host's sequelize-cli needs (the user table given once, inside the file). The folder: --dir, else the
 * `migrations-path` of the project's .sequelizerc, else ./migrations.
 */
const fs = require('fs');
const path = require('path');

const USAGE = `Usage: npx adminjs-single-session migration [--user-table <table>] [--dir <migrations folder>]

Writes <timestamp>-adminjs-single-session.cjs into your sequelize-cli migrations folder: all of the package's tables
in one migration, referencing <table> (default "Users"). Then run: npx sequelize-cli db:migrate`;

function fail(message) {
  console.error(`adminjs-single-session: ${message}\n\n${USAGE}`);
  process.exit(1);
}

function parse(argv) {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === undefined) {
    console.log(USAGE);
    process.exit(command === undefined ? 1 : 0);
  }
  if (command !== 'migration') fail(`unknown command "${command}"`);
  const flags = { '--user-table': 'userTable', '--dir': 'dir' };
  const options = {};
  for (let i = 0; i < rest.length; i++) {
    const [flag, inline] = rest[i].split(/=(.*)/s);
    if (!flags[flag]) fail(`unknown option "${rest[i]}"`);
    const value = inline !== undefined ? inline : rest[++i];
    if (!value) fail(`${flag} needs a value`);
    options[flags[flag]] = value;
  }
  if (options.userTable !== undefined && !/^[A-Za-z_][A-Za-z0-9_$]{0,63}$/.test(options.userTable)) {
    fail(`--user-table "${options.userTable}" is not a plain table name (letters, digits, _ and $)`);
  }
  return options;
}

function migrationsFolder(dir) {
  if (dir) return path.resolve(dir);
  const rc = path.resolve('.sequelizerc');
  if (fs.existsSync(rc)) {
    const config = require(rc);
    if (config['migrations-path']) return path.resolve(config['migrations-path']);
  }
  return path.resolve('migrations');
}

const timestamp = (d) => d.toISOString().replace(/\D/g, '').slice(0, 14);

const options = parse(process.argv.slice(2));
const folder = migrationsFolder(options.dir);
fs.mkdirSync(folder, { recursive: true });
const existing = fs.readdirSync(folder).find((name) => /-adminjs-single-session\.c?js$/.test(name));
if (existing) fail(`${path.join(folder, existing)} exists already; edit it, or delete it to write it again`);
const file = path.join(folder, `${timestamp(new Date())}-adminjs-single-session.cjs`);
const config = options.userTable ? `{ userTable: ${JSON.stringify(options.userTable)} }` : '{}';
fs.writeFileSync(file, `'use strict';
// adminjs-single-session's tables in one migration (written by \`npx adminjs-single-session migration\`).
// Up checks first, then creates them; down drops them (a Sessions table that was there before is kept, rows and all).
module.exports = require('adminjs-single-session/migration')(${config});
`);
console.log(`Wrote ${path.relative(process.cwd(), file)}. Next: npx sequelize-cli db:migrate`);
