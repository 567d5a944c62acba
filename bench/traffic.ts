/**
 * The soak's load: mixed traffic at a steady rate against the app processes, as browsers and an administrator
 * would send it — site logins (`POST /login`), authenticated requests with the cookies those logins got
 * (`GET /me`), logouts (`POST /logout`, which ends all of the user's sessions), and an admin ending the sessions
 * of random users with the bulk action every few seconds. Requests go to the processes in turn: they share the
 * session store, so any cookie works on any of them.
 *
 * Open loop: arrivals follow the clock (`rate` per second), whether or not earlier answers came back, so a slow
 * server shows as latency, not as a lower rate. (autocannon is closed-loop per connection and replays fixed
 * requests; here each request depends on shared state — which cookies are alive, which users are busy — and
 * every answer is judged by it.)
 *
 * Every session the generator ends (by a login of the same user, a logout, the admin's ending) is probed once
 * afterwards on another process (`GET /me` with its cookie, kind `probe`): it must be refused there too.
 *
 * What counts as an error: a failed connection, an unexpected status, a wrong user, an arrival not sent because
 * too many requests were pending, an ended session still served, and a 401 for a cookie the generator did not
 * end itself and did not leave idle past its lifetime. A state-changing request and the next one for the same
 * user never overlap, so those expected endings are exact.
 */
import { type Response, request } from './http.js';

export const KINDS = ['login', 'me', 'logout', 'adminEnd', 'probe'] as const;
export type Kind = (typeof KINDS)[number];

export interface TrafficOptions {
  urls: string[];
  /** Requests per second (logins, authenticated requests, logouts); the admin's endings come on top. */
  rate: number;
  /** Shares of the rate. */
  weights: { login: number; me: number; logout: number };
  /** Share of logins whose cookie is used afterwards; the others are abandoned (they expire, the purge removes them). */
  keepShare: number;
  /** Users who log in (ids, inclusive). */
  loginUsers: { first: number; last: number };
  /** Users the admin may pick (ids, inclusive; no admin user among them). */
  allUsers: { first: number; last: number };
  adminEnding: { everySeconds: number; users: number };
  /** A cookie unused this long is abandoned: its session may have expired (its lifetime minus the touch interval). */
  maxIdleMs: number;
  email: (userId: number) => string;
  password: string;
  admin: { email: string; password: string };
  random: () => number;
  maxInFlight?: number;
}

/** What one interval saw. Latencies in ms, of every answered request. */
export interface Bucket {
  latencies: number[];
  byKind: Record<Kind, number[]>;
  errors: number;
  /** The first few error messages. */
  errorSamples: string[];
  /** 401s for sessions the generator had ended (expected), by the reason the server gave. */
  endedSeen: Record<string, number>;
}

interface Cookie {
  userId: number;
  header: string;
  lastUsed: number;
  retired: boolean;
}

const emptyBucket = (): Bucket => ({
  latencies: [], byKind: Object.fromEntries(KINDS.map((k) => [k, []])) as unknown as Record<Kind, number[]>,
  errors: 0, errorSamples: [], endedSeen: {},
});

const sessionCookie = (res: Response) => res.setCookies.map((c) => c.split(';')[0]!).find((c) => c.startsWith('sid='));

/** Live cookies, with constant-time add, remove and random pick. */
class CookiePool {
  private readonly list: Cookie[] = [];
  private readonly at = new Map<Cookie, number>();
  readonly byUser = new Map<number, Cookie>();

  get size(): number {
    return this.list.length;
  }

  add(cookie: Cookie): void {
    this.at.set(cookie, this.list.push(cookie) - 1);
    this.byUser.set(cookie.userId, cookie);
  }

  /** Marks the cookie ended (by us) and drops it. */
  retire(cookie: Cookie | undefined): void {
    if (!cookie || cookie.retired) return;
    cookie.retired = true;
    const i = this.at.get(cookie)!;
    const last = this.list.pop()!;
    if (last !== cookie) {
      this.list[i] = last;
      this.at.set(last, i);
    }
    this.at.delete(cookie);
    if (this.byUser.get(cookie.userId) === cookie) this.byUser.delete(cookie.userId);
  }

  pick(random: () => number): Cookie | undefined {
    return this.list.length ? this.list[Math.floor(random() * this.list.length)] : undefined;
  }
}

