// Element-wise ops and Concat between graph tensors of one shape → the merge kinds. Constants
// are folded; a tensor combined with a constant (a bias or scale outside a Dense) has no layer.
import { normAxis, ourAxis, ourShape, type Dim, type GraphTensor } from '../values.js';
import { foldBinary, foldConcat } from './constants.js';
import { outputs, unmapped, type OpContext, type OpMapper, type OpResult } from './types.js';

const shapeText = (s: readonly Dim[]) => `[${s.map((d) => d ?? 'batch').join(', ')}]`;

/** Every input as a graph tensor in the first one's layout, or why not. */
function alike(ctx: OpContext): GraphTensor[] | string {
  const n = (ctx.node.input ?? []).length;
  const ts: GraphTensor[] = [];
  for (let i = 0; i < n; i++) {
    const t = ctx.tensor(i);
    if (!t) return ctx.input(i)?.kind === 'const' ? `${ctx.op} of a tensor and a constant (no layer adds, scales or divides by a constant)` : `${ctx.op} of values the importer cannot follow`;
    ts.push(t);
  }
  return ts;
}

function sameShape(a: GraphTensor, b: GraphTensor): boolean {
  return a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]);
}

/** Add/Sub/Mul/Max/Sum/Mean of same-shape tensors → one merge node. */
function elementwise(kind: 'Add' | 'Subtract' | 'Multiply' | 'Maximum' | 'Average', fold?: (a: number, b: number) => number): OpMapper {
  const folder = fold ? foldBinary(fold) : null;
  return (ctx): OpResult => {
    const folded = folder?.(ctx);
    if (folded) return folded;
    const ts = alike(ctx);
    if (typeof ts === 'string') return unmapped(ts);
    if (ts.length === 1) return outputs(ts[0]!); // Sum/Max/Mean of one input
    const [first, ...rest] = ts as [GraphTensor, ...GraphTensor[]];
    const odd = rest.find((t) => !sameShape(first, t));
    if (odd) return unmapped(`${ctx.op} with broadcasting (${shapeText(first.shape)} and ${shapeText(odd.shape)}); merge layers need one shape`);
    const inputs = [first, ...rest.map((t) => ctx.draft.toLayout(t, first.axes, ctx.base, ctx.where))];
    const node = ctx.emit(kind, {}, inputs);
    return outputs({ ...first, node: node.id, rnn: undefined });
  };
}

function concat(ctx: OpContext): OpResult {
  const folded = foldConcat(ctx);
  if (folded) return folded;
  const ts = alike(ctx);
  if (typeof ts === 'string') return unmapped(ts);
  const first = ts[0]!;
  const rank = first.shape.length;
  const axis = normAxis(ctx.attrs.int('axis', 0), rank);
  if (axis === null) return unmapped(`Concat on axis ${ctx.attrs.int('axis', 0)} of a rank-${rank} tensor`);
  const mismatch = ts.find((t) => t.shape.length !== rank || t.shape.some((d, i) => i !== axis && d !== first.shape[i]));
  if (mismatch) return unmapped(`Concat of ${shapeText(first.shape)} and ${shapeText(mismatch.shape)}, which differ off the joined axis`);
  if (ts.length === 1) return outputs(first);
  const ours = ourAxis(first, axis);
  if (ours <= 0) return unmapped('Concat along the batch or a size-1 axis');
  const inputs = [first, ...ts.slice(1).map((t) => ctx.draft.toLayout(t, first.axes, ctx.base, ctx.where))];
  const node = ctx.emit('Concatenate', { axis: ours === ourShape(first).length - 1 ? -1 : ours }, inputs);
  const total = ts.reduce<number | null>((s, t) => (s === null || t.shape[axis] === null ? null : s + t.shape[axis]!), 0);
  return outputs({ ...first, node: node.id, shape: first.shape.map((d, i) => (i === axis ? total : d)), rnn: undefined });
}

export const mergeOps: Record<string, OpMapper> = {
  Add: elementwise('Add', (a, b) => a + b),
  Sub: elementwise('Subtract', (a, b) => a - b),
  Mul: elementwise('Multiply', (a, b) => a * b),
  Div: (ctx) => foldBinary((a, b) => a / b)(ctx) ?? unmapped('Div of tensors (no layer divides)'),
  Max: elementwise('Maximum'),
  Sum: elementwise('Add'),
  Mean: elementwise('Average'),
  Concat: concat,
};
