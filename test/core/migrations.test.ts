/** The shipped migration: programmatic and through sequelize-cli, idempotent, reversible, any user key type. */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import express from 'express';
import { QueryTypes, type Sequelize } from 'sequelize';
import { createMigrator, createSingleSession, InvalidInputError, migrate, unmigrate } from '../../src/index.js';
import { demoMigrations } from '../../example/db/schema.js';
import { connect, testDatabase } from '../support/database.js';
import { SECRET } from '../support/fixture.js';
import { Browser } from '../support/http.js';

const run = promisify(execFile);
const OURS = ['EndedSessions', 'KnownDevices', 'SessionAuditEvents', 'Sessions', 'UserSessions'];

async function tables(sequelize: Sequelize): Promise<string[]> {
  const rows = await sequelize.query<{ t: string }>(
    `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1`, { type: QueryTypes.SELECT });
  return rows.map((r) => r.t);
}

async function dropEverything(sequelize: Sequelize) {
  await sequelize.query('DROP TABLE IF EXISTS "KnownDevices", "SessionAuditEvents", "EndedSessions", "UserSessions", "Sessions", "Users", "Accounts", "SequelizeMeta", "SequelizeData" CASCADE');
}

/** The indexes of migration 20261130000000 (the trigram one needs pg_trgm, which every server here and PGlite have). */
const SCALE_INDEXES = ['ended_sessions_sid', 'user_sessions_browser_trgm', 'user_sessions_created_at', 'user_sessions_ip', 'user_sessions_last_seen_at'];

async function scaleIndexes(sequelize: Sequelize): Promise<string[]> {
  const rows = await sequelize.query<{ name: string }>(
    `SELECT indexname AS name FROM pg_indexes WHERE indexname = ANY($names) ORDER BY 1`, { bind: { names: SCALE_INDEXES }, type: QueryTypes.SELECT });
  return rows.map((r) => r.name);
}

async function primaryKeys(sequelize: Sequelize, table: string): Promise<string[]> {
  const rows = await sequelize.query<{ column: string }>(
    `SELECT a.attname AS column FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
     WHERE i.indrelid = to_regclass($table) AND i.indisprimary`, { bind: { table: `"${table}"` }, type: QueryTypes.SELECT });
  return rows.map((r) => r.column);
}

