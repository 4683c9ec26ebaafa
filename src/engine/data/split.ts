// Building and splitting Splits: gathering rows, and seeded, stratified train/validation/test
// partitions (the trainer carves validation from `train` with `validationSplit`).
import { DatasetError, type Column, type Split } from './types.js';
import { range, rng, shuffle } from './random.js';

/** Elements per sample of a column. */
export const sampleSize = (c: Column): number => c.shape.reduce((a, b) => a * b, 1);

/** A float32 column. */
export const floatColumn = (values: Float32Array, shape: readonly number[]): Column => ({ values, shape, dtype: 'float32' });

/** An int32 column. */
export const intColumn = (values: Int32Array, shape: readonly number[]): Column => ({ values, shape, dtype: 'int32' });

/** A Split, checking that both columns hold `count` samples. */
export function makeSplit(x: Column, y: Column, count: number): Split {
  if (x.values.length !== count * sampleSize(x) || y.values.length !== count * sampleSize(y)) {
    throw new Error(`internal: split columns do not hold ${count} samples`);
  }
  return { x, y, count };
}

function gatherColumn(c: Column, indices: ArrayLike<number>): Column {
  const size = sampleSize(c);
  const out = c.dtype === 'int32' ? new Int32Array(indices.length * size) : new Float32Array(indices.length * size);
  for (let i = 0; i < indices.length; i++) {
    const s = indices[i]!;
    out.set(c.values.subarray(s * size, (s + 1) * size), i * size);
  }
  return { values: out, shape: c.shape, dtype: c.dtype };
}

/**
 * The samples at `indices`, in that order (a copy).
 *
 * @example
 * const firstTen = takeRows(ds.train, range(10));
 */
export function takeRows(split: Split, indices: ArrayLike<number>): Split {
  return { x: gatherColumn(split.x, indices), y: gatherColumn(split.y, indices), count: indices.length };
}

/** Class ids of a split when `y` is one int32 per sample; null otherwise (regression, sequences). */
export function classLabels(split: Split): Int32Array | null {
  return split.y.dtype === 'int32' && split.y.shape.length === 0 ? (split.y.values as Int32Array) : null;
}

function checkFractions(fractions: readonly number[]): void {
  const sum = fractions.reduce((a, b) => a + b, 0);
  if (fractions.length === 0 || fractions.some((f) => !(f >= 0)) || Math.abs(sum - 1) > 1e-9) {
    throw new DatasetError(`split fractions must be ≥ 0 and add up to 1, got [${fractions.join(', ')}]`);
  }
}

/** Largest-remainder rounding of n·f (ties go to the earlier part), so the parts add up to n. */
export function apportion(n: number, fractions: readonly number[]): number[] {
  const exact = fractions.map((f) => n * f);
  const counts = exact.map(Math.floor);
  let left = n - counts.reduce((a, b) => a + b, 0);
  const order = exact.map((e, k) => ({ k, rem: e - Math.floor(e) })).sort((a, b) => b.rem - a.rem || a.k - b.k);
  for (let i = 0; left > 0; i++, left--) counts[order[i % order.length]!.k]! += 1;
  return counts;
}

/**
 * Sample indices for each part. With `labels`, each class is shuffled and cut by `fractions`
 * on its own (largest remainder per class), so every part keeps the class proportions and the
 * part sizes are within (number of classes) of n·f. Without labels, one shuffle is cut.
 * Each part's indices come out shuffled.
 *
 * @example
 * const [train, test] = stratifiedIndices(labels, labels.length, [0.8, 0.2], 1);
 */
export function stratifiedIndices(labels: ArrayLike<number> | null, count: number, fractions: readonly number[], seed: number): Int32Array[] {
  checkFractions(fractions);
  const r = rng(seed);
  const parts: number[][] = fractions.map(() => []);
  const groups = new Map<number, number[]>();
  for (let i = 0; i < count; i++) {
    const key = labels ? labels[i]! : 0;
    const g = groups.get(key);
    if (g) g.push(i);
    else groups.set(key, [i]);
  }
  for (const key of [...groups.keys()].sort((a, b) => a - b)) {
    const members = shuffle(groups.get(key)!, r);
    let start = 0;
    apportion(members.length, fractions).forEach((n, k) => {
      const part = parts[k]!;
      for (let i = start; i < start + n; i++) part.push(members[i]!);
      start += n;
    });
  }
  return parts.map((p) => shuffle(Int32Array.from(p), r));
}

/**
 * Splits a Split into parts by `fractions` (adding up to 1), seeded, stratified by class when
 * `y` holds one class id per sample. The same (split, fractions, seed) gives the same parts.
 *
 * @example
 * const [train, validation] = splitStratified(ds.train, [0.9, 0.1], project.training.seed ?? 0);
 */
export function splitStratified(split: Split, fractions: readonly number[], seed: number): Split[] {
  return stratifiedIndices(classLabels(split), split.count, fractions, seed).map((idx) => takeRows(split, idx));
}

/**
 * Carves a validation part off a training split (the trainer's `validationSplit`).
 *
 * @example
 * const { train, validation } = carveValidation(ds.train, 0.2, 1);
 */
export function carveValidation(split: Split, validationSplit: number, seed: number): { train: Split; validation: Split | null } {
  if (!(validationSplit >= 0 && validationSplit < 1)) throw new DatasetError(`validationSplit must be in [0, 1), got ${validationSplit}`);
  if (validationSplit === 0) return { train: split, validation: null };
  const [train, validation] = splitStratified(split, [1 - validationSplit, validationSplit], seed);
  return { train: train!, validation: validation! };
}

/** A split with its samples in a seeded random order. */
export function shuffled(split: Split, seed: number): Split {
  return takeRows(split, shuffle(range(split.count), rng(seed)));
}
