/**
 * The registry's statements for PostgreSQL (and PGlite).
 *
 * - The per-user lock is a transaction-level advisory lock (`pg_advisory_xact_lock`) on a hash of the user id: it
 *   works for any key type, needs no row, and is released by COMMIT or ROLLBACK — it cannot leak into the pool.
 * - An ending is one `DELETE … USING … RETURNING` whose rows feed the `EndedSessions` notes in the same statement.
 * - `EndedSessions` is UNLOGGED (see the migration): notes are hints, not data.
 */
import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import type { UserKeyKind } from '../ids.js';
import {
  auditHoursOf, type AuditHours, type AuditKind, type DeviceIdentity, type EndedCounts, type EndReason, type LiveSummary,
  type EndingsHandlers, type EndingsListener, type ListenSettings, type LoadedSession, type LoginMetadata, type LoginWrite,
  type MarkedAuditRow, type NotLive, type RegistrySettings, type SessionInfo, SqlRegistry, type TimeoutReason, topShares,
  type SessionClaim, type UnlinkedSession,
} from './registry.js';
import { ENDINGS_CHANNEL, endingPayloads, listenForEndings } from './postgres-listen.js';
import { checkSchema, REQUIRED_TABLES } from './schema.js';

/** PostgreSQL's names of the key types we support, as our kinds; anything else is compared as text. */
const KEY_KINDS: Record<string, UserKeyKind> = {
  smallint: 'smallint', integer: 'integer', bigint: 'bigint', uuid: 'uuid', text: 'text', 'character varying': 'text',
};
/** The cast that turns a bound text parameter into the key's type. */
const KEY_CASTS: Record<UserKeyKind, string> = { smallint: 'smallint', integer: 'integer', bigint: 'bigint', uuid: 'uuid', text: 'text' };

/** A live session: not expired (a NULL expiry never expires, as in connect-session-sequelize). */
const LIVE = `(s.expires IS NULL OR s.expires > now())`;

/**
 * Keeps a session's "ended because" note. A plain INSERT: only the statement that deleted a session notes it, so a
 * second note of a sid can only follow a reused sid, and `endReason` reads the newest (the table has no unique key
 * since migration 20261130000000: the upsert it needed cost a third of a bulk ending).
 */
const NOTE_ENDED = `INSERT INTO "EndedSessions" (sid, "userId", reason, "endedAt") SELECT sid, "userId", $reason, now() FROM gone WHERE live`;

/** How many sessions one `notLive` statement checks. */
const NOT_LIVE_CHUNK = 1000;

const TTL = `now() - $ttl::double precision * interval '1 millisecond'`;

export class PostgresRegistry extends SqlRegistry {
  private readonly cast: string;

  private constructor(sequelize: Sequelize, keyKind: UserKeyKind, settings: RegistrySettings) {
    super(sequelize, keyKind, settings);
    this.cast = KEY_CASTS[keyKind];
  }

  /** Checks the schema (clear error if a migration is missing) and learns the type of the user key. */
  static async open(sequelize: Sequelize, settings: RegistrySettings): Promise<PostgresRegistry> {
    const columns = await sequelize.query<{ table: string; column: string; type: string }>(
      `SELECT table_name AS "table", column_name AS "column", data_type AS "type" FROM information_schema.columns
       WHERE table_schema = current_schema() AND table_name = ANY($tables)`,
      { bind: { tables: REQUIRED_TABLES }, type: QueryTypes.SELECT },
    );
    const keyType = checkSchema(columns);
    return new PostgresRegistry(sequelize, KEY_KINDS[keyType] ?? 'text', settings);
  }

  protected isDeadlock(error: unknown): boolean {
    return (error as { parent?: { code?: string } }).parent?.code === '40P01'; // deadlock_detected
  }

  private select<T extends object>(sql: string, bind: Record<string, unknown>, transaction?: Transaction): Promise<T[]> {
    return this.sequelize.query<T>(sql, { bind, type: QueryTypes.SELECT, transaction });
  }

