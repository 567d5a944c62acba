/** Misconfiguration fails at start-up, with a message that says how to fix it. */
import { expect } from 'chai';
import express from 'express';
import session from 'express-session';
import { DataTypes, Sequelize } from 'sequelize';
import { createSingleSession, SingleSessionConfigError } from '../../src/index.js';
import { parseUserIds } from '../../src/ids.js';
import { createFixture, type Fixture, SECRET } from '../support/fixture.js';
import { Browser } from '../support/http.js';
import { run } from '../support/sql.js';

async function startupError(options: Record<string, unknown>): Promise<SingleSessionConfigError> {
  try {
    await createSingleSession(options as never);
  } catch (err) {
    expect(err).to.be.instanceOf(SingleSessionConfigError);
    return err as SingleSessionConfigError;
  }
  throw new Error('expected createSingleSession to throw');
}

describe('start-up errors', () => {
  let f: Fixture;
  before(async () => { f = await createFixture(); });
  after(async () => f?.close());

  it('no options / no sequelize', async () => {
    expect((await startupError(undefined as never)).message).to.match(/options must be an object/);
    expect((await startupError({})).message).to.match(/`sequelize` is required .*createSingleSession\(\{ sequelize \}\)/);
  });

  it('a dialect other than PostgreSQL and MariaDB', async () => {
    // No driver of another dialect is installed here (Sequelize loads it in its constructor), so instances whose
    // dialect says mysql / sqlite / mssql stand in for them: the engine refuses them before any SQL.
    for (const dialect of ['mysql', 'sqlite', 'mssql']) {
      const other = Object.assign(Object.create(Sequelize.prototype), { getDialect: () => dialect });
      expect((await startupError({ sequelize: other })).message).to.match(
        new RegExp(`dialect is "${dialect}", which adminjs-single-session does not support\\. Supported dialects: postgres, mariadb\\.`));
    }
    // The test database's own dialect (postgres or mariadb) is accepted: the fixture's engine started on it.
    expect(f.singleSession.isUserId(1)).to.equal(true);
  });

  it('options of the wrong type, and unknown options', async () => {
    const { sequelize } = f;
    expect((await startupError({ sequelize, singleUserSession: 0 })).message).to.match(/true, false, a positive integer or a function; got number 0/);
    expect((await startupError({ sequelize, singleUserSession: '2' })).message).to.match(/singleUserSession.*got "2"/);
    expect((await startupError({ sequelize, logoutAllSessions: 'yes' })).message).to.match(/`logoutAllSessions` must be a boolean; got "yes"/);
    expect((await startupError({ sequelize, whenExceeded: 'evict' })).message).to.match(/'evict-least-recently-used', 'evict-oldest', 'deny'; got "evict"/);
    expect((await startupError({ sequelize, isAdmin: true })).message).to.match(/`isAdmin` must be a function/);
    expect((await startupError({ sequelize, purgeIntervalMs: -5 })).message).to.match(/purgeIntervalMs.*positive number of milliseconds or false/);
    expect((await startupError({ sequelize, singleUserSesion: 1 })).message).to.match(/unknown option `singleUserSesion`. Known options: sequelize, singleUserSession/);
  });

  it('a user model without a primary key, or something that is not a model', async () => {
    const { sequelize } = f;
    const NoKey = sequelize.define('NoKeyUser', { email: DataTypes.STRING }, { tableName: 'NoKeyUsers' });
    NoKey.removeAttribute('id');
    expect((await startupError({ sequelize, userModel: NoKey })).message).to.match(/"NoKeyUser" has no primary key/);
    expect((await startupError({ sequelize, userModel: { name: 'x' } })).message).to.match(/must be a Sequelize model class/);
  });

  it('a missing table or column: tells to run the migrations', async () => {
    const { sequelize } = f;
    await run(sequelize, 'ALTER TABLE "EndedSessions" RENAME TO "EndedSessionsGone"');
    try {
      const err = await startupError({ sequelize });
      expect(err.message).to.match(/table "EndedSessions" does not exist\. Run the migrations first: `await migrate\(\{ sequelize \}\)`/);
    } finally {
      await run(sequelize, 'ALTER TABLE "EndedSessionsGone" RENAME TO "EndedSessions"');
    }
    await run(sequelize, 'ALTER TABLE "UserSessions" RENAME COLUMN device TO "deviceGone"');
    try {
      const err = await startupError({ sequelize });
      expect(err.message).to.match(/table "UserSessions" has no column "device".*Run the pending migrations/);
    } finally {
      await run(sequelize, 'ALTER TABLE "UserSessions" RENAME COLUMN "deviceGone" TO device');
    }
  });

  it('a store that is not ours: in the session options, and on a request', async () => {
    const { singleSession } = f;
    expect(() => singleSession.sessionOptions({ secret: SECRET, store: new session.MemoryStore() }))
      .to.throw(SingleSessionConfigError, /uses a session store that is not this package's store\. Pass `singleSession.store`/);
    // A host that wires express-session itself with another store finds out at the first login.
    const app = express();
    app.use(session({ secret: SECRET, resave: false, saveUninitialized: false, store: new session.MemoryStore() }));
    app.post('/login', (req, res) => {
      singleSession.userLoggedIn(req, { id: 1 }).then(() => res.send('ok'), (err: Error) => res.status(500).send(err.message));
    });
    const server = app.listen(0);
    try {
      const port = (server.address() as { port: number }).port;
      const res = await new Browser(`http://127.0.0.1:${port}`).post('/login');
      expect(res.status).to.equal(500);
      expect(res.text).to.match(/this request uses a session store that is not this package's store/);
      expect(await f.count('Sessions')).to.equal(0);
    } finally {
      server.close();
    }
  });

  it('user ids are checked against the key type and made canonical before any SQL runs', () => {
    expect(parseUserIds('integer', [7, '007', ' 8'.trim()])).to.deep.equal(['7', '7', '8']);
    expect(() => parseUserIds('integer', ['abc'])).to.throw(/Invalid user id "abc": user ids are of type integer/);
    expect(() => parseUserIds('integer', ['99999999999'])).to.throw(/Invalid user id "99999999999"/);
    expect(() => parseUserIds('integer', [1.5])).to.throw(/Invalid user id number 1.5/);
    // The engine checks against the key type it read from the schema (integer here).
    expect([7, '7', 'abc', '99999999999', 1.5].map((id) => f.singleSession.isUserId(id))).to.deep.equal([true, true, false, false, false]);
  });

  it('a user without a usable id', async () => {
    const app = express();
    app.use(f.singleSession.sessionMiddleware({ secret: SECRET }));
    app.post('/login', (req, res) => {
      f.singleSession.userLoggedIn(req, { name: 'no id' }).then(() => res.send('ok'), (err: Error) => res.status(500).send(err.message));
    });
    const server = app.listen(0);
    try {
      const res = await new Browser(`http://127.0.0.1:${(server.address() as { port: number }).port}`).post('/login');
      expect(res.text).to.match(/could not read a user id from an object\. Return the user's primary key from `getUserId\(user\)`/);
      expect(await f.count('Sessions')).to.equal(0);
    } finally {
      server.close();
    }
  });
});
