// Input and the core layers: Dense, Activation, the dropouts (identity at inference),
// Flatten, Reshape, Permute, RepeatVector and Embedding.
import type { ActivationName } from '../../../layers/common.js';
import { paramsOf, type EmitContext, type EmitNode, type OnnxEmitter } from '../emit-context.js';
import type { Value } from '../layout.js';
import { attr } from '../proto.js';
import { activate } from './activation-fn.js';

const only = (n: EmitNode): Value => n.inputs[0]!;
const sampleDims = (n: EmitNode): number[] => n.output.shape.slice(1) as number[];

/** Every non-batch dim is known after analysis; -1 lets the batch through, fixed or dynamic. */
const reshape = (ctx: EmitContext, x: string, dims: readonly number[]): string => ctx.op('Reshape', [x, ctx.int64s([-1, ...dims])]);

/** Dropout is the identity at inference: no op at all, the input flows on. */
const identity: OnnxEmitter = { emit: (_ctx, n) => only(n) };

export const coreEmitters = {
  Input: { emit: (ctx, n) => ctx.graphInput(n.output) },

  Dense: {
    emit(ctx, n) {
      const p = paramsOf<{ activation: ActivationName }>(n);
      let y = ctx.op('MatMul', [ctx.last(only(n)), ctx.param('kernel')]); // [..., in] · [in, units]
      const bias = ctx.optionalParam('bias');
      if (bias) y = ctx.op('Add', [y, bias]);
      return activate(ctx, p.activation, ctx.value(y, 'channels-last', n.output.shape));
    },
  },

  Activation: { emit: (ctx, n) => activate(ctx, paramsOf<{ activation: ActivationName }>(n).activation, only(n)) },
  Dropout: identity,
  SpatialDropout1D: identity,
  SpatialDropout2D: identity,

  // Channels-last order is TF.js's flattening order.
  Flatten: { emit: (ctx, n) => ctx.value(reshape(ctx, ctx.last(only(n)), sampleDims(n)), 'channels-last', n.output.shape, only(n).dtype) },
  Reshape: { emit: (ctx, n) => ctx.value(reshape(ctx, ctx.last(only(n)), sampleDims(n)), 'channels-last', n.output.shape, only(n).dtype) },

  Permute: {
    emit(ctx, n) {
      const { dims } = paramsOf<{ dims: number[] }>(n);
      const y = ctx.op('Transpose', [ctx.last(only(n))], { perm: attr.ints([0, ...dims]) });
      return ctx.value(y, 'channels-last', n.output.shape, only(n).dtype);
    },
  },

  RepeatVector: {
    emit(ctx, n) {
      const { n: times } = paramsOf<{ n: number }>(n);
      const row = ctx.op('Unsqueeze', [ctx.last(only(n)), ctx.int64s([1])]); // [B, 1, F]
      return ctx.value(ctx.op('Tile', [row, ctx.int64s([1, times, 1])]), 'channels-last', n.output.shape, only(n).dtype); // [B, n, F]
    },
  },

  // Token ids stay int32 as TF.js takes them: ONNX Gather accepts int32 indices.
  Embedding: { emit: (ctx, n) => ctx.value(ctx.op('Gather', [ctx.param('embeddings'), ctx.last(only(n))], { axis: attr.int(0) }), 'channels-last', n.output.shape) },
} satisfies Record<string, OnnxEmitter>;