  // ── reads ──────────────────────────────────────────────────────────────────────────────────────────────────

  async load(sid: string): Promise<LoadedSession | null> {
    const [row] = await this.select<LoadedSession>(
      `SELECT s.data, s.expires, s."updatedAt", us."userId"::text AS "userId", us."lastSeenAt", us."createdAt" AS "signedInAt"
       FROM "Sessions" s LEFT JOIN "UserSessions" us ON us.sid = s.sid WHERE s.sid = $sid`,
      { sid },
    );
    return row ?? null;
  }

  async endReason(sid: string): Promise<{ reason: EndReason; endedAt: Date } | null> {
    const [row] = await this.select<{ reason: EndReason; endedAt: Date }>(
      `SELECT reason, "endedAt" FROM "EndedSessions" WHERE sid = $sid AND "endedAt" > ${TTL} ORDER BY "endedAt" DESC LIMIT 1`,
      { sid, ttl: this.settings.endReasonTtlMs },
    );
    return row ?? null;
  }

  async listUserSessions(userId: string): Promise<SessionInfo[]> {
    return this.select<SessionInfo>(
      `SELECT us.id::text AS id, us."userId"::text AS "userId", us."createdAt", us."lastSeenAt", us.ip, us."userAgent",
              us.browser, us.os, us.device, s.expires
       FROM "UserSessions" us JOIN "Sessions" s ON s.sid = us.sid
       WHERE us."userId" = $user::${this.cast} AND ${LIVE}
       ORDER BY us."lastSeenAt" DESC, us.id DESC`,
      { user: userId },
    );
  }

  async handleOf(sid: string): Promise<string | null> {
    const [row] = await this.select<{ id: string }>(`SELECT id::text AS id FROM "UserSessions" WHERE sid = $sid`, { sid });
    return row?.id ?? null;
  }

  protected async countLiveIn(userId: string, exceptSid: string, transaction?: Transaction): Promise<number> {
    const [row] = await this.select<{ n: string }>(
      `SELECT count(*) AS n FROM "UserSessions" us JOIN "Sessions" s ON s.sid = us.sid
       WHERE us."userId" = $user::${this.cast} AND us.sid <> $sid AND ${LIVE}`,
      { user: userId, sid: exceptSid },
      transaction,
    );
    return Number(row!.n);
  }

  // ── session rows ───────────────────────────────────────────────────────────────────────────────────────────

  protected async insertRow(sid: string, data: string, expires: Date, transaction?: Transaction): Promise<void> {
    await this.sequelize.query(
      `INSERT INTO "Sessions" (sid, expires, data, "createdAt", "updatedAt") VALUES ($sid, $expires, $data, now(), now())
       ON CONFLICT (sid) DO UPDATE SET expires = EXCLUDED.expires, data = EXCLUDED.data, "updatedAt" = now()`,
      { bind: { sid, data, expires }, transaction },
    );
  }

  protected async updateRow(sid: string, data: string | null, expires: Date, seen: boolean, transaction?: Transaction): Promise<boolean> {
    const setData = data === null ? '' : ', data = $data';
    // Only a live row: a request that loaded the session before a deadline passed cannot move it after.
    const update = `UPDATE "Sessions" SET expires = $expires, "updatedAt" = now()${setData}
      WHERE sid = $sid AND (expires IS NULL OR expires > now()) RETURNING sid`;
    const sql = seen
      ? `WITH s AS (${update}), l AS (UPDATE "UserSessions" us SET "lastSeenAt" = now() FROM s WHERE us.sid = s.sid) SELECT sid FROM s`
      : update;
    const bind: Record<string, unknown> = { sid, expires };
    if (data !== null) bind.data = data;
    const rows = await this.select<{ sid: string }>(sql, bind, transaction);
    return rows.length === 1;
  }

  protected async deleteRow(sid: string, transaction?: Transaction): Promise<void> {
    await this.sequelize.query(`DELETE FROM "Sessions" WHERE sid = $sid`, { bind: { sid }, transaction });
  }

