// Merge layers: element-wise Add, Subtract, Multiply, Average, Maximum, and Concatenate.
// A mismatch names the input at fault and how to change the node that produced it.
import { int } from '../params.js';
import { formatShape, normalizeAxis, type Dim, type Shape } from '../tensor.js';
import { invalidShape, NO_PARAMS, ok, perSample } from './common.js';
import { defineLayer, type InferResult, type InputInfo } from './spec.js';
import { matchSuggestion } from './suggest.js';

const MAX_INPUTS = 32;

/** Two dims agree when equal; Concatenate (like TF.js) also requires unknown to meet unknown. */
type DimsAgree = (a: Dim, b: Dim) => boolean;
const compatible: DimsAgree = (a, b) => a === null || b === null || a === b;
const identical: DimsAgree = (a, b) => a === b;

/** The first input that disagrees with input 1 (dtype, rank, or a dim other than `skipAxis`), as a diagnostic. */
function firstMismatch(kind: string, inputs: readonly InputInfo[], agree: DimsAgree, skipAxis: number | null, note = ''): InferResult | null {
  const ref = inputs[0]!;
  for (let i = 1; i < inputs.length; i++) {
    const x = inputs[i]!;
    if (x.dtype !== ref.dtype)
      return { ok: false, code: 'dtype-mismatch', message: `${kind}: input ${i + 1} is ${x.dtype} but input 1 is ${ref.dtype}`, suggestion: 'Merge tensors of one type: cast token ids with an Embedding, or feed both from float32 layers.' };
    const rankDiffers = x.shape.length !== ref.shape.length;
    if (rankDiffers || x.shape.some((d, j) => j > 0 && j !== skipAxis && !agree(d, ref.shape[j]!)))
      return {
        ok: false,
        code: rankDiffers ? 'rank-mismatch' : 'shape-mismatch',
        message: `${kind}: input ${i + 1} is ${formatShape(x.shape)} but input 1 is ${formatShape(ref.shape)}${note}`,
        suggestion: matchSuggestion(x, ref.shape, skipAxis),
      };
  }
  return null;
}

/** Element-wise output shape as TF.js computes it: a dim is unknown if any input's is. */
function elementwiseShape(inputs: readonly InputInfo[]): Shape {
  return inputs[0]!.shape.map((_, j) => (j === 0 || inputs.some((x) => x.shape[j] === null) ? null : inputs[0]!.shape[j]!));
}

function inferElementwise(kind: string, inputs: readonly InputInfo[]): InferResult {
  return firstMismatch(kind, inputs, compatible, null) ?? ok(elementwiseShape(inputs), inputs[0]!.dtype);
}

type TfMerge = 'add' | 'multiply' | 'average' | 'maximum';

/** Add, Multiply, Average, Maximum: 2…32 inputs of one shape, built from the TF.js layer of that name. */
function elementwise(kind: 'Add' | 'Multiply' | 'Average' | 'Maximum', tfName: TfMerge, summary: string, extraFlops: number) {
  return defineLayer({
    kind,
    category: 'merge',
    summary,
    params: {},
    inputs: { min: 2, max: MAX_INPUTS },
    infer: (_p, inputs) => inferElementwise(kind, inputs),
    countParams: () => NO_PARAMS,
    // (inputs - 1) binary ops per output element, plus `extraFlops` (Average's divide).
    flops: (_p, inputs, out) => perSample(out) * (inputs.length - 1 + extraFlops),
    build: (ctx, _p, xs) => ctx.tf.layers[tfName]({ name: ctx.name() }).apply(xs) as never,
  });
}

/** Concatenate's axis as an index into the shape, or a diagnostic when it names the batch or no axis. */
function concatAxis(axis: number, x: InputInfo): number | InferResult {
  const rank = x.shape.length;
  const a = normalizeAxis(axis, rank);
  if (a === null) return invalidShape(`Concatenate: axis ${axis} does not exist in ${formatShape(x.shape)}`, `Use an axis from 1 to ${rank - 1}, or -1 for the last.`);
  if (a === 0) return invalidShape('Concatenate: cannot join along the batch axis', `Use an axis from 1 to ${rank - 1}, or -1 for the last.`);
  return a;
}

/** Output of Concatenate as TF.js computes it: input 1's shape, with the axis summed (unknown if any is). */
function concatShape(inputs: readonly InputInfo[], axis: number): Shape {
  const sizes = inputs.map((x) => x.shape[axis]!);
  const total = sizes.some((d) => d === null) ? null : (sizes as number[]).reduce((s, d) => s + d, 0);
  return inputs[0]!.shape.map((d, j) => (j === axis ? total : d));
}

export const mergeLayers = {
  Add: elementwise('Add', 'add', 'Adds 2 or more tensors of the same shape (a residual connection).', 0),

  Subtract: defineLayer({
    kind: 'Subtract',
    category: 'merge',
    summary: 'Subtracts input 2 from input 1; both of the same shape.',
    params: {},
    inputs: { min: 2, max: 2 },
    infer: (_p, inputs) => inferElementwise('Subtract', inputs),
    countParams: () => NO_PARAMS,
    // One subtraction per output element.
    flops: (_p, _i, out) => perSample(out),
    build: (ctx, _p, xs) => new ctx.custom.Subtract({ name: ctx.name() }).apply(xs) as never,
  }),

  Multiply: elementwise('Multiply', 'multiply', 'Multiplies 2 or more tensors of the same shape element-wise.', 0),
  Average: elementwise('Average', 'average', 'Averages 2 or more tensors of the same shape element-wise.', 1),
  Maximum: elementwise('Maximum', 'maximum', 'Element-wise maximum of 2 or more tensors of the same shape.', 0),

  Concatenate: defineLayer({
    kind: 'Concatenate',
    category: 'merge',
    summary: 'Joins 2 or more tensors along one axis, in port order; other dimensions must match.',
    params: { axis: int({ default: -1, doc: 'Axis to join along, batch included: -1 is the last (channels), 1 the first after the batch.' }) },
    inputs: { min: 2, max: MAX_INPUTS },
    infer(p, inputs) {
      const axis = concatAxis(p.axis, inputs[0]!);
      if (typeof axis !== 'number') return axis;
      const note = `; only axis ${p.axis} may differ`;
      return firstMismatch('Concatenate', inputs, identical, axis, note) ?? ok(concatShape(inputs, axis), inputs[0]!.dtype);
    },
    countParams: () => NO_PARAMS,
    // A copy, like Reshape: no arithmetic.
    flops: () => 0,
    // TF.js 4.22 mis-joins on negative axes other than -1; hand it the positive index.
    build: (ctx, p, xs) => ctx.tf.layers.concatenate({ name: ctx.name(), axis: normalizeAxis(p.axis, xs[0]!.shape.length)! }).apply(xs) as never,
  }),
};
