// Near-duplicate images: a 64-bit difference hash (dHash) per image, then every pair within a
// Hamming distance found by multi-index hashing (split the 64 bits into t + 1 chunks: two
// hashes within distance t agree exactly on at least one chunk), so the search touches
// bucket-mates only instead of all N² pairs.
import { EvalInputError, checkCount } from './input.js';

/** N images stored flat, image i at [i·h·w·c, (i+1)·h·w·c), row-major (h, w, c); any value scale. */
export interface ImageBatch {
  readonly values: Float32Array | Uint8Array | Uint8ClampedArray;
  readonly count: number;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
}

/** 64-bit hashes as pairs of uint32: hashes[2i] = bits 0–31 of image i, hashes[2i + 1] = bits 32–63. */
export type ImageHashes = Uint32Array;

const HASH_ROWS = 8;
const HASH_COLS = 9; // 8 differences per row

/** Per-axis area-averaging weights from `src` cells to `dst` cells, as parallel arrays of taps. */
function areaWeights(src: number, dst: number): { dst: Int32Array; src: Int32Array; weight: Float64Array } {
  const taps: [number, number, number][] = [];
  const scale = src / dst;
  for (let o = 0; o < dst; o++) {
    const lo = o * scale;
    const hi = lo + scale;
    for (let i = Math.floor(lo); i < Math.min(src, Math.ceil(hi)); i++) taps.push([o, i, (Math.min(hi, i + 1) - Math.max(lo, i)) / scale]);
  }
  return { dst: Int32Array.from(taps, (t) => t[0]), src: Int32Array.from(taps, (t) => t[1]), weight: Float64Array.from(taps, (t) => t[2]) };
}

/**
 * A reusable area-averaging downscaler of one image's luminance (0.299 R + 0.587 G + 0.114 B for
 * ≥ 3 channels, else channel 0) to outH × outW; `resample(n)` returns image n's grid (reused buffer).
 */
export function luminanceResampler(batch: ImageBatch, outH: number, outW: number): (n: number) => Float64Array {
  const { values, height, width, channels } = batch;
  const wy = areaWeights(height, outH);
  const wx = areaWeights(width, outW);
  const lum = new Float64Array(height * width);
  const rows = new Float64Array(outH * width);
  const out = new Float64Array(outH * outW);
  const size = height * width * channels;
  return (n) => {
    const base = n * size;
    if (channels >= 3) for (let p = 0, q = base; p < lum.length; p++, q += channels) lum[p] = 0.299 * values[q]! + 0.587 * values[q + 1]! + 0.114 * values[q + 2]!;
    else for (let p = 0, q = base; p < lum.length; p++, q += channels) lum[p] = values[q]!;
    rows.fill(0);
    for (let t = 0; t < wy.dst.length; t++) {
      const o = wy.dst[t]! * width;
      const y = wy.src[t]! * width;
      const w = wy.weight[t]!;
      for (let x = 0; x < width; x++) rows[o + x]! += w * lum[y + x]!;
    }
    out.fill(0);
    for (let r = 0; r < outH; r++) {
      for (let t = 0; t < wx.dst.length; t++) out[r * outW + wx.dst[t]!]! += wx.weight[t]! * rows[r * width + wx.src[t]!]!;
    }
    return out;
  };
}

