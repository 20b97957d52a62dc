/**
 * Seeded randomness for the property-style tests, and how long they run.
 * `npm test` runs every property a few times (each rule still tested);
 * `npm run test:full` (CI) sets TEST_FULL=1 and runs the long walks. A
 * failing run names its seed (in the test's name or message); give it back
 * through the test's own *_SEED variable to reproduce it.
 */

/** Whether this is the long run (`npm run test:full`). */
export const FULL = process.env.TEST_FULL === '1';

/** How many iterations: `quick` in `npm test`, `full` in `npm run test:full`; an explicit override wins. */
export const iterations = (quick: number, full: number, override?: string) =>
  override ? Number(override) : FULL ? full : quick;

/** mulberry32: small, seeded, reproducible. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const some = <T>(xs: readonly T[], max: number): T[] => {
    const n = int(max + 1);
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(pick(xs));
    return [...new Set(out)];
  };
  /** Picks by weight. */
  const weighted = <T>(xs: readonly T[], weight: (x: T) => number): T => {
    const total = xs.reduce((s, x) => s + weight(x), 0);
    let r = next() * total;
    for (const x of xs) if ((r -= weight(x)) < 0) return x;
    return xs[xs.length - 1]!;
  };
  return { next, int, pick, some, weighted, chance: (p: number) => next() < p };
}

export type Rng = ReturnType<typeof prng>;
