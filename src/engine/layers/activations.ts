// Activations as layers (Keras advanced activations): ReLU, LeakyReLU, PReLU, ELU, GELU,
// SiLU, Softmax, Sigmoid, Tanh. Params use the TF.js argument names and defaults.
import type * as tf from '@tensorflow/tfjs';
import { bool, float, int, intList } from '../params.js';
import { formatShape, normalizeAxis, product } from '../tensor.js';
import { activationFlopsPerElement, invalidShape, NO_PARAMS, ok, perSample, requireKnown, requireMinRank, type ActivationName } from './common.js';
import { defineLayer, type BuildContext, type InferResult, type InputInfo } from './spec.js';

type TfActivation = 'sigmoid' | 'tanh' | 'swish' | 'gelu' | 'gelu_new' | 'elu';

const same = (x: InputInfo): InferResult => ok(x.shape);

/** A parameter-free activation built from tf.layers.activation. */
function plain(kind: 'Sigmoid' | 'Tanh' | 'SiLU', summary: string, tfName: TfActivation, cost: ActivationName) {
  return defineLayer({
    kind,
    category: 'activation',
    summary,
    params: {},
    inputs: { min: 1, max: 1 },
    infer: (_p, [x]) => same(x!),
    countParams: () => NO_PARAMS,
    flops: (_p, _i, out) => perSample(out) * activationFlopsPerElement(cost),
    build: (ctx, _p, [x]) => ctx.tf.layers.activation({ name: ctx.name(), activation: tfName }).apply(x!) as never,
  });
}

/** PReLU's alpha shape: the input without the batch, with each shared (1-based) axis reduced to 1. */
function preluAlphaShape(shape: readonly (number | null)[], sharedAxes: readonly number[]): (number | null)[] {
  return shape.slice(1).map((d, i) => (sharedAxes.includes(i + 1) ? 1 : d));
}

function inferPrelu(sharedAxes: readonly number[], x: InputInfo): InferResult {
  const rank = x.shape.length - 1; // without the batch
  const bad = sharedAxes.find((a) => a > rank);
  if (bad !== undefined)
    return invalidShape(`PReLU: sharedAxes ${formatShape(sharedAxes)} names axis ${bad}, but ${formatShape(x.shape)} has ${rank} besides the batch`, `Use axes from 1 to ${rank}.`);
  const unshared = x.shape.map((_, i) => i).filter((i) => i > 0 && !sharedAxes.includes(i));
  return requireKnown('PReLU', x, unshared) ?? same(x);
}

/** Softmax's axis as an index into the shape, or a diagnostic for the batch or a missing axis. */
function softmaxAxis(axis: number, x: InputInfo): number | InferResult {
  const rank = x.shape.length;
  const a = normalizeAxis(axis, rank);
  const range = `Use an axis from 1 to ${rank - 1}, or -1 for the last.`;
  if (a === null) return invalidShape(`Softmax: axis ${axis} does not exist in ${formatShape(x.shape)}`, range);
  if (a === 0) return invalidShape('Softmax: cannot normalise across the batch axis', range);
  return a;
}

/**
 * TF.js's softmax kernel works on the last axis only: for another axis, swap it with the
 * last (Permute), apply softmax, and swap back (the swap is its own inverse).
 */
function buildSoftmax(ctx: BuildContext, axis: number, x: tf.SymbolicTensor): tf.SymbolicTensor {
  const last = x.shape.length - 1;
  if (axis === last) return ctx.tf.layers.softmax({ name: ctx.name(), axis: -1 }).apply(x) as tf.SymbolicTensor;
  const dims = Array.from({ length: last }, (_, i) => (i + 1 === axis ? last : i + 1 === last ? axis : i + 1));
  const swapped = ctx.tf.layers.permute({ name: ctx.name('to_last'), dims }).apply(x);
  const soft = ctx.tf.layers.softmax({ name: ctx.name('softmax'), axis: -1 }).apply(swapped);
  return ctx.tf.layers.permute({ name: ctx.name(), dims }).apply(soft) as tf.SymbolicTensor;
}

/**
 * TF.js's ELU supports alpha = 1 only. For another alpha, use
 * elu_α(x) = α·elu(x) + (1 − α)·relu(x): both sides agree for x > 0 (x) and x ≤ 0 (α(eˣ − 1)).
 */
function buildElu(ctx: BuildContext, alpha: number, x: tf.SymbolicTensor): tf.SymbolicTensor {
  if (alpha === 1) return ctx.tf.layers.elu({ name: ctx.name() }).apply(x) as tf.SymbolicTensor;
  const elu = ctx.tf.layers.elu({ name: ctx.name('elu') }).apply(x);
  const relu = ctx.tf.layers.reLU({ name: ctx.name('relu') }).apply(x);
  const a = ctx.tf.layers.rescaling({ name: ctx.name('alpha'), scale: alpha }).apply(elu) as tf.SymbolicTensor;
  const b = ctx.tf.layers.rescaling({ name: ctx.name('one_minus_alpha'), scale: 1 - alpha }).apply(relu) as tf.SymbolicTensor;
  return ctx.tf.layers.add({ name: ctx.name() }).apply([a, b]) as tf.SymbolicTensor;
}

/** Compare, then multiply the negative side: 2 per element. */
const leakyFlops = activationFlopsPerElement('relu') + 1;

