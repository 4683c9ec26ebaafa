// Image classification sets from a zip or a folder upload: one class per sub-folder
// ("cats/1.png"), decoded through an injected ImageDecoder (the worker uses
// createImageBitmap/OffscreenCanvas; tests use a tiny PPM decoder), resized to the model's
// [h, w, c], values v/255 in [0, 1].
import { DatasetError, type Dataset, type SkippedEntry, type Split } from './types.js';
import { floatColumn, intColumn, makeSplit, stratifiedIndices } from './split.js';
import { hiddenReason, readZip, safeSegments, type ZipEntry, type ZipLimits } from './zip.js';
import { sortCategories } from './table.js';
import type { DecodeFailure, DecodeReport } from '../eval/dataset-checks.js';

/** Decoded pixels, RGBA, row-major: data.length = width·height·4. */
export interface DecodedImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8ClampedArray;
}

/** Turns encoded image bytes (PNG, JPEG, …) into RGBA pixels; injected by the environment. */
export interface ImageDecoder {
  decode(bytes: Uint8Array, name: string): Promise<DecodedImage>;
}

/** File extensions read as images (lower case); anything else is skipped and reported. */
export const IMAGE_EXTENSIONS: readonly string[] = ['png', 'jpg', 'jpeg', 'gif', 'bmp', 'webp', 'ppm', 'pgm'];

export interface ImageOptions {
  /** The model's input size; channels 1 → luminance, 3 → RGB. */
  readonly height: number;
  readonly width: number;
  readonly channels: 1 | 3;
  /** Default 0.2, stratified by class. */
  readonly testFraction?: number;
  /** Default 1. */
  readonly seed?: number;
  readonly limits?: ZipLimits;
  /** Largest decoded image, in pixels. Default 40 M. */
  readonly maxPixels?: number;
  /** Largest resulting dataset (4 bytes per value). Default 1 GiB. */
  readonly maxOutputBytes?: number;
  readonly fileName?: string;
  /**
   * What an image that cannot be decoded (or decodes to a bad size) does: 'throw' (default)
   * fails the whole import naming the file; 'skip' leaves it out and lists it in the
   * dataset's `decodeReport` (the dataset explorer loads this way).
   */
  readonly onUndecodable?: 'throw' | 'skip';
}

/** One file of a folder upload. */
export interface UploadedFile {
  readonly path: string;
  readonly bytes: Uint8Array;
}

interface Weights {
  readonly index: Int32Array; // (dst, taps)
  readonly weight: Float32Array;
  readonly taps: number;
}

/** Per-axis resampling: area averaging when shrinking, bilinear (half-pixel centres) otherwise. */
function axisWeights(src: number, dst: number): Weights {
  if (dst < src) {
    const scale = src / dst;
    const taps = Math.ceil(scale) + 1;
    const index = new Int32Array(dst * taps);
    const weight = new Float32Array(dst * taps);
    for (let o = 0; o < dst; o++) {
      const lo = o * scale;
      const hi = lo + scale;
      for (let t = 0, i = Math.floor(lo); t < taps && i < Math.ceil(hi) && i < src; t++, i++) {
        index[o * taps + t] = i;
        weight[o * taps + t] = (Math.min(hi, i + 1) - Math.max(lo, i)) / scale;
      }
    }
    return { index, weight, taps };
  }
  const index = new Int32Array(dst * 2);
  const weight = new Float32Array(dst * 2);
  for (let o = 0; o < dst; o++) {
    const c = Math.min(Math.max(((o + 0.5) * src) / dst - 0.5, 0), src - 1);
    const i0 = Math.floor(c);
    const f = c - i0;
    index[o * 2] = i0;
    index[o * 2 + 1] = Math.min(i0 + 1, src - 1);
    weight[o * 2] = 1 - f;
    weight[o * 2 + 1] = f;
  }
  return { index, weight, taps: 2 };
}

