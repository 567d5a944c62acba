/**
 * `sessions:created` (issue 11, part 5): an event for every login, with its metadata and whether the user had signed
 * in from that device (browser + OS + device, versions aside) before — remembered in `KnownDevices`, written in the
 * login's transaction under the user's lock. Over HTTP (site routes and the AdminJS login), on PostgreSQL and MariaDB.
 */
import { expect } from 'chai';
import { createSingleSession, SingleSessionConfigError, type SessionCreatedEvent } from '../../src/index.js';
import { createAdminFixture, type AdminFixture } from '../support/admin.js';
import { createFixture, type Fixture } from '../support/fixture.js';
import { testDatabase } from '../support/database.js';
import { rows, run } from '../support/sql.js';

const UA = {
  chrome120: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  chrome121: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/121.0.0.0 Safari/537.36',
  firefox: 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
  iphone: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
};

function recorder(f: Fixture): SessionCreatedEvent[] {
  const events: SessionCreatedEvent[] = [];
  f.singleSession.events.on('sessions:created', (e) => events.push(e));
  return events;
}

async function login(f: Fixture, email: string, userAgent?: string) {
  const res = await f.browser().request('POST', '/login', {
    json: { email, password: 'password' }, headers: userAgent ? { 'user-agent': userAgent } : {},
  });
  expect(res.status, res.text).to.equal(200);
}

async function devices(f: Fixture, email?: string) {
  return rows<{ email: string; browser: string; os: string; device: string; firstSeenAt: Date; lastSeenAt: Date }>(f.sequelize,
    `SELECT u.email, d.browser, d.os, d.device, d."firstSeenAt", d."lastSeenAt" FROM "KnownDevices" d JOIN "Users" u ON u.id = d."userId"
     ${email === undefined ? '' : 'WHERE u.email = $email'} ORDER BY d."firstSeenAt", d.browser`, { bind: email === undefined ? {} : { email } });
}