export const activationLayers = {
  ReLU: defineLayer({
    kind: 'ReLU',
    category: 'activation',
    summary: 'max(x, 0), optionally capped at maxValue (6 gives ReLU6).',
    params: { maxValue: float({ default: null, nullable: true, min: 0, doc: 'Upper limit of the output; null for none.' }) },
    inputs: { min: 1, max: 1 },
    infer: (_p, [x]) => same(x!),
    countParams: () => NO_PARAMS,
    // The cap is one more compare, as for relu6.
    flops: (p, _i, out) => perSample(out) * activationFlopsPerElement(p.maxValue === null ? 'relu' : 'relu6'),
    build: (ctx, p, [x]) => ctx.tf.layers.reLU({ name: ctx.name(), ...(p.maxValue === null ? {} : { maxValue: p.maxValue }) }).apply(x!) as never,
  }),

  LeakyReLU: defineLayer({
    kind: 'LeakyReLU',
    category: 'activation',
    summary: 'x for x > 0, alpha·x otherwise.',
    params: { alpha: float({ default: 0.3, min: 0, doc: 'Slope for negative inputs (Keras default 0.3).' }) },
    inputs: { min: 1, max: 1 },
    infer: (_p, [x]) => same(x!),
    countParams: () => NO_PARAMS,
    flops: (_p, _i, out) => perSample(out) * leakyFlops,
    build: (ctx, p, [x]) => ctx.tf.layers.leakyReLU({ name: ctx.name(), alpha: p.alpha }).apply(x!) as never,
  }),

  PReLU: defineLayer({
    kind: 'PReLU',
    category: 'activation',
    summary: 'Leaky ReLU with a learned slope per element (or shared along sharedAxes).',
    params: {
      sharedAxes: intList({ default: [], min: 1, doc: 'Axes (1-based, batch excluded) sharing one slope, e.g. [1, 2] for one per channel of an image; [] for none.' }),
    },
    inputs: { min: 1, max: 1 },
    infer: (p, [x]) => inferPrelu(p.sharedAxes, x!),
    countParams: (p, [x]) => ({ trainable: product(preluAlphaShape(x!.shape, p.sharedAxes) as number[]), nonTrainable: 0 }),
    flops: (_p, _i, out) => perSample(out) * leakyFlops,
    build: (ctx, p, [x]) =>
      ctx.tf.layers
        // Alpha starts at zero (Keras and TF.js default), a constant: no seed.
        .prelu({ name: ctx.name(), alphaInitializer: 'zeros', ...(p.sharedAxes.length ? { sharedAxes: p.sharedAxes } : {}) })
        .apply(x!) as never,
  }),

  ELU: defineLayer({
    kind: 'ELU',
    category: 'activation',
    summary: 'x for x > 0, alpha·(exp(x) − 1) otherwise.',
    params: { alpha: float({ default: 1, min: 0, doc: 'Value approached for large negative inputs is −alpha.' }) },
    inputs: { min: 1, max: 1 },
    infer: (_p, [x]) => same(x!),
    countParams: () => NO_PARAMS,
    flops: (_p, _i, out) => perSample(out) * activationFlopsPerElement('elu'),
    build: (ctx, p, [x]) => buildElu(ctx, p.alpha, x!) as never,
  }),

  GELU: defineLayer({
    kind: 'GELU',
    category: 'activation',
    summary: 'x·Φ(x), the Gaussian error linear unit used in transformers.',
    params: { approximate: bool({ default: false, doc: 'Use the tanh approximation (GPT-2 style) instead of the exact erf form.' }) },
    inputs: { min: 1, max: 1 },
    infer: (_p, [x]) => same(x!),
    countParams: () => NO_PARAMS,
    flops: (_p, _i, out) => perSample(out) * activationFlopsPerElement('gelu'),
    // TF.js 'gelu' is 0.5x(1 + erf(x/√2)); 'gelu_new' is the tanh form (checked in the tests).
    build: (ctx, p, [x]) => ctx.tf.layers.activation({ name: ctx.name(), activation: p.approximate ? 'gelu_new' : 'gelu' }).apply(x!) as never,
  }),

  SiLU: plain('SiLU', 'x·sigmoid(x), also called swish.', 'swish', 'silu'),

  Softmax: defineLayer({
    kind: 'Softmax',
    category: 'activation',
    summary: 'Turns scores along one axis into probabilities that sum to 1.',
    params: { axis: int({ default: -1, doc: 'Axis normalised, batch included: -1 is the last.' }) },
    inputs: { min: 1, max: 1 },
    infer(p, [x]) {
      const err = requireMinRank('Softmax', x!, 2, 'Softmax needs at least one dimension besides the batch.');
      if (err) return err;
      const a = softmaxAxis(p.axis, x!);
      return typeof a === 'number' ? same(x!) : a;
    },
    countParams: () => NO_PARAMS,
    flops: (_p, _i, out) => perSample(out) * activationFlopsPerElement('softmax'),
    build: (ctx, p, [x]) => buildSoftmax(ctx, normalizeAxis(p.axis, x!.shape.length)!, x!) as never,
  }),

  Sigmoid: plain('Sigmoid', '1 / (1 + exp(−x)), squashing to (0, 1).', 'sigmoid', 'sigmoid'),
  Tanh: plain('Tanh', 'Hyperbolic tangent, squashing to (−1, 1).', 'tanh', 'tanh'),
};
