/** Medians, a seeded shuffle, and the interleaved A/B sampling every scenario uses. */

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** mulberry32: a small seeded generator, so a run's order of samples can be reproduced. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

export interface Variant {
  /** How many samples this variant takes (slow variants take fewer, spread over the first rounds). */
  samples: number;
  /** One sample: does the work and returns the milliseconds that count. */
  run: () => Promise<number>;
}

/**
 * Samples variants side by side: every round runs each variant that still needs samples once, in a shuffled
 * order, so drift on a shared machine (other load, autovacuum, cache warming) hits all of them alike.
 */
export async function interleave<K extends string>(
  variants: Record<K, Variant>, random: () => number, tick: () => void = () => {},
): Promise<Record<K, number[]>> {
  const keys = Object.keys(variants) as K[];
  const samples = Object.fromEntries(keys.map((k) => [k, [] as number[]])) as Record<K, number[]>;
  const rounds = Math.max(...keys.map((k) => variants[k].samples));
  for (let round = 0; round < rounds; round++) {
    for (const key of shuffle(keys.filter((k) => round < variants[k].samples), random)) {
      samples[key].push(await variants[key].run());
      tick();
    }
  }
  return samples;
}

export const totalSamples = (variants: Record<string, Variant>) => Object.values(variants).reduce((n, v) => n + v.samples, 0);

export async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** The p-th percentile (0–100) by nearest rank; NaN for no values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Least-squares slope of y over x (per unit of x); 0 for fewer than two points. */
export function slope(points: ReadonlyArray<{ x: number; y: number }>): number {
  if (points.length < 2) return 0;
  const mx = points.reduce((s, p) => s + p.x, 0) / points.length;
  const my = points.reduce((s, p) => s + p.y, 0) / points.length;
  const num = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const den = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}
