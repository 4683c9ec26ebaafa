// Pieces several layer families share: the activation param, rank checks, conv
// arithmetic, and suggestions that name the producing node.
import type * as tf from '@tensorflow/tfjs';
import { oneOf } from '../params.js';
import { formatShape, product, type Shape, type TensorInfo } from '../tensor.js';
import type { InferResult, InputInfo, ParamCount } from './spec.js';

export const ACTIVATIONS = [
  'linear', 'relu', 'relu6', 'elu', 'selu', 'sigmoid', 'hardSigmoid', 'tanh', 'softmax',
  'softplus', 'softsign', 'swish', 'silu', 'mish', 'gelu',
] as const;
export type ActivationName = (typeof ACTIVATIONS)[number];

export const activationParam = <const D extends ActivationName>(def: D) =>
  oneOf(ACTIVATIONS, { default: def, doc: 'Activation applied to the output.' });

/** TF.js identifier for an activation name (TF.js calls SiLU "swish"). */
export function tfActivation(a: ActivationName): tf.serialization.ConfigDictValue & string {
  return a === 'silu' ? 'swish' : a;
}

/** Rough per-element cost of an activation, for FLOP totals (documented in docs/project-format.md). */
export function activationFlopsPerElement(a: ActivationName): number {
  switch (a) {
    case 'linear': return 0;
    case 'relu': case 'relu6': return 1;
    case 'elu': case 'selu': case 'sigmoid': case 'hardSigmoid': case 'tanh': case 'softplus': case 'softsign': return 4;
    case 'swish': case 'silu': case 'mish': case 'gelu': case 'softmax': return 5;
    default: {
      const never: never = a;
      throw new Error(`unhandled activation ${String(never)}`);
    }
  }
}

export const NO_PARAMS: ParamCount = { trainable: 0, nonTrainable: 0 };
export const ok = (shape: Shape, dtype: TensorInfo['dtype'] = 'float32'): InferResult => ({ ok: true, out: { shape, dtype } });

/** Elements per sample of a tensor whose non-batch dims are known (0 when unknown). */
export function perSample(t: TensorInfo): number {
  let n = 1;
  for (let i = 1; i < t.shape.length; i++) n *= t.shape[i] ?? 0;
  return n;
}

const RANK_HINT: Record<number, string> = {
  2: '[batch, features]',
  3: '[batch, steps, channels]',
  4: '[batch, height, width, channels]',
  5: '[batch, depth, height, width, channels]',
};

/** Fails unless the input has exactly `rank` dims (batch included), with a hint at what to insert. */
export function requireRank(kind: string, input: InputInfo, rank: number, fix?: string): InferResult | null {
  if (input.shape.length === rank) return null;
  const want = RANK_HINT[rank] ?? `rank ${rank}`;
  const src = describeSource(input);
  return {
    ok: false,
    code: 'rank-mismatch',
    message: `${kind} needs input of shape ${want}, but ${src} gives ${formatShape(input.shape)}`,
    suggestion: fix ?? (input.shape.length > rank ? `Insert a Flatten or Reshape before this ${kind}.` : `Insert a Reshape before this ${kind} to add the missing dimension.`),
  };
}

export function requireMinRank(kind: string, input: InputInfo, rank: number, fix: string): InferResult | null {
  if (input.shape.length >= rank) return null;
  return {
    ok: false,
    code: 'rank-mismatch',
    message: `${kind} needs at least ${rank - 1} dimension${rank > 2 ? 's' : ''} besides the batch, but ${describeSource(input)} gives ${formatShape(input.shape)}`,
    suggestion: fix,
  };
}

/** Fails when any non-batch dim is unknown, for kinds that must know sizes (Flatten, Dense on the last axis, …). */
export function requireKnown(kind: string, input: InputInfo, dims: readonly number[]): InferResult | null {
  const bad = dims.find((d) => input.shape[d] === null);
  if (bad === undefined) return null;
  return {
    ok: false,
    code: 'unknown-dim',
    message: `${kind} needs dimension ${bad} of ${formatShape(input.shape)} to be known`,
    suggestion: 'Give the Input a fixed size for that dimension.',
  };
}

/** "the Conv2D \"c2\"" — how a message names the node an input came from. */
export function describeSource(input: InputInfo): string {
  return `the ${input.source.kind} "${input.source.id}"`;
}

export const invalidShape = (message: string, suggestion: string): InferResult => ({ ok: false, code: 'invalid-shape', message, suggestion });

/** Output length of one convolved/pooled dimension, as TF.js computes it; null if unknown. */
export function convOutLength(len: number | null, kernel: number, stride: number, padding: string, dilation = 1): number | null {
  if (len === null) return null;
  const k = (kernel - 1) * dilation + 1;
  switch (padding) {
    case 'same':
    case 'causal':
      return Math.ceil(len / stride);
    case 'valid':
      return Math.floor((len - k) / stride) + 1;
    default:
      throw new Error(`unknown padding ${padding}`);
  }
}

/** Output length of a transposed convolution dimension (TF.js deconvLength). */
export function deconvLength(len: number | null, kernel: number, stride: number, padding: string): number | null {
  if (len === null) return null;
  return padding === 'valid' ? len * stride + Math.max(kernel - stride, 0) : len * stride;
}

/** Parameter count of a weight list given as shapes. */
export const weights = (...shapes: number[][]): number => shapes.reduce((s, w) => s + product(w), 0);

/** A spatial "valid" conv/pool produced a dimension ≤ 0: say which and how to fix it. */
export function tooSmall(kind: string, input: InputInfo, window: readonly number[]): InferResult {
  return invalidShape(
    `${kind}: a window of ${formatShape(window)} does not fit into ${formatShape(input.shape)} from ${describeSource(input)}`,
    `Use padding 'same', a smaller kernel or pool size, or remove a downsampling layer before this one.`,
  );
}
