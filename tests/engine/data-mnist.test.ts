// Built-in MNIST: the binary written from the `mnist` package's JSON round-trips the pixels
// exactly, the fixed split is 8,000/2,000 and stratified, and broken files are refused.
import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildMnistFile, loadMnistFile, readFileBytes } from '../../src/engine/data/node-files.js';
import { decodeMnistBinary, encodeMnistBinary, mnistSplitIndices, parseMnistBinary, MNIST_HEADER_BYTES } from '../../src/engine/data/mnist.js';
import { DatasetError, type Dataset } from '../../src/engine/data/types.js';

const digitsDir = join(createRequire(import.meta.url).resolve('mnist/package.json'), '..', 'src', 'digits');
const json: number[][] = Array.from({ length: 10 }, (_, d) => (JSON.parse(readFileSync(join(digitsDir, `${d}.json`), 'utf8')) as { data: number[] }).data);
const perDigit = json.map((a) => a.length / 784);
const firstIndex = perDigit.map((_, d) => perDigit.slice(0, d).reduce((a, b) => a + b, 0));

/** The package's 784 values of image `index` in file (digit) order. */
function original(index: number): { digit: number; values: number[] } {
  let d = 0;
  while (d < 9 && index >= firstIndex[d + 1]!) d++;
  const k = index - firstIndex[d]!;
  return { digit: d, values: json[d]!.slice(k * 784, (k + 1) * 784) };
}

let bytes: Uint8Array;
let ds: Dataset;
beforeAll(async () => {
  ds = await loadMnistFile();
  bytes = await readFileBytes((await buildMnistFile()).path);
});

function refusal(b: Uint8Array): DatasetError {
  try {
    parseMnistBinary(b);
  } catch (e) {
    if (e instanceof DatasetError) return e;
    throw e;
  }
  throw new Error('expected a DatasetError');
}

