// Keras layer configs (as TF.js and Keras write them in model.json, snake_case) → NeuralForge
// layer kinds and params. One entry per Keras class; a config we cannot express exactly is
// refused with the reason, and the importer lists the layer as unmapped.
import { ACTIVATIONS, type ActivationName } from '../layers/common.js';

export type Mapped = { readonly kind: string; readonly params: Record<string, unknown> } | { readonly reason: string };

/** Thrown inside a mapper when a config field is missing or has a value we cannot express. */
class Refused extends Error {}

/** Typed reads of one layer's config; any surprise refuses the layer with what was found. */
export class Cfg {
  constructor(readonly raw: Readonly<Record<string, unknown>>) {}
  private get(key: string): unknown {
    return Object.hasOwn(this.raw, key) ? this.raw[key] : undefined;
  }
  has(key: string): boolean {
    return this.get(key) !== undefined && this.get(key) !== null;
  }
  int(key: string, fallback?: number): number {
    const v = this.get(key) ?? fallback;
    if (!Number.isInteger(v)) throw new Refused(`${key} must be a whole number, got ${JSON.stringify(v)}`);
    return v as number;
  }
  num(key: string, fallback?: number): number {
    const v = this.get(key) ?? fallback;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Refused(`${key} must be a number, got ${JSON.stringify(v)}`);
    return v;
  }
  bool(key: string, fallback?: boolean): boolean {
    const v = this.get(key) ?? fallback;
    if (typeof v !== 'boolean') throw new Refused(`${key} must be true or false, got ${JSON.stringify(v)}`);
    return v;
  }
  str(key: string, fallback?: string): string {
    const v = this.get(key) ?? fallback;
    if (typeof v !== 'string') throw new Refused(`${key} must be a string, got ${JSON.stringify(v)}`);
    return v;
  }
  /** A number or list of numbers, as a list of `n` (Keras writes kernel_size 3 or [3, 3]). */
  ints(key: string, n: number, fallback?: number): number[] {
    const v = this.get(key) ?? fallback;
    const list = Number.isInteger(v) ? new Array<number>(n).fill(v as number) : v;
    if (!Array.isArray(list) || list.length !== n || !list.every(Number.isInteger)) throw new Refused(`${key} must be ${n} whole number(s), got ${JSON.stringify(v)}`);
    return list as number[];
  }
  nullableInt(key: string): number | null {
    return this.has(key) ? this.int(key) : null;
  }
  /** The value must be one of `allowed` (or absent, which counts as the first). */
  expect(key: string, allowed: readonly unknown[]): void {
    const v = this.get(key) ?? allowed[0];
    if (!allowed.some((a) => JSON.stringify(a) === JSON.stringify(v))) throw new Refused(`${key} ${JSON.stringify(v)} is not supported (only ${allowed.map((a) => JSON.stringify(a)).join(' or ')})`);
  }
  activation(key = 'activation', fallback = 'linear'): ActivationName {
    return toActivation(this.str(key, fallback));
  }
}

/** Keras/TF.js activation names (snake_case on disk) → ours. */
export function toActivation(name: string): ActivationName {
  const ours = ({ hard_sigmoid: 'hardSigmoid' } as Record<string, string>)[name] ?? name;
  if (!(ACTIVATIONS as readonly string[]).includes(ours)) throw new Refused(`activation "${name}" is not supported`);
  return ours as ActivationName;
}

const channelsLast = (c: Cfg) => c.expect('data_format', ['channels_last']);

function conv(kind: 'Conv1D' | 'Conv2D' | 'Conv3D', n: number) {
  return (c: Cfg) => {
    channelsLast(c);
    c.expect('groups', [1]);
    const padding = c.str('padding', 'valid');
    if (!['valid', 'same', ...(n === 1 ? ['causal'] : [])].includes(padding)) throw new Refused(`padding "${padding}" is not supported`);
    return {
      kind,
      params: {
        filters: c.int('filters'), kernelSize: c.ints('kernel_size', n), strides: c.ints('strides', n, 1), padding,
        dilationRate: c.ints('dilation_rate', n, 1), activation: c.activation(), useBias: c.bool('use_bias', true),
      },
    };
  };
}

