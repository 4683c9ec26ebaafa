// Core layers against the TF.js oracle (shapes, parameter counts, a real forward pass, gradients).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkAgainstTfjs, diagnosticsFor, type OracleCase } from '../helpers/oracle.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const cases: OracleCase[] = [
  { kind: 'Dense', params: { units: 10 }, inputs: [{ shape: [784] }] },
  { kind: 'Dense', params: { units: 3, activation: 'gelu', useBias: false }, inputs: [{ shape: [5, 7] }] },
  { kind: 'Dense', params: { units: 4, activation: 'silu' }, inputs: [{ shape: [2, 3, 6] }] },
  { kind: 'Activation', params: { activation: 'softmax' }, inputs: [{ shape: [10] }] },
  { kind: 'Activation', params: { activation: 'mish' }, inputs: [{ shape: [4, 4] }] },
  { kind: 'Dropout', params: { rate: 0.3 }, inputs: [{ shape: [16] }] },
  { kind: 'SpatialDropout1D', params: { rate: 0.2 }, inputs: [{ shape: [10, 8] }] },
  { kind: 'SpatialDropout2D', params: { rate: 0.2 }, inputs: [{ shape: [6, 6, 3] }] },
  { kind: 'Flatten', params: {}, inputs: [{ shape: [28, 28, 1] }] },
  { kind: 'Reshape', params: { targetShape: [7, -1] }, inputs: [{ shape: [28, 28] }] },
  { kind: 'Reshape', params: { targetShape: [4, 196] }, inputs: [{ shape: [784] }] },
  { kind: 'Permute', params: { dims: [2, 1] }, inputs: [{ shape: [5, 9] }] },
  { kind: 'Permute', params: { dims: [3, 1, 2] }, inputs: [{ shape: [2, 3, 4] }] },
  { kind: 'RepeatVector', params: { n: 5 }, inputs: [{ shape: [12] }] },
  { kind: 'Embedding', params: { inputDim: 50, outputDim: 8 }, inputs: [{ shape: [12], dtype: 'int32', maxValue: 50 }] },
  { kind: 'Embedding', params: { inputDim: 20, outputDim: 3 }, inputs: [{ shape: [4, 5], dtype: 'int32', maxValue: 20 }] },
  { kind: 'Embedding', params: { inputDim: 7, outputDim: 1 }, inputs: [{ shape: [1], dtype: 'int32', maxValue: 7 }] },
  { kind: 'Activation', params: { activation: 'relu6' }, inputs: [{ shape: [3, 5, 2] }] },
  { kind: 'Dropout', params: { rate: 0 }, inputs: [{ shape: [4, 4, 2] }] },
  { kind: 'Dropout', params: {}, inputs: [{ shape: [3, 7] }] },
  { kind: 'SpatialDropout1D', params: {}, inputs: [{ shape: [1, 1] }] },
  { kind: 'SpatialDropout1D', params: { rate: 0.9 }, inputs: [{ shape: [6, 3] }] },
  { kind: 'SpatialDropout2D', params: {}, inputs: [{ shape: [1, 5, 2] }] },
  { kind: 'SpatialDropout2D', params: { rate: 0 }, inputs: [{ shape: [3, 3, 1] }] },
  { kind: 'Flatten', params: {}, inputs: [{ shape: [5] }] },
  { kind: 'Flatten', params: {}, inputs: [{ shape: [2, 3, 4, 5] }] },
  { kind: 'Reshape', params: { targetShape: [-1] }, inputs: [{ shape: [3, 4, 5] }] },
  { kind: 'Permute', params: { dims: [1, 3, 2] }, inputs: [{ shape: [2, 3, 4] }] },
  { kind: 'RepeatVector', params: { n: 1 }, inputs: [{ shape: [3] }] },
  { kind: 'RepeatVector', params: {}, inputs: [{ shape: [1] }] },
];

describe('core layers match TF.js', () => {
  for (const c of cases) {
    it(`${c.kind} ${JSON.stringify(c.params)} on ${JSON.stringify(c.inputs.map((i) => i.shape))}`, () => {
      checkAgainstTfjs(c);
    });
  }
});

describe('Input matches the model TF.js builds', () => {
  for (const [shape, dtype] of [[[28, 28, 1], 'float32'], [[12], 'int32'], [[4, 5, 6, 2], 'float32']] as const) {
    it(`Input ${JSON.stringify(shape)} ${dtype}`, () => {
      // Feed it into a shape-preserving layer so the model has an output.
      const { analysis, model } = checkAgainstTfjs({ kind: 'Activation', params: { activation: 'linear' }, inputs: [{ shape, dtype }] });
      const inferred = analysis.nodes.get(analysis.inputs[0]!)!.output!;
      expect(model.inputs[0]!.shape).toEqual(inferred.shape);
      expect(model.inputs[0]!.dtype).toBe(inferred.dtype);
    });
  }
});

describe('core layer diagnostics', () => {
  it('Reshape that cannot fit says both sizes', () => {
    const [d] = diagnosticsFor({ kind: 'Reshape', params: { targetShape: [10, 10] }, inputs: [{ shape: [28, 28] }] });
    expect(d).toMatchObject({ code: 'invalid-shape', severity: 'error', nodeId: 'L' });
    expect(d!.message).toBe('Reshape: cannot reshape [null,28,28] (784 values) from the Input "in0" into [null,10,10] (100 values)');
    expect(d!.suggestion).toMatch(/multiply to 784/);
  });
  it('Permute with a non-permutation is refused', () => {
    const [d] = diagnosticsFor({ kind: 'Permute', params: { dims: [1, 1] }, inputs: [{ shape: [3, 4] }] });
    expect(d).toMatchObject({ code: 'invalid-shape' });
    expect(d!.message).toMatch(/not a permutation of 1…2/);
  });
  it('a misspelt param is named, with the likely intent', () => {
    const [d] = diagnosticsFor({ kind: 'Dense', params: { unit: 3 }, inputs: [{ shape: [4] }] });
    expect(d).toMatchObject({ code: 'unknown-param', message: "Dense: unknown parameter 'unit'", suggestion: "Did you mean 'units'?" });
  });
  it('a bad value names the param and the rule', () => {
    const [d] = diagnosticsFor({ kind: 'Dense', params: { units: 0 }, inputs: [{ shape: [4] }] });
    expect(d).toMatchObject({ code: 'invalid-param', message: 'Dense: units must be at least 1; got 0' });
  });
  it('RepeatVector on a sequence asks for a Flatten', () => {
    const [d] = diagnosticsFor({ kind: 'RepeatVector', params: { n: 2 }, inputs: [{ shape: [3, 4] }] });
    expect(d).toMatchObject({ code: 'rank-mismatch', message: 'RepeatVector needs input of shape [batch, features], but the Input "in0" gives [null,3,4]' });
  });
});
