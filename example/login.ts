/**
 * The demo's password check, shared by the site login (site.ts) and the AdminJS login (admin.ts). Two defences any
 * login route needs, which the package cannot give (the password check is the host's):
 *
 * - **The same work whether or not the email exists.** bcrypt runs exactly once either way — against the user's
 *   hash, or against a hash of nobody's password at the same cost — so the answer's timing does not tell whether
 *   an account exists (without this: ~80 ms for a known email, ~2 ms for an unknown one).
 * - **Throttled failures, per account and per client** (`LoginThrottle`): counters of rate-limiter-flexible, checked
 *   BEFORE bcrypt, and one check at a time per account and per client (async-lock), so that a burst of parallel
 *   guesses cannot outrun the count: once an account is throttled, the rest of the burst is refused without running
 *   bcrypt, and other users' logins stay fast.
 */
import AsyncLock from 'async-lock';
import bcrypt from 'bcryptjs';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { UserModel, UserRow } from './db/users.js';

/** The demo's bcrypt cost (seeders/20261125000100-demo-users.cjs hashes at the same cost). */
export const PASSWORD_COST = 10;
/** A bcrypt hash, at PASSWORD_COST, of a random password nobody has: what an unknown email is checked against. */
const NOBODY = '$2b$10$AF8V2dChz9zsResPVU1Kjef4923NAYRqz3NEdDKY07OiyBtgIIlFG';

/** A login refused before its password was checked: too many failures for the account or from the client. */
export class LoginThrottledError extends Error {
  override name = 'LoginThrottledError';
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many failed sign-ins. Try again in ${retryAfterSeconds} s.`);
  }
}

/** Failures allowed within `withinSeconds` before further attempts are refused for `blockSeconds`. */
export interface FailureLimit {
  failures: number;
  withinSeconds: number;
  blockSeconds: number;
}

export interface LoginThrottleOptions {
  /**
   * Per account (the email as typed, normalized), whatever the client. Default: 10 failures in 10 minutes → 60 s.
   * Short on purpose: an attacker can keep an account throttled only while attacking it, and its owner waits a minute.
   */
  perAccount?: FailureLimit;
  /** Per client (`req.ip`: set `trust proxy` behind a proxy). Default: 50 failures in 10 minutes → 10 minutes. */
  perClient?: FailureLimit;
  /** Attempts that may wait their turn for one account or one client; more are refused at once. Default 100. */
  maxPending?: number;
}

class FailureCounter {
  private readonly limiter: RateLimiterMemory;

  constructor(name: string, private readonly limit: FailureLimit) {
    this.limiter = new RateLimiterMemory({ keyPrefix: name, points: limit.failures, duration: limit.withinSeconds });
  }

  /** Seconds this key is still refused for (0: not refused). */
  async blockedFor(key: string): Promise<number> {
    const state = await this.limiter.get(key);
    return state && state.consumedPoints >= this.limit.failures ? Math.max(1, Math.ceil(state.msBeforeNext / 1000)) : 0;
  }

  async failed(key: string): Promise<void> {
    const state = await this.limiter.penalty(key);
    if (state.consumedPoints >= this.limit.failures) await this.limiter.block(key, this.limit.blockSeconds);
  }
}

/**
 * Counts failed logins in memory, so each app process counts its own: N processes allow N times the attempts. For
 * one count across processes use rate-limiter-flexible's `RateLimiterPostgres` on the same database (same API).
 */
export class LoginThrottle {
  private readonly accounts: FailureCounter;
  private readonly clients: FailureCounter;
  private readonly lock: AsyncLock;

  constructor({
    perAccount = { failures: 10, withinSeconds: 600, blockSeconds: 60 },
    perClient = { failures: 50, withinSeconds: 600, blockSeconds: 600 },
    maxPending = 100,
  }: LoginThrottleOptions = {}) {
    this.accounts = new FailureCounter('login-account', perAccount);
    this.clients = new FailureCounter('login-client', perClient);
    this.lock = new AsyncLock({ maxPending });
  }

  /**
   * Runs `check` (resolves true when the password is right) unless the account or the client is throttled
   * (throws LoginThrottledError); a false result counts against both.
   */
  async attempt(account: string, client: string, check: () => Promise<boolean>): Promise<boolean> {
    try {
      return await this.lock.acquire([`account:${account}`, `client:${client}`], async () => {
        const wait = Math.max(await this.accounts.blockedFor(account), await this.clients.blockedFor(client));
        if (wait > 0) throw new LoginThrottledError(wait);
        const ok = await check();
        if (!ok) await Promise.all([this.accounts.failed(account), this.clients.failed(client)]);
        return ok;
      });
    } catch (err) {
      // async-lock: more attempts waiting for this account or client than `maxPending`.
      if (/too many pending/i.test(String((err as Error)?.message))) throw new LoginThrottledError(1);
      throw err;
    }
  }
}

/** Normalized as the users table stores it. */
export const normalizeEmail = (email: string) => email.trim().toLowerCase();

/**
 * `checkPassword(email, password, client)`: the user when the password is right, else null; throws
 * LoginThrottledError when throttled. bcrypt runs once whether or not the user exists.
 */
export function passwordChecker(User: UserModel, throttle: LoginThrottle = new LoginThrottle()) {
  return async (email: string, password: string, client: string): Promise<UserRow | null> => {
    const account = normalizeEmail(email);
    let user: UserRow | null = null;
    await throttle.attempt(account, client, async () => {
      user = (await User.findOne({ where: { email: account } }))?.get({ plain: true }) ?? null;
      // The same bcrypt work for an unknown email as for a known one.
      const matches = await bcrypt.compare(password, user?.passwordHash ?? NOBODY);
      if (!matches) user = null;
      return user !== null;
    });
    return user;
  };
}
export type PasswordChecker = ReturnType<typeof passwordChecker>;
