/**
 * The idle timeout and the absolute lifetime of a signed-in session (OWASP ASVS 4.0.3 V3.3.2), as pure arithmetic.
 * They are enforced by the server through the row's `expires`: every write of a signed-in session sets it to the
 * earliest of the cookie's expiry, the idle deadline (last write + idle timeout) and the lifetime deadline (sign-in
 * + absolute timeout). Everything that asks "is it live?" — the store, the limit's count, the Sessions page, the
 * purge — then agrees, in every process, and a late write cannot move a passed deadline (see the registry's update).
 */

export interface Timeouts {
  /** No request for this long ends the session; false: no idle timeout. */
  idleTimeoutMs: number | false;
  /** A session ends this long after its sign-in, however active; false: no lifetime limit. */
  absoluteTimeoutMs: number | false;
}

/** Defaults that meet ASVS V3.3.2 at level 2: 30 minutes idle, 12 hours in all. */
export const DEFAULT_TIMEOUTS = { idleTimeoutMs: 30 * 60_000, absoluteTimeoutMs: 12 * 3600_000 } as const;

/**
 * How long a signed-in session's row may go unwritten. The idle deadline moves only when the row is written, so
 * the time since the last write is what the timeout can be early by: at most a tenth of it (or 1 s, when a tenth
 * is less), and never more than `lastSeenIntervalMs`.
 */
export function writeIntervalMs(lastSeenIntervalMs: number, { idleTimeoutMs }: Timeouts): number {
  return idleTimeoutMs === false ? lastSeenIntervalMs : Math.min(lastSeenIntervalMs, Math.max(idleTimeoutMs / 10, 1000));
}

/** The row's expiry (ms): `base` (the cookie's), shortened by the timeouts when the session is signed in. */
export function expiryOf(base: number, now: number, signedInAt: number | null, { idleTimeoutMs, absoluteTimeoutMs }: Timeouts): number {
  if (signedInAt === null) return base;
  let expiry = base;
  if (idleTimeoutMs !== false) expiry = Math.min(expiry, now + idleTimeoutMs);
  if (absoluteTimeoutMs !== false) expiry = Math.min(expiry, signedInAt + absoluteTimeoutMs);
  return expiry;
}

/** Why a signed-in session past its expiry ended: its lifetime, its idle timeout, or neither (its cookie's expiry). */
export function timeoutReason(
  now: number, signedInAt: number, lastWrite: number, { idleTimeoutMs, absoluteTimeoutMs }: Timeouts,
): 'lifetime' | 'idle' | null {
  if (absoluteTimeoutMs !== false && signedInAt + absoluteTimeoutMs <= now) return 'lifetime';
  if (idleTimeoutMs !== false && lastWrite + idleTimeoutMs <= now) return 'idle';
  return null;
}