  protected async deleteNoted(sid: string, userId: string, reason: EndReason, transaction: Transaction): Promise<boolean> {
    const rows = await this.select<{ sid: string }>(
      `WITH gone AS (DELETE FROM "Sessions" s WHERE s.sid = $sid RETURNING s.sid, $user::text AS "userId", true AS live),
       noted AS (${NOTE_ENDED})
       SELECT sid FROM gone`,
      { sid, user: userId, reason },
      transaction,
    );
    return rows.length > 0;
  }

  protected async moveLink(oldSid: string, sid: string, userId: string, transaction: Transaction): Promise<boolean> {
    const rows = await this.select<{ sid: string }>(
      `UPDATE "UserSessions" SET sid = $sid WHERE sid = $old AND "userId" = $user::${this.cast} RETURNING sid`,
      { sid, old: oldSid, user: userId },
      transaction,
    );
    return rows.length === 1;
  }

  protected async deleteTimedOut(sid: string, reason: TimeoutReason, transaction: Transaction): Promise<string | null> {
    const [row] = await this.select<{ userId: string }>(
      `WITH gone AS (
         DELETE FROM "Sessions" s USING "UserSessions" us WHERE s.sid = $sid AND us.sid = s.sid AND s.expires <= now()
         RETURNING s.sid, us."userId"::text AS "userId", true AS live),
       noted AS (${NOTE_ENDED})
       SELECT "userId" FROM gone`,
      { sid, reason },
      transaction,
    );
    return row?.userId ?? null;
  }

  // ── a login ────────────────────────────────────────────────────────────────────────────────────────────────

  protected async lockUser(userId: string, transaction: Transaction): Promise<void> {
    await this.sequelize.query(`SELECT pg_advisory_xact_lock(hashtext('adminjs-single-session'), hashtext($user))`, {
      bind: { user: userId },
      transaction,
    });
  }

  protected async link(sid: string, userId: string, metadata: LoginMetadata, transaction: Transaction): Promise<void> {
    await this.sequelize.query(
      `INSERT INTO "UserSessions" (sid, "userId", "createdAt", "lastSeenAt", ip, "userAgent", browser, os, device)
       VALUES ($sid, $user::${this.cast}, now(), now(), $ip, $userAgent, $browser, $os, $device)
       ON CONFLICT (sid) DO UPDATE SET "userId" = EXCLUDED."userId", "createdAt" = now(), "lastSeenAt" = now(),
         ip = EXCLUDED.ip, "userAgent" = EXCLUDED."userAgent", browser = EXCLUDED.browser, os = EXCLUDED.os, device = EXCLUDED.device`,
      { bind: { sid, user: userId, ...metadata }, transaction },
    );
  }

  protected async endAllButBest(
    userId: string, sid: string, keep: number, rankBy: LoginWrite['rankBy'], transaction: Transaction,
  ): Promise<number> {
    if (keep === 0) {
      // The single-session case: no ranking needed, the plain set-based ending is about a fifth cheaper.
      const ended = await this.endUsersIn([userId], 'replaced', sid, transaction);
      return ended.get(userId) ?? 0;
    }
    const [row] = await this.select<{ ended: string }>(
      `WITH ranked AS (
         SELECT us.sid, us."userId"::text AS "userId", ${LIVE} AS live,
                row_number() OVER (ORDER BY ${LIVE} DESC, us."${rankBy}" DESC, us.id DESC) AS rank
         FROM "UserSessions" us JOIN "Sessions" s ON s.sid = us.sid
         WHERE us."userId" = $user::${this.cast} AND us.sid <> $sid),
       gone AS (DELETE FROM "Sessions" s USING ranked r WHERE s.sid = r.sid AND r.rank > $keep RETURNING s.sid, r."userId", r.live),
       noted AS (${NOTE_ENDED})
       SELECT count(*) FILTER (WHERE live) AS ended FROM gone`,
      { user: userId, sid, keep, reason: 'replaced' },
      transaction,
    );
    return Number(row!.ended);
  }

