// Conv (1–3-D, plain or depthwise), ConvTranspose (2-D) and Pad → the convolution kinds and
// ZeroPadding2D/Cropping2D, channels-last. Kernels are transposed from ONNX's OI… to TF.js's …IO.
import { permute } from '../arrays.js';
import { refuse } from '../errors.js';
import { channelsLastAxes, type GraphTensor } from '../values.js';
import { outputs, unmapped, type OpContext, type OpResult } from './types.js';
import { place, windowOf, zeroPad } from './windows.js';

const KINDS = { 1: 'Conv1D', 2: 'Conv2D', 3: 'Conv3D' } as const;

/** ONNX OI… → TF.js …IO (e.g. OIHW → HWIO). */
const toHwio = (w: Float32Array | Float64Array, dims: readonly number[]): Float32Array => {
  const n = dims.length - 2;
  return Float32Array.from(permute(w, dims, [...Array.from({ length: n }, (_, i) => i + 2), 1, 0]));
};

function biasOf(ctx: OpContext, out: number): Float32Array | null | string {
  if (!ctx.input(2)) return null;
  const b = ctx.constant(2);
  if (!b) return 'a bias computed from data';
  if (b.data.length !== out) refuse('invalid', `bias has ${b.data.length} values for ${out} output channels`, ctx.where);
  return Float32Array.from(b.data);
}

function conv(ctx: OpContext): OpResult {
  const x = ctx.tensor(0);
  const w = ctx.constant(1);
  if (!x) return unmapped('Conv of a constant');
  if (!w) return unmapped('Conv with weights computed from data');
  const rank = x.shape.length;
  const n = rank - 2;
  if (n < 1 || n > 3 || w.dims.length !== rank) refuse('invalid', `Conv of a rank-${rank} input with a rank-${w.dims.length} weight`, ctx.where);
  const [filters, perGroup] = w.dims as [number, number];
  const channels = x.shape[1]!;
  const group = ctx.attrs.int('group', 1);
  if (perGroup * group !== channels || filters % group !== 0) refuse('invalid', `weight [${w.dims.join(', ')}] with group ${group} does not fit ${channels} input channels`, ctx.where);
  const win = windowOf(ctx, n, w.dims.slice(2));
  const spatial = x.shape.slice(2) as number[];
  const at = place(ctx, spatial, win);
  const bias = biasOf(ctx, filters);
  if (typeof bias === 'string') return unmapped(`Conv with ${bias}`);
  const depthwise = group > 1 && group === channels;
  if (group > 1 && !(depthwise && n === 2)) return unmapped(`grouped convolution (group = ${group} of ${channels} channels): only depthwise 2-D convolution maps to a layer`);
  const dilated = win.dilations.some((d) => d > 1);
  if (dilated && (depthwise || win.strides.some((s) => s > 1))) return unmapped('dilation combined with strides or a depthwise convolution (TF.js does not support it)');

  let input = ctx.draft.toLayout(x, channelsLastAxes(rank), ctx.base, ctx.where);
  let padding: string = at.padding.mode;
  if (at.padding.mode === 'explicit') {
    const padded = zeroPad(ctx, input, at.padding.pads);
    if (!padded) return unmapped(`3-D convolution with padding ${JSON.stringify(at.pads)} (neither 'valid' nor 'same')`);
    input = padded;
    padding = 'valid';
  }
  const common = { kernelSize: win.kernel, strides: win.strides, padding, useBias: bias !== null };
  const node = depthwise
    ? ctx.emit('DepthwiseConv2D', { ...common, depthMultiplier: filters / channels }, [input], depthwiseWeights(w.data, w.dims, channels, bias))
    : ctx.emit(KINDS[n as 1 | 2 | 3], { ...common, filters, dilationRate: win.dilations }, [input], bias ? [toHwio(w.data, w.dims), bias] : [toHwio(w.data, w.dims)]);
  return outputs({ kind: 'tensor', node: node.id, shape: [x.shape[0]!, filters, ...at.out], axes: channelsLastAxes(rank), dtype: 'float32' });
}

/** ONNX [C·m, 1, kH, kW] (output channel c·m + j) → TF.js [kH, kW, C, m]. */
function depthwiseWeights(w: Float32Array | Float64Array, dims: readonly number[], channels: number, bias: Float32Array | null): Float32Array[] {
  const [filters, , kh, kw] = dims as [number, number, number, number];
  const kernel = Float32Array.from(permute(w, [channels, filters / channels, kh, kw], [2, 3, 0, 1]));
  return bias ? [kernel, bias] : [kernel];
}

/**
 * ConvTranspose → Conv2DTranspose ('valid': every contribution kept) and a Cropping2D that
 * removes what ONNX's pads remove. Exact for any pads and output_padding.
 */
