// Normalization layers against the TF.js oracle, GroupNormalization's numerics against a
// plain-JS computation, and the diagnostics and training limits people will read.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../../src/engine/compile/compile.js';
import { registerCustomLayers } from '../../src/engine/compile/custom/index.js';
import { analyzeGraph } from '../../src/engine/graph/analyze.js';
import { checkAgainstTfjs, diagnosticsFor, LAYER, singleLayerGraph, type OracleCase } from '../helpers/oracle.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const label = (c: OracleCase) => `${c.kind} ${JSON.stringify(c.params)} on ${JSON.stringify(c.inputs.map((i) => i.shape))}`;

const cases: OracleCase[] = [
  { kind: 'BatchNormalization', params: {}, inputs: [{ shape: [10] }] },
  { kind: 'BatchNormalization', params: { momentum: 0.9, epsilon: 1e-5 }, inputs: [{ shape: [4, 4, 3] }] },
  { kind: 'BatchNormalization', params: {}, inputs: [{ shape: [6, 5] }] },
  { kind: 'BatchNormalization', params: {}, inputs: [{ shape: [2, 3, 4, 5] }] }, // rank 5: reshaped around TF.js
  { kind: 'LayerNormalization', params: {}, inputs: [{ shape: [10] }] },
  { kind: 'LayerNormalization', params: { axis: 1 }, inputs: [{ shape: [3, 4] }] },
  { kind: 'LayerNormalization', params: { epsilon: 1e-5 }, inputs: [{ shape: [4, 4, 3] }] },
  { kind: 'LayerNormalization', params: {}, inputs: [{ shape: [2, 2, 3, 4] }] },
  { kind: 'GroupNormalization', params: { groups: 4 }, inputs: [{ shape: [8] }] },
  { kind: 'GroupNormalization', params: { groups: 2 }, inputs: [{ shape: [4, 4, 6] }] },
  { kind: 'GroupNormalization', params: { groups: 1 }, inputs: [{ shape: [5, 3] }] },
  { kind: 'GroupNormalization', params: { groups: 3, center: false }, inputs: [{ shape: [2, 2, 2, 6] }] },
  { kind: 'GroupNormalization', params: { scale: false, epsilon: 1e-5 }, inputs: [{ shape: [3, 3, 64] }] },
  { kind: 'GroupNormalization', params: { groups: 2, center: false, scale: false }, inputs: [{ shape: [4] }] },
];

describe('normalization layers match TF.js', () => {
  for (const c of cases) it(label(c), () => void checkAgainstTfjs(c));
});

// TF.js 4.22 builds and runs these forward, but cannot train them: counts and shapes are
// still checked against it, and the analysis warns before training.
const inferenceOnly: OracleCase[] = [
  { kind: 'BatchNormalization', params: { center: false }, inputs: [{ shape: [4, 3] }] },
  { kind: 'BatchNormalization', params: { scale: false, center: false }, inputs: [{ shape: [6] }] },
  { kind: 'LayerNormalization', params: { scale: false }, inputs: [{ shape: [3, 4] }] },
  { kind: 'LayerNormalization', params: { center: false, scale: false }, inputs: [{ shape: [5] }] },
];

describe('configurations TF.js cannot train', () => {
  for (const c of inferenceOnly) {
    it(label(c), () => {
      const { analysis } = checkAgainstTfjs(c, { gradients: false });
      expect(analysis.diagnostics.map((d) => [d.code, d.severity])).toEqual([['cannot-train', 'warning']]);
    });
  }
  it('the warning says what to change', () => {
    const [d] = diagnosticsFor(inferenceOnly[0]!);
    expect(d).toMatchObject({
      message: 'BatchNormalization: TF.js cannot train it with center or scale turned off',
      suggestion: 'Turn on center and scale to train; use it as is only for inference.',
    });
  });
});

