/**
 * The account's reasons reach an open stream like the others (issue 25 item 1, after the account-truth merge): a
 * password change elsewhere (`credentials`, credentialsChanged's ending of the other sessions), the user deleted
 * through the model (`account`, the engine's hook on it), the user's own logout everywhere (`logout`).
 */
import { expect } from 'chai';
import { Browser } from '../support/http.js';
import { cookieHeader, eventually, liveDemo, openStream } from './support.js';

type Demo = Awaited<ReturnType<typeof liveDemo>>;
const LIVE = '/session/live';

describe('live sign-out: the account\'s reasons (credentials, account, logout)', function () {
  this.timeout(120_000);
  let demo: Demo;
  before(async () => {
    // Several sessions per user, so that one device's action ends another's. PostgreSQL: a check too slow to deliver
    // within the time asserted, so only the ending's notification can; MariaDB: its poll (1 s by default).
    const postgres = /^postgres/.test(process.env.DATABASE_URL ?? '');
    demo = await liveDemo({ singleUserSession: false, live: postgres ? { checkIntervalMs: 60_000 } : true });
  });
  after(async () => { await demo?.close(); });

  async function watched(email: string) {
    const browser = new Browser(demo.base);
    expect((await browser.login(email)).status).to.equal(200);
    const before = demo.singleSession.liveStatus()!.openStreams;
    const stream = await openStream(demo.base + LIVE, cookieHeader('sid', browser.cookie('sid')));
    expect(stream.status).to.equal(200);
    await eventually(() => demo.singleSession.liveStatus()!.openStreams === before + 1, 2000, 'the stream is registered');
    return { browser, stream };
  }

  it('`credentials`: a password change on another device is pushed to this one\'s open stream', async () => {
    const { stream } = await watched('alice@example.com');
    const { stream: bobs } = await watched('bob@example.com');
    const changer = new Browser(demo.base);
    expect((await changer.login('alice@example.com')).status).to.equal(200);
    const res = await changer.request('POST', '/password', { form: { currentPassword: 'password', newPassword: 'a new password' } });
    expect(res.status, res.text).to.equal(303);
    expect(JSON.parse((await stream.nextEnded(3000)).data)).to.deep.equal({ reason: 'credentials' });
    await stream.ended;
    expect(bobs.events(), 'another user\'s stream is told nothing').to.deep.equal([]);
    bobs.close();
  });

  it('`account`: the user deleted through the model (`instance.destroy()`) is pushed to the open stream', async () => {
    const { stream } = await watched('staff@example.com');
    const user = await demo.User.findOne({ where: { email: 'staff@example.com' } });
    await user!.destroy();
    expect(JSON.parse((await stream.nextEnded(3000)).data)).to.deep.equal({ reason: 'account' });
    await stream.ended;
  });

  it('`logout`: the user\'s logout everywhere on another device is pushed to the open stream', async () => {
    const { stream } = await watched('bob@example.com');
    const other = new Browser(demo.base);
    expect((await other.login('bob@example.com')).status).to.equal(200);
    await demo.singleSession.endUserSessions([String((await demo.User.findOne({ where: { email: 'bob@example.com' } }))!.get('id'))], { reason: 'logout' });
    expect(JSON.parse((await stream.nextEnded(3000)).data)).to.deep.equal({ reason: 'logout' });
    await stream.ended;
  });
});
