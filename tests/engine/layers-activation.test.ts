// Activation layers against the TF.js oracle, plus numerics for the forms we rely on
// (GELU exact/tanh, SiLU, ELU with alpha ≠ 1, Softmax on a non-last axis).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../../src/engine/compile/compile.js';
import { analyzeGraph } from '../../src/engine/graph/analyze.js';
import { checkAgainstTfjs, diagnosticsFor, LAYER, singleLayerGraph, type OracleCase } from '../helpers/oracle.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const cases: OracleCase[] = [
  { kind: 'ReLU', params: {}, inputs: [{ shape: [10] }] },
  { kind: 'ReLU', params: { maxValue: 6 }, inputs: [{ shape: [4, 4, 3] }] },
  { kind: 'ReLU', params: { maxValue: 0.5 }, inputs: [{ shape: [5, 7] }] },
  { kind: 'ReLU', params: { maxValue: null }, inputs: [{ shape: [3] }] },
  { kind: 'LeakyReLU', params: {}, inputs: [{ shape: [10] }] },
  { kind: 'LeakyReLU', params: { alpha: 0.1 }, inputs: [{ shape: [6, 6, 2] }] },
  { kind: 'LeakyReLU', params: { alpha: 0 }, inputs: [{ shape: [3, 4] }] },
  { kind: 'ELU', params: {}, inputs: [{ shape: [10] }] },
  { kind: 'ELU', params: { alpha: 0.5 }, inputs: [{ shape: [4, 4, 3] }] },
  { kind: 'ELU', params: { alpha: 2 }, inputs: [{ shape: [3, 5] }] },
  { kind: 'GELU', params: {}, inputs: [{ shape: [16] }] },
  { kind: 'GELU', params: { approximate: true }, inputs: [{ shape: [4, 8] }] },
  { kind: 'GELU', params: { approximate: false }, inputs: [{ shape: [2, 3, 4] }] },
  { kind: 'SiLU', params: {}, inputs: [{ shape: [10] }] },
  { kind: 'SiLU', params: {}, inputs: [{ shape: [4, 4, 3] }] },
  { kind: 'SiLU', params: {}, inputs: [{ shape: [2, 3, 2, 2] }] },
  { kind: 'Softmax', params: {}, inputs: [{ shape: [10] }] },
  { kind: 'Softmax', params: { axis: 1 }, inputs: [{ shape: [4, 6] }] },
  { kind: 'Softmax', params: { axis: -2 }, inputs: [{ shape: [3, 4, 5] }] },
  { kind: 'Softmax', params: { axis: 1 }, inputs: [{ shape: [3, 4, 5] }] },
  { kind: 'Sigmoid', params: {}, inputs: [{ shape: [10] }] },
  { kind: 'Sigmoid', params: {}, inputs: [{ shape: [3, 4] }] },
  { kind: 'Sigmoid', params: {}, inputs: [{ shape: [2, 3, 2, 2] }] },
  { kind: 'Tanh', params: {}, inputs: [{ shape: [10] }] },
  { kind: 'Tanh', params: {}, inputs: [{ shape: [2, 2, 2] }] },
  { kind: 'Tanh', params: {}, inputs: [{ shape: [5, 1] }] },
];

const label = (c: OracleCase) => `${c.kind} ${JSON.stringify(c.params)} on ${JSON.stringify(c.inputs.map((i) => i.shape))}`;

describe('activation layers match TF.js', () => {
  for (const c of cases) it(label(c), () => void checkAgainstTfjs(c));
});

/** Runs the one-layer model on `x` (shape [batch, ...sample]). */
function run(kind: string, params: Record<string, unknown>, x: tf.Tensor): Float32Array {
  const { model } = compileGraph(analyzeGraph(singleLayerGraph({ kind, params, inputs: [{ shape: x.shape.slice(1) }] })), { seed: 1 });
  return (model.predict(x) as tf.Tensor).dataSync() as Float32Array;
}