describe('BatchNormalization on a non-last axis', () => {
  // TF.js 4.22's kernels get this wrong (statistics broadcast along the last axis); the engine
  // moves the axis last around the layer, so inference matches the formula and training works.
  const c: OracleCase = { kind: 'BatchNormalization', params: { axis: 1, epsilon: 1e-3 }, inputs: [{ shape: [3, 4] }] };
  it('trains (finite gradients for gamma and beta) with no warning', () => {
    const { analysis } = checkAgainstTfjs(c);
    expect(analysis.diagnostics).toEqual([]);
  });
  it('infers with the moving statistics of axis 1, as the formula says', () => {
    const m = compileGraph(analyzeGraph(singleLayerGraph(c)), { seed: 1 }).model;
    const [gamma, beta, mean, variance] = [[1, 2, 3], [0.1, 0.2, 0.3], [0.5, -0.5, 1], [1, 2, 4]];
    const bn = m.layers.find((l) => l.weights.length === 4)!;
    bn.setWeights([tf.tensor1d(gamma), tf.tensor1d(beta), tf.tensor1d(mean), tf.tensor1d(variance)]);
    const x = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 3);
    const y = (m.predict(x) as tf.Tensor).dataSync();
    const xs = x.dataSync();
    xs.forEach((v, i) => {
      const ch = Math.floor(i / 4) % 3;
      const want = ((v - mean[ch]!) / Math.sqrt(variance[ch]! + 1e-3)) * gamma[ch]! + beta[ch]!;
      expect(y[i]).toBeCloseTo(want, 5);
    });
  });
});

describe('parameter counts', () => {
  const count = (c: OracleCase) => analyzeGraph(singleLayerGraph(c)).nodes.get(LAYER)!.paramCount;
  it('BatchNormalization: gamma and beta trainable, moving mean and variance not', () => {
    expect(count({ kind: 'BatchNormalization', params: {}, inputs: [{ shape: [4, 4, 3] }] })).toEqual({ trainable: 6, nonTrainable: 6 });
    expect(count({ kind: 'BatchNormalization', params: { axis: 1 }, inputs: [{ shape: [7, 3] }] })).toEqual({ trainable: 14, nonTrainable: 14 });
  });
  it('GroupNormalization: gamma and beta per channel', () => {
    expect(count({ kind: 'GroupNormalization', params: { groups: 2 }, inputs: [{ shape: [4, 4, 6] }] })).toEqual({ trainable: 12, nonTrainable: 0 });
  });
});

/** Group norm in plain JS over a channels-last array of shape [B, P, C] (P positions). */
function groupNormReference(x: Float32Array, [b, p, c]: [number, number, number], groups: number, eps: number, gamma: number[], beta: number[]): number[] {
  const out = new Array<number>(x.length);
  const per = c / groups;
  for (let n = 0; n < b; n++) {
    for (let g = 0; g < groups; g++) {
      const idx: number[] = [];
      for (let q = 0; q < p; q++) for (let k = g * per; k < (g + 1) * per; k++) idx.push(n * p * c + q * c + k);
      const mean = idx.reduce((s, i) => s + x[i]!, 0) / idx.length;
      const variance = idx.reduce((s, i) => s + (x[i]! - mean) ** 2, 0) / idx.length;
      for (const i of idx) out[i] = ((x[i]! - mean) / Math.sqrt(variance + eps)) * gamma[i % c]! + beta[i % c]!;
    }
  }
  return out;
}

