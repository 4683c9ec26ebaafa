// Recurrent layers against the TF.js oracle, plus seeding, FLOPs and diagnostics.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkAgainstTfjs, diagnosticsFor, LAYER, type OracleCase } from '../helpers/oracle.js';
import { analyzeGraph } from '../../src/engine/graph/analyze.js';
import { compileGraph } from '../../src/engine/compile/compile.js';
import { orthogonalMatrix } from '../../src/engine/layers/recurrent.js';
import { singleLayerGraph } from '../helpers/oracle.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const cases: OracleCase[] = [
  { kind: 'SimpleRNN', params: { units: 4 }, inputs: [{ shape: [5, 3] }] },
  { kind: 'SimpleRNN', params: { units: 3, activation: 'relu', useBias: false, returnSequences: true }, inputs: [{ shape: [6, 2] }] },
  { kind: 'SimpleRNN', params: { units: 2, bidirectional: true, returnSequences: true }, inputs: [{ shape: [4, 3] }] },
  { kind: 'LSTM', params: { units: 4 }, inputs: [{ shape: [5, 3] }] },
  { kind: 'LSTM', params: { units: 3, returnSequences: true, useBias: false }, inputs: [{ shape: [4, 2] }] },
  { kind: 'LSTM', params: { units: 2, bidirectional: true, mergeMode: 'sum' }, inputs: [{ shape: [3, 4] }] },
  { kind: 'LSTM', params: { units: 3, bidirectional: true, mergeMode: 'mul', returnSequences: true, recurrentActivation: 'hardSigmoid' }, inputs: [{ shape: [4, 2] }] },
  { kind: 'GRU', params: { units: 3 }, inputs: [{ shape: [4, 2] }] },
  { kind: 'GRU', params: { units: 2, bidirectional: true, mergeMode: 'ave', returnSequences: true }, inputs: [{ shape: [5, 3] }] },
  { kind: 'GRU', params: { units: 4, bidirectional: true, useBias: false, activation: 'gelu' }, inputs: [{ shape: [3, 5] }] },
];

describe('recurrent layers match TF.js', () => {
  for (const c of cases) {
    it(`${c.kind} ${JSON.stringify(c.params)} on ${JSON.stringify(c.inputs.map((i) => i.shape))}`, () => {
      checkAgainstTfjs(c);
    });
  }
});

/** Compiles a one-layer graph and returns the node's TF.js layer. */
function builtLayer(c: OracleCase, seed = 1): tf.layers.Layer {
  const { model } = compileGraph(analyzeGraph(singleLayerGraph(c)), { seed });
  return model.getLayer(LAYER);
}

describe('recurrent weights', () => {
  it('LSTM gates use sigmoid and start with a forget-gate bias of 1 (Keras defaults)', () => {
    const layer = builtLayer({ kind: 'LSTM', params: { units: 2 }, inputs: [{ shape: [3, 2] }] });
    expect(layer.getConfig()['recurrentActivation']).toBe('sigmoid');
    const bias = layer.getWeights()[2]!.arraySync();
    expect(bias).toEqual([0, 0, 1, 1, 0, 0, 0, 0]); // gates i, f, c, o
  });

  it('GRU has one bias of 3·units (TF.js has no reset_after)', () => {
    const shapes = builtLayer({ kind: 'GRU', params: { units: 3 }, inputs: [{ shape: [4, 2] }] }).getWeights().map((w) => w.shape);
    expect(shapes).toEqual([[2, 9], [3, 9], [9]]);
  });

  it('bidirectional directions start from different weights, reproducibly', () => {
    const c: OracleCase = { kind: 'GRU', params: { units: 3, bidirectional: true }, inputs: [{ shape: [4, 2] }] };
    const ws = builtLayer(c).getWeights().map((w) => Array.from(w.dataSync()));
    expect(ws).toHaveLength(6);
    expect(ws[3]).not.toEqual(ws[0]); // kernels
    expect(ws[4]).not.toEqual(ws[1]); // recurrent kernels
    const again = builtLayer(c).getWeights().map((w) => Array.from(w.dataSync()));
    expect(again).toEqual(ws);
    const otherSeed = builtLayer(c, 2).getWeights().map((w) => Array.from(w.dataSync()));
    expect(otherSeed[0]).not.toEqual(ws[0]);
  });
});

