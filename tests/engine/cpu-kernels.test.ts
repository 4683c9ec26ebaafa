// Our faster CPU kernels must give what TF.js's own kernels give. The oracle runs first,
// with TF.js's kernels still registered; then ours are installed and the same inputs rerun.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { installFastCpuKernels } from '../../src/engine/runtime/cpu-kernels.js';

interface ConvCase { x: [number, number, number, number]; k: [number, number]; co: number; strides: number | [number, number]; pad: 'same' | 'valid' }
const convCases: ConvCase[] = [
  { x: [2, 7, 7, 3], k: [3, 3], co: 5, strides: 1, pad: 'same' },
  { x: [3, 8, 6, 4], k: [3, 3], co: 2, strides: 2, pad: 'same' },
  { x: [1, 9, 9, 2], k: [5, 2], co: 3, strides: [2, 1], pad: 'valid' },
  { x: [2, 5, 5, 6], k: [1, 1], co: 7, strides: 1, pad: 'valid' },
  { x: [1, 6, 6, 1], k: [4, 4], co: 1, strides: 3, pad: 'same' },
];

function convFilterGrad(c: ConvCase, seed: number): Float32Array {
  return tf.tidy(() => {
    const x = tf.relu(tf.randomNormal(c.x, 0, 1, 'float32', seed)); // with zeros, as after a ReLU
    const w = tf.randomNormal([c.k[0], c.k[1], c.x[3], c.co], 0, 1, 'float32', seed + 1);
    const y = tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, c.strides, c.pad);
    const dy = tf.randomNormal(y.shape, 0, 1, 'float32', seed + 2);
    const g = tf.grad((wv: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x as tf.Tensor4D, wv as tf.Tensor4D, c.strides, c.pad), dy)))(w);
    return g.dataSync() as Float32Array;
  });
}

function embeddingGrad(vocab: number, dim: number, tokens: number[], seed: number): Float32Array {
  return tf.tidy(() => {
    const table = tf.randomNormal([vocab, dim], 0, 1, 'float32', seed);
    const ids = tf.tensor1d(tokens, 'int32');
    const dy = tf.randomNormal([tokens.length, dim], 0, 1, 'float32', seed + 1);
    return tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, ids), dy)))(table).dataSync() as Float32Array;
  });
}

const segment = (rows: number, inner: number[], n: number, seed: number) =>
  tf.tidy(() => {
    const ids = tf.tensor1d(Array.from({ length: rows }, (_, i) => (i * 7 + seed) % n), 'int32');
    return tf.unsortedSegmentSum(tf.randomNormal([rows, ...inner], 0, 1, 'float32', seed), ids, n).dataSync() as Float32Array;
  });

const embedCases: [number, number, number[]][] = [[50, 8, [3, 3, 7, 0, 49, 3]], [1000, 16, Array.from({ length: 64 }, (_, i) => (i * 37) % 1000)]];
const segCases: [number, number[], number][] = [[10, [4], 3], [12, [2, 3], 5], [6, [], 6]];

const expectClose = (a: Float32Array, b: Float32Array) => {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  expect(max).toBeLessThan(1e-4);
};

let oracle: { conv: Float32Array[]; embed: Float32Array[]; seg: Float32Array[] };

beforeAll(async () => {
  await tf.setBackend('cpu');
  oracle = {
    conv: convCases.map((c, i) => convFilterGrad(c, 10 * i + 1)),
    embed: embedCases.map(([v, d, t], i) => embeddingGrad(v, d, t, 100 + i)),
    seg: segCases.map(([r, inner, n], i) => segment(r, inner, n, i + 1)),
  };
  installFastCpuKernels();
  installFastCpuKernels(); // idempotent
});

describe('fast CPU kernels agree with TF.js', () => {
  it('really replaced the kernels', () => {
    expect(tf.getKernel('Conv2DBackpropFilter', 'cpu')!.kernelFunc.name).toBe('conv2dBackpropFilter');
    expect(tf.getKernel('UnsortedSegmentSum', 'cpu')!.kernelFunc.name).toBe('unsortedSegmentSum');
  });
  convCases.forEach((c, i) => it(`Conv2DBackpropFilter ${JSON.stringify(c)}`, () => expectClose(convFilterGrad(c, 10 * i + 1), oracle.conv[i]!)));
  embedCases.forEach(([v, d, t], i) => it(`Embedding gradient, vocab ${v}, dim ${d}, ${t.length} tokens`, () => expectClose(embeddingGrad(v, d, t, 100 + i), oracle.embed[i]!)));
  segCases.forEach(([r, inner, n], i) => it(`UnsortedSegmentSum ${r} rows of ${JSON.stringify(inner)} into ${n}`, () => expectClose(segment(r, inner, n, i + 1), oracle.seg[i]!)));
});