describe('MNIST binary', () => {
  it('has the documented layout: header, 10,000 labels, 7,840,000 pixels', () => {
    expect(String.fromCharCode(...bytes.subarray(0, 4))).toBe('NFMN');
    expect(bytes.length).toBe(MNIST_HEADER_BYTES + 10_000 * 785);
    const raw = decodeMnistBinary(bytes);
    expect([raw.rows, raw.cols, raw.count]).toEqual([28, 28, 10_000]);
    expect(perDigit.reduce((a, b) => a + b, 0)).toBe(10_000);
  });

  it('stores round(v·255), which recovers the package pixels exactly (three decimals ⇒ within 0.1275 of an integer)', () => {
    const raw = decodeMnistBinary(bytes);
    for (const index of [0, 1, 999, 1000, 4321, 5555, 9999]) {
      const { digit, values } = original(index);
      expect(raw.labels[index]).toBe(digit);
      values.forEach((v, k) => {
        expect(Math.abs(v * 255 - Math.round(v * 255))).toBeLessThan(0.13);
        expect(raw.pixels[index * 784 + k]).toBe(Math.round(v * 255));
      });
    }
  });

  it('parses to [28, 28, 1] float32 pixels equal to the JSON values ×255 for sampled images', () => {
    const { train, test } = mnistSplitIndices(decodeMnistBinary(bytes).labels);
    const check = (split: Dataset['train'], indices: Int32Array, i: number) => {
      const { digit, values } = original(indices[i]!);
      expect(split.y.values[i]).toBe(digit);
      const x = split.x.values.subarray(i * 784, (i + 1) * 784);
      values.forEach((v, k) => {
        expect(Math.round(x[k]! * 255)).toBe(Math.round(v * 255));
        expect(Math.abs(x[k]! - v)).toBeLessThanOrEqual(0.0005 + 1e-6);
      });
    };
    for (const i of [0, 17, 4000, 7999]) check(ds.train, train, i);
    for (const i of [0, 1234, 1999]) check(ds.test!, test, i);
    expect(ds.train.x).toMatchObject({ shape: [28, 28, 1], dtype: 'float32' });
    expect(ds.train.y).toMatchObject({ shape: [], dtype: 'int32' });
    expect(ds.classes).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    const xs = ds.train.x.values;
    expect(Math.min(...xs.subarray(0, 784 * 50))).toBe(0);
    expect(Math.max(...xs.subarray(0, 784 * 50))).toBe(1);
  });

  it('splits 8,000 / 2,000: 200 test images per digit, the rest train, no overlap', () => {
    expect(ds.train.count).toBe(8000);
    expect(ds.test!.count).toBe(2000);
    const count = (y: Int32Array | Float32Array) => Array.from({ length: 10 }, (_, d) => y.filter((v) => v === d).length);
    expect(count(ds.test!.y.values)).toEqual(Array(10).fill(200));
    expect(count(ds.train.y.values)).toEqual(perDigit.map((n) => n - 200));
    const { train, test } = mnistSplitIndices(decodeMnistBinary(bytes).labels);
    expect(new Set([...train, ...test]).size).toBe(10_000);
  });

  it('is deterministic: the same file gives the same split and order (pinned: changing it changes every MNIST result)', () => {
    expect(Array.from(ds.train.y.values.subarray(0, 12))).toEqual([6, 9, 2, 1, 6, 8, 7, 7, 4, 4, 3, 2]);
    expect(Array.from(ds.test!.y.values.subarray(0, 12))).toEqual([9, 2, 2, 0, 8, 7, 6, 7, 2, 6, 8, 5]);
    const again = parseMnistBinary(bytes);
    expect(again.train.y.values).toEqual(ds.train.y.values);
    expect(again.test!.x.values.subarray(0, 784 * 3)).toEqual(ds.test!.x.values.subarray(0, 784 * 3));
    // …and it is shuffled, not in digit order.
    expect(Array.from(ds.train.y.values.subarray(0, 20)).some((d, i, a) => i > 0 && d !== a[i - 1])).toBe(true);
  });

  it('refuses truncated, foreign and malformed files with a message saying what is wrong', () => {
    expect(refusal(bytes.subarray(0, bytes.length - 1)).message).toMatch(/truncated: the header promises 10000 images of 28×28 \(7850012 bytes\), the file has 7850011 bytes/);
    expect(refusal(bytes.subarray(0, 7)).message).toMatch(/too short for the header: 7 bytes, need 12/);
    const foreign = bytes.slice(0, 4000);
    foreign.set([0x89, 0x50, 0x4e, 0x47]);
    expect(refusal(foreign).message).toMatch(/not a NeuralForge MNIST file: magic is ".PNG", expected "NFMN"/);
    const newer = bytes.slice();
    newer[4] = 2;
    expect(refusal(newer).message).toMatch(/unsupported version 2/);
    const badLabel = encodeMnistBinary(new Uint8Array(784 * 2), Uint8Array.of(3, 12));
    expect(refusal(badLabel).message).toMatch(/image 1 has label 12, expected 0–9/);
    const trailing = new Uint8Array(bytes.length + 3);
    trailing.set(bytes);
    expect(refusal(trailing).message).toMatch(/has trailing bytes/);
    expect(refusal(bytes.subarray(0, 7)).where).toBe('mnist.bin');
  });
});

describe('npm run datasets (buildMnistFile)', () => {
  it('writes once, then skips work while the output is up to date', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'nf-mnist-')), 'mnist.bin');
    const first = await buildMnistFile({ out });
    expect(first).toMatchObject({ written: true, bytes: 7_850_012 });
    const started = performance.now();
    expect(await buildMnistFile({ out })).toMatchObject({ written: false });
    expect(performance.now() - started).toBeLessThan(500);
    expect(Buffer.compare(readFileSync(out), bytes)).toBe(0);
  });

  it('rebuilds a corrupt output instead of trusting its timestamp', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'nf-mnist-')), 'mnist.bin');
    await buildMnistFile({ out });
    const { writeFileSync } = await import('node:fs');
    writeFileSync(out, new Uint8Array(10));
    expect(await buildMnistFile({ out })).toMatchObject({ written: true });
    expect(decodeMnistBinary(await readFileBytes(out)).count).toBe(10_000);
  });
});
