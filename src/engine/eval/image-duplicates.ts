// Near-duplicate images as the dataset explorer reports them: dHash candidates (image-hash.ts)
// confirmed on 16×16 thumbnails, because a 64-bit hash of small, similar images (MNIST digits)
// collides for images a person would call different.
import { differenceHashes, hammingDistance, luminanceResampler, nearDuplicates, type ImageBatch, type NearDuplicates } from './image-hash.js';
import { EvalInputError } from './input.js';

export const THUMB_SIZE = 16;

export interface ImageDuplicateOptions {
  /** Largest Hamming distance between 64-bit dHashes for a candidate pair. Default 4. */
  readonly maxHashDistance?: number;
  /** Smallest Pearson correlation of the two 16×16 thumbnails (brightness and contrast do not matter). Default 0.98. */
  readonly minCorrelation?: number;
}

/** 16×16 area-averaged luminance per image, each standardised to mean 0 and norm 1 (all 0 when flat). */
export function thumbnails(batch: ImageBatch): Float32Array {
  const resample = luminanceResampler(batch, THUMB_SIZE, THUMB_SIZE);
  const cells = THUMB_SIZE * THUMB_SIZE;
  const out = new Float32Array(batch.count * cells);
  for (let n = 0; n < batch.count; n++) {
    const grid = resample(n);
    let mean = 0;
    for (let k = 0; k < cells; k++) mean += grid[k]!;
    mean /= cells;
    let norm = 0;
    for (let k = 0; k < cells; k++) norm += (grid[k]! - mean) ** 2;
    norm = Math.sqrt(norm);
    if (norm > 1e-9 * cells) for (let k = 0; k < cells; k++) out[n * cells + k] = (grid[k]! - mean) / norm;
  }
  return out;
}

/**
 * Pearson correlation of thumbnails i and j (a dot product: thumbnails are standardised); two
 * flat images correlate 1 with each other, 0 with anything else.
 */
export function thumbnailCorrelation(thumbs: Float32Array, i: number, j: number): number {
  const cells = THUMB_SIZE * THUMB_SIZE;
  let dot = 0;
  for (let k = 0; k < cells; k++) dot += thumbs[i * cells + k]! * thumbs[j * cells + k]!;
  if (dot !== 0) return dot;
  const flat = (n: number) => thumbs.subarray(n * cells, (n + 1) * cells).every((v) => v === 0);
  return flat(i) && flat(j) ? 1 : 0;
}

/**
 * Groups of near-duplicate images: horizontal and vertical dHashes each within `maxHashDistance`
 * bits AND thumbnails correlated at least `minCorrelation` (all must hold). Exact copies are always found.
 * @example nearDuplicateImages({ values: x, count: 1000, height: 28, width: 28, channels: 1 }).groups
 */
export function nearDuplicateImages(batch: ImageBatch, options: ImageDuplicateOptions = {}): NearDuplicates {
  const minCorrelation = options.minCorrelation ?? 0.98;
  if (!(minCorrelation >= -1 && minCorrelation <= 1)) throw new EvalInputError(`must be in [-1, 1], got ${minCorrelation}`, 'minCorrelation');
  const maxDistance = options.maxHashDistance ?? 4;
  const hashes = differenceHashes(batch); // checks the batch first
  // The vertical dHash is a cheap second filter (two popcounts) before the 256-value correlation.
  const vertical = differenceHashes(batch, 'vertical');
  const thumbs = thumbnails(batch);
  return nearDuplicates(hashes, maxDistance, (i, j) => hammingDistance(vertical, i, j) <= maxDistance && thumbnailCorrelation(thumbs, i, j) >= minCorrelation);
}
