/** How big the run is. The full profile is sized to finish in about 15 minutes on 2 cores; `--tiny` in seconds. */
export interface Profile {
  name: 'full' | 'tiny';
  /** Stored sessions of each bench database, smallest first; the largest is where P1, P3, P4 and P5 run. */
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
  /** P4: users per bulk action, and how many such actions (on disjoint users; as many again by the direct call). */
  bulk: { users: number; runs: number };
  /** P5: samples of ending one user's sessions, per approach. */
  endOneSamples: number;
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
    bulk: { users: 10_000, runs: 2 },
    endOneSamples: 11,
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
  },
};

export const sizeLabel = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}M` : n >= 1_000 ? `${n / 1_000}k` : String(n));
