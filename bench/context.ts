/** A filled bench database and the users each scenario may use (disjoint ranges, so one never disturbs another). */
import { QueryTypes, type Sequelize } from 'sequelize';
import { quoted } from './db.js';
import type { FillPlan } from './fill.js';

/** Hands out user ids from a range, each once, wrapping around only if a profile asks for more than it holds. */
export class UserRange {
  private next: number;

  constructor(readonly first: number, readonly last: number) {
    if (last < first) throw new Error(`empty user range ${first}..${last}`);
    this.next = first;
  }

  take(): number {
    const id = this.next;
    this.next = id >= this.last ? this.first : id + 1;
    return id;
  }

  /** The next `n` ids as one block (for a bulk action). */
  block(n: number): number[] {
    return Array.from({ length: n }, () => this.take());
  }
}

export interface BenchDb {
  /** "10k", "1M", … */
  label: string;
  name: string;
  url: string;
  sequelize: Sequelize;
  plan: FillPlan;
  adminId: number;
  /**
   * In the largest database, users 1..60 %: bulk actions (P4: 3 runs each of the action and the bare DELETE, 10,000
   * users apiece). 60..70 %: ending one user's sessions (P5). 70..100 %: logins (P1–P3). In the smaller ones, where
   * only logins run, every user logs in (each once, so that every login meets a user with the same sessions).
   */
  users: { bulk: UserRange; endOne: UserRange; login: UserRange };
}

export function userRanges(users: number, largest: boolean): BenchDb['users'] {
  const at = (fraction: number) => Math.max(1, Math.floor(users * fraction));
  if (!largest) return { bulk: new UserRange(1, 1), endOne: new UserRange(1, 1), login: new UserRange(1, users) };
  return {
    bulk: new UserRange(1, at(0.6)),
    endOne: new UserRange(at(0.6) + 1, at(0.7)),
    login: new UserRange(at(0.7) + 1, users),
  };
}

/** Live sessions of the given users (for the checks that a measured operation did what it claims). */
export async function sessionsOf(sequelize: Sequelize, userIds: number[]): Promise<number> {
  const [row] = await sequelize.query<{ n: unknown }>(quoted(sequelize, `SELECT count(*) AS n FROM "UserSessions" WHERE "userId" IN (:ids)`), {
    replacements: { ids: userIds }, type: QueryTypes.SELECT,
  });
  return Number(row!.n);
}
