// Representative one-layer cases for every layer kind, shared by the exporters' tests (ONNX,
// PyTorch, Keras, import). Typed by kind so a new kind without a case is a compile error.
// Each case feeds `singleLayerGraph` (tests/helpers/oracle.ts); variants cover what changes an
// export (padding, strides, bias off, activations, bidirectional, causal masks, …).
import type { LayerKind } from '../../src/engine/layers/kinds.js';
import type { OracleCase } from './oracle.js';

type Case = Omit<OracleCase, 'kind'> & { readonly label?: string };

const img = (h = 8, w = 8, c = 3) => [{ shape: [h, w, c] }];
const seq = (t = 6, f = 4) => [{ shape: [t, f] }];
const vec = (n = 5) => [{ shape: [n] }];

export const LAYER_CASES = {
  Dense: [
    { params: { units: 4, activation: 'relu' }, inputs: vec() },
    { params: { units: 3, useBias: false, activation: 'softmax' }, inputs: vec(6) },
    { params: { units: 3, activation: 'gelu' }, inputs: seq(3, 4), label: 'rank-3 input' },
  ],
  Activation: [
    { params: { activation: 'tanh' }, inputs: vec() },
    { params: { activation: 'selu' }, inputs: vec() },
    { params: { activation: 'hardSigmoid' }, inputs: vec() },
    { params: { activation: 'softplus' }, inputs: vec() },
  ],
  Dropout: [{ params: { rate: 0.3 }, inputs: vec() }],
  SpatialDropout1D: [{ params: { rate: 0.3 }, inputs: seq() }],
  SpatialDropout2D: [{ params: { rate: 0.3 }, inputs: img() }],
  Flatten: [{ params: {}, inputs: img(4, 4, 2) }],
  Reshape: [{ params: { targetShape: [4, -1] }, inputs: img(4, 4, 2) }],
  Permute: [{ params: { dims: [2, 1] }, inputs: seq() }, { params: { dims: [3, 1, 2] }, inputs: img(4, 5, 2) }],
  RepeatVector: [{ params: { n: 3 }, inputs: vec() }],
  Embedding: [{ params: { inputDim: 20, outputDim: 6 }, inputs: [{ shape: [7], dtype: 'int32', maxValue: 20 }] }],
  Conv1D: [
    { params: { filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }, inputs: seq(8, 3) },
    { params: { filters: 4, kernelSize: 3, padding: 'causal', dilationRate: 2 }, inputs: seq(8, 3) },
    { params: { filters: 2, kernelSize: 2, strides: 2, useBias: false }, inputs: seq(9, 3) },
  ],
  Conv2D: [
    { params: { filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }, inputs: img() },
    { params: { filters: 4, kernelSize: [3, 2], strides: 2, padding: 'same' }, inputs: img(9, 7, 2), label: 'same with stride on odd sizes' },
    { params: { filters: 2, kernelSize: 3, dilationRate: 2, useBias: false }, inputs: img() },
  ],
  Conv3D: [{ params: { filters: 2, kernelSize: 2, padding: 'same' }, inputs: [{ shape: [4, 4, 4, 2] }] }],
  Conv2DTranspose: [
    { params: { filters: 3, kernelSize: 3, strides: 2, padding: 'same' }, inputs: img(4, 4, 2) },
    { params: { filters: 2, kernelSize: 2, strides: 2, padding: 'valid' }, inputs: img(3, 5, 2) },
  ],
  DepthwiseConv2D: [
    { params: { kernelSize: 3, padding: 'same', depthMultiplier: 2 }, inputs: img() },
    { params: { kernelSize: 3, strides: 2, padding: 'valid' }, inputs: img(9, 9, 2) },
  ],
  SeparableConv2D: [{ params: { filters: 4, kernelSize: 3, padding: 'same', depthMultiplier: 1, activation: 'relu' }, inputs: img() }],
  MaxPooling1D: [{ params: { poolSize: 2 }, inputs: seq(7, 3) }, { params: { poolSize: 3, strides: 2, padding: 'same' }, inputs: seq(7, 3) }],
  MaxPooling2D: [{ params: { poolSize: 2 }, inputs: img() }, { params: { poolSize: 3, strides: 2, padding: 'same' }, inputs: img(7, 7, 2) }],
  MaxPooling3D: [{ params: { poolSize: 2 }, inputs: [{ shape: [4, 4, 4, 2] }] }],
  AveragePooling1D: [{ params: { poolSize: 2 }, inputs: seq(8, 3) }, { params: { poolSize: 3, strides: 2, padding: 'same' }, inputs: seq(7, 3) }],
  AveragePooling2D: [
    { params: { poolSize: 2 }, inputs: img() },
    { params: { poolSize: 3, strides: 2, padding: 'same' }, inputs: img(7, 7, 2), label: 'same padding excludes pads from the mean' },
  ],
  AveragePooling3D: [{ params: { poolSize: 2 }, inputs: [{ shape: [4, 4, 4, 2] }] }],
  GlobalAveragePooling1D: [{ params: {}, inputs: seq() }],
  GlobalAveragePooling2D: [{ params: {}, inputs: img() }],
  GlobalMaxPooling1D: [{ params: {}, inputs: seq() }],
  GlobalMaxPooling2D: [{ params: {}, inputs: img() }],
  UpSampling2D: [{ params: { size: 2 }, inputs: img(4, 4, 2) }, { params: { size: [2, 3], interpolation: 'bilinear' }, inputs: img(3, 4, 2) }],
  ZeroPadding2D: [{ params: { padding: [[1, 2], [0, 1]] }, inputs: img(4, 4, 2) }],
  Cropping2D: [{ params: { cropping: [[1, 0], [1, 2]] }, inputs: img(6, 6, 2) }],
  SimpleRNN: [
    { params: { units: 5 }, inputs: seq() },
    { params: { units: 3, returnSequences: true, bidirectional: true, mergeMode: 'concat' }, inputs: seq() },
  ],
  LSTM: [
    { params: { units: 5 }, inputs: seq() },
    { params: { units: 4, returnSequences: true }, inputs: seq() },
    { params: { units: 3, bidirectional: true, mergeMode: 'sum' }, inputs: seq() },
  ],
  GRU: [
    { params: { units: 5 }, inputs: seq() },
    { params: { units: 3, returnSequences: true, bidirectional: true, mergeMode: 'ave' }, inputs: seq() },
  ],
  MultiHeadAttention: [
    { params: { numHeads: 2, keyDim: 4 }, inputs: [{ shape: [5, 6] }, { shape: [5, 6] }] },
    { params: { numHeads: 2, keyDim: 3, valueDim: 5, outputShape: 7, useCausalMask: true }, inputs: [{ shape: [4, 6] }, { shape: [4, 6] }, { shape: [4, 6] }] },
  ],
  PositionalEmbedding: [{ params: { maxLength: 10 }, inputs: seq(6, 8) }],
  TransformerEncoder: [
    { params: { intermediateDim: 16, numHeads: 2 }, inputs: seq(5, 8) },
    { params: { intermediateDim: 12, numHeads: 2, normalizeFirst: true, useCausalMask: true, activation: 'gelu' }, inputs: seq(5, 8) },
  ],
  BatchNormalization: [
    { params: {}, inputs: img(4, 4, 3) },
    { params: { center: false, epsilon: 0.01 }, inputs: vec(6) },
    { params: { axis: 1 }, inputs: seq(4, 3), label: 'non-last axis' },
  ],
  LayerNormalization: [{ params: {}, inputs: seq() }, { params: { scale: false }, inputs: vec(6) }],
  GroupNormalization: [{ params: { groups: 2 }, inputs: img(4, 4, 4) }],
  ReLU: [{ params: {}, inputs: vec() }, { params: { maxValue: 6 }, inputs: vec() }],
  LeakyReLU: [{ params: { alpha: 0.1 }, inputs: vec() }],
  PReLU: [{ params: {}, inputs: vec() }, { params: { sharedAxes: [1, 2] }, inputs: img(4, 4, 3) }],
  ELU: [{ params: { alpha: 0.7 }, inputs: vec() }],
  GELU: [{ params: {}, inputs: vec() }, { params: { approximate: true }, inputs: vec() }],
  SiLU: [{ params: {}, inputs: vec() }],
  Softmax: [{ params: {}, inputs: seq() }, { params: { axis: 1 }, inputs: seq() }],
  Sigmoid: [{ params: {}, inputs: vec() }],
  Tanh: [{ params: {}, inputs: vec() }],
  Add: [{ params: {}, inputs: [...vec(), ...vec()] }],
  Subtract: [{ params: {}, inputs: [...vec(), ...vec()] }],
  Multiply: [{ params: {}, inputs: [...seq(), ...seq()] }],
  Average: [{ params: {}, inputs: [...vec(), ...vec(), ...vec()] }],
  Maximum: [{ params: {}, inputs: [...vec(), ...vec()] }],
  Concatenate: [{ params: {}, inputs: [...seq(6, 3), ...seq(6, 2)] }, { params: { axis: 1 }, inputs: [...seq(2, 3), ...seq(4, 3)] }],
} satisfies Record<Exclude<LayerKind, 'Input'>, readonly Case[]>;

/** Every case as an OracleCase with its kind, for `describe.each`/`it.each`. */
export function allLayerCases(): (OracleCase & { readonly name: string })[] {
  return Object.entries(LAYER_CASES).flatMap(([kind, cases]) =>
    (cases as readonly Case[]).map((c, i) => ({ kind, params: c.params, inputs: c.inputs, name: `${kind}#${i}${c.label ? ` (${c.label})` : ''}` })),
  );
}
