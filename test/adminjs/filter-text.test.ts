/**
 * Issue 23, finding 3: text a user types into a filter must reach SQL only as an escaped value that Sequelize leaves
 * alone. The Sessions list's estimate ran `EXPLAIN <the generated SELECT>` with `bind: {}`, and Sequelize read
 * `$x` inside the inlined literal as a bind parameter: `filters.browser=$x&page=2` answered 500.
 *
 * A property-based test (fast-check) over HTTP against the demo's AdminJS: texts made of `$`, `$1`, `$name`, `?`,
 * `:name`, quotes, backslashes, LIKE's wildcards and SQL comment marks go through every filter of every resource the
 * demo shows (Users, Sessions, the audit trail), on a first and a later page, and as the `session` parameter of the
 * sessions panel and of "My sessions". Every answer is 2xx or 4xx. Where the filter matches text (a user's email; a
 * session's browser, OS, device, IP) rows are inserted that contain the literal text, and the list must answer
 * exactly the rows that contain it (more rows than the exact count, so the estimate runs on both databases). Every
 * other filter must answer as it does for a plain text of letters (`zq`), which matches the same rows (none), or
 * for a date filter, as for the date the text is read as, written plainly.
 * The dashboard takes no filter.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { SESSIONS_PANEL } from '../../src/adminjs/sessions/user-sessions.js';
import { createAdminFixture, type AdminFixture } from '../support/admin.js';
import type { Browser } from '../support/http.js';
import { isMariaDb, later, now, rows, run } from '../support/sql.js';

const EXACT_UP_TO = 5;
/** Inserted per text: more than the exact count, so that the total is estimated (PostgreSQL's EXPLAIN, MariaDB's). */
const MATCHING = EXACT_UP_TO + 2;
const PIECES = ['$', '$1', '$x', '$name', '$$', '?', ':name', ':1', "'", "''", '"', '`', '\\', "\\'", '\\\\', '%', '_', ';', '--', '/*', 'a', ' '];
/** A text of 1 to 6 pieces. */
const tricky = fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 6 }).map((parts) => parts.join(''));
const PLAIN = 'zq';

/** Which rows a text filter matches, as the page documents it (list-action.ts; @adminjs/sequelize for Users). */
type Match = (value: string, text: string) => boolean;
const contains: Match = (value, text) => value.includes(text);
const startsWith: Match = (value, text) => value.startsWith(text);
const TEXT_FILTERS: Record<string, Record<string, Match>> = {
  ActiveSessions: { browser: contains, os: contains, device: contains, ip: startsWith },
  User: { email: contains },
};

