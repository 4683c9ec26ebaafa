// MaxPool, AveragePool, global pooling and ReduceMean/ReduceMax over spatial axes → the pooling
// kinds, channels-last. Explicit pads map when zeros cannot change the result.
import { refuse } from '../errors.js';
import { channelsLastAxes, identityAxes, normAxis, type GraphTensor } from '../values.js';
import { outputs, unmapped, type OpContext, type OpMapper, type OpResult } from './types.js';
import { place, windowOf, zeroPad } from './windows.js';

/** Kinds whose outputs are never negative: zero padding before a MaxPool then changes nothing. */
const NON_NEGATIVE = new Set(['ReLU', 'Sigmoid', 'Softmax']);
const NON_NEGATIVE_ACTIVATIONS = new Set(['relu', 'relu6', 'sigmoid', 'softmax', 'hardSigmoid', 'softplus']);

function nonNegative(ctx: OpContext, t: GraphTensor): boolean {
  const n = ctx.draft.node(t.node);
  const act = n.params['activation'];
  return NON_NEGATIVE.has(n.kind) || (typeof act === 'string' && NON_NEGATIVE_ACTIVATIONS.has(act));
}

function pool(kind: 'Max' | 'Average'): OpMapper {
  return (ctx): OpResult => {
    const x = ctx.tensor(0);
    if (!x) return unmapped(`${ctx.op} of a constant`);
    const rank = x.shape.length;
    const n = rank - 2;
    if (n !== 1 && n !== 2) return unmapped(`${ctx.op} of a rank-${rank} tensor (1-D and 2-D pooling map to layers)`);
    const win = windowOf(ctx, n);
    if (win.dilations.some((d) => d > 1)) return unmapped(`dilated ${ctx.op}`);
    if (ctx.attrs.int('storage_order', 0) !== 0) return unmapped('MaxPool with column-major indices');
    if ((ctx.node.output ?? []).filter(Boolean).length > 1) return unmapped('MaxPool that also returns indices');
    const at = place(ctx, x.shape.slice(2) as number[], win, ctx.attrs.int('ceil_mode', 0) === 1);
    // A window wholly inside the padding has no value (onnxruntime refuses such files too).
    if (at.pads.some(([b, e], i) => b >= win.kernel[i]! || e >= win.kernel[i]!)) refuse('invalid', `pads ${JSON.stringify(at.pads)} must be smaller than the kernel ${JSON.stringify(win.kernel)}`, ctx.where);
    const includePad = ctx.attrs.int('count_include_pad', 0) === 1;
    const anyPad = at.pads.some(([a, b]) => a || b);
    let input = ctx.draft.toLayout(x, channelsLastAxes(rank), ctx.base, ctx.where);
    let padding: string = at.padding.mode;
    // TF.js's 'same' average leaves padding out of the count: ONNX's count_include_pad = 0.
    if (padding === 'same' && kind === 'Average' && includePad && anyPad) padding = 'explicit';
    if (padding === 'causal' || padding === 'explicit') {
      const pads = at.padding.mode === 'explicit' ? at.padding.pads : at.pads;
      const zerosHarmless = kind === 'Max' ? nonNegative(ctx, x) : includePad && pads.every(([, e], i) => e <= at.pads[i]![1]);
      if (!zerosHarmless)
        return unmapped(`${ctx.op} with pads ${JSON.stringify(at.pads)}, neither 'valid' nor 'same'${kind === 'Max' ? ' (zero padding is exact only after a ReLU)' : ''}`);
      input = zeroPad(ctx, input, pads)!;
      padding = 'valid';
    }
    const node = ctx.emit(`${kind}Pooling${n}D`, { poolSize: win.kernel, strides: win.strides, padding }, [input]);
    return outputs({ kind: 'tensor', node: node.id, shape: [x.shape[0]!, x.shape[1]!, ...at.out], axes: channelsLastAxes(rank), dtype: 'float32' });
  };
}

/** Global pooling of `x` over ONNX axes `reduced`, keeping them as size 1 or not. */
function globalPool(ctx: OpContext, x: GraphTensor, kind: 'Max' | 'Average', reduced: readonly number[], keep: boolean): OpResult {
  const rank = x.shape.length;
  const batch = x.axes[0]!;
  const rest = identityAxes(rank).filter((a) => a !== batch && !reduced.includes(a));
  const n = reduced.length;
  if ((n !== 1 && n !== 2) || rest.length !== 1 || reduced.includes(batch))
    return unmapped(`${ctx.op} over axes [${reduced.join(', ')}] of a rank-${rank} tensor (global pooling needs [batch, …positions, channels])`);
  const input = ctx.draft.toLayout(x, [batch, ...reduced, rest[0]!], ctx.base, ctx.where);
  const node = ctx.emit(`Global${kind}Pooling${n}D`, {}, [input]);
  const shape = keep ? x.shape.map((d, i) => (reduced.includes(i) ? 1 : d)) : x.shape.filter((_, i) => !reduced.includes(i));
  const axes = keep ? [batch, rest[0]!] : [batch, rest[0]!].map((a) => a - reduced.filter((r) => r < a).length);
  return outputs({ kind: 'tensor', node: node.id, shape, axes, dtype: 'float32' });
}

function global(kind: 'Max' | 'Average'): OpMapper {
  return (ctx) => {
    const x = ctx.tensor(0);
    if (!x) return unmapped(`${ctx.op} of a constant`);
    return globalPool(ctx, x, kind, identityAxes(x.shape.length).slice(2), true);
  };
}

/** ReduceMean/ReduceMax over every position axis is global pooling (torch's x.mean([2, 3])). */
function reduce(kind: 'Max' | 'Average'): OpMapper {
  return (ctx) => {
    const x = ctx.tensor(0);
    if (!x) return unmapped(`${ctx.op} of a constant`);
    const axes = ctx.attrs.ints('axes') ?? (ctx.input(1) ? ctx.constant(1) && [...ctx.constant(1)!.data] : undefined);
    if (!axes) return unmapped(`${ctx.op} over all axes or axes computed from data`);
    const reduced = [...new Set(axes.map((a) => normAxis(a, x.shape.length)!))].sort((a, b) => a - b);
    return globalPool(ctx, x, kind, reduced, ctx.attrs.int('keepdims', 1) === 1);
  };
}

export const poolOps: Record<string, OpMapper> = {
  MaxPool: pool('Max'),
  AveragePool: pool('Average'),
  GlobalAveragePool: global('Average'),
  GlobalMaxPool: global('Max'),
  ReduceMean: reduce('Average'),
  ReduceMax: reduce('Max'),
};
