/**
 * The figures of a sessions dashboard (`SingleSession.sessionStatistics`), and what keeps them fast at a million
 * sessions beyond the registry's statements: the per-hour figures come from one aggregate over a day of audit rows
 * (about 0.6 s for 1.3M rows), but an hour that is over no longer changes — so each engine keeps the figures of the
 * hours that are over and asks the database only for the hours since. "Over" has a margin: an audit row carries its
 * transaction's start time, and a transaction begun just before the hour ended commits a moment after it.
 */
import type { AuditHour, SessionRegistry, Share } from './registry/index.js';

/** What a sessions dashboard shows: see `SingleSession.sessionStatistics`. */
export interface SessionStatistics {
  /** Live (signed-in, not expired) sessions now. */
  activeSessions: number;
  /** Users with at least one live session now. */
  signedInUsers: number;
  /** The most common browsers, devices and operating systems among the live sessions, most first. */
  top: {
    /** By browser and major version ("Chrome 120"). */
    browser: Share[];
    /** By device type, vendor and model ("desktop", "mobile Apple iPhone"). */
    device: Share[];
    /** By operating system and version ("Windows 10"). */
    os: Share[];
  };
  /** What `top` was counted over: every live session, or (more than 50,000) a random sample of them. */
  shareBasis: {
    /** The sessions counted: divide a share's `sessions` by it for its proportion. */
    sessions: number;
    /** True when they are a random sample (block sampling) rather than every live session. */
    sampled: boolean;
  };
  /** Hour by hour, oldest first, the current hour last; null without the audit trail (`audit: true`), which they come from. */
  hours: HourStatistics[] | null;
}

/** One hour of `SessionStatistics.hours`. */
export interface HourStatistics {
  /** When the hour starts (as the database's `date_trunc('hour', …)` in the connection's time zone). */
  start: Date;
  /** Sign-ins in that hour. */
  signIns: number;
  /** Sessions ended in that hour, by reason (`replaced`, `limit`, `revoked`, `logout`, `expired`, `idle`, `lifetime`, …). */
  ended: Record<string, number>;
}

/** Options of `SingleSession.sessionStatistics`. */
export interface StatisticsOptions {
  /** Hours of history, the current one included (1–168). Default 24. */
  hours?: number;
  /** How many browsers, devices and systems to list (1–50). Default 5. */
  top?: number;
}

/** Above this many links, the shares of browsers, devices and systems are counted over a sample of about this many. */
export const EXACT_SHARES_UP_TO = 50_000;

const HOUR_MS = 3600_000;
/** An hour is over (its figures are kept) this long after its end. */
export const CLOSING_MARGIN_MS = 5 * 60_000;

/** The audit trail per hour, the hours that are over kept between calls. */
export class AuditHourCache {
  /** Hour start (ms) → its rows; contiguous from the window's first hour. */
  private readonly closed = new Map<number, AuditHour[]>();
  private window = 0;

  constructor(private readonly registry: SessionRegistry) {}

  async perHour(hours: number): Promise<HourStatistics[]> {
    // Another window length: start over (the kept hours must reach back to the window's first one).
    if (hours !== this.window) {
      this.closed.clear();
      this.window = hours;
    }
    const newest = Math.max(...this.closed.keys());
    const from = Number.isFinite(newest) ? new Date(newest + HOUR_MS) : null;
    const { since, now, rows } = await this.registry.auditPerHour(hours, from);
    const start = since.getTime();
    for (const hour of this.closed.keys()) if (hour < start) this.closed.delete(hour);

    const fresh = new Map<number, AuditHour[]>();
    for (const row of rows) fresh.set(row.hour.getTime(), [...(fresh.get(row.hour.getTime()) ?? []), row]);
    for (let hour = Math.max(start, from?.getTime() ?? start); hour + HOUR_MS + CLOSING_MARGIN_MS <= now.getTime(); hour += HOUR_MS) {
      this.closed.set(hour, fresh.get(hour) ?? []);
    }
    return Array.from({ length: hours }, (_, i) => {
      const hour = start + i * HOUR_MS;
      return summarizeHour(hour, this.closed.get(hour) ?? fresh.get(hour) ?? []);
    });
  }
}

function summarizeHour(hour: number, rows: readonly AuditHour[]): HourStatistics {
  const summary: HourStatistics = { start: new Date(hour), signIns: 0, ended: {} };
  for (const { kind, events, sessions } of rows) {
    if (kind === 'login') summary.signIns += events;
    else summary.ended[kind] = (summary.ended[kind] ?? 0) + sessions;
  }
  return summary;
}