/**
 * Resizes RGBA pixels to [height, width, channels] float32 in [0, 1], written at `out[offset…]`.
 * channels 1 = luminance 0.299 R + 0.587 G + 0.114 B; alpha is ignored.
 *
 * @example
 * const x = new Float32Array(28 * 28);
 * resizeImage({ width: 2, height: 2, data: new Uint8ClampedArray(16).fill(255) }, 28, 28, 1, x, 0); // all 1
 */
export function resizeImage(img: DecodedImage, height: number, width: number, channels: 1 | 3, out: Float32Array, offset: number): void {
  const { width: sw, height: sh, data } = img;
  const src = new Float32Array(sw * sh * channels); // (sh, sw, c)
  for (let p = 0; p < sw * sh; p++) {
    const r = data[p * 4]!;
    const g = data[p * 4 + 1]!;
    const b = data[p * 4 + 2]!;
    if (channels === 1) src[p] = 0.299 * r + 0.587 * g + 0.114 * b;
    else src.set([r, g, b], p * 3);
  }
  const wx = axisWeights(sw, width);
  const wy = axisWeights(sh, height);
  const rows = new Float32Array(sh * width * channels); // (sh, width, c)
  for (let y = 0; y < sh; y++) {
    for (let x = 0; x < width; x++) {
      for (let t = 0; t < wx.taps; t++) {
        const w = wx.weight[x * wx.taps + t]!;
        if (w === 0) continue;
        const from = (y * sw + wx.index[x * wx.taps + t]!) * channels;
        for (let c = 0; c < channels; c++) rows[(y * width + x) * channels + c]! += w * src[from + c]!;
      }
    }
  }
  out.fill(0, offset, offset + height * width * channels);
  for (let y = 0; y < height; y++) {
    for (let t = 0; t < wy.taps; t++) {
      const w = wy.weight[y * wy.taps + t]! / 255;
      if (w === 0) continue;
      const from = wy.index[y * wy.taps + t]! * width * channels;
      const to = offset + y * width * channels;
      for (let k = 0; k < width * channels; k++) out[to + k]! += w * rows[from + k]!;
    }
  }
  for (let k = offset; k < offset + height * width * channels; k++) out[k] = Math.min(1, Math.max(0, out[k]!));
}

const extension = (path: string) => (/\.([^./]+)$/.exec(path)?.[1] ?? '').toLowerCase();

/** Null for an image file; otherwise why it is skipped. */
export function imageReason(path: string): string | null {
  return IMAGE_EXTENSIONS.includes(extension(path)) ? null : `not an image (expected ${IMAGE_EXTENSIONS.map((e) => `.${e}`).join(', ')})`;
}

/** Assigns class folders: drops a top folder shared by every image, then class = first folder. */
function classify(entries: readonly ZipEntry[], skipped: SkippedEntry[]) {
  let paths = entries.map((e) => e.path.split('/'));
  while (paths.length > 0 && paths.every((p) => p.length >= 3 && p[0] === paths[0]![0])) paths = paths.map((p) => p.slice(1));
  const kept: { entry: ZipEntry; className: string }[] = [];
  entries.forEach((entry, i) => {
    const p = paths[i]!;
    if (p.length < 2) skipped.push({ path: entry.path, reason: 'not inside a class folder (expected <class>/<file>)' });
    else kept.push({ entry, className: p[0]! });
  });
  return kept;
}

/** Decodes one file and resizes it into `out` at `offset`; a failure is returned, not thrown. */
async function decodeOne(entry: ZipEntry, decoder: ImageDecoder, options: ImageOptions, maxPixels: number, out: Float32Array, offset: number): Promise<DecodeFailure | null> {
  let img: DecodedImage;
  try {
    img = await decoder.decode(entry.bytes, entry.path);
  } catch (e) {
    return { path: entry.path, stage: 'decode', reason: e instanceof Error ? e.message : String(e) };
  }
  if (!(img.width >= 1 && img.height >= 1 && img.width * img.height <= maxPixels && img.data.length === img.width * img.height * 4)) {
    return { path: entry.path, stage: 'dimensions', reason: `decoded to ${img.width}×${img.height} with ${img.data.length} bytes (need 1 ≤ pixels ≤ ${maxPixels}, RGBA)` };
  }
  resizeImage(img, options.height, options.width, options.channels, out, offset);
  return null;
}

