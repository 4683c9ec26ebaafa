// Pooling and resampling layers against the TF.js oracle. They have no weights, so each
// case also checks that a gradient flows back to the input (what training needs of them).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeGraph } from '../../src/engine/graph/analyze.js';
import { checkAgainstTfjs, diagnosticsFor, LAYER, singleLayerGraph, type OracleCase } from '../helpers/oracle.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const layer = (kind: string, params: Record<string, unknown>, shape: number[]): OracleCase => ({ kind, params, inputs: [{ shape }] });

const cases: OracleCase[] = [
  layer('MaxPooling1D', {}, [9, 2]),
  layer('MaxPooling1D', { poolSize: 3, strides: 1, padding: 'same' }, [9, 2]),
  layer('MaxPooling1D', { poolSize: [3], strides: [2] }, [8, 3]),
  layer('MaxPooling2D', {}, [9, 9, 2]),
  layer('MaxPooling2D', { poolSize: [2, 3], strides: null }, [9, 8, 1]),
  layer('MaxPooling2D', { poolSize: 3, strides: 2, padding: 'same' }, [9, 8, 2]),
  layer('MaxPooling2D', { poolSize: 4, padding: 'same' }, [3, 3, 2]),
  layer('MaxPooling3D', {}, [5, 5, 5, 2]),
  layer('MaxPooling3D', { poolSize: [2, 3, 2], strides: 1, padding: 'same' }, [4, 5, 3, 1]),
  layer('MaxPooling3D', { poolSize: 3, strides: 2 }, [6, 6, 5, 1]),
  layer('AveragePooling1D', {}, [8, 2]),
  layer('AveragePooling1D', { poolSize: 3, strides: 2 }, [9, 4]),
  layer('AveragePooling1D', { poolSize: 4, padding: 'same' }, [9, 1]),
  layer('AveragePooling2D', {}, [8, 9, 2]),
  layer('AveragePooling2D', { poolSize: 3, strides: 2, padding: 'same' }, [9, 9, 2]),
  layer('AveragePooling2D', { poolSize: [1, 3], strides: [1, 1] }, [4, 7, 3]),
  layer('AveragePooling3D', {}, [4, 4, 4, 1]),
  layer('AveragePooling3D', { poolSize: 2, strides: [1, 2, 1] }, [5, 5, 5, 2]),
  layer('AveragePooling3D', { poolSize: 3, strides: 2, padding: 'same' }, [5, 6, 3, 1]),
  layer('GlobalAveragePooling1D', {}, [9, 2]),
  layer('GlobalAveragePooling1D', {}, [1, 5]),
  layer('GlobalAveragePooling1D', {}, [16, 8]),
  layer('GlobalAveragePooling2D', {}, [9, 9, 2]),
  layer('GlobalAveragePooling2D', {}, [3, 8, 1]),
  layer('GlobalAveragePooling2D', {}, [1, 1, 6]),
  layer('GlobalMaxPooling1D', {}, [9, 2]),
  layer('GlobalMaxPooling1D', {}, [1, 3]),
  layer('GlobalMaxPooling1D', {}, [12, 5]),
  layer('GlobalMaxPooling2D', {}, [9, 9, 2]),
  layer('GlobalMaxPooling2D', {}, [4, 7, 3]),
  layer('GlobalMaxPooling2D', {}, [1, 1, 4]),
  layer('UpSampling2D', {}, [4, 5, 2]),
  layer('UpSampling2D', { size: [2, 3] }, [3, 3, 1]),
  layer('UpSampling2D', { size: 3, interpolation: 'bilinear' }, [4, 4, 2]),
  layer('UpSampling2D', { size: [1, 2], interpolation: 'bilinear' }, [3, 3, 1]),
  layer('ZeroPadding2D', {}, [4, 5, 2]),
  layer('ZeroPadding2D', { padding: [2, 0] }, [3, 3, 1]),
  layer('ZeroPadding2D', { padding: [[1, 2], [0, 3]] }, [4, 5, 2]),
  layer('Cropping2D', {}, [4, 5, 2]),
  layer('Cropping2D', { cropping: 1 }, [5, 4, 1]),
  layer('Cropping2D', { cropping: [[1, 2], [0, 3]] }, [4, 5, 2]),
];

/** d(mean(y²))/dx through the compiled layer: defined, finite, not all zero. */
function inputGradient(model: tf.LayersModel, shape: readonly number[]): { finite: boolean; nonZero: boolean; shape: number[] } {
  return tf.tidy(() => {
    const x = tf.randomNormal([2, ...shape], 0, 1, 'float32', 11);
    const g = tf.grad((xx: tf.Tensor) => tf.mean(tf.square(model.apply(xx) as tf.Tensor)))(x);
    return { finite: Number.isFinite(g.abs().sum().dataSync()[0]!), nonZero: g.abs().max().dataSync()[0]! > 0, shape: g.shape };
  });
}

const label = (c: OracleCase) => `${c.kind} ${JSON.stringify(c.params)} on ${JSON.stringify(c.inputs[0]!.shape)}`;

describe('pooling layers match TF.js and pass gradients back', () => {
  for (const c of cases) {
    it(label(c), () => {
      const { model } = checkAgainstTfjs(c);
      const shape = c.inputs[0]!.shape;
      expect(inputGradient(model, shape)).toEqual({ finite: true, nonZero: true, shape: [2, ...shape] });
    });
  }
});

