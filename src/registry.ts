/**
 * All of the package's SQL, behind a narrow interface: load, write, link, end, list, purge.
 *
 * Why the SQL looks the way it does:
 * - Ending sessions is set-based: one DELETE … RETURNING over `Sessions` (links go with it, ON DELETE CASCADE)
 *   whose rows feed the INSERT into `EndedSessions` in the same statement. No per-user or per-session loop.
 * - A login's enforcement runs in one transaction that first takes a transaction-level advisory lock on the user:
 *   concurrent logins of one user, from any number of processes, queue on that lock, so each one counts the
 *   sessions the previous one left. Without it two logins both see "no other session" and both survive.
 * - Loaded sessions are only ever UPDATEd, never re-inserted (see store.ts): a DELETE here is final.
 */
import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { InvalidInputError, messages, SingleSessionConfigError } from './errors.js';

/** What the next request of an ended session is told. */
export type EndReason = 'replaced' | 'revoked';

export interface LoadedSession {
  data: string;
  expires: Date | null;
  updatedAt: Date;
  /** The linked user, as text; `null` when the session is not linked to a user. */
  userId: string | null;
  lastSeenAt: Date | null;
}

export interface LoginMetadata {
  ip: string | null;
  userAgent: string | null;
  browser: string | null;
  os: string | null;
  device: string | null;
}

export interface SessionInfo extends LoginMetadata {
  /** Public handle of the session (never the sid, which is a bearer secret). */
  id: string;
  userId: string;
  createdAt: Date;
  lastSeenAt: Date;
  expires: Date | null;
}

/** Per user, how many live sessions an ending removed. */
export type EndedCounts = Map<string, number>;

export const TABLES = { sessions: 'Sessions', links: 'UserSessions', ended: 'EndedSessions', audit: 'SessionAuditEvents' } as const;

const REQUIRED_COLUMNS: Record<string, string[]> = {
  [TABLES.sessions]: ['sid', 'expires', 'data', 'createdAt', 'updatedAt'],
  [TABLES.links]: ['sid', 'userId', 'id', 'createdAt', 'lastSeenAt', 'ip', 'userAgent', 'browser', 'os', 'device'],
  [TABLES.ended]: ['sid', 'userId', 'reason', 'endedAt'],
  [TABLES.audit]: ['id', 'at', 'reason', 'actorId', 'userIds', 'sessionCount'],
};

/** The SQL types a user key may have, as the cast we write for it. */
const KEY_CASTS: Record<string, string> = {
  smallint: 'smallint', integer: 'integer', bigint: 'bigint', uuid: 'uuid', text: 'text', 'character varying': 'varchar',
};

const INTEGER_RANGE: Record<string, bigint> = { smallint: 2n ** 15n, integer: 2n ** 31n, bigint: 2n ** 63n };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A public session handle: a positive bigint, as a number or digits. */
export const isHandle = (value: unknown): boolean =>
  (typeof value === 'string' || typeof value === 'number') && /^\d{1,19}$/.test(String(value)) && BigInt(String(value)) < INTEGER_RANGE.bigint!;

/** A live session: not expired (a NULL expiry never expires, as in connect-session-sequelize). */
const LIVE = `(s.expires IS NULL OR s.expires > now())`;

/** Keeps a session's "ended because" note, replacing an older note of the same sid. */
const NOTE_ENDED = `INSERT INTO "EndedSessions" (sid, "userId", reason, "endedAt")
  SELECT sid, "userId", $reason, now() FROM gone WHERE live
  ON CONFLICT (sid) DO UPDATE SET "userId" = EXCLUDED."userId", reason = EXCLUDED.reason, "endedAt" = EXCLUDED."endedAt"`;

export class SessionRegistry {
  /** Most user ids one call may name (a bulk action of 10,000 users is well inside). */
  static readonly MAX_IDS = 50_000;

  private constructor(private readonly sequelize: Sequelize, readonly keyType: string) {}

  /** Checks the schema (clear error if a migration is missing) and learns the type of the user key. */
  static async open(sequelize: Sequelize): Promise<SessionRegistry> {
    const rows = await sequelize.query<{ table_name: string; column_name: string; data_type: string }>(
      `SELECT table_name, column_name, data_type FROM information_schema.columns
       WHERE table_schema = current_schema() AND table_name = ANY($tables)`,
      { bind: { tables: Object.keys(REQUIRED_COLUMNS) }, type: QueryTypes.SELECT },
    );
    for (const [table, columns] of Object.entries(REQUIRED_COLUMNS)) {
      const present = rows.filter((r) => r.table_name === table).map((r) => r.column_name);
      if (present.length === 0) throw new SingleSessionConfigError(messages.missingTable(table));
      const missing = columns.find((c) => !present.includes(c));
      if (missing) throw new SingleSessionConfigError(messages.missingColumn(table, missing));
    }
    const keyType = rows.find((r) => r.table_name === TABLES.links && r.column_name === 'userId')!.data_type;
    return new SessionRegistry(sequelize, KEY_CASTS[keyType] ?? 'text');
  }

