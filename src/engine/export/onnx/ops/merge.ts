// Merge layers, folded left to right as TF.js does (((a + b) + c) …). Inputs that share a
// layout are merged in it; mixed layouts are all brought to channels last.
import { normalizeAxis } from '../../../tensor.js';
import { paramsOf, type EmitContext, type EmitNode, type OnnxEmitter } from '../emit-context.js';
import { physicalAxis, type Value } from '../layout.js';
import { attr } from '../proto.js';

/** The inputs' tensor names in one common layout, and a value describing that layout. */
function unify(ctx: EmitContext, n: EmitNode): { names: string[]; like: Value } {
  const first = n.inputs[0]!;
  if (n.inputs.every((v) => v.layout === first.layout)) return { names: n.inputs.map((v) => v.name), like: first };
  return { names: n.inputs.map((v) => ctx.last(v)), like: { ...first, layout: 'channels-last' } };
}

function fold(opType: 'Add' | 'Sub' | 'Mul' | 'Max', scale?: (count: number) => number): OnnxEmitter {
  return {
    emit(ctx, n) {
      const { names, like } = unify(ctx, n);
      let y = names.slice(1).reduce((acc, x) => ctx.op(opType, [acc, x]), names[0]!);
      if (scale) y = ctx.op('Mul', [y, ctx.scalar(scale(names.length))]);
      return { ...like, name: y, shape: n.output.shape, dtype: n.output.dtype };
    },
  };
}

export const mergeEmitters = {
  Add: fold('Add'),
  Subtract: fold('Sub'),
  Multiply: fold('Mul'),
  Average: fold('Add', (count) => 1 / count),
  Maximum: fold('Max'),
  Concatenate: {
    emit(ctx, n) {
      const { names, like } = unify(ctx, n);
      const axis = physicalAxis(like, normalizeAxis(paramsOf<{ axis: number }>(n).axis, like.shape.length)!);
      return { ...like, name: ctx.op('Concat', names, { axis: attr.int(axis) }), shape: n.output.shape, dtype: n.output.dtype };
    },
  },
} satisfies Record<string, OnnxEmitter>;
