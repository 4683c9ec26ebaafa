// Activation ops → activation layers. Relu, Sigmoid and Tanh right after a Dense or Conv that
// nothing else reads are folded into that layer's `activation` param, as one would build it.
import { broadcastTo, permute } from '../arrays.js';
import { identityAxes, ourAxis, type GraphTensor } from '../values.js';
import { outputs, unmapped, type OpContext, type OpMapper, type OpResult } from './types.js';

/** Kinds with an `activation` param that an activation may be folded into. */
const FUSES_INTO = new Set(['Dense', 'Conv1D', 'Conv2D', 'Conv3D', 'Conv2DTranspose', 'DepthwiseConv2D']);

function apply(ctx: OpContext, t: GraphTensor, kind: string, params: Record<string, unknown>, weights?: Float32Array[]): OpResult {
  const node = ctx.emit(kind, params, [t], weights);
  return outputs({ ...t, node: node.id, rnn: undefined });
}

/** An activation layer of `kind`, folded into the producer as `fuse` when that is safe. */
function activation(kind: string, params: (ctx: OpContext) => Record<string, unknown> | string, fuse?: string): OpMapper {
  return (ctx) => {
    const t = ctx.tensor(0);
    if (!t) return unmapped(`${ctx.op} of a constant`);
    const p = params(ctx);
    if (typeof p === 'string') return unmapped(p);
    if (fuse && ctx.exclusive(0)) {
      const producer = ctx.draft.node(t.node);
      if (FUSES_INTO.has(producer.kind) && (producer.params['activation'] ?? 'linear') === 'linear') {
        producer.params['activation'] = fuse;
        return outputs(t);
      }
    }
    return apply(ctx, t, kind, p);
  };
}

const near = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));
const none = () => ({});

function clip(ctx: OpContext): Record<string, unknown> | string {
  const min = ctx.input(1) ? ctx.constant(1) : undefined;
  const max = ctx.input(2) ? ctx.constant(2) : undefined;
  if ((ctx.input(1) && !min) || (ctx.input(2) && !max)) return 'Clip with bounds computed from data';
  if (!min || min.data[0] !== 0) return `Clip with min ${min ? min.data[0] : '−∞'}: only Clip(0, max), a capped ReLU, maps to a layer`;
  return max ? { maxValue: max.data[0]! } : {};
}

function softmax(ctx: OpContext): Record<string, unknown> | string {
  const t = ctx.tensor(0)!;
  const rank = t.shape.length;
  const raw = ctx.attrs.int('axis', ctx.opset >= 13 ? -1 : 1);
  const axis = raw < 0 ? raw + rank : raw;
  // Before opset 13, Softmax flattened everything from `axis` on: one axis only when it is the last.
  if (ctx.opset < 13 && axis !== rank - 1) return `Softmax over axes ${axis}… of a rank-${rank} tensor (opset ${ctx.opset} semantics)`;
  const ours = ourAxis(t, axis);
  if (ours <= 0) return 'Softmax over the batch or a size-1 axis';
  return { axis: ours === t.axes.length - 1 ? -1 : ours };
}

/** PReLU's slope as TF.js's alpha: one value per position of our layout, shared where the slope broadcasts. */
function prelu(ctx: OpContext): OpResult {
  let t = ctx.tensor(0);
  const slope = ctx.constant(1);
  if (!t) return unmapped('PRelu of a constant');
  if (!slope) return unmapped('PRelu with a slope computed from data');
  const rank = t.shape.length;
  if (slope.dims.length > rank) return unmapped('PRelu with a slope of higher rank than its input');
  const lead = rank - slope.dims.length;
  const sd = identityAxes(rank).map((a) => (a < lead ? 1 : slope.dims[a - lead]!));
  if (sd[t.axes[0]!] !== 1) return unmapped('PRelu with a slope per sample');
  if (t.axes.includes(-1)) t = ctx.draft.toLayout(t, t.axes.filter((a) => a !== -1), ctx.base, ctx.where);
  const full = broadcastTo(slope.data, slope.dims, sd);
  const order = [...t.axes, ...identityAxes(rank).filter((a) => !t!.axes.includes(a))];
  const alpha = Float32Array.from(permute(full, sd, order));
  const sharedAxes = t.axes.map((a, k) => (k > 0 && sd[a] === 1 ? k : 0)).filter((k) => k > 0);
  return apply(ctx, t, 'PReLU', { sharedAxes }, [alpha]);
}

const SELU = { alpha: 1.67326319217681884765625, gamma: 1.05070102214813232421875 };

export const activationOps: Record<string, OpMapper> = {
  Relu: activation('ReLU', none, 'relu'),
  Sigmoid: activation('Sigmoid', none, 'sigmoid'),
  Tanh: activation('Tanh', none, 'tanh'),
  LeakyRelu: activation('LeakyReLU', (ctx) => ({ alpha: ctx.attrs.float('alpha', 0.01) })),
  Elu: activation('ELU', (ctx) => ({ alpha: ctx.attrs.float('alpha', 1) })),
  Softplus: activation('Activation', () => ({ activation: 'softplus' })),
  Softsign: activation('Activation', () => ({ activation: 'softsign' })),
  Selu: activation('Activation', (ctx) =>
    near(ctx.attrs.float('alpha', SELU.alpha), SELU.alpha) && near(ctx.attrs.float('gamma', SELU.gamma), SELU.gamma) ? { activation: 'selu' } : 'Selu with non-standard alpha or gamma',
  ),
  // TF.js's hardSigmoid is clip(0.2x + 0.5, 0, 1): ONNX's defaults; PyTorch's Hardsigmoid uses 1/6.
  HardSigmoid: activation('Activation', (ctx) =>
    near(ctx.attrs.float('alpha', 0.2), 0.2) && near(ctx.attrs.float('beta', 0.5), 0.5) ? { activation: 'hardSigmoid' } : `HardSigmoid with alpha ${ctx.attrs.float('alpha', 0.2)}: TF.js's uses 0.2`,
  ),
  Clip: activation('ReLU', clip),
  Softmax: activation('Softmax', softmax),
  PRelu: prelu,
};
