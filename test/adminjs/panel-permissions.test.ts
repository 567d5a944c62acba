/**
 * The panel's permissions hold (issue 11, part 1): every action of every resource the demo registers (read from
 * AdminJS's own action list, so an action added later fails here until its expectation is written) × every demo
 * login × GET and POST, over HTTP against the demo's AdminJS. Each call carries a body that tries to do harm
 * (make the caller an admin, create an admin, delete or log out a victim); the users, sessions, links and the audit
 * trail are read before and after every call and compared with what the rules say that call may change.
 *
 * The whole matrix runs a second time with FRESH_AGE_MS set and every panel login's sign-in older than that
 * (issue 22): then no call changes anything — the package's actions and the stock ones that change users (through
 * stepUpFeature) alike ask for a fresh sign-in, on GET and POST.
 */
import { expect } from 'chai';
import type { ActionDecorator } from 'adminjs';
import { SINGLE_SESSION_PERMISSIONS as P } from '../../src/adminjs.js';
import { createAdminFixture, type AdminFixture } from '../support/admin.js';
import { Browser, sidOf } from '../support/http.js';
import { ago, rows, run } from '../support/sql.js';

type Actor = 'admin' | 'manager' | 'staff' | 'alice' | 'bob';
type Method = 'GET' | 'POST';
const PANEL: Actor[] = ['admin', 'manager', 'staff'];
const SITE_ONLY: Actor[] = ['alice', 'bob'];
const EMAIL = (who: Actor | string) => (who.includes('@') ? who : `${who}@example.com`);
const HOLDS: Record<Actor, string[]> = {
  admin: [P.logout, P.logoutAll], manager: [P.logout, P.logoutAll], staff: [P.logout], alice: [], bob: [],
};
const HARM = { email: 'mallory@example.com', permission: P.logoutAll };

interface UserRow { id: number; isAdmin: boolean; permissions: string[]; password: string }
interface Link { userId: number; handle: string }
interface AuditRow { reason: string; actorId: string | null; userIds: string[]; sessionCount: number }
/** What a call may change: users (by email), session rows, their links (by sid), the audit trail. */
interface State {
  users: Record<string, UserRow>;
  sessions: string[];
  links: Record<string, Link>;
  audit: AuditRow[];
}

/** A session of a resource's record target, or a user, or an audit row: what a record or bulk action is called on. */
interface Target { id: string; label: string; email?: string; sid?: string; /** A session handle the action takes as `?session=`. */ session?: string }
interface Call {
  actor: Actor;
  actorId: number;
  actorSid: string;
  method: Method;
  targets: Target[];
}
type Effect = (state: State, call: Call) => void;

// ── the effects a call may have, applied to a copy of the state before it ─────────────────────────────────────

const none: Effect = () => undefined;

/** Ends the given sessions (never the caller's own); with something ended, one audit row. */
function endSids(state: State, sids: string[], call: Call): void {
  const ended = sids.filter((sid) => sid !== call.actorSid && state.links[sid]);
  if (ended.length === 0) return;
  const users = [...new Set(ended.map((sid) => String(state.links[sid]!.userId)))].sort();
  for (const sid of ended) delete state.links[sid];
  state.sessions = state.sessions.filter((sid) => !ended.includes(sid));
  state.audit.push({ reason: 'revoked', actorId: String(call.actorId), userIds: users, sessionCount: ended.length });
}
const sidsOfUsers = (state: State, emails: string[]) => {
  const ids = new Set(emails.map((e) => state.users[e]!.id));
  return Object.entries(state.links).filter(([, l]) => ids.has(l.userId)).map(([sid]) => sid);
};
const isAdminUser = (state: State, email: string) => state.users[email]!.isAdmin;
const holds = (call: Call, p: string) => HOLDS[call.actor].includes(p);

