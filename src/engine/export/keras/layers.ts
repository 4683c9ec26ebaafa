// Every layer kind as a tf.keras layer constructor (one entry per kind: a missing one is a
// compile error). NeuralForge's kinds carry Keras's class names and TF.js's argument meanings,
// so most map one to one; custom-py.ts defines the few Keras lacks.
import type { NodeId } from '../../ids.js';
import type { ActivationName } from '../../layers/common.js';
import type { LayerKind } from '../../layers/kinds.js';
import { normalizeAxis, type TensorInfo } from '../../tensor.js';
import { pyBool, pyCall, pyFloat, pyIntOrTuple, pyKwargs, pyStr, pyTuple } from '../python-code.js';
import type { KerasHelper } from './custom-py.js';

export interface KerasNode<P> {
  readonly id: NodeId;
  readonly params: P;
  readonly inputs: readonly TensorInfo[];
  readonly output: TensorInfo;
  /** The layer's name in Keras and its output's variable in build_model. */
  readonly name: string;
}

export interface KerasLayer<P> {
  /** `layers.Conv2D(6, 5, padding='same', name='c1')`. */
  layer(n: KerasNode<P>): string;
  /** The layer applied to its inputs (default: one tensor, or a list for merges). */
  apply?(layer: string, args: readonly string[], n: KerasNode<P>): string;
  helpers?(n: KerasNode<P>): readonly KerasHelper[];
}

const kerasLayer = <P>(l: KerasLayer<P>): KerasLayer<P> => l;

/** `activation=` for a NeuralForge activation: Keras's name, or a helper where Keras differs or may lack it. */
export function kerasActivation(a: ActivationName): string {
  switch (a) {
    case 'linear': return pyStr('linear');
    case 'relu6': return 'tf.nn.relu6';
    case 'hardSigmoid': return 'hard_sigmoid';
    case 'mish': return 'mish';
    case 'silu':
    case 'swish': return pyStr('swish');
    case 'relu': case 'elu': case 'selu': case 'sigmoid': case 'tanh': case 'softmax': case 'softplus': case 'softsign': case 'gelu':
      return pyStr(a);
    default: {
      const never: never = a;
      throw new Error(`unhandled activation ${String(never)}`);
    }
  }
}

const activationHelpers = (...as: readonly (ActivationName | undefined)[]): KerasHelper[] => [
  ...(as.includes('hardSigmoid') ? (['hard_sigmoid'] as const) : []),
  ...(as.includes('mish') ? (['mish'] as const) : []),
];

/** `layers.Kind(positional…, keyword=…, name='…')`. */
const make = (kind: string, n: KerasNode<unknown>, positional: readonly (string | number)[] = [], kwargs: Readonly<Record<string, string | undefined>> = {}): string =>
  pyCall(kind, positional, { ...kwargs, name: pyStr(n.name) });

const act = (a: ActivationName): string | undefined => (a === 'linear' ? undefined : kerasActivation(a));
const bias = (useBias: boolean): string | undefined => (useBias ? undefined : 'False');
const ones = (xs: readonly number[]): boolean => xs.every((x) => x === 1);
const strides = (xs: readonly number[]): string | undefined => (ones(xs) ? undefined : pyIntOrTuple(xs));
const padding = (p: string): string | undefined => (p === 'valid' ? undefined : pyStr(p));

interface ConvP { filters: number; kernelSize: number[]; strides: number[]; padding: string; dilationRate: number[]; activation: ActivationName; useBias: boolean }
interface PoolP { poolSize: number[]; strides: number[] | null; padding: string }
interface RnnP {
  units: number; activation: ActivationName; recurrentActivation?: ActivationName; useBias: boolean; returnSequences: boolean; bidirectional: boolean;
  mergeMode: string;
}
interface Affine { epsilon: number; center: boolean; scale: boolean }

const simple = (kind: string) => kerasLayer<Record<string, never>>({ layer: (n) => make(`layers.${kind}`, n) });
const activationLayer = (activation: string) => kerasLayer<Record<string, never>>({ layer: (n) => make('layers.Activation', n, [activation]) });

