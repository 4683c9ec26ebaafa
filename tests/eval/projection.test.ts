// PCA against sklearn.decomposition.PCA (components up to sign, variances, projections) and
// t-SNE judged by sklearn.manifold.trustworthiness on our output plus cluster separation.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeMnistBinary } from '../../src/engine/data/mnist.js';
import { pca } from '../../src/engine/eval/projection.js';
import { tsne } from '../../src/engine/eval/tsne.js';
import { rng } from '../../src/engine/random.js';
import { PY_PRELUDE, gaussian, list, sklearn } from './fixtures.js';

interface PcaCase {
  readonly name: string;
  readonly n: number;
  readonly d: number;
  readonly k: number;
  readonly x: Float32Array;
}

/** Gaussian data with per-dimension scales (distinct variances) and a random rotation mixed in. */
function anisotropic(name: string, n: number, d: number, k: number, seed: number): PcaCase {
  const r = rng(seed);
  const mix = Float64Array.from({ length: d * d }, () => gaussian(r));
  const z = Float64Array.from({ length: n * d }, (_, i) => gaussian(r) * (d - (i % d)) + 3);
  const x = new Float32Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) for (let t = 0; t < d; t++) x[i * d + j]! += z[i * d + t]! * mix[t * d + j]!;
  return { name, n, d, k, x };
}

const mnist = decodeMnistBinary(new Uint8Array(readFileSync(join(import.meta.dirname, '../../public/data/mnist.bin'))));
const pcaCases: PcaCase[] = [
  anisotropic('200 × 5, k = 3', 200, 5, 3, 31),
  anisotropic('300 × 40, k = 5', 300, 40, 5, 32),
  anisotropic('fewer samples than dimensions: 20 × 30, k = 4', 20, 30, 4, 33),
  anisotropic('all components: 50 × 4, k = 4', 50, 4, 4, 34),
  // Every 20th real digit (the file is sorted by class), pixels in [0, 1].
  { name: '500 MNIST digits × 784, k = 3', n: 500, d: 784, k: 3, x: Float32Array.from({ length: 500 * 784 }, (_, i) => mnist.pixels[Math.floor(i / 784) * 20 * 784 + (i % 784)]! / 255) },
];

/** Four well-separated Gaussian clusters in 10-D, 60 points each. */
function clusters(seed: number): { x: Float32Array; labels: number[] } {
  const r = rng(seed);
  const centres = Array.from({ length: 4 }, () => Array.from({ length: 10 }, () => 8 * gaussian(r)));
  const labels = Array.from({ length: 240 }, (_, i) => i % 4);
  return { x: Float32Array.from({ length: 2400 }, (_, k) => centres[labels[Math.floor(k / 10)]!]![k % 10]! + gaussian(r)), labels };
}
const blobs = clusters(41);

const SCRIPT = `${PY_PRELUDE}
from sklearn.decomposition import PCA
from sklearn.manifold import trustworthiness, TSNE
res = {'pca': [], 'trust': []}
for c in data['pca']:
    X = np.array(c['x'], dtype=np.float64).reshape(c['n'], c['d'])
    p = PCA(n_components=c['k'], svd_solver='full').fit(X)
    res['pca'].append({'components': p.components_.ravel(), 'var': p.explained_variance_, 'ratio': p.explained_variance_ratio_, 'proj': p.transform(X).ravel()})
X = np.array(data['blobs'], dtype=np.float64).reshape(-1, 10)
for y in data['embeddings']:
    res['trust'].append(trustworthiness(X, np.array(y).reshape(-1, 2), n_neighbors=5))
res['sklearn_tsne'] = trustworthiness(X, TSNE(random_state=0).fit_transform(X), n_neighbors=5)
res['random'] = trustworthiness(X, np.random.RandomState(0).randn(len(X), 2), n_neighbors=5)
out(res)
`;

