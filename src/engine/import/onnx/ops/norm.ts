// BatchNormalization (inference form, moving statistics kept) and LayerNormalization over the
// last axis → the normalization kinds; the normalised ONNX axis is found in our layout.
import { refuse } from '../errors.js';
import type { ConstTensor } from '../tensor.js';
import { identityAxes, ourAxis } from '../values.js';
import { outputs, unmapped, type OpContext, type OpResult } from './types.js';

/** Constant input `i` as `size` float values, or why not. */
function perFeature(ctx: OpContext, i: number, size: number, what: string): Float32Array | string {
  const c: ConstTensor | undefined = ctx.constant(i);
  if (!c) return `${ctx.op} with a ${what} computed from data`;
  if (c.data.length !== size) refuse('invalid', `${what} has ${c.data.length} values for ${size} features`, ctx.where);
  return Float32Array.from(c.data);
}

function batchNorm(ctx: OpContext): OpResult {
  const x = ctx.tensor(0);
  if (!x) return unmapped('BatchNormalization of a constant');
  if (ctx.attrs.int('training_mode', 0) !== 0 || (ctx.node.output ?? []).filter(Boolean).length > 1)
    return unmapped('BatchNormalization in training mode (export the model in eval mode)');
  if (x.shape.length < 2) refuse('invalid', 'BatchNormalization needs a channel axis', ctx.where);
  const channels = x.shape[1]!;
  const weights = ['scale', 'bias', 'mean', 'variance'].map((what, k) => perFeature(ctx, k + 1, channels, what));
  const bad = weights.find((w): w is string => typeof w === 'string');
  if (bad) return unmapped(bad);
  const axis = ourAxis(x, 1);
  if (axis <= 0) return unmapped('BatchNormalization over a size-1 channel axis');
  const params = {
    axis: axis === x.axes.length - 1 ? -1 : axis,
    epsilon: ctx.attrs.float('epsilon', 1e-5),
    // ONNX's and Keras's momentum mean the same: the weight of the old running value.
    momentum: ctx.attrs.float('momentum', 0.9),
  };
  const node = ctx.emit('BatchNormalization', params, [x], weights as Float32Array[]);
  return outputs({ ...x, node: node.id, rnn: undefined });
}

function layerNorm(ctx: OpContext): OpResult {
  let x = ctx.tensor(0);
  if (!x) return unmapped('LayerNormalization of a constant');
  const rank = x.shape.length;
  const raw = ctx.attrs.int('axis', -1);
  if ((raw < 0 ? raw + rank : raw) !== rank - 1) return unmapped(`LayerNormalization over axes ${raw}… (only the last axis maps to a layer)`);
  if ((ctx.node.output ?? []).filter(Boolean).length > 1) return unmapped('LayerNormalization that also returns its statistics');
  const size = x.shape[rank - 1]!;
  const gamma = perFeature(ctx, 1, size, 'scale');
  const beta = ctx.input(2) ? perFeature(ctx, 2, size, 'bias') : null;
  if (typeof gamma === 'string') return unmapped(gamma);
  if (typeof beta === 'string') return unmapped(beta);
  if (x.axes.at(-1) !== rank - 1) x = ctx.draft.toLayout(x, identityAxes(rank), ctx.base, ctx.where);
  const params = { axis: -1, epsilon: ctx.attrs.float('epsilon', 1e-5), center: beta !== null, scale: true };
  const node = ctx.emit('LayerNormalization', params, [x], beta ? [gamma, beta] : [gamma]);
  return outputs({ ...x, node: node.id, rnn: undefined });
}

export const normOps = { BatchNormalization: batchNorm, LayerNormalization: layerNorm };
