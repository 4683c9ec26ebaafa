// Teaching sets (spiral, circles, XOR, clusters, plane) and Iris: shapes, class balance,
// determinism per seed, and that each set has the structure its name promises.
import { describe, expect, it } from 'vitest';
import { makeSynthetic, PLANE, SYNTHETIC_KINDS, type SyntheticKind } from '../../src/engine/data/synthetic.js';
import { loadIris } from '../../src/engine/data/iris.js';
import { DatasetError, type Split } from '../../src/engine/data/types.js';

const counts = (s: Split, k: number) => Array.from({ length: k }, (_, c) => s.y.values.filter((v) => v === c).length);
const point = (s: Split, i: number) => [s.x.values[i * 2]!, s.x.values[i * 2 + 1]!] as const;

describe('synthetic 2-D sets', () => {
  it.each(SYNTHETIC_KINDS.filter((k) => k !== 'plane'))('%s: x [2] float32, balanced int32 classes, 80/20 stratified', (kind) => {
    const ds = makeSynthetic(kind as SyntheticKind, { n: 600, seed: 3 });
    const k = ds.classes!.length;
    expect(ds.task).toBe('classification');
    expect(ds.train.x).toMatchObject({ shape: [2], dtype: 'float32' });
    expect(ds.train.y).toMatchObject({ shape: [], dtype: 'int32' });
    expect(ds.train.count + ds.test!.count).toBe(600);
    expect(ds.test!.count).toBe(120);
    const all = counts(ds.train, k).map((c, i) => c + counts(ds.test!, k)[i]!);
    expect(all.every((c) => Math.abs(c - 600 / k) <= 1)).toBe(true);
    expect(counts(ds.test!, k).every((c) => Math.abs(c - 120 / k) <= 1)).toBe(true);
  });

  it('is deterministic per seed and differs across seeds', () => {
    const a = makeSynthetic('spiral', { n: 300, seed: 5, classes: 3 });
    const b = makeSynthetic('spiral', { n: 300, seed: 5, classes: 3 });
    const c = makeSynthetic('spiral', { n: 300, seed: 6, classes: 3 });
    expect(b.train.x.values).toEqual(a.train.x.values);
    expect(b.test!.y.values).toEqual(a.test!.y.values);
    expect(c.train.x.values).not.toEqual(a.train.x.values);
  });

  it('spiral has k arms; circles puts class c at radius (c + 1) / k; noise 0 is exact', () => {
    expect(makeSynthetic('spiral', { classes: 4 }).classes).toHaveLength(4);
    const ds = makeSynthetic('circles', { n: 400, noise: 0, classes: 2, testFraction: 0 });
    expect(ds.test).toBeNull();
    for (let i = 0; i < ds.train.count; i++) {
      const [x, y] = point(ds.train, i);
      expect(Math.hypot(x, y)).toBeCloseTo((ds.train.y.values[i]! + 1) / 2, 5);
    }
  });

  it('xor labels follow the sign rule when noise is 0', () => {
    const ds = makeSynthetic('xor', { n: 500, noise: 0 });
    for (let i = 0; i < ds.train.count; i++) {
      const [x, y] = point(ds.train, i);
      expect(ds.train.y.values[i]).toBe(x * y > 0 ? 0 : 1);
    }
  });

  it('clusters sit around k centres on the unit circle', () => {
    const ds = makeSynthetic('clusters', { n: 900, classes: 3, noise: 0.05, seed: 2 });
    for (let c = 0; c < 3; c++) {
      const members = Array.from({ length: ds.train.count }, (_, i) => i).filter((i) => ds.train.y.values[i] === c);
      const mean = [0, 1].map((d) => members.reduce((s, i) => s + point(ds.train, i)[d]!, 0) / members.length);
      expect(mean[0]).toBeCloseTo(Math.cos((2 * Math.PI * c) / 3), 1);
      expect(mean[1]).toBeCloseTo(Math.sin((2 * Math.PI * c) / 3), 1);
    }
  });

  it('plane is regression: y [1] float32 = 0.5·x₀ − 0.3·x₁ + 0.2 (+ noise)', () => {
    const ds = makeSynthetic('plane', { n: 200, noise: 0 });
    expect(ds.task).toBe('regression');
    expect(ds.classes).toBeUndefined();
    expect(ds.train.y).toMatchObject({ shape: [1], dtype: 'float32' });
    for (let i = 0; i < ds.train.count; i++) {
      const [x0, x1] = point(ds.train, i);
      expect(ds.train.y.values[i]).toBeCloseTo(PLANE.w0 * x0 + PLANE.w1 * x1 + PLANE.b, 5);
    }
    const noisy = makeSynthetic('plane', { n: 2000, noise: 0.5 });
    const residual = Array.from({ length: noisy.train.count }, (_, i) => {
      const [x0, x1] = point(noisy.train, i);
      return noisy.train.y.values[i]! - (PLANE.w0 * x0 + PLANE.w1 * x1 + PLANE.b);
    });
    const std = Math.sqrt(residual.reduce((s, r) => s + r * r, 0) / residual.length);
    expect(std).toBeGreaterThan(0.45);
    expect(std).toBeLessThan(0.55);
  });

  it('refuses impossible settings with a DatasetError', () => {
    expect(() => makeSynthetic('spiral', { n: 1 })).toThrow(/n must be an integer in \[2, 1000000\], got 1/);
    expect(() => makeSynthetic('spiral', { classes: 1 })).toThrow(/classes must be an integer in \[2, 32\], got 1/);
    expect(() => makeSynthetic('xor', { classes: 3 })).toThrow(/xor always has 2 classes/);
    expect(() => makeSynthetic('circles', { noise: -1 })).toThrow(DatasetError);
  });
});