describe('PCA vs sklearn and t-SNE trustworthiness', () => {
  let sk: { pca: { components: number[]; var: number[]; ratio: number[]; proj: number[] }[]; trust: number[]; sklearn_tsne: number; random: number };
  const ours = pcaCases.map((c) => pca(c.x, c.n, c.d, c.k));
  const t0 = performance.now();
  const embedPca = tsne(blobs.x, 240, 10, { seed: 1 });
  const tsneMs = performance.now() - t0;
  const embedRandom = tsne(blobs.x, 240, 10, { seed: 2, init: 'random' });

  beforeAll(() => {
    sk = sklearn(SCRIPT, { pca: pcaCases.map((c) => ({ n: c.n, d: c.d, k: c.k, x: list(c.x) })), blobs: list(blobs.x), embeddings: [list(embedPca), list(embedRandom)] });
  });

  it.each(pcaCases.map((c, i) => [c.name, i] as const))('%s: components up to sign, explained variance and ratio, projections', (_name, i) => {
    const c = pcaCases[i]!;
    const r = ours[i]!;
    const s = sk.pca[i]!;
    for (let comp = 0; comp < c.k; comp++) {
      const mine = list(r.components.subarray(comp * c.d, (comp + 1) * c.d));
      const theirs = s.components.slice(comp * c.d, (comp + 1) * c.d);
      const sign = Math.sign(mine.reduce((acc, v, j) => acc + v * theirs[j]!, 0));
      mine.forEach((v, j) => expect(Math.abs(sign * v - theirs[j]!), `component ${comp}[${j}]`).toBeLessThan(1e-6));
      for (let n = 0; n < c.n; n++) expect(Math.abs(sign * r.projected[n * c.k + comp]! - s.proj[n * c.k + comp]!)).toBeLessThan(1e-4 * Math.max(1, Math.abs(s.proj[n * c.k + comp]!)));
      expect(r.explainedVariance[comp]!).toBeCloseTo(s.var[comp]!, 8 - Math.ceil(Math.log10(Math.max(1, s.var[comp]!))));
      expect(r.explainedVarianceRatio[comp]!).toBeCloseTo(s.ratio[comp]!, 9);
    }
  });

  it('puts the largest-|·| entry of each component positive (deterministic sign)', () => {
    for (const [i, r] of ours.entries()) {
      const d = pcaCases[i]!.d;
      for (let c = 0; c < pcaCases[i]!.k; c++) {
        const comp = list(r.components.subarray(c * d, (c + 1) * d));
        expect(comp.reduce((a, b) => (Math.abs(b) > Math.abs(a) ? b : a), 0)).toBeGreaterThan(0);
      }
    }
  });

  it(`t-SNE keeps neighbourhoods (trustworthiness ≥ 0.95 and within 0.01 of sklearn's own TSNE) and separates the four clusters`, () => {
    console.log(`t-SNE 240 points × 1000 iterations: ${tsneMs.toFixed(0)} ms; trustworthiness ${sk.trust.map((t) => t.toFixed(4)).join(', ')}; sklearn TSNE ${sk.sklearn_tsne.toFixed(4)}; random points ${sk.random.toFixed(4)}`);
    expect(sk.random).toBeLessThan(0.7); // the measure can tell a bad embedding
    for (const [k, y] of [embedPca, embedRandom].entries()) {
      expect(sk.trust[k]!).toBeGreaterThanOrEqual(0.95);
      expect(sk.trust[k]!).toBeGreaterThanOrEqual(sk.sklearn_tsne - 0.01);
      // Nearest neighbour in the embedding has the same cluster label, for every point.
      let agree = 0;
      for (let i = 0; i < 240; i++) {
        let best = -1;
        let bestD = Infinity;
        for (let j = 0; j < 240; j++) {
          const dd = (y[2 * i]! - y[2 * j]!) ** 2 + (y[2 * i + 1]! - y[2 * j + 1]!) ** 2;
          if (j !== i && dd < bestD) [best, bestD] = [j, dd];
        }
        if (blobs.labels[best] === blobs.labels[i]) agree++;
      }
      expect(agree).toBe(240);
    }
  });

  it('t-SNE is deterministic for a seed, and the seed matters for random init', () => {
    expect(list(tsne(blobs.x, 240, 10, { seed: 1, iterations: 100 }))).toEqual(list(tsne(blobs.x, 240, 10, { seed: 1, iterations: 100 })));
    expect(list(tsne(blobs.x, 240, 10, { seed: 3, init: 'random', iterations: 50 }))).not.toEqual(list(tsne(blobs.x, 240, 10, { seed: 4, init: 'random', iterations: 50 })));
  });

  it('refuses bad input, naming it', () => {
    expect(() => pca(new Float32Array(6), 3, 2, 3)).toThrow(/k \(components\): must be ≤ min\(samples, dimensions\) = 2, got 3/);
    expect(() => pca(Float32Array.of(1, NaN, 3, 4), 2, 2, 1)).toThrow(/x: value NaN at index 1/);
    expect(() => tsne(new Float32Array(5000 * 2), 5000, 2)).toThrow(/at most 4000 points, got 5000/);
  });
});
