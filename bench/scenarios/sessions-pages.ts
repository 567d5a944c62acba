/**
 * P6: the admin's session pages at the largest size, over HTTP against the demo's AdminJS, logged in as the
 * admin: the Sessions list (first page in the default order, sorted by last seen and by sign-in time, filtered
 * by user, IP and browser), a user's sessions panel and "My sessions", each sampled side by side with the User
 * list's first page (the baseline: a plain AdminJS list of 1 row per user). Beside them the same User list from a
 * second demo app whose AdminJS trusts the sign-in copy of the user (`liveRights: false`): what live rights (the
 * signed-in user read again on every panel request, issue 22) cost a panel request. Runs first, on the freshly
 * filled table, and only reads.
 */
import { serveDemoAdmin } from '../admin.js';
import { engine } from '../apps.js';
import type { BenchDb } from '../context.js';
import { expectAdminJson } from '../http.js';
import type { Progress } from '../progress.js';
import type { Profile } from '../profile.js';
import { interleave, median, timed, totalSamples, type Variant } from '../stats.js';

export const PAGES_TARGET = 3;

export interface PageResult {
  key: string;
  title: string;
  /** The request, as sent (ids of this run). */
  path: string;
  runs: number[];
  medianMs: number;
  /** Median ÷ the User list's median. */
  ratio: number;
  /** What the list said its total was (AdminJS's pager), for lists. */
  total?: number;
  /** The list said its total is an estimate (past the count it makes exactly). */
  estimated?: boolean;
}

export interface PagesResults {
  samples: number;
  baseline: PageResult;
  pages: PageResult[];
}

interface ListBody {
  meta: { total: number; totalEstimated?: boolean };
  records: Array<{ params: Record<string, unknown> }>;
}

interface Page {
  title: string;
  path: string;
  /** Sent by the admin of the app without live rights (default: the demo's own). */
  copy?: boolean;
  /** Checks an answer (throws if it is not what the page should show); returns the list's total if any. */
  check: (body: unknown) => ListBody['meta'] | undefined;
}

const LIST = '/admin/api/resources/ActiveSessions/actions/list?page=1';
/** The key of the User list without live rights. */
export const USERS_WITHOUT_LIVE_RIGHTS = 'usersCopy';

export async function sessionsPagesScenario(db: BenchDb, profile: Profile, progress: Progress, random: () => number): Promise<PagesResults> {
  const admin = await serveDemoAdmin(db, await engine(db.sequelize, true));
  // Its own engine, without the single-session policy: its admin login must not end the first one's.
  const copy = await serveDemoAdmin(db, await engine(db.sequelize, false), { liveRights: false });
  try {
    // A user no other scenario has touched yet: every one of their sessions is still there.
    const userId = db.plan.users;
    const perUser = profile.sessionsPerUser;
    const get = async (path: string, what: string, { fromCopy = false } = {}) =>
      expectAdminJson<unknown>(await (fromCopy ? copy : admin).client.send('GET', path), `P6 ${what}`);
    const firstOfUser = (await get(`${LIST}&filters.userId=${userId}`, 'a user\'s sessions')) as ListBody;
    const ip = String(firstOfUser.records[0]?.params.ip);
    const browser = 'Firefox';

    const list = (rule: (params: Record<string, unknown>) => boolean, expected?: number) => (body: unknown) => {
      const { meta, records } = body as ListBody;
      if (!Array.isArray(records) || typeof meta?.total !== 'number') throw new Error('not an AdminJS list answer');
      if (records.length === 0 || !records.every((r) => rule(r.params))) throw new Error(`unexpected records: ${JSON.stringify(records[0]?.params)}`);
      if (expected !== undefined && records.length !== expected) throw new Error(`${records.length} records, expected ${expected}`);
      return meta;
    };
    const sessions = (body: unknown, atLeast: number) => {
      const found = (body as { sessions?: unknown[] }).sessions;
      if (!Array.isArray(found) || found.length < atLeast) throw new Error(`${found?.length} sessions, expected at least ${atLeast}`);
      return undefined;
    };
    const any = () => true;
    const pages: Record<string, Page> = {
      users: { title: 'User list, page 1 (baseline)', path: '/admin/api/resources/User/actions/list?page=1', check: list(any) },
      [USERS_WITHOUT_LIVE_RIGHTS]: {
        title: 'User list, page 1, without live rights (AdminJS trusts the sign-in copy)', path: '/admin/api/resources/User/actions/list?page=1',
        check: list(any), copy: true,
      },
      sessions: { title: 'Sessions, page 1, default order (last seen, newest first)', path: LIST, check: list(any) },
      lastSeen: { title: 'Sessions sorted by last seen (the column clicked: oldest first)', path: `${LIST}&sortBy=lastSeenAt&direction=asc`, check: list(any) },
      createdAt: { title: 'Sessions sorted by signed-in time (first click: oldest first)', path: `${LIST}&sortBy=createdAt&direction=asc`, check: list(any) },
      byUser: {
        title: `Sessions filtered by user (one with ${perUser} sessions)`, path: `${LIST}&filters.userId=${userId}`,
        check: list((p) => String(p.userId) === String(userId), perUser),
      },
      byIp: { title: 'Sessions filtered by IP address (from its start)', path: `${LIST}&filters.ip=${encodeURIComponent(ip)}`, check: list((p) => String(p.ip).includes(ip)) },
      byBrowser: {
        title: `Sessions filtered by browser ("${browser}": a quarter of them)`, path: `${LIST}&filters.browser=${browser}`,
        check: list((p) => String(p.browser).includes(browser)),
      },
      panel: {
        title: 'A user\'s sessions panel (User show page)', path: `/admin/api/resources/User/records/${userId}/singleSessionSessions`,
        check: (body) => sessions(body, perUser),
      },
      mine: { title: '"My sessions" page', path: '/admin/api/pages/mySessions', check: (body) => sessions(body, 1) },
    };

    const totals: Record<string, ListBody['meta'] | undefined> = {};
    const sample = (key: string, page: Page) => async () => {
      let body: unknown;
      const ms = await timed(async () => { body = await get(page.path, page.title, { fromCopy: page.copy === true }); });
      totals[key] = page.check(body);
      return ms;
    };
    const variants: Record<string, Variant> = Object.fromEntries(Object.entries(pages).map(([key, page]) =>
      [key, { samples: profile.pageSamples, run: sample(key, page) }]));
    for (const variant of Object.values(variants)) await variant.run(); // warm-up (and a first check of each page)
    const phase = progress.phase(`P6 session pages at ${db.label} (interleaved with the User list)`, totalSamples(variants));
    const runs = await interleave(variants, random, () => phase.tick());

    const baselineMs = median(runs.users!);
    const result = (key: string): PageResult => {
      const medianMs = median(runs[key]!);
      const meta = totals[key];
      return {
        key, title: pages[key]!.title, path: pages[key]!.path, runs: runs[key]!, medianMs, ratio: medianMs / baselineMs,
        total: meta?.total, ...(meta?.totalEstimated ? { estimated: true } : {}),
      };
    };
    const others = Object.keys(pages).filter((k) => k !== 'users').map(result);
    const worst = others.reduce((a, b) => (b.ratio > a.ratio ? b : a));
    phase.done(`User list ${baselineMs.toFixed(1)} ms; slowest: ${worst.title} ${worst.medianMs.toFixed(0)} ms (${worst.ratio.toFixed(1)}×)`);
    return { samples: profile.pageSamples, baseline: result('users'), pages: others };
  } finally {
    await admin.close();
    await copy.close();
  }
}
