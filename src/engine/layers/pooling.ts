// Pooling and resampling, channels-last: max/average pooling in 1–3D, global pooling,
// UpSampling2D, ZeroPadding2D and Cropping2D, with TF.js's argument names and defaults.
import type * as tf from '@tensorflow/tfjs';
import { ints, oneOf, pairs, type ParamsOf } from '../params.js';
import { formatShape } from '../tensor.js';
import { describeSource, invalidShape, NO_PARAMS, ok, perSample } from './common.js';
import { requireImage, slide, spatialOf, volume } from './conv-shape.js';
import { defineLayer, type BuildContext, type InferResult, type InputInfo } from './spec.js';

type Rank = 1 | 2 | 3;
type PoolKind = 'MaxPooling1D' | 'MaxPooling2D' | 'MaxPooling3D' | 'AveragePooling1D' | 'AveragePooling2D' | 'AveragePooling3D';
type GlobalKind = 'GlobalAveragePooling1D' | 'GlobalAveragePooling2D' | 'GlobalMaxPooling1D' | 'GlobalMaxPooling2D';

const poolSchema = (n: Rank) => ({
  poolSize: ints({ length: n, default: 2, min: 1, doc: 'Size of the pooling window along each spatial axis.' }),
  strides: ints({ length: n, default: null, min: 1, nullable: true, doc: 'Step of the window; null means poolSize (windows that do not overlap).' }),
  padding: oneOf(['valid', 'same'], { default: 'valid', doc: "'valid' uses whole windows only; 'same' pads so the output has ceil(input / stride) positions." }),
});
type PoolParams = ParamsOf<ReturnType<typeof poolSchema>>;

const stridesOf = (p: PoolParams): number[] => p.strides ?? p.poolSize;

function inferPool(kind: PoolKind, n: Rank, p: PoolParams, x: InputInfo): InferResult {
  const err = requireImage(kind, x, n + 2);
  if (err) return err;
  const s = slide(kind, x, p.poolSize, stridesOf(p), p.padding);
  return s.ok ? ok([null, ...s.dims, x.shape.at(-1)!]) : s.error;
}

/** TF.js wants tuples of the pool's rank; the schema guarantees the lengths. */
function poolArgs<T extends number[]>(ctx: BuildContext, p: PoolParams) {
  return { name: ctx.name(), poolSize: p.poolSize as T, strides: stridesOf(p) as T, padding: p.padding };
}

type T1 = [number];
type T2 = [number, number];
type T3 = [number, number, number];

const POOL_BUILDERS: Record<PoolKind, (ctx: BuildContext, p: PoolParams) => tf.layers.Layer> = {
  MaxPooling1D: (ctx, p) => ctx.tf.layers.maxPooling1d(poolArgs<T1>(ctx, p)),
  MaxPooling2D: (ctx, p) => ctx.tf.layers.maxPooling2d(poolArgs<T2>(ctx, p)),
  MaxPooling3D: (ctx, p) => ctx.tf.layers.maxPooling3d(poolArgs<T3>(ctx, p)),
  AveragePooling1D: (ctx, p) => ctx.tf.layers.averagePooling1d(poolArgs<T1>(ctx, p)),
  AveragePooling2D: (ctx, p) => ctx.tf.layers.averagePooling2d(poolArgs<T2>(ctx, p)),
  AveragePooling3D: (ctx, p) => ctx.tf.layers.averagePooling3d(poolArgs<T3>(ctx, p)),
};

function poolLayer<const K extends PoolKind>(kind: K, n: Rank, summary: string) {
  return defineLayer({
    kind,
    category: 'pooling',
    summary,
    params: poolSchema(n),
    inputs: { min: 1, max: 1 },
    infer: (p, [x]) => inferPool(kind, n, p, x!),
    countParams: () => NO_PARAMS,
    // max/avg pooling: window volume per output element
    flops: (p, _i, out) => volume(p.poolSize) * perSample(out),
    build: (ctx, p, [x]) => POOL_BUILDERS[kind](ctx, p).apply(x!) as never,
  });
}

const GLOBAL_BUILDERS: Record<GlobalKind, (ctx: BuildContext) => tf.layers.Layer> = {
  GlobalAveragePooling1D: (ctx) => ctx.tf.layers.globalAveragePooling1d({ name: ctx.name() }),
  GlobalAveragePooling2D: (ctx) => ctx.tf.layers.globalAveragePooling2d({ name: ctx.name() }),
  GlobalMaxPooling1D: (ctx) => ctx.tf.layers.globalMaxPooling1d({ name: ctx.name() }),
  GlobalMaxPooling2D: (ctx) => ctx.tf.layers.globalMaxPooling2d({ name: ctx.name() }),
};

function globalLayer<const K extends GlobalKind>(kind: K, n: 1 | 2, summary: string) {
  return defineLayer({
    kind,
    category: 'pooling',
    summary,
    params: {},
    inputs: { min: 1, max: 1 },
    infer: (_p, [x]) => requireImage(kind, x!, n + 2) ?? ok([null, x!.shape.at(-1)!]),
    countParams: () => NO_PARAMS,
    // global pooling: one per input element
    flops: (_p, [x]) => perSample(x!),
    build: (ctx, _p, [x]) => GLOBAL_BUILDERS[kind](ctx).apply(x!) as never,
  });
}

