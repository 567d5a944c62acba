/**
 * The registry's statements for MariaDB (10.6 or newer; tested on 10.11). Written in SQL that MySQL 8 also accepts
 * where there was a choice; MySQL itself is not tested, and not offered (see docs/databases.md).
 *
 * - The per-user lock is a row of `SessionLocks` (migration 20261201000000), taken by
 *   `INSERT … ON DUPLICATE KEY UPDATE` inside the login's transaction: the row's exclusive lock is held until COMMIT
 *   or ROLLBACK, and dies with the connection. MariaDB's `GET_LOCK()` would be simpler, but a named lock belongs to
 *   the connection, not to the transaction: it survives ROLLBACK, and a login that failed between taking and
 *   releasing it would hand a locked connection back to the pool.
 * - Transactions run at READ COMMITTED, PostgreSQL's level, not InnoDB's REPEATABLE READ (whose gap locks made
 *   logins of neighbouring users deadlock); a deadlock's victim still runs again (SqlRegistry's `transaction`).
 * - MariaDB has neither `DELETE … USING … RETURNING` nor data-modifying CTEs: an ending is three statements whatever
 *   the number of users or sessions — lock the sessions and count them per user (`SELECT … FOR UPDATE`), note why
 *   they ended (`INSERT … SELECT`), delete them (a multi-table `DELETE`; the links go by cascade).
 * - Clock: `NOW(3)` everywhere (MariaDB's `NOW()` drops the milliseconds); columns are DATETIME(3) in the time zone
 *   Sequelize sets on each connection (`timezone`, UTC by default): every process of an app must use the same one.
 * - Parameters are Sequelize replacements (`:name`, escaped by Sequelize): lists of ids expand to `IN (…)`.
 */
import { QueryTypes, type Sequelize, Transaction, type TransactionOptions } from 'sequelize';
import { messages, SingleSessionConfigError } from '../errors.js';
import type { UserKeyKind } from '../ids.js';
import {
  auditHoursOf, type AuditHours, type AuditKind, type DeviceIdentity, type EndedCounts, type EndReason, type LiveSummary,
  type LoadedSession, type LoginMetadata, type LoginWrite, type MarkedAuditRow, type NotLive, type RegistrySettings, type SessionInfo,
  SqlRegistry, type TimeoutReason, topShares, type SessionClaim, type UnlinkedSession,
} from './registry.js';
import { checkSchema, REQUIRED_COLUMNS_WITH_LOCKS, TABLES } from './schema.js';

/** MariaDB's names of the key types, as our kinds; anything else (char, varchar, …) is compared as text. */
const KEY_KINDS: Record<string, UserKeyKind> = {
  tinyint: 'smallint', smallint: 'smallint', mediumint: 'integer', int: 'integer', bigint: 'bigint', uuid: 'uuid',
};

/** A live session: not expired (a NULL expiry never expires). */
const LIVE = '(s.expires IS NULL OR s.expires > NOW(3))';
/** The clock `:name` milliseconds ago (the replacement is in microseconds: INTERVAL takes whole units). */
const AGO = (name: string) => `NOW(3) - INTERVAL :${name} MICROSECOND`;
/**
 * The plan of every locking read, pinned. In InnoDB a locking read (`FOR UPDATE`, a DELETE) locks every row it
 * reads, not only those it keeps: if the optimizer chose to scan the primary key (it does, for small tables, because
 * of the `sid <> ?` condition), a login would lock every user's sessions and deadlock with every other login. So the
 * links are read through the index of the condition (FORCE INDEX, the migrations' names) and drive the join.
 */
const BY_USER = 'UserSessions us FORCE INDEX (user_sessions_user_id) STRAIGHT_JOIN Sessions s ON s.sid = us.sid';
const BY_HANDLE = 'UserSessions us FORCE INDEX (id) STRAIGHT_JOIN Sessions s ON s.sid = us.sid';

/** The purge's lock row in SessionLocks: '' is never a user id (ids are checked: text keys are not empty). */
const PURGE_LOCK = '';
const ER_LOCK_DEADLOCK = 1213;
/** How many sessions one poll statement checks (the statement stays well under `max_allowed_packet`). */
const NOT_LIVE_CHUNK = 5000;

