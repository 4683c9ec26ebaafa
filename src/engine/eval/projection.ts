// PCA of activations (or any N×D table) for the embedding projector: centred, top-k principal
// axes by subspace iteration on the covariance (never formed: C·V = Xcᵀ(Xc·V)/(N−1)) with a
// Rayleigh–Ritz step, matching sklearn.decomposition.PCA up to each component's sign.
import { EvalInputError, checkCount, checkFinite } from './input.js';
import { orthonormaliseRows, symmetricEigen } from './linalg.js';
import { rng } from '../random.js';

export interface PcaResult {
  /** k×D row-major unit vectors; sign: each component's largest-|·| entry is positive. */
  readonly components: Float64Array;
  /** Variance along each component (eigenvalues of the covariance with N − 1, as sklearn). */
  readonly explainedVariance: Float64Array;
  /** explainedVariance / total variance of all D dimensions. */
  readonly explainedVarianceRatio: Float64Array;
  readonly mean: Float64Array;
  /** N×k coordinates of the centred samples on the components (what the scatter plot draws). */
  readonly projected: Float32Array;
}

export interface PcaOptions {
  /** Default 1000 subspace iterations at most. */
  readonly maxIterations?: number;
  /** Seed of the starting subspace (the result does not depend on it beyond round-off). Default 0. */
  readonly seed?: number;
}

/**
 * @param x N×D row-major samples
 * @example const { projected, explainedVarianceRatio } = pca(activations, 500, 64, 2);
 */
export function pca(x: Float32Array | Float64Array, n: number, d: number, k: number, options: PcaOptions = {}): PcaResult {
  checkCount(n, 2, 'n (samples)');
  checkCount(d, 1, 'd (dimensions)');
  checkCount(k, 1, 'k (components)');
  if (k > Math.min(n, d)) throw new EvalInputError(`must be ≤ min(samples, dimensions) = ${Math.min(n, d)}, got ${k}`, 'k (components)');
  if (x.length !== n * d) throw new EvalInputError(`has ${x.length} values, expected n × d = ${n * d}`, 'x');
  checkFinite(x, 'x');
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += x[i * d + j]!;
  for (let j = 0; j < d; j++) mean[j]! /= n;
  const xc = Float64Array.from(x, (v, idx) => v - mean[idx % d]!);
  let total = 0;
  for (const v of xc) total += v * v;
  total /= n - 1;

  // C·V for m row vectors V (m×D): Xcᵀ (Xc Vᵀ) / (N − 1).
  const covTimes = (v: Float64Array, m: number) => {
    const xv = new Float64Array(n * m); // (N, m)
    for (let i = 0; i < n; i++) {
      for (let r = 0; r < m; r++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += xc[i * d + j]! * v[r * d + j]!;
        xv[i * m + r] = s;
      }
    }
    const out = new Float64Array(m * d);
    for (let i = 0; i < n; i++) for (let r = 0; r < m; r++) for (let j = 0; j < d; j++) out[r * d + j]! += (xv[i * m + r]! * xc[i * d + j]!) / (n - 1);
    return out;
  };

  const m = Math.min(d, k + 8); // oversampled subspace: converges at the rate λ(m+1)/λ(k)
  const r = rng(options.seed ?? 0);
  let v = Float64Array.from({ length: m * d }, () => r() - 0.5);
  orthonormaliseRows(v, m, d);
  let ritz: { values: Float64Array; vectors: Float64Array } = { values: new Float64Array(m), vectors: new Float64Array(m * m) };
  const maxIterations = m === d ? 1 : (options.maxIterations ?? 1000);
  for (let it = 0; it < maxIterations; it++) {
    const cv = covTimes(v, m);
    // Rayleigh–Ritz: eigen-decompose Vᵀ C V (m×m) and rotate the basis onto its eigenvectors.
    const small = new Float64Array(m * m);
    for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) for (let j = 0; j < d; j++) small[a * m + b]! += v[a * d + j]! * cv[b * d + j]!;
    for (let a = 0; a < m; a++) for (let b = a + 1; b < m; b++) small[a * m + b] = small[b * m + a] = (small[a * m + b]! + small[b * m + a]!) / 2;
    const previous = ritz.values;
    ritz = symmetricEigen(small, m);
    const next = new Float64Array(m * d); // rotated C·V: the next basis
    for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) for (let j = 0; j < d; j++) next[a * d + j]! += ritz.vectors[a * m + b]! * cv[b * d + j]!;
    const rotated = new Float64Array(m * d);
    for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) for (let j = 0; j < d; j++) rotated[a * d + j]! += ritz.vectors[a * m + b]! * v[b * d + j]!;
    const converged = it > 0 && ritz.values.subarray(0, k).every((l, i) => Math.abs(l - previous[i]!) <= 1e-13 * Math.max(ritz.values[0]!, 1e-300));
    if (converged || it === maxIterations - 1) {
      v = rotated;
      break;
    }
    orthonormaliseRows(next, m, d);
    v = next;
  }

  const components = v.slice(0, k * d);
  for (let c = 0; c < k; c++) {
    let big = 0;
    for (let j = 1; j < d; j++) if (Math.abs(components[c * d + j]!) > Math.abs(components[c * d + big]!)) big = j;
    if (components[c * d + big]! < 0) for (let j = 0; j < d; j++) components[c * d + j] = -components[c * d + j]!;
  }
  const explainedVariance = Float64Array.from({ length: k }, (_, c) => Math.max(0, ritz.values[c]!));
  const projected = new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += xc[i * d + j]! * components[c * d + j]!;
      projected[i * k + c] = s;
    }
  }
  return { components, explainedVariance, explainedVarianceRatio: explainedVariance.map((e) => (total > 0 ? e / total : 0)), mean, projected };
}
