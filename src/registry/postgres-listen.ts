/**
 * PostgreSQL's side of the live sign-out: the channel every ending's transaction notifies (`pg_notify` is delivered
 * when the transaction commits, never if it rolls back), and the process's ONE listening connection.
 *
 * The listener is a `pg` Client of its own, not a connection of the Sequelize pool: `LISTEN` belongs to a
 * connection, and a pooled one goes back to the pool (behind PgBouncer in transaction mode, to another client) —
 * `live.listenUrl` gives it a direct connection. When the connection is lost (a restart, a network cut, a
 * `pg_terminate_backend`) it reconnects with a doubling delay, and says `resumed`: what was notified meanwhile is
 * gone, the live sign-out re-checks every connected session.
 */
import type { Sequelize } from 'sequelize';
import { messages, SingleSessionConfigError } from '../errors.js';
import { log } from '../log.js';
import type { EndingsHandlers, EndingsListener, ListenSettings } from './registry.js';

/** The channel. The payload is a JSON array of user ids (never a session id: any role may LISTEN on any channel). */
export const ENDINGS_CHANNEL = 'adminjs_single_session_ended';
/** `pg_notify`'s payload must stay under 8,000 bytes: a bulk ending's ids go in several. */
const PAYLOAD_BYTES = 7000;
/** Everyone's: an id too long for one payload (text keys), so the listeners check every session they serve. */
const EVERYONE = '*';
/** What the listening connection calls itself in `pg_stat_activity`. */
export const LISTENER_NAME = 'adminjs-single-session live';
const MAX_RECONNECT_DELAY_MS = 30_000;
/** How long the start-up check waits for its own notification. */
const PROBE_TIMEOUT_MS = 5000;

/** The payloads that name `userIds`, each under the limit. */
export function endingPayloads(userIds: readonly string[]): string[] {
  const payloads: string[] = [];
  let chunk: string[] = [];
  let bytes = 2;
  for (const id of userIds) {
    const size = Buffer.byteLength(JSON.stringify(id)) + 1;
    if (size + 2 > PAYLOAD_BYTES) return [EVERYONE];
    if (bytes + size > PAYLOAD_BYTES) {
      payloads.push(JSON.stringify(chunk));
      chunk = [];
      bytes = 2;
    }
    chunk.push(id);
    bytes += size;
  }
  if (chunk.length > 0) payloads.push(JSON.stringify(chunk));
  return payloads;
}

/** The user ids a payload names; null for everyone (or a payload we did not write). */
function usersOf(payload: string | undefined): string[] | null {
  if (!payload || payload === EVERYONE) return null;
  try {
    const ids = JSON.parse(payload) as unknown;
    return Array.isArray(ids) && ids.every((id) => typeof id === 'string') ? ids : null;
  } catch {
    return null;
  }
}

interface PgClient {
  processID?: number;
  connect(): Promise<void>;
  query(sql: string, values?: unknown[]): Promise<unknown>;
  end(): Promise<void>;
  on(event: 'notification', fn: (msg: { channel: string; payload?: string }) => void): void;
  on(event: 'error' | 'end', fn: (err?: Error) => void): void;
  removeAllListeners(): void;
}

/** The listener's connection: its own URL, else what Sequelize connects with (host, port, user, database, ssl). */
function clientConfig(sequelize: Sequelize, listenUrl: string | null): Record<string, unknown> {
  const base = { application_name: LISTENER_NAME, keepAlive: true, keepAliveInitialDelayMillis: 10_000 };
  if (listenUrl !== null) return { ...base, connectionString: listenUrl };
  const config = sequelize.config as unknown as Record<string, unknown> & { dialectOptions?: Record<string, unknown> };
  const dialectOptions = config.dialectOptions ?? {};
  return {
    ...base,
    host: config.host, port: config.port ? Number(config.port) : undefined, user: config.username, password: config.password,
    database: config.database, ssl: dialectOptions.ssl ?? (config as { ssl?: unknown }).ssl,
  };
}

class PostgresEndingsListener implements EndingsListener {
  private client: PgClient | null = null;
  private closed = false;
  private retry?: NodeJS.Timeout;
  private attempt = 0;
  private readonly probes = new Map<string, () => void>();

