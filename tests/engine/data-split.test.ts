// Seeded, stratified splitting: proportions per class, exact coverage, determinism, and the
// trainer's validation carve-out.
import { describe, expect, it } from 'vitest';
import { apportion, carveValidation, floatColumn, intColumn, makeSplit, shuffled, splitStratified, stratifiedIndices, takeRows } from '../../src/engine/data/split.js';
import { hashUnit, rng } from '../../src/engine/data/random.js';
import type { Split } from '../../src/engine/data/types.js';

/** 1,000 samples: class 0 ×600, class 1 ×300, class 2 ×100; x = [index, −index]. */
function imbalanced(): Split {
  const n = 1000;
  const y = Int32Array.from({ length: n }, (_, i) => (i < 600 ? 0 : i < 900 ? 1 : 2));
  const x = Float32Array.from({ length: n * 2 }, (_, k) => (k % 2 === 0 ? k / 2 : -(k - 1) / 2));
  return makeSplit(floatColumn(x, [2]), intColumn(y, []), n);
}
const classCounts = (s: Split) => [0, 1, 2].map((c) => s.y.values.filter((v) => v === c).length);

describe('splitStratified', () => {
  it('keeps each class in proportion in every part (70/20/10)', () => {
    const [a, b, c] = splitStratified(imbalanced(), [0.7, 0.2, 0.1], 9);
    expect(classCounts(a!)).toEqual([420, 210, 70]);
    expect(classCounts(b!)).toEqual([120, 60, 20]);
    expect(classCounts(c!)).toEqual([60, 30, 10]);
  });

  it('covers every sample exactly once and keeps x with its y', () => {
    const parts = splitStratified(imbalanced(), [0.5, 0.5], 1);
    const ids = parts.flatMap((p) => Array.from({ length: p.count }, (_, i) => p.x.values[i * 2]!));
    expect(new Set(ids).size).toBe(1000);
    for (const p of parts) {
      for (let i = 0; i < p.count; i++) {
        const id = p.x.values[i * 2]!;
        expect(p.x.values[i * 2 + 1]).toBe(-id);
        expect(p.y.values[i]).toBe(id < 600 ? 0 : id < 900 ? 1 : 2);
      }
    }
  });

  it('is deterministic per seed, different across seeds, and shuffles within parts', () => {
    const s = imbalanced();
    const [a] = splitStratified(s, [0.8, 0.2], 4);
    const [b] = splitStratified(s, [0.8, 0.2], 4);
    const [c] = splitStratified(s, [0.8, 0.2], 5);
    expect(b!.x.values).toEqual(a!.x.values);
    expect(c!.x.values).not.toEqual(a!.x.values);
    expect(a!.y.values.subarray(0, 50).some((v) => v !== 0)).toBe(true);
  });

  it('rounds per class by largest remainder (7 samples at 50/50 → 4/3)', () => {
    expect(apportion(7, [0.5, 0.5])).toEqual([4, 3]);
    expect(apportion(10, [1 / 3, 1 / 3, 1 / 3])).toEqual([4, 3, 3]);
    const [x, y] = stratifiedIndices(Int32Array.of(0, 0, 0, 0, 0, 0, 0), 7, [0.5, 0.5], 1);
    expect([x!.length, y!.length]).toEqual([4, 3]);
  });

  it('splits regression targets (float y) without stratifying', () => {
    const n = 100;
    const s = makeSplit(floatColumn(new Float32Array(n * 3), [3]), floatColumn(Float32Array.from({ length: n }, (_, i) => i), [1]), n);
    const [a, b] = splitStratified(s, [0.75, 0.25], 2);
    expect([a!.count, b!.count]).toEqual([75, 25]);
    expect(a!.x.shape).toEqual([3]);
  });

  it('refuses fractions that do not add up to 1', () => {
    expect(() => splitStratified(imbalanced(), [0.7, 0.2], 1)).toThrow(/add up to 1, got \[0.7, 0.2\]/);
    expect(() => splitStratified(imbalanced(), [1.2, -0.2], 1)).toThrow(/must be ≥ 0/);
  });
});

describe('carveValidation and helpers', () => {
  it('carves validationSplit off train, stratified', () => {
    const { train, validation } = carveValidation(imbalanced(), 0.2, 3);
    expect(classCounts(validation!)).toEqual([120, 60, 20]);
    expect(train.count).toBe(800);
    expect(carveValidation(imbalanced(), 0, 3).validation).toBeNull();
    expect(() => carveValidation(imbalanced(), 1, 3)).toThrow(/validationSplit must be in \[0, 1\), got 1/);
  });

  it('takeRows gathers in order; shuffled permutes deterministically', () => {
    const s = imbalanced();
    expect(Array.from(takeRows(s, [5, 2]).x.values)).toEqual([5, -5, 2, -2]);
    const a = shuffled(s, 7);
    expect(a.x.values).toEqual(shuffled(s, 7).x.values);
    expect(classCounts(a)).toEqual([600, 300, 100]);
  });

  it('rng and hashUnit are seeded and uniform enough', () => {
    const r = rng(42);
    const xs = Array.from({ length: 10_000 }, r);
    expect(xs).toEqual(Array.from({ length: 10_000 }, rng(42)));
    expect(Math.abs(xs.reduce((a, b) => a + b, 0) / xs.length - 0.5)).toBeLessThan(0.02);
    const h = Array.from({ length: 10_000 }, (_, i) => hashUnit(1, i));
    expect(h.filter((v) => v < 0.2).length).toBeGreaterThan(1800);
    expect(h.filter((v) => v < 0.2).length).toBeLessThan(2200);
  });
});