type Replacements = Record<string, unknown>;

export class MariaDbRegistry extends SqlRegistry {
  private constructor(sequelize: Sequelize, keyKind: UserKeyKind, settings: RegistrySettings) {
    super(sequelize, keyKind, settings);
  }

  /** Checks the server's version and the schema (clear error if a migration is missing); learns the user key's type. */
  static async open(sequelize: Sequelize, settings: RegistrySettings): Promise<MariaDbRegistry> {
    const [server] = await sequelize.query<{ version: string }>('SELECT VERSION() AS version', { type: QueryTypes.SELECT });
    const [major = 0, minor = 0] = server!.version.split(/[.-]/).map(Number);
    if (major * 1000 + minor < 10_006) throw new SingleSessionConfigError(messages.oldMariaDb(server!.version));
    const columns = await sequelize.query<{ table: string; column: string; type: string }>(
      `SELECT TABLE_NAME AS \`table\`, COLUMN_NAME AS \`column\`, DATA_TYPE AS type FROM information_schema.COLUMNS
       WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN (:tables)`,
      { replacements: { tables: Object.keys(REQUIRED_COLUMNS_WITH_LOCKS) }, type: QueryTypes.SELECT },
    );
    const keyType = checkSchema(columns, REQUIRED_COLUMNS_WITH_LOCKS);
    // The purge's lock row. At start-up, so that the purge never has to create it (see purgeBatch).
    await sequelize.query(`INSERT IGNORE INTO ${TABLES.locks} (userId) VALUES (:key)`, { replacements: { key: PURGE_LOCK } });
    return new MariaDbRegistry(sequelize, KEY_KINDS[keyType.toLowerCase()] ?? 'text', settings);
  }

  private select<T extends object>(sql: string, replacements: Replacements, transaction?: Transaction): Promise<T[]> {
    return this.sequelize.query<T>(sql, { replacements, type: QueryTypes.SELECT, transaction });
  }

  /** Runs a write; returns the rows it changed. */
  private async write(sql: string, replacements: Replacements, transaction?: Transaction): Promise<number> {
    const [result] = await this.sequelize.query(sql, { replacements, type: QueryTypes.RAW, transaction });
    return Number((result as { affectedRows?: number }).affectedRows ?? 0);
  }

  /**
   * READ COMMITTED, as on PostgreSQL, instead of InnoDB's REPEATABLE READ: no gap locks. Under REPEATABLE READ a
   * login's locking read of its user's sessions also locks the index gap next to them, where the next user's login
   * inserts its link: two logins of neighbouring users deadlocked on every other round. (Sequelize sends
   * `SET TRANSACTION ISOLATION LEVEL` without SESSION: it applies to this transaction only, never to the pooled
   * connection's later ones.)
   */
  protected override readonly transactionOptions: TransactionOptions = { isolationLevel: Transaction.ISOLATION_LEVELS.READ_COMMITTED };

  protected isDeadlock(error: unknown): boolean {
    return (error as { parent?: { errno?: number } }).parent?.errno === ER_LOCK_DEADLOCK;
  }

  // ── reads ──────────────────────────────────────────────────────────────────────────────────────────────────

  async load(sid: string): Promise<LoadedSession | null> {
    const [row] = await this.select<LoadedSession>(
      `SELECT s.data, s.expires, s.updatedAt, CAST(us.userId AS CHAR) AS userId, us.lastSeenAt, us.createdAt AS signedInAt
       FROM Sessions s LEFT JOIN UserSessions us ON us.sid = s.sid WHERE s.sid = :sid`,
      { sid },
    );
    return row ?? null;
  }

  async endReason(sid: string): Promise<{ reason: EndReason; endedAt: Date } | null> {
    const [row] = await this.select<{ reason: EndReason; endedAt: Date }>(
      `SELECT reason, endedAt FROM EndedSessions WHERE sid = :sid AND endedAt > ${AGO('ttl')} ORDER BY endedAt DESC LIMIT 1`,
      { sid, ttl: this.settings.endReasonTtlMs * 1000 },
    );
    return row ?? null;
  }