/** Max |A·Aᵀ − I| over a [rows, cols] matrix given row-major (A's rows orthonormal ⇔ 0). */
function rowOrthogonalityError(a: Float32Array | number[], rows: number, cols: number): number {
  let worst = 0;
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < rows; j++) {
      let dot = 0;
      for (let k = 0; k < cols; k++) dot += a[i * cols + k]! * a[j * cols + k]!;
      worst = Math.max(worst, Math.abs(dot - (i === j ? 1 : 0)));
    }
  return worst;
}

describe('orthogonal recurrent kernels', () => {
  it('LSTM recurrent kernel [u, 4u] has orthonormal rows; SimpleRNN [u, u] is orthogonal', () => {
    const lstm = builtLayer({ kind: 'LSTM', params: { units: 3 }, inputs: [{ shape: [2, 2] }] }).getWeights()[1]!;
    expect(lstm.shape).toEqual([3, 12]);
    expect(rowOrthogonalityError(Array.from(lstm.dataSync()), 3, 12)).toBeLessThan(1e-5);
    const rnn = builtLayer({ kind: 'SimpleRNN', params: { units: 5 }, inputs: [{ shape: [2, 2] }] }).getWeights()[1]!;
    expect(rowOrthogonalityError(Array.from(rnn.dataSync()), 5, 5)).toBeLessThan(1e-5);
  });

  it('a tall matrix has orthonormal columns, and the values depend on the seed only', () => {
    const tall = orthogonalMatrix(6, 3, 9);
    const transposed = Array.from({ length: 18 }, (_, i) => tall[(i % 6) * 3 + Math.floor(i / 6)]!);
    expect(rowOrthogonalityError(transposed, 3, 6)).toBeLessThan(1e-6);
    expect(orthogonalMatrix(6, 3, 9)).toEqual(tall);
    expect(orthogonalMatrix(6, 3, 10)).not.toEqual(tall);
  });

  it('LSTM(256), bidirectional, builds in under 5 s (the TF.js Orthogonal initialiser alone takes ~110 s)', () => {
    const t0 = performance.now();
    builtLayer({ kind: 'LSTM', params: { units: 256, bidirectional: true }, inputs: [{ shape: [4, 8] }] });
    expect(performance.now() - t0).toBeLessThan(5000);
  });
});

describe('recurrent FLOPs', () => {
  const flops = (c: OracleCase) => analyzeGraph(singleLayerGraph(c)).nodes.get(LAYER)!.flops;
  it('LSTM: 5 steps × (2·(3·16 + 4·16) + 16) = 1200', () => {
    expect(flops({ kind: 'LSTM', params: { units: 4 }, inputs: [{ shape: [5, 3] }] })).toBe(1200);
  });
  it('bidirectional GRU: 2 directions × 4 steps × (2·(3·6 + 2·6) + 6) = 528', () => {
    expect(flops({ kind: 'GRU', params: { units: 2, bidirectional: true }, inputs: [{ shape: [4, 3] }] })).toBe(528);
  });
});

describe('recurrent diagnostics', () => {
  it('LSTM fed flat vectors asks for a Reshape to [steps, features]', () => {
    const [d] = diagnosticsFor({ kind: 'LSTM', params: {}, inputs: [{ shape: [784] }] });
    expect(d).toMatchObject({
      code: 'rank-mismatch',
      severity: 'error',
      nodeId: 'L',
      message: 'LSTM needs input of shape [batch, steps, channels], but the Input "in0" gives [null,784]',
      suggestion: 'Insert a Reshape to [784, 1] before this LSTM: it reads [steps, features].',
    });
  });
  it('GRU fed images suggests folding rows into features', () => {
    const [d] = diagnosticsFor({ kind: 'GRU', params: {}, inputs: [{ shape: [28, 28, 1] }] });
    expect(d).toMatchObject({ code: 'rank-mismatch', suggestion: 'Insert a Reshape to [28, 28] before this GRU: it reads [steps, features].' });
  });
  it('an unknown merge mode is named', () => {
    const [d] = diagnosticsFor({ kind: 'SimpleRNN', params: { bidirectional: true, mergeMode: 'max' }, inputs: [{ shape: [3, 2] }] });
    expect(d).toMatchObject({ code: 'invalid-param', message: "SimpleRNN: mergeMode must be one of 'concat', 'sum', 'mul', 'ave'; got \"max\"" });
  });
});
