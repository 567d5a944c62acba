/**
 * The PostgreSQL listener after it lost its connection: it reconnects (with backoff) and re-checks every connected
 * session, so an ending whose notification went out while nobody listened is still told. The periodic check is
 * set to ten minutes here: only the re-check after the reconnection can deliver within the test's time.
 */
import { expect } from 'chai';
import { startProxy, type Proxy } from '../stress/support/proxy.js';
import { postgresOnly, testDatabase } from '../support/database.js';
import { Browser } from '../support/http.js';
import { count, rows } from '../support/sql.js';
import { cookieHeader, eventually, liveDemo, openStream, sleep } from './support.js';

type Demo = Awaited<ReturnType<typeof liveDemo>>;
const LIVE = '/session/live';
const TEN_MINUTES = 600_000;

async function watched(demo: Demo, email: string) {
  const browser = new Browser(demo.base);
  expect((await browser.login(email)).status).to.equal(200);
  const user = await demo.User.findOne({ where: { email } });
  const stream = await openStream(demo.base + LIVE, cookieHeader('sid', browser.cookie('sid')));
  expect(stream.status).to.equal(200);
  await eventually(() => demo.singleSession.liveStatus()!.openStreams >= 1, 2000, 'the stream is registered');
  return { stream, userId: String(user!.get('id')) };
}

const listening = (demo: Demo, pid: number) =>
  count(demo.sequelize, `SELECT count(*) AS n FROM pg_stat_activity WHERE pid = ${pid} AND application_name = 'adminjs-single-session live'`);

describe('live sign-out: the listener reconnects and re-checks (PostgreSQL)', function () {
  postgresOnly(this, 'LISTEN/NOTIFY is PostgreSQL\'s; MariaDB polls');
  this.timeout(120_000);

  describe('its connection terminated (pg_terminate_backend)', () => {
    let demo: Demo;
    before(async () => { demo = await liveDemo({ live: { checkIntervalMs: TEN_MINUTES, reconnectDelayMs: 1500 } }); });
    after(async () => { await demo?.close(); });

    it('one listening connection for the process, whatever the number of streams', async () => {
      const a = await watched(demo, 'alice@example.com');
      const b = await watched(demo, 'bob@example.com');
      expect(await count(demo.sequelize, `SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'adminjs-single-session live'`)).to.equal(1);
      a.stream.close();
      b.stream.close();
    });

    it('an ending while it is gone is told after it reconnects', async () => {
      const { stream, userId } = await watched(demo, 'alice@example.com');
      const pid = demo.singleSession.liveStatus()!.listenerPid!;
      expect(await listening(demo, pid)).to.equal(1);
      await rows(demo.sequelize, `SELECT pg_terminate_backend(${pid})`);
      await eventually(async () => (await listening(demo, pid)) === 0, 5000, 'the listening backend is gone');
      // Its notification goes out now, to nobody: the listener reconnects in about 1.5 s.
      await demo.singleSession.endUserSessions([userId]);
      const ended = await stream.nextEnded(5000);
      expect(JSON.parse(ended.data)).to.deep.equal({ reason: 'revoked' });
      const newPid = demo.singleSession.liveStatus()!.listenerPid;
      expect(newPid).to.be.a('number').and.not.equal(pid);
    });

    it('after the reconnection, endings arrive by NOTIFY again (at once)', async () => {
      const { stream, userId } = await watched(demo, 'bob@example.com');
      const started = Date.now();
      await demo.singleSession.endUserSessions([userId]);
      expect(JSON.parse((await stream.nextEnded(2000)).data)).to.deep.equal({ reason: 'revoked' });
      expect(Date.now() - started).to.be.below(1000);
    });
  });

  describe('its own connection (`live.listenUrl`) cut for seconds, through a proxy', () => {
    let demo: Demo;
    let proxy: Proxy;
    before(async () => {
      const { url } = await testDatabase();
      const target = new URL(url);
      proxy = await startProxy({ host: target.hostname, port: Number(target.port || 5432) });
      const listenUrl = Object.assign(new URL(url), { hostname: '127.0.0.1', port: String(proxy.port) }).toString();
      demo = await liveDemo({ live: { listenUrl, checkIntervalMs: TEN_MINUTES, reconnectDelayMs: 200 } });
    });
    after(async () => {
      await demo?.close();
      await proxy?.close();
    });

    it('keeps retrying with backoff while the database is away; tells what ended meanwhile once it is back', async () => {
      const { stream, userId } = await watched(demo, 'alice@example.com');
      proxy.cut();
      await eventually(() => demo.singleSession.liveStatus()!.listenerPid === null, 5000, 'the listener knows it is cut off');
      await demo.singleSession.endUserSessions([userId]);
      await sleep(2000); // several failed attempts
      expect(stream.events()).to.have.length(0);
      proxy.restore();
      const ended = await stream.nextEnded(8000);
      expect(JSON.parse(ended.data)).to.deep.equal({ reason: 'revoked' });
    });
  });
});