describe('Iris', () => {
  const ds = loadIris();

  it('is 150 flowers, 4 features, 3 classes, split 120/30 with 40/10 per species', () => {
    expect(ds.name).toBe('iris');
    expect(ds.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(ds.train.x).toMatchObject({ shape: [4], dtype: 'float32' });
    expect(ds.train.count).toBe(120);
    expect(ds.test!.count).toBe(30);
    expect(counts(ds.train, 3)).toEqual([40, 40, 40]);
    expect(counts(ds.test!, 3)).toEqual([10, 10, 10]);
  });

  it('standardises with TRAINING statistics: train features have mean 0 and std 1, test ones do not exactly', () => {
    for (let f = 0; f < 4; f++) {
      const col = (s: Split) => Array.from({ length: s.count }, (_, i) => s.x.values[i * 4 + f]!);
      const train = col(ds.train);
      const mean = train.reduce((a, b) => a + b, 0) / train.length;
      const std = Math.sqrt(train.reduce((a, b) => a + (b - mean) ** 2, 0) / train.length);
      expect(mean).toBeCloseTo(0, 5);
      expect(std).toBeCloseTo(1, 5);
      const testMean = col(ds.test!).reduce((a, b) => a + b, 0) / ds.test!.count;
      expect(Math.abs(testMean)).toBeGreaterThan(1e-4);
    }
    const pre = ds.preprocessing!;
    if (pre.kind !== 'table') throw new Error('expected table preprocessing');
    expect(pre.features.map((f) => f.column)).toEqual(['sepal_length', 'sepal_width', 'petal_length', 'petal_width']);
    const sepal = pre.features[0]!;
    expect(sepal.kind === 'numeric' && sepal.mean > 5 && sepal.mean < 6.5 && sepal.std > 0.6 && sepal.std < 1).toBe(true);
  });

  it('is deterministic per seed', () => {
    expect(loadIris().train.x.values).toEqual(ds.train.x.values);
    expect(loadIris({ seed: 2 }).train.x.values).not.toEqual(ds.train.x.values);
  });
});