function pool(kind: string, n: number) {
  return (c: Cfg) => {
    channelsLast(c);
    const poolSize = c.ints('pool_size', n, 2);
    return { kind, params: { poolSize, strides: c.has('strides') ? c.ints('strides', n) : poolSize, padding: c.str('padding', 'valid') } };
  };
}

function globalPool(kind: string) {
  return (c: Cfg) => {
    channelsLast(c);
    c.expect('keepdims', [false]);
    return { kind, params: {} };
  };
}

const plain = (kind: string) => () => ({ kind, params: {} });

const RNN_KINDS = ['SimpleRNN', 'LSTM', 'GRU'];

/** A recurrent layer's own params (TF.js's GRU is reset_after = false; Keras 2+'s default true cannot be expressed). */
function rnnParams(cls: string, c: Cfg): Record<string, unknown> {
  for (const k of ['return_state', 'go_backwards', 'stateful']) c.expect(k, [false]);
  if (cls === 'GRU') c.expect('reset_after', [false]);
  return {
    units: c.int('units'), activation: c.activation('activation', 'tanh'), useBias: c.bool('use_bias', true), returnSequences: c.bool('return_sequences', false),
    ...(cls === 'SimpleRNN' ? {} : { recurrentActivation: c.activation('recurrent_activation', 'sigmoid') }),
  };
}

function rnn(cls: string) {
  return (c: Cfg) => ({ kind: cls, params: { ...rnnParams(cls, c), bidirectional: false } });
}

function bidirectional(c: Cfg): Mapped {
  const inner = c.raw['layer'] as { class_name?: unknown; config?: unknown } | undefined;
  const cls = typeof inner?.class_name === 'string' ? inner.class_name : '';
  if (!RNN_KINDS.includes(cls) || typeof inner?.config !== 'object' || inner.config === null) throw new Refused(`Bidirectional around ${cls || 'an unknown layer'} is not supported`);
  const mergeMode = c.str('merge_mode', 'concat');
  if (!['concat', 'sum', 'mul', 'ave'].includes(mergeMode)) throw new Refused(`merge_mode "${mergeMode}" is not supported`);
  return { kind: cls, params: { ...rnnParams(cls, new Cfg(inner.config as Record<string, unknown>)), bidirectional: true, mergeMode } };
}

/** Keras writes axis as an int or a one-element list (TF.js LayerNormalization: absolute, e.g. [2]). */
function axisOf(c: Cfg, fallback = -1): number {
  const v = c.raw['axis'];
  if (Array.isArray(v) && v.length === 1 && Number.isInteger(v[0])) return v[0] as number;
  return c.int('axis', fallback);
}

function dropoutKind(c: Cfg): string {
  const noise = c.raw['noise_shape'];
  if (noise === null || noise === undefined) return 'Dropout';
  const shape = JSON.stringify(noise);
  if (shape === '[null,1,null]') return 'SpatialDropout1D';
  if (shape === '[null,1,1,null]') return 'SpatialDropout2D';
  throw new Refused(`noise_shape ${shape} is not supported`);
}

const NF_DROPOUT: Record<string, string> = { elementwise: 'Dropout', channels1d: 'SpatialDropout1D', channels2d: 'SpatialDropout2D' };

