// PyTorch emitters for the attention family: model.py's MultiHeadAttention and
// TransformerEncoder (same math and weight layout as NeuralForge's TF.js layers, see
// compile/custom/attention-math.ts) and PositionalEmbedding as an nn.Embedding table.
import type { ActivationName } from '../../../layers/common.js';
import type { NodeWeight } from '../../weights.js';
import { pyBool, pyCall, pyFloat } from '../../python-code.js';
import { activationFn, activationHelpers } from '../activation.js';
import { assign, emitter, weight, type NodeInfo, type StateEntry } from '../emitter.js';
import { same, transposed } from '../tensor-layout.js';

interface MhaP { numHeads: number; keyDim: number; valueDim: number | null; dropout: number; useBias: boolean; outputShape: number | null; useCausalMask: boolean }
interface EncoderP {
  intermediateDim: number; numHeads: number; dropout: number; activation: ActivationName; layerNormEpsilon: number;
  normalizeFirst: boolean; useCausalMask: boolean;
}

const last = () => 'last' as const;

/** Kernels [in, out] → nn.Linear weights; biases as they are. `names` in TF.js weight order. */
function linears(prefix: string, ws: readonly NodeWeight[], names: readonly string[], bias: boolean): StateEntry[] {
  const per = bias ? 2 : 1;
  if (ws.length !== names.length * per) throw new Error(`${prefix}: expected ${names.length * per} weights, got ${ws.length}`);
  return names.flatMap((name, i) => {
    const kernel = transposed(`${prefix}.${name}.weight`, ws[i * per]!);
    return bias ? [kernel, same(`${prefix}.${name}.bias`, ws[i * per + 1]!)] : [kernel];
  });
}

const PROJECTIONS = ['query', 'key', 'value', 'output'] as const;

const multiHeadAttention = emitter<MhaP>({
  layout: last,
  init(n: NodeInfo<MhaP>) {
    const p = n.params;
    const [q, v, k = v] = n.inputs.map((x) => x.shape[2]!);
    const args = {
      bias: p.useBias ? undefined : 'False',
      dropout: p.dropout > 0 ? pyFloat(p.dropout) : undefined,
      causal: p.useCausalMask ? pyBool(true) : undefined,
    };
    return [`self.${n.attr()} = ${pyCall('MultiHeadAttention', [p.numHeads, p.keyDim, p.valueDim ?? p.keyDim, q!, k!, v!, n.output.shape[2]!], args)}`];
  },
  forward: (f) => assign(f, `self.${f.attr()}(${f.args.join(', ')})`),
  state: (n, ws) => linears(n.attr(), ws, PROJECTIONS, n.params.useBias),
  helpers: () => ['MultiHeadAttention'],
});

const transformerEncoder = emitter<EncoderP>({
  layout: last,
  init(n) {
    const p = n.params;
    const args = {
      dropout: p.dropout > 0 ? pyFloat(p.dropout) : undefined,
      activation: p.activation === 'relu' ? undefined : activationFn(p.activation),
      layer_norm_eps: p.layerNormEpsilon === 1e-5 ? undefined : pyFloat(p.layerNormEpsilon),
      normalize_first: p.normalizeFirst ? pyBool(true) : undefined,
      causal: p.useCausalMask ? pyBool(true) : undefined,
    };
    return [`self.${n.attr()} = ${pyCall('TransformerEncoder', [n.inputs[0]!.shape[2]!, p.numHeads, p.intermediateDim], args)}`];
  },
  forward: (f) => assign(f, `self.${f.attr()}(${f.args[0]})`),
  // TF.js order: attention q, k, v, output; its norm; the two feed-forward layers; their norm.
  state(n, ws) {
    if (ws.length !== 16) throw new Error(`node "${n.id}": a TransformerEncoder has 16 weights, got ${ws.length}`);
    const norm = (name: string, [gamma, beta]: readonly NodeWeight[]) => [same(`${n.attr()}.${name}.weight`, gamma!), same(`${n.attr()}.${name}.bias`, beta!)];
    return [
      ...linears(`${n.attr()}.self_attention`, ws.slice(0, 8), PROJECTIONS, true),
      ...norm('self_attention_layer_norm', ws.slice(8, 10)),
      ...linears(n.attr(), ws.slice(10, 14), ['feedforward_intermediate_dense', 'feedforward_output_dense'], true),
      ...norm('feedforward_layer_norm', ws.slice(14, 16)),
    ];
  },
  helpers: (n) => ['TransformerEncoder', ...activationHelpers(n.params.activation)],
});

export const attentionOps = {
  MultiHeadAttention: multiHeadAttention,
  TransformerEncoder: transformerEncoder,
  // A learned row per position, added to the sequence: the first T rows of the table.
  PositionalEmbedding: emitter<{ maxLength: number }>({
    layout: last,
    init: (n) => [`self.${n.attr()} = nn.Embedding(${n.params.maxLength}, ${n.inputs[0]!.shape[2]})`],
    forward: (f) => assign(f, `${f.args[0]} + self.${f.attr()}.weight[: ${f.args[0]}.shape[1]]`),
    state: (n, ws) => [same(`${n.attr()}.weight`, weight(ws, 'embeddings', n.id))],
  }),
};
