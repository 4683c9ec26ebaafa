// Normalization layers: BatchNormalization, LayerNormalization (TF.js layers) and
// GroupNormalization (our own layer). TF.js normalises tensors of rank 2 to 4 only, so a
// rank-5 input normalised on its last axis is reshaped to rank 3 around the layer.
import type * as tf from '@tensorflow/tfjs';
import { bool, float, int } from '../params.js';
import { formatShape, normalizeAxis, product, type Shape } from '../tensor.js';
import { describeSource, invalidShape, ok, perSample, requireKnown, requireMinRank } from './common.js';
import { defineLayer, type BuildContext, type InferResult, type InputInfo, type TrainingLimit } from './spec.js';

const epsilon = float({ default: 0.001, min: 0, minExclusive: true, doc: 'Small number added to the variance to avoid dividing by zero.' });
const center = bool({ default: true, doc: 'Learn an offset (beta) added after normalising.' });
const scale = bool({ default: true, doc: 'Learn a factor (gamma) applied after normalising.' });
const axis = int({ default: -1, doc: 'Axis normalised per feature, batch included: -1 is the last (channels).' });

/** Largest rank (batch included) TF.js's batchNormalization kernels accept. */
const TFJS_MAX_RANK = 4;

/** The axis as an index into the shape, after checking it is a known, non-batch dim TF.js can handle. */
function checkAxis(kind: string, p: { axis: number }, x: InputInfo): InferResult | number {
  const rank = x.shape.length;
  const a = normalizeAxis(p.axis, rank);
  const range = `Use an axis from 1 to ${rank - 1}, or -1 for the last.`;
  if (a === null) return invalidShape(`${kind}: axis ${p.axis} does not exist in ${formatShape(x.shape)} from ${describeSource(x)}`, range);
  if (a === 0) return invalidShape(`${kind}: cannot normalise along the batch axis`, range);
  const unknown = requireKnown(kind, x, rank > TFJS_MAX_RANK ? x.shape.map((_, i) => i).slice(1) : [a]);
  if (unknown) return unknown;
  if (rank > TFJS_MAX_RANK && a !== rank - 1)
    return {
      ok: false,
      code: 'rank-mismatch',
      message: `${kind}: TF.js normalises inputs of rank ${rank} such as ${formatShape(x.shape)} from ${describeSource(x)} only on the last axis`,
      suggestion: 'Use axis -1, or insert a Reshape to at most 3 dimensions besides the batch.',
    };
  return a;
}

/** Shape rule shared by BatchNormalization and LayerNormalization: same shape out. */
function inferPerFeature(kind: string, p: { axis: number }, x: InputInfo): InferResult {
  const err = requireMinRank(kind, x, 2, `${kind} needs at least one feature dimension.`);
  if (err) return err;
  const a = checkAxis(kind, p, x);
  return typeof a === 'number' ? ok(x.shape) : a;
}

/** Size of the normalised axis: gamma, beta and the moving statistics each hold one value per entry. */
const featureSize = (p: { axis: number }, shape: Shape): number => shape[normalizeAxis(p.axis, shape.length)!]!;

/** Per element: ≈5 for statistics and normalising (mean, variance, subtract, divide), +1 each for scale and center. */
const normFlops = (p: { center: boolean; scale: boolean }, elements: number): number => elements * (5 + (p.scale ? 1 : 0) + (p.center ? 1 : 0));

/**
 * Applies `layer(name, axis)`, reshaping a rank > 4 input (which infer only lets through
 * when normalised on its last axis) to [batch, positions, channels] and back.
 */
function applyWithinRank(ctx: BuildContext, x: tf.SymbolicTensor, axis: number, layer: (name: string, axis: number) => tf.layers.Layer): tf.SymbolicTensor {
  if (x.shape.length <= TFJS_MAX_RANK) return layer(ctx.name(), axis).apply(x) as tf.SymbolicTensor;
  const dims = x.shape.slice(1) as number[]; // [...positions, C]
  const flat = ctx.tf.layers.reshape({ name: ctx.name('flat'), targetShape: [product(dims.slice(0, -1)), dims.at(-1)!] }).apply(x); // [B, P, C]
  const normed = layer(ctx.name('norm'), -1).apply(flat);
  return ctx.tf.layers.reshape({ name: ctx.name(), targetShape: dims }).apply(normed) as tf.SymbolicTensor;
}

/**
 * Batch-normalises along a non-last axis by moving it last and back (Permute swaps are their own
 * inverse). TF.js 4.22's batchNorm kernels mis-broadcast the statistics of a non-last axis
 * (inference off by whole units on cpu) and its gradient fails there; on the last axis both are right.
 */
