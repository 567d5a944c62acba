/** The shipped migration: programmatic and through sequelize-cli, idempotent, reversible, any user key type. */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import express from 'express';
import { DataTypes, type ModelAttributeColumnOptions, type Sequelize } from 'sequelize';
import { createMigrator, createSingleSession, InvalidInputError, migrate, unmigrate } from '../../src/index.js';
import { demoMigrations } from '../../example/db/schema.js';
import { connect, testDatabase, testDialect } from '../support/database.js';
import { SECRET } from '../support/fixture.js';
import { Browser } from '../support/http.js';
import { ago, isMariaDb, later, now, rows, run as query } from '../support/sql.js';

const run = promisify(execFile);
const mariadb = testDialect() === 'mariadb';
/** The package's tables; on MariaDB also the per-user lock rows (PostgreSQL locks users with advisory locks). */
const OURS = ['EndedSessions', 'KnownDevices', 'SessionAuditEvents', 'Sessions', 'UserSessions', ...(mariadb ? ['SessionLocks'] : [])];

/** This database's schema, in information_schema's terms (MariaDB's information_schema spans every database). */
const schema = (sequelize: Sequelize) => (isMariaDb(sequelize) ? 'DATABASE()' : 'current_schema()');

async function tables(sequelize: Sequelize): Promise<string[]> {
  const found = await rows<{ t: string }>(sequelize, `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = ${schema(sequelize)}`);
  return found.map((r) => r.t).sort();
}

async function dropEverything(sequelize: Sequelize) {
  await query(sequelize, 'DROP VIEW IF EXISTS "ActiveSessions"');
  await query(sequelize, 'DROP TABLE IF EXISTS "SessionLocks", "KnownDevices", "SessionAuditEvents", "EndedSessions", "UserSessions", "Sessions", "Users", "Accounts", "accounts", "SequelizeMeta", "SequelizeData" CASCADE');
}

/**
 * The indexes of migration 20261130000000: b-trees for the Sessions page's orders and filters, and the notes' index
 * on sid; on PostgreSQL also the browser filter's trigram index (it needs pg_trgm, which every server here and PGlite
 * have; MariaDB has no counterpart, its filter reads the table).
 */
const SCALE_INDEXES = ['ended_sessions_sid', ...(mariadb ? [] : ['user_sessions_browser_trgm']), 'user_sessions_created_at', 'user_sessions_ip', 'user_sessions_last_seen_at'];
/** The first migration's indexes. */
const BASE_INDEXES = ['ended_sessions_ended_at', 'session_audit_events_at', 'sessions_expires', 'user_sessions_user_id'];

/** Which of `names` exist as indexes in this database, sorted. */
async function indexes(sequelize: Sequelize, names: string[]): Promise<string[]> {
  const found = await rows<{ name: string }>(sequelize, isMariaDb(sequelize)
    ? `SELECT DISTINCT index_name AS name FROM information_schema.statistics WHERE table_schema = DATABASE() AND index_name IN (:names)`
    : `SELECT indexname AS name FROM pg_indexes WHERE schemaname = current_schema() AND indexname IN (:names)`, { replacements: { names } });
  return found.map((r) => r.name).sort();
}
const scaleIndexes = (sequelize: Sequelize) => indexes(sequelize, SCALE_INDEXES);

async function primaryKeys(sequelize: Sequelize, table: string): Promise<string[]> {
  const found = await rows<{ name: string }>(sequelize,
    `SELECT k.column_name AS name FROM information_schema.table_constraints c
     JOIN information_schema.key_column_usage k ON k.constraint_name = c.constraint_name AND k.table_schema = c.table_schema AND k.table_name = c.table_name
     WHERE c.constraint_type = 'PRIMARY KEY' AND c.table_schema = ${schema(sequelize)} AND c.table_name = :table ORDER BY k.ordinal_position`,
    { replacements: { table } });
  return found.map((r) => r.name);
}