  constructor(
    private readonly Client: new (config: Record<string, unknown>) => PgClient,
    private readonly config: Record<string, unknown>,
    private readonly settings: ListenSettings,
    private readonly handlers: EndingsHandlers,
  ) {}

  get pid(): number | null {
    return this.client?.processID ?? null;
  }

  /** Connects and LISTENs; rejects if either fails (the caller decides: a start-up error, or try again later). */
  async connect(): Promise<void> {
    const client = new this.Client(this.config);
    let gone = false;
    const lost = (error?: Error) => {
      if (gone) return;
      gone = true;
      client.removeAllListeners();
      client.on('error', () => undefined); // a late socket error must not crash the process
      if (this.client === client) this.client = null;
      client.end().catch(() => undefined);
      if (this.closed) return;
      this.handlers.lost(error ?? new Error('the listening connection ended'));
      this.scheduleReconnect();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    client.on('notification', (msg) => {
      if (msg.channel !== ENDINGS_CHANNEL) return;
      const probe = msg.payload?.startsWith('probe:') ? this.probes.get(msg.payload) : undefined;
      if (probe) return probe();
      this.handlers.ended(usersOf(msg.payload));
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${ENDINGS_CHANNEL}`);
    } catch (error) {
      gone = true;
      client.removeAllListeners();
      client.on('error', () => undefined);
      await client.end().catch(() => undefined);
      throw error;
    }
    this.client = client;
  }

  private scheduleReconnect(): void {
    if (this.closed || this.retry) return;
    // Doubling, with jitter: a database restart does not meet every process's listener at the same instant.
    const delay = Math.min(MAX_RECONNECT_DELAY_MS, this.settings.reconnectDelayMs * 2 ** this.attempt) * (0.75 + Math.random() / 2);
    this.attempt++;
    log.database('live: listener lost; reconnecting in %d ms (attempt %d)', Math.round(delay), this.attempt);
    this.retry = setTimeout(() => {
      this.retry = undefined;
      this.connect().then(() => {
        this.attempt = 0;
        log.database('live: listener connected again (pid %s)', this.pid);
        this.handlers.resumed();
      }, (error) => {
        if (this.closed) return;
        this.handlers.lost(error);
        this.scheduleReconnect();
      });
    }, delay);
    this.retry.unref();
  }

  /** Start-up check: a notification sent through the app's own pool reaches this connection. */
  async probe(sequelize: Sequelize): Promise<boolean> {
    const payload = `probe:${process.pid}:${Math.random().toString(36).slice(2)}`;
    const heard = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), PROBE_TIMEOUT_MS);
      this.probes.set(payload, () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    await sequelize.query('SELECT pg_notify($channel, $payload)', { bind: { channel: ENDINGS_CHANNEL, payload } });
    const ok = await heard;
    this.probes.delete(payload);
    return ok;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    const client = this.client;
    this.client = null;
    if (client) {
      client.removeAllListeners();
      client.on('error', () => undefined);
      await client.end().catch(() => undefined);
    }
  }
}

/** Opens the listener and checks, once, that it hears what the app's pool notifies. */
export async function listenForEndings(sequelize: Sequelize, settings: ListenSettings, handlers: EndingsHandlers): Promise<EndingsListener> {
  let pg: { default?: { Client: unknown }; Client?: unknown };
  try {
    pg = await import('pg');
  } catch {
    throw new SingleSessionConfigError(messages.liveNeedsPg);
  }
  const Client = (pg.Client ?? pg.default?.Client) as new (config: Record<string, unknown>) => PgClient;
  const listener = new PostgresEndingsListener(Client, clientConfig(sequelize, settings.listenUrl), settings, handlers);
  try {
    await listener.connect();
  } catch (error) {
    throw new SingleSessionConfigError(messages.liveCannotListen(settings.listenUrl !== null, (error as Error).message));
  }
  if (!(await listener.probe(sequelize))) {
    await listener.close();
    throw new SingleSessionConfigError(messages.liveListenerDeaf(settings.listenUrl !== null));
  }
  return listener;
}
