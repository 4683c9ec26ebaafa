// Constant folding for the shape arithmetic exporters leave behind (torch's F.pad, x.size(0),
// zero initial states): Constant, Shape, ConstantOfShape and index ops over known values. The
// batch size is NaN in a folded shape, so anything computed from it stays visibly unknown.
import { broadcastShape, broadcastTo, permute, strides } from '../arrays.js';
import { refuse } from '../errors.js';
import { IMPORT_LIMITS } from '../limits.js';
import { sizeOf, type ConstTensor } from '../tensor.js';
import { normAxis, ourShape, type Value } from '../values.js';
import { outputs, unmapped, type OpContext, type OpMapper, type OpResult } from './types.js';

const constant = (tensor: ConstTensor): Value => ({ kind: 'const', tensor });

/** Counts `n` folded elements against the budget before anything of that size is allocated. */
function spend(ctx: OpContext, n: number): void {
  ctx.draft.folded += n;
  if (!Number.isFinite(n) || ctx.draft.folded > IMPORT_LIMITS.maxFoldedElements)
    refuse('too-large', `constant folding would compute more than ${IMPORT_LIMITS.maxFoldedElements} values`, ctx.where);
}
const ints = (values: readonly number[], dims: readonly number[] = [values.length]): Value => constant({ dims, data: Float64Array.from(values), dtype: 'int' });

/** The node's axes: an attribute before opset 13 (Squeeze, Unsqueeze), an input from then on. */
export function axesOf(ctx: OpContext, inputIndex: number): number[] | undefined | null {
  const attr = ctx.attrs.ints('axes');
  if (attr) return attr;
  if (ctx.input(inputIndex) === undefined) return undefined;
  const c = ctx.constant(inputIndex);
  return c ? [...c.data] : null; // null: computed at run time
}

/** Const data indexed by a const index tensor along one axis (numpy.take). */
function take(data: ConstTensor, index: ConstTensor, axis: number): ConstTensor {
  const dims = data.dims;
  const outer = sizeOf(dims.slice(0, axis));
  const inner = sizeOf(dims.slice(axis + 1));
  const len = dims[axis]!;
  const out = new (data.data.constructor as new (n: number) => Float32Array | Float64Array)(outer * index.data.length * inner);
  let o = 0;
  for (let a = 0; a < outer; a++)
    for (const raw of index.data) {
      const i = raw < 0 ? raw + len : raw;
      if (!(i >= 0 && i < len)) throw new RangeError(`index ${raw} is outside 0…${len - 1}`);
      for (let b = 0; b < inner; b++) out[o++] = data.data[(a * len + i) * inner + b]!;
    }
  return { dims: [...dims.slice(0, axis), ...index.dims, ...dims.slice(axis + 1)], data: out, dtype: data.dtype };
}

/** N-d Slice over known values (steps may be negative), as ONNX defines it. */
function slice(x: ConstTensor, starts: number[], ends: number[], axes: number[], steps: number[]): ConstTensor {
  const dims = [...x.dims];
  const ranges = dims.map((d) => ({ start: 0, step: 1, count: d }));
  axes.forEach((raw, k) => {
    const a = normAxis(raw, dims.length)!;
    const d = dims[a]!;
    const step = steps[k] ?? 1;
    const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v < 0 ? v + d : v, lo), hi);
    const start = step > 0 ? clamp(starts[k]!, 0, d) : clamp(starts[k]!, -1, d - 1);
    const end = step > 0 ? clamp(ends[k]!, 0, d) : clamp(ends[k]!, -1, d - 1);
    ranges[a] = { start, step, count: Math.max(0, Math.ceil((end - start) / step)) };
  });
  const outDims = ranges.map((r) => r.count);
  const st = strides(dims);
  const out = new (x.data.constructor as new (n: number) => Float32Array | Float64Array)(sizeOf(outDims));
  const outSt = strides(outDims);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let a = 0; a < dims.length; a++) src += (ranges[a]!.start + (Math.floor(o / outSt[a]!) % outDims[a]!) * ranges[a]!.step) * st[a]!;
    out[o] = x.data[src]!;
  }
  return { dims: outDims, data: out, dtype: x.dtype };
}