describe('sessions:created and known devices (issue 11)', function () {
  this.timeout(60_000);

  describe('with metadata (the default)', () => {
    let f: Fixture;
    let events: SessionCreatedEvent[];
    before(async () => { f = await createFixture(); });
    after(async () => f?.close());
    beforeEach(async () => {
      f.singleSession.events.removeAllListeners('sessions:created');
      events = recorder(f);
      await run(f.sequelize, 'DELETE FROM "KnownDevices"');
      await run(f.sequelize, 'DELETE FROM "Sessions"');
    });

    it('the first login from a device is new; the next from it (another browser version too) is known', async () => {
      const alice = String(await f.userId('alice@example.com'));
      await login(f, 'alice@example.com', UA.chrome120);
      expect(events).to.have.length(1);
      const [first] = events;
      expect(first).to.deep.include({ userId: alice, knownDevice: false, endedSessions: 0 });
      expect(first!.metadata).to.deep.include({ browser: 'Chrome 120', os: 'Linux', device: 'desktop', userAgent: UA.chrome120 });
      expect(first!.metadata.ip).to.match(/127\.0\.0\.1/);
      expect(first!.at).to.be.instanceOf(Date);
      const [row] = await devices(f, 'alice@example.com');
      expect(row).to.deep.include({ browser: 'Chrome', os: 'Linux', device: 'desktop' });

      await login(f, 'alice@example.com', UA.chrome121); // a browser update is not a new device
      expect(events[1]).to.deep.include({ userId: alice, knownDevice: true, endedSessions: 1 }); // and it replaced the first session
      const rows = await devices(f, 'alice@example.com');
      expect(rows).to.have.length(1);
      expect(rows[0]!.firstSeenAt.getTime()).to.equal(row!.firstSeenAt.getTime());
      expect(rows[0]!.lastSeenAt.getTime()).to.be.above(row!.lastSeenAt.getTime());
    });

    it('another browser, another device type, another user: each new once', async () => {
      await login(f, 'alice@example.com', UA.chrome120);
      await login(f, 'alice@example.com', UA.firefox);
      await login(f, 'alice@example.com', UA.iphone);
      await login(f, 'bob@example.com', UA.chrome120);
      await login(f, 'alice@example.com', UA.firefox);
      expect(events.map((e) => e.knownDevice)).to.deep.equal([false, false, false, false, true]);
      expect((await devices(f, 'alice@example.com')).map((d) => [d.browser, d.os, d.device])).to.deep.equal([
        ['Chrome', 'Linux', 'desktop'], ['Firefox', 'Linux', 'desktop'], ['Mobile Safari', 'iOS', 'mobile Apple iPhone'],
      ]);
    });

    it('no user agent: the device is unknown (null) and nothing is remembered', async () => {
      const res = await fetch(`${f.baseUrl}/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': '' },
        body: JSON.stringify({ email: 'bob@example.com', password: 'password' }) });
      expect(res.status).to.equal(200);
      expect(events[0]).to.deep.include({ knownDevice: null });
      expect(events[0]!.metadata).to.deep.include({ userAgent: null, browser: null, os: null, device: null });
      expect(await devices(f)).to.deep.equal([]);
    });

    it('ten simultaneous first logins of one user from one new device: exactly one is told "new"', async function () {
      if (!(await testDatabase()).real) {
        console.log('      (skipped: needs a real database server for concurrent logins; set DATABASE_URL)');
        return this.skip();
      }
      f.singleSession.events.removeAllListeners('sessions:created');
      events = recorder(f);
      await Promise.all(Array.from({ length: 10 }, () => login(f, 'bob@example.com', UA.firefox)));
      expect(events.map((e) => e.knownDevice).sort()).to.deep.equal([false, ...Array(9).fill(true)]);
      expect(await devices(f, 'bob@example.com')).to.have.length(1);
    });

    it('a login the policy refuses records no device and emits nothing; deleting a user deletes their devices', async () => {
      const strict = await createFixture({ singleUserSession: 1, whenExceeded: 'deny' });
      try {
        const seen = recorder(strict);
        await login(strict, 'alice@example.com', UA.chrome120);
        const refused = await strict.browser().request('POST', '/login', {
          json: { email: 'alice@example.com', password: 'password' }, headers: { 'user-agent': UA.firefox },
        });
        expect(refused.status).to.be.within(400, 499);
        expect(seen.map((e) => e.knownDevice)).to.deep.equal([false]);
        expect((await devices(strict)).map((d) => d.browser)).to.deep.equal(['Chrome']);
        await strict.User.destroy({ where: { email: 'alice@example.com' } });
        expect(await devices(strict)).to.deep.equal([]);
      } finally {
        await strict.close();
      }
    });

    it('a listener that throws (a broken mailer) does not fail the login: it is reported as `error`', async () => {
      const reported: Error[] = [];
      f.singleSession.events.on('sessions:created', () => { throw new Error('a broken mailer'); });
      f.singleSession.events.on('error', (err) => reported.push(err));
      try {
        const b = f.browser();
        expect((await b.login('bob@example.com')).status).to.equal(200);
        expect((await b.get('/me')).json?.email).to.equal('bob@example.com');
        expect(reported.map((e) => e.message)).to.deep.equal(['a broken mailer']);
      } finally {
        f.singleSession.events.removeAllListeners('error');
      }
    });
  });

  it('with `metadata: false` the event says unknown and nothing is recorded', async () => {
    const f = await createFixture({ metadata: false });
    try {
      const events = recorder(f);
      await login(f, 'alice@example.com', UA.chrome120);
      await login(f, 'alice@example.com', UA.chrome120);
      expect(events.map((e) => e.knownDevice)).to.deep.equal([null, null]);
      expect(events[0]!.metadata).to.deep.equal({ ip: null, userAgent: null, browser: null, os: null, device: null });
      expect(await devices(f)).to.deep.equal([]);
    } finally {
      await f.close();
    }
  });

  it('the AdminJS login emits it too', async () => {
    const f: AdminFixture = await createAdminFixture();
    try {
      const events = recorder(f);
      await f.adminLogin('manager@example.com');
      expect(events).to.have.length(1);
      expect(events[0]!.userId).to.equal(String(await f.userId('manager@example.com')));
    } finally {
      await f.close();
    }
  });

  it('without the KnownDevices table the start stops and names the migration', async () => {
    const f = await createFixture();
    try {
      await run(f.sequelize, 'ALTER TABLE "KnownDevices" RENAME TO "KnownDevicesGone"');
      const err = await createSingleSession({ sequelize: f.sequelize }).then(() => null, (e: Error) => e);
      expect(err).to.be.instanceOf(SingleSessionConfigError);
      expect(err!.message).to.match(/table "KnownDevices" .* does not exist\. Run the pending migrations.*20261127000000-known-devices\.cjs/);
    } finally {
      await run(f.sequelize, 'ALTER TABLE IF EXISTS "KnownDevicesGone" RENAME TO "KnownDevices"');
      await f.close();
    }
  });
});
