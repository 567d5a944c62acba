/**
 * The original's four documented scenarios, plus limits, checked twice each: rows in Sessions/UserSessions, and over
 * HTTP with the real cookies (a kicked cookie is logged out and told why; a spared one still works).
 */
import { expect } from 'chai';
import { createFixture, type Fixture } from '../support/fixture.js';
import type { Browser } from '../support/http.js';

async function loggedIn(browser: Browser): Promise<boolean> {
  const me = await browser.get('/me');
  return me.status === 200;
}

async function loginAll(f: Fixture, email: string, n: number): Promise<Browser[]> {
  const browsers: Browser[] = [];
  for (let i = 0; i < n; i++) {
    const b = f.browser();
    const res = await b.login(email);
    expect(res.status, res.text).to.equal(200);
    browsers.push(b);
  }
  return browsers;
}

describe('policy: the original four scenarios', () => {
  let f: Fixture;
  afterEach(async () => f?.close());

  it('policy on (default): a second login ends the first; the first is told "replaced"; logout ends all', async () => {
    f = await createFixture();
    const alice = await f.userId('alice@example.com');
    const [first, second] = await loginAll(f, 'alice@example.com', 2);
    expect(await f.count('UserSessions', `"userId" = ${alice}`)).to.equal(1);
    expect(await f.count('Sessions')).to.equal(1);

    const kicked = await first!.get('/me');
    expect(kicked.status).to.equal(401);
    expect(kicked.json).to.deep.include({ reason: 'replaced' });
    expect(kicked.json.error).to.match(/another device/);
    expect(await loggedIn(second!)).to.equal(true);

    // Another user is untouched by alice's logins.
    const [bob] = await loginAll(f, 'bob@example.com', 1);
    expect(await f.count('Sessions')).to.equal(2);
    expect((await second!.post('/logout')).status).to.equal(200);
    expect(await loggedIn(second!)).to.equal(false);
    expect(await loggedIn(bob!)).to.equal(true);
    expect(await f.count('UserSessions', `"userId" = ${alice}`)).to.equal(0);
  });

  it('a per-user callback decides who is limited (true: single session, false: unlimited)', async () => {
    const seen: string[] = [];
    f = await createFixture({
      singleUserSession: (user: { email: string }) => {
        seen.push(user.email);
        return user.email !== 'bob@example.com';
      },
    });
    const alices = await loginAll(f, 'alice@example.com', 3);
    const bobs = await loginAll(f, 'bob@example.com', 3);
    expect(seen).to.include.members(['alice@example.com', 'bob@example.com']);
    expect(await f.count('UserSessions', `"userId" = ${await f.userId('alice@example.com')}`)).to.equal(1);
    expect(await f.count('UserSessions', `"userId" = ${await f.userId('bob@example.com')}`)).to.equal(3);
    expect(await Promise.all(alices.map(loggedIn))).to.deep.equal([false, false, true]);
    expect(await Promise.all(bobs.map(loggedIn))).to.deep.equal([true, true, true]);
  });

  it('policy off: logins accumulate, but logging out still ends every session (LOGOUT_ALL_SESSIONS)', async () => {
    f = await createFixture({ singleUserSession: false });
    const browsers = await loginAll(f, 'alice@example.com', 3);
    expect(await f.count('UserSessions')).to.equal(3);
    expect(await Promise.all(browsers.map(loggedIn))).to.deep.equal([true, true, true]);

    const out = await browsers[0]!.post('/logout');
    expect(out.json).to.deep.equal({ ok: true, sessionsEnded: 3 });
    expect(await f.count('UserSessions')).to.equal(0);
    expect(await f.count('Sessions')).to.equal(0);
    const other = await browsers[1]!.get('/me');
    expect(other.status).to.equal(401);
    expect(other.json.reason).to.equal('logout');
    // The browser that logged out itself is simply logged out, not told why.
    const own = await browsers[0]!.get('/me');
    expect(own.status).to.equal(401);
    expect(own.json.reason).to.equal(undefined);
  });

  it('policy off and logout-all off: logging out ends only the current session', async () => {
    f = await createFixture({ singleUserSession: false, logoutAllSessions: false });
    const browsers = await loginAll(f, 'alice@example.com', 3);
    await browsers[0]!.post('/logout');
    expect(await f.count('UserSessions')).to.equal(2);
    expect(await Promise.all(browsers.map(loggedIn))).to.deep.equal([false, true, true]);
  });

  it('policy on and logout-all off: logout ends the current session only; the policy still applies at login', async () => {
    f = await createFixture({ logoutAllSessions: false });
    const [a, b] = await loginAll(f, 'alice@example.com', 2);
    expect(await loggedIn(a!)).to.equal(false);
    await b!.post('/logout');
    expect(await f.count('Sessions')).to.equal(0);
  });
});

describe('policy: limits', () => {
  let f: Fixture;
  afterEach(async () => f?.close());

  it('a limit of N keeps the N most recent logins (least recently used go first)', async () => {
    f = await createFixture({ singleUserSession: 3 });
    const browsers = await loginAll(f, 'alice@example.com', 5);
    expect(await f.count('UserSessions')).to.equal(3);
    expect(await Promise.all(browsers.map(loggedIn))).to.deep.equal([false, false, true, true, true]);
  });

  it('a per-user function may return a number, and exempt users are never limited', async () => {
    f = await createFixture({
      singleUserSession: (user: { email: string }) => (user.email === 'alice@example.com' ? 2 : 1),
      exempt: (user: { email: string }) => user.email === 'manager@example.com',
    });
    await loginAll(f, 'alice@example.com', 4);
    await loginAll(f, 'bob@example.com', 2);
    await loginAll(f, 'manager@example.com', 4);
    expect(await f.count('UserSessions', `"userId" = ${await f.userId('alice@example.com')}`)).to.equal(2);
    expect(await f.count('UserSessions', `"userId" = ${await f.userId('bob@example.com')}`)).to.equal(1);
    expect(await f.count('UserSessions', `"userId" = ${await f.userId('manager@example.com')}`)).to.equal(4);
  });

  it('a per-user function returning nonsense fails the login clearly and changes nothing', async () => {
    f = await createFixture({ singleUserSession: () => 'two' as unknown as number });
    const b = f.browser();
    const res = await b.login('alice@example.com');
    expect(res.status).to.equal(500);
    expect(res.text).to.not.match(/at .*\.ts:\d+/); // no stack trace (site error handler is the host's)
    expect(await f.count('Sessions')).to.equal(0);
  });
});