function conv(kind: string) {
  return kerasLayer<ConvP>({
    layer: (n) => {
      const p = n.params;
      return make(`layers.${kind}`, n, [p.filters, pyIntOrTuple(p.kernelSize)], {
        strides: strides(p.strides), padding: padding(p.padding), dilation_rate: p.dilationRate && !ones(p.dilationRate) ? pyIntOrTuple(p.dilationRate) : undefined,
        activation: act(p.activation), use_bias: bias(p.useBias),
      });
    },
    helpers: (n) => activationHelpers(n.params.activation),
  });
}

function pool(kind: string) {
  return kerasLayer<PoolP>({
    layer: (n) => make(`layers.${kind}`, n, [pyIntOrTuple(n.params.poolSize)], { strides: n.params.strides ? pyIntOrTuple(n.params.strides) : undefined, padding: padding(n.params.padding) }),
  });
}

function rnn(kind: 'SimpleRNN' | 'LSTM' | 'GRU') {
  return kerasLayer<RnnP>({
    layer(n) {
      const p = n.params;
      const inner = `layers.${kind}(${pyKwargs({
        units: String(p.units),
        activation: p.activation === 'tanh' ? undefined : kerasActivation(p.activation),
        recurrent_activation: p.recurrentActivation && p.recurrentActivation !== 'sigmoid' ? kerasActivation(p.recurrentActivation) : undefined,
        use_bias: bias(p.useBias),
        return_sequences: p.returnSequences ? 'True' : undefined,
        // TF.js's GRU applies the reset gate before the recurrent product; Keras 2+ defaults to after.
        reset_after: kind === 'GRU' ? 'False' : undefined,
        name: p.bidirectional ? undefined : pyStr(n.name),
      })})`;
      return p.bidirectional ? `layers.Bidirectional(${inner}, merge_mode=${pyStr(p.mergeMode)}, name=${pyStr(n.name)})` : inner;
    },
    helpers: (n) => activationHelpers(n.params.activation, n.params.recurrentActivation),
  });
}

const affine = (p: Affine) => ({ epsilon: pyFloat(p.epsilon), center: p.center ? undefined : 'False', scale: p.scale ? undefined : 'False' });
const merge = (kind: string) => kerasLayer<Record<string, never>>({ layer: (n) => make(`layers.${kind}`, n), apply: (l, args) => `${l}([${args.join(', ')}])` });

