/**
 * Login time against table size, over real HTTP: with the policy on, with it off (the link is still written),
 * and with the do-it-yourself JSON scan ending the other sessions. Every size and variant is sampled side by
 * side in one interleaved loop. Gives P1 (on / off at the largest size), P2 (on at the largest / smallest size)
 * and the chart.
 */
import { countStatements } from '../db.js';
import { type BenchDb, sessionsOf } from '../context.js';
import { diyEndSessions, engine, loginApp } from '../apps.js';
import { expectStatus, request, serve, type Served } from '../http.js';
import type { Progress } from '../progress.js';
import type { Profile } from '../profile.js';
import { interleave, median, timed, totalSamples, type Variant } from '../stats.js';

export const LOGIN_VARIANTS = ['on', 'off', 'scan'] as const;
export type LoginVariantName = (typeof LOGIN_VARIANTS)[number];

export interface LoginResults {
  /** Median login time (ms) per size label and variant. */
  medians: Record<string, Record<LoginVariantName, number>>;
  samples: Record<string, Record<LoginVariantName, number>>;
  /** SQL statements one login sends, per variant (at the largest size). */
  statements: Record<LoginVariantName, string[]>;
}

export async function loginScenario(dbs: BenchDb[], profile: Profile, progress: Progress, random: () => number): Promise<LoginResults> {
  const servers: Served[] = [];
  try {
    const variants: Record<string, Variant> = {};
    const largest = dbs[dbs.length - 1]!;
    let counted: LoginResults['statements'] | undefined;
    for (const db of dbs) {
      const scan = await engine(db.sequelize, false);
      const app = loginApp(db.sequelize, {
        on: { singleSession: await engine(db.sequelize, true) },
        off: { singleSession: await engine(db.sequelize, false) },
        scan: { singleSession: scan, after: (userId, sid) => diyEndSessions(db.sequelize, userId, sid) },
      });
      const server = await serve(app);
      servers.push(server);
      // Every login comes without a cookie, as a new browser would: a new session each time.
      const post = async (variant: LoginVariantName, id: number) =>
        expectStatus(await request(`${server.url}/${variant}/login?id=${id}`, { method: 'POST' }), 200, `login (${variant}, ${db.label})`);
      const login = (variant: LoginVariantName) => {
        const id = db.users.login.take();
        return timed(() => post(variant, id));
      };
      for (let i = 0; i < profile.warmup; i++) for (const v of LOGIN_VARIANTS) await login(v);
      if (db === largest) counted = await statementsPerLogin(db, post);
      variants[`${db.label}|on`] = { samples: profile.loginSamples, run: () => login('on') };
      variants[`${db.label}|off`] = { samples: profile.loginSamples, run: () => login('off') };
      variants[`${db.label}|scan`] = { samples: profile.scanSamples, run: () => login('scan') };
    }
    const phase = progress.phase(`Logins at ${dbs.map((d) => d.label).join(', ')} (interleaved)`, totalSamples(variants));
    const samples = await interleave(variants, random, () => phase.tick());
    const medians: LoginResults['medians'] = {};
    const counts: LoginResults['samples'] = {};
    for (const [key, values] of Object.entries(samples)) {
      const [label, variant] = key.split('|') as [string, LoginVariantName];
      (medians[label] ??= {} as Record<LoginVariantName, number>)[variant] = median(values);
      (counts[label] ??= {} as Record<LoginVariantName, number>)[variant] = values.length;
    }
    const top = medians[largest.label]!;
    phase.done(`at ${largest.label}: on ${top.on.toFixed(2)} ms, off ${top.off.toFixed(2)} ms, JSON scan ${top.scan.toFixed(1)} ms`);
    return { medians, samples: counts, statements: counted! };
  } finally {
    for (const server of servers) await server.close();
  }
}

/**
 * Counts the statements of one login per variant, and checks each did its job: with the policy (or the scan)
 * the user is left with exactly the new session; without it, with one more than before.
 */
async function statementsPerLogin(
  db: BenchDb, post: (variant: LoginVariantName, id: number) => Promise<unknown>,
): Promise<LoginResults['statements']> {
  const result = {} as LoginResults['statements'];
  for (const variant of LOGIN_VARIANTS) {
    const id = db.users.login.take();
    const before = await sessionsOf(db.sequelize, [id]);
    const { statements } = await countStatements(db.sequelize, () => post(variant, id));
    const after = await sessionsOf(db.sequelize, [id]);
    const expected = variant === 'off' ? before + 1 : 1;
    if (after !== expected) {
      throw new Error(`login with ${variant}: user ${id} has ${after} sessions after the login, expected ${expected} (had ${before})`);
    }
    result[variant] = statements.map((s) => s.sql);
  }
  return result;
}