const failureError = (f: DecodeFailure, where: string) =>
  new DatasetError(f.stage === 'decode' ? `image "${f.path}" could not be decoded (${f.reason})` : `image "${f.path}" ${f.reason}`, where);

/**
 * Builds an image Dataset from already-unpacked files (shared by zip and folder imports).
 * By default every image must decode (a failure throws naming the file); with
 * `onUndecodable: 'skip'` failures are left out and reported in `decodeReport`.
 */
async function imagesDataset(entries: readonly ZipEntry[], skippedIn: readonly SkippedEntry[], decoder: ImageDecoder, options: ImageOptions, where: string): Promise<Dataset> {
  const { height, width, channels } = options;
  if (![height, width].every((d) => Number.isInteger(d) && d >= 1 && d <= 4096) || (channels !== 1 && channels !== 3)) {
    throw new DatasetError(`the model input must be [h, w, 1] or [h, w, 3] with 1 ≤ h, w ≤ 4096; got [${height}, ${width}, ${String(channels)}]`, where);
  }
  const skipped = [...skippedIn];
  let kept = classify(entries, skipped);
  if (kept.length === 0) throw new DatasetError(`no images found${skipped.length ? ` (${skipped.length} files skipped, e.g. "${skipped[0]!.path}": ${skipped[0]!.reason})` : ''}`, where);
  const oneClass = (classes: readonly string[]) => classes.length < 2;
  let classes = sortCategories(new Set(kept.map((k) => k.className)));
  if (oneClass(classes)) throw new DatasetError(`only one class folder ("${classes[0]}"); put each class's images in its own folder, at least two classes`, where);
  const size = height * width * channels;
  const maxOut = options.maxOutputBytes ?? 1024 ** 3;
  if (kept.length * size * 4 > maxOut) {
    throw new DatasetError(`${kept.length} images of ${height}×${width}×${channels} would take ${(kept.length * size * 4) / 1024 ** 2} MB, over the ${maxOut / 1024 ** 2} MB limit`, where);
  }
  const testFraction = options.testFraction ?? 0.2;
  if (!(testFraction >= 0 && testFraction < 1)) throw new DatasetError(`testFraction must be in [0, 1), got ${testFraction}`, where);
  const maxPixels = options.maxPixels ?? 40_000_000;
  const attempted = kept.length;
  // Skip mode decodes everything first (the split depends on which files survive), then copies
  // each survivor into its split; throw mode decodes straight into the split arrays.
  let decoded: Float32Array | null = null;
  const failures: DecodeFailure[] = [];
  if (options.onUndecodable === 'skip') {
    const all = new Float32Array(kept.length * size);
    const ok: number[] = [];
    for (let i = 0; i < kept.length; i++) {
      const failure = await decodeOne(kept[i]!.entry, decoder, options, maxPixels, all, i * size);
      if (failure) failures.push(failure);
      else ok.push(i);
    }
    decoded = new Float32Array(ok.length * size);
    ok.forEach((from, to) => decoded!.set(all.subarray(from * size, (from + 1) * size), to * size));
    kept = ok.map((i) => kept[i]!);
    classes = sortCategories(new Set(kept.map((k) => k.className)));
    if (oneClass(classes)) {
      const left = kept.length === 0 ? 'no image' : `only class "${classes[0]}"`;
      throw new DatasetError(`${failures.length} of ${attempted} images could not be read, which leaves ${left}; a classifier needs at least two classes (first: "${failures[0]!.path}": ${failures[0]!.reason})`, where);
    }
  }
  const classId = new Map(classes.map((c, i) => [c, i]));
  const y = Int32Array.from(kept, (k) => classId.get(k.className)!);
  // Split first (labels come from folders), then fill each split.
  const parts = stratifiedIndices(y, kept.length, [1 - testFraction, testFraction], options.seed ?? 1);
  const splits: Split[] = [];
  for (const idx of parts) {
    const px = new Float32Array(idx.length * size); // (n, h, w, c)
    for (let i = 0; i < idx.length; i++) {
      const k = idx[i]!;
      if (decoded) {
        px.set(decoded.subarray(k * size, (k + 1) * size), i * size);
        continue;
      }
      const failure = await decodeOne(kept[k]!.entry, decoder, options, maxPixels, px, i * size);
      if (failure) throw failureError(failure, where);
    }
    splits.push(makeSplit(floatColumn(px, [height, width, channels]), intColumn(Int32Array.from(idx, (s) => y[s]!), []), idx.length));
  }
  const decodeReport: DecodeReport | null = decoded ? { attempted, failures } : null;
  return {
    name: `file:${where}`,
    task: 'classification',
    classes,
    train: splits[0]!,
    test: testFraction > 0 ? splits[1]! : null,
    preprocessing: { kind: 'image', height, width, channels, resize: 'area-or-bilinear' },
    skipped,
    ...(decodeReport ? { decodeReport } : {}),
  };
}

