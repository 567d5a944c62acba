/**
 * The Sessions list as it must work at a million sessions (issue 14), over HTTP against the demo's AdminJS on the
 * test database: its orders (an index each, the handle breaking ties, so pages never repeat or skip a row), its
 * filters (user; IP from its start; browser anywhere; LIKE's wildcards taken literally), the columns it refuses to
 * sort on, and its total: exact up to `exactCountUpTo`, past that the database's estimate, and the answer says so.
 * Sessions are written straight into the tables (many, with chosen metadata); every count is checked against SQL.
 */
import { expect } from 'chai';
import { InvalidInputError } from '../../src/index.js';
import { createAdminFixture, type AdminFixture } from '../support/admin.js';
import type { Browser } from '../support/http.js';
import { sessionsApi } from '../support/sessions.js';
import { analyze, isMariaDb, later, now, rows, run, statementsOf } from '../support/sql.js';

const EXACT_UP_TO = 5;

interface Row {
  id: string;
  userId: number;
  ip: string;
  browser: string;
  createdAt: string;
  lastSeenAt: string;
}

describe('AdminJS Sessions list at scale (over HTTP)', function () {
  this.timeout(180_000);
  let f: AdminFixture;
  let api: ReturnType<typeof sessionsApi>;
  let admin: Browser;
  let alice: number;
  let bob: number;

  before(async () => {
    f = await createAdminFixture({ singleUserSession: false }, { exactCountUpTo: EXACT_UP_TO });
    api = sessionsApi(f);
    alice = await f.userId('alice@example.com');
    bob = await f.userId('bob@example.com');
  });
  after(async () => f?.close());

  /**
   * `n` live sessions of `userId`, written as the store would, with the given metadata (`i` numbers them). Times are
   * whole seconds before one instant, so that equal values are ties.
   */
  const base = new Date();
  const secondsBefore = (seconds: number) => new Date(base.getTime() - seconds * 1000);
  async function addSessions(n: number, userId: number, meta: (i: number) => { ip: string; browser: string; createdAgo: number; seenAgo: number }) {
    for (let i = 0; i < n; i++) {
      const { ip, browser, createdAgo, seenAgo } = meta(i);
      const sid = `test-${userId}-${i}-${Math.random().toString(36).slice(2)}`;
      const clock = now(f.sequelize);
      await run(f.sequelize, `INSERT INTO "Sessions" (sid, expires, data, "createdAt", "updatedAt") VALUES ($sid, ${later(f.sequelize, 86400_000)}, '{}', ${clock}, ${clock})`, { bind: { sid } });
      await run(f.sequelize,
        `INSERT INTO "UserSessions" (sid, "userId", "createdAt", "lastSeenAt", ip, browser, os)
         VALUES ($sid, $userId, $createdAt, $lastSeenAt, $ip, $browser, 'Linux')`,
        { bind: { sid, userId, ip, browser, createdAt: secondsBefore(createdAgo), lastSeenAt: secondsBefore(seenAgo) } },
      );
    }
  }

  /** Every row the list shows for `query`, page by page (10 a page). */
  async function allPages(query: string): Promise<{ rows: Row[]; totals: number[] }> {
    const rows: Row[] = [];
    const totals: number[] = [];
    for (let page = 1; ; page++) {
      const res = await admin.get(`/admin/api/resources/ActiveSessions/actions/list?perPage=10&page=${page}${query}`);
      expect(res.status, res.text.slice(0, 300)).to.equal(200);
      totals.push(res.json.meta.total);
      const records = res.json.records as Array<{ params: Row }>;
      rows.push(...records.map((r) => r.params));
      if (records.length < 10) return { rows, totals };
    }
  }

  /** The handles SQL finds, in SQL's order (a BIGINT comes back as text on PostgreSQL, a number on MariaDB). */
  const sqlIds = async (where: string, order: string, bind?: Record<string, unknown>) =>
    (await rows<{ id: unknown }>(f.sequelize, `SELECT id FROM "ActiveSessions" WHERE ${where} ORDER BY ${order}`, { bind })).map((r) => String(r.id));

  describe('with more sessions than it counts exactly', () => {
    before(async () => {
      await run(f.sequelize, 'DELETE FROM "Sessions"');
      admin = await f.adminLogin('admin@example.com');
      // 24 of alice's, their last-seen and sign-in times in runs of equal values (ties), in an order unlike the handles'.
      await addSessions(24, alice, (i) => ({
        ip: i % 2 ? `10.1.${i}.7` : `110.1.${i}.7`, browser: i % 3 ? 'Firefox 121' : 'Chrome 120', createdAgo: (i * 7) % 5, seenAgo: (i * 5) % 4,
      }));
      await addSessions(3, bob, (i) => ({ ip: `10.1.2.${i}`, browser: i === 0 ? 'Mobile Firefox 120' : 'Safari 17', createdAgo: 100, seenAgo: 100 }));
      // Rewritten rows move in the table: its order is no longer the handles' (a list without a tie-breaker shows it).
      await run(f.sequelize, `UPDATE "UserSessions" SET os = 'Linux' WHERE id % 3 = 0`);
      await analyze(f.sequelize, ['Sessions', 'UserSessions']);
    });

    it('lists by last seen, newest first, ties by the newest handle: page after page, no row twice, none missing', async () => {
      const { rows } = await allPages('');
      expect(rows.map((r) => r.id)).to.deep.equal(await sqlIds('TRUE', '"lastSeenAt" DESC, id DESC'));
    });

    it('sorts by sign-in time and by last seen both ways, ties by the handle in the same direction', async () => {
      for (const [sortBy, direction] of [['createdAt', 'asc'], ['createdAt', 'desc'], ['lastSeenAt', 'asc']] as const) {
        const { rows } = await allPages(`&sortBy=${sortBy}&direction=${direction}`);
        expect(rows.map((r) => r.id), `${sortBy} ${direction}`).to.deep.equal(await sqlIds('TRUE', `"${sortBy}" ${direction}, id ${direction}`));
      }
    });

    it('refuses to sort on a column without an index (which would sort every session on every click)', async () => {
      for (const column of ['browser', 'ip', 'os', 'device']) {
        const res = await admin.get(`/admin/api/resources/ActiveSessions/actions/list?sortBy=${column}`);
        expect(res.status, column).to.equal(400);
        expect(res.json.notice).to.deep.include({ message: 'singleSessionBadSort', type: 'error' });
      }
    });

    it('filters by user, by IP from its start, by browser anywhere in the name, by date; wildcards match themselves', async () => {
      const since = secondsBefore(2);
      const cases: Array<[string, string, Record<string, unknown>?]> = [
        [`&filters.userId=${bob}`, `"userId" = ${bob}`],
        ['&filters.ip=10.1.', `ip LIKE '10.1.%'`], // not 110.1.…
        ['&filters.ip=10.1.2.', `ip LIKE '10.1.2.%'`],
        ['&filters.browser=Firefox', `browser LIKE '%Firefox%'`],
        [`&filters.browser=Firefox&filters.userId=${bob}`, `browser LIKE '%Firefox%' AND "userId" = ${bob}`],
        ['&filters.ip=%25', 'FALSE'],
        ['&filters.browser=_', 'FALSE'],
        [`&filters.createdAt~~from=${encodeURIComponent(since.toISOString())}`, `"createdAt" >= $since`, { since }],
      ];
      for (const [query, where, bind] of cases) {
        const expected = await sqlIds(where, '"lastSeenAt" DESC, id DESC', bind);
        const { rows, totals } = await allPages(query);
        expect(rows.map((r) => r.id), query).to.deep.equal(expected);
        if (expected.length <= EXACT_UP_TO) expect(totals[0], query).to.equal(expected.length);
      }
      expect((await allPages('&filters.ip=10.1.')).rows.every((r) => r.ip.startsWith('10.1.'))).to.equal(true);

      // Case: PostgreSQL's LIKE tells "firefox" from "Firefox"; MariaDB's default collation (utf8mb4_unicode_ci, the
      // test database's) does not, so there the lower-case filter finds every Firefox session.
      const firefox = (await allPages('&filters.browser=Firefox')).rows.map((r) => r.id);
      expect(firefox).not.to.be.empty;
      const lowerCase = (await allPages('&filters.browser=firefox')).rows.map((r) => r.id);
      expect(lowerCase).to.deep.equal(isMariaDb(f.sequelize) ? firefox : []);
    });

    it('counts exactly up to exactCountUpTo; past it the total is the estimate, above the limit, and the answer says so', async () => {
      const live = (await sqlIds('TRUE', 'id')).length;
      // The estimate, on both databases after the ANALYZE above: PostgreSQL's planner estimate (from pg_class's
      // statistics); MariaDB's optimizer estimate (EXPLAIN EXTENDED's `rows` × `filtered`, from InnoDB's table
      // statistics, not information_schema). Either is close to the truth for a table this small, and the total is
      // never below exactCountUpTo + 1.
      const all = await api.list(admin, '');
      expect(all.json.meta).to.include({ totalEstimated: true });
      expect(all.json.meta.total).to.be.above(EXACT_UP_TO).and.within(live / 2, live * 2);

      const firefox = await api.list(admin, '&filters.browser=Firefox');
      expect(firefox.json.meta.totalEstimated).to.equal(true);
      expect(firefox.json.meta.total).to.be.above(EXACT_UP_TO);

      const bobs = await api.list(admin, `&filters.userId=${bob}`);
      expect(bobs.json.meta).to.include({ total: 3, totalEstimated: false });
      const none = await api.list(admin, '&filters.browser=Opera');
      expect(none.json.meta).to.include({ total: 0, totalEstimated: false });
    });

    it('counts nothing for a page that ends the list, nor on PostgreSQL for an estimate ten times the limit', async () => {
      const counts = (statements: string[]) => statements.filter((s) => /count\(\*\)/i.test(s)).length;
      // Bob's 3 sessions fill less than a page: the page is the whole list, its total needs no count.
      const bobs = await statementsOf(f.sequelize, () => api.list(admin, `&filters.userId=${bob}`));
      expect(bobs.result.json.meta).to.include({ total: 3, totalEstimated: false });
      expect(counts(bobs.statements), 'a count for a page that ends the list').to.equal(0);
      // A full first page: counted up to the limit (6 rows of 27 here) — or not at all, where the estimate is trusted.
      const all = await statementsOf(f.sequelize, () => api.list(admin, ''));
      expect(all.result.json.meta).to.include({ totalEstimated: true });
      expect(counts(all.statements)).to.equal(1);

      // With a limit of 2, PostgreSQL's estimate of the 27 sessions (its statistics, after the ANALYZE above) is
      // ten times the limit or more: it is the answer, and nothing is counted. MariaDB's estimate of a filter is a
      // guess: it counts first there.
      const live = (await sqlIds('TRUE', 'id')).length;
      const engine = await statementsOf(f.sequelize, () => f.singleSession.countActiveSessions(undefined, { exactUpTo: 2 }));
      expect(engine.result.estimated, JSON.stringify(engine)).to.equal(true);
      expect(engine.result.total).to.be.within(live / 2, live * 2);
      expect(counts(engine.statements), JSON.stringify(engine)).to.equal(isMariaDb(f.sequelize) ? 1 : 0);
      // Below ten times the limit it still counts, on both.
      const near = await statementsOf(f.sequelize, () => f.singleSession.countActiveSessions(undefined, { exactUpTo: live }));
      expect(near.result).to.deep.equal({ total: live, estimated: false });
      expect(counts(near.statements)).to.equal(1);
    });

    it('tells the page its exact-count limit and gives it the component that says when the total is an estimate', () => {
      const list = f.admin.findResource('ActiveSessions').decorate().actions.list!.toJSON({ email: 'admin@example.com', isAdmin: true });
      expect(list).to.deep.include({ component: 'SingleSessionSessionsList', custom: { exactCountUpTo: EXACT_UP_TO } });
    });
  });

  describe('the engine\'s count', () => {
    it('is exact below the limit and refuses a limit that is not a count', async () => {
      const { singleSession } = f;
      const live = (await sqlIds('TRUE', 'id')).length;
      expect(await singleSession.countActiveSessions(undefined, { exactUpTo: live })).to.deep.equal({ total: live, estimated: false });
      expect(await singleSession.countActiveSessions({ userId: bob })).to.deep.equal({ total: 3, estimated: false });
      expect(await singleSession.countActiveSessions({ userId: 'abc' }), 'an impossible user id matches nothing').to.deep.equal({ total: 0, estimated: false });
      for (const bad of [-1, 1.5, Number.NaN]) {
        expect(() => singleSession.countActiveSessions(undefined, { exactUpTo: bad })).to.throw(InvalidInputError, /exactUpTo/);
      }
    });
  });
});
