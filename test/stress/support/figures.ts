/**
 * What the stress suite tried, tallied by the suites and printed once at the end of the run (a mocha root hook),
 * so a reader sees the size of every experiment and how many violations it found — not just "passing".
 */
// On globalThis: mocha loads this file as a root-hook module and the suites import it, which may give two
// module instances (CommonJS and ESM); both must see one tally.
const KEY = Symbol.for('adminjs-single-session.stress-figures');
const figures: Map<string, number> = ((globalThis as Record<symbol, unknown>)[KEY] ??= new Map()) as Map<string, number>;

/** Adds `n` to a figure (creating it at 0). Violations are figures whose name starts with "violations". */
export function tally(name: string, n = 1): void {
  figures.set(name, (figures.get(name) ?? 0) + n);
}

export function figure(name: string): number {
  return figures.get(name) ?? 0;
}

export const mochaHooks = {
  afterAll() {
    if (figures.size === 0) return;
    const width = Math.max(...[...figures.keys()].map((k) => k.length));
    console.log('\n  Stress figures');
    for (const [name, value] of figures) console.log(`    ${name.padEnd(width)}  ${value.toLocaleString('en-US')}`);
  },
};
