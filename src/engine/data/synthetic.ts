// Teaching sets: small 2-D problems generated from a seed (spiral, circles, XOR, Gaussian
// clusters, a regression plane). x is [2] float32; y is a class id (int32, []) or, for the
// plane, a float target [1]. Same (kind, options) → same samples, bit for bit.
import { DatasetError, type Dataset } from './types.js';
import { apportion, floatColumn, intColumn, makeSplit, splitStratified } from './split.js';
import { gaussian, rng, type Rng } from './random.js';

export type SyntheticKind = 'spiral' | 'circles' | 'xor' | 'clusters' | 'plane';

export interface SyntheticOptions {
  /** Samples in all (train + test). Default 1000; at most 1,000,000. */
  readonly n?: number;
  /** Std of Gaussian noise added to each coordinate (to the target for `plane`). Default 0.1. */
  readonly noise?: number;
  /** Default 1. */
  readonly seed?: number;
  /** Classes for spiral (arms), circles (rings) and clusters. Default 2 (3 for clusters); xor is always 2. */
  readonly classes?: number;
  /** Held-out fraction, stratified. Default 0.2. */
  readonly testFraction?: number;
}

interface Generator {
  readonly task: 'classification' | 'regression';
  readonly defaultClasses: number;
  readonly fixedClasses?: number;
  /** Sample i of `ofClass` samples in class `c` (of k): writes x (2 values) and returns y. */
  point(r: Rng, c: number, i: number, ofClass: number, k: number, x: Float32Array, noise: number): number;
}

/** Plane coefficients: y = 0.5·x₀ − 0.3·x₁ + 0.2 + noise. */
export const PLANE = { w0: 0.5, w1: -0.3, b: 0.2 } as const;

const uniform = (r: Rng) => 2 * r() - 1;

const GENERATORS = {
  // Arm c: radius t ∈ [0, 1), angle 2πc/k + 4t, then coordinate noise.
  spiral: {
    task: 'classification',
    defaultClasses: 2,
    point(r, c, i, ofClass, k, x, noise) {
      const t = i / ofClass;
      const angle = (2 * Math.PI * c) / k + 4 * t;
      x[0] = t * Math.cos(angle) + noise * gaussian(r);
      x[1] = t * Math.sin(angle) + noise * gaussian(r);
      return c;
    },
  },
  // Ring c has radius (c + 1) / k; the angle is uniform.
  circles: {
    task: 'classification',
    defaultClasses: 2,
    point(r, c, _i, _n, k, x, noise) {
      const angle = 2 * Math.PI * r();
      const radius = (c + 1) / k;
      x[0] = radius * Math.cos(angle) + noise * gaussian(r);
      x[1] = radius * Math.sin(angle) + noise * gaussian(r);
      return c;
    },
  },
  // Uniform in the quadrants where sign(x₀) = sign(x₁) (class 0) or differs (class 1).
  xor: {
    task: 'classification',
    defaultClasses: 2,
    fixedClasses: 2,
    point(r, c, _i, _n, _k, x, noise) {
      const a = r() * 0.95 + 0.05;
      const b = r() * 0.95 + 0.05;
      const sa = r() < 0.5 ? -1 : 1;
      x[0] = sa * a + noise * gaussian(r);
      x[1] = (c === 0 ? sa : -sa) * b + noise * gaussian(r);
      return c;
    },
  },
  // Centre c on the unit circle at angle 2πc/k; spread = noise (at least 0.05 so clusters are not points).
  clusters: {
    task: 'classification',
    defaultClasses: 3,
    point(r, c, _i, _n, k, x, noise) {
      const angle = (2 * Math.PI * c) / k;
      const spread = Math.max(noise, 0.05);
      x[0] = Math.cos(angle) + spread * gaussian(r);
      x[1] = Math.sin(angle) + spread * gaussian(r);
      return c;
    },
  },
  plane: {
    task: 'regression',
    defaultClasses: 1,
    fixedClasses: 1,
    point(r, _c, _i, _n, _k, x, noise) {
      x[0] = uniform(r);
      x[1] = uniform(r);
      return PLANE.w0 * x[0] + PLANE.w1 * x[1] + PLANE.b + noise * gaussian(r);
    },
  },
} as const satisfies Record<SyntheticKind, Generator>;

export const SYNTHETIC_KINDS = Object.keys(GENERATORS) as SyntheticKind[];

export const isSyntheticKind = (name: string): name is SyntheticKind => Object.hasOwn(GENERATORS, name);

/**
 * Generates a teaching set. Classes are balanced (n split by largest remainder), the train/test
 * split is stratified, and both splits come out in a seeded random order.
 *
 * @example
 * const ds = makeSynthetic('spiral', { n: 600, classes: 3, noise: 0.05, seed: 7 });
 * ds.train.x.shape; // [2]
 */
export function makeSynthetic(kind: SyntheticKind, options: SyntheticOptions = {}): Dataset {
  const gen: Generator = GENERATORS[kind];
  const n = options.n ?? 1000;
  const noise = options.noise ?? 0.1;
  const seed = options.seed ?? 1;
  const k = gen.fixedClasses ?? options.classes ?? gen.defaultClasses;
  if (!Number.isInteger(n) || n < 2 || n > 1_000_000) throw new DatasetError(`n must be an integer in [2, 1000000], got ${n}`, kind);
  if (!(noise >= 0 && noise <= 10)) throw new DatasetError(`noise must be in [0, 10], got ${noise}`, kind);
  if (!Number.isInteger(k) || k < 1 || k > 32 || (gen.task === 'classification' && k < 2)) {
    throw new DatasetError(`classes must be an integer in [2, 32], got ${k}`, kind);
  }
  if (gen.fixedClasses !== undefined && options.classes !== undefined && options.classes !== gen.fixedClasses) {
    throw new DatasetError(`${kind} always has ${gen.fixedClasses === 1 ? 'a float target' : `${gen.fixedClasses} classes`}`, kind);
  }
  const r = rng(seed);
  const x = new Float32Array(n * 2); // (n, 2)
  const labels = new Int32Array(n);
  const targets = new Float32Array(n);
  const point = new Float32Array(2);
  let s = 0;
  apportion(n, Array.from({ length: k }, () => 1 / k)).forEach((ofClass, c) => {
    for (let i = 0; i < ofClass; i++, s++) {
      const y = gen.point(r, c, i, ofClass, k, point, noise);
      x.set(point, s * 2);
      labels[s] = c;
      targets[s] = y;
    }
  });
  const classification = gen.task === 'classification';
  const all = classification
    ? makeSplit(floatColumn(x, [2]), intColumn(labels, []), n)
    : makeSplit(floatColumn(x, [2]), floatColumn(targets, [1]), n);
  const testFraction = options.testFraction ?? 0.2;
  if (!(testFraction >= 0 && testFraction < 1)) throw new DatasetError(`testFraction must be in [0, 1), got ${testFraction}`, kind);
  const [train, test] = splitStratified(all, [1 - testFraction, testFraction], seed + 1);
  return {
    name: kind,
    task: gen.task,
    ...(classification ? { classes: Array.from({ length: k }, (_, c) => String(c)) } : {}),
    train: train!,
    test: testFraction > 0 ? test! : null,
  };
}