const xs = Array.from({ length: 57 }, (_, i) => -3.5 + i * 0.125);
const xTensor = () => tf.tensor2d(xs, [1, xs.length]);

/** erf by its Maclaurin series, in float64: independent of TF.js's approximation. */
function erf(x: number): number {
  let term = x;
  let sum = x;
  for (let n = 1; n < 80; n++) {
    term *= (-x * x) / n;
    sum += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}
const geluExact = (x: number) => 0.5 * x * (1 + erf(x / Math.SQRT2));
const geluTanh = (x: number) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));

function expectClose(got: ArrayLike<number>, want: readonly number[], tol: number): void {
  expect(got.length).toBe(want.length);
  const worst = Math.max(...want.map((w, i) => Math.abs(got[i]! - w)));
  expect(worst).toBeLessThan(tol);
}

describe('activation numerics', () => {
  it('the erf series is right (erf(1) = 0.8427007929497149)', () => {
    expect(erf(1)).toBeCloseTo(0.8427007929497149, 12);
    expect(erf(3.5)).toBeCloseTo(0.9999992569016276, 10);
  });
  it('the two GELU forms differ enough for the next tests to tell them apart', () => {
    expect(Math.max(...xs.map((x) => Math.abs(geluExact(x) - geluTanh(x))))).toBeGreaterThan(1e-4);
  });
  it("GELU (approximate: false) is TF.js 'gelu' = 0.5x(1 + erf(x/√2))", () => {
    expectClose(run('GELU', {}, xTensor()), xs.map(geluExact), 1e-5);
  });
  it("GELU (approximate: true) is TF.js 'gelu_new' = the tanh form", () => {
    expectClose(run('GELU', { approximate: true }, xTensor()), xs.map(geluTanh), 1e-5);
  });
  it('SiLU is x·sigmoid(x)', () => {
    expectClose(run('SiLU', {}, xTensor()), xs.map((x) => x / (1 + Math.exp(-x))), 1e-5);
  });
  it('ELU with alpha 0.5 is alpha·(exp(x) − 1) below zero and x above', () => {
    expectClose(run('ELU', { alpha: 0.5 }, xTensor()), xs.map((x) => (x > 0 ? x : 0.5 * Math.expm1(x))), 1e-5);
  });
  it('LeakyReLU and ReLU(maxValue) follow their formulas', () => {
    expectClose(run('LeakyReLU', { alpha: 0.1 }, xTensor()), xs.map((x) => (x > 0 ? x : 0.1 * x)), 1e-6);
    expectClose(run('ReLU', { maxValue: 1.5 }, xTensor()), xs.map((x) => Math.min(Math.max(x, 0), 1.5)), 1e-6);
  });
  it('Softmax on axis 1 of [3, 4] sums to 1 down each column and matches exp/sum', () => {
    const x = tf.tensor3d([...Array(24).keys()].map((i) => Math.sin(i)), [2, 3, 4]);
    const got = run('Softmax', { axis: 1 }, x);
    const want = tf.tidy(() => tf.div(tf.exp(x), tf.sum(tf.exp(x), 1, true))).dataSync();
    expectClose(got, [...want], 1e-6);
  });
});

