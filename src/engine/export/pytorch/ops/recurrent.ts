// PyTorch emitters for SimpleRNN (nn.RNN), LSTM (nn.LSTM) and GRU (model.py's own GRU: TF.js's
// reset_after=False has no nn.GRU equivalent). Keras's LSTM gates i, f, c, o are PyTorch's
// i, f, g, o, so kernels only transpose; PyTorch's second bias (bias_hh) is zero.
import type { ActivationName } from '../../../layers/common.js';
import type { NodeWeight } from '../../weights.js';
import { pyBool, pyCall, pyStr } from '../../python-code.js';
import { activationFn, activationHelpers } from '../activation.js';
import { emitter, type ForwardInfo, type NodeInfo, type StateEntry } from '../emitter.js';
import { filled, same, transposed } from '../tensor-layout.js';

type Kind = 'SimpleRNN' | 'LSTM' | 'GRU';
interface RnnP {
  units: number; activation: ActivationName; recurrentActivation?: ActivationName; useBias: boolean;
  returnSequences: boolean; bidirectional: boolean; mergeMode: 'concat' | 'sum' | 'mul' | 'ave';
}

const MERGE: Record<RnnP['mergeMode'], (a: string, b: string) => string> = {
  concat: (a, b) => `torch.cat([${a}, ${b}], dim=-1)`,
  sum: (a, b) => `${a} + ${b}`,
  mul: (a, b) => `${a} * ${b}`,
  ave: (a, b) => `(${a} + ${b}) / 2`,
};

function unsupported(kind: Kind, p: RnnP): string | null {
  if (kind === 'SimpleRNN' && p.activation !== 'tanh' && p.activation !== 'relu')
    return `nn.RNN computes only tanh or relu, not activation '${p.activation}'`;
  if (kind === 'LSTM' && (p.activation !== 'tanh' || p.recurrentActivation !== 'sigmoid'))
    return `nn.LSTM fixes its activations to tanh and gates to sigmoid; this LSTM uses activation '${p.activation}' and recurrentActivation '${p.recurrentActivation}'`;
  return null;
}

function module(kind: Kind, n: NodeInfo<RnnP>): string {
  const p = n.params;
  const features = n.inputs[0]!.shape[2]!;
  const common = { bias: p.useBias ? undefined : 'False', bidirectional: p.bidirectional ? 'True' : undefined };
  switch (kind) {
    case 'SimpleRNN':
      return pyCall('nn.RNN', [features, p.units], { batch_first: 'True', nonlinearity: p.activation === 'relu' ? pyStr('relu') : undefined, ...common });
    case 'LSTM':
      return pyCall('nn.LSTM', [features, p.units], { batch_first: 'True', ...common });
    case 'GRU':
      return pyCall('GRU', [features, p.units], {
        bias: p.useBias ? undefined : 'False',
        bidirectional: p.bidirectional ? pyBool(true) : undefined,
        activation: p.activation === 'tanh' ? undefined : activationFn(p.activation),
        recurrent_activation: p.recurrentActivation === 'sigmoid' ? undefined : activationFn(p.recurrentActivation!),
      });
    default: {
      const never: never = kind;
      throw new Error(`unhandled recurrent kind ${String(never)}`);
    }
  }
}

/**
 * Every step: outputs (B, T, directions·H). Last step: the final state of each direction, which
 * for the backward one is where it ends, at step 0 (nn.LSTM's state is (h, c): take h).
 */
function forward(kind: Kind, f: ForwardInfo<RnnP>): string[] {
  const p = f.params;
  const run = `self.${f.attr()}(${f.args[0]})`;
  const h = p.units;
  if (p.returnSequences && (!p.bidirectional || p.mergeMode === 'concat')) return [`${f.out}, _ = ${run}`];
  if (!p.bidirectional) return [`${f.out} = ${run}[0][:, -1]`];
  const [fwd, bwd] = [f.attr('forward'), f.attr('backward')];
  const halves = p.returnSequences ? `${run}[0].chunk(2, dim=-1)` : `${run}[1]${kind === 'LSTM' ? '[0]' : ''}`;
  const shape = p.returnSequences ? `(B, ${f.inputs[0]!.shape[1]}, ${h})` : `(B, ${h})`;
  return [`${fwd}, ${bwd} = ${halves}  # ${shape} each`, `${f.out} = ${MERGE[p.mergeMode](fwd, bwd)}`];
}

/** TF.js per direction: kernel, recurrent_kernel[, bias]; bidirectional lists forward then backward. */
function state(kind: Kind, n: NodeInfo<RnnP>, ws: readonly NodeWeight[]): StateEntry[] {
  const per = n.params.useBias ? 3 : 2;
  if (ws.length !== per * (n.params.bidirectional ? 2 : 1)) throw new Error(`node "${n.id}": expected ${per} weights per direction, got ${ws.length}`);
  return ['', '_reverse'].slice(0, n.params.bidirectional ? 2 : 1).flatMap((suffix, d) => {
    const [kernel, recurrent, bias] = ws.slice(d * per, d * per + per);
    const key = (name: string) => `${n.attr()}.${name}_l0${suffix}`;
    const out = [transposed(key('weight_ih'), kernel!), transposed(key('weight_hh'), recurrent!)];
    if (!bias) return out;
    if (kind === 'GRU') return [...out, same(key('bias'), bias)];
    return [...out, same(key('bias_ih'), bias), filled(key('bias_hh'), bias.shape, 0)];
  });
}

function rnnOp(kind: Kind) {
  return emitter<RnnP>({
    unsupported: (n) => unsupported(kind, n.params),
    layout: () => 'last',
    init: (n) => [`self.${n.attr()} = ${module(kind, n)}`],
    forward: (f) => forward(kind, f),
    state: (n, ws) => state(kind, n, ws),
    helpers: (n) => (kind === 'GRU' ? ['GRU', ...activationHelpers(n.params.activation, n.params.recurrentActivation ?? 'sigmoid')] : []),
  });
}

export const recurrentOps = {
  SimpleRNN: rnnOp('SimpleRNN'),
  LSTM: rnnOp('LSTM'),
  GRU: rnnOp('GRU'),
};
