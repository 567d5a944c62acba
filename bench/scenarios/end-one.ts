/**
 * P5: ending one user's sessions with the package (an index lookup on UserSessions.userId, one DELETE) against the
 * do-it-yourself way without a link table (a scan of every session's JSON), sampled side by side.
 */
import { diyEndSessions, engine } from '../apps.js';
import { type BenchDb, sessionsOf } from '../context.js';
import type { Progress } from '../progress.js';
import type { Profile } from '../profile.js';
import { interleave, median, timed } from '../stats.js';

export interface EndOneResults {
  oursMs: number;
  scanMs: number;
  samples: number;
}

export async function endOneScenario(db: BenchDb, profile: Profile, progress: Progress, random: () => number): Promise<EndOneResults> {
  const singleSession = await engine(db.sequelize, true);
  const sample = (end: (id: number) => Promise<number>) => async () => {
    const id = db.users.endOne.take();
    const before = await sessionsOf(db.sequelize, [id]);
    let ended = 0;
    const ms = await timed(async () => { ended = await end(id); });
    if (before === 0 || ended !== before) throw new Error(`P5: user ${id} had ${before} sessions, ${ended} ended`);
    return ms;
  };
  const samples = profile.endOneSamples;
  const phase = progress.phase(`P5 end one user's sessions at ${db.label}`, 2 * samples);
  const result = await interleave({
    ours: { samples, run: sample(async (id) => (await singleSession.endUserSessions([id])).sessions) },
    scan: { samples, run: sample((id) => diyEndSessions(db.sequelize, String(id))) },
  }, random, () => phase.tick());
  const oursMs = median(result.ours);
  const scanMs = median(result.scan);
  phase.done(`ours ${oursMs.toFixed(2)} ms, JSON scan ${scanMs.toFixed(1)} ms (${(scanMs / oursMs).toFixed(0)}× faster)`);
  return { oursMs, scanMs, samples };
}