  async listUserSessions(userId: string): Promise<SessionInfo[]> {
    return this.select<SessionInfo>(
      `SELECT CAST(us.id AS CHAR) AS id, CAST(us.userId AS CHAR) AS userId, us.createdAt, us.lastSeenAt, us.ip, us.userAgent,
              us.browser, us.os, us.device, s.expires
       FROM UserSessions us JOIN Sessions s ON s.sid = us.sid
       WHERE us.userId = :user AND ${LIVE}
       ORDER BY us.lastSeenAt DESC, us.id DESC`,
      { user: userId },
    );
  }

  async handleOf(sid: string): Promise<string | null> {
    const [row] = await this.select<{ id: string }>(`SELECT CAST(id AS CHAR) AS id FROM UserSessions WHERE sid = :sid`, { sid });
    return row?.id ?? null;
  }

  protected async countLiveIn(userId: string, exceptSid: string, transaction?: Transaction): Promise<number> {
    const [row] = await this.select<{ n: number }>(
      `SELECT count(*) AS n FROM UserSessions us JOIN Sessions s ON s.sid = us.sid
       WHERE us.userId = :user AND us.sid <> :sid AND ${LIVE}`,
      { user: userId, sid: exceptSid },
      transaction,
    );
    return Number(row!.n);
  }

  // ── session rows ───────────────────────────────────────────────────────────────────────────────────────────

  protected async insertRow(sid: string, data: string, expires: Date, transaction?: Transaction): Promise<void> {
    // VALUES(col) in ON DUPLICATE KEY UPDATE: MariaDB's spelling; MySQL 8 still accepts it (deprecated there).
    await this.write(
      `INSERT INTO Sessions (sid, expires, data, createdAt, updatedAt) VALUES (:sid, :expires, :data, NOW(3), NOW(3))
       ON DUPLICATE KEY UPDATE expires = VALUES(expires), data = VALUES(data), updatedAt = NOW(3)`,
      { sid, data, expires },
      transaction,
    );
  }

  protected async updateRow(sid: string, data: string | null, expires: Date, seen: boolean, transaction?: Transaction): Promise<boolean> {
    const setData = data === null ? '' : ', s.data = :data';
    // Only a live row: a request that loaded the session before a deadline passed cannot move it after. With `seen`,
    // one multi-table UPDATE moves the link's last-seen time too (no link: the LEFT JOIN updates the session alone).
    const sql = seen
      ? `UPDATE Sessions s LEFT JOIN UserSessions us ON us.sid = s.sid
         SET s.expires = :expires, s.updatedAt = NOW(3)${setData}, us.lastSeenAt = NOW(3) WHERE s.sid = :sid AND ${LIVE}`
      : `UPDATE Sessions s SET s.expires = :expires, s.updatedAt = NOW(3)${setData} WHERE s.sid = :sid AND ${LIVE}`;
    if ((await this.write(sql, { sid, expires, data }, transaction)) > 0) return true;
    // MariaDB counts changed rows, not matched ones: a second write within the same millisecond with the same values
    // changes nothing. Only then ask whether the row is there.
    const [row] = await this.select(`SELECT 1 AS found FROM Sessions s WHERE s.sid = :sid AND ${LIVE}`, { sid }, transaction);
    return row !== undefined;
  }

  protected async deleteRow(sid: string, transaction?: Transaction): Promise<void> {
    await this.write(`DELETE FROM Sessions WHERE sid = :sid`, { sid }, transaction);
  }

  protected async deleteNoted(sid: string, userId: string, reason: EndReason, transaction: Transaction): Promise<boolean> {
    if ((await this.write(`DELETE FROM Sessions WHERE sid = :sid`, { sid }, transaction)) === 0) return false;
    await this.note([{ sid, userId }], reason, transaction);
    return true;
  }

  protected async moveLink(oldSid: string, sid: string, userId: string, transaction: Transaction): Promise<boolean> {
    return (await this.write(`UPDATE UserSessions SET sid = :sid WHERE sid = :old AND userId = :user`, { sid, old: oldSid, user: userId }, transaction)) === 1;
  }

