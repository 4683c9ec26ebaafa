// Seeded randomness for datasets: the same seed gives the same samples, splits and order on
// every machine (no Math.random anywhere in src/engine/data).

import type { Rng } from '../random.js';

export { rng, type Rng } from '../random.js';

/** A standard normal sample (Box–Muller). */
export function gaussian(r: Rng): number {
  const u = 1 - r(); // (0, 1]: log stays finite
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
}

/** Shuffles in place (Fisher–Yates) and returns the array. */
export function shuffle<T extends { length: number; [i: number]: number }>(a: T, r: Rng): T {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
  return a;
}

/** 0, 1, …, n − 1 as an Int32Array. */
export function range(n: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}

/** A fraction in [0, 1) from (seed, index): deterministic per row, for streaming split assignment. */
export function hashUnit(seed: number, index: number): number {
  let h = Math.imul((seed >>> 0) ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index >>> 0, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}