export class MixedTraffic {
  private readonly pool = new CookiePool();
  /** Users with a login, logout or admin ending under way: no other such request for them meanwhile. */
  private readonly busy = new Set<number>();
  private bucket = emptyBucket();
  private adminCookie = '';
  private next = 0;
  private inFlight = 0;
  private readonly pending = new Set<Promise<void>>();
  private timers: NodeJS.Timeout[] = [];

  constructor(private readonly o: TrafficOptions) {}

  /** Logs the admin in (AdminJS's login form) and `count` users in (the first authenticated requests' cookies). */
  async prepare(count: number): Promise<void> {
    const res = await request(`${this.url()}/admin/login`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(this.o.admin).toString(),
    });
    const cookie = sessionCookie(res);
    if (res.status !== 302 || !cookie) throw new Error(`soak: admin login answered ${res.status}: ${res.text.slice(0, 200)}`);
    this.adminCookie = cookie;
    for (let i = 0; i < count; i++) {
      await this.login(true);
      if (this.bucket.errors > 0) throw new Error(`soak: logging users in before the run failed: ${this.bucket.errorSamples.join('; ')}`);
    }
    this.bucket = emptyBucket();
  }

  get liveCookies(): number {
    return this.pool.size;
  }

  start(): void {
    const started = performance.now();
    let sent = 0;
    this.timers.push(setInterval(() => {
      const due = Math.floor(((performance.now() - started) / 1000) * this.o.rate);
      for (; sent < due; sent++) this.arrive();
    }, 5));
    this.timers.push(setInterval(() => this.launch('adminEnd', () => this.adminEnd()), this.o.adminEnding.everySeconds * 1000));
  }

  /** The interval's figures so far; starts a new interval. */
  take(): Bucket {
    const bucket = this.bucket;
    this.bucket = emptyBucket();
    return bucket;
  }

  /** Stops sending and waits for the answers still due. */
  async stop(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    await Promise.allSettled([...this.pending]);
  }

  // ── one arrival ────────────────────────────────────────────────────────────────────────────────────────────

  private arrive(): void {
    const { login, me } = this.o.weights;
    const total = login + me + this.o.weights.logout;
    const r = this.o.random() * total;
    if (r < login) this.launch('login', () => this.login(this.o.random() < this.o.keepShare));
    else if (r < login + me) this.launch('me', () => this.me());
    else this.launch('logout', () => this.logout());
  }

  private launch(kind: Kind, run: () => Promise<void>): void {
    if (this.inFlight >= (this.o.maxInFlight ?? 256)) {
      this.error(`${kind}: not sent, ${this.inFlight} requests still pending (the servers do not keep up)`);
      return;
    }
    this.inFlight++;
    const done = run().catch((err: Error) => this.error(`${kind}: ${err.message}`)).finally(() => {
      this.inFlight--;
      this.pending.delete(done);
    });
    this.pending.add(done);
  }

  private url(): string {
    return this.o.urls[this.next++ % this.o.urls.length]!;
  }

  private async send(
    kind: Kind, path: string, init: { method?: string; cookie?: string; json?: unknown; url?: string } = {},
  ): Promise<Response & { url: string }> {
    const headers: Record<string, string> = {};
    if (init.cookie) headers.cookie = init.cookie;
    if (init.json !== undefined) headers['content-type'] = 'application/json';
    const url = init.url ?? this.url();
    const start = performance.now();
    const res = await request(url + path, { method: init.method ?? 'GET', headers, body: init.json === undefined ? undefined : JSON.stringify(init.json) });
    const ms = performance.now() - start;
    this.bucket.latencies.push(ms);
    this.bucket.byKind[kind].push(ms);
    return { ...res, url };
  }

  /** An ended session must be refused, on another process than the one that ended it. */
  private async probe(cookies: Cookie[], endedBy: string, how: string): Promise<void> {
    const elsewhere = this.o.urls.find((u) => u !== endedBy) ?? endedBy;
    await Promise.all(cookies.map(async (cookie) => {
      const res = await this.send('probe', '/me', { cookie: cookie.header, url: elsewhere });
      if (res.status !== 401) this.error(`probe: the session of user ${cookie.userId} ended by ${how} answered HTTP ${res.status} on another process`);
    }));
  }

  private error(message: string): void {
    this.bucket.errors++;
    if (this.bucket.errorSamples.length < 5) this.bucket.errorSamples.push(message.slice(0, 300));
  }

  /** A random user of `range` with nothing under way, or undefined after a few tries. */
  private idleUser(range: { first: number; last: number }): number | undefined {
    for (let i = 0; i < 10; i++) {
      const id = range.first + Math.floor(this.o.random() * (range.last - range.first + 1));
      if (!this.busy.has(id)) return id;
    }
    return undefined;
  }

  private async whileBusy(userIds: number[], fn: () => Promise<void>): Promise<void> {
    for (const id of userIds) this.busy.add(id);
    try {
      await fn();
    } finally {
      for (const id of userIds) this.busy.delete(id);
    }
  }

  private async login(keep: boolean): Promise<void> {
    const userId = this.idleUser(this.o.loginUsers);
    if (userId === undefined) return this.error('login: no idle user found');
    // With one session per user, this login ends the user's previous session.
    const previous = this.pool.byUser.get(userId);
    this.pool.retire(previous);
    await this.whileBusy([userId], async () => {
      const res = await this.send('login', '/login', { method: 'POST', json: { email: this.o.email(userId), password: this.o.password } });
      const cookie = sessionCookie(res);
      if (res.status !== 200 || !cookie) return this.error(`login: HTTP ${res.status} ${res.text.slice(0, 200)}`);
      if (keep) this.pool.add({ userId, header: cookie, lastUsed: Date.now(), retired: false });
      if (previous) await this.probe([previous], res.url, 'a newer login');
    });
  }

  private async me(): Promise<void> {
    let cookie = this.pool.pick(this.o.random);
    // Left idle too long: it may have expired (as an abandoned browser's would). Not used again.
    while (cookie && Date.now() - cookie.lastUsed > this.o.maxIdleMs) {
      this.pool.retire(cookie);
      cookie = this.pool.pick(this.o.random);
    }
    if (!cookie) return this.login(true);
    cookie.lastUsed = Date.now();
    const res = await this.send('me', '/me', { cookie: cookie.header });
    if (res.status === 200) {
      const id = (JSON.parse(res.text) as { id?: unknown }).id;
      if (String(id) !== String(cookie.userId)) this.error(`me: answered user ${String(id)} for a cookie of user ${cookie.userId}`);
    } else if (res.status === 401 && cookie.retired) {
      const reason = (JSON.parse(res.text) as { reason?: string }).reason ?? 'none';
      this.bucket.endedSeen[reason] = (this.bucket.endedSeen[reason] ?? 0) + 1;
    } else {
      this.error(`me: HTTP ${res.status} for a live session of user ${cookie.userId}: ${res.text.slice(0, 200)}`);
    }
  }

  private async logout(): Promise<void> {
    const cookie = this.pool.pick(this.o.random);
    if (!cookie || this.busy.has(cookie.userId)) return this.me();
    this.pool.retire(cookie);
    await this.whileBusy([cookie.userId], async () => {
      const res = await this.send('logout', '/logout', { method: 'POST', cookie: cookie.header, json: {} });
      if (res.status !== 200) return this.error(`logout: HTTP ${res.status} ${res.text.slice(0, 200)}`);
      return this.probe([cookie], res.url, 'a logout');
    });
  }

  private async adminEnd(): Promise<void> {
    const ids = new Set<number>();
    for (let i = 0; i < this.o.adminEnding.users; i++) {
      const id = this.idleUser(this.o.allUsers);
      if (id !== undefined) ids.add(id);
    }
    const users = [...ids];
    const ended = users.flatMap((id) => this.pool.byUser.get(id) ?? []);
    for (const cookie of ended) this.pool.retire(cookie);
    await this.whileBusy(users, async () => {
      const res = await this.send('adminEnd', `/admin/api/resources/User/bulk/logoutUserOnAllSessions?recordIds=${users.join(',')}`,
        { method: 'POST', cookie: this.adminCookie, json: {} });
      const notice = res.status === 200 ? (JSON.parse(res.text) as { notice?: { type?: string } }).notice : undefined;
      if (notice?.type !== 'success') return this.error(`admin ending: HTTP ${res.status} ${res.text.slice(0, 200)}`);
      return this.probe(ended, res.url, 'the admin');
    });
  }
}
