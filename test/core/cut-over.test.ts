/**
 * The cut-over: an app that used connect-session-sequelize (its own key, `req.session.accountId`) installs the package;
 * the sessions from before are adopted (linked to their users) or ended, and from then on the policy, logout
 * everywhere and an administrator's ending reach them, and count them.
 */
import { expect } from 'chai';
import SequelizeStoreInit from 'connect-session-sequelize';
import express, { type Express } from 'express';
import session from 'express-session';
import type { Server } from 'node:http';
import { DataTypes, type Sequelize } from 'sequelize';
import { createSingleSession, InvalidInputError, migrate, type SingleSession } from '../../src/index.js';
import { connect, testDatabase } from '../support/database.js';
import { SECRET } from '../support/fixture.js';
import { Browser } from '../support/http.js';
import { count, run as query } from '../support/sql.js';

const CAROL = '6c0e7d1c-3f7b-4d8e-9a52-0c8f0d7c1a11';
const DAN = '1e1a0b9f-5c1d-4e2f-8a3b-9c4d5e6f7a8b';
const GONE = '00000000-0000-4000-8000-000000000000'; // an account deleted since
type AccountSession = session.Session & { accountId?: string };

function listen(app: Express): Promise<{ server: Server; url: string }> {
  return new Promise((resolve) => {
    const server = app.listen(0, () => resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` }));
  });
}

/** The host's routes, the same before and after the install: its own session key says who is signed in. */
function hostRoutes(app: Express, login: (req: express.Request, id: string) => Promise<void>, logout: (req: express.Request) => Promise<unknown>) {
  app.post('/login/:id', (req, res, next) => {
    login(req, req.params.id).then(() => { (req.session as AccountSession).accountId = req.params.id; res.json({ ok: true }); }, next);
  });
  app.get('/me', (req, res) => {
    const id = (req.session as AccountSession).accountId;
    res.status(id ? 200 : 401).json({ accountId: id ?? null });
  });
  app.post('/visit', (req, res) => { (req.session as AccountSession & { visits?: number }).visits = 1; res.json({ ok: true }); });
  app.post('/logout', (req, res, next) => { logout(req).then((ended) => res.json(ended ?? { ok: true }), next); });
}

describe('cut-over of the sessions from before the install', () => {
  let sequelize: Sequelize;
  let url: string;
  let server: Server;
  let singleSession: SingleSession;
  /** Old cookies, by owner. */
  let old: Record<'carol1' | 'carol2' | 'dan' | 'gone' | 'anonymous', Browser>;

  beforeEach(async function () {
    this.timeout(60_000);
    sequelize = connect((await testDatabase()).url);
    await query(sequelize, 'DROP VIEW IF EXISTS "ActiveSessions"');
    await query(sequelize, 'DROP TABLE IF EXISTS "SessionLocks", "KnownDevices", "SessionAuditEvents", "EndedSessions", "UserSessions", "Sessions", "accounts", "SequelizeMeta" CASCADE');
    // The host's accounts, as its model makes them (DataTypes.UUID: CHAR(36) BINARY on MariaDB).
    const Account = sequelize.define('Account', { id: { type: DataTypes.UUID, primaryKey: true }, email: DataTypes.STRING }, { tableName: 'accounts' });
    await Account.sync();
    await Account.bulkCreate([{ id: CAROL, email: 'carol@example.com' }, { id: DAN, email: 'dan@example.com' }]);

    // Before: connect-session-sequelize, and its sessions.
    const SequelizeStore = SequelizeStoreInit(session.Store);
    const store = new SequelizeStore({ db: sequelize, checkExpirationInterval: 0 } as never);
    await store.sync();
    const before = express();
    before.use(session({ secret: SECRET, store, resave: false, saveUninitialized: false }));
    hostRoutes(before, async () => {}, (req) => new Promise((resolve) => req.session.destroy(resolve)));
    const first = await listen(before);
    old = { carol1: new Browser(first.url), carol2: new Browser(first.url), dan: new Browser(first.url), gone: new Browser(first.url), anonymous: new Browser(first.url) };
    await old.carol1.post(`/login/${CAROL}`);
    await old.carol2.post(`/login/${CAROL}`);
    await old.dan.post(`/login/${DAN}`);
    await old.gone.post(`/login/${GONE}`);
    await old.anonymous.post('/visit');
    first.server.close();
    (store as unknown as { stopExpiringSessions?: () => void }).stopExpiringSessions?.();

    // The install: the migration (which keeps the table and its rows), the engine, the same routes.
    await migrate({ sequelize, userTable: 'accounts' });
    singleSession = await createSingleSession({ sequelize, getUserId: (a: { id: string }) => a.id, purgeIntervalMs: false });
    const after = express();
    after.use(singleSession.sessionMiddleware({ secret: SECRET }));
    // The logout names no user: the engine knows the session's user (for an adopted one, from its link).
    hostRoutes(after, (req, id) => singleSession.userLoggedIn(req, { id }), (req) => singleSession.userLoggedOut(req));
    ({ server, url } = await listen(after));
    for (const b of Object.values(old)) (b as { baseUrl: string }).baseUrl = url;
  });

  afterEach(async () => {
    server.close();
    singleSession.close();
    await sequelize.close();
  });

  const signedIn = async (b: Browser) => (await b.get('/me')).status === 200;
  const states = async () => Object.fromEntries(await Promise.all(Object.entries(old).map(async ([k, b]) => [k, await signedIn(b)])));
  const userIdOf = (data: { accountId?: string }) => data.accountId;

  it('without it the old sessions escape the policy (the reason it exists)', async () => {
    await new Browser(url).post(`/login/${CAROL}`);
    expect(await singleSession.endUserSessions([DAN])).to.deep.equal({ sessions: 0, users: [] });
    expect(await states()).to.deep.equal({ carol1: true, carol2: true, dan: true, gone: true, anonymous: false });
  });

  it('adopt: the old sessions stay signed in, then the next login, logout everywhere and the admin ending end them and count them', async () => {
    const result = await singleSession.cutOverSessions({ userIdOf, mode: 'adopt', batchSize: 2 });
    // The deleted account's session names nobody who exists: no policy could reach it, so it ends.
    expect(result).to.deep.equal({ adopted: 3, ended: { sessions: 0, users: [] }, anonymous: 1, orphans: 1, changed: 0 });
    expect(await states()).to.deep.equal({ carol1: true, carol2: true, dan: true, gone: false, anonymous: false });
    expect((await singleSession.listSessions(CAROL)).length).to.equal(2);
    // Idempotent: nothing left to adopt.
    expect((await singleSession.cutOverSessions({ userIdOf, mode: 'adopt' })).adopted).to.equal(0);

    // Carol's next login ends both old sessions.
    const carol = new Browser(url);
    await carol.post(`/login/${CAROL}`);
    expect(await states()).to.include({ carol1: false, carol2: false, dan: true });
    expect(await signedIn(carol)).to.equal(true);
    // The administrator's ending (what the bulk logout runs) reaches Dan's adopted session, and counts it.
    expect(await singleSession.endUserSessions([DAN])).to.deep.equal({ sessions: 1, users: [DAN] });
    expect(await signedIn(old.dan)).to.equal(false);
  });

  it('adopt: logout everywhere from an adopted session ends the user\'s other sessions too, counted', async () => {
    await singleSession.cutOverSessions({ userIdOf, mode: 'adopt' });
    const res = await old.carol1.post('/logout');
    expect(res.json).to.deep.equal({ sessions: 2, users: [CAROL] });
    expect(await states()).to.include({ carol1: false, carol2: false, dan: true });
  });

  it('safe while the app runs: a session that changes between the read and the link is left for the next run, then adopted', async () => {
    // Once the batch is read, and before its transaction writes anything, a request of the app changes carol1's session.
    let armed = false;
    const hook = async (options: { transaction?: unknown }) => {
      if (!armed || !options.transaction) return;
      armed = false;
      expect((await old.carol1.post('/visit')).status).to.equal(200);
    };
    sequelize.addHook('beforeQuery', 'change-meanwhile', hook as never);
    try {
      const first = await singleSession.cutOverSessions({ userIdOf: (data) => { armed = true; return userIdOf(data); }, mode: 'adopt' });
      expect([first.adopted, first.changed]).to.deep.equal([2, 1]);
    } finally {
      sequelize.removeHook('beforeQuery', 'change-meanwhile');
    }
    expect(await singleSession.cutOverSessions({ userIdOf, mode: 'adopt' })).to.deep.include({ adopted: 1, changed: 0 });
    expect((await singleSession.listSessions(CAROL)).length).to.equal(2);
  });

  it('end: every signed-in old session ends, counted per user and told why; anonymous ones stay', async () => {
    const result = await singleSession.cutOverSessions({ userIdOf, mode: 'end' });
    expect(result.adopted).to.equal(3);
    expect(result.ended.sessions).to.equal(3);
    expect(result.ended.users.sort()).to.deep.equal([CAROL, DAN].sort());
    expect(result.orphans).to.equal(1);
    expect(await states()).to.deep.equal({ carol1: false, carol2: false, dan: false, gone: false, anonymous: false });
    expect(await count(sequelize, `SELECT count(*) FROM "EndedSessions" WHERE reason = 'revoked'`)).to.equal(4);
    // The old cookies are told why.
    const me = await old.carol1.get('/me');
    expect(me.status).to.equal(401);
  });

  it('refuses bad options before reading anything', async () => {
    for (const bad of [{ userIdOf: 'accountId', mode: 'adopt' }, { userIdOf, mode: 'keep' }, { userIdOf, mode: 'end', batchSize: 0 }]) {
      const err = await singleSession.cutOverSessions(bad as never).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(InvalidInputError).and.to.have.property('message').that.matches(/^cutOverSessions: /);
    }
    expect(await states()).to.deep.equal({ carol1: true, carol2: true, dan: true, gone: true, anonymous: false });
  });
});