/** The ONNX Reshape target for known input dims: 0 copies a dim (allowzero = 0), one −1 is inferred. */
export function reshapeTarget(inDims: readonly (number | null)[], target: readonly number[], where: string): (number | null)[] {
  const out: (number | null)[] = target.map((d, i) => (d === 0 ? (inDims[i] ?? null) : Number.isNaN(d) ? null : d));
  const minus = out.filter((d) => d === -1).length;
  if (minus > 1) refuse('invalid', `Reshape target [${target.join(', ')}] has more than one -1`, where);
  if (minus === 1) {
    const total = inDims.every((d) => d !== null) ? sizeOf(inDims as number[]) : null;
    const known = out.filter((d): d is number => d !== null && d !== -1);
    out[out.indexOf(-1)] = total === null ? null : total / sizeOf(known);
  }
  return out;
}

function foldConstant(ctx: OpContext): OpResult {
  const t = ctx.attrs.tensor('value');
  if (t) return outputs(constant(t));
  const f = ctx.attrs.floats('value_floats');
  if (f) return outputs(constant({ dims: [f.length], data: Float32Array.from(f), dtype: 'float' }));
  const is = ctx.attrs.ints('value_ints');
  if (is) return outputs(ints(is));
  if (ctx.attrs.has('value_float')) return outputs(constant({ dims: [], data: Float32Array.of(ctx.attrs.float('value_float', 0)), dtype: 'float' }));
  if (ctx.attrs.has('value_int')) return outputs(ints([ctx.attrs.int('value_int', 0)], []));
  return unmapped(`a Constant with ${ctx.attrs.names().join(', ') || 'no value'}`);
}

function foldShape(ctx: OpContext): OpResult {
  const v = ctx.input(0);
  const dims = v?.kind === 'tensor' ? v.shape : v?.kind === 'const' ? v.tensor.dims : v?.kind === 'fill' ? v.shape : null;
  if (!dims) return unmapped('the shape of a value the importer does not know');
  const rank = dims.length;
  // opset 15 start/end: negative counts from the back; both are clamped into [0, rank].
  const clamp = (a: number) => Math.min(Math.max(a < 0 ? a + rank : a, 0), rank);
  const [start, end] = [clamp(ctx.attrs.int('start', 0)), clamp(ctx.attrs.int('end', rank))];
  return outputs(ints(dims.slice(start, end).map((d) => d ?? NaN)));
}

function foldConstantOfShape(ctx: OpContext): OpResult {
  const shape = ctx.constant(0);
  if (!shape) return unmapped('ConstantOfShape of a shape computed from data');
  const value = ctx.attrs.tensor('value') ?? { dims: [1], data: Float32Array.of(0), dtype: 'float' as const };
  const fill = value.data[0] ?? 0;
  const dims = [...shape.data];
  if (dims.some((d) => d < 0 || d > IMPORT_LIMITS.maxDim || !(Number.isInteger(d) || Number.isNaN(d))))
    refuse('absurd-shape', `ConstantOfShape of [${dims.join(', ')}]`, ctx.where);
  if (dims.some(Number.isNaN)) return outputs({ kind: 'fill', value: fill, shape: dims.map((d) => (Number.isNaN(d) ? null : d)) });
  spend(ctx, sizeOf(dims));
  const data = new (value.dtype === 'float' ? Float32Array : Float64Array)(sizeOf(dims)).fill(fill);
  return outputs(constant({ dims, data, dtype: value.dtype }));
}

/**
 * Wraps a fold over constant inputs (by position; absent optional ones undefined). Returns null
 * when an input is not constant: the op then maps on graph tensors, or not at all.
 */