describe('GroupNormalization numerics', () => {
  const c: OracleCase = { kind: 'GroupNormalization', params: { groups: 3, epsilon: 1e-3 }, inputs: [{ shape: [4, 5, 6] }] };
  const gamma = [0.5, 1, 1.5, 2, -1, 3];
  const beta = [0.1, -0.2, 0.3, 0, 1, -1];

  function model(): tf.LayersModel {
    const m = compileGraph(analyzeGraph(singleLayerGraph(c)), { seed: 1 }).model;
    m.getLayer('L').setWeights([tf.tensor1d(gamma), tf.tensor1d(beta)]);
    return m;
  }
  const x = () => tf.add(tf.mul(tf.randomNormal([2, 4, 5, 6], 0, 1, 'float32', 11), tf.range(1, 7)), tf.range(0, 6)); // channels differ in scale and offset

  it('matches a direct computation to within 1e-5', () => {
    const xs = x();
    const got = (model().predict(xs) as tf.Tensor).dataSync();
    const want = groupNormReference(xs.dataSync() as Float32Array, [2, 20, 6], 3, 1e-3, gamma, beta);
    expect(Math.max(...want.map((w, i) => Math.abs(got[i]! - w)))).toBeLessThan(1e-5);
  });

  it('differs from LayerNormalization-style (1 group) and InstanceNormalization-style (6 groups) results', () => {
    const xs = x();
    const got = (model().predict(xs) as tf.Tensor).dataSync();
    for (const g of [1, 6]) {
      const other = groupNormReference(xs.dataSync() as Float32Array, [2, 20, 6], g, 1e-3, gamma, beta);
      expect(Math.max(...other.map((w, i) => Math.abs(got[i]! - w)))).toBeGreaterThan(1e-2);
    }
  });

  it('survives save and tf.loadLayersModel with its config and weights', async () => {
    registerCustomLayers();
    const m = model();
    let saved: tf.io.ModelArtifacts | null = null;
    await m.save(tf.io.withSaveHandler(async (a) => ((saved = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved!));
    expect(loaded.getLayer('L').getConfig()).toMatchObject({ groups: 3, epsilon: 1e-3, center: true, scale: true });
    const xs = x();
    const diff = tf.max(tf.abs(tf.sub(loaded.predict(xs) as tf.Tensor, m.predict(xs) as tf.Tensor))).dataSync()[0]!;
    expect(diff).toBeLessThan(1e-6);
  });
});

describe('normalization diagnostics and FLOPs', () => {
  it('GroupNormalization with channels not divisible by groups lists the valid counts', () => {
    const [d] = diagnosticsFor({ kind: 'GroupNormalization', params: {}, inputs: [{ shape: [8, 8, 16] }] });
    expect(d).toEqual({
      code: 'invalid-shape',
      severity: 'error',
      nodeId: 'L',
      message: 'GroupNormalization: 16 channels cannot be split into 32 groups',
      suggestion: 'Set groups to a number that divides 16: 1, 2, 4, 8 or 16.',
    });
  });
  it('BatchNormalization along the batch axis is refused', () => {
    const [d] = diagnosticsFor({ kind: 'BatchNormalization', params: { axis: 0 }, inputs: [{ shape: [4] }] });
    expect(d).toMatchObject({ code: 'invalid-shape', message: 'BatchNormalization: cannot normalise along the batch axis', suggestion: 'Use an axis from 1 to 1, or -1 for the last.' });
  });
  it('LayerNormalization on an axis that does not exist names the producer', () => {
    const [d] = diagnosticsFor({ kind: 'LayerNormalization', params: { axis: 3 }, inputs: [{ shape: [4, 5] }] });
    expect(d).toMatchObject({ code: 'invalid-shape', message: 'LayerNormalization: axis 3 does not exist in [null,4,5] from the Input "in0"' });
  });
  it('a rank-5 input can be normalised only on its last axis (a TF.js limit)', () => {
    const [d] = diagnosticsFor({ kind: 'BatchNormalization', params: { axis: 1 }, inputs: [{ shape: [2, 3, 4, 5] }] });
    expect(d).toMatchObject({
      code: 'rank-mismatch',
      message: 'BatchNormalization: TF.js normalises inputs of rank 5 such as [null,2,3,4,5] from the Input "in0" only on the last axis',
    });
  });
  it('FLOPs: 5 per element, +1 each for scale and center', () => {
    const flops = (kind: string, params: Record<string, unknown>) => analyzeGraph(singleLayerGraph({ kind, params, inputs: [{ shape: [4, 6] }] })).nodes.get(LAYER)!.flops;
    expect(flops('BatchNormalization', {})).toBe(24 * 7);
    expect(flops('LayerNormalization', { center: false })).toBe(24 * 6);
    expect(flops('GroupNormalization', { groups: 2, center: false, scale: false })).toBe(24 * 5);
  });
});