  protected async deleteTimedOut(sid: string, reason: TimeoutReason, transaction: Transaction): Promise<string | null> {
    const [row] = await this.select<{ userId: string }>(
      `SELECT CAST(us.userId AS CHAR) AS userId FROM Sessions s JOIN UserSessions us ON us.sid = s.sid
       WHERE s.sid = :sid AND s.expires <= NOW(3) FOR UPDATE`,
      { sid },
      transaction,
    );
    if (!row) return null;
    await this.note([{ sid, userId: row.userId }], reason, transaction);
    await this.deleteRow(sid, transaction);
    return row.userId;
  }

  // ── a login ────────────────────────────────────────────────────────────────────────────────────────────────

  protected async lockUser(userId: string, transaction: Transaction): Promise<void> {
    // Inserts the user's lock row the first time, locks it every time (a duplicate key takes the existing row's
    // exclusive lock); held until the transaction ends.
    await this.write(`INSERT INTO SessionLocks (userId) VALUES (:user) ON DUPLICATE KEY UPDATE userId = userId`, { user: userId }, transaction);
  }

  protected async link(sid: string, userId: string, metadata: LoginMetadata, transaction: Transaction): Promise<void> {
    await this.write(
      `INSERT INTO UserSessions (sid, userId, createdAt, lastSeenAt, ip, userAgent, browser, os, device)
       VALUES (:sid, :user, NOW(3), NOW(3), :ip, :userAgent, :browser, :os, :device)
       ON DUPLICATE KEY UPDATE userId = VALUES(userId), createdAt = NOW(3), lastSeenAt = NOW(3), ip = VALUES(ip),
         userAgent = VALUES(userAgent), browser = VALUES(browser), os = VALUES(os), device = VALUES(device)`,
      { sid, user: userId, ...metadata },
      transaction,
    );
  }

  // ── cut-over ───────────────────────────────────────────────────────────────────────────────────────────────

  unlinkedSessions(after: string, limit: number): Promise<UnlinkedSession[]> {
    return this.select<UnlinkedSession>(
      `SELECT s.sid, s.data FROM Sessions s LEFT JOIN UserSessions us ON us.sid = s.sid
       WHERE s.sid > :after AND ${LIVE} AND us.sid IS NULL ORDER BY s.sid LIMIT :limit`,
      { after, limit },
    );
  }

  protected async linkClaims(claims: readonly SessionClaim[], transaction: Transaction): Promise<Array<{ sid: string; id: string }>> {
    const users = await this.userTable();
    // The claims as a derived table of literals (they take the columns' collations: no "illegal mix"); the link's
    // sign-in time is the session's own start, so the absolute timeout counts from there.
    const values = claims.map((_, i) => (i === 0 ? 'SELECT :sid0 AS sid, :digest0 AS digest, :user0 AS uid' : `SELECT :sid${i}, :digest${i}, :user${i}`));
    const replacements = Object.fromEntries(claims.flatMap((c, i) => [[`sid${i}`, c.sid], [`digest${i}`, c.digest], [`user${i}`, c.userId]]));
    return this.select<{ sid: string; id: string }>(
      `INSERT IGNORE INTO UserSessions (sid, userId, createdAt, lastSeenAt)
       SELECT s.sid, u.\`${users.column}\`, s.createdAt, NOW(3)
       FROM (${values.join(' UNION ALL ')}) v
       JOIN Sessions s ON s.sid = v.sid AND MD5(s.data) = v.digest
       JOIN \`${users.table}\` u ON u.\`${users.column}\` = v.uid
       RETURNING sid, CAST(id AS CHAR) AS id`,
      replacements,
      transaction,
    );
  }

  protected async deleteClaimed(claims: readonly SessionClaim[], transaction: Transaction): Promise<number> {
    const pairs = claims.map((_, i) => `(:sid${i}, :digest${i})`).join(', ');
    const replacements = Object.fromEntries(claims.flatMap((c, i) => [[`sid${i}`, c.sid], [`digest${i}`, c.digest]]));
    const gone = await this.select<{ sid: string }>(
      `DELETE FROM Sessions WHERE (sid, MD5(data)) IN (${pairs}) RETURNING sid`, replacements, transaction,
    );
    await this.note(gone.map((g) => ({ sid: g.sid, userId: null })), 'revoked', transaction);
    return gone.length;
  }

