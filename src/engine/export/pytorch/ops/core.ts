// PyTorch emitters for Input and the core layers: Dense, Activation, the dropouts, reshaping
// and Embedding.
import type { ActivationName } from '../../../layers/common.js';
import { pyFloat } from '../../python-code.js';
import { activationCall, activationHelpers } from '../activation.js';
import { assign, emitter, noState, weight } from '../emitter.js';
import { same, transposed } from '../tensor-layout.js';

interface DenseP { units: number; activation: ActivationName; useBias: boolean }
interface RateP { rate: number }

const last = () => 'last' as const;
const any = () => 'any' as const;
const none = (): readonly string[] => [];

export const coreOps = {
  // Inputs are forward()'s arguments; model-py.ts writes them.
  Input: emitter<{ shape: number[] }>({ layout: last, init: none, forward: () => [], state: noState }),

  Dense: emitter<DenseP>({
    layout: last,
    init: (n) => [`self.${n.attr()} = nn.Linear(${n.inputs[0]!.shape.at(-1)}, ${n.params.units}${n.params.useBias ? '' : ', bias=False'})`],
    forward: (f) => assign(f, activationCall(f.params.activation, `self.${f.attr()}(${f.args[0]})`)),
    state: (n, ws) => [
      transposed(`${n.attr()}.weight`, weight(ws, 'kernel', n.id)),
      ...(n.params.useBias ? [same(`${n.attr()}.bias`, weight(ws, 'bias', n.id))] : []),
    ],
    helpers: (n) => activationHelpers(n.params.activation),
  }),

  Activation: emitter<{ activation: ActivationName }>({
    layout: any,
    init: none,
    forward: (f) => assign(f, activationCall(f.params.activation, f.args[0]!, f.layout === 'first' && f.output.shape.length > 2 ? 1 : -1)),
    state: noState,
    helpers: (n) => activationHelpers(n.params.activation),
  }),

  Dropout: emitter<RateP>({
    layout: any,
    init: (n) => [`self.${n.attr()} = nn.Dropout(${pyFloat(n.params.rate)})`],
    forward: (f) => assign(f, `self.${f.attr()}(${f.args[0]})`),
    state: noState,
  }),

  // Whole channels are dropped: PyTorch's channel dropouts read (B, C, …).
  SpatialDropout1D: emitter<RateP>({
    layout: () => 'first',
    init: (n) => [`self.${n.attr()} = nn.Dropout1d(${pyFloat(n.params.rate)})`],
    forward: (f) => assign(f, `self.${f.attr()}(${f.args[0]})`),
    state: noState,
  }),

  SpatialDropout2D: emitter<RateP>({
    layout: () => 'first',
    init: (n) => [`self.${n.attr()} = nn.Dropout2d(${pyFloat(n.params.rate)})`],
    forward: (f) => assign(f, `self.${f.attr()}(${f.args[0]})`),
    state: noState,
  }),

  // Channels last, so the flattened order is TF.js's and a following Dense keeps its weights.
  Flatten: emitter<Record<string, never>>({ layout: last, init: none, forward: (f) => assign(f, `torch.flatten(${f.args[0]}, 1)`), state: noState }),

  Reshape: emitter<{ targetShape: number[] }>({
    layout: last,
    init: none,
    forward: (f) => assign(f, `${f.args[0]}.reshape(-1, ${f.output.shape.slice(1).join(', ')})`),
    state: noState,
  }),

  Permute: emitter<{ dims: number[] }>({
    layout: last,
    init: none,
    forward: (f) => assign(f, `${f.args[0]}.permute(0, ${f.params.dims.join(', ')})`),
    state: noState,
  }),

  RepeatVector: emitter<{ n: number }>({
    layout: last,
    init: none,
    forward: (f) => assign(f, `${f.args[0]}.unsqueeze(1).repeat(1, ${f.params.n}, 1)`),
    state: noState,
  }),

  // TF.js feeds int32 ids; nn.Embedding indexes with int64.
  Embedding: emitter<{ inputDim: number; outputDim: number }>({
    layout: last,
    init: (n) => [`self.${n.attr()} = nn.Embedding(${n.params.inputDim}, ${n.params.outputDim})`],
    forward: (f) => assign(f, `self.${f.attr()}(${f.args[0]}.long())`),
    state: (n, ws) => [same(`${n.attr()}.weight`, weight(ws, 'embeddings', n.id))],
  }),
};