function onConstants(fold: (ctx: OpContext, cs: (ConstTensor | undefined)[], spend: (n: number) => void) => ConstTensor, what: string): (ctx: OpContext) => OpResult | null {
  return (ctx) => {
    const names = ctx.node.input ?? [];
    if (names.some((n, i) => n && ctx.input(i)?.kind !== 'const')) return null;
    const cs = names.map((n, i) => (n ? ctx.constant(i) : undefined));
    spend(ctx, cs.reduce((s, c) => s + (c?.data.length ?? 0), 0));
    try {
      return outputs(constant(fold(ctx, cs, (n) => spend(ctx, n))));
    } catch (e) {
      if (e instanceof RangeError) refuse('invalid', `${what}: ${e.message}`, ctx.where);
      throw e;
    }
  };
}

export const foldGather = onConstants((ctx, [data, index], spend) => {
  const axis = normAxis(ctx.attrs.int('axis', 0), data!.dims.length);
  if (axis === null) throw new RangeError(`axis ${ctx.attrs.int('axis', 0)} of a rank-${data!.dims.length} tensor`);
  spend((data!.data.length / Math.max(1, data!.dims[axis]!)) * index!.data.length); // repeated indices can outgrow the data
  return take(data!, index!, axis);
}, 'Gather');

export const foldSqueeze = onConstants((ctx, [x]) => {
  const axes = (axesOf(ctx, 1) ?? []).map((a) => normAxis(a, x!.dims.length)!);
  return { ...x!, dims: x!.dims.filter((d, i) => (axes.length ? !axes.includes(i) : d !== 1)) };
}, 'Squeeze');

export const foldUnsqueeze = onConstants((ctx, [x]) => {
  const raw = axesOf(ctx, 1) ?? [];
  const rank = x!.dims.length + raw.length;
  const axes = raw.map((a) => normAxis(a, rank)!);
  const dims: number[] = [];
  for (let i = 0, k = 0; i < rank; i++) dims.push(axes.includes(i) ? 1 : x!.dims[k++]!);
  return { ...x!, dims };
}, 'Unsqueeze');

export const foldConcat = onConstants((ctx, given) => {
  const cs = given.filter((c): c is ConstTensor => c !== undefined);
  const rank = cs[0]!.dims.length;
  const axis = normAxis(ctx.attrs.int('axis', 0), rank);
  if (axis === null || cs.some((c) => c.dims.length !== rank || c.dims.some((d, i) => i !== axis && d !== cs[0]!.dims[i])))
    throw new RangeError(`cannot join [${cs.map((c) => c.dims.join('×')).join('], [')}] on axis ${ctx.attrs.int('axis', 0)}`);
  const outer = sizeOf(cs[0]!.dims.slice(0, axis));
  const dims = [...cs[0]!.dims];
  dims[axis] = cs.reduce((s, c) => s + c.dims[axis]!, 0);
  const float = cs.some((c) => c.dtype === 'float');
  const data = new (float ? Float32Array : Float64Array)(sizeOf(dims));
  let o = 0;
  for (let a = 0; a < outer; a++)
    for (const c of cs) {
      const block = sizeOf(c.dims.slice(axis));
      data.set(c.data.subarray(a * block, (a + 1) * block), o);
      o += block;
    }
  return { dims, data, dtype: float ? 'float' : 'int' };
}, 'Concat');

export const foldReshape = onConstants((ctx, [x, shape]) => {
  const dims = reshapeTarget(x!.dims, [...shape!.data], ctx.where);
  if (dims.some((d) => d === null || d < 0 || !Number.isInteger(d)) || sizeOf(dims as number[]) !== x!.data.length) throw new RangeError(`cannot reshape [${x!.dims.join(', ')}] to [${[...shape!.data].join(', ')}]`);
  return { ...x!, dims: dims as number[] };
}, 'Reshape');

