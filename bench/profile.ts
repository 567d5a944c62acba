/** How big the run is. The full P1–P7 run is sized to finish within 15 minutes on 2 cores; `--tiny` runs everything in about 2. */
export interface Profile {
  name: 'full' | 'tiny';
  /** Stored sessions of each bench database, smallest first; the largest is where P1 and P3–P6 run. */
  sizes: number[];
  /** Live sessions per user at every size (users = sessions / sessionsPerUser). */
  sessionsPerUser: number;
  /** Logins per variant and size (policy on, policy off). */
  loginSamples: number;
  /** Logins with the do-it-yourself JSON scan, per size (slow at large sizes, so fewer). */
  scanSamples: number;
  warmup: number;
  /** P3: autocannon rounds per store, seconds per round, connections. */
  throughput: { rounds: number; seconds: number; connections: number };
  /** P4: users per bulk action, and how many such actions (on disjoint users; as many again for the bare DELETE). */
  bulk: { users: number; runs: number };
  /** P5: samples of ending one user's sessions, per approach. */
  endOneSamples: number;
  /** P6: samples of each admin page (interleaved). */
  pageSamples: number;
  soak: SoakProfile;
  capacity: CapacityProfile;
}

/** `--soak`: mixed traffic at a steady rate against 2 app processes (each figure can be changed on the command line). */
export interface SoakProfile {
  /** Stored sessions at the start. */
  sessions: number;
  minutes: number;
  /** Requests per second (logins, authenticated requests, logouts), admin endings on top. */
  rate: number;
  /** Length of one reporting interval (the issue asks per minute; the tiny run has 1 minute in all). */
  intervalSeconds: number;
  /** An admin ends the sessions of `users` random users every `everySeconds`. */
  adminEnding: { everySeconds: number; users: number };
  /** Engine options of the app processes: short lifetimes so that expiry and purge have work (the audit's too). */
  engine: { sessionTtlMs: number; endReasonTtlMs: number; purgeIntervalMs: number; lastSeenIntervalMs: number; auditRetentionMs: number };
  /** Share of the filled sessions that expire during the run (spread over it), for the purge. */
  expiringShare: number;
  /** Users logged in before the clock starts (their cookies carry the first authenticated requests). */
  warmCookies: number;
}

/** `--capacity`: logins/s and authenticated requests/s with 1, 2 and 4 app processes on one PostgreSQL. */
export interface CapacityProfile {
  sessions: number;
  processes: number[];
  rounds: number;
  seconds: number;
  /** Total connections of the load generator, split over the processes. */
  connections: number;
  /** Users who log in again and again (each login then ends exactly one session: the steady state). */
  loginUsers: number;
  /** Sessions (other users) whose cookies the authenticated requests rotate through. */
  cookies: number;
}

export const PROFILES: Record<Profile['name'], Profile> = {
  full: {
    name: 'full',
    sizes: [10_000, 100_000, 1_000_000],
    sessionsPerUser: 10,
    loginSamples: 200,
    scanSamples: 15,
    warmup: 20,
    throughput: { rounds: 5, seconds: 4, connections: 10 },
    bulk: { users: 10_000, runs: 3 },
    endOneSamples: 11,
    pageSamples: 9,
    soak: {
      sessions: 1_000_000,
      minutes: 10,
      rate: 100,
      intervalSeconds: 60,
      adminEnding: { everySeconds: 10, users: 100 },
      engine: { sessionTtlMs: 5 * 60_000, endReasonTtlMs: 2 * 60_000, purgeIntervalMs: 30_000, lastSeenIntervalMs: 60_000, auditRetentionMs: 2 * 60_000 },
      expiringShare: 0.1,
      warmCookies: 500,
    },
    capacity: { sessions: 1_000_000, processes: [1, 2, 4], rounds: 3, seconds: 10, connections: 16, loginUsers: 5_000, cookies: 1_000 },
  },
  tiny: {
    name: 'tiny',
    sizes: [500, 1_000, 3_000],
    sessionsPerUser: 10,
    loginSamples: 5,
    scanSamples: 2,
    warmup: 2,
    throughput: { rounds: 1, seconds: 1, connections: 4 },
    bulk: { users: 20, runs: 2 },
    endOneSamples: 3,
    pageSamples: 3,
    soak: {
      sessions: 3_000,
      minutes: 1,
      rate: 20,
      intervalSeconds: 10,
      adminEnding: { everySeconds: 5, users: 10 },
      engine: { sessionTtlMs: 30_000, endReasonTtlMs: 15_000, purgeIntervalMs: 5_000, lastSeenIntervalMs: 5_000, auditRetentionMs: 15_000 },
      expiringShare: 0.1,
      warmCookies: 20,
    },
    capacity: { sessions: 3_000, processes: [1, 2, 4], rounds: 1, seconds: 2, connections: 8, loginUsers: 100, cookies: 50 },
  },
};

export const sizeLabel = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}M` : n >= 1_000 ? `${n / 1_000}k` : String(n));