describe('filters: no typed text reaches SQL in a form Sequelize rewrites (issue 23, finding 3)', function () {
  this.timeout(600_000);
  let f: AdminFixture;
  let admin: Browser;
  let adminId: number;
  /** resource id → its filterable properties (AdminJS's own list of them). */
  let filters: Array<[string, string]>;

  before(async () => {
    f = await createAdminFixture({ singleUserSession: false, audit: true }, { exactCountUpTo: EXACT_UP_TO });
    admin = await f.adminLogin('admin@example.com');
    adminId = await f.userId('admin@example.com');
    await admin.post('/logout'); // an audit row or two to filter
    admin = await f.adminLogin('admin@example.com');
    filters = f.admin.resources.flatMap((resource) => {
      const decorated = resource.decorate();
      return decorated.getProperties({ where: 'filter' }).map((p) => [decorated.id(), p.name()] as [string, string]);
    });
    expect(filters.map(([r]) => r)).to.include.members(['User', 'ActiveSessions', 'SessionAuditEvents']);
  });
  after(async () => f?.close());

  const list = (resource: string, query: string) => admin.get(`/admin/api/resources/${resource}/actions/list?perPage=${EXACT_UP_TO}&${query}`);
  const ids = (res: { json?: { records?: Array<{ id: string }> } }) => (res.json?.records ?? []).map((r) => String(r.id)).sort();

  /** Every record id of the list for `query`, page by page. */
  async function allIds(resource: string, query: string): Promise<{ status: number; ids: string[] }> {
    const found: string[] = [];
    for (let page = 1; ; page++) {
      const res = await list(resource, `${query}&page=${page}`);
      if (res.status !== 200) return { status: res.status, ids: found };
      found.push(...ids(res));
      if ((res.json.records as unknown[]).length < EXACT_UP_TO) return { status: 200, ids: found.sort() };
    }
  }

  /** Sessions whose browser, OS, device and IP contain `text`, and a user whose email does. */
  async function insertMatching(text: string): Promise<void> {
    const clock = now(f.sequelize);
    for (let i = 0; i < MATCHING; i++) {
      const sid = `filter-${Math.random().toString(36).slice(2)}`;
      await run(f.sequelize, `INSERT INTO "Sessions" (sid, expires, data, "createdAt", "updatedAt") VALUES ($sid, ${later(f.sequelize, 86400_000)}, '{}', ${clock}, ${clock})`, { bind: { sid } });
      await run(f.sequelize,
        `INSERT INTO "UserSessions" (sid, "userId", "createdAt", "lastSeenAt", ip, browser, os, device)
         VALUES ($sid, $userId, ${clock}, ${clock}, $ip, $value, $value, $value)`,
        { bind: { sid, userId: adminId, ip: `${text}${i}`.slice(0, 64), value: `b${text}${i}` } });
    }
    await run(f.sequelize, `INSERT INTO "Users" (email, "passwordHash", "isAdmin", permissions, "createdAt", "updatedAt")
      VALUES ($email, 'x', false, '[]', ${clock}, ${clock})`, { bind: { email: `u${Math.random().toString(36).slice(2)}${text}@example.com` } });
  }

  /** The rows of `resource` whose `column` matches `text` as the filter means it (MariaDB's LIKE ignores case). */
  async function expected(resource: string, column: string, text: string, match: Match): Promise<string[]> {
    const table = resource === 'User' ? 'Users' : 'ActiveSessions';
    const all = await rows<{ id: unknown; value: string | null }>(f.sequelize, `SELECT id, "${column}" AS value FROM "${table}"`);
    const fold = isMariaDb(f.sequelize) ? (s: string) => s.toLowerCase() : (s: string) => s;
    return all.filter((r) => r.value !== null && match(fold(r.value), fold(text))).map((r) => String(r.id)).sort();
  }

  it('every filter of every resource, on the first and a later page: 2xx/4xx, and the rows the literal text matches', async () => {
    await fc.assert(fc.asyncProperty(tricky, async (text) => {
      await insertMatching(text);
      const q = encodeURIComponent(text);
      for (const [resource, property] of filters) {
        const match = TEXT_FILTERS[resource]?.[property];
        // A date range takes `~~from`/`~~to`; every other filter its own name.
        const names = /At$|^at$|expires/.test(property) ? [`filters.${property}~~from`, `filters.${property}~~to`] : [`filters.${property}`];
        for (const name of names) {
          for (const page of [1, 2]) {
            const res = await list(resource, `${name}=${q}&page=${page}`);
            expect(res.status, `${resource} ${name}=${text} page ${page}: ${res.text.slice(0, 200)}`).to.be.within(200, 499);
          }
          if (match && !(resource === 'User' && /[%_]/.test(text))) { // @adminjs/sequelize leaves LIKE's wildcards in
            const got = await allIds(resource, `${name}=${q}`);
            expect(got.status, `${resource} ${name}=${text}`).to.equal(200);
            expect(got.ids, `${resource} ${name}=${text}`).to.deep.equal(await expected(resource, property, text, match));
            if (resource === 'ActiveSessions' && property !== 'ip') expect(got.ids.length).to.be.at.least(MATCHING);
          } else if (!match) {
            // A date filter takes whatever Date.parse reads (`$1` is 2001-01-01): its twin is that date, written plainly.
            const date = names.length === 2 && !Number.isNaN(Date.parse(text)) ? new Date(text).toISOString() : undefined;
            const twin = date ?? PLAIN;
            const [typed, plain] = [await list(resource, `${name}=${q}`), await list(resource, `${name}=${encodeURIComponent(twin)}`)];
            expect([typed.status, ids(typed)], `${resource} ${name}=${text} answers as ${name}=${twin}`).to.deep.equal([plain.status, ids(plain)]);
          }
        }
      }
      // A session handle typed into the sessions panel and "My sessions": refused as a plain wrong handle is.
      for (const path of [`/admin/api/resources/User/records/${adminId}/${SESSIONS_PANEL.endAction}`, '/admin/api/pages/mySessions']) {
        const [typed, plain] = [await admin.get(`${path}?session=${q}`), await admin.get(`${path}?session=${PLAIN}`)];
        expect(typed.status, `${path}?session=${text}: ${typed.text.slice(0, 200)}`).to.be.within(200, 499);
        expect([typed.status, typed.json?.notice?.message], `${path}?session=${text}`).to.deep.equal([plain.status, plain.json?.notice?.message]);
      }
    }), { numRuns: 10, examples: [['$x'], ['$1'], ['$name'], ["'$x"], ['?'], [':name'], ['\\$x']] });
  });

  it('the issue\'s requests: browser=$x, os=$1, ip=$x on page 2 of the Sessions list are 200', async () => {
    for (const query of ['filters.browser=$x', 'filters.os=$1', 'filters.ip=$x']) {
      const res = await list('ActiveSessions', `${query.replace('$', '%24')}&page=2`);
      expect(res.status, `${query}: ${res.text.slice(0, 300)}`).to.equal(200);
    }
  });
});
