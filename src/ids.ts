/**
 * Every id the package accepts from outside, checked in one place before any SQL runs: user ids (of the user key's
 * type) and public session handles. Bad input throws InvalidInputError and nothing changes; good input comes back
 * canonical (as the database prints the key back), so that results keyed by it match exactly, bigint included.
 */
import { InvalidInputError, messages } from './errors.js';

/** What the user key (the primary key `UserSessions.userId` references) is, whatever the dialect calls it. */
export type UserKeyKind = 'smallint' | 'integer' | 'bigint' | 'uuid' | 'text';

/** Most ids one call may name (a bulk action of 10,000 users is well inside). */
export const MAX_IDS = 50_000;

const INTEGER_RANGE: Partial<Record<UserKeyKind, bigint>> = { smallint: 2n ** 15n, integer: 2n ** 31n, bigint: 2n ** 63n };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TEXT_KEY_MAX = 255;

function checkCount(ids: readonly unknown[]): void {
  if (ids.length > MAX_IDS) throw new InvalidInputError(messages.tooManyIds(MAX_IDS, ids.length));
}

/** Canonical text of a user id of this kind, or null when it cannot be one (wrong form, out of range). */
function canonicalUserId(kind: UserKeyKind, id: unknown): string | null {
  const text = typeof id === 'number' || typeof id === 'bigint' ? String(id) : id;
  if (typeof text !== 'string') return null;
  const range = INTEGER_RANGE[kind];
  if (range !== undefined) {
    if (!/^-?\d{1,20}$/.test(text)) return null;
    const value = BigInt(text);
    return value < range && value >= -range ? String(value) : null;
  }
  if (kind === 'uuid') return UUID.test(text) ? text.toLowerCase() : null;
  return text.length > 0 && text.length <= TEXT_KEY_MAX ? text : null;
}

/** Checks user ids against the key's kind; returns them canonical. Throws InvalidInputError on the first bad one. */
export function parseUserIds(kind: UserKeyKind, ids: readonly unknown[]): string[] {
  checkCount(ids);
  return ids.map((id) => {
    const canonical = canonicalUserId(kind, id);
    if (canonical === null) throw new InvalidInputError(messages.badUserIds(kind, id));
    return canonical;
  });
}

/** Could this be a user id of this kind? For filters that should match nothing rather than fail. */
export const isUserId = (kind: UserKeyKind, id: unknown): boolean => canonicalUserId(kind, id) !== null;

/** A public session handle (`UserSessions.id`): a positive bigint, as a number or digits. */
export const isHandle = (value: unknown): boolean =>
  (typeof value === 'string' || typeof value === 'number') && /^\d{1,19}$/.test(String(value)) && BigInt(String(value)) < INTEGER_RANGE.bigint!;

/** Checks session handles like user ids: bad input throws InvalidInputError, good input comes back canonical. */
export function parseHandles(handles: readonly unknown[]): string[] {
  checkCount(handles);
  return handles.map((handle) => {
    if (!isHandle(handle)) throw new InvalidInputError(messages.badUserIds('session handle', handle));
    return String(BigInt(String(handle)));
  });
}
