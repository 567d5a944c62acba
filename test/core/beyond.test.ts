/**
 * Beyond the original: what happens past a limit (evict least recently used / oldest / deny), login metadata,
 * self-service "log out my other sessions", events and the audit table.
 */
import { expect } from 'chai';
import type { Express } from 'express';
import { InvalidInputError, type SessionsEndedEvent } from '../../src/index.js';
import { createFixture, type Fixture } from '../support/fixture.js';
import { type Browser, sidOf } from '../support/http.js';
import { ago, rows, run } from '../support/sql.js';

const CHROME_ON_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const SAFARI_ON_IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1';

const selfService = (app: Express, singleSession: Fixture['singleSession']) => {
  app.post('/logout-others', (req, res, next) => {
    singleSession.logoutOtherSessions(req).then((r) => res.json(r), next);
  });
};

async function alive(browsers: Browser[]): Promise<boolean[]> {
  return Promise.all(browsers.map(async (b) => (await b.get('/me')).status === 200));
}

describe('beyond: what a login past the limit does', () => {
  let f: Fixture;
  afterEach(async () => f?.close());

  /** Two sessions: the first created earlier but used recently, the second created later but idle. */
  async function twoSessionsWithClocks(): Promise<Browser[]> {
    const [early, late] = [f.browser(), f.browser()];
    await early.login('alice@example.com');
    await late.login('alice@example.com');
    const age = (b: Browser, created: number, seen: number) => run(f.sequelize,
      `UPDATE "UserSessions" SET "createdAt" = ${ago(f.sequelize, created)}, "lastSeenAt" = ${ago(f.sequelize, seen)} WHERE sid = $sid`, { bind: { sid: sidOf(b.cookie('sid')) } });
    await age(early, 2 * 3600_000, 60_000);
    await age(late, 3600_000, 50 * 60_000);
    return [early, late];
  }

  it('evict-least-recently-used (default) ends the idle session, whatever its age', async () => {
    f = await createFixture({ singleUserSession: 2 });
    const [early, late] = await twoSessionsWithClocks();
    const third = f.browser();
    await third.login('alice@example.com');
    expect(await alive([early!, late!, third])).to.deep.equal([true, false, true]);
  });

  it('evict-oldest ends the session created first, however busy', async () => {
    f = await createFixture({ singleUserSession: 2, whenExceeded: 'evict-oldest' });
    const [early, late] = await twoSessionsWithClocks();
    const third = f.browser();
    await third.login('alice@example.com');
    expect(await alive([early!, late!, third])).to.deep.equal([false, true, true]);
  });

  it('deny refuses the new login with a clear message and keeps the existing sessions', async () => {
    f = await createFixture({ singleUserSession: 1, whenExceeded: 'deny' });
    const first = f.browser();
    await first.login('alice@example.com');
    const second = f.browser();
    const refused = await second.login('alice@example.com');
    expect(refused.status).to.equal(409);
    expect(refused.json).to.deep.equal({
      error: 'This account is already signed in on the maximum number of devices. Sign out on one of them first.',
      reason: 'limit',
    });
    expect(await alive([first, second])).to.deep.equal([true, false]);
    expect(await f.count('UserSessions')).to.equal(1);
    expect(await f.count('Sessions'), 'the refused login left no session behind').to.equal(1);
  });

  it('deny: a browser that was merely closed does not lock the user out beyond the session lifetime', async () => {
    f = await createFixture({ singleUserSession: 1, whenExceeded: 'deny' });
    const closed = f.browser();
    await closed.login('alice@example.com');
    expect((await f.browser().login('alice@example.com')).status).to.equal(409);
    // The closed browser's session reaches the end of its lifetime.
    await run(f.sequelize, `UPDATE "Sessions" SET expires = ${ago(f.sequelize, 1000)}`);
    const next = f.browser();
    expect((await next.login('alice@example.com')).status).to.equal(200);
    expect(await f.count('UserSessions'), 'the expired session was cleared at that login').to.equal(1);
  });

  it('deny: an administrator can clear the way', async () => {
    f = await createFixture({ singleUserSession: 1, whenExceeded: 'deny' });
    await f.browser().login('alice@example.com');
    const next = f.browser();
    expect((await next.login('alice@example.com')).status).to.equal(409);
    await f.singleSession.endUserSessions([await f.userId('alice@example.com')], { actorId: await f.userId('admin@example.com') });
    expect((await next.login('alice@example.com')).status).to.equal(200);
  });

  it('deny: logging in again on the same browser is not refused (its own session is replaced, not counted)', async () => {
    f = await createFixture({ singleUserSession: 1, whenExceeded: 'deny' });
    const a = f.browser();
    await a.login('alice@example.com');
    expect((await a.login('alice@example.com')).status).to.equal(200);
    expect(await f.count('UserSessions')).to.equal(1);
  });
});

