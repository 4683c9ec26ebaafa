// Reshaping ops on graph tensors. Transpose, Squeeze and Unsqueeze only relabel axes (no node);
// Flatten and Reshape first put the data in ONNX (NCHW) order so element order matches; taking
// the last step of a recurrent sequence (Gather/Slice) turns off the layer's returnSequences.
import { refuse } from '../errors.js';
import { sizeOf } from '../tensor.js';
import { identityAxes, isUnit, normAxis, squeezed, transposed, unsqueezed, type Dim, type GraphTensor } from '../values.js';
import { axesOf, foldGather, foldReshape, foldSlice, foldSqueeze, foldTranspose, foldUnsqueeze, reshapeTarget } from './constants.js';
import { outputs, unmapped, type OpContext, type OpMapper, type OpResult } from './types.js';

/** Runs `fold` when every input is constant, otherwise `onTensor` for a graph-tensor first input. */
function either(fold: (ctx: OpContext) => OpResult | null, onTensor: (ctx: OpContext, t: GraphTensor) => OpResult): OpMapper {
  return (ctx) => {
    const folded = fold(ctx);
    if (folded) return folded;
    const t = ctx.tensor(0);
    return t ? onTensor(ctx, t) : unmapped(`${ctx.op} of a value computed from data the importer cannot follow`);
  };
}

/** Non-size-1 ONNX axes of `t`, in ONNX order: the order Flatten and Reshape read elements in. */
const dataAxes = (t: GraphTensor): number[] => identityAxes(t.shape.length).filter((a) => !isUnit(t, a));

/**
 * `t` regrouped as ONNX `shape` with the same element order. When only size-1 axes come or go,
 * that is a relabelling; otherwise the data is put in ONNX order and a Reshape added.
 */
function regroup(ctx: OpContext, t: GraphTensor, shape: Dim[]): GraphTensor {
  const from = dataAxes(t);
  const to = identityAxes(shape.length).filter((a) => shape[a] !== 1);
  const sameData = from.length === to.length && from.every((a, i) => t.shape[a] === shape[to[i]!]);
  if (sameData) return { ...t, shape, axes: t.axes.map((a) => (isUnit(t, a) ? -1 : to[from.indexOf(a)]!)) };
  if (t.axes[0] !== from[0] || shape[0] !== null) refuse('unsupported', `reshapes across the batch axis ([${t.shape.join(', ')}] → [${shape.join(', ')}])`, ctx.where);
  const ordered = ctx.draft.toLayout(t, from, ctx.base, ctx.where);
  const out = { ...ordered, shape, axes: identityAxes(shape.length) };
  const targetShape = shape.slice(1);
  if (ordered.axes.length === 2 && targetShape.length === 1) return { ...out, node: ordered.node }; // already flat, in order
  const kind = targetShape.length === 1 ? 'Flatten' : 'Reshape';
  const node = ctx.emit(kind, kind === 'Flatten' ? {} : { targetShape }, [ordered]);
  return { ...out, node: node.id, rnn: undefined };
}

function flatten(ctx: OpContext, t: GraphTensor): OpResult {
  const axis = normAxis(ctx.attrs.int('axis', 1), t.shape.length + 1);
  if (axis !== 1) return unmapped(`Flatten with axis ${ctx.attrs.int('axis', 1)}: only axis 1 (keep the batch) maps to a layer`);
  const rest = t.shape.slice(1) as number[];
  return outputs(regroup(ctx, t, [null, sizeOf(rest)]));
}

function reshape(ctx: OpContext, t: GraphTensor): OpResult {
  const target = ctx.constant(1);
  if (!target) return unmapped('a Reshape to a shape computed from data');
  if (ctx.attrs.int('allowzero', 0) !== 0) return unmapped('Reshape with allowzero = 1');
  const raw = [...target.data];
  const batch = raw[0]!;
  // The batch stays first: 0 (copy), NaN (from Shape), -1 with all else known, or a fixed batch written out.
  const keepsBatch = batch === 0 || Number.isNaN(batch) || (batch === -1 && !raw.slice(1).includes(-1)) || batch === ctx.draft.fixedBatch;
  if (!keepsBatch) return unmapped(`a Reshape to [${raw.join(', ')}], which does not keep the batch first`);
  const rest = t.shape.slice(1) as number[];
  const tail = reshapeTarget(rest, raw.slice(1).map((d, i) => (d === 0 ? (rest[i] ?? 0) : d)), ctx.where);
  if (tail.some((d) => d === null || !Number.isInteger(d) || d < 1) || sizeOf(tail as number[]) !== sizeOf(rest))
    refuse('invalid', `cannot reshape [${t.shape.map((d) => d ?? 'batch').join(', ')}] to [${raw.join(', ')}]`, ctx.where);
  return outputs(regroup(ctx, t, [null, ...tail]));
}

/** Which ONNX axis of the tensor is the time axis of a recurrent layer's sequence output. */
const timeAxis = (t: GraphTensor): number => t.axes[1]!;

/** `t` with the time axis reduced to its last step: `keep` leaves it as a size-1 axis. */
function lastStep(t: GraphTensor, axis: number, keep: boolean): GraphTensor {
  if (keep) return { ...t, shape: t.shape.map((d, i) => (i === axis ? 1 : d)), axes: t.axes.filter((_, k) => k !== 1), rnn: 'last' };
  const s = squeezed({ ...t, shape: t.shape.map((d, i) => (i === axis ? 1 : d)) }, [axis]);
  return { ...s, axes: s.axes.filter((_, k) => k !== 1), rnn: 'last' };
}

