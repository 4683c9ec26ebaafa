// The `activation` param of Dense, Conv, RNN and Activation layers as ONNX ops, matching
// TF.js's definitions (hardSigmoid is 0.2x + 0.5 clipped; gelu is the erf form, gelu_new tanh).
import type { ActivationName } from '../../../layers/common.js';
import type { EmitContext } from '../emit-context.js';
import { physicalAxis, type Value } from '../layout.js';
import { attr } from '../proto.js';

/** GELU as TF.js computes it: exact x·½(1 + erf(x/√2)), or the tanh approximation. */
export function gelu(ctx: EmitContext, x: string, approximate: boolean): string {
  if (!approximate) {
    const erf = ctx.op('Erf', [ctx.op('Div', [x, ctx.scalar(Math.SQRT2)])]);
    return ctx.op('Mul', [x, ctx.op('Mul', [ctx.scalar(0.5), ctx.op('Add', [ctx.scalar(1), erf])])], {}, 'gelu');
  }
  // 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))
  const cube = ctx.op('Mul', [x, ctx.op('Mul', [x, x])]);
  const inner = ctx.op('Mul', [ctx.scalar(Math.sqrt(2 / Math.PI)), ctx.op('Add', [x, ctx.op('Mul', [ctx.scalar(0.044715), cube])])]);
  const t = ctx.op('Add', [ctx.scalar(1), ctx.op('Tanh', [inner])]);
  return ctx.op('Mul', [ctx.scalar(0.5), ctx.op('Mul', [x, t])], {}, 'gelu');
}

/** x·sigmoid(x) */
export const silu = (ctx: EmitContext, x: string): string => ctx.op('Mul', [x, ctx.op('Sigmoid', [x])], {}, 'silu');

/**
 * Applies a TF.js activation element-wise, keeping the value's layout; softmax normalises the
 * logical last axis wherever the layout stores it. 'linear' adds nothing.
 */
export function activate(ctx: EmitContext, name: ActivationName, v: Value): Value {
  const x = v.name;
  const out = (n: string): Value => ({ ...v, name: n });
  switch (name) {
    case 'linear': return v;
    case 'relu': return out(ctx.op('Relu', [x]));
    case 'relu6': return out(ctx.op('Clip', [x, ctx.scalar(0), ctx.scalar(6)], {}, 'relu6'));
    case 'elu': return out(ctx.op('Elu', [x], { alpha: attr.float(1) }));
    case 'selu': return out(ctx.op('Selu', [x]));
    case 'sigmoid': return out(ctx.op('Sigmoid', [x]));
    case 'hardSigmoid': return out(ctx.op('HardSigmoid', [x], { alpha: attr.float(0.2), beta: attr.float(0.5) }));
    case 'tanh': return out(ctx.op('Tanh', [x]));
    case 'softmax': return out(ctx.op('Softmax', [x], { axis: attr.int(physicalAxis(v, -1)) }));
    case 'softplus': return out(ctx.op('Softplus', [x]));
    case 'softsign': return out(ctx.op('Softsign', [x]));
    case 'swish': case 'silu': return out(silu(ctx, x));
    case 'mish': return out(ctx.op('Mul', [x, ctx.op('Tanh', [ctx.op('Softplus', [x])])], {}, 'mish'));
    case 'gelu': return out(gelu(ctx, x, false));
    default: {
      const never: never = name;
      throw new Error(`unhandled activation ${String(never)}`);
    }
  }
}
