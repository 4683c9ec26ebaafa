// PyTorch emitters for the activation layers: calls in forward, in whichever layout the input
// is in; PReLU keeps TF.js's alpha (one slope per element, or shared along some axes).
import { pyFloat } from '../../python-code.js';
import { assign, axisIn, emitter, noState, weight, type ForwardInfo } from '../emitter.js';
import { same } from '../tensor-layout.js';

const any = () => 'any' as const;
const none = (): readonly string[] => [];

/** A stateless activation written as one call on the input. */
const plain = <P>(expr: (x: string, f: ForwardInfo<P>) => string) =>
  emitter<P>({ layout: any, init: none, forward: (f) => assign(f, expr(f.args[0]!, f)), state: noState });

export const activationOps = {
  ReLU: plain<{ maxValue: number | null }>((x, f) => (f.params.maxValue === null ? `F.relu(${x})` : `torch.clamp(${x}, 0.0, ${pyFloat(f.params.maxValue)})`)),
  LeakyReLU: plain<{ alpha: number }>((x, f) => `F.leaky_relu(${x}, ${pyFloat(f.params.alpha)})`),
  ELU: plain<{ alpha: number }>((x, f) => (f.params.alpha === 1 ? `F.elu(${x})` : `F.elu(${x}, ${pyFloat(f.params.alpha)})`)),
  GELU: plain<{ approximate: boolean }>((x, f) => (f.params.approximate ? `F.gelu(${x}, approximate='tanh')` : `F.gelu(${x})`)),
  SiLU: plain((x) => `F.silu(${x})`),
  Sigmoid: plain((x) => `torch.sigmoid(${x})`),
  Tanh: plain((x) => `torch.tanh(${x})`),
  Softmax: plain<{ axis: number }>((x, f) => {
    const rank = f.inputs[0]!.shape.length;
    const dim = axisIn(f.params.axis, rank, f.layout);
    return `F.softmax(${x}, dim=${f.layout === 'last' && dim === rank - 1 ? -1 : dim})`;
  }),

  // alpha has the input's shape without the batch, with shared axes of size 1: it broadcasts.
  PReLU: emitter<{ sharedAxes: number[] }>({
    layout: () => 'last',
    init: (n) => {
      const shape = n.inputs[0]!.shape.slice(1).map((d, i) => (n.params.sharedAxes.includes(i + 1) ? 1 : d));
      return [`self.${n.attr()} = nn.Parameter(torch.zeros(${shape.join(', ')}))  # PReLU slopes, TF.js's alpha`];
    },
    forward: (f) => assign(f, `torch.where(${f.args[0]} > 0, ${f.args[0]}, self.${f.attr()} * ${f.args[0]})`),
    state: (n, ws) => [same(n.attr(), weight(ws, 'alpha', n.id))],
  }),
};