  // ── cut-over ───────────────────────────────────────────────────────────────────────────────────────────────

  unlinkedSessions(after: string, limit: number): Promise<UnlinkedSession[]> {
    return this.select<UnlinkedSession>(
      `SELECT s.sid, s.data FROM "Sessions" s WHERE s.sid > $after AND ${LIVE}
         AND NOT EXISTS (SELECT 1 FROM "UserSessions" us WHERE us.sid = s.sid)
       ORDER BY s.sid LIMIT $limit`,
      { after, limit },
    );
  }

  protected async linkClaims(claims: readonly SessionClaim[], transaction: Transaction): Promise<Array<{ sid: string; id: string }>> {
    const users = await this.userTable();
    // The link's sign-in time is the session's own start: the absolute timeout counts from there, not from the cut-over.
    const rows = await this.select<{ sid: string; id: string }>(
      `INSERT INTO "UserSessions" (sid, "userId", "createdAt", "lastSeenAt")
       SELECT s.sid, v.uid::${this.cast}, s."createdAt", now()
       FROM unnest($sids::text[], $digests::text[], $users::text[]) AS v(sid, digest, uid)
       JOIN "Sessions" s ON s.sid = v.sid AND md5(s.data) = v.digest
       WHERE EXISTS (SELECT 1 FROM ${users.table} u WHERE u.${users.column} = v.uid::${this.cast})
       ON CONFLICT (sid) DO NOTHING
       RETURNING sid, id::text AS id`,
      { sids: claims.map((c) => c.sid), digests: claims.map((c) => c.digest), users: claims.map((c) => c.userId) },
      transaction,
    );
    return rows;
  }

  protected async deleteClaimed(claims: readonly SessionClaim[], transaction: Transaction): Promise<number> {
    const [row] = await this.select<{ n: string }>(
      `WITH gone AS (
         DELETE FROM "Sessions" s USING unnest($sids::text[], $digests::text[]) AS v(sid, digest)
         WHERE s.sid = v.sid AND md5(s.data) = v.digest
         RETURNING s.sid, NULL::text AS "userId", true AS live),
       noted AS (${NOTE_ENDED})
       SELECT count(*) AS n FROM gone`,
      { sids: claims.map((c) => c.sid), digests: claims.map((c) => c.digest), reason: 'revoked' },
      transaction,
    );
    return Number(row!.n);
  }

  private userTableOnce?: Promise<{ table: string; column: string }>;
  /** The table and key UserSessions.userId references (quoted), read from its foreign key once. */
  private userTable(): Promise<{ table: string; column: string }> {
    this.userTableOnce ??= this.select<{ table: string; column: string }>(
      `SELECT c.confrelid::regclass::text AS "table", quote_ident(a.attname) AS "column"
       FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = c.confkey[1]
       WHERE c.conrelid = '"UserSessions"'::regclass AND c.contype = 'f'
         AND c.conkey[1] = (SELECT attnum FROM pg_attribute WHERE attrelid = '"UserSessions"'::regclass AND attname = 'userId')`,
      {},
    ).then(([row]) => row!);
    return this.userTableOnce;
  }

  // ── endings ────────────────────────────────────────────────────────────────────────────────────────────────

  protected endUsersIn(userIds: readonly string[], reason: EndReason, exceptSid: string | null, transaction: Transaction): Promise<EndedCounts> {
    return this.endWhere(`us."userId" = ANY($ids::${this.cast}[])`, userIds, reason, exceptSid, transaction);
  }

  protected endHandlesIn(handles: readonly string[], reason: EndReason, exceptSid: string | null, transaction: Transaction): Promise<EndedCounts> {
    return this.endWhere(`us.id = ANY($ids::bigint[])`, handles, reason, exceptSid, transaction);
  }

