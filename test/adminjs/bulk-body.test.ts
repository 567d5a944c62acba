/**
 * Issue 23, finding 5: the demo's server accepts Node's default 16 KB of request head from anyone (it accepted 1 MB,
 * for bulk actions with 50,000 ids in the query string), and a signed-in admin's bulk action carries its ids in the
 * POST body instead (`recordIds`, form or JSON): the largest selection the package allows (50,000 ids) still works.
 * Against the demo as `npm start` serves it (example/setup.ts's SERVER_LIMITS), over HTTP, the database checked.
 * The memory an anonymous slow client can hold is measured in test/stress/slow-headers.stress.ts.
 */
import { expect } from 'chai';
import { MAX_IDS } from '../../src/ids.js';
import type { RunningDemo } from '../../example/setup.js';
import { launchFreshDemo } from '../support/chromium.js';
import { Browser } from '../support/http.js';
import { count, rows } from '../support/sql.js';

describe('bulk ids in the body; 16 KB of headers for everyone (issue 23, finding 5)', function () {
  this.timeout(180_000);
  let demo: RunningDemo;
  let baseUrl: string;
  let ids: Record<string, number>;
  /** The ids of the users added for the largest selection. */
  let others: number[];

  before(async () => {
    demo = await launchFreshDemo();
    baseUrl = demo.baseUrl.replace('//localhost:', '//127.0.0.1:');
    // Enough users for the largest selection (AdminJS refuses ids without a record).
    for (let from = 0; from < MAX_IDS; from += 5_000) {
      await demo.User.bulkCreate(Array.from({ length: 5_000 }, (_, i) => ({ email: `bulk${from + i}@example.com`, passwordHash: 'x', isAdmin: false, permissions: [] })));
    }
    const all = await rows<{ id: number; email: string }>(demo.sequelize, 'SELECT id, email FROM "Users" ORDER BY id');
    ids = Object.fromEntries(all.map((r) => [r.email, Number(r.id)]));
    others = all.filter((r) => r.email.startsWith('bulk')).map((r) => Number(r.id));
  });
  after(async () => demo?.close());

  const sessionsOf = (email: string) => count(demo.sequelize, 'SELECT count(*) FROM "UserSessions" WHERE "userId" = $id', { bind: { id: ids[email] } });
  async function adminLogin(): Promise<Browser> {
    const b = new Browser(baseUrl);
    const res = await b.request('POST', '/admin/login', { form: { email: 'admin@example.com', password: 'password' } });
    expect(res.status).to.equal(302);
    return b;
  }
  /** `n` ids of users: the given ones first, then added ones (past those, ids no user has). */
  const selection = (users: string[], n: number) =>
    [...users.map((u) => ids[u]!), ...Array.from({ length: n - users.length }, (_, i) => others[i] ?? 10_000_000 + i)];
  const BULK = '/admin/api/resources/User/bulk/logoutUserOnAllSessions';

  it('a request head over 16 KB is refused (431), signed in or not; 16 KB of query string is about 1,300 ids', async () => {
    const long = Array.from({ length: 2_500 }, (_, i) => 1_000_000 + i).join(','); // 20 KB of ids
    expect((await fetch(`${baseUrl}/me?recordIds=${long}`)).status).to.equal(431);
    const admin = await adminLogin();
    expect((await admin.get(`${BULK}?recordIds=${long}`)).status).to.equal(431);
    expect((await admin.get(`${BULK}?recordIds=${selection(['alice@example.com'], 1_000).join(',')}`)).status).to.equal(200);
  });

  for (const [kind, send] of [
    ['JSON, a comma-separated text', (b: Browser, list: number[]) => b.request('POST', BULK, { json: { recordIds: list.join(',') } })],
    ['JSON, an array', (b: Browser, list: number[]) => b.request('POST', BULK, { json: { recordIds: list } })],
    ['a form', (b: Browser, list: number[]) => b.request('POST', BULK, { form: { recordIds: list.join(',') } })],
  ] as const) {
    it(`a signed-in bulk POST with ${MAX_IDS.toLocaleString('en')} ids in the body (${kind}) ends the sessions of the users among them`, async () => {
      const alice = new Browser(baseUrl);
      expect((await alice.login('alice@example.com')).status).to.equal(200);
      const admin = await adminLogin();
      const res = await send(admin, selection(['alice@example.com', 'admin@example.com'], MAX_IDS));
      expect(res.status, res.text.slice(0, 300)).to.equal(200);
      expect(res.json.notice?.type, JSON.stringify(res.json.notice)).to.equal('success');
      expect(await sessionsOf('alice@example.com')).to.equal(0);
      expect(await sessionsOf('admin@example.com'), 'the admin is skipped').to.equal(1);
      expect((await alice.get('/me')).json.reason).to.equal('revoked');
    });
  }

  it('more than the limit in the body: 400 with the limit; a body without ids: 400; the query string\'s ids still win', async () => {
    const alice = new Browser(baseUrl);
    await alice.login('alice@example.com');
    const admin = await adminLogin();
    const tooMany = await admin.request('POST', BULK, { json: { recordIds: selection([], MAX_IDS + 1).join(',') } });
    expect(tooMany.status).to.equal(400);
    expect(tooMany.json.notice).to.deep.include({ message: 'singleSessionTooManyIds' });
    expect((await admin.request('POST', BULK, { json: {} })).status).to.equal(400);
    // An anonymous client gets nothing from the body path: AdminJS's redirect to the login page.
    expect((await new Browser(baseUrl).request('POST', BULK, { json: { recordIds: String(ids['alice@example.com']) } })).status).to.equal(302);
    expect(await sessionsOf('alice@example.com')).to.equal(1);
    const both = await admin.request('POST', `${BULK}?recordIds=${ids['bob@example.com']}`, { json: { recordIds: String(ids['alice@example.com']) } });
    expect(both.status).to.equal(200);
    expect(await sessionsOf('alice@example.com'), 'the query string named bob only').to.equal(1);
  });
});