export const KERAS_LAYERS = {
  Input: kerasLayer<{ shape: number[]; dtype: string }>({
    layer: (n) => `keras.Input(${pyKwargs({ shape: pyTuple(n.params.shape), dtype: n.params.dtype === 'int32' ? pyStr('int32') : undefined, name: pyStr(n.name) })})`,
    apply: (l) => l,
  }),
  Dense: kerasLayer<{ units: number; activation: ActivationName; useBias: boolean }>({
    layer: (n) => make('layers.Dense', n, [n.params.units], { activation: act(n.params.activation), use_bias: bias(n.params.useBias) }),
    helpers: (n) => activationHelpers(n.params.activation),
  }),
  Activation: kerasLayer<{ activation: ActivationName }>({
    layer: (n) => make('layers.Activation', n, [kerasActivation(n.params.activation)]),
    helpers: (n) => activationHelpers(n.params.activation),
  }),
  Dropout: kerasLayer<{ rate: number }>({ layer: (n) => make('layers.Dropout', n, [pyFloat(n.params.rate)]) }),
  SpatialDropout1D: kerasLayer<{ rate: number }>({ layer: (n) => make('layers.SpatialDropout1D', n, [pyFloat(n.params.rate)]) }),
  SpatialDropout2D: kerasLayer<{ rate: number }>({ layer: (n) => make('layers.SpatialDropout2D', n, [pyFloat(n.params.rate)]) }),
  Flatten: simple('Flatten'),
  // -1 resolved, as NeuralForge resolves it.
  Reshape: kerasLayer<{ targetShape: number[] }>({ layer: (n) => make('layers.Reshape', n, [pyTuple(n.output.shape.slice(1) as number[])]) }),
  Permute: kerasLayer<{ dims: number[] }>({ layer: (n) => make('layers.Permute', n, [pyTuple(n.params.dims)]) }),
  RepeatVector: kerasLayer<{ n: number }>({ layer: (n) => make('layers.RepeatVector', n, [n.params.n]) }),
  Embedding: kerasLayer<{ inputDim: number; outputDim: number }>({ layer: (n) => make('layers.Embedding', n, [n.params.inputDim, n.params.outputDim]) }),

  Conv1D: conv('Conv1D'),
  Conv2D: conv('Conv2D'),
  Conv3D: conv('Conv3D'),
  Conv2DTranspose: conv('Conv2DTranspose'),
  DepthwiseConv2D: kerasLayer<Omit<ConvP, 'filters' | 'dilationRate'> & { depthMultiplier: number }>({
    layer: (n) => {
      const p = n.params;
      return make('layers.DepthwiseConv2D', n, [pyIntOrTuple(p.kernelSize)], {
        strides: strides(p.strides), padding: padding(p.padding), depth_multiplier: p.depthMultiplier === 1 ? undefined : String(p.depthMultiplier),
        activation: act(p.activation), use_bias: bias(p.useBias),
      });
    },
    helpers: (n) => activationHelpers(n.params.activation),
  }),
  SeparableConv2D: kerasLayer<ConvP & { depthMultiplier: number }>({
    layer: (n) => {
      const p = n.params;
      return make('layers.SeparableConv2D', n, [p.filters, pyIntOrTuple(p.kernelSize)], {
        strides: strides(p.strides), padding: padding(p.padding), dilation_rate: ones(p.dilationRate) ? undefined : pyIntOrTuple(p.dilationRate),
        depth_multiplier: p.depthMultiplier === 1 ? undefined : String(p.depthMultiplier), activation: act(p.activation), use_bias: bias(p.useBias),
      });
    },
    helpers: (n) => activationHelpers(n.params.activation),
  }),

  MaxPooling1D: pool('MaxPooling1D'),
  MaxPooling2D: pool('MaxPooling2D'),
  MaxPooling3D: pool('MaxPooling3D'),
  AveragePooling1D: pool('AveragePooling1D'),
  AveragePooling2D: pool('AveragePooling2D'),
  AveragePooling3D: pool('AveragePooling3D'),
  GlobalAveragePooling1D: simple('GlobalAveragePooling1D'),
  GlobalAveragePooling2D: simple('GlobalAveragePooling2D'),
  GlobalMaxPooling1D: simple('GlobalMaxPooling1D'),
  GlobalMaxPooling2D: simple('GlobalMaxPooling2D'),
  UpSampling2D: kerasLayer<{ size: number[]; interpolation: 'nearest' | 'bilinear' }>({
    // Keras's bilinear uses half-pixel centres; TF.js's does not (custom-py.ts).
    layer: (n) => make(n.params.interpolation === 'bilinear' ? 'BilinearUpSampling2D' : 'layers.UpSampling2D', n, [pyIntOrTuple(n.params.size)]),
    helpers: (n) => (n.params.interpolation === 'bilinear' ? ['BilinearUpSampling2D'] : []),
  }),
  ZeroPadding2D: kerasLayer<{ padding: [number, number][] }>({ layer: (n) => make('layers.ZeroPadding2D', n, [pyTuple(n.params.padding.map((p) => pyTuple(p)))]) }),
  Cropping2D: kerasLayer<{ cropping: [number, number][] }>({ layer: (n) => make('layers.Cropping2D', n, [pyTuple(n.params.cropping.map((p) => pyTuple(p)))]) }),

  SimpleRNN: rnn('SimpleRNN'),
  LSTM: rnn('LSTM'),
  GRU: rnn('GRU'),

  MultiHeadAttention: kerasLayer<{ numHeads: number; keyDim: number; valueDim: number | null; dropout: number; useBias: boolean; outputShape: number | null; useCausalMask: boolean }>({
    layer: (n) => {
      const p = n.params;
      return make('layers.MultiHeadAttention', n, [], {
        num_heads: String(p.numHeads), key_dim: String(p.keyDim), value_dim: p.valueDim === null ? undefined : String(p.valueDim),
        dropout: p.dropout > 0 ? pyFloat(p.dropout) : undefined, use_bias: bias(p.useBias), output_shape: p.outputShape === null ? undefined : String(p.outputShape),
      });
    },
    apply: (l, args, n) => `${l}(${args.join(', ')}${n.params.useCausalMask ? ', use_causal_mask=True' : ''})`,
  }),
  PositionalEmbedding: kerasLayer<{ maxLength: number }>({ layer: (n) => make('PositionalEmbedding', n, [n.params.maxLength]), helpers: () => ['PositionalEmbedding'] }),
  TransformerEncoder: kerasLayer<{ intermediateDim: number; numHeads: number; dropout: number; activation: ActivationName; layerNormEpsilon: number; normalizeFirst: boolean; useCausalMask: boolean }>({
    layer: (n) => {
      const p = n.params;
      return make('TransformerEncoder', n, [p.intermediateDim, p.numHeads], {
        dropout: p.dropout > 0 ? pyFloat(p.dropout) : undefined, activation: p.activation === 'relu' ? undefined : kerasActivation(p.activation),
        layer_norm_epsilon: p.layerNormEpsilon === 1e-5 ? undefined : pyFloat(p.layerNormEpsilon), normalize_first: p.normalizeFirst ? pyBool(true) : undefined,
        use_causal_mask: p.useCausalMask ? pyBool(true) : undefined,
      });
    },
    helpers: (n) => ['TransformerEncoder', ...activationHelpers(n.params.activation)],
  }),

  BatchNormalization: kerasLayer<Affine & { axis: number; momentum: number }>({
    layer: (n) => make('layers.BatchNormalization', n, [], { axis: n.params.axis === -1 ? undefined : String(n.params.axis), momentum: pyFloat(n.params.momentum), ...affine(n.params) }),
  }),
  LayerNormalization: kerasLayer<Affine & { axis: number }>({
    layer: (n) => make('layers.LayerNormalization', n, [], { axis: n.params.axis === -1 ? undefined : String(n.params.axis), ...affine(n.params) }),
  }),
  GroupNormalization: kerasLayer<Affine & { groups: number }>({
    layer: (n) => make('layers.GroupNormalization', n, [], { groups: String(n.params.groups), ...affine(n.params) }),
  }),

  ReLU: kerasLayer<{ maxValue: number | null }>({ layer: (n) => make('layers.ReLU', n, [], { max_value: n.params.maxValue === null ? undefined : pyFloat(n.params.maxValue) }) }),
  LeakyReLU: kerasLayer<{ alpha: number }>({ layer: (n) => make('layers.LeakyReLU', n, [], { alpha: pyFloat(n.params.alpha) }) }),
  PReLU: kerasLayer<{ sharedAxes: number[] }>({ layer: (n) => make('layers.PReLU', n, [], { shared_axes: n.params.sharedAxes.length ? `[${n.params.sharedAxes.join(', ')}]` : undefined }) }),
  ELU: kerasLayer<{ alpha: number }>({ layer: (n) => make('layers.ELU', n, [], { alpha: n.params.alpha === 1 ? undefined : pyFloat(n.params.alpha) }) }),
  GELU: kerasLayer<{ approximate: boolean }>({
    layer: (n) => make('layers.Activation', n, [n.params.approximate ? 'gelu_tanh' : pyStr('gelu')]),
    helpers: (n) => (n.params.approximate ? ['gelu_tanh'] : []),
  }),
  SiLU: activationLayer(pyStr('swish')),
  Softmax: kerasLayer<{ axis: number }>({
    layer: (n) => {
      const axis = normalizeAxis(n.params.axis, n.inputs[0]!.shape.length)!;
      return make('layers.Softmax', n, [], { axis: axis === n.inputs[0]!.shape.length - 1 ? undefined : String(axis) });
    },
  }),
  Sigmoid: activationLayer(pyStr('sigmoid')),
  Tanh: activationLayer(pyStr('tanh')),

  Add: merge('Add'),
  Subtract: merge('Subtract'),
  Multiply: merge('Multiply'),
  Average: merge('Average'),
  Maximum: merge('Maximum'),
  Concatenate: kerasLayer<{ axis: number }>({
    layer: (n) => make('layers.Concatenate', n, [], { axis: n.params.axis === -1 ? undefined : String(n.params.axis) }),
    apply: (l, args) => `${l}([${args.join(', ')}])`,
  }),
} satisfies Record<LayerKind, KerasLayer<never>>;

/** The entry for `kind` with its params type erased (analyzeGraph resolved them against the kind's schema). */
export const kerasLayerOf = (kind: LayerKind): KerasLayer<unknown> => KERAS_LAYERS[kind] as KerasLayer<unknown>;