/** [min, max] of all values. */
export function valueRange(values: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

function checkBatch(batch: ImageBatch): void {
  const { values, count, height, width, channels } = batch;
  checkCount(count, 1, 'count');
  for (const [name, v] of [['height', height], ['width', width], ['channels', channels]] as const) checkCount(v, 1, name);
  const size = height * width * channels;
  if (values.length !== count * size) throw new EvalInputError(`has ${values.length} values, expected count × height × width × channels = ${count * size}`, 'values');
}

/** 'horizontal': each cell against its right neighbour (classic dHash); 'vertical': against the cell below. */
export type HashDirection = 'horizontal' | 'vertical';

/**
 * dHash: each image to luminance (0.299 R + 0.587 G + 0.114 B when it has 3 channels, else the
 * first channel), area-averaged to 8 rows × 9 columns (9 × 8 for 'vertical'); bit r·8 + c is 1
 * when cell (r, c) is brighter than cell (r, c + 1) (vertical: (r + 1, c)) by more than
 * `deadBand` × the batch's value range (default 0.02: plain dHash flips bits at random where the
 * background is flat but noisy). Images smaller than the grid are upsampled by the same averaging.
 * @example const h = differenceHashes({ values: pixels, count: 10, height: 28, width: 28, channels: 1 });
 */
export function differenceHashes(batch: ImageBatch, direction: HashDirection = 'horizontal', deadBand = 0.02): ImageHashes {
  checkBatch(batch);
  const [lo0, hi0] = valueRange(batch.values);
  const tau = deadBand * (hi0 - lo0);
  const horizontal = direction === 'horizontal';
  const [rows, cols] = horizontal ? [HASH_ROWS, HASH_COLS] : [HASH_COLS, HASH_ROWS];
  const next = horizontal ? 1 : cols; // offset of the neighbour cell
  const resample = luminanceResampler(batch, rows, cols);
  const hashes = new Uint32Array(2 * batch.count);
  for (let n = 0; n < batch.count; n++) {
    const cells = resample(n);
    let lo = 0;
    let hi = 0;
    for (let bit = 0; bit < 64; bit++) {
      const at = (bit >> 3) * cols + (bit & 7);
      if (!(cells[at]! - cells[at + next]! > tau)) continue;
      if (bit < 32) lo |= 1 << bit;
      else hi |= 1 << (bit - 32);
    }
    hashes[2 * n] = lo >>> 0;
    hashes[2 * n + 1] = hi >>> 0;
  }
  return hashes;
}

function popcount(v: number): number {
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/** Hamming distance between hashes i and j. */
export function hammingDistance(hashes: ImageHashes, i: number, j: number): number {
  return popcount(hashes[2 * i]! ^ hashes[2 * j]!) + popcount(hashes[2 * i + 1]! ^ hashes[2 * j + 1]!);
}

export interface NearDuplicates {
  /** Connected groups (transitively: a~b and b~c put a, b, c together), each ascending, sorted by first index. */
  readonly groups: readonly Int32Array[];
  /** Candidate pairs within the distance passed to `confirm` (the work done; a brute force does N²/2). */
  readonly compared: number;
}

function find(parent: Int32Array, i: number): number {
  while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
  return i;
}

/**
 * All images whose hashes differ in at most `maxDistance` bits (default 4 of 64).
 * Chunk j holds the bits k with k mod (t + 1) = j (interleaved, so constant image borders do not
 * fill one chunk with a single value). `confirm(i, j)` may reject a candidate pair (i < j) on a
 * finer comparison; see image-duplicates.ts.
 * @example nearDuplicates(differenceHashes(batch), 4).groups
 */
export function nearDuplicates(hashes: ImageHashes, maxDistance = 4, confirm: (i: number, j: number) => boolean = () => true): NearDuplicates {
  checkCount(maxDistance, 0, 'maxDistance');
  if (maxDistance > 63) throw new EvalInputError(`must be ≤ 63 bits, got ${maxDistance}`, 'maxDistance');
  const n = hashes.length / 2;
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  // Images with identical hashes collapse to one representative first.
  const byHash = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const key = `${hashes[2 * i]}:${hashes[2 * i + 1]}`;
    const g = byHash.get(key);
    if (g) g.push(i);
    else byHash.set(key, [i]);
  }
  const reps = [...byHash.values()];
  let compared = 0;
  const link = (i: number, j: number) => {
    const a = find(parent, i);
    const b = find(parent, j);
    if (a === b) return; // already grouped: only the groups are reported, so skip the check
    compared++;
    if (confirm(i, j)) parent[a] = b;
  };
  for (const g of reps) for (let x = 0; x < g.length; x++) for (let y = x + 1; y < g.length; y++) link(g[x]!, g[y]!);
  const m = maxDistance + 1;
  const chunkOf = (i: number, j: number) => {
    let key = 0;
    for (let k = j, b = 0; k < 64; k += m, b++) if ((k < 32 ? hashes[2 * i]! >>> k : hashes[2 * i + 1]! >>> (k - 32)) & 1) key += 2 ** b;
    return key;
  };
  const chunks = reps.map((g) => Array.from({ length: m }, (_, j) => chunkOf(g[0]!, j)));
  for (let j = 0; j < m; j++) {
    const buckets = new Map<number, number[]>();
    chunks.forEach((c, u) => {
      const b = buckets.get(c[j]!);
      if (b) b.push(u);
      else buckets.set(c[j]!, [u]);
    });
    for (const b of buckets.values()) {
      for (let x = 0; x < b.length; x++) {
        for (let y = x + 1; y < b.length; y++) {
          const u = b[x]!;
          const v = b[y]!;
          // A pair agreeing on an earlier chunk was handled there.
          let seen = false;
          for (let e = 0; e < j && !seen; e++) seen = chunks[u]![e] === chunks[v]![e];
          if (seen) continue;
          if (hammingDistance(hashes, reps[u]![0]!, reps[v]![0]!) > maxDistance) continue;
          for (const i of reps[u]!) for (const k of reps[v]!) link(i, k);
        }
      }
    }
  }
  const members = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const root = find(parent, i);
    const g = members.get(root);
    if (g) g.push(i);
    else members.set(root, [i]);
  }
  const groups = [...members.values()].filter((g) => g.length > 1).map((g) => Int32Array.from(g));
  return { groups: groups.sort((a, b) => a[0]! - b[0]!), compared };
}