  /**
   * Validates user ids against the key type before any SQL runs, so bad input changes nothing and yields a clear
   * error instead of a database exception. Returns them as canonical strings (exact even for bigint).
   */
  /** Could this be a user id (of the key's type and range)? For filters that should match nothing, not fail. */
  isUserId(id: unknown): boolean {
    try {
      this.parseUserIds([id]);
      return true;
    } catch (err) {
      if (err instanceof InvalidInputError) return false;
      throw err;
    }
  }

  /** Validates public session handles (UserSessions.id, a bigint) like user ids: bad input throws, nothing runs. */
  parseHandles(handles: readonly unknown[]): string[] {
    if (handles.length > SessionRegistry.MAX_IDS) throw new InvalidInputError(messages.tooManyIds(SessionRegistry.MAX_IDS, handles.length));
    return handles.map((handle) => {
      if (!isHandle(handle)) throw new InvalidInputError(messages.badUserIds('session handle', handle));
      return String(BigInt(String(handle)));
    });
  }

  parseUserIds(ids: readonly unknown[]): string[] {
    if (ids.length > SessionRegistry.MAX_IDS) throw new InvalidInputError(messages.tooManyIds(SessionRegistry.MAX_IDS, ids.length));
    const range = INTEGER_RANGE[this.keyType];
    return ids.map((id) => {
      const text = typeof id === 'number' || typeof id === 'bigint' ? String(id) : id;
      const ok =
        typeof text === 'string' &&
        (range !== undefined
          ? /^-?\d{1,20}$/.test(text) && BigInt(text) < range && BigInt(text) >= -range
          : this.keyType === 'uuid'
            ? UUID.test(text)
            : text.length > 0 && text.length <= 255);
      if (!ok) throw new InvalidInputError(messages.badUserIds(this.keyType, id));
      // Canonical, as PostgreSQL prints the key back (`::text`): results are keyed by it.
      return range !== undefined ? String(BigInt(text as string)) : this.keyType === 'uuid' ? (text as string).toLowerCase() : (text as string);
    });
  }

  private select<T extends object>(sql: string, bind: Record<string, unknown>, transaction?: Transaction): Promise<T[]> {
    return this.sequelize.query<T>(sql, { bind, type: QueryTypes.SELECT, transaction });
  }

  // ── the store's reads and writes ─────────────────────────────────────────────────────────────────────────

  async load(sid: string): Promise<LoadedSession | null> {
    const [row] = await this.select<LoadedSession>(
      `SELECT s.data, s.expires, s."updatedAt", us."userId"::text AS "userId", us."lastSeenAt"
       FROM "Sessions" s LEFT JOIN "UserSessions" us ON us.sid = s.sid WHERE s.sid = $sid`,
      { sid },
    );
    return row ?? null;
  }

  /** Why `sid` ended, if it ended less than `ttlMs` ago by the policy or an administrator. */
  async endReason(sid: string, ttlMs: number): Promise<{ reason: EndReason; endedAt: Date } | null> {
    const [row] = await this.select<{ reason: EndReason; endedAt: Date }>(
      `SELECT reason, "endedAt" FROM "EndedSessions" WHERE sid = $sid AND "endedAt" > now() - $ttl::double precision * interval '1 millisecond'`,
      { sid, ttl: ttlMs },
    );
    return row ?? null;
  }

  /** Creates a session row, or updates it where the same new session was already written. */
  async insert(sid: string, data: string, expires: Date, transaction?: Transaction): Promise<void> {
    await this.sequelize.query(
      `INSERT INTO "Sessions" (sid, expires, data, "createdAt", "updatedAt") VALUES ($sid, $expires, $data, now(), now())
       ON CONFLICT (sid) DO UPDATE SET expires = EXCLUDED.expires, data = EXCLUDED.data, "updatedAt" = now()`,
      { bind: { sid, data, expires }, transaction },
    );
  }

