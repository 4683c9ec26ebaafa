// Attention arithmetic shared by the custom attention layers, written only with ops that
// have gradients in TF.js (matMul, reshape, transpose, softmax, moments, …; no einsum).
//
// Weight layout (chosen to export to PyTorch/ONNX without reshuffling): every projection is
// a 2-D kernel [Din, H·K] whose column h·K + k is feature k of head h, i.e. Keras's einsum
// kernel [Din, H, K] flattened row-major, and PyTorch's Linear.weight transposed. The output
// projection is [H·V, Dout], Keras's [H, V, Dout] flattened. Biases are [H·K] and [Dout].
import * as tf from '@tensorflow/tfjs';
import { hash32 } from '../seed.js';

/** One dense projection on the last axis: kernel [Din, N], bias [N] or none. */
export interface Projection<T = tf.Tensor> {
  readonly kernel: T;
  readonly bias: T | null;
}

export interface AttentionWeights<T = tf.Tensor> {
  readonly query: Projection<T>;
  readonly key: Projection<T>;
  readonly value: Projection<T>;
  readonly output: Projection<T>;
}

export interface AttentionOptions {
  readonly numHeads: number;
  readonly keyDim: number;
  readonly valueDim: number;
  /** Dropout on the attention probabilities, applied only when `training`. */
  readonly dropout: number;
  /** Seed of the next dropout mask (see MaskSeeds), so seeded runs repeat exactly. */
  readonly dropoutSeed: () => number;
  readonly useCausalMask: boolean;
  readonly training: boolean;
}

export type WeightInit = 'glorotUniform' | 'zeros' | 'ones';
/** Creates one weight of the calling layer (a bound `addWeight` with a seeded initialiser). */
export type AddWeight = (name: string, shape: number[], init: WeightInit) => tf.LayerVariable;

/** Independent per-weight seeds from a layer's one seed. */
export const weightSeedOf = (seed: number, slot: string): number => hash32(`${seed}|${slot}`);

type Initializer = ReturnType<typeof tf.initializers.zeros>;

export function initializer(init: WeightInit, seed: number): Initializer {
  switch (init) {
    case 'glorotUniform': return tf.initializers.glorotUniform({ seed });
    case 'zeros': return tf.initializers.zeros();
    case 'ones': return tf.initializers.ones();
    default: {
      const never: never = init;
      throw new Error(`unhandled initialiser ${String(never)}`);
    }
  }
}

export function makeProjection(add: AddWeight, name: string, din: number, dout: number, useBias: boolean): Projection<tf.LayerVariable> {
  return {
    kernel: add(`${name}/kernel`, [din, dout], 'glorotUniform'),
    bias: useBias ? add(`${name}/bias`, [dout], 'zeros') : null,
  };
}

/** The four projections of multi-head attention, in Keras's order: query, key, value, output. */
export function makeAttentionWeights(
  add: AddWeight,
  dims: { query: number; key: number; value: number; output: number },
  o: { numHeads: number; keyDim: number; valueDim: number; useBias: boolean },
): AttentionWeights<tf.LayerVariable> {
  const hk = o.numHeads * o.keyDim;
  const hv = o.numHeads * o.valueDim;
  return {
    query: makeProjection(add, 'query', dims.query, hk, o.useBias),
    key: makeProjection(add, 'key', dims.key, hk, o.useBias),
    value: makeProjection(add, 'value', dims.value, hv, o.useBias),
    output: makeProjection(add, 'output', hv, dims.output, o.useBias),
  };
}

export const readProjection = (p: Projection<tf.LayerVariable>): Projection => ({ kernel: p.kernel.read(), bias: p.bias?.read() ?? null });

export function readAttentionWeights(w: AttentionWeights<tf.LayerVariable>): AttentionWeights {
  return { query: readProjection(w.query), key: readProjection(w.key), value: readProjection(w.value), output: readProjection(w.output) };
}

/** [B, T, Din] → [B, T, N] */
export function project(x: tf.Tensor, p: Projection): tf.Tensor {
  const [, steps, din] = x.shape;
  const n = p.kernel.shape[1]!;
  const flat = tf.matMul(tf.reshape(x, [-1, din!]), p.kernel); // [B·T, N]
  return tf.reshape(p.bias ? tf.add(flat, p.bias) : flat, [-1, steps!, n]);
}

/** [B, T, H·K] → [B, H, T, K] */
function splitHeads(x: tf.Tensor, heads: number): tf.Tensor {
  const [, steps, width] = x.shape;
  return tf.transpose(tf.reshape(x, [-1, steps!, heads, width! / heads]), [0, 2, 1, 3]);
}

/** [B, H, T, V] → [B, T, H·V] */
function mergeHeads(x: tf.Tensor): tf.Tensor {
  const [, heads, steps, depth] = x.shape;
  return tf.reshape(tf.transpose(x, [0, 2, 1, 3]), [-1, steps!, heads! * depth!]);
}

/** [Tq, Tv]: 0 where query t may see value s (s ≤ t), a large negative number above the diagonal. */
export function causalMask(tq: number, tv: number): tf.Tensor {
  const allowed = tf.linalg.bandPart(tf.ones([tq, tv]), -1, 0);
  return tf.mul(tf.sub(1, allowed), -1e9);
}

/**
 * Keras MultiHeadAttention: softmax(Q·Kᵀ/√K [+ mask]) · V per head, then the output projection.
 * query [B, Tq, Dq], value [B, Tv, Dv], key [B, Tv, Dk] → [B, Tq, Dout]
 */
export function multiHeadAttention(query: tf.Tensor, value: tf.Tensor, key: tf.Tensor, w: AttentionWeights, o: AttentionOptions): tf.Tensor {
  const q = splitHeads(project(query, w.query), o.numHeads); // [B, H, Tq, K]
  const k = splitHeads(project(key, w.key), o.numHeads); // [B, H, Tv, K]
  const v = splitHeads(project(value, w.value), o.numHeads); // [B, H, Tv, V]
  let scores = tf.matMul(tf.mul(q, 1 / Math.sqrt(o.keyDim)), k, false, true); // [B, H, Tq, Tv]
  if (o.useCausalMask) scores = tf.add(scores, causalMask(query.shape[1]!, key.shape[1]!));
  let probs = tf.softmax(scores); // over Tv
  if (o.training && o.dropout > 0) probs = tf.dropout(probs, o.dropout, undefined, o.dropoutSeed());
  const context = mergeHeads(tf.matMul(probs, v)); // [B, Tq, H·V]
  return project(context, w.output);
}

/** Layer normalisation over the last axis, as Keras: (x − mean) / √(var + ε) · γ + β. */
export function layerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, epsilon: number): tf.Tensor {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, epsilon))), gamma), beta);
}

/** `shape` as a list of input shapes, whether the layer got one input or several. */
export function shapeList(shape: tf.Shape | tf.Shape[]): tf.Shape[] {
  return Array.isArray(shape[0]) ? (shape as tf.Shape[]) : [shape as tf.Shape];
}

/** The last dimension of a shape, which a weight's size depends on. */
export function lastDim(shape: tf.Shape, layer: string): number {
  const d = shape[shape.length - 1];
  if (d === null || d === undefined) throw new Error(`${layer} needs the last input dimension to be known; got [${shape.join(',')}]`);
  return d;
}