  private userTableOnce?: Promise<{ table: string; column: string }>;
  /** The table and key UserSessions.userId references, read from its foreign key once. */
  private userTable(): Promise<{ table: string; column: string }> {
    this.userTableOnce ??= this.select<{ table: string; column: string }>(
      `SELECT REFERENCED_TABLE_NAME AS \`table\`, REFERENCED_COLUMN_NAME AS \`column\` FROM information_schema.KEY_COLUMN_USAGE
       WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'UserSessions' AND COLUMN_NAME = 'userId' AND REFERENCED_TABLE_NAME IS NOT NULL`,
      {},
    ).then(([row]) => row!);
    return this.userTableOnce;
  }

  protected async endAllButBest(
    userId: string, sid: string, keep: number, rankBy: LoginWrite['rankBy'], transaction: Transaction,
  ): Promise<number> {
    if (keep === 0) {
      const ended = await this.endUsersIn([userId], 'replaced', sid, transaction);
      return ended.get(userId) ?? 0;
    }
    // One user's sessions (a handful: the limit is small), locked, then ranked as on PostgreSQL: live before expired,
    // then by `rankBy`, then by handle (newest first); all past the best `keep` end.
    const rows = await this.select<{ sid: string; live: number; ranked: Date; id: string }>(
      `SELECT s.sid, ${LIVE} AS live, us.${rankBy} AS ranked, CAST(us.id AS CHAR) AS id
       FROM ${BY_USER} WHERE us.userId = :user AND us.sid <> :sid FOR UPDATE`,
      { user: userId, sid },
      transaction,
    );
    const best = (a: (typeof rows)[number], b: (typeof rows)[number]) =>
      Number(b.live) - Number(a.live) || new Date(b.ranked).getTime() - new Date(a.ranked).getTime() || Number(BigInt(b.id) - BigInt(a.id));
    const gone = rows.sort(best).slice(keep);
    if (gone.length === 0) return 0;
    const live = gone.filter((r) => Number(r.live) === 1);
    await this.note(live.map((r) => ({ sid: r.sid, userId })), 'replaced', transaction);
    await this.write(`DELETE FROM Sessions WHERE sid IN (:sids)`, { sids: gone.map((r) => r.sid) }, transaction);
    return live.length;
  }

  /** Notes why these sessions ended (one INSERT for all of them). */
  private async note(sessions: Array<{ sid: string; userId: string | null }>, reason: EndReason, transaction: Transaction): Promise<void> {
    if (sessions.length === 0) return;
    const values = sessions.map((_, i) => `(:sid${i}, :user${i}, :reason, NOW(3))`).join(', ');
    const replacements: Replacements = { reason };
    sessions.forEach((s, i) => {
      replacements[`sid${i}`] = s.sid;
      replacements[`user${i}`] = s.userId;
    });
    await this.write(`INSERT INTO EndedSessions (sid, userId, reason, endedAt) VALUES ${values}`, replacements, transaction);
  }

  // ── endings ────────────────────────────────────────────────────────────────────────────────────────────────

  protected endUsersIn(userIds: readonly string[], reason: EndReason, exceptSid: string | null, transaction: Transaction): Promise<EndedCounts> {
    return this.endWhere(`${BY_USER} WHERE us.userId IN (:ids)`, userIds, reason, exceptSid, transaction);
  }

  protected endHandlesIn(handles: readonly string[], reason: EndReason, exceptSid: string | null, transaction: Transaction): Promise<EndedCounts> {
    return this.endWhere(`${BY_HANDLE} WHERE us.id IN (:ids)`, handles, reason, exceptSid, transaction);
  }