const endUsers = (pick: (state: State, call: Call) => string[]): Effect => (state, call) => endSids(state, sidsOfUsers(state, pick(state, call)), call);
const emails = (call: Call) => call.targets.map((t) => t.email!);
/** Deleting a user ends its sessions first (reason `account`, one audit row per user that had some), then the row. */
const deleteUsers: Effect = (state, call) => {
  for (const email of emails(call)) {
    const id = state.users[email]!.id;
    delete state.users[email];
    const ended = Object.entries(state.links).filter(([, link]) => link.userId === id).map(([sid]) => sid);
    for (const sid of ended) delete state.links[sid];
    state.sessions = state.sessions.filter((sid) => !ended.includes(sid));
    if (ended.length > 0) state.audit.push({ reason: 'account', actorId: null, userIds: [String(id)], sessionCount: ended.length });
  }
};
const makeAdmin: Effect = (state, call) => {
  for (const email of emails(call)) Object.assign(state.users[email]!, { isAdmin: true, permissions: [HARM.permission] });
};
const createAdmin: Effect = (state) => {
  state.users[HARM.email] = { id: -1, isAdmin: true, permissions: [HARM.permission], password: '(any)' };
};
/** Sessions a record/bulk Sessions action may end: all of them, or none when any belongs to an admin and the caller lacks logout_all. */
const endSessionTargets: Effect = (state, call) => {
  const owners = call.targets.map((t) => Object.entries(state.users).find(([, u]) => u.id === state.links[t.sid!]!.userId)![0]);
  const allowed = owners.every((email) => (isAdminUser(state, email) ? holds(call, P.logoutAll) : holds(call, P.logout) || holds(call, P.logoutAll)));
  if (allowed) endSids(state, call.targets.map((t) => t.sid!), call);
};
/** The User resource's "End" of one session (`?session=`): the user's session, by the same rule as the Sessions resource's. */
const endOneSession: Effect = (state, call) => {
  const [target] = call.targets;
  const allowed = isAdminUser(state, target!.email!) ? holds(call, P.logoutAll) : holds(call, P.logout) || holds(call, P.logoutAll);
  if (allowed) endSids(state, [target!.sid!], call);
};
const onlyAdmins = (effect: Effect): Effect => (state, call) => (call.actor === 'admin' ? effect(state, call) : undefined);

/**
 * What a POST of each action may change (a GET never changes anything). An action missing here — one added to the
 * demo or to AdminJS later — fails the test until its expectation is written.
 */
const EXPECTED: Record<string, Record<string, Effect>> = {
  User: {
    list: none, search: none, show: none, singleSessionSessions: none,
    singleSessionEndSession: endOneSession,
    new: onlyAdmins(createAdmin),
    edit: onlyAdmins(makeAdmin),
    delete: onlyAdmins(deleteUsers),
    bulkDelete: onlyAdmins(deleteUsers),
    logoutUserOnAllSessions: endUsers((state, call) => (holds(call, P.logout) ? emails(call).filter((e) => !isAdminUser(state, e)) : [])),
    logoutAllUsersOnAllSessions: endUsers((_state, call) => (holds(call, P.logoutAll) ? emails(call) : [])),
    logoutOnAllSessions: endUsers((state, call) => emails(call).filter((e) =>
      (isAdminUser(state, e) ? holds(call, P.logoutAll) : holds(call, P.logout) || holds(call, P.logoutAll)))),
  },
  ActiveSessions: {
    list: none, search: none, show: none, new: none, edit: none, delete: none, bulkDelete: none,
    endSession: endSessionTargets,
    endSessions: endSessionTargets,
  },
  SessionAuditEvents: { list: none, search: none, show: none, new: none, edit: none, delete: none, bulkDelete: none },
};

/** Form bodies that try to do harm: make the target (or a new user) an admin holding logout_all. */
function bodyFor(resourceId: string, action: string, adminId: number): Record<string, string> {
  const escalate = { isAdmin: 'true', 'permissions.0': HARM.permission };
  if (resourceId === 'User') return action === 'new' ? { ...escalate, email: HARM.email, passwordHash: 'x' } : escalate;
  if (resourceId === 'ActiveSessions') return { userId: String(adminId), ip: '6.6.6.6', expires: '2999-01-01' };
  return { reason: 'forged', actorId: String(adminId), userIds: '[]', sessionCount: '0' };
}

/** The step-up limit of the second run, and how far past it its sign-ins are moved. */
const FRESH = 60_000;