/** "Table.column" → the column's type as the database names it (data_type on PostgreSQL, column_type on MariaDB). */
async function columnTypes(sequelize: Sequelize, tableNames: string[]): Promise<Record<string, string>> {
  const found = await rows<{ t: string; c: string; type: string }>(sequelize,
    `SELECT table_name AS t, column_name AS c, ${isMariaDb(sequelize) ? 'column_type' : 'data_type'} AS type FROM information_schema.columns
     WHERE table_schema = ${schema(sequelize)} AND table_name IN (:tableNames)`, { replacements: { tableNames } });
  return Object.fromEntries(found.map((r) => [`${r.t}.${r.c}`, r.type.toLowerCase()]));
}

/** Every date column of the package's tables. */
const DATE_COLUMNS = [
  'EndedSessions.endedAt', 'KnownDevices.firstSeenAt', 'KnownDevices.lastSeenAt', 'SessionAuditEvents.at',
  'Sessions.createdAt', 'Sessions.expires', 'Sessions.updatedAt', 'UserSessions.createdAt', 'UserSessions.lastSeenAt',
];

/** What each database gets beyond the portable tables and indexes, checked after a full migration. */
async function expectDialectSchema(sequelize: Sequelize) {
  const types = await columnTypes(sequelize, OURS);
  const dates = Object.keys(types).filter((column) => /date|time/.test(types[column]!)).sort();
  expect(dates, 'the date columns').to.deep.equal(DATE_COLUMNS);
  if (isMariaDb(sequelize)) {
    // Milliseconds, like PostgreSQL's timestamps (a DATETIME keeps whole seconds): the timeouts and orders need them.
    expect(DATE_COLUMNS.map((c) => types[c]), 'DATETIME(3)').to.deep.equal(DATE_COLUMNS.map(() => 'datetime(3)'));
    // MariaDB's JSON is a LONGTEXT checked by json_valid.
    expect(types['SessionAuditEvents.userIds']).to.equal('longtext');
    const checks = await rows<{ clause: string }>(sequelize,
      `SELECT check_clause AS clause FROM information_schema.check_constraints WHERE constraint_schema = DATABASE() AND table_name = 'SessionAuditEvents'`);
    expect(checks.map((c) => c.clause)).to.include('json_valid(`userIds`)');
    // The per-user lock: one row per user, locked by the logins.
    expect(await primaryKeys(sequelize, 'SessionLocks')).to.deep.equal(['userId']);
    expect(types['SessionLocks.userId']).to.equal('varchar(255)');
    // The notes' index on sid is a plain (non-unique) b-tree.
    const [note] = await rows<{ type: string; nonUnique: number | string; columns: string }>(sequelize,
      `SELECT index_type AS type, non_unique AS "nonUnique", GROUP_CONCAT(column_name) AS columns FROM information_schema.statistics
       WHERE table_schema = DATABASE() AND table_name = 'EndedSessions' AND index_name = 'ended_sessions_sid' GROUP BY index_type, non_unique`);
    expect(note).to.deep.equal({ type: 'BTREE', nonUnique: note!.nonUnique, columns: 'sid' });
    expect(Number(note!.nonUnique)).to.equal(1);
  } else {
    expect(DATE_COLUMNS.map((c) => types[c]), 'timestamptz').to.deep.equal(DATE_COLUMNS.map(() => 'timestamp with time zone'));
    expect(types['SessionAuditEvents.userIds']).to.equal('jsonb');
    // The notes are unlogged, under a hash index on sid; the browser filter has its trigram index.
    const [ended] = await rows<{ persistence: string }>(sequelize, `SELECT relpersistence AS persistence FROM pg_class WHERE oid = to_regclass('"EndedSessions"')`);
    expect(ended!.persistence, 'EndedSessions is UNLOGGED').to.equal('u');
    const definitions = Object.fromEntries((await rows<{ name: string; definition: string }>(sequelize,
      `SELECT indexname AS name, indexdef AS definition FROM pg_indexes WHERE schemaname = current_schema() AND indexname IN ('ended_sessions_sid', 'user_sessions_browser_trgm')`,
    )).map((r) => [r.name, r.definition]));
    expect(definitions.ended_sessions_sid).to.match(/USING hash \(sid\)/);
    expect(definitions.user_sessions_browser_trgm).to.match(/USING gin \(browser \S*gin_trgm_ops\)/);
  }
}