describe('beyond: login metadata', () => {
  let f: Fixture;
  afterEach(async () => f?.close());

  async function metadataOf(b: Browser) {
    const [row] = await rows(f.sequelize,
      `SELECT ip, "userAgent", browser, os, device FROM "UserSessions" WHERE sid = $sid`, { bind: { sid: sidOf(b.cookie('sid')) } });
    return row;
  }

  it('records IP and a parsed user agent; without `trust proxy` a forwarded-for header is ignored', async () => {
    f = await createFixture();
    const b = f.browser();
    await b.request('POST', '/login', { json: { email: 'alice@example.com', password: 'password' }, headers: { 'user-agent': CHROME_ON_WINDOWS, 'x-forwarded-for': '203.0.113.9' } });
    expect(await metadataOf(b)).to.deep.equal({ ip: '127.0.0.1', userAgent: CHROME_ON_WINDOWS, browser: 'Chrome 120', os: 'Windows 10', device: 'desktop' });
  });

  it('behind a proxy the app trusts, records the client address the proxy reports', async () => {
    f = await createFixture({}, { routes: (app) => app.set('trust proxy', 1) });
    const b = f.browser();
    await b.request('POST', '/login', { json: { email: 'alice@example.com', password: 'password' }, headers: { 'user-agent': SAFARI_ON_IPHONE, 'x-forwarded-for': '198.51.100.7, 203.0.113.9' } });
    const meta = await metadataOf(b);
    expect(meta).to.deep.include({ ip: '203.0.113.9', browser: 'Mobile Safari 17', os: 'iOS 17.1' });
    expect(meta!.device).to.match(/^mobile Apple iPhone/);
  });

  it('metadata: false records nothing about the device', async () => {
    f = await createFixture({ metadata: false });
    const b = f.browser();
    await b.request('POST', '/login', { json: { email: 'alice@example.com', password: 'password' }, headers: { 'user-agent': CHROME_ON_WINDOWS } });
    expect(await metadataOf(b)).to.deep.equal({ ip: null, userAgent: null, browser: null, os: null, device: null });
  });

  it('listSessions shows a user\'s live sessions with their metadata, most recently used first', async () => {
    f = await createFixture({ singleUserSession: false });
    await f.browser().request('POST', '/login', { json: { email: 'alice@example.com', password: 'password' }, headers: { 'user-agent': CHROME_ON_WINDOWS } });
    const phone = f.browser();
    await phone.request('POST', '/login', { json: { email: 'alice@example.com', password: 'password' }, headers: { 'user-agent': SAFARI_ON_IPHONE } });
    const list = await f.singleSession.listSessions(await f.userId('alice@example.com'));
    expect(list.map((s) => s.os)).to.deep.equal(['iOS 17.1', 'Windows 10']);
    expect(list[0]).to.not.have.property('sid');
  });
});

describe('beyond: self-service, events and audit', () => {
  let f: Fixture;
  afterEach(async () => f?.close());

  it('logoutOtherSessions keeps the current session and ends the others (told "logout")', async () => {
    f = await createFixture({ singleUserSession: false }, { routes: selfService });
    const [a, b, c] = [f.browser(), f.browser(), f.browser()];
    for (const x of [a, b, c]) await x.login('alice@example.com');
    const bob = f.browser();
    await bob.login('bob@example.com');
    const res = await b.post('/logout-others');
    expect(res.json).to.deep.equal({ sessions: 2, users: [String(await f.userId('alice@example.com'))] });
    expect(await alive([a, b, c, bob])).to.deep.equal([false, true, false, true]);
    expect((await a.get('/me')).json.reason).to.equal('logout');
  });

  it('endSessionsByHandle refuses handles that cannot exist before any SQL runs', async () => {
    f = await createFixture();
    await f.browser().login('alice@example.com');
    for (const bad of ['abc', '-1', '9999999999999999999', '1.5']) {
      try {
        await f.singleSession.endSessionsByHandle([bad]);
        expect.fail(`accepted ${bad}`);
      } catch (err) {
        expect(err, bad).to.be.instanceOf(InvalidInputError);
        expect((err as Error).message).to.match(/Invalid user id .*: user ids are of type session handle/);
      }
    }
    expect(await f.count('UserSessions')).to.equal(1);
  });

  it('every ending emits sessions:ended and, with audit: true, writes an audit row (and so does every sign-in)', async () => {
    f = await createFixture({ singleUserSession: 2, audit: true });
    const events: SessionsEndedEvent[] = [];
    f.singleSession.events.on('sessions:ended', (e) => events.push(e));
    const alice = String(await f.userId('alice@example.com'));
    const admin = String(await f.userId('admin@example.com'));
    const browsers = [f.browser(), f.browser(), f.browser()];
    for (const b of browsers) await b.login('alice@example.com'); // third login evicts one: 'limit'
    await f.singleSession.endUserSessions([alice], { actorId: admin }); // 'revoked' x2
    await browsers[0]!.login('alice@example.com');
    await browsers[0]!.post('/logout'); // 'logout' x1
    const bobId = String(await f.userId('bob@example.com'));
    const bob = f.browser();
    await bob.login('bob@example.com');
    await bob.login('bob@example.com'); // same browser: its old session is regenerated away, nothing is 'replaced'

    expect(events.map((e) => [e.reason, e.actorId, e.userIds, e.sessions])).to.deep.equal([
      ['limit', alice, [alice], 1],
      ['revoked', admin, [alice], 2],
      ['logout', alice, [alice], 1],
    ]);
    const audit = await rows<{ reason: string; actorId: string; userIds: string[] | string; sessionCount: number }>(f.sequelize,
      `SELECT reason, "actorId", "userIds", "sessionCount" FROM "SessionAuditEvents" ORDER BY id`);
    // MariaDB's JSON column is text to a raw query: the same array once parsed.
    const trail = audit.map((r) => ({ ...r, userIds: typeof r.userIds === 'string' ? JSON.parse(r.userIds) as string[] : r.userIds }));
    const login = (user: string) => ({ reason: 'login', actorId: user, userIds: [user], sessionCount: 1 });
    expect(trail).to.deep.equal([
      login(alice), login(alice),
      login(alice), { reason: 'limit', actorId: alice, userIds: [alice], sessionCount: 1 }, // the sign-in first, in its transaction
      { reason: 'revoked', actorId: admin, userIds: [alice], sessionCount: 2 },
      login(alice),
      { reason: 'logout', actorId: alice, userIds: [alice], sessionCount: 1 },
      login(bobId), login(bobId),
    ]);
  });
});