  private async endWhere(
    condition: string, ids: readonly string[], reason: EndReason, exceptSid: string | null, transaction: Transaction,
  ): Promise<EndedCounts> {
    const rows = await this.select<{ userId: string; sessions: string }>(
      `WITH gone AS (
         DELETE FROM "Sessions" s USING "UserSessions" us
         WHERE us.sid = s.sid AND ${condition} AND s.sid <> $except
         RETURNING s.sid, us."userId"::text AS "userId", ${LIVE} AS live),
       noted AS (${NOTE_ENDED})
       SELECT "userId", count(*) AS sessions FROM gone WHERE live GROUP BY "userId"`,
      { ids, except: exceptSid ?? '', reason },
      transaction,
    );
    return new Map(rows.map((r) => [r.userId, Number(r.sessions)]));
  }

  // ── housekeeping ───────────────────────────────────────────────────────────────────────────────────────────

  protected async purgeBatch(batch: number, transaction: Transaction): Promise<Array<{ userId: string | null; reason: TimeoutReason | null }> | null> {
    const [lock] = await this.select<{ ok: boolean }>(
      `SELECT pg_try_advisory_xact_lock(hashtext('adminjs-single-session'), hashtext('purge')) AS ok`, {}, transaction,
    );
    if (!lock!.ok) return null;
    // Index range scan on `expires`. The links go by cascade; the RETURNING join still sees them (one snapshot).
    // A signed-in session a timeout ended leaves a note of why, as if it had been caught on its next request.
    const { idleTimeoutMs, absoluteTimeoutMs } = this.settings;
    return this.select<{ userId: string | null; reason: TimeoutReason | null }>(
      `WITH gone AS (
         DELETE FROM "Sessions" WHERE sid IN (SELECT sid FROM "Sessions" WHERE expires < now() LIMIT $batch) RETURNING sid, "updatedAt"),
       ended AS (
         SELECT gone.sid, us."userId"::text AS "userId", CASE
             WHEN us.sid IS NULL THEN NULL
             WHEN $absolute >= 0 AND us."createdAt" + $absolute * interval '1 millisecond' <= now() THEN 'lifetime'
             WHEN $idle >= 0 AND gone."updatedAt" + $idle * interval '1 millisecond' <= now() THEN 'idle'
           END AS reason
         FROM gone LEFT JOIN "UserSessions" us ON us.sid = gone.sid),
       noted AS (
         INSERT INTO "EndedSessions" (sid, "userId", reason, "endedAt") SELECT sid, "userId", reason, now() FROM ended WHERE reason IS NOT NULL)
       SELECT "userId", reason FROM ended`,
      { batch, idle: idleTimeoutMs === false ? -1 : idleTimeoutMs, absolute: absoluteTimeoutMs === false ? -1 : absoluteTimeoutMs },
      transaction,
    );
  }

  protected async forgetOldNotes(): Promise<void> {
    await this.sequelize.query(`DELETE FROM "EndedSessions" WHERE "endedAt" < ${TTL}`, { bind: { ttl: this.settings.endReasonTtlMs } });
  }

  protected async forgetOldAudit(batch: number): Promise<number> {
    const [, deleted] = await this.sequelize.query(
      `DELETE FROM "SessionAuditEvents" WHERE id IN (
         SELECT id FROM "SessionAuditEvents" WHERE at < ${TTL} LIMIT $batch)`,
      { bind: { ttl: this.settings.auditRetentionMs, batch } },
    );
    return (deleted as { rowCount: number }).rowCount;
  }

  protected async insertAudit(
    event: { reason: AuditKind; actorId: string | null; userIds: string[]; sessionCount: number }, transaction?: Transaction,
  ): Promise<void> {
    await this.sequelize.query(
      `INSERT INTO "SessionAuditEvents" (at, reason, "actorId", "userIds", "sessionCount") VALUES (now(), $reason, $actor, $users, $count)`,
      { bind: { reason: event.reason, actor: event.actorId, users: JSON.stringify(event.userIds), count: event.sessionCount }, transaction },
    );
  }