describe('known TF.js limits', () => {
  it("bilinear UpSampling2D of a non-square image has no gradient on TF.js's cpu backend", () => {
    // tfjs-backend-cpu's ResizeBilinearGrad returns [batch, width, height, depth]; webgl and
    // webgpu do not. If this starts passing, the bug is fixed and this test can go.
    const c = layer('UpSampling2D', { interpolation: 'bilinear' }, [3, 4, 1]);
    const { model } = checkAgainstTfjs(c);
    expect(() => inputGradient(model, [3, 4, 1])).toThrow(/Error in gradient for op ResizeBilinear/);
  });
});

describe('pooling diagnostics', () => {
  it('a pool window larger than a valid-padded input names the window and the input', () => {
    const [d] = diagnosticsFor(layer('MaxPooling2D', { poolSize: 4 }, [3, 3, 2]));
    expect(d).toMatchObject({
      code: 'invalid-shape',
      severity: 'error',
      nodeId: 'L',
      message: 'MaxPooling2D: a window of [4,4] does not fit into [null,3,3,2] from the Input "in0"',
      suggestion: "Use padding 'same', a smaller kernel or pool size, or remove a downsampling layer before this one.",
    });
  });

  it('AveragePooling1D on one step too few', () => {
    const [d] = diagnosticsFor(layer('AveragePooling1D', { poolSize: 3 }, [2, 4]));
    expect(d!.message).toBe('AveragePooling1D: a window of [3] does not fit into [null,2,4] from the Input "in0"');
  });

  it('cropping away every row is an error, with how much is allowed', () => {
    const [d] = diagnosticsFor(layer('Cropping2D', { cropping: [[2, 2], [0, 0]] }, [4, 5, 2]));
    expect(d).toMatchObject({
      code: 'invalid-shape',
      message: 'Cropping2D: cropping [[2,2],[0,0]] leaves no rows of [null,4,5,2] from the Input "in0"',
      suggestion: 'Crop at most 3 rows in total (top + bottom).',
    });
  });

  it('cropping away every column too', () => {
    const [d] = diagnosticsFor(layer('Cropping2D', { cropping: [0, 3] }, [4, 5, 2]));
    expect(d!.message).toBe('Cropping2D: cropping [[0,0],[3,3]] leaves no columns of [null,4,5,2] from the Input "in0"');
    expect(d!.suggestion).toBe('Crop at most 4 columns in total (left + right).');
  });

  it('2D global pooling of a sequence points at the 1D kind', () => {
    const [d] = diagnosticsFor(layer('GlobalAveragePooling2D', {}, [10, 8]));
    expect(d).toMatchObject({
      code: 'rank-mismatch',
      message: 'GlobalAveragePooling2D needs input of shape [batch, height, width, channels], but the Input "in0" gives [null,10,8]',
      suggestion: 'Insert a Reshape with targetShape [10,8,1] before this GlobalAveragePooling2D, or use GlobalAveragePooling1D for [steps, channels] input.',
    });
  });

  it('MaxPooling2D after a Dense asks for a Reshape', () => {
    const [d] = diagnosticsFor(layer('MaxPooling2D', {}, [10]));
    expect(d).toMatchObject({ code: 'rank-mismatch', suggestion: 'Insert a Reshape before this MaxPooling2D so that each sample is [height, width, channels].' });
  });

  it('negative padding is refused by the param check', () => {
    const [d] = diagnosticsFor(layer('ZeroPadding2D', { padding: [[1, -1], [0, 0]] }, [4, 4, 1]));
    expect(d).toMatchObject({ code: 'invalid-param', message: 'ZeroPadding2D: padding must not be negative; got [[1,-1],[0,0]]' });
  });

  it('integer input is refused (TF.js average pooling needs float32)', () => {
    const [d] = diagnosticsFor({ kind: 'AveragePooling2D', params: {}, inputs: [{ shape: [4, 4, 1], dtype: 'int32' }] });
    expect(d).toMatchObject({ code: 'dtype-mismatch', message: 'AveragePooling2D needs float32 input, but the Input "in0" gives int32' });
  });
});

describe('pooling FLOPs per sample', () => {
  const flops = (c: OracleCase) => analyzeGraph(singleLayerGraph(c)).nodes.get(LAYER)!.flops;

  it('MaxPooling2D 2×2 on 28×28×16: window volume per output element', () => {
    expect(flops(layer('MaxPooling2D', {}, [28, 28, 16]))).toBe(14 * 14 * 16 * 4);
  });
  it('AveragePooling1D 3, stride 2 on 9×4: 4 outputs per channel', () => {
    expect(flops(layer('AveragePooling1D', { poolSize: 3, strides: 2 }, [9, 4]))).toBe(4 * 4 * 3);
  });
  it('GlobalAveragePooling2D on 7×7×32: one per input element', () => {
    expect(flops(layer('GlobalAveragePooling2D', {}, [7, 7, 32]))).toBe(7 * 7 * 32);
  });
  it('resampling moves data only', () => {
    expect(flops(layer('UpSampling2D', { interpolation: 'bilinear' }, [4, 4, 2]))).toBe(0);
    expect(flops(layer('ZeroPadding2D', {}, [4, 4, 2]))).toBe(0);
    expect(flops(layer('Cropping2D', { cropping: 1 }, [4, 4, 2]))).toBe(0);
  });
});