  /**
   * Three statements, whatever the number of users or sessions: (1) lock every matching session and its link and
   * count the live ones per user — from here on no one else can end, renew or re-link them until we commit; (2)
   * note why the live ones ended; (3) delete them all, expired ones included (the links go by cascade). Without gap
   * locks a login may commit a new session of one of these users between (1) and (3): handles only grow, so (2)
   * and (3) stop at the largest handle (1) locked, and that session lives, as if it had signed in just after.
   */
  private async endWhere(
    joinedWhere: string, ids: readonly string[], reason: EndReason, exceptSid: string | null, transaction: Transaction,
  ): Promise<EndedCounts> {
    if (ids.length === 0) return new Map();
    const from = `FROM ${joinedWhere} AND us.sid <> :except`;
    const replacements = { ids, except: exceptSid ?? '', reason };
    const rows = await this.select<{ userId: string; live: number; last: string }>(
      `SELECT CAST(us.userId AS CHAR) AS userId, SUM(${LIVE}) AS live, CAST(MAX(us.id) AS CHAR) AS last ${from} GROUP BY us.userId FOR UPDATE`,
      replacements,
      transaction,
    );
    if (rows.length === 0) return new Map();
    const last = rows.reduce((max, r) => (BigInt(r.last) > max ? BigInt(r.last) : max), 0n);
    const locked = { ...replacements, last: String(last) };
    await this.write(
      `INSERT INTO EndedSessions (sid, userId, reason, endedAt)
       SELECT s.sid, CAST(us.userId AS CHAR), :reason, NOW(3) ${from} AND us.id <= :last AND ${LIVE}`,
      locked,
      transaction,
    );
    await this.write(`DELETE s ${from} AND us.id <= :last`, locked, transaction);
    return new Map(rows.filter((r) => Number(r.live) > 0).map((r) => [r.userId, Number(r.live)]));
  }

  // ── housekeeping ───────────────────────────────────────────────────────────────────────────────────────────

  protected async purgeBatch(batch: number, transaction: Transaction): Promise<Array<{ userId: string | null; reason: TimeoutReason | null }> | null> {
    // The purge lock: SKIP LOCKED answers at once, with no row when another process holds it.
    const [lock] = await this.select(`SELECT userId FROM SessionLocks WHERE userId = :key FOR UPDATE SKIP LOCKED`, { key: PURGE_LOCK }, transaction);
    if (!lock) return null;
    // Index range scan on `expires`. A signed-in session a timeout ended leaves a note of why, as if it had been
    // caught on its next request.
    const { idleTimeoutMs, absoluteTimeoutMs } = this.settings;
    const rows = await this.select<{ sid: string; userId: string | null; reason: TimeoutReason | null }>(
      `SELECT s.sid, CAST(us.userId AS CHAR) AS userId, CASE
           WHEN us.sid IS NULL THEN NULL
           WHEN :absolute >= 0 AND us.createdAt <= ${AGO('absolute')} THEN 'lifetime'
           WHEN :idle >= 0 AND s.updatedAt <= ${AGO('idle')} THEN 'idle'
         END AS reason
       FROM Sessions s FORCE INDEX (sessions_expires) LEFT JOIN UserSessions us ON us.sid = s.sid
       WHERE s.expires < NOW(3) ORDER BY s.expires LIMIT :batch FOR UPDATE`,
      {
        batch,
        idle: idleTimeoutMs === false ? -1 : idleTimeoutMs * 1000,
        absolute: absoluteTimeoutMs === false ? -1 : absoluteTimeoutMs * 1000,
      },
      transaction,
    );
    if (rows.length === 0) return [];
    for (const reason of ['idle', 'lifetime'] as const) {
      await this.note(rows.filter((r) => r.reason === reason), reason, transaction);
    }
    await this.write(`DELETE FROM Sessions WHERE sid IN (:sids)`, { sids: rows.map((r) => r.sid) }, transaction);
    return rows.map(({ userId, reason }) => ({ userId, reason }));
  }

  // ── live sign-out: the poll ────────────────────────────────────────────────────────────────────────────────

