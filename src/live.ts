/**
 * Live sign-out: the open tabs of a session that ended are told at once, with the reason, over Server-Sent Events.
 *
 * One `LiveSignOut` per process (the engine's). It keeps the open streams by session (at most
 * `maxStreamsPerSession` each, the oldest closed) and by user, and learns of endings from the database:
 * - PostgreSQL: every ending's transaction notifies the ids of the users it touched (registry `notifyEnded`); the
 *   process's ONE listening connection hears it on commit, and one statement (`notLive`) tells which of those users'
 *   connected sessions ended and why. After the listener was lost it re-checks every connected session: what was
 *   notified during the outage is not missed.
 * - MariaDB (no notifications): every `checkIntervalMs` one statement checks every connected session.
 * On both, that full check also finds the sessions whose idle or lifetime deadline passed, and ends them as their
 * next request would (the store's `endIfExpired`), so a timeout is pushed within `checkIntervalMs` of its deadline.
 *
 * A stream is not activity: its request neither touches nor saves the session. It carries only `{ reason }` (the
 * end note's reason, as the registry gives it; null when the session left none), never a session id.
 */
import type { Request, RequestHandler, Response } from 'express';
import { isCrossSite, parseOrigins, refuseCrossSite } from './cross-site.js';
import { messages, SingleSessionConfigError } from './errors.js';
import { log } from './log.js';
import type { ResolvedLive } from './options.js';
import type { EndingsListener, SessionRegistry } from './registry/index.js';

/** Options of `singleSession.liveSignOut()`. */
export interface LiveSignOutOptions {
  /** Origins besides the request's own host that may open the stream (as `guardCrossSite`'s). */
  allowedOrigins?: string[];
  /** What the `ended` event says besides `reason` (the AdminJS panel adds the translation key of its notice). */
  describe?: (reason: string | null) => Record<string, string>;
}

/** What the live sign-out needs of the engine: the registry, the timeouts' ending, the user of a request. */
export interface LiveDeps {
  registry: SessionRegistry;
  settings: ResolvedLive;
  /** The store's `endIfExpired`: ends a session past its deadline, returning the timeout's reason. */
  endIfExpired(sid: string): Promise<string | null>;
  /** The session's user, or null; and its end reason when the cookie named a session that ended. */
  userOf(req: Request): string | null;
  endReasonOf(req: Request): string | null;
  /** Marks the request's session as not activity (no touch, no save). */
  notActivity(req: Request): void;
  /** Throws the start-up error unless the request went through a session middleware with our store. */
  assertSession(req: Request): void;
  report(error: unknown, what: string): void;
}

interface Stream {
  res: Response;
  describe?: LiveSignOutOptions['describe'];
}

interface Watched {
  userId: string;
  /** Oldest first. */
  streams: Stream[];
}

/** The headers a stream needs through a reverse proxy: no caching, no buffering (nginx), an event stream. */
const STREAM_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  'x-accel-buffering': 'no',
};
/** The browser's reconnection delay after a dropped stream; a stream closed for a newer one waits longer. */
const RETRY_MS = 3000;
const RETRY_SUPERSEDED_MS = 60_000;
/** Notifications within this long are checked together, in one statement. */
const GATHER_MS = 5;

const event = (name: string, data: object) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;

export class LiveSignOut {
  private readonly sessions = new Map<string, Watched>();
  private readonly byUser = new Map<string, Set<string>>();
  private listener: EndingsListener | null = null;
  private readonly timers: NodeJS.Timeout[] = [];
  /** Users named by notifications not yet checked (null inside: everyone). */
  private pendingUsers = new Set<string | null>();
  private gathering?: NodeJS.Timeout;
  private checkingAll = false;
  private closed = false;

  /** @internal the engine creates it */
  constructor(private readonly deps: LiveDeps) {}

  /** The listener's database pid (PostgreSQL), for operators and tests; null when polling or disconnected. */
  get listenerPid(): number | null {
    return this.listener?.pid ?? null;
  }

  /** How many streams are open in this process. */
  get openStreams(): number {
    let n = 0;
    for (const watched of this.sessions.values()) n += watched.streams.length;
    return n;
  }

  /** Opens the listener (PostgreSQL; a start-up error if it cannot hear notifications) and starts the timers. */
  async start(dialect: string): Promise<void> {
    const { settings, registry } = this.deps;
    this.listener = !settings.listen ? null : await registry.listenForEndings(
      { listenUrl: settings.listenUrl, reconnectDelayMs: settings.reconnectDelayMs },
      {
        ended: (userIds) => this.heard(userIds),
        resumed: () => this.checkAll('reconnected'),
        lost: (error) => log.database('live: listener lost: %s', (error as Error)?.message ?? error),
      },
    );
    if (this.listener === null && settings.listenUrl !== null) throw new SingleSessionConfigError(messages.listenUrlNotPostgres(dialect));
    const checkEvery = settings.checkIntervalMs ?? (this.listener ? 10_000 : 1000);
    this.every(checkEvery, () => this.checkAll('interval'));
    this.every(settings.heartbeatMs, () => this.heartbeat());
  }

  private every(ms: number, fn: () => void): void {
    const timer = setInterval(fn, ms);
    timer.unref();
    this.timers.push(timer);
  }

