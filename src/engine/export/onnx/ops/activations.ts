// Activations as layers. All but PReLU are element-wise, so they keep their input's layout.
import { normalizeAxis } from '../../../tensor.js';
import { paramsOf, type EmitNode, type OnnxEmitter } from '../emit-context.js';
import { physicalAxis, type Value } from '../layout.js';
import { attr } from '../proto.js';
import { gelu, silu } from './activation-fn.js';

const only = (n: EmitNode): Value => n.inputs[0]!;
const same = (v: Value, name: string): Value => ({ ...v, name });

/** An element-wise op with fixed attributes. */
const unary = (opType: string): OnnxEmitter => ({ emit: (ctx, n) => same(only(n), ctx.op(opType, [only(n).name])) });

export const activationEmitters = {
  ReLU: {
    emit(ctx, n) {
      const { maxValue } = paramsOf<{ maxValue: number | null }>(n);
      const x = only(n).name;
      return same(only(n), maxValue === null ? ctx.op('Relu', [x]) : ctx.op('Clip', [x, ctx.scalar(0), ctx.scalar(maxValue)]));
    },
  },

  LeakyReLU: { emit: (ctx, n) => same(only(n), ctx.op('LeakyRelu', [only(n).name], { alpha: attr.float(paramsOf<{ alpha: number }>(n).alpha) })) },

  // alpha has TF.js's per-sample shape (shared axes as 1), which broadcasts against [B, …] as is.
  PReLU: { emit: (ctx, n) => ctx.value(ctx.op('PRelu', [ctx.last(only(n)), ctx.param('alpha')]), 'channels-last', n.output.shape) },

  ELU: { emit: (ctx, n) => same(only(n), ctx.op('Elu', [only(n).name], { alpha: attr.float(paramsOf<{ alpha: number }>(n).alpha) })) },
  GELU: { emit: (ctx, n) => same(only(n), gelu(ctx, only(n).name, paramsOf<{ approximate: boolean }>(n).approximate)) },
  SiLU: { emit: (ctx, n) => same(only(n), silu(ctx, only(n).name)) },

  Softmax: {
    emit(ctx, n) {
      const x = only(n);
      const axis = normalizeAxis(paramsOf<{ axis: number }>(n).axis, x.shape.length)!;
      return same(x, ctx.op('Softmax', [x.name], { axis: attr.int(physicalAxis(x, axis)) }));
    },
  },

  Sigmoid: unary('Sigmoid'),
  Tanh: unary('Tanh'),
} satisfies Record<string, OnnxEmitter>;