  /**
   * The poll's statement: which of `sids` still have a row, and which of those are past their expiry (primary-key
   * lookups). Only when some are gone, a second one reads their end notes.
   */
  async notLive(sids: readonly string[]): Promise<NotLive[]> {
    const found: NotLive[] = [];
    for (let at = 0; at < sids.length; at += NOT_LIVE_CHUNK) {
      const chunk = sids.slice(at, at + NOT_LIVE_CHUNK);
      const rows = await this.select<{ sid: string; expired: number }>(
        `SELECT sid, (expires IS NOT NULL AND expires <= NOW(3)) AS expired FROM Sessions WHERE sid IN (:sids)`, { sids: chunk },
      );
      const present = new Set(rows.map((r) => r.sid));
      for (const r of rows) if (Number(r.expired) === 1) found.push({ sid: r.sid, state: 'expired', reason: null });
      const gone = chunk.filter((sid) => !present.has(sid));
      if (gone.length === 0) continue;
      const notes = await this.select<{ sid: string; reason: EndReason }>(
        `SELECT sid, reason FROM EndedSessions WHERE sid IN (:sids) ORDER BY endedAt`, { sids: gone },
      );
      const reasons = new Map(notes.map((n) => [n.sid, n.reason])); // the newest last, so it wins
      for (const sid of gone) found.push({ sid, state: 'ended', reason: reasons.get(sid) ?? null });
    }
    return found;
  }

  protected async forgetOldNotes(): Promise<void> {
    await this.write(`DELETE FROM EndedSessions WHERE endedAt < ${AGO('ttl')}`, { ttl: this.settings.endReasonTtlMs * 1000 });
  }

  protected async forgetOldAudit(batch: number): Promise<number> {
    return this.write(
      `DELETE FROM SessionAuditEvents WHERE at < ${AGO('ttl')} ORDER BY at LIMIT :batch`,
      { ttl: Number(this.settings.auditRetentionMs) * 1000, batch },
    );
  }

  protected async insertAudit(
    event: { reason: AuditKind; actorId: string | null; userIds: string[]; sessionCount: number }, transaction?: Transaction,
  ): Promise<void> {
    await this.write(
      `INSERT INTO SessionAuditEvents (at, reason, actorId, userIds, sessionCount) VALUES (NOW(3), :reason, :actor, :users, :count)`,
      { reason: event.reason, actor: event.actorId, users: JSON.stringify(event.userIds), count: event.sessionCount },
      transaction,
    );
  }

  // ── statistics (the AdminJS dashboard, the confirmations' counts) ──────────────────────────────────────────────

  async countLiveByUser(userIds: readonly string[], exceptSid: string | null): Promise<Map<string, number>> {
    if (userIds.length === 0) return new Map();
    const rows = await this.select<{ userId: string; n: number }>(
      `SELECT CAST(us.userId AS CHAR) AS userId, count(*) AS n FROM UserSessions us JOIN Sessions s ON s.sid = us.sid
       WHERE us.userId IN (:ids) AND us.sid <> :except AND ${LIVE} GROUP BY us.userId`,
      { ids: userIds, except: exceptSid ?? '' },
    );
    return new Map(rows.map((r) => [r.userId, Number(r.n)]));
  }

  /** Exact, as on PostgreSQL: per user, links (the `userId` index) minus expired links (the `expires` index). */
  protected async liveCounts(): Promise<Pick<LiveSummary, 'sessions' | 'users'>> {
    const [row] = await this.select<{ sessions: number | null; users: number | null }>(
      `SELECT SUM(l.n - COALESCE(g.n, 0)) AS sessions, SUM(CASE WHEN l.n > COALESCE(g.n, 0) THEN 1 ELSE 0 END) AS users
       FROM (SELECT userId, count(*) AS n FROM UserSessions GROUP BY userId) l
       LEFT JOIN (SELECT us.userId, count(*) AS n FROM Sessions s JOIN UserSessions us ON us.sid = s.sid
                  WHERE s.expires <= NOW(3) GROUP BY us.userId) g ON g.userId = l.userId`,
      {},
    );
    return { sessions: Number(row?.sessions ?? 0), users: Number(row?.users ?? 0) };
  }

