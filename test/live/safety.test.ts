/**
 * The live sign-out's safety rules, over HTTP against the demo: an anonymous client gets 401 at once and holds
 * nothing; another site's request is refused; the stream tells its own session only its reason (no session id, no
 * user); it is not activity (an open tab does not keep an idle session alive); streams per session are bounded.
 */
import { expect } from 'chai';
import { Browser, sidOf } from '../support/http.js';
import { rows } from '../support/sql.js';
import { cookieHeader, eventually, liveDemo, openStream, sleep } from './support.js';

type Demo = Awaited<ReturnType<typeof liveDemo>>;
const LIVE = '/session/live';

async function signedIn(demo: Demo, email: string): Promise<{ browser: Browser; cookie: Record<string, string>; userId: string }> {
  const browser = new Browser(demo.base);
  expect((await browser.login(email)).status).to.equal(200);
  const user = await demo.User.findOne({ where: { email } });
  return { browser, cookie: cookieHeader('sid', browser.cookie('sid')), userId: String(user!.get('id')) };
}

describe('live sign-out: safety', function () {
  this.timeout(120_000);
  let demo: Demo;
  before(async () => {
    demo = await liveDemo({ idleTimeoutMs: 3000, live: { checkIntervalMs: 250, maxStreamsPerSession: 3, heartbeatMs: 200 } });
  });
  after(async () => { await demo?.close(); });

  it('an anonymous client gets 401 at once and holds no connection', async () => {
    const started = Date.now();
    const stream = await openStream(demo.base + LIVE);
    await stream.ended;
    expect(stream.status).to.equal(401);
    expect(Date.now() - started).to.be.below(1000);
    expect(JSON.parse(stream.text()).error).to.match(/not signed in/i);
    expect(demo.singleSession.liveStatus()!.openStreams).to.equal(0);
  });

  it('a request another site sent is refused (403), even with the cookie, and holds nothing', async () => {
    const { cookie } = await signedIn(demo, 'alice@example.com');
    const foreigns: Array<Record<string, string>> = [{ 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' }, { origin: 'https://evil.example' }];
    for (const foreign of foreigns) {
      const stream = await openStream(demo.base + LIVE, { ...cookie, ...foreign });
      await stream.ended;
      expect(stream.status, JSON.stringify(foreign)).to.equal(403);
    }
    expect(demo.singleSession.liveStatus()!.openStreams).to.equal(0);
    const own = await openStream(demo.base + LIVE, { ...cookie, 'sec-fetch-site': 'same-origin' });
    expect(own.status).to.equal(200);
    own.close();
  });

  it('tells the session only its reason: no session id, no user, the proxy headers, heartbeats', async () => {
    const { browser, cookie, userId } = await signedIn(demo, 'bob@example.com');
    const stream = await openStream(demo.base + LIVE, cookie);
    expect(stream.status).to.equal(200);
    expect(stream.headers['content-type']).to.match(/^text\/event-stream/);
    expect(stream.headers['cache-control']).to.match(/no-cache/);
    expect(stream.headers['x-accel-buffering']).to.equal('no');
    await eventually(() => demo.singleSession.liveStatus()!.openStreams === 1, 2000, 'the stream is registered');
    await eventually(() => /\n: \n\n/.test(stream.text()), 2000, 'a heartbeat (comment line) arrives');
    await demo.singleSession.endUserSessions([userId]);
    const ended = await stream.nextEnded(2000);
    expect(JSON.parse(ended.data)).to.deep.equal({ reason: 'revoked' });
    await stream.ended;
    const sid = sidOf(browser.cookie('sid'));
    for (const secret of [sid, browser.cookie('sid')!, 'bob@example.com', `"${userId}"`]) expect(stream.text()).not.to.contain(secret);
    // Every line is the retry hint, a comment, or the one event.
    for (const line of stream.text().split('\n').filter(Boolean)) expect(line).to.match(/^(retry: \d+|: .*|:|event: ended|data: \{"reason":"revoked"\})$/);
  });

  it('a cookie of a session that already ended is told its reason at once', async () => {
    const { cookie, userId } = await signedIn(demo, 'alice@example.com');
    await demo.singleSession.endUserSessions([userId]);
    const stream = await openStream(demo.base + LIVE, cookie);
    await stream.ended;
    expect(stream.status).to.equal(200);
    expect(JSON.parse((await stream.nextEnded(100)).data)).to.deep.equal({ reason: 'revoked' });
  });

  it('is not activity: streams opened and closed for longer than the idle timeout do not keep the session alive', async () => {
    const { browser, cookie } = await signedIn(demo, 'alice@example.com');
    const sid = sidOf(browser.cookie('sid'));
    const expiresOf = async () => (await rows<{ expires: Date }>(demo.sequelize, `SELECT expires FROM "Sessions" WHERE sid = '${sid}'`))[0]?.expires;
    const before = await expiresOf();
    // Tabs that keep opening streams for 3.5 s (idle is 3 s): beyond the bound of 3 the server ends the oldest, and a
    // response's end is where express-session touches the session — it must not here.
    const streams = [];
    const until = Date.now() + 3500;
    while (Date.now() < until) {
      const stream = await openStream(demo.base + LIVE, cookie);
      expect(stream.status).to.equal(200);
      streams.push(stream);
      await sleep(300);
      const after = await expiresOf();
      if (after) expect(new Date(after).getTime(), 'the expiry never moves').to.equal(new Date(before!).getTime());
    }
    expect(streams.length).to.be.above(4);
    // The server pushes the idle ending to the open ones (the check runs every 250 ms).
    const ended = await streams.at(-1)!.nextEnded(2000);
    expect(JSON.parse(ended.data)).to.deep.equal({ reason: 'idle' });
    expect((await browser.get('/me')).json.reason).to.equal('idle');
  });

  it('bounds the streams of one session: a new one beyond the limit closes the oldest', async () => {
    const { cookie } = await signedIn(demo, 'bob@example.com');
    const streams = [];
    for (let i = 0; i < 4; i++) streams.push(await openStream(demo.base + LIVE, cookie));
    await streams[0]!.ended;
    expect(streams[0]!.text()).to.match(/retry: 60000/);
    await eventually(() => demo.singleSession.liveStatus()!.openStreams === 3, 2000, 'three streams open');
    for (const s of streams) s.close();
    await eventually(() => demo.singleSession.liveStatus()!.openStreams === 0, 2000, 'closed streams are forgotten');
  });
});
