// PyTorch emitters for the merge layers: arithmetic on the inputs in whichever layout they
// share, and torch.cat on the matching axis.
import { assign, axisIn, emitter, noState, type ForwardInfo } from '../emitter.js';

const any = () => 'any' as const;
const none = (): readonly string[] => [];

const merge = (expr: (xs: readonly string[], f: ForwardInfo<{ axis?: number }>) => string) =>
  emitter<{ axis?: number }>({ layout: any, init: none, forward: (f) => assign(f, expr(f.args, f)), state: noState });

export const mergeOps = {
  Add: merge((xs) => xs.join(' + ')),
  Subtract: merge(([a, b]) => `${a} - ${b}`),
  Multiply: merge((xs) => xs.join(' * ')),
  Average: merge((xs) => `(${xs.join(' + ')}) / ${xs.length}`),
  Maximum: merge((xs) => (xs.length === 2 ? `torch.maximum(${xs[0]}, ${xs[1]})` : `torch.stack([${xs.join(', ')}]).amax(0)`)),
  Concatenate: merge((xs, f) => {
    const rank = f.inputs[0]!.shape.length;
    const dim = axisIn(f.params.axis ?? -1, rank, f.layout);
    return `torch.cat([${xs.join(', ')}], dim=${dim === rank - 1 ? -1 : dim})`;
  }),
};