export const foldTranspose = onConstants((ctx, [x]) => {
  const perm = ctx.attrs.ints('perm') ?? x!.dims.map((_, i) => x!.dims.length - 1 - i);
  return { dims: perm.map((p) => x!.dims[p]!), data: permute(x!.data, x!.dims, perm), dtype: x!.dtype };
}, 'Transpose');

export const foldSlice = onConstants((_ctx, [x, starts, ends, axes, steps]) => {
  const rank = x!.dims.length;
  if (starts!.data.length !== ends!.data.length) throw new RangeError('starts and ends differ in length');
  const ax = axes ? [...axes.data] : Array.from({ length: starts!.data.length }, (_, i) => i);
  if (ax.some((a) => normAxis(a, rank) === null) || (steps && steps.data.some((v) => v === 0))) throw new RangeError('axes out of range or a step of 0');
  return slice(x!, [...starts!.data], [...ends!.data], ax, steps ? [...steps.data] : []);
}, 'Slice');

const FLOAT_CASTS = new Set([1, 10, 11, 16]);
export const foldCast = onConstants((ctx, [x]) => {
  const to = ctx.attrs.int('to', 1);
  if (FLOAT_CASTS.has(to)) return { dims: x!.dims, data: Float32Array.from(x!.data), dtype: 'float' };
  return { dims: x!.dims, data: Float64Array.from(x!.data, (v) => (Number.isNaN(v) ? v : Math.trunc(v))), dtype: 'int' };
}, 'Cast');

/** Element-wise arithmetic on two constants with numpy broadcasting (shape arithmetic, scale factors). */
export function foldBinary(op: (a: number, b: number) => number): (ctx: OpContext) => OpResult | null {
  return onConstants((_ctx, [a, b], spend) => {
    const dims = broadcastShape(a!.dims, b!.dims);
    if (!dims) throw new RangeError(`shapes [${a!.dims.join(', ')}] and [${b!.dims.join(', ')}] do not broadcast`);
    spend(sizeOf(dims)); // broadcasting can outgrow both inputs
    const [x, y] = [broadcastTo(a!.data, a!.dims, dims), broadcastTo(b!.data, b!.dims, dims)];
    const float = a!.dtype === 'float' || b!.dtype === 'float';
    // Integer arithmetic truncates (ONNX Div on ints); NaN (the batch) stays NaN.
    const data = float ? Float32Array.from(x, (v, i) => op(v, y[i]!)) : Float64Array.from(x, (v, i) => Math.trunc(op(v, y[i]!)));
    return { dims, data, dtype: float ? 'float' : 'int' };
  }, 'arithmetic');
}

/** Identity and Dropout pass their input through (Dropout is a no-op at inference). */
const passThrough: OpMapper = (ctx) => {
  const v = ctx.input(0);
  if (!v) refuse('invalid', 'has no input', ctx.where);
  if (ctx.op === 'Dropout' && v.kind === 'tensor') ctx.draft.notes.push(`Dropout "${ctx.node.name || ctx.base}" is dropped: it does nothing at inference. Add a Dropout layer to train with it.`);
  return outputs(v, { kind: 'missing', cause: `the mask of ${ctx.where}` });
};

export const constantOps: Record<string, OpMapper> = {
  Constant: foldConstant,
  Shape: foldShape,
  ConstantOfShape: foldConstantOfShape,
  Cast: (ctx) => foldCast(ctx) ?? (ctx.input(0)?.kind === 'tensor' && ctx.attrs.int('to', 1) === 1 && ctx.tensor(0)!.dtype === 'float32' ? outputs(ctx.input(0)!) : unmapped('a Cast of a tensor')),
  Identity: passThrough,
  Dropout: passThrough,
  Size: (ctx) => {
    const v = ctx.input(0);
    return v?.kind === 'tensor' ? outputs(ints([ourShape(v).reduce<number>((a, d) => a * (d ?? NaN), 1)], [])) : unmapped('Size of a value the importer does not know');
  },
};