  // ── statistics (the AdminJS dashboard, the confirmations' counts) ──────────────────────────────────────────────
  // Built to stay fast at a million sessions: no statement joins every link to its session (3 s at 1M). Live = all
  // links minus the expired ones, which the `expires` index finds (few: the purge removes them every 15 minutes).

  async countLiveByUser(userIds: readonly string[], exceptSid: string | null): Promise<Map<string, number>> {
    if (userIds.length === 0) return new Map();
    const rows = await this.select<{ userId: string; n: string }>(
      `SELECT us."userId"::text AS "userId", count(*) AS n FROM "UserSessions" us JOIN "Sessions" s ON s.sid = us.sid
       WHERE us."userId" = ANY($ids::${this.cast}[]) AND us.sid <> $except AND ${LIVE} GROUP BY us."userId"`,
      { ids: userIds, except: exceptSid ?? '' },
    );
    return new Map(rows.map((r) => [r.userId, Number(r.n)]));
  }

  /** Exact: per user, links (an index-only scan of `userId`) minus expired links. */
  protected async liveCounts(): Promise<Pick<LiveSummary, 'sessions' | 'users'>> {
    const [row] = await this.select<{ sessions: string; users: string }>(
      `WITH gone AS (
         SELECT us."userId", count(*) AS n FROM "Sessions" s JOIN "UserSessions" us ON us.sid = s.sid
         WHERE s.expires <= now() GROUP BY us."userId"),
       linked AS (SELECT "userId", count(*) AS n FROM "UserSessions" GROUP BY "userId")
       SELECT coalesce(sum(l.n - coalesce(g.n, 0)), 0) AS sessions, count(*) FILTER (WHERE l.n > coalesce(g.n, 0)) AS users
       FROM linked l LEFT JOIN gone g ON g."userId" = l."userId"`,
      {},
    );
    return { sessions: Number(row!.sessions), users: Number(row!.users) };
  }

  /** Browsers, devices and systems in one pass: over every live link, or over a block sample of ~`exactUpTo` links. */
  protected async liveShares(top: number, exactUpTo: number): Promise<Pick<LiveSummary, 'top' | 'basis'>> {
    const [size] = await this.select<{ links: number }>(
      `SELECT greatest(reltuples, 0)::float8 AS links FROM pg_class WHERE oid = '"UserSessions"'::regclass`, {},
    );
    const links = size?.links ?? 0;
    const sampled = links > exactUpTo;
    const percent = sampled ? Math.max(0.01, Math.min(100, (100 * exactUpTo) / links)) : 100;
    const rows = await this.select<{ set: number; browser: string | null; device: string | null; os: string | null; n: string }>(
      `SELECT GROUPING(us.browser, us.device, us.os) AS set, us.browser, us.device, us.os, count(*) AS n
       FROM "UserSessions" us ${sampled ? `TABLESAMPLE SYSTEM (${percent.toFixed(4)})` : ''}
       WHERE NOT EXISTS (SELECT 1 FROM "Sessions" s WHERE s.sid = us.sid AND s.expires <= now())
       GROUP BY GROUPING SETS ((us.browser), (us.device), (us.os), ())`,
      {},
    );
    // GROUPING(browser, device, os) is a bit mask of the columns NOT grouped by: 3 = by browser, 5 = device, 6 = os.
    const pick = (set: number, column: 'browser' | 'device' | 'os') =>
      topShares(rows.filter((r) => Number(r.set) === set).map((r) => ({ value: r[column], n: r.n })), top);
    const all = rows.find((r) => Number(r.set) === 7);
    return {
      top: { browser: pick(3, 'browser'), device: pick(5, 'device'), os: pick(6, 'os') },
      basis: { sessions: Number(all?.n ?? 0), sampled },
    };
  }