for (const stale of [false, true]) describe(`the panel's permissions: every action × every demo login × GET and POST (issue 11)${stale ? ', every sign-in older than FRESH_AGE_MS (issue 22)' : ''}`, function () {
  this.timeout(600_000);
  let f: AdminFixture;
  let baseline: State;
  const browsers = new Map<Actor, Browser>();
  const ids = new Map<string, number>();
  /** The handles of alice's and the admin user's site sessions, and the audit row: targets on the other resources. */
  const handles: Record<string, Target> = {};
  let auditTarget: Target;

  async function snapshot(): Promise<State> {
    // As PostgreSQL gives them: on MariaDB booleans are 0/1, JSON columns text, a BIGINT handle a number.
    const json = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value) as string[];
    const users = await rows<{ email: string; id: number; isAdmin: unknown; permissions: unknown; passwordHash: string }>(f.sequelize,
      'SELECT email, id, "isAdmin", permissions, "passwordHash" FROM "Users" ORDER BY id');
    const sessions = await rows<{ sid: string }>(f.sequelize, 'SELECT sid FROM "Sessions" ORDER BY sid');
    const links = await rows<{ sid: string; userId: number; id: unknown }>(f.sequelize, 'SELECT sid, "userId", id FROM "UserSessions" ORDER BY sid');
    const audit = await rows<AuditRow & { userIds: unknown }>(f.sequelize, 'SELECT reason, "actorId", "userIds", "sessionCount" FROM "SessionAuditEvents" ORDER BY id');
    return {
      users: Object.fromEntries(users.map((u) => [u.email, {
        id: u.id, isAdmin: Boolean(u.isAdmin), permissions: json(u.permissions), password: u.passwordHash,
      }])),
      sessions: sessions.map((s) => s.sid),
      links: Object.fromEntries(links.map((l) => [l.sid, { userId: l.userId, handle: String(l.id) }])),
      audit: audit.map((a) => ({ ...a, userIds: [...json(a.userIds)].sort() })),
    };
  }

  /** A created user's id and password are whatever the database gave it: compared by the rest. */
  // A bulk delete ends each user's sessions concurrently: the audit rows' order is not the records' order.
  const comparable = (state: State) => {
    const copy = JSON.parse(JSON.stringify(state, (key, value) => (key === HARM.email ? { ...value, id: -1, password: '(any)' } : value))) as State;
    copy.audit.sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));
    return copy;
  };

  const TABLES = ['Users', 'Sessions', 'UserSessions', 'SessionAuditEvents'];
  const backup = (t: string) => `matrix_backup_${t}`;
  async function restore(): Promise<void> {
    await f.sequelize.transaction(async (transaction) => {
      // Deleted in an order both databases' foreign keys accept (links go with their sessions, known devices with
      // their users); ids are not reset (the copies bring their own).
      for (const t of ['EndedSessions', 'SessionAuditEvents', 'Sessions', 'UserSessions', 'Users']) await run(f.sequelize, `DELETE FROM "${t}"`, { transaction });
      for (const t of TABLES) await run(f.sequelize, `INSERT INTO "${t}" SELECT * FROM ${backup(t)}`, { transaction });
    });
  }

  before(async () => {
    f = await createAdminFixture({
      singleUserSession: false, logoutAllSessions: false, audit: true, idleTimeoutMs: false, absoluteTimeoutMs: false, ...(stale ? { freshAgeMs: FRESH } : {}),
    });
    for (const u of await f.User.findAll()) ids.set(u.get('email') as string, u.get('id') as number);
    // One audit row to aim at: a second session of bob's, ended.
    const extra = await f.siteLogin(EMAIL('bob'));
    await f.singleSession.endSessionsByHandle([(await f.singleSession.listSessions(ids.get(EMAIL('bob'))!)).find((s) => s)!.id]);
    expect((await extra.get('/me')).status).to.equal(401);
    // Site sessions of two plain users and of the admin user; the site-only users are the "actors" alice and bob.
    for (const who of ['alice', 'bob'] as const) browsers.set(who, await f.siteLogin(EMAIL(who)));
    const adminSite = await f.siteLogin(EMAIL('admin'));
    for (const who of PANEL) browsers.set(who, await f.adminLogin(EMAIL(who)));
    for (const [name, b] of [['alice', browsers.get('alice')!], ['admin', adminSite]] as const) {
      const sid = sidOf(b.cookie('sid'));
      handles[name] = { id: await f.handleOf(b), sid, label: `${name}'s site session` };
    }
    // Every sign-in older than the step-up limit (the backup below keeps it so).
    if (stale) await run(f.sequelize, `UPDATE "UserSessions" SET "createdAt" = ${ago(f.sequelize, FRESH + 5_000)}`);
    const [audit] = await rows<{ id: unknown }>(f.sequelize, 'SELECT id FROM "SessionAuditEvents"');
    auditTarget = { id: String(audit!.id), label: 'the audit row' };
    for (const t of TABLES) {
      await run(f.sequelize, `DROP TABLE IF EXISTS ${backup(t)}`); // the other run's, in the same scratch database
      await run(f.sequelize, `CREATE TABLE ${backup(t)} AS SELECT * FROM "${t}"`);
    }
    baseline = await snapshot();
    expect(Object.keys(baseline.links), 'sessions at the start').to.have.length(6);
  });
  after(async () => {
    // The backups live in the process's scratch database, which later test files share: leave none behind.
    if (f) for (const t of TABLES) await run(f.sequelize, `DROP TABLE IF EXISTS ${backup(t)}`);
    await f?.close();
  });

  const userTarget = (email: string): Target => ({ id: String(ids.get(email)), label: email, email });

  /** The records a record action is called on (each in turn) and the selection of a bulk action. */
  function targetsFor(resourceId: string, type: 'resource' | 'record' | 'bulk', actor: Actor, action: string): Target[][] {
    const users = resourceId === 'User';
    // "End" on one session of the user whose page it is: alice's site session, the admin user's.
    if (users && action === 'singleSessionEndSession') {
      return (['alice', 'admin'] as const).map((w) => [{ ...userTarget(EMAIL(w)), sid: handles[w]!.sid, session: handles[w]!.id, label: `${w}'s site session` }]);
    }
    if (type === 'resource') return [[]];
    if (type === 'bulk') {
      if (users) return [['alice', 'bob', 'admin'].map((w) => userTarget(EMAIL(w)))];
      return [resourceId === 'ActiveSessions' ? [handles.alice!, handles.admin!] : [auditTarget]];
    }
    if (users) return [...new Set([EMAIL(actor), EMAIL('alice'), EMAIL('admin')])].map((e) => [userTarget(e)]);
    return resourceId === 'ActiveSessions' ? [[handles.alice!], [handles.admin!]] : [[auditTarget]];
  }

  function url(resourceId: string, action: ActionDecorator, targets: Target[]): string {
    const base = `/admin/api/resources/${resourceId}`;
    const name = action.name;
    if (action.isRecordType()) return `${base}/records/${targets[0]!.id}/${name}${targets[0]!.session ? `?session=${targets[0]!.session}` : ''}`;
    if (action.isBulkType()) return `${base}/bulk/${name}?recordIds=${targets.map((t) => t.id).join(',')}`;
    return `${base}/actions/${name}`;
  }

  /** Every (resource, action) the demo's AdminJS registers, from AdminJS itself. */
  function registered(): Array<{ resourceId: string; action: ActionDecorator }> {
    return f.admin.resources.flatMap((resource) => {
      const decorated = resource.decorate();
      return Object.values(decorated.actions).map((action) => ({ resourceId: decorated.id(), action }));
    });
  }

  it('AdminJS registers exactly the resources and actions that have an expectation', () => {
    const found = registered().map(({ resourceId, action }) => `${resourceId}.${action.name}`).sort();
    const written = Object.entries(EXPECTED).flatMap(([r, actions]) => Object.keys(actions).map((a) => `${r}.${a}`)).sort();
    const missing = found.filter((k) => !written.includes(k));
    expect(missing, `actions without an expectation (write one in EXPECTED): ${missing.join(', ')}`).to.deep.equal([]);
    expect(found, 'expectations for actions that no longer exist').to.deep.equal(written);
  });

  for (const actor of [...PANEL, ...SITE_ONLY]) {
    it(`${actor}: every action, GET and POST, changes exactly what the rules allow`, async () => {
      const browser = browsers.get(actor)!;
      if (SITE_ONLY.includes(actor)) {
        // Refused at the admin login, and a site session is no admin session.
        const login = await f.browser().request('POST', '/admin/login', { form: { email: EMAIL(actor), password: 'password' } });
        expect(login.status, 'the admin login refuses a site-only user').not.to.equal(302);
        expect(login.text).to.match(/invalidCredentials|Wrong email|credentials/i);
      }
      const call0 = { actor, actorId: ids.get(EMAIL(actor))!, actorSid: sidOf(browser.cookie('sid')) };
      const problems: string[] = [];
      let calls = 0;
      for (const { resourceId, action } of registered()) {
        const effect = EXPECTED[resourceId]?.[action.name];
        if (!effect) {
          problems.push(`${resourceId}.${action.name}: no expectation written`);
          continue;
        }
        const type = action.isRecordType() ? 'record' : action.isBulkType() ? 'bulk' : 'resource';
        for (const targets of targetsFor(resourceId, type, actor, action.name)) {
          for (const method of ['GET', 'POST'] as const) {
            const label = `${method} ${resourceId}.${action.name}${targets.length ? ` on ${targets.map((t) => t.label).join(' + ')}` : ''}`;
            const before = await snapshot();
            const res = method === 'GET'
              ? await browser.get(url(resourceId, action, targets))
              : await browser.request('POST', url(resourceId, action, targets), { form: bodyFor(resourceId, action.name, ids.get(EMAIL('admin'))!) });
            calls++;
            const after = await snapshot();
            const expected: State = structuredClone(before);
            const call: Call = { ...call0, method, targets };
            // Without an admin session there is nothing to act as: AdminJS sends the browser to its login page.
            if (SITE_ONLY.includes(actor)) {
              if (res.status !== 302 || res.headers.get('location') !== '/admin/login') problems.push(`${label}: answered ${res.status}, not the login page`);
            } else if (method === 'POST' && !stale) {
              // A stale sign-in changes nothing at all.
              effect(expected, call);
            }
            if (res.status >= 500) problems.push(`${label}: ${res.status} ${res.text.slice(0, 200)}`);
            const [got, want] = [comparable(after), comparable(expected)];
            if (JSON.stringify(got) !== JSON.stringify(want)) {
              problems.push(`${label}: the database changed unexpectedly\n        expected ${JSON.stringify(want)}\n        got      ${JSON.stringify(got)}`);
            }
            if (JSON.stringify(after) !== JSON.stringify(baseline)) await restore();
          }
        }
      }
      console.log(`      ${actor}: ${calls} calls checked`);
      expect(problems, problems.join('\n')).to.deep.equal([]);
    });
  }

  // The rest checks the rules themselves: once, with fresh sign-ins.
  if (stale) return;

  it('the stock actions that change users are hidden from non-admins and shown to admins', async () => {
    for (const actor of PANEL) {
      const res = await browsers.get(actor)!.get(`/admin/api/resources/User/records/${ids.get(EMAIL('alice'))}/show`);
      const names = [...res.json.record.recordActions, ...res.json.record.bulkActions].map((a: { name: string }) => a.name);
      const shown = ['edit', 'delete', 'bulkDelete'].filter((n) => names.includes(n));
      expect(shown, actor).to.deep.equal(actor === 'admin' ? ['edit', 'delete', 'bulkDelete'] : []);
    }
  });

  it('a non-admin\'s edit of their own permissions is refused with a notice (the finding), an admin\'s works', async () => {
    const staffId = ids.get(EMAIL('staff'))!;
    const body = { form: { isAdmin: 'true', 'permissions.0': HARM.permission } };
    const refused = await browsers.get('staff')!.request('POST', `/admin/api/resources/User/records/${staffId}/edit`, body);
    // AdminJS's own refusal of an inaccessible action: 200 with its `forbiddenError` notice, the handler never ran.
    expect(refused.status).to.equal(200);
    expect(refused.json.notice).to.deep.equal({ type: 'error', message: 'forbiddenError' });
    expect((await snapshot()).users[EMAIL('staff')]).to.deep.include({ isAdmin: false, permissions: [P.logout] });
    const done = await browsers.get('admin')!.request('POST', `/admin/api/resources/User/records/${staffId}/edit`, body);
    expect(done.json.notice).to.deep.include({ type: 'success', message: 'successfullyUpdated' });
    expect((await snapshot()).users[EMAIL('staff')]).to.deep.include({ isAdmin: true, permissions: [HARM.permission] });
    await restore();
  });

  it('a GET of AdminJS\'s `new` (which throws a 500 in AdminJS) is a 405', async () => {
    const res = await browsers.get('admin')!.get('/admin/api/resources/User/actions/new');
    expect(res.status).to.equal(405);
    expect(res.headers.get('allow')).to.equal('POST');
    expect(res.json.notice.message).to.equal('singleSessionPostOnly');
  });
});