describe('PReLU', () => {
  const preluCases: OracleCase[] = [
    { kind: 'PReLU', params: {}, inputs: [{ shape: [5] }] },
    { kind: 'PReLU', params: { sharedAxes: [1, 2] }, inputs: [{ shape: [4, 4, 3] }] },
    { kind: 'PReLU', params: { sharedAxes: [2] }, inputs: [{ shape: [3, 5] }] },
    { kind: 'PReLU', params: { sharedAxes: [] }, inputs: [{ shape: [2, 3, 4] }] },
  ];
  // Alpha starts at 0 (Keras default), so the oracle's squared loss has an exactly zero
  // gradient for it; the gradient check below uses a linear loss instead.
  for (const c of preluCases) it(label(c), () => void checkAgainstTfjs(c, { gradients: false }));

  it('counts alpha like TF.js: the input shape with shared axes reduced to 1', () => {
    const { node } = checkAgainstTfjs(preluCases[1]!, { gradients: false });
    expect(node.paramCount).toEqual({ trainable: 3, nonTrainable: 0 });
  });

  it('alpha gets a finite, non-zero gradient', () => {
    const { model } = compileGraph(analyzeGraph(singleLayerGraph(preluCases[1]!)), { seed: 1 });
    tf.tidy(() => {
      const x = tf.randomNormal([2, 4, 4, 3], 0, 1, 'float32', 3);
      const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
      const { grads } = tf.variableGrads(() => tf.sum(model.apply(x, { training: true }) as tf.Tensor).asScalar(), vars);
      const g = grads[vars[0]!.name]!;
      expect(g.shape).toEqual([1, 1, 3]);
      expect(Number.isFinite(g.abs().sum().dataSync()[0]!)).toBe(true);
      expect(g.abs().min().dataSync()[0]!).toBeGreaterThan(0);
    });
  });
});

describe('activation diagnostics and accounting', () => {
  it('Softmax along the batch axis is refused', () => {
    const [d] = diagnosticsFor({ kind: 'Softmax', params: { axis: 0 }, inputs: [{ shape: [10] }] });
    expect(d).toMatchObject({ code: 'invalid-shape', nodeId: 'L', message: 'Softmax: cannot normalise across the batch axis', suggestion: 'Use an axis from 1 to 1, or -1 for the last.' });
  });
  it('Softmax on an axis that does not exist names the shape', () => {
    const [d] = diagnosticsFor({ kind: 'Softmax', params: { axis: 3 }, inputs: [{ shape: [4, 5] }] });
    expect(d).toMatchObject({ code: 'invalid-shape', message: 'Softmax: axis 3 does not exist in [null,4,5]' });
  });
  it('PReLU sharing an axis the input lacks says how many it has', () => {
    const [d] = diagnosticsFor({ kind: 'PReLU', params: { sharedAxes: [3] }, inputs: [{ shape: [4, 5] }] });
    expect(d).toMatchObject({ code: 'invalid-shape', message: 'PReLU: sharedAxes [3] names axis 3, but [null,4,5] has 2 besides the batch', suggestion: 'Use axes from 1 to 2.' });
  });
  it('ReLU maxValue may be null but not negative', () => {
    expect(diagnosticsFor({ kind: 'ReLU', params: { maxValue: null }, inputs: [{ shape: [4] }] })).toEqual([]);
    const [d] = diagnosticsFor({ kind: 'ReLU', params: { maxValue: -1 }, inputs: [{ shape: [4] }] });
    expect(d).toMatchObject({ code: 'invalid-param', message: 'ReLU: maxValue must be at least 0; got -1' });
  });
  it('a non-nullable float still refuses null', () => {
    const [d] = diagnosticsFor({ kind: 'LeakyReLU', params: { alpha: null }, inputs: [{ shape: [4] }] });
    expect(d).toMatchObject({ code: 'invalid-param', message: 'LeakyReLU: alpha must be a number; got null' });
  });
  it('FLOPs: per element, 1 for ReLU, 2 for (P/Leaky)ReLU, 4 for ELU/Sigmoid/Tanh, 5 for GELU/SiLU/Softmax', () => {
    const flops = (kind: string, params: Record<string, unknown> = {}) =>
      analyzeGraph(singleLayerGraph({ kind, params, inputs: [{ shape: [4, 5] }] })).nodes.get(LAYER)!.flops;
    expect([flops('ReLU'), flops('ReLU', { maxValue: 6 }), flops('LeakyReLU'), flops('PReLU')]).toEqual([20, 20, 40, 40]);
    expect([flops('ELU'), flops('Sigmoid'), flops('Tanh')]).toEqual([80, 80, 80]);
    expect([flops('GELU'), flops('SiLU'), flops('Softmax')]).toEqual([100, 100, 100]);
  });
});