/** Keras class name → mapper. Our own classes (NF…) map back to the kinds they were built from. */
const MAPPERS: Readonly<Record<string, (c: Cfg) => Mapped>> = {
  Dense: (c) => ({ kind: 'Dense', params: { units: c.int('units'), activation: c.activation(), useBias: c.bool('use_bias', true) } }),
  Activation: (c) => {
    const a = c.str('activation');
    if (a === 'gelu_new') return { kind: 'GELU', params: { approximate: true } };
    return { kind: 'Activation', params: { activation: toActivation(a) } };
  },
  Dropout: (c) => ({ kind: dropoutKind(c), params: { rate: c.num('rate') } }),
  SpatialDropout1D: (c) => ({ kind: 'SpatialDropout1D', params: { rate: c.num('rate') } }),
  SpatialDropout2D: (c) => (channelsLast(c), { kind: 'SpatialDropout2D', params: { rate: c.num('rate') } }),
  NFDropout: (c) => {
    const kind = NF_DROPOUT[c.str('noise')];
    if (!kind) throw new Refused(`noise ${JSON.stringify(c.raw['noise'])} is unknown`);
    return { kind, params: { rate: c.num('rate') } };
  },
  Flatten: (c) => (channelsLast(c), { kind: 'Flatten', params: {} }),
  Reshape: (c) => ({ kind: 'Reshape', params: { targetShape: c.ints('target_shape', (c.raw['target_shape'] as unknown[] | undefined)?.length ?? 0) } }),
  Permute: (c) => ({ kind: 'Permute', params: { dims: c.ints('dims', (c.raw['dims'] as unknown[] | undefined)?.length ?? 0) } }),
  RepeatVector: (c) => ({ kind: 'RepeatVector', params: { n: c.int('n') } }),
  Embedding: (c) => (c.expect('mask_zero', [false]), { kind: 'Embedding', params: { inputDim: c.int('input_dim'), outputDim: c.int('output_dim') } }),
  Conv1D: conv('Conv1D', 1),
  Conv2D: conv('Conv2D', 2),
  Conv3D: conv('Conv3D', 3),
  Conv2DTranspose: (c) => {
    channelsLast(c);
    c.expect('dilation_rate', [[1, 1], 1]);
    c.expect('output_padding', [null]);
    const padding = c.str('padding', 'valid');
    return { kind: 'Conv2DTranspose', params: { filters: c.int('filters'), kernelSize: c.ints('kernel_size', 2), strides: c.ints('strides', 2, 1), padding, activation: c.activation(), useBias: c.bool('use_bias', true) } };
  },
  DepthwiseConv2D: (c) => {
    channelsLast(c);
    c.expect('dilation_rate', [[1, 1], 1]);
    return { kind: 'DepthwiseConv2D', params: { kernelSize: c.ints('kernel_size', 2), strides: c.ints('strides', 2, 1), padding: c.str('padding', 'valid'), depthMultiplier: c.int('depth_multiplier', 1), activation: c.activation(), useBias: c.bool('use_bias', true) } };
  },
  SeparableConv2D: (c) => {
    channelsLast(c);
    return {
      kind: 'SeparableConv2D',
      params: { filters: c.int('filters'), kernelSize: c.ints('kernel_size', 2), strides: c.ints('strides', 2, 1), padding: c.str('padding', 'valid'), dilationRate: c.ints('dilation_rate', 2, 1), depthMultiplier: c.int('depth_multiplier', 1), activation: c.activation(), useBias: c.bool('use_bias', true) },
    };
  },
  MaxPooling1D: pool('MaxPooling1D', 1), MaxPooling2D: pool('MaxPooling2D', 2), MaxPooling3D: pool('MaxPooling3D', 3),
  AveragePooling1D: pool('AveragePooling1D', 1), AveragePooling2D: pool('AveragePooling2D', 2), AveragePooling3D: pool('AveragePooling3D', 3),
  GlobalAveragePooling1D: globalPool('GlobalAveragePooling1D'), GlobalAveragePooling2D: globalPool('GlobalAveragePooling2D'),
  GlobalMaxPooling1D: globalPool('GlobalMaxPooling1D'), GlobalMaxPooling2D: globalPool('GlobalMaxPooling2D'),
  UpSampling2D: (c) => (channelsLast(c), { kind: 'UpSampling2D', params: { size: c.ints('size', 2, 2), interpolation: c.str('interpolation', 'nearest') } }),
  ZeroPadding2D: (c) => (channelsLast(c), { kind: 'ZeroPadding2D', params: { padding: c.raw['padding'] ?? 1 } }),
  Cropping2D: (c) => (channelsLast(c), { kind: 'Cropping2D', params: { cropping: c.raw['cropping'] ?? 0 } }),
  SimpleRNN: rnn('SimpleRNN'), LSTM: rnn('LSTM'), GRU: rnn('GRU'),
  Bidirectional: bidirectional,
  NFMultiHeadAttention: (c) => ({
    kind: 'MultiHeadAttention',
    params: { numHeads: c.int('num_heads'), keyDim: c.int('key_dim'), valueDim: c.nullableInt('value_dim'), dropout: c.num('dropout', 0), useBias: c.bool('use_bias', true), outputShape: c.nullableInt('output_dim'), useCausalMask: c.bool('use_causal_mask', false) },
  }),
  NFPositionalEmbedding: (c) => ({ kind: 'PositionalEmbedding', params: { maxLength: c.int('max_length') } }),
  NFTransformerEncoder: (c) => ({
    kind: 'TransformerEncoder',
    params: { intermediateDim: c.int('intermediate_dim'), numHeads: c.int('num_heads'), dropout: c.num('dropout', 0), activation: c.activation('activation', 'relu'), layerNormEpsilon: c.num('layer_norm_epsilon', 1e-5), normalizeFirst: c.bool('normalize_first', false), useCausalMask: c.bool('use_causal_mask', false) },
  }),
  BatchNormalization: (c) => ({ kind: 'BatchNormalization', params: { axis: axisOf(c), momentum: c.num('momentum', 0.99), epsilon: c.num('epsilon', 1e-3), center: c.bool('center', true), scale: c.bool('scale', true) } }),
  LayerNormalization: (c) => ({ kind: 'LayerNormalization', params: { axis: axisOf(c), epsilon: c.num('epsilon', 1e-3), center: c.bool('center', true), scale: c.bool('scale', true) } }),
  GroupNormalization: (c) => (c.expect('axis', [-1]), { kind: 'GroupNormalization', params: { groups: c.int('groups', 32), epsilon: c.num('epsilon', 1e-3), center: c.bool('center', true), scale: c.bool('scale', true) } }),
  NFGroupNormalization: (c) => ({ kind: 'GroupNormalization', params: { groups: c.int('groups'), epsilon: c.num('epsilon'), center: c.bool('center', true), scale: c.bool('scale', true) } }),
  ReLU: (c) => {
    c.expect('negative_slope', [0]);
    c.expect('threshold', [0]);
    return { kind: 'ReLU', params: { maxValue: c.has('max_value') ? c.num('max_value') : null } };
  },
  LeakyReLU: (c) => ({ kind: 'LeakyReLU', params: { alpha: c.has('alpha') ? c.num('alpha') : c.num('negative_slope', 0.3) } }),
  PReLU: (c) => ({ kind: 'PReLU', params: { sharedAxes: c.has('shared_axes') ? c.ints('shared_axes', (c.raw['shared_axes'] as unknown[]).length) : [] } }),
  ELU: (c) => ({ kind: 'ELU', params: { alpha: c.num('alpha', 1) } }),
  Softmax: (c) => ({ kind: 'Softmax', params: { axis: axisOf(c) } }),
  Add: plain('Add'), Multiply: plain('Multiply'), Average: plain('Average'), Maximum: plain('Maximum'),
  Subtract: plain('Subtract'), NFSubtract: plain('Subtract'),
  Concatenate: (c) => ({ kind: 'Concatenate', params: { axis: c.int('axis', -1) } }),
};

/**
 * One Keras layer as a NeuralForge kind and params, or the reason it cannot be.
 * @example mapKerasLayer('Dense', { units: 4, activation: 'relu' }) // → { kind: 'Dense', params: { units: 4, activation: 'relu', useBias: true } }
 */
export function mapKerasLayer(className: string, config: Readonly<Record<string, unknown>>): Mapped {
  const mapper = Object.hasOwn(MAPPERS, className) ? MAPPERS[className] : undefined;
  if (!mapper) return { reason: `no NeuralForge layer for ${className}` };
  try {
    return mapper(new Cfg(config));
  } catch (e) {
    if (e instanceof Refused) return { reason: e.message };
    throw e;
  }
}
