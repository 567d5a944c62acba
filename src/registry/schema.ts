/**
 * The tables the registry needs and their columns, checked at start-up (a missing migration fails with the
 * migration to run, not later with "relation does not exist"). The same for every dialect.
 */
import { messages, SingleSessionConfigError } from '../errors.js';

export const TABLES = {
  sessions: 'Sessions', links: 'UserSessions', ended: 'EndedSessions', audit: 'SessionAuditEvents', view: 'ActiveSessions',
  devices: 'KnownDevices', locks: 'SessionLocks',
} as const;

type Required = Record<string, string[]>;

const REQUIRED_COLUMNS: Required = {
  [TABLES.sessions]: ['sid', 'expires', 'data', 'createdAt', 'updatedAt'],
  [TABLES.links]: ['sid', 'userId', 'id', 'createdAt', 'lastSeenAt', 'ip', 'userAgent', 'browser', 'os', 'device'],
  [TABLES.ended]: ['sid', 'userId', 'reason', 'endedAt'],
  [TABLES.audit]: ['id', 'at', 'reason', 'actorId', 'userIds', 'sessionCount'],
  [TABLES.view]: ['id', 'userId', 'createdAt', 'lastSeenAt', 'expires'],
  [TABLES.devices]: ['userId', 'browser', 'os', 'device', 'firstSeenAt', 'lastSeenAt'],
};

/** Tables of a later migration than the first: their absence names that migration. */
const LATER_MIGRATION: Record<string, (table: string) => string> = {
  [TABLES.view]: messages.missingView,
  [TABLES.devices]: messages.missingDevices,
  [TABLES.locks]: messages.missingLocks,
};

export const REQUIRED_TABLES = Object.keys(REQUIRED_COLUMNS);

/** MariaDB's tables: the same, and the per-user lock rows (see migration 20261201000000). */
export const REQUIRED_COLUMNS_WITH_LOCKS: Required = { ...REQUIRED_COLUMNS, [TABLES.locks]: ['userId'] };

/** Throws the start-up error for the first missing table or column; returns the SQL type of `UserSessions.userId`. */
export function checkSchema(columns: ReadonlyArray<{ table: string; column: string; type: string }>, tables: Required = REQUIRED_COLUMNS): string {
  for (const [table, required] of Object.entries(tables)) {
    const present = columns.filter((c) => c.table === table).map((c) => c.column);
    if (present.length === 0) {
      throw new SingleSessionConfigError((LATER_MIGRATION[table] ?? messages.missingTable)(table));
    }
    const missing = required.find((c) => !present.includes(c));
    if (missing) throw new SingleSessionConfigError(messages.missingColumn(table, missing));
  }
  return columns.find((c) => c.table === TABLES.links && c.column === 'userId')!.type;
}