describe('migrations', () => {
  let sequelize: Sequelize;
  before(async () => { sequelize = connect((await testDatabase()).url); });
  beforeEach(async () => dropEverything(sequelize));
  after(async () => { await dropEverything(sequelize); await sequelize.close(); });

  it('run programmatically, are idempotent and reversible', async () => {
    expect(await migrate({ sequelize, folder: demoMigrations })).to.have.length(5);
    expect(await tables(sequelize)).to.include.members([...OURS, 'Users', 'SequelizeMeta']);
    expect(await migrate({ sequelize, folder: demoMigrations }), 'nothing left to run').to.deep.equal([]);
    // Running the migration itself again (say under another name in a host's folder) changes nothing and does not fail.
    await sequelize.query(`DELETE FROM "SequelizeMeta" WHERE name LIKE '%single-session%'`);
    expect(await migrate({ sequelize, folder: demoMigrations })).to.deep.equal(['20261126000000-single-session.cjs']);
    const indexes = await sequelize.query<{ indexname: string }>(`SELECT indexname FROM pg_indexes WHERE tablename IN ('Sessions', 'UserSessions')`, { type: QueryTypes.SELECT });
    expect(indexes.map((i) => i.indexname)).to.include.members(['sessions_expires', 'user_sessions_user_id']);
    // So does the Sessions page's (indexes, the notes' hash index instead of a primary key).
    await sequelize.query(`DELETE FROM "SequelizeMeta" WHERE name LIKE '%sessions-at-scale%'`);
    expect(await migrate({ sequelize, folder: demoMigrations })).to.deep.equal(['20261130000000-sessions-at-scale.cjs']);
    expect(await scaleIndexes(sequelize)).to.deep.equal(SCALE_INDEXES);
    expect(await primaryKeys(sequelize, 'EndedSessions')).to.deep.equal([]);

    // The known-devices migration alone, run again under another name: nothing changes.
    await sequelize.query(`DELETE FROM "SequelizeMeta" WHERE name LIKE '%known-devices%'`);
    expect(await migrate({ sequelize, folder: demoMigrations })).to.deep.equal(['20261127000000-known-devices.cjs']);
    const keys = await sequelize.query<{ column_name: string }>(
      `SELECT k.column_name FROM information_schema.table_constraints c JOIN information_schema.key_column_usage k USING (constraint_name)
       WHERE c.table_name = 'KnownDevices' AND c.constraint_type = 'PRIMARY KEY' ORDER BY k.ordinal_position`, { type: QueryTypes.SELECT });
    expect(keys.map((k) => k.column_name)).to.deep.equal(['userId', 'browser', 'os', 'device']);

    await unmigrate({ sequelize, folder: demoMigrations });
    expect(await tables(sequelize)).to.deep.equal(['SequelizeMeta']);
    expect(await migrate({ sequelize, folder: demoMigrations })).to.have.length(5);
  });

  it('undo the Sessions page\'s migration alone: its indexes go, the notes get their primary key back (newest note kept)', async () => {
    await migrate({ sequelize, folder: demoMigrations });
    await sequelize.query(`INSERT INTO "EndedSessions" (sid, "userId", reason, "endedAt") VALUES
      ('reused', '1', 'replaced', now() - interval '1 minute'), ('reused', '1', 'revoked', now()), ('once', '2', 'idle', now())`);
    await createMigrator({ sequelize, folder: demoMigrations }).down({ step: 1 });
    expect(await scaleIndexes(sequelize)).to.deep.equal([]);
    expect(await primaryKeys(sequelize, 'EndedSessions')).to.deep.equal(['sid']);
    expect(await sequelize.query(`SELECT sid, reason FROM "EndedSessions" ORDER BY sid`, { type: QueryTypes.SELECT }))
      .to.deep.equal([{ sid: 'once', reason: 'idle' }, { sid: 'reused', reason: 'revoked' }]);
    expect(await migrate({ sequelize, folder: demoMigrations })).to.deep.equal(['20261130000000-sessions-at-scale.cjs']);
    expect(await scaleIndexes(sequelize)).to.deep.equal(SCALE_INDEXES);
  });

  it('keep an existing connect-session-sequelize table and its rows, adding the index', async () => {
    await migrate({ sequelize, folder: demoMigrations });
    await unmigrate({ sequelize, folder: demoMigrations });
    await sequelize.query(`CREATE TABLE "Users" (id serial PRIMARY KEY)`);
    await sequelize.query(`CREATE TABLE "Sessions" (sid varchar(36) PRIMARY KEY, expires timestamptz, data text, "createdAt" timestamptz NOT NULL, "updatedAt" timestamptz NOT NULL)`);
    await sequelize.query(`INSERT INTO "Sessions" VALUES ('old', now() + interval '1 day', '{}', now(), now())`);
    await migrate({ sequelize });
    expect(await sequelize.query(`SELECT sid FROM "Sessions"`, { type: QueryTypes.SELECT })).to.deep.equal([{ sid: 'old' }]);
    expect(await tables(sequelize)).to.include.members(OURS);
  });

  it('run through sequelize-cli (db:migrate, db:migrate:undo:all) with the documented .sequelizerc', async function () {
    this.timeout(120_000);
    const env = { ...process.env, DATABASE_URL: (await testDatabase()).url };
    await run('npx', ['sequelize-cli', 'db:migrate'], { env });
    expect(await tables(sequelize)).to.include.members([...OURS, 'Users']);
    const meta = await sequelize.query<{ name: string }>(`SELECT name FROM "SequelizeMeta" ORDER BY 1`, { type: QueryTypes.SELECT });
    expect(meta.map((m) => m.name)).to.deep.equal([
      '20261125000000-create-users.cjs', '20261126000000-single-session.cjs', '20261126000001-active-sessions-view.cjs', '20261127000000-known-devices.cjs',
      '20261130000000-sessions-at-scale.cjs',
    ]);
    // The programmatic migrator shares SequelizeMeta: nothing left to do.
    expect(await migrate({ sequelize, folder: demoMigrations })).to.deep.equal([]);
    await run('npx', ['sequelize-cli', 'db:migrate:undo:all'], { env });
    expect(await tables(sequelize)).to.deep.equal(['SequelizeMeta']);
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

  it('work with a UUID key on a table with another name, end to end', async () => {
    await sequelize.query(`CREATE TABLE "Accounts" (uid uuid PRIMARY KEY, email text)`);
    await sequelize.query(`INSERT INTO "Accounts" VALUES ('7d1c6c0e-3f7b-4d8e-9a52-0c8f0d7c1a11', 'u@example.com'), ('0b9f1e1a-5c1d-4e2f-8a3b-9c4d5e6f7a8b', 'v@example.com')`);
    await migrate({ sequelize, userTable: 'Accounts' });
    const [type] = await sequelize.query<{ data_type: string }>(
      `SELECT data_type FROM information_schema.columns WHERE table_name = 'UserSessions' AND column_name = 'userId'`, { type: QueryTypes.SELECT });
    expect(type!.data_type).to.equal('uuid');

    const singleSession = await createSingleSession({ sequelize, getUserId: (u: { uid: string }) => u.uid, purgeIntervalMs: false });
    const app = express();
    app.use(singleSession.sessionMiddleware({ secret: SECRET }));
    app.post('/login/:uid', (req, res, next) => {
      singleSession.userLoggedIn(req, { uid: req.params.uid }).then(() => res.json({ ok: true }), next);
    });
    app.get('/me', (req, res) => { res.json({ user: singleSession.getUserId(req), reason: singleSession.getEndReason(req) }); });
    const server = app.listen(0);
    try {
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      const [a, b] = [new Browser(url), new Browser(url)];
      await a.post('/login/7d1c6c0e-3f7b-4d8e-9a52-0c8f0d7c1a11');
      await b.post('/login/7d1c6c0e-3f7b-4d8e-9a52-0c8f0d7c1a11');
      expect((await a.get('/me')).json).to.deep.equal({ user: null, reason: 'replaced' });
      expect((await b.get('/me')).json.user).to.equal('7d1c6c0e-3f7b-4d8e-9a52-0c8f0d7c1a11');
      const refused = await singleSession.endUserSessions(['42']).catch((err: unknown) => err);
      expect(refused).to.be.instanceOf(InvalidInputError).and.to.have.property('message').that.matches(/Invalid user id "42": user ids are of type uuid/);
      expect(singleSession.isUserId('42')).to.equal(false);
      // Canonical, as PostgreSQL prints it: an upper-case UUID names the same user.
      const ended = await singleSession.endUserSessions(['7D1C6C0E-3F7B-4D8E-9A52-0C8F0D7C1A11']);
      expect(ended).to.deep.equal({ sessions: 1, users: ['7d1c6c0e-3f7b-4d8e-9a52-0c8f0d7c1a11'] });
      expect((await b.get('/me')).json).to.deep.equal({ user: null, reason: 'revoked' });
    } finally {
      server.close();
      singleSession.close();
    }
  });
});
