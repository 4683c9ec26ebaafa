// Exact t-SNE (van der Maaten & Hinton 2008) for the embedding projector, O(N²) per step, for up
// to a few thousand points: perplexity-calibrated Gaussian affinities, Student-t in 2-D, early
// exaggeration, momentum and per-coordinate gains, with sklearn's defaults. Deterministic for a seed.
import { EvalInputError, checkCount, checkFinite } from './input.js';
import { pca } from './projection.js';
import { rng } from '../random.js';

export interface TsneOptions {
  /** Effective number of neighbours. Default 30 (capped at (N − 1) / 3). */
  readonly perplexity?: number;
  /** Default 1000. */
  readonly iterations?: number;
  /** 'pca' (default, as sklearn ≥ 1.2): first two principal components scaled to std 1e-4; 'random': seeded N(0, 1e-4²). */
  readonly init?: 'pca' | 'random';
  readonly seed?: number;
  /** Default max(N / 12 / 4, 50), sklearn's learning_rate="auto". */
  readonly learningRate?: number;
  /** Called every 50 iterations with the iteration number (for a progress bar). */
  readonly onProgress?: (iteration: number) => void;
}

/** Largest N accepted: the affinity matrices take 2·N² doubles (≈ 260 MB at 4,000). */
export const TSNE_MAX_POINTS = 4000;

const EXAGGERATION = 12;
const EXAGGERATION_ITERATIONS = 250;

/** Row-wise conditional affinities P(j|i) with each row's entropy matched to log(perplexity) by bisection on β. */
function conditionalAffinities(dist: Float64Array, n: number, perplexity: number): Float64Array {
  const p = new Float64Array(n * n);
  const target = Math.log(perplexity);
  for (let i = 0; i < n; i++) {
    let beta = 1;
    let lo = -Infinity;
    let hi = Infinity;
    for (let step = 0; step < 100; step++) {
      let sum = 0;
      let weighted = 0;
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        const e = Math.exp(-dist[i * n + j]! * beta);
        p[i * n + j] = e;
        sum += e;
        weighted += dist[i * n + j]! * e;
      }
      sum = Math.max(sum, 1e-300);
      const entropy = Math.log(sum) + (beta * weighted) / sum;
      for (let j = 0; j < n; j++) p[i * n + j]! /= sum;
      if (Math.abs(entropy - target) < 1e-5) break;
      if (entropy > target) {
        lo = beta;
        beta = hi === Infinity ? beta * 2 : (beta + hi) / 2;
      } else {
        hi = beta;
        beta = lo === -Infinity ? beta / 2 : (beta + lo) / 2;
      }
    }
  }
  return p;
}

/**
 * Embeds N points of dimension D in 2-D. Returns N×2 row-major coordinates.
 * @example const y = tsne(activations, 500, 64, { seed: 1 }); // y[2i], y[2i + 1]
 */
export function tsne(x: Float32Array | Float64Array, n: number, d: number, options: TsneOptions = {}): Float32Array {
  checkCount(n, 4, 'n (samples)');
  checkCount(d, 1, 'd (dimensions)');
  if (n > TSNE_MAX_POINTS) throw new EvalInputError(`t-SNE here is exact (O(N²)); at most ${TSNE_MAX_POINTS} points, got ${n}: sample a subset`, 'n (samples)');
  if (x.length !== n * d) throw new EvalInputError(`has ${x.length} values, expected n × d = ${n * d}`, 'x');
  checkFinite(x, 'x');
  const perplexity = Math.min(options.perplexity ?? 30, (n - 1) / 3);
  if (!(perplexity > 1)) throw new EvalInputError(`must be > 1, got ${perplexity}`, 'perplexity');
  const iterations = options.iterations ?? 1000;
  const eta = options.learningRate ?? Math.max(n / EXAGGERATION / 4, 50);

  // Squared Euclidean distances, then the symmetric joint P = (P(j|i) + P(i|j)) / 2N.
  const dist = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += (x[i * d + k]! - x[j * d + k]!) ** 2;
      dist[i * n + j] = dist[j * n + i] = s;
    }
  }
  const cond = conditionalAffinities(dist, n, perplexity);
  const P = dist; // reuse the buffer
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) P[i * n + j] = i === j ? 0 : Math.max((cond[i * n + j]! + cond[j * n + i]!) / (2 * n), 1e-12);

  const y = new Float64Array(n * 2);
  if ((options.init ?? 'pca') === 'pca' && d >= 2) {
    const proj = pca(x, n, d, 2, { seed: options.seed ?? 0 }).projected;
    let sq = 0;
    for (let i = 0; i < n; i++) sq += proj[i * 2]! ** 2;
    const scale = 1e-4 / Math.max(Math.sqrt(sq / n), 1e-300);
    for (let k = 0; k < 2 * n; k++) y[k] = proj[k]! * scale;
  } else {
    const r = rng(options.seed ?? 0);
    for (let k = 0; k < 2 * n; k++) y[k] = 1e-4 * Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  }

  const update = new Float64Array(2 * n);
  const gains = new Float64Array(2 * n).fill(1);
  const grad = new Float64Array(2 * n);
  const q = cond; // reuse: unnormalised Student-t kernel 1 / (1 + |yi − yj|²)
  for (let it = 0; it < iterations; it++) {
    const exaggeration = it < EXAGGERATION_ITERATIONS ? EXAGGERATION : 1;
    const momentum = it < EXAGGERATION_ITERATIONS ? 0.5 : 0.8;
    let z = 0;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const w = 1 / (1 + (y[2 * i]! - y[2 * j]!) ** 2 + (y[2 * i + 1]! - y[2 * j + 1]!) ** 2);
        q[i * n + j] = q[j * n + i] = w;
        z += 2 * w;
      }
    }
    grad.fill(0);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (i === j) continue;
        const w = q[i * n + j]!;
        const f = 4 * (exaggeration * P[i * n + j]! - w / z) * w; // dC/dy_i = 4 Σ (p − q) w (y_i − y_j)
        grad[2 * i]! += f * (y[2 * i]! - y[2 * j]!);
        grad[2 * i + 1]! += f * (y[2 * i + 1]! - y[2 * j + 1]!);
      }
    }
    for (let k = 0; k < 2 * n; k++) {
      // Delta-bar-delta gains: grow where the step keeps its direction, shrink where it flips.
      gains[k] = update[k]! * grad[k]! < 0 ? gains[k]! + 0.2 : Math.max(gains[k]! * 0.8, 0.01);
      update[k] = momentum * update[k]! - eta * gains[k]! * grad[k]!;
      y[k]! += update[k]!;
    }
    if (options.onProgress && it % 50 === 0) options.onProgress(it);
  }
  return Float32Array.from(y);
}