/**
 * Loads an image-classification zip (one class per folder). Non-image files, __MACOSX/ and
 * dotfiles are skipped and listed by name in `Dataset.skipped`; traversal paths, zip bombs,
 * corrupt entries, no images and a single class throw; undecodable images throw too unless
 * `onUndecodable: 'skip'`, which lists them in `Dataset.decodeReport`.
 *
 * @example
 * const ds = await loadImageZip(zipBytes, decoder, { height: 32, width: 32, channels: 3, fileName: 'pets.zip' });
 * ds.classes; // ['cats', 'dogs']
 */
export async function loadImageZip(bytes: Uint8Array, decoder: ImageDecoder, options: ImageOptions): Promise<Dataset> {
  const where = options.fileName ?? 'images.zip';
  const { entries, skipped } = readZip(bytes, imageReason, where, options.limits);
  return imagesDataset(entries, skipped, decoder, options, where);
}

/**
 * Loads images from a folder upload ({path, bytes} per file, paths like "pets/cats/1.png"),
 * with the zip's rules for classes, skipping and caps (total bytes, file count).
 *
 * @example
 * const ds = await loadImageFiles(files, decoder, { height: 28, width: 28, channels: 1 });
 */
export async function loadImageFiles(files: readonly UploadedFile[], decoder: ImageDecoder, options: ImageOptions): Promise<Dataset> {
  const where = options.fileName ?? 'folder';
  const maxEntries = options.limits?.maxEntries ?? 100_000;
  const maxTotal = options.limits?.maxTotalBytes ?? 512 * 1024 * 1024;
  if (files.length > maxEntries) throw new DatasetError(`the folder has more than ${maxEntries} files`, where);
  const total = files.reduce((n, f) => n + f.bytes.length, 0);
  if (total > maxTotal) throw new DatasetError(`the folder holds ${(total / 1024 ** 2).toFixed(1)} MB, over the ${(maxTotal / 1024 ** 2).toFixed(1)} MB limit`, where);
  const entries: ZipEntry[] = [];
  const skipped: SkippedEntry[] = [];
  for (const f of files) {
    const segments = safeSegments(f.path, where);
    const path = segments.join('/');
    const reason = hiddenReason(segments) ?? imageReason(path);
    if (reason === null) entries.push({ path, bytes: f.bytes });
    else skipped.push({ path, reason });
  }
  return imagesDataset(entries, skipped, decoder, options, where);
}
