// The engine's one seeded PRNG: the same seed gives the same numbers on every machine
// (shuffles, dataset noise, splits, initial matrices). No Math.random in the engine.

/** A uniform generator in [0, 1). */
export type Rng = () => number;

/**
 * mulberry32: tiny, fast, good enough for shuffling, noise and initialisation.
 * @example const r = rng(42); r(); // the same value on every run
 */
export function rng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