  /** The Express handler of the stream (GET). */
  handler(options: LiveSignOutOptions = {}): RequestHandler {
    const allowed = parseOrigins(options.allowedOrigins ?? [], (got) => {
      throw new SingleSessionConfigError(messages.badAllowedOrigins('liveSignOut', got));
    });
    return (req, res, next) => {
      if (req.method !== 'GET' && req.method !== 'HEAD') return void res.status(405).set('allow', 'GET').end();
      try {
        this.deps.assertSession(req);
      } catch (error) {
        return next(error);
      }
      // No touch, no save: an open tab must not keep an idle session alive (this also holds for the refusals below).
      this.deps.notActivity(req);
      // A stream holds a connection: another site's page must not make the visitor's browser hold one.
      if (isCrossSite(req, allowed)) return refuseCrossSite(res, messages.crossSiteRequest);
      const userId = this.deps.userOf(req);
      if (userId === null) {
        const reason = this.deps.endReasonOf(req);
        // A cookie of a session that ended: told at once, in the stream's own terms; anyone else: 401, nothing held.
        if (reason === null) return void res.status(401).json({ error: messages.liveNotSignedIn });
        res.writeHead(200, STREAM_HEADERS);
        return void res.end(event('ended', this.payload(reason, options.describe)));
      }
      if (this.closed) return void res.status(503).set('retry-after', '5').end();
      res.writeHead(200, STREAM_HEADERS);
      res.write(`retry: ${RETRY_MS}\n: connected\n\n`);
      this.add(req.sessionID, userId, { res, describe: options.describe });
    };
  }

  private payload(reason: string | null, describe?: LiveSignOutOptions['describe']): object {
    return { reason, ...(describe ? describe(reason) : {}) };
  }

  private add(sid: string, userId: string, stream: Stream): void {
    let watched = this.sessions.get(sid);
    if (!watched) {
      watched = { userId, streams: [] };
      this.sessions.set(sid, watched);
      let sids = this.byUser.get(userId);
      if (!sids) this.byUser.set(userId, (sids = new Set()));
      sids.add(sid);
    }
    watched.streams.push(stream);
    // Bounded per session: the oldest gives way (and its browser waits a minute before it asks again).
    while (watched.streams.length > this.deps.settings.maxStreamsPerSession) {
      const oldest = watched.streams.shift()!;
      oldest.res.end(`retry: ${RETRY_SUPERSEDED_MS}\n: superseded\n\n`);
    }
    stream.res.on('close', () => this.remove(sid, stream));
  }

  private remove(sid: string, stream: Stream): void {
    const watched = this.sessions.get(sid);
    if (!watched) return;
    const at = watched.streams.indexOf(stream);
    if (at >= 0) watched.streams.splice(at, 1);
    if (watched.streams.length === 0) this.forget(sid, watched);
  }

  private forget(sid: string, watched: Watched): void {
    this.sessions.delete(sid);
    const sids = this.byUser.get(watched.userId);
    sids?.delete(sid);
    if (sids?.size === 0) this.byUser.delete(watched.userId);
  }

  /** Tells every stream of the session that it ended, and why; closes them. */
  private deliver(sid: string, reason: string | null): void {
    const watched = this.sessions.get(sid);
    if (!watched) return;
    this.forget(sid, watched);
    for (const stream of watched.streams) stream.res.end(event('ended', this.payload(reason, stream.describe)));
    log.end('live: told %d stream(s) of a session of user %s: %s', watched.streams.length, watched.userId, reason);
  }

  // ── what the database says ─────────────────────────────────────────────────────────────────────────────────

  /** A notification: gathered for a few ms, so that a burst (a bulk ending's payloads) costs one check. */
  private heard(userIds: string[] | null): void {
    for (const id of userIds ?? [null]) this.pendingUsers.add(id);
    this.gathering ??= setTimeout(() => {
      this.gathering = undefined;
      const users = this.pendingUsers;
      this.pendingUsers = new Set();
      if (users.has(null)) return void this.checkAll('notified');
      const sids = [...users].flatMap((id) => [...(this.byUser.get(id!) ?? [])]);
      this.check(sids).catch((error) => this.deps.report(error, 'live sign-out: a check after a notification failed'));
    }, GATHER_MS);
  }

  /** Every connected session (the poll, the sweep for timeouts, the re-check after a reconnection). */
  private checkAll(why: string): void {
    if (this.checkingAll || this.sessions.size === 0) return;
    this.checkingAll = true;
    log.database('live: checking %d connected session(s) (%s)', this.sessions.size, why);
    this.check([...this.sessions.keys()])
      .catch((error) => this.deps.report(error, `live sign-out: the check of every connected session (${why}) failed`))
      .finally(() => { this.checkingAll = false; });
  }

  private async check(sids: string[]): Promise<void> {
    if (sids.length === 0) return;
    for (const found of await this.deps.registry.notLive(sids)) {
      if (found.state === 'ended') {
        this.deliver(found.sid, found.reason);
        continue;
      }
      // Past its deadline, not yet purged: end it as its next request would, so that every process hears why.
      const reason = await this.deps.endIfExpired(found.sid);
      this.deliver(found.sid, reason);
    }
  }

  private heartbeat(): void {
    for (const watched of this.sessions.values()) for (const stream of watched.streams) stream.res.write(': \n\n');
  }

  /** Stops the timers, closes the listener and every stream (their browsers reconnect to another process). */
  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearInterval(timer);
    clearTimeout(this.gathering);
    for (const watched of this.sessions.values()) for (const stream of watched.streams) stream.res.end();
    this.sessions.clear();
    this.byUser.clear();
    await this.listener?.close();
    this.listener = null;
  }
}
