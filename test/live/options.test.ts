/**
 * The `live` option, checked at start-up: a wrong shape, an unknown setting, a listenUrl that is not a direct
 * PostgreSQL URL (or is given on MariaDB, or cannot be reached) fail createSingleSession with the fix.
 */
import { expect } from 'chai';
import type { Sequelize } from 'sequelize';
import { createSingleSession, SingleSessionConfigError } from '../../src/index.js';
import { connect, testDatabase, testDialect } from '../support/database.js';
import { resetSchema } from '../support/fixture.js';

async function refusal(sequelize: Sequelize, live: unknown): Promise<string> {
  try {
    const engine = await createSingleSession({ sequelize, live: live as never, purgeIntervalMs: false });
    await engine.close();
  } catch (error) {
    expect(error).to.be.instanceOf(SingleSessionConfigError);
    return (error as Error).message;
  }
  throw new Error(`live: ${JSON.stringify(live)} was accepted`);
}

describe('live sign-out: the option, checked at start-up', function () {
  this.timeout(60_000);
  let sequelize: Sequelize;
  before(async () => {
    sequelize = connect((await testDatabase()).url, 4);
    await resetSchema(sequelize);
  });
  after(async () => { await sequelize?.close(); });

  it('refuses a wrong shape or an unknown setting, naming it', async () => {
    expect(await refusal(sequelize, 'yes')).to.match(/option `live` must be true, false or an object/);
    expect(await refusal(sequelize, { listenURL: 'postgres://x/y' })).to.match(/unknown option `live.listenURL`.*listenUrl/);
    expect(await refusal(sequelize, { checkIntervalMs: 0 })).to.match(/`live.checkIntervalMs` must be a positive number/);
    expect(await refusal(sequelize, { maxStreamsPerSession: 2.5 })).to.match(/`live.maxStreamsPerSession` must be a positive integer/);
    expect(await refusal(sequelize, { listen: false, listenUrl: 'postgres://127.0.0.1/x' })).to.match(/Keep one of them/);
  });

  it('refuses a listenUrl that is not a postgres:// URL (and hides its password)', async () => {
    const message = await refusal(sequelize, { listenUrl: 'mysql://user:secret@db/app' });
    expect(message).to.match(/`live.listenUrl` must be a postgres:\/\/ URL of a direct connection/);
    expect(message).not.to.contain('secret');
  });

  if (testDialect() === 'mariadb') {
    it('MariaDB: a listenUrl is refused (it polls)', async () => {
      expect(await refusal(sequelize, { listenUrl: 'postgres://127.0.0.1:5432/x' })).to.match(/is for PostgreSQL.*Remove `listenUrl`/);
    });
  } else {
    it('PostgreSQL: a listenUrl that cannot be reached fails the start-up, saying which setting to check', async () => {
      expect(await refusal(sequelize, { listenUrl: 'postgres://postgres@127.0.0.1:1/nowhere' })).to.match(/could not open its listening connection.*live.listenUrl/);
    });
    it('PostgreSQL: a listenUrl on another database (it would hear nothing) fails the start-up', async () => {
      const other = Object.assign(new URL((await testDatabase()).url), { pathname: '/postgres' }).toString();
      expect(await refusal(sequelize, { listenUrl: other })).to.match(/did not reach it within 5 s.*same database/);
    });
  }

  it('`live: true` starts, and the stream handler exists; off, liveSignOut() says how to turn it on', async () => {
    const on = await createSingleSession({ sequelize, live: true, purgeIntervalMs: false });
    expect(on.liveSignOut()).to.be.a('function');
    await on.close();
    const off = await createSingleSession({ sequelize, purgeIntervalMs: false });
    expect(() => off.liveSignOut()).to.throw(SingleSessionConfigError, /live: true/);
    await off.close();
  });
});
