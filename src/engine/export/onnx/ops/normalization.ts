// BatchNormalization (inference: moving statistics folded into one scale and shift per feature),
// LayerNormalization (ONNX's op on the last axis, composed on another) and GroupNormalization
// (composed: opset 17 has no GroupNormalization).
import { normalizeAxis } from '../../../tensor.js';
import { paramsOf, type EmitContext, type EmitNode, type OnnxEmitter } from '../emit-context.js';
import { physicalAxis, type Value } from '../layout.js';
import { attr } from '../proto.js';

interface NormParams {
  axis: number;
  epsilon: number;
  center: boolean;
  scale: boolean;
}

const only = (n: EmitNode): Value => n.inputs[0]!;

/** Per-sample dims that broadcast a [size] vector along stored axis `axis` of a rank-`rank` tensor. */
function broadcastDims(rank: number, axis: number, size: number): number[] {
  const dims = new Array<number>(rank - 1).fill(1);
  dims[axis - 1] = size;
  return dims;
}

/** (x − mean) / √(var + ε) over `axes`, with TF.js's population variance; x stored channels last. */
function standardize(ctx: EmitContext, x: string, axes: readonly number[], epsilon: number): string {
  const reduce = (t: string, hint: string) => ctx.op('ReduceMean', [t], { axes: attr.ints(axes), keepdims: attr.int(1) }, hint);
  const centered = ctx.op('Sub', [x, reduce(x, 'mean')]);
  const variance = reduce(ctx.op('Mul', [centered, centered]), 'variance');
  return ctx.op('Div', [centered, ctx.op('Sqrt', [ctx.op('Add', [variance, ctx.scalar(epsilon)])])]);
}

/** Multiplies by gamma and adds beta (each when present), broadcast along stored axis `axis`. */
function scaleAndShift(ctx: EmitContext, y: string, rank: number, axis: number, size: number): string {
  const dims = broadcastDims(rank, axis, size);
  const take = (name: string) => {
    const w = ctx.optionalWeight(name);
    return w ? ctx.initializer(name, w.values, dims) : null;
  };
  const gamma = take('gamma');
  const beta = take('beta');
  const scaled = gamma ? ctx.op('Mul', [y, gamma]) : y;
  return beta ? ctx.op('Add', [scaled, beta]) : scaled;
}

export const normalizationEmitters = {
  // y = x·s + t with s = γ/√(var + ε), t = β − mean·s, computed in float64 at export.
  BatchNormalization: {
    emit(ctx, n) {
      const p = paramsOf<NormParams>(n);
      const x = only(n);
      const rank = x.shape.length;
      const axis = physicalAxis(x, normalizeAxis(p.axis, rank)!);
      const gamma = p.scale ? ctx.weight('gamma').values : null;
      const beta = p.center ? ctx.weight('beta').values : null;
      const mean = ctx.weight('moving_mean').values;
      const variance = ctx.weight('moving_variance').values;
      const s = new Float32Array(mean.length);
      const t = new Float32Array(mean.length);
      for (let c = 0; c < mean.length; c++) {
        const factor = (gamma ? gamma[c]! : 1) / Math.sqrt(variance[c]! + p.epsilon);
        s[c] = factor;
        t[c] = (beta ? beta[c]! : 0) - mean[c]! * factor;
      }
      const dims = broadcastDims(rank, axis, mean.length);
      const y = ctx.op('Add', [ctx.op('Mul', [x.name, ctx.initializer('scale', s, dims)]), ctx.initializer('shift', t, dims)]);
      return { ...x, name: y };
    },
  },

  LayerNormalization: {
    emit(ctx, n) {
      const p = paramsOf<NormParams>(n);
      const x = only(n);
      const rank = x.shape.length;
      const axis = normalizeAxis(p.axis, rank)!;
      const size = x.shape[axis]!;
      if (axis !== rank - 1) {
        const y = scaleAndShift(ctx, standardize(ctx, ctx.last(x), [axis], p.epsilon), rank, axis, size);
        return ctx.value(y, 'channels-last', n.output.shape);
      }
      // ONNX's op needs a scale: ones when TF.js has no gamma.
      const gamma = ctx.optionalParam('gamma') ?? ctx.floats(new Array<number>(size).fill(1));
      const beta = ctx.optionalParam('beta');
      const y = ctx.op('LayerNormalization', [ctx.last(x), gamma, ...(beta ? [beta] : [])], { axis: attr.int(-1), epsilon: attr.float(p.epsilon) });
      return ctx.value(y, 'channels-last', n.output.shape);
    },
  },

  // [B, …S, C] → [B, …S, G, C/G], standardised over …S and C/G per sample and group, then back.
  GroupNormalization: {
    emit(ctx, n) {
      const p = paramsOf<NormParams & { groups: number }>(n);
      const x = only(n);
      const dims = x.shape.slice(1) as number[];
      const channels = dims.at(-1)!;
      const grouped = ctx.op('Reshape', [ctx.last(x), ctx.int64s([-1, ...dims.slice(0, -1), p.groups, channels / p.groups])]);
      const rank = dims.length + 2; // grouped, batch included
      const axes = [...Array.from({ length: rank - 3 }, (_, i) => i + 1), rank - 1];
      const normed = ctx.op('Reshape', [standardize(ctx, grouped, axes, p.epsilon), ctx.int64s([-1, ...dims])]);
      return ctx.value(scaleAndShift(ctx, normed, x.shape.length, x.shape.length - 1, channels), 'channels-last', n.output.shape);
    },
  },
} satisfies Record<string, OnnxEmitter>;