  /**
   * Browsers, devices and systems: three groupings in one statement (MariaDB has no GROUPING SETS). Past `exactUpTo`
   * links (the table statistics' estimate), over a sample of about that many (MariaDB has no TABLESAMPLE: the sample
   * still reads every link, but checks, counts and groups only the sampled ones).
   */
  protected async liveShares(top: number, exactUpTo: number): Promise<Pick<LiveSummary, 'top' | 'basis'>> {
    const [size] = await this.select<{ links: number | null }>(
      `SELECT TABLE_ROWS AS links FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'UserSessions'`, {},
    );
    const links = Number(size?.links ?? 0);
    const sampled = links > exactUpTo;
    // Every k-th handle: handles are given in sign-in order, which says nothing of the browser (and, unlike RAND(),
    // the four groupings below see the same sample).
    const sample = sampled ? `AND MOD(us.id, ${Math.ceil(links / Math.max(1, exactUpTo))}) = 0` : '';
    const rows = await this.select<{ kind: string; value: string | null; n: number }>(
      `WITH live AS (
         SELECT us.browser, us.device, us.os FROM UserSessions us
         WHERE NOT EXISTS (SELECT 1 FROM Sessions s WHERE s.sid = us.sid AND s.expires <= NOW(3)) ${sample})
       SELECT 'browser' AS kind, browser AS value, count(*) AS n FROM live GROUP BY browser
       UNION ALL SELECT 'device', device, count(*) FROM live GROUP BY device
       UNION ALL SELECT 'os', os, count(*) FROM live GROUP BY os
       UNION ALL SELECT 'all', NULL, count(*) FROM live`,
      {},
    );
    const pick = (kind: 'browser' | 'device' | 'os') => topShares(rows.filter((r) => r.kind === kind), top);
    return {
      top: { browser: pick('browser'), device: pick('device'), os: pick('os') },
      basis: { sessions: Number(rows.find((r) => r.kind === 'all')?.n ?? 0), sampled },
    };
  }

  async auditPerHour(hours: number, from: Date | null): Promise<AuditHours> {
    // An hour's start as a DATETIME: whole hours since a fixed origin, added back to it (MariaDB has no date_trunc).
    const hourOf = (at: string) => `TIMESTAMPADD(HOUR, TIMESTAMPDIFF(HOUR, '2000-01-01', ${at}), '2000-01-01')`;
    const since = `TIMESTAMPADD(HOUR, 1 - :hours, ${hourOf('NOW(3)')})`;
    const rows = await this.select<MarkedAuditRow>(
      `SELECT ${hourOf('a.at')} AS hour, a.reason AS kind, count(*) AS events, SUM(a.sessionCount) AS sessions, NULL AS mark
       FROM SessionAuditEvents a WHERE a.at >= ${since} AND (:from IS NULL OR a.at >= :from) GROUP BY 1, 2
       UNION ALL SELECT ${since}, NULL, 0, 0, 'since'
       UNION ALL SELECT NOW(3), NULL, 0, 0, 'now'`,
      { hours, from },
    );
    return auditHoursOf(rows);
  }

  // ── known devices (the `sessions:created` event) ─────────────────────────────────────────────────────────────

  protected async rememberDevice(userId: string, device: DeviceIdentity, transaction: Transaction): Promise<boolean> {
    // Under the user's lock, so the read and the write cannot be split by another login of this user. (MariaDB's
    // affected-rows count cannot tell an insert from an update that changed nothing: read first.)
    const where = 'userId = :user AND browser = :browser AND os = :os AND device = :device';
    const [known] = await this.select(`SELECT 1 AS found FROM KnownDevices WHERE ${where}`, { user: userId, ...device }, transaction);
    await this.write(
      known
        ? `UPDATE KnownDevices SET lastSeenAt = NOW(3) WHERE ${where}`
        : `INSERT INTO KnownDevices (userId, browser, os, device, firstSeenAt, lastSeenAt) VALUES (:user, :browser, :os, :device, NOW(3), NOW(3))`,
      { user: userId, ...device },
      transaction,
    );
    return known !== undefined;
  }

  // ── the Sessions page at scale ───────────────────────────────────────────────────────────────────────────────

  /**
   * The optimizer's estimate (`EXPLAIN EXTENDED`, nothing runs): rows of the first table read, times the share its
   * filter keeps. (MariaDB's plain EXPLAIN has no `filtered` column.)
   */
  protected override async estimateRows(select: string): Promise<number | null> {
    const [row] = await this.selectGenerated<{ rows?: number | string | null; filtered?: number | string | null }>(`EXPLAIN EXTENDED ${select}`);
    if (row?.rows == null) return null;
    return Number(row.rows) * (row.filtered == null ? 1 : Number(row.filtered) / 100);
  }
}