function onLastAxis(ctx: BuildContext, x: tf.SymbolicTensor, axis: number, layer: (name: string, axis: number) => tf.layers.Layer): tf.SymbolicTensor {
  const rank = x.shape.length;
  const a = normalizeAxis(axis, rank)!;
  if (a === rank - 1) return applyWithinRank(ctx, x, -1, layer);
  const dims = Array.from({ length: rank - 1 }, (_, i) => i + 1); // 1-based, batch excluded
  [dims[a - 1], dims[rank - 2]] = [dims[rank - 2]!, dims[a - 1]!];
  const moved = ctx.tf.layers.permute({ name: ctx.name('to_last'), dims }).apply(x);
  const normed = layer(ctx.name('norm'), -1).apply(moved);
  return ctx.tf.layers.permute({ name: ctx.name(), dims }).apply(normed) as tf.SymbolicTensor;
}

/** TF.js (4.22) cannot train its normalization layers without both gamma and beta. */
function needsCenterAndScale(p: { center: boolean; scale: boolean }): TrainingLimit | null {
  if (p.center && p.scale) return null;
  return { message: 'TF.js cannot train it with center or scale turned off', suggestion: 'Turn on center and scale to train; use it as is only for inference.' };
}

/** "1, 2, 4, 8 or 16" */
function divisors(n: number): string {
  const ds = Array.from({ length: n }, (_, i) => i + 1).filter((d) => n % d === 0);
  return ds.length === 1 ? String(ds[0]) : `${ds.slice(0, -1).join(', ')} or ${ds.at(-1)}`;
}

function inferGroupNorm(p: { groups: number }, x: InputInfo): InferResult {
  const last = x.shape.length - 1;
  const err = requireMinRank('GroupNormalization', x, 2, 'GroupNormalization needs a channel dimension, e.g. [height, width, channels].') ?? requireKnown('GroupNormalization', x, [last]);
  if (err) return err;
  const channels = x.shape[last]!;
  if (channels % p.groups !== 0)
    return invalidShape(
      `GroupNormalization: ${channels} channels cannot be split into ${p.groups} groups`,
      `Set groups to a number that divides ${channels}: ${divisors(channels)}.`,
    );
  return ok(x.shape);
}

export const normalizationLayers = {
  BatchNormalization: defineLayer({
    kind: 'BatchNormalization',
    category: 'normalization',
    summary: 'Normalises each feature over the batch; keeps running statistics for inference.',
    params: {
      axis,
      momentum: float({ default: 0.99, min: 0, max: 1, doc: 'How slowly the moving mean and variance follow each batch.' }),
      epsilon,
      center,
      scale,
    },
    inputs: { min: 1, max: 1 },
    infer: (p, [x]) => inferPerFeature('BatchNormalization', p, x!),
    countParams(p, [x]) {
      const c = featureSize(p, x!.shape);
      return { trainable: c * ((p.scale ? 1 : 0) + (p.center ? 1 : 0)), nonTrainable: 2 * c }; // gamma, beta | moving mean, variance
    },
    flops: (p, _i, out) => normFlops(p, perSample(out)),
    trainingLimit: needsCenterAndScale,
    build: (ctx, p, [x]) =>
      onLastAxis(ctx, x!, p.axis, (name, axis) =>
        ctx.tf.layers.batchNormalization({ name, axis, momentum: p.momentum, epsilon: p.epsilon, center: p.center, scale: p.scale }),
      ) as never,
  }),

  LayerNormalization: defineLayer({
    kind: 'LayerNormalization',
    category: 'normalization',
    summary: 'Normalises each sample over its features (one axis).',
    params: { axis, epsilon, center, scale },
    inputs: { min: 1, max: 1 },
    infer: (p, [x]) => inferPerFeature('LayerNormalization', p, x!),
    countParams: (p, [x]) => ({ trainable: featureSize(p, x!.shape) * ((p.scale ? 1 : 0) + (p.center ? 1 : 0)), nonTrainable: 0 }),
    flops: (p, _i, out) => normFlops(p, perSample(out)),
    trainingLimit: needsCenterAndScale,
    build: (ctx, p, [x]) =>
      applyWithinRank(ctx, x!, p.axis, (name, axis) => ctx.tf.layers.layerNormalization({ name, axis, epsilon: p.epsilon, center: p.center, scale: p.scale })) as never,
  }),

  GroupNormalization: defineLayer({
    kind: 'GroupNormalization',
    category: 'normalization',
    summary: 'Normalises each sample over groups of channels (channels last); independent of batch size.',
    params: {
      groups: int({ default: 32, min: 1, max: 1 << 16, doc: 'Number of channel groups; must divide the channel count (Keras default 32).' }),
      epsilon,
      center,
      scale,
    },
    inputs: { min: 1, max: 1 },
    infer: (p, [x]) => inferGroupNorm(p, x!),
    countParams: (p, [x]) => ({ trainable: x!.shape.at(-1)! * ((p.scale ? 1 : 0) + (p.center ? 1 : 0)), nonTrainable: 0 }),
    flops: (p, _i, out) => normFlops(p, perSample(out)),
    build: (ctx, p, [x]) =>
      new ctx.custom.GroupNormalization({ name: ctx.name(), groups: p.groups, epsilon: p.epsilon, center: p.center, scale: p.scale }).apply(x!) as never,
  }),
};