describe('migrations', () => {
  let sequelize: Sequelize;
  before(async () => { sequelize = connect((await testDatabase()).url); });
  beforeEach(async () => dropEverything(sequelize));
  after(async () => { await dropEverything(sequelize); await sequelize.close(); });

  it('run programmatically, are idempotent and reversible', async () => {
    expect(await migrate({ sequelize, folder: demoMigrations })).to.have.length(7);
    expect(await tables(sequelize)).to.include.members([...OURS, 'Users', 'SequelizeMeta']);
    expect(await indexes(sequelize, BASE_INDEXES)).to.deep.equal(BASE_INDEXES);
    expect(await scaleIndexes(sequelize)).to.deep.equal(SCALE_INDEXES);
    expect(await primaryKeys(sequelize, 'EndedSessions'), 'the notes have no unique key').to.deep.equal([]);
    await expectDialectSchema(sequelize);
    expect(await migrate({ sequelize, folder: demoMigrations }), 'nothing left to run').to.deep.equal([]);
    // Running the migration itself again (say under another name in a host's folder) changes nothing and does not fail.
    await query(sequelize, `DELETE FROM "SequelizeMeta" WHERE name LIKE '%single-session%'`);
    expect(await migrate({ sequelize, folder: demoMigrations })).to.deep.equal(['20261126000000-single-session.cjs']);
    expect(await indexes(sequelize, BASE_INDEXES)).to.deep.equal(BASE_INDEXES);
    // So does the Sessions page's (indexes, the notes' hash index instead of a primary key).
    await query(sequelize, `DELETE FROM "SequelizeMeta" WHERE name LIKE '%sessions-at-scale%'`);
    expect(await migrate({ sequelize, folder: demoMigrations })).to.deep.equal(['20261130000000-sessions-at-scale.cjs']);
    expect(await scaleIndexes(sequelize)).to.deep.equal(SCALE_INDEXES);
    expect(await primaryKeys(sequelize, 'EndedSessions')).to.deep.equal([]);
    await expectDialectSchema(sequelize);

    // The known-devices migration alone, run again under another name: nothing changes.
    await query(sequelize, `DELETE FROM "SequelizeMeta" WHERE name LIKE '%known-devices%'`);
    expect(await migrate({ sequelize, folder: demoMigrations })).to.deep.equal(['20261127000000-known-devices.cjs']);
    expect(await primaryKeys(sequelize, 'KnownDevices')).to.deep.equal(['userId', 'browser', 'os', 'device']);

    await unmigrate({ sequelize, folder: demoMigrations });
    expect(await tables(sequelize)).to.deep.equal(['SequelizeMeta']);
    expect(await migrate({ sequelize, folder: demoMigrations })).to.have.length(7);
  });

  it('undo the Sessions page\'s migration alone: its indexes go, the notes get their primary key back (newest note kept)', async () => {
    await migrate({ sequelize, folder: demoMigrations });
    await query(sequelize, `INSERT INTO "EndedSessions" (sid, "userId", reason, "endedAt") VALUES
      ('reused', '1', 'replaced', ${ago(sequelize, 60_000)}), ('reused', '1', 'revoked', ${now(sequelize)}), ('once', '2', 'idle', ${now(sequelize)})`);
    await createMigrator({ sequelize, folder: demoMigrations }).down({ migrations: ['20261130000000-sessions-at-scale.cjs'] });
    expect(await scaleIndexes(sequelize)).to.deep.equal([]);
    expect(await indexes(sequelize, BASE_INDEXES), 'the first migration\'s indexes stay').to.deep.equal(BASE_INDEXES);
    expect(await primaryKeys(sequelize, 'EndedSessions')).to.deep.equal(['sid']);
    expect(await rows(sequelize, `SELECT sid, reason FROM "EndedSessions" ORDER BY sid`))
      .to.deep.equal([{ sid: 'once', reason: 'idle' }, { sid: 'reused', reason: 'revoked' }]);
    expect(await migrate({ sequelize, folder: demoMigrations })).to.deep.equal(['20261130000000-sessions-at-scale.cjs']);
    expect(await scaleIndexes(sequelize)).to.deep.equal(SCALE_INDEXES);
  });

  it('keep an existing connect-session-sequelize table and its rows, adding the index', async () => {
    await migrate({ sequelize, folder: demoMigrations });
    await unmigrate({ sequelize, folder: demoMigrations });
    // The table as connect-session-sequelize's sync() creates it on each database (Sequelize's DATE: timestamptz, DATETIME).
    const date = mariadb ? 'DATETIME' : 'timestamptz';
    await query(sequelize, `CREATE TABLE "Users" (id ${mariadb ? 'INTEGER AUTO_INCREMENT' : 'serial'} PRIMARY KEY)`);
    await query(sequelize, `CREATE TABLE "Sessions" (sid varchar(36) PRIMARY KEY, expires ${date}, data text, "createdAt" ${date} NOT NULL, "updatedAt" ${date} NOT NULL)`);
    await query(sequelize, `INSERT INTO "Sessions" VALUES ('old', ${later(sequelize, 24 * 3600_000)}, '{}', ${now(sequelize)}, ${now(sequelize)})`);
    const original = await columnTypes(sequelize, ['Sessions']);
    await migrate({ sequelize });
    expect(await rows(sequelize, `SELECT sid FROM "Sessions"`)).to.deep.equal([{ sid: 'old' }]);
    expect(await indexes(sequelize, ['sessions_expires']), 'the index is added').to.deep.equal(['sessions_expires']);
    expect(await tables(sequelize)).to.include.members(OURS);
    const before = await columnTypes(sequelize, ['Users']);
    // Undo: the package's tables go; the table that was there stays, as it was, with its rows (and those since).
    await query(sequelize, `INSERT INTO "Sessions" (sid, expires, data, "createdAt", "updatedAt") VALUES ('since', NULL, '{}', ${now(sequelize)}, ${now(sequelize)})`);
    await unmigrate({ sequelize });
    expect(await tables(sequelize)).to.deep.equal(['SequelizeMeta', 'Sessions', 'Users']);
    expect(await rows(sequelize, `SELECT sid FROM "Sessions" ORDER BY sid`)).to.deep.equal([{ sid: 'old' }, { sid: 'since' }]);
    expect(await columnTypes(sequelize, ['Sessions'])).to.deep.equal(original);
    expect(await columnTypes(sequelize, ['Users'])).to.deep.equal(before);
    expect(await indexes(sequelize, ['sessions_expires']), 'the index goes').to.deep.equal([]);
    // And up again: adopted again, and undone again the same way.
    await migrate({ sequelize });
    await unmigrate({ sequelize });
    expect(await columnTypes(sequelize, ['Sessions'])).to.deep.equal(original);
  });

  it('run through sequelize-cli (db:migrate, db:migrate:undo:all) with the documented .sequelizerc', async function () {
    this.timeout(120_000);
    const env = { ...process.env, DATABASE_URL: (await testDatabase()).url };
    await run('npx', ['sequelize-cli', 'db:migrate'], { env });
    expect(await tables(sequelize)).to.include.members([...OURS, 'Users']);
    const meta = await rows<{ name: string }>(sequelize, `SELECT name FROM "SequelizeMeta" ORDER BY 1`);
    expect(meta.map((m) => m.name)).to.deep.equal([
      '20261125000000-create-users.cjs', '20261126000000-single-session.cjs', '20261126000001-active-sessions-view.cjs', '20261127000000-known-devices.cjs',
      '20261130000000-sessions-at-scale.cjs', '20261201000000-session-locks.cjs', '20261208000000-users-disabled.cjs',
    ]);
    expect(await scaleIndexes(sequelize)).to.deep.equal(SCALE_INDEXES);
    await expectDialectSchema(sequelize);
    // The programmatic migrator shares SequelizeMeta: nothing left to do.
    expect(await migrate({ sequelize, folder: demoMigrations })).to.deep.equal([]);
    // Running it again is idempotent too.
    await run('npx', ['sequelize-cli', 'db:migrate'], { env });
    expect(await rows(sequelize, `SELECT name FROM "SequelizeMeta"`)).to.have.length(7);
    await run('npx', ['sequelize-cli', 'db:migrate:undo:all'], { env });
    expect(await tables(sequelize)).to.deep.equal(['SequelizeMeta']);
  });

  it('in one step: `npx adminjs-single-session migration --user-table accounts` writes one file; sequelize-cli migrates and undoes it with no environment variable', async function () {
    this.timeout(120_000);
    // A host project: its migrations folder and the package under node_modules (here: this repository).
    const host = mkdtempSync(path.join(os.tmpdir(), 'single-session-host-'));
    try {
      mkdirSync(path.join(host, 'node_modules'));
      symlinkSync(process.cwd(), path.join(host, 'node_modules', 'adminjs-single-session'));
      writeFileSync(path.join(host, '.sequelizerc'), `module.exports = { 'migrations-path': 'db/migrations' };\n`);
      const bin = path.join(process.cwd(), 'bin', 'adminjs-single-session.cjs');
      const written = await run(process.execPath, [bin, 'migration', '--user-table', 'accounts'], { cwd: host });
      expect(written.stdout).to.match(/Wrote db\/migrations\/\d{14}-adminjs-single-session\.cjs\. Next: npx sequelize-cli db:migrate/);
      expect(readdirSync(path.join(host, 'db', 'migrations'))).to.have.length(1);
      const again = await run(process.execPath, [bin, 'migration'], { cwd: host }).catch((err: { stderr: string }) => err);
      expect(again.stderr).to.match(/exists already/);

      // The app's accounts, as its Sequelize model makes them: a DataTypes.UUID key (CHAR(36) BINARY on MariaDB).
      sequelize.define('Account', { id: { type: DataTypes.UUID, primaryKey: true }, email: DataTypes.STRING }, { tableName: 'accounts', timestamps: false });
      await sequelize.models.Account!.sync();
      sequelize.modelManager.removeModel(sequelize.models.Account!);
      const env = { ...process.env, SINGLE_SESSION_USER_TABLE: '' };
      const cli = (command: string) => run('npx', ['sequelize-cli', command, '--url', url], { cwd: host, env });
      const url = (await testDatabase()).url;
      await cli('db:migrate');
      expect(await tables(sequelize)).to.include.members(OURS);
      expect(await rows(sequelize, `SELECT name FROM "SequelizeMeta"`)).to.have.length(1);
      await expectDialectSchema(sequelize);
      await cli('db:migrate:undo');
      expect(await tables(sequelize)).to.deep.equal(['SequelizeMeta', 'accounts']);
    } finally {
      rmSync(host, { recursive: true, force: true });
    }
  });

  it('refuse clearly when the user table does not exist', async () => {
    try {
      await migrate({ sequelize, userTable: 'Members' });
      expect.fail('should have thrown');
    } catch (err) {
      expect(String(err)).to.match(/user table "Members" does not exist\. Create your users table first/);
    }
    expect(await tables(sequelize)).to.not.include('Sessions');
  });

  /**
   * Two logins of one user (the first is replaced), then an ending by id: the policy over HTTP with this key. `other`
   * is an id of the key's type that names nobody.
   */
  async function endToEnd(keyColumn: string, id: string, other: string, canonical = id) {
    const singleSession = await createSingleSession({ sequelize, getUserId: (u: Record<string, string>) => u[keyColumn]!, purgeIntervalMs: false });
    const app = express();
    app.use(singleSession.sessionMiddleware({ secret: SECRET }));
    app.post('/login/:id', (req, res, next) => {
      singleSession.userLoggedIn(req, { [keyColumn]: req.params.id }).then(() => res.json({ ok: true }), next);
    });
    app.get('/me', (req, res) => { res.json({ user: singleSession.getUserId(req), reason: singleSession.getEndReason(req) }); });
    const server = app.listen(0);
    try {
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      const [a, b] = [new Browser(url), new Browser(url)];
      expect((await a.post(`/login/${id}`)).status).to.equal(200);
      expect((await b.post(`/login/${id}`)).status).to.equal(200);
      expect((await a.get('/me')).json).to.deep.equal({ user: null, reason: 'replaced' });
      expect((await b.get('/me')).json.user).to.equal(canonical);
      expect(await singleSession.endUserSessions([other])).to.deep.equal({ sessions: 0, users: [] });
      expect(await singleSession.endUserSessions([id])).to.deep.equal({ sessions: 1, users: [canonical] });
      expect((await b.get('/me')).json).to.deep.equal({ user: null, reason: 'revoked' });
      return singleSession;
    } finally {
      server.close();
      singleSession.close();
    }
  }

  it('work with a UUID key on a table with another name, end to end', async () => {
    // MariaDB has a UUID type since 10.7.
    await query(sequelize, `CREATE TABLE "Accounts" (uid uuid PRIMARY KEY, email text)`);
    await query(sequelize, `INSERT INTO "Accounts" VALUES ('7d1c6c0e-3f7b-4d8e-9a52-0c8f0d7c1a11', 'u@example.com'), ('0b9f1e1a-5c1d-4e2f-8a3b-9c4d5e6f7a8b', 'v@example.com')`);
    await migrate({ sequelize, userTable: 'Accounts' });
    expect((await columnTypes(sequelize, ['UserSessions']))['UserSessions.userId']).to.equal('uuid');
    const singleSession = await endToEnd('uid', '7d1c6c0e-3f7b-4d8e-9a52-0c8f0d7c1a11', '0b9f1e1a-5c1d-4e2f-8a3b-9c4d5e6f7a8b');
    const refused = await singleSession.endUserSessions(['42']).catch((err: unknown) => err);
    expect(refused).to.be.instanceOf(InvalidInputError).and.to.have.property('message').that.matches(/Invalid user id "42": user ids are of type uuid/);
    expect(singleSession.isUserId('42')).to.equal(false);
    // Canonical, as PostgreSQL prints it: an upper-case UUID names the same user (MariaDB's uuid type agrees).
    await singleSession.endUserSessions(['7D1C6C0E-3F7B-4D8E-9A52-0C8F0D7C1A11']);
  });

  /** A key column's type, character set and collation, as the database names them. */
  async function keyColumn(table: string, column: string): Promise<string> {
    const [found] = await rows<{ type: string; charset: string | null; collation: string | null }>(sequelize, mariadb
      ? `SELECT column_type AS type, character_set_name AS charset, collation_name AS collation FROM information_schema.columns
         WHERE table_schema = DATABASE() AND table_name = :table AND column_name = :column`
      : `SELECT format_type(a.atttypid, a.atttypmod) AS type, NULL AS charset, c.collname AS collation
         FROM pg_attribute a LEFT JOIN pg_collation c ON c.oid = a.attcollation WHERE a.attrelid = to_regclass(:quoted) AND a.attname = :column`,
      { replacements: { table, column, quoted: `"${table}"` } });
    return `${found!.type} ${found!.charset ?? '-'} ${found!.collation ?? '-'}`;
  }

  /** Keys as a Sequelize model makes them (sync), and text keys in a collation other than the database's default. */
  const KEYS: Array<{ name: string; define: () => Promise<void>; id: string; other: string }> = [
    { name: 'INTEGER (autoIncrement)', define: () => sync({ type: DataTypes.INTEGER, autoIncrement: true }), id: '1', other: '2' },
    { name: 'BIGINT (autoIncrement)', define: () => sync({ type: DataTypes.BIGINT, autoIncrement: true }), id: '1', other: '2' },
    { name: 'DataTypes.UUID', define: () => sync({ type: DataTypes.UUID, defaultValue: DataTypes.UUIDV4 }), id: 'b3f5ce2a-8a59-4b43-9f3c-2a8d5e0c71aa', other: '00000000-0000-4000-8000-000000000000' },
    { name: 'DataTypes.STRING(64)', define: () => sync({ type: DataTypes.STRING(64) }), id: 'Ann', other: 'Bob' }, // ('ann' is Ann in MariaDB's default collation)
    {
      name: 'CHAR(12) in another character set and collation',
      define: () => query(sequelize, mariadb
        ? `CREATE TABLE "accounts" (id CHAR(12) CHARACTER SET latin1 COLLATE latin1_general_cs PRIMARY KEY, email text) ENGINE=InnoDB`
        : `CREATE TABLE "accounts" (id char(12) COLLATE "C" PRIMARY KEY, email text)`),
      id: 'Ann', other: 'ann',
    },
  ];
  async function sync(key: ModelAttributeColumnOptions) {
    sequelize.define('Account', { id: { ...key, primaryKey: true }, email: DataTypes.STRING }, { tableName: 'accounts', timestamps: false });
    await sequelize.models.Account!.sync();
    sequelize.modelManager.removeModel(sequelize.models.Account!);
  }

  for (const key of KEYS) {
    it(`give the links the user key's exact type, character set and collation: ${key.name}`, async () => {
      await query(sequelize, 'DROP TABLE IF EXISTS "accounts"');
      await key.define();
      await query(sequelize, `INSERT INTO "accounts" (id, email) VALUES ('${key.id}', 'a@example.com')`);
      try {
        await migrate({ sequelize, userTable: 'accounts' });
        const expected = await keyColumn('accounts', 'id');
        // (PostgreSQL's link to a serial key is the plain integer; its default stays with the users table.)
        expect([await keyColumn('UserSessions', 'userId'), await keyColumn('KnownDevices', 'userId')]).to.deep.equal([expected, expected]);
        await endToEnd('id', key.id, key.other);
        await unmigrate({ sequelize, userTable: 'accounts' });
      } finally {
        await dropEverything(sequelize);
        await query(sequelize, 'DROP TABLE IF EXISTS "accounts"');
      }
    });
  }

  it('refuse before changing anything: a Sessions table of another layout, a user table without foreign keys (MariaDB)', async () => {
    await query(sequelize, `CREATE TABLE "Users" (id INTEGER PRIMARY KEY)`);
    await query(sequelize, `CREATE TABLE "Sessions" (id INTEGER PRIMARY KEY, sid varchar(36), payload text)`);
    const refused = await migrate({ sequelize }).catch((err: unknown) => err);
    expect(String(refused)).to.match(/a table "Sessions" exists but is not connect-session-sequelize's \(no column expires, data\)\. .*rename yours/);
    expect(await tables(sequelize), 'nothing created').to.deep.equal(['SequelizeMeta', 'Sessions', 'Users']);
    expect(await indexes(sequelize, ['sessions_expires'])).to.deep.equal([]);
    if (!mariadb) return;
    await query(sequelize, 'DROP TABLE "Sessions", "Users"');
    await query(sequelize, `CREATE TABLE "Users" (id INTEGER PRIMARY KEY) ENGINE=MyISAM`);
    const myisam = await migrate({ sequelize }).catch((err: unknown) => err);
    expect(String(myisam)).to.match(/the user table "Users" uses the MyISAM engine, which has no foreign keys.*ALTER TABLE `Users` ENGINE=InnoDB/);
    expect(await tables(sequelize), 'nothing created').to.deep.equal(['SequelizeMeta', 'Users']);
  });
});