  /**
   * Update-only write of a session that exists (or existed) in the database. Returns false when the row is gone:
   * the session was ended meanwhile and stays ended. With `seen`, also moves the link's last-seen time.
   */
  async update(sid: string, data: string | null, expires: Date, seen: boolean, transaction?: Transaction): Promise<boolean> {
    const setData = data === null ? '' : ', data = $data';
    const sql = seen
      ? `WITH s AS (UPDATE "Sessions" SET expires = $expires, "updatedAt" = now()${setData} WHERE sid = $sid RETURNING sid),
              l AS (UPDATE "UserSessions" us SET "lastSeenAt" = now() FROM s WHERE us.sid = s.sid)
         SELECT sid FROM s`
      : `UPDATE "Sessions" SET expires = $expires, "updatedAt" = now()${setData} WHERE sid = $sid RETURNING sid`;
    const bind: Record<string, unknown> = { sid, expires };
    if (data !== null) bind.data = data;
    const rows = await this.select<{ sid: string }>(sql, bind, transaction);
    return rows.length === 1;
  }

  async destroy(sid: string, transaction?: Transaction): Promise<void> {
    await this.sequelize.query(`DELETE FROM "Sessions" WHERE sid = $sid`, { bind: { sid }, transaction });
  }

  // ── a login: lock, count, link, enforce (always inside the caller's transaction) ───────────────────────────

  /** Serializes every login and logout of `userId` until the transaction ends. Works for any key type. */
  async lockUser(userId: string, transaction: Transaction): Promise<void> {
    await this.sequelize.query(`SELECT pg_advisory_xact_lock(hashtext('adminjs-single-session'), hashtext($user))`, {
      bind: { user: userId },
      transaction,
    });
  }

  /** Live sessions of the user other than `sid`. */
  async countLive(userId: string, sid: string, transaction?: Transaction): Promise<number> {
    const [row] = await this.select<{ n: string }>(
      `SELECT count(*) AS n FROM "UserSessions" us JOIN "Sessions" s ON s.sid = us.sid
       WHERE us."userId" = $user::${this.keyType} AND us.sid <> $sid AND ${LIVE}`,
      { user: userId, sid },
      transaction,
    );
    return Number(row!.n);
  }

  async link(sid: string, userId: string, metadata: LoginMetadata, transaction: Transaction): Promise<void> {
    await this.sequelize.query(
      `INSERT INTO "UserSessions" (sid, "userId", "createdAt", "lastSeenAt", ip, "userAgent", browser, os, device)
       VALUES ($sid, $user::${this.keyType}, now(), now(), $ip, $userAgent, $browser, $os, $device)
       ON CONFLICT (sid) DO UPDATE SET "userId" = EXCLUDED."userId", "createdAt" = now(), "lastSeenAt" = now(),
         ip = EXCLUDED.ip, "userAgent" = EXCLUDED."userAgent", browser = EXCLUDED.browser, os = EXCLUDED.os, device = EXCLUDED.device`,
      { bind: { sid, user: userId, ...metadata }, transaction },
    );
  }

  /**
   * Ends all but the `keep` best sessions of the user other than `sid`, best by `rankBy` (most recent first).
   * Already expired sessions go first and are deleted without a note. Returns how many live sessions ended.
   */
  async endBeyond(
    userId: string, sid: string, keep: number, rankBy: 'lastSeenAt' | 'createdAt', reason: EndReason, transaction: Transaction,
  ): Promise<number> {
    if (keep === 0) {
      // The single-session case: no ranking needed, the plain set-based ending is about a fifth cheaper.
      const ended = await this.endUsers([userId], reason, sid, transaction);
      return ended.get(userId) ?? 0;
    }
    const [row] = await this.select<{ ended: string }>(
      `WITH ranked AS (
         SELECT us.sid, us."userId"::text AS "userId", ${LIVE} AS live,
                row_number() OVER (ORDER BY ${LIVE} DESC, us."${rankBy}" DESC, us.id DESC) AS rank
         FROM "UserSessions" us JOIN "Sessions" s ON s.sid = us.sid
         WHERE us."userId" = $user::${this.keyType} AND us.sid <> $sid),
       gone AS (DELETE FROM "Sessions" s USING ranked r WHERE s.sid = r.sid AND r.rank > $keep RETURNING s.sid, r."userId", r.live),
       noted AS (${NOTE_ENDED})
       SELECT count(*) FILTER (WHERE live) AS ended FROM gone`,
      { user: userId, sid, keep, reason },
      transaction,
    );
    return Number(row!.ended);
  }

  // ── ending sessions by user or by handle (admin actions, logout everywhere) ───────────────────────────────

  /** Ends every session of the given users except `exceptSid`, in one statement. */
  endUsers(userIds: readonly string[], reason: EndReason, exceptSid: string | null, transaction?: Transaction): Promise<EndedCounts> {
    return this.endWhere(`us."userId" = ANY($ids::${this.keyType}[])`, { ids: userIds }, reason, exceptSid, transaction);
  }