function isLast(index: number, len: Dim): boolean {
  return index === -1 || (len !== null && index === len - 1);
}

function gather(ctx: OpContext): OpResult {
  const folded = foldGather(ctx);
  if (folded) return folded;
  const data = ctx.input(0);
  const indices = ctx.tensor(1);
  if (data?.kind === 'const' && indices) return embedding(ctx, data.tensor, indices);
  const t = ctx.tensor(0);
  const idx = ctx.constant(1);
  if (!t || !idx) return unmapped('a Gather the importer cannot follow');
  const axis = normAxis(ctx.attrs.int('axis', 0), t.shape.length)!;
  if (t.rnn === 'sequence' && axis === timeAxis(t) && idx.data.length === 1 && isLast(idx.data[0]!, t.shape[axis]!))
    return outputs(lastStep(t, axis, idx.dims.length === 1));
  // The only entry of a size-1 axis (h_n[-1] of a one-layer RNN): nothing to select.
  if (t.shape[axis] === 1 && idx.data.length === 1 && idx.dims.length <= 1 && (idx.data[0] === 0 || idx.data[0] === -1))
    return outputs(idx.dims.length === 0 ? squeezed(t, [axis]) : t);
  return unmapped('selecting entries of a tensor (only the last step of a recurrent sequence, or an embedding lookup, maps to a layer)');
}

function embedding(ctx: OpContext, table: { dims: readonly number[]; data: Float32Array | Float64Array }, ids: GraphTensor): OpResult {
  if (table.dims.length !== 2 || ctx.attrs.int('axis', 0) !== 0) return unmapped('a Gather from a constant that is not a [vocabulary, size] table');
  if (ids.dtype !== 'int32') return unmapped('an embedding lookup with float indices');
  const [vocab, size] = table.dims as [number, number];
  const node = ctx.emit('Embedding', { inputDim: vocab, outputDim: size }, [ids], [Float32Array.from(table.data)]);
  const rank = ids.shape.length;
  return outputs({ kind: 'tensor', node: node.id, shape: [...ids.shape, size], axes: [...ids.axes, rank], dtype: 'float32' });
}

function sliceTensor(ctx: OpContext): OpResult {
  const folded = foldSlice(ctx);
  if (folded) return folded;
  const t = ctx.tensor(0);
  const [starts, ends, axes, steps] = [1, 2, 3, 4].map((i) => ctx.constant(i));
  if (!t || !starts || !ends || (ctx.input(3) && !axes) || (ctx.input(4) && !steps)) return unmapped('a Slice the importer cannot follow');
  if (starts.data.length !== 1) return unmapped('a Slice over several axes');
  const axis = normAxis(axes ? axes.data[0]! : 0, t.shape.length)!;
  const len = t.shape[axis]!;
  const step = steps ? steps.data[0]! : 1;
  const reachesEnd = len !== null && ends.data[0]! >= len;
  if (t.rnn === 'sequence' && axis === timeAxis(t) && step === 1 && isLast(starts.data[0]!, len) && reachesEnd) return outputs(lastStep(t, axis, true));
  return unmapped('slicing a tensor (only the last step of a recurrent sequence maps to a layer)');
}

function squeeze(ctx: OpContext, t: GraphTensor): OpResult {
  const raw = axesOf(ctx, 1);
  if (raw === null) return unmapped('Squeeze with axes computed from data');
  const axes = raw ? raw.map((a) => normAxis(a, t.shape.length)!) : identityAxes(t.shape.length).filter((a) => t.shape[a] === 1);
  if (axes.some((a) => t.shape[a] !== 1)) return unmapped(`Squeeze of axes [${raw?.join(', ')}], which are not all of size 1 (the batch cannot be squeezed)`);
  return outputs(squeezed(t, axes));
}

function unsqueeze(ctx: OpContext, t: GraphTensor): OpResult {
  const raw = axesOf(ctx, 1);
  if (!raw) return unmapped('Unsqueeze without constant axes');
  const rank = t.shape.length + raw.length;
  return outputs(unsqueezed(t, raw.map((a) => normAxis(a, rank)!)));
}

function transpose(ctx: OpContext, t: GraphTensor): OpResult {
  const rank = t.shape.length;
  const perm = ctx.attrs.ints('perm') ?? identityAxes(rank).reverse();
  if (perm.length !== rank || [...perm].sort((a, b) => a - b).some((p, i) => p !== i)) refuse('invalid', `perm [${perm.join(', ')}] is not a permutation of ${rank} axes`, ctx.where);
  return outputs(transposed(t, perm));
}

export const shapeOps: Record<string, OpMapper> = {
  Transpose: either(foldTranspose, transpose),
  Squeeze: either(foldSqueeze, squeeze),
  Unsqueeze: either(foldUnsqueeze, unsqueeze),
  Flatten: (ctx) => (ctx.tensor(0) ? flatten(ctx, ctx.tensor(0)!) : unmapped('Flatten of a constant')),
  Reshape: either(foldReshape, reshape),
  Gather: gather,
  Slice: sliceTensor,
};