  async auditPerHour(hours: number, from: Date | null): Promise<AuditHours> {
    // Two marker rows carry the window's first hour and the database's clock. date_trunc and `since` agree whatever
    // the connection's time zone. (greatest() ignores a null `from`.)
    const since = `date_trunc('hour', now()) - ($hours::int - 1) * interval '1 hour'`;
    const rows = await this.select<MarkedAuditRow>(
      `SELECT date_trunc('hour', a.at) AS hour, a.reason AS kind, count(*) AS events, sum(a."sessionCount") AS sessions, NULL AS mark
       FROM "SessionAuditEvents" a WHERE a.at >= greatest(${since}, $from::timestamptz) GROUP BY 1, 2
       UNION ALL SELECT ${since}, NULL, 0, 0, 'since'
       UNION ALL SELECT now(), NULL, 0, 0, 'now'`,
      { hours, from },
    );
    return auditHoursOf(rows);
  }

  // ── known devices (the `sessions:created` event) ─────────────────────────────────────────────────────────────

  protected async rememberDevice(userId: string, device: DeviceIdentity, transaction: Transaction): Promise<boolean> {
    // `xmax = 0`: the row was inserted by this statement, not updated — the device is new to this user.
    const [row] = await this.select<{ inserted: boolean }>(
      `INSERT INTO "KnownDevices" ("userId", browser, os, device, "firstSeenAt", "lastSeenAt")
       VALUES ($user::${this.cast}, $browser, $os, $device, now(), now())
       ON CONFLICT ("userId", browser, os, device) DO UPDATE SET "lastSeenAt" = now()
       RETURNING (xmax = 0) AS inserted`,
      { user: userId, ...device },
      transaction,
    );
    return !row!.inserted;
  }

  // ── live sign-out (postgres-listen.ts) ───────────────────────────────────────────────────────────────────────

  /** One statement: the users' ids, in payloads under pg_notify's limit; delivered when the ending commits. */
  protected override async notifyEnded(userIds: readonly string[], transaction: Transaction): Promise<void> {
    await this.sequelize.query(`SELECT pg_notify($channel, p) FROM unnest($payloads::text[]) AS p`, {
      bind: { channel: ENDINGS_CHANNEL, payloads: endingPayloads(userIds) }, transaction,
    });
  }

  /**
   * The sessions among `sids` that are gone (with their newest end note's reason) or past their expiry. The rows
   * that exist are found by the primary key, the notes by the hash index on sid.
   */
  async notLive(sids: readonly string[]): Promise<NotLive[]> {
    const found: NotLive[] = [];
    for (let at = 0; at < sids.length; at += NOT_LIVE_CHUNK) {
      const rows = await this.select<NotLive>(
        `SELECT c.sid, CASE WHEN s.sid IS NULL THEN 'ended' ELSE 'expired' END AS state,
                (SELECT e.reason FROM "EndedSessions" e WHERE e.sid = c.sid ORDER BY e."endedAt" DESC LIMIT 1) AS reason
         FROM unnest($sids::text[]) AS c(sid) LEFT JOIN "Sessions" s ON s.sid = c.sid
         WHERE s.sid IS NULL OR s.expires <= now()`,
        { sids: sids.slice(at, at + NOT_LIVE_CHUNK) },
      );
      found.push(...rows);
    }
    return found;
  }

  override listenForEndings(settings: ListenSettings, handlers: EndingsHandlers): Promise<EndingsListener> {
    return listenForEndings(this.sequelize, settings, handlers);
  }

  // ── the Sessions page at scale ───────────────────────────────────────────────────────────────────────────────

  protected override readonly estimatesFromStatistics = true;

  /** The planner's row estimate (`EXPLAIN`, nothing runs): what PostgreSQL itself believes from its statistics. */
  protected override async estimateRows(select: string): Promise<number | null> {
    const [row] = await this.selectGenerated<{ 'QUERY PLAN': Array<{ Plan: { 'Plan Rows': number } }> }>(`EXPLAIN (FORMAT JSON) ${select}`);
    return row?.['QUERY PLAN'][0]?.Plan['Plan Rows'] ?? null;
  }
}