  /** Ends the sessions with the given public handles (UserSessions.id) except `exceptSid`, in one statement. */
  endHandles(handles: readonly string[], reason: EndReason, exceptSid: string | null, transaction?: Transaction): Promise<EndedCounts> {
    return this.endWhere(`us.id = ANY($ids::bigint[])`, { ids: handles }, reason, exceptSid, transaction);
  }

  private async endWhere(
    condition: string, bind: Record<string, unknown>, reason: EndReason, exceptSid: string | null, transaction?: Transaction,
  ): Promise<EndedCounts> {
    const rows = await this.select<{ userId: string; sessions: string }>(
      `WITH gone AS (
         DELETE FROM "Sessions" s USING "UserSessions" us
         WHERE us.sid = s.sid AND ${condition} AND s.sid <> $except
         RETURNING s.sid, us."userId"::text AS "userId", ${LIVE} AS live),
       noted AS (${NOTE_ENDED})
       SELECT "userId", count(*) AS sessions FROM gone WHERE live GROUP BY "userId"`,
      { ...bind, except: exceptSid ?? '', reason },
      transaction,
    );
    return new Map(rows.map((r) => [r.userId, Number(r.sessions)]));
  }

  /** The user ids behind public session handles (to check permissions before ending them). */
  async usersOfHandles(handles: readonly string[]): Promise<Map<string, string>> {
    const rows = await this.select<{ id: string; userId: string }>(
      `SELECT id::text AS id, "userId"::text AS "userId" FROM "UserSessions" WHERE id = ANY($ids::bigint[])`,
      { ids: handles },
    );
    return new Map(rows.map((r) => [r.id, r.userId]));
  }

  async listUserSessions(userId: string): Promise<SessionInfo[]> {
    return this.select<SessionInfo>(
      `SELECT us.id::text AS id, us."userId"::text AS "userId", us."createdAt", us."lastSeenAt", us.ip, us."userAgent",
              us.browser, us.os, us.device, s.expires
       FROM "UserSessions" us JOIN "Sessions" s ON s.sid = us.sid
       WHERE us."userId" = $user::${this.keyType} AND ${LIVE}
       ORDER BY us."lastSeenAt" DESC, us.id DESC`,
      { user: userId },
    );
  }

  /** The public handle of a session, if it is linked. */
  async handleOf(sid: string): Promise<string | null> {
    const [row] = await this.select<{ id: string }>(`SELECT id::text AS id FROM "UserSessions" WHERE sid = $sid`, { sid });
    return row?.id ?? null;
  }

  // ── housekeeping ─────────────────────────────────────────────────────────────────────────────────────────

  /**
   * Deletes expired sessions (index range scan on `expires`, in batches so no statement holds many locks for
   * long) and forgets end reasons older than `endReasonTtlMs`. Only one process purges at a time: the others
   * find the advisory lock taken and return `null` at once.
   */
  async purgeExpired(endReasonTtlMs: number, batch = 5000): Promise<EndedCounts | null> {
    const total: EndedCounts = new Map();
    for (let round = 0; ; round++) {
      const rows = await this.sequelize.transaction(async (transaction) => {
        const [lock] = await this.select<{ ok: boolean }>(
          `SELECT pg_try_advisory_xact_lock(hashtext('adminjs-single-session'), hashtext('purge')) AS ok`, {}, transaction,
        );
        if (!lock!.ok) return null;
        return this.select<{ userId: string | null }>(
          `WITH gone AS (
             DELETE FROM "Sessions" WHERE sid IN (SELECT sid FROM "Sessions" WHERE expires < now() LIMIT $batch) RETURNING sid)
           SELECT us."userId"::text AS "userId" FROM gone LEFT JOIN "UserSessions" us ON us.sid = gone.sid`,
          { batch }, transaction,
        );
      });
      if (rows === null) {
        if (round === 0) return null;
        break;
      }
      for (const { userId } of rows) if (userId !== null) total.set(userId, (total.get(userId) ?? 0) + 1);
      if (rows.length < batch) break;
    }
    await this.sequelize.query(
      `DELETE FROM "EndedSessions" WHERE "endedAt" < now() - $ttl::double precision * interval '1 millisecond'`,
      { bind: { ttl: endReasonTtlMs } },
    );
    return total;
  }

  async writeAudit(
    event: { reason: string; actorId: string | null; userIds: string[]; sessionCount: number }, transaction?: Transaction,
  ): Promise<void> {
    await this.sequelize.query(
      `INSERT INTO "SessionAuditEvents" (at, reason, "actorId", "userIds", "sessionCount") VALUES (now(), $reason, $actor, $users, $count)`,
      { bind: { reason: event.reason, actor: event.actorId, users: JSON.stringify(event.userIds), count: event.sessionCount }, transaction },
    );
  }
}
