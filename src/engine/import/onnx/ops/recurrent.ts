// LSTM, GRU and RNN (forward direction) → LSTM, GRU and SimpleRNN over [batch, steps, features].
// ONNX stacks gates as LSTM i,o,f,c / GRU z,r,h with W [gates·H, F], R [gates·H, H] and the
// input and recurrent biases apart; TF.js wants i,f,c,o / z,r,h, kernel [F, gates·H] and one bias.
import type { ConstTensor } from '../tensor.js';
import { refuse } from '../errors.js';
import type { GraphTensor, Value } from '../values.js';
import { outputs, unmapped, type OpContext, type OpMapper, type OpResult } from './types.js';

type Kind = 'LSTM' | 'GRU' | 'SimpleRNN';

interface Cell {
  readonly kind: Kind;
  /** For each TF.js gate block in order, the ONNX gate block it comes from. */
  readonly gates: readonly number[];
  /** The default `activations` attribute: [gate, cell, (output)] for gated cells. */
  readonly defaults: readonly string[];
}

const CELLS: Record<string, Cell> = {
  LSTM: { kind: 'LSTM', gates: [0, 2, 3, 1], defaults: ['Sigmoid', 'Tanh', 'Tanh'] },
  GRU: { kind: 'GRU', gates: [0, 1, 2], defaults: ['Sigmoid', 'Tanh'] },
  RNN: { kind: 'SimpleRNN', gates: [0], defaults: ['Tanh'] },
};

const ACTIVATION_NAMES: Record<string, string> = { Tanh: 'tanh', Relu: 'relu', Sigmoid: 'sigmoid', Softsign: 'softsign', Softplus: 'softplus' };

/** ONNX [1, G·H, cols] (gate blocks in ONNX order) → TF.js [cols, G·H] with gate blocks reordered. */
function gateMatrix(m: ConstTensor, cell: Cell, hidden: number): Float32Array {
  const cols = m.dims[2]!;
  const g = cell.gates.length;
  const out = new Float32Array(cols * g * hidden);
  cell.gates.forEach((from, to) => {
    for (let u = 0; u < hidden; u++)
      for (let c = 0; c < cols; c++) out[c * g * hidden + to * hidden + u] = m.data[(from * hidden + u) * cols + c]!;
  });
  return out;
}

/** ONNX B [1, 2·G·H] (input then recurrent biases) → TF.js bias [G·H], summed and reordered. */
function gateBias(b: ConstTensor, cell: Cell, hidden: number): Float32Array {
  const g = cell.gates.length;
  const out = new Float32Array(g * hidden);
  cell.gates.forEach((from, to) => {
    for (let u = 0; u < hidden; u++) out[to * hidden + u] = b.data[from * hidden + u]! + b.data[(g + from) * hidden + u]!;
  });
  return out;
}

/** An initial state that is absent or all zeros (torch writes zeros of [1, batch, H]). */
function zeroState(v: Value | undefined): boolean {
  if (!v) return true;
  if (v.kind === 'fill') return v.value === 0;
  return v.kind === 'const' && v.tensor.data.every((x) => x === 0);
}