const AXES = [
  { name: 'rows', ends: 'top + bottom' },
  { name: 'columns', ends: 'left + right' },
] as const;

/** Cropping that leaves no rows or columns is a diagnostic, never a zero-sized tensor. */
function inferCropping(cropping: [number, number][], x: InputInfo): InferResult {
  const dims = spatialOf(x.shape);
  for (let i = 0; i < 2; i++) {
    const len = dims[i];
    const [before, after] = cropping[i]!;
    if (len === null || len === undefined || before + after < len) continue;
    return invalidShape(
      `Cropping2D: cropping ${JSON.stringify(cropping)} leaves no ${AXES[i]!.name} of ${formatShape(x.shape)} from ${describeSource(x)}`,
      `Crop at most ${len - 1} ${AXES[i]!.name} in total (${AXES[i]!.ends}).`,
    );
  }
  const out = dims.map((len, i) => (len === null || len === undefined ? null : len - cropping[i]![0] - cropping[i]![1]));
  return ok([null, ...out, x.shape[3]!]);
}

const asPairs = (p: [number, number][]) => p as [[number, number], [number, number]]; // dims: 2 by the schema

export const poolingLayers = {
  MaxPooling1D: poolLayer('MaxPooling1D', 1, 'Keeps the largest value in each window of a sequence.'),
  MaxPooling2D: poolLayer('MaxPooling2D', 2, 'Keeps the largest value in each window of an image.'),
  MaxPooling3D: poolLayer('MaxPooling3D', 3, 'Keeps the largest value in each window of a volume.'),
  AveragePooling1D: poolLayer('AveragePooling1D', 1, 'Averages each window of a sequence.'),
  AveragePooling2D: poolLayer('AveragePooling2D', 2, 'Averages each window of an image.'),
  AveragePooling3D: poolLayer('AveragePooling3D', 3, 'Averages each window of a volume.'),
  GlobalAveragePooling1D: globalLayer('GlobalAveragePooling1D', 1, 'Averages over all steps: [steps, channels] → [channels].'),
  GlobalAveragePooling2D: globalLayer('GlobalAveragePooling2D', 2, 'Averages over the whole image: [height, width, channels] → [channels].'),
  GlobalMaxPooling1D: globalLayer('GlobalMaxPooling1D', 1, 'Largest value over all steps: [steps, channels] → [channels].'),
  GlobalMaxPooling2D: globalLayer('GlobalMaxPooling2D', 2, 'Largest value over the whole image: [height, width, channels] → [channels].'),

  UpSampling2D: defineLayer({
    kind: 'UpSampling2D',
    category: 'pooling',
    summary: 'Repeats (or interpolates) rows and columns to enlarge an image.',
    params: {
      size: ints({ length: 2, default: 2, min: 1, doc: 'Upsampling factor for rows and columns.' }),
      interpolation: oneOf(['nearest', 'bilinear'], { default: 'nearest', doc: "'nearest' repeats pixels; 'bilinear' interpolates between them." }),
    },
    inputs: { min: 1, max: 1 },
    infer(p, [x]) {
      const err = requireImage('UpSampling2D', x!, 4);
      if (err) return err;
      const dims = spatialOf(x!.shape).map((d, i) => (d === null ? null : d * p.size[i]!));
      return ok([null, ...dims, x!.shape[3]!]);
    },
    countParams: () => NO_PARAMS,
    flops: () => 0, // data movement
    build: (ctx, p, [x]) => ctx.tf.layers.upSampling2d({ name: ctx.name(), size: p.size, interpolation: p.interpolation }).apply(x!) as never,
  }),

  ZeroPadding2D: defineLayer({
    kind: 'ZeroPadding2D',
    category: 'pooling',
    summary: 'Adds rows and columns of zeros around an image.',
    params: { padding: pairs({ dims: 2, default: 1, doc: 'Zeros to add: n, [rows, columns], or [[top, bottom], [left, right]].' }) },
    inputs: { min: 1, max: 1 },
    infer(p, [x]) {
      const err = requireImage('ZeroPadding2D', x!, 4);
      if (err) return err;
      const dims = spatialOf(x!.shape).map((d, i) => (d === null ? null : d + p.padding[i]![0] + p.padding[i]![1]));
      return ok([null, ...dims, x!.shape[3]!]);
    },
    countParams: () => NO_PARAMS,
    flops: () => 0, // data movement
    build: (ctx, p, [x]) => ctx.tf.layers.zeroPadding2d({ name: ctx.name(), padding: asPairs(p.padding) }).apply(x!) as never,
  }),

  Cropping2D: defineLayer({
    kind: 'Cropping2D',
    category: 'pooling',
    summary: 'Removes rows and columns from the edges of an image.',
    params: { cropping: pairs({ dims: 2, default: 0, doc: 'Pixels to remove: n, [rows, columns], or [[top, bottom], [left, right]].' }) },
    inputs: { min: 1, max: 1 },
    infer: (p, [x]) => requireImage('Cropping2D', x!, 4) ?? inferCropping(p.cropping, x!),
    countParams: () => NO_PARAMS,
    flops: () => 0, // data movement
    build: (ctx, p, [x]) => ctx.tf.layers.cropping2D({ name: ctx.name(), cropping: asPairs(p.cropping) }).apply(x!) as never,
  }),
};
