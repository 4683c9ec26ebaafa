// Pooling and resampling. Windowed pools and Resize run channels first (ONNX's layout); global
// pools, padding and cropping work in whichever layout their input already has.
import { paramsOf, type EmitContext, type EmitNode, type OnnxEmitter } from '../emit-context.js';
import { physicalAxis, type Value } from '../layout.js';
import { attr, type Attrs } from '../proto.js';
import { onnxPads, windowPads } from './padding.js';

interface PoolParams {
  poolSize: number[];
  strides: number[] | null;
  padding: 'valid' | 'same';
}

const only = (n: EmitNode): Value => n.inputs[0]!;
const spatialAxes = (x: Value): number[] => x.shape.slice(1, -1).map((_, i) => physicalAxis(x, i + 1));

function pool(opType: 'MaxPool' | 'AveragePool'): OnnxEmitter {
  return {
    emit(ctx, n) {
      const p = paramsOf<PoolParams>(n);
      const x = only(n);
      const strides = p.strides ?? p.poolSize;
      const pads = onnxPads(windowPads(p.padding, x.shape.slice(1, -1) as number[], p.poolSize, strides));
      // TF averages 'same' windows over the real entries only: count_include_pad = 0.
      const extra: Attrs = opType === 'AveragePool' ? { count_include_pad: attr.int(0) } : {};
      const y = ctx.op(opType, [ctx.first(x)], { kernel_shape: attr.ints(p.poolSize), strides: attr.ints(strides), pads: attr.ints(pads), ...extra });
      return ctx.value(y, 'channels-first', n.output.shape);
    },
  };
}

/** Reduces every spatial axis away: [B, …, C] in either layout → [B, C]. */
function global(opType: 'ReduceMean' | 'ReduceMax'): OnnxEmitter {
  return {
    emit(ctx, n) {
      const x = only(n);
      return ctx.value(ctx.op(opType, [x.name], { axes: attr.ints(spatialAxes(x)), keepdims: attr.int(0) }), 'channels-last', n.output.shape);
    },
  };
}

/** Pads or crops rows and columns [[top, bottom], [left, right]] on the input's stored layout. */
function edges(ctx: EmitContext, x: Value, amounts: readonly (readonly [number, number])[], sign: 1 | -1): string {
  const [rows, cols] = spatialAxes(x) as [number, number];
  if (sign === 1) {
    const pads = new Array<number>(2 * x.shape.length).fill(0);
    [rows, cols].forEach((axis, i) => {
      pads[axis] = amounts[i]![0];
      pads[axis + x.shape.length] = amounts[i]![1];
    });
    return ctx.op('Pad', [x.name, ctx.int64s(pads)], { mode: attr.string('constant') });
  }
  const lens = x.shape.slice(1, 3) as number[];
  const starts = amounts.map((a) => a[0]);
  const ends = amounts.map((a, i) => lens[i]! - a[1]);
  return ctx.op('Slice', [x.name, ctx.int64s(starts), ctx.int64s(ends), ctx.int64s([rows, cols])]);
}

export const poolingEmitters = {
  MaxPooling1D: pool('MaxPool'),
  MaxPooling2D: pool('MaxPool'),
  MaxPooling3D: pool('MaxPool'),
  AveragePooling1D: pool('AveragePool'),
  AveragePooling2D: pool('AveragePool'),
  AveragePooling3D: pool('AveragePool'),
  GlobalAveragePooling1D: global('ReduceMean'),
  GlobalAveragePooling2D: global('ReduceMean'),
  GlobalMaxPooling1D: global('ReduceMax'),
  GlobalMaxPooling2D: global('ReduceMax'),

  // TF.js resizes with alignCorners = false and halfPixelCenters = false: source = destination / scale
  // ('asymmetric'), nearest rounding down.
  UpSampling2D: {
    emit(ctx, n) {
      const p = paramsOf<{ size: number[]; interpolation: 'nearest' | 'bilinear' }>(n);
      const scales = ctx.floats([1, 1, p.size[0]!, p.size[1]!]);
      const mode: Attrs = p.interpolation === 'nearest' ? { mode: attr.string('nearest'), nearest_mode: attr.string('floor') } : { mode: attr.string('linear') };
      const y = ctx.op('Resize', [ctx.first(only(n)), '', scales], { coordinate_transformation_mode: attr.string('asymmetric'), ...mode });
      return ctx.value(y, 'channels-first', n.output.shape);
    },
  },

  ZeroPadding2D: {
    emit: (ctx, n) => ({ ...only(n), name: edges(ctx, only(n), paramsOf<{ padding: [number, number][] }>(n).padding, 1), shape: n.output.shape }),
  },

  Cropping2D: {
    emit: (ctx, n) => ({ ...only(n), name: edges(ctx, only(n), paramsOf<{ cropping: [number, number][] }>(n).cropping, -1), shape: n.output.shape }),
  },
} satisfies Record<string, OnnxEmitter>;