function convTranspose(ctx: OpContext): OpResult {
  const x = ctx.tensor(0);
  const w = ctx.constant(1);
  if (!x) return unmapped('ConvTranspose of a constant');
  if (!w) return unmapped('ConvTranspose with weights computed from data');
  if (x.shape.length !== 4 || w.dims.length !== 4) return unmapped(`ConvTranspose of a rank-${x.shape.length} input (only 2-D maps to a layer)`);
  const [channels, filters, kh, kw] = w.dims as [number, number, number, number];
  if (ctx.attrs.int('group', 1) !== 1) return unmapped('grouped ConvTranspose');
  if (channels !== x.shape[1]) refuse('invalid', `weight [${w.dims.join(', ')}] does not fit ${x.shape[1]} input channels`, ctx.where);
  const win = windowOf(ctx, 2, [kh, kw]);
  if (win.dilations.some((d) => d > 1)) return unmapped('dilated ConvTranspose (TF.js ignores its dilation)');
  if (ctx.attrs.has('output_shape') || ctx.attrs.string('auto_pad', 'NOTSET') !== 'NOTSET') return unmapped('ConvTranspose with output_shape or auto_pad');
  const pads = ctx.attrs.ints('pads') ?? [0, 0, 0, 0];
  const extra = ctx.attrs.ints('output_padding') ?? [0, 0];
  const bias = biasOf(ctx, filters);
  if (typeof bias === 'string') return unmapped(`ConvTranspose with ${bias}`);
  const len = x.shape.slice(2) as number[];
  const crop: [number, number][] = [];
  const out: number[] = [];
  for (let i = 0; i < 2; i++) {
    const [L, k, s] = [len[i]!, win.kernel[i]!, win.strides[i]!];
    const onnxLen = s * (L - 1) + extra[i]! + k - pads[i]! - pads[i + 2]!;
    const tfLen = L * s + Math.max(k - s, 0);
    const end = tfLen - pads[i]! - onnxLen;
    if (onnxLen < 1 || end < 0) return unmapped(`ConvTranspose whose output_padding reaches past the kernel (pads ${pads.join(', ')}, output_padding ${extra.join(', ')})`);
    crop.push([pads[i]!, end]);
    out.push(onnxLen);
  }
  const input = ctx.draft.toLayout(x, channelsLastAxes(4), ctx.base, ctx.where);
  // ONNX [C_in, C_out, kH, kW] → TF.js [kH, kW, C_out, C_in]
  const kernel = Float32Array.from(permute(w.data, w.dims, [2, 3, 1, 0]));
  const params = { filters, kernelSize: win.kernel, strides: win.strides, padding: 'valid', useBias: bias !== null };
  let node = ctx.emit('Conv2DTranspose', params, [input], bias ? [kernel, bias] : [kernel]);
  const result: GraphTensor = { kind: 'tensor', node: node.id, shape: [x.shape[0]!, filters, ...out], axes: channelsLastAxes(4), dtype: 'float32' };
  if (crop.some(([a, b]) => a || b)) node = ctx.draft.add(`${ctx.base}.crop`, 'Cropping2D', { cropping: crop }, [result]);
  return outputs({ ...result, node: node.id });
}

/** Pad (constant zeros) on spatial axes → ZeroPadding2D; negative pads → Cropping2D. */
function pad(ctx: OpContext): OpResult {
  const x = ctx.tensor(0);
  if (!x) return unmapped('Pad of a constant');
  const mode = ctx.attrs.string('mode', 'constant');
  if (mode !== 'constant') return unmapped(`Pad in "${mode}" mode (only zeros map to a layer)`);
  const pads = ctx.constant(1);
  const value = ctx.input(2) ? ctx.constant(2) : undefined;
  if (!pads || (ctx.input(2) && !value) || ctx.input(3)) return unmapped('Pad with pads, value or axes computed from data');
  if (value && value.data[0] !== 0) return unmapped(`Pad with the value ${value.data[0]} (only zeros map to a layer)`);
  const rank = x.shape.length;
  const p = [...pads.data];
  if (p.length !== 2 * rank) refuse('invalid', `pads has ${p.length} entries for a rank-${rank} input`, ctx.where);
  if (p.every((v) => v === 0)) return outputs(x);
  if (p[0] || p[1] || p[rank] || p[rank + 1]) return unmapped('Pad of the batch or channel axis');
  const spatial = Array.from({ length: rank - 2 }, (_, i): [number, number] => [p[i + 2]!, p[i + 2 + rank]!]);
  if (spatial.every(([a, b]) => a >= 0 && b >= 0)) {
    const padded = rank === 4 || rank === 3 ? zeroPad(ctx, x, spatial) : null;
    return padded ? outputs(padded) : unmapped(`Pad of a rank-${rank} tensor`);
  }
  if (rank !== 4 || !spatial.every(([a, b]) => a <= 0 && b <= 0)) return unmapped('Pad that both adds and removes rows or columns');
  const input = ctx.draft.toLayout(x, channelsLastAxes(4), ctx.base, ctx.where);
  const cropping = spatial.map(([a, b]) => [-a || 0, -b || 0]); // never −0
  const node = ctx.emit('Cropping2D', { cropping }, [input]);
  const shape = x.shape.map((d, i) => (i < 2 ? d : d! + spatial[i - 2]![0] + spatial[i - 2]![1]));
  return outputs({ ...input, node: node.id, shape, rnn: undefined });
}

export const convOps = { Conv: conv, ConvTranspose: convTranspose, Pad: pad };