function recurrent(cell: Cell): OpMapper {
  return (ctx): OpResult => {
    const x = ctx.tensor(0);
    const [w, r] = [ctx.constant(1), ctx.constant(2)];
    const b = ctx.input(3) ? ctx.constant(3) : undefined;
    if (!x || x.shape.length !== 3) return unmapped(`${ctx.op} whose input is not a [steps, batch, features] tensor of the graph`);
    if (!w || !r || (ctx.input(3) && !b)) return unmapped(`${ctx.op} with weights computed from data`);
    const a = ctx.attrs;
    const direction = a.string('direction', 'forward');
    if (direction !== 'forward') return unmapped(`${ctx.op} with direction "${direction}" (only forward maps exactly)`);
    if (a.has('clip') || a.has('activation_alpha') || a.has('activation_beta')) return unmapped(`${ctx.op} with clip or activation parameters`);
    if (a.int('input_forget', 0)) return unmapped('LSTM with coupled input and forget gates');
    if (cell.kind === 'GRU' && a.int('linear_before_reset', 0))
      return unmapped("linear_before_reset = 1 (PyTorch's GRU): TF.js's GRU applies the reset gate before the recurrent product (reset_after = false), so it has no exact equivalent");
    if (ctx.input(4) || ctx.input(7)) return unmapped(`${ctx.op} with ${ctx.input(4) ? 'sequence lengths' : 'peepholes'}`);
    if (!zeroState(ctx.input(5)) || (cell.kind === 'LSTM' && !zeroState(ctx.input(6)))) return unmapped(`${ctx.op} with a non-zero initial state`);
    const acts = a.strings('activations') ?? cell.defaults;
    if (acts.length !== cell.defaults.length) refuse('invalid', `activations lists ${acts.length} functions, ${ctx.op} needs ${cell.defaults.length}`, ctx.where);
    const gated = cell.kind !== 'SimpleRNN';
    const [gate, act, out] = gated ? acts : [undefined, acts[0]];
    if ((gated && gate !== 'Sigmoid') || !ACTIVATION_NAMES[act!] || (out !== undefined && out !== act))
      return unmapped(`${ctx.op} with activations [${acts.join(', ')}]`);

    const g = cell.gates.length;
    const hidden = a.int('hidden_size', w.dims[1]! / g);
    const layout = a.int('layout', 0);
    const [stepsAxis, batchAxis] = layout ? [1, 0] : [0, 1];
    const features = x.shape[2]!;
    if (w.dims.join() !== [1, g * hidden, features].join() || r.dims.join() !== [1, g * hidden, hidden].join())
      refuse('invalid', `W [${w.dims.join(', ')}] and R [${r.dims.join(', ')}] do not fit hidden size ${hidden} and ${features} features`, ctx.where);
    if (b && b.dims.join() !== [1, 2 * g * hidden].join()) refuse('invalid', `B [${b.dims.join(', ')}] does not fit hidden size ${hidden}`, ctx.where);

    const input = ctx.draft.toLayout(x, [batchAxis, stepsAxis, 2], ctx.base, ctx.where);
    const params: Record<string, unknown> = { units: hidden, activation: ACTIVATION_NAMES[act!], useBias: Boolean(b), returnSequences: true };
    if (gated) params['recurrentActivation'] = 'sigmoid';
    const weights = [gateMatrix(w, cell, hidden), gateMatrix(r, cell, hidden), ...(b ? [gateBias(b, cell, hidden)] : [])];
    const node = ctx.emit(cell.kind, params, [input], weights);
    const steps = x.shape[stepsAxis]!;
    const batch = x.shape[batchAxis]!;
    const base = { kind: 'tensor', node: node.id, dtype: 'float32' } as const;
    // Y: [steps, 1, batch, H] (layout 0) or [batch, steps, 1, H]; Y_h: [1, batch, H] or [batch, 1, H].
    const y: GraphTensor = layout
      ? { ...base, shape: [batch, steps, 1, hidden], axes: [0, 1, 3], rnn: 'sequence' }
      : { ...base, shape: [steps, 1, batch, hidden], axes: [2, 0, 3], rnn: 'sequence' };
    const yh: GraphTensor = layout ? { ...base, shape: [batch, 1, hidden], axes: [0, 2], rnn: 'last' } : { ...base, shape: [1, batch, hidden], axes: [1, 2], rnn: 'last' };
    return outputs(y, yh, { kind: 'missing', cause: `the cell state of ${ctx.where}` });
  };
}

export const recurrentOps: Record<string, OpMapper> = { LSTM: recurrent(CELLS['LSTM']!), GRU: recurrent(CELLS['GRU']!), RNN: recurrent(CELLS['RNN']!) };
