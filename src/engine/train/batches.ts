// Seeded randomness and batches. Each epoch's order is a pure function of (seed, epoch), so a
// resumed run reshuffles exactly as an uninterrupted one; a batch copies only its own rows.
import * as tf from '@tensorflow/tfjs';
import type { Column } from '../data/types.js';
import { rng } from '../random.js';

/** Mixes integers into one 32-bit seed (FNV-1a over the words, then a murmur3-style finaliser). */
export function mixSeed(...parts: readonly number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    h = Math.imul(h ^ (p >>> 0), 0x01000193);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 12;
  }
  return h >>> 0;
}

/**
 * Fisher–Yates over 0…n−1 with a PRNG seeded from `seed`.
 * @example seededPermutation(5, 42) // the same Int32Array of 0…4 in some order, every time
 */
export function seededPermutation(n: number, seed: number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const rand = rng(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}

/**
 * The sample order of one epoch (0-based): a pure function of (seed, epoch), so a resumed run
 * reshuffles exactly as an uninterrupted one.
 * @example const order = epochOrder(train.count, config.seed, 2); // third epoch
 */
export const epochOrder = (count: number, seed: number, epoch: number): Int32Array => seededPermutation(count, mixSeed(seed, 0x5eed, epoch));

export const sampleSize = (c: Column): number => c.shape.reduce((p, d) => p * d, 1);

/**
 * Rows `order[from…to)` of a column (or rows from…to when `order` is null) as one tensor
 * [to − from, …shape], converted to `dtype` (int32 for sparse labels and token ids).
 */
export function gatherRows(col: Column, order: Int32Array | null, from: number, to: number, dtype: 'float32' | 'int32'): tf.Tensor {
  const size = sampleSize(col);
  const n = to - from;
  const out = dtype === 'int32' ? new Int32Array(n * size) : new Float32Array(n * size);
  const src = col.values;
  if (size === 1) {
    for (let i = 0; i < n; i++) out[i] = src[order ? order[from + i]! : from + i]!;
  } else {
    for (let i = 0; i < n; i++) {
      const row = order ? order[from + i]! : from + i;
      out.set(src.subarray(row * size, (row + 1) * size), i * size);
    }
  }
  return tf.tensor(out, [n, ...col.shape], dtype);
}
