// SimpleRNN, LSTM and GRU as ONNX's RNN, LSTM and GRU ops (time-major, zero initial state) when
// ONNX defines their activations, else unrolled (recurrent-unrolled.ts). Keras kernels
// [in, gates·units] become ONNX's [dirs, gates·units, in]; LSTM gates are reordered from Keras's
// i, f, c, o to ONNX's i, o, f, c. TF.js's GRU applies the reset gate before the recurrent
// product (reset_after = false): ONNX's linear_before_reset = 0.
import type { ActivationName } from '../../../layers/common.js';
import { paramsOf, type EmitContext, type EmitNode, type OnnxEmitter } from '../emit-context.js';
import { attr } from '../proto.js';
import { reorderBlocks, transposeData } from '../tensor-data.js';
import { unrolledDirection, type RnnKind } from './recurrent-unrolled.js';

interface RnnParams {
  units: number;
  activation: ActivationName;
  recurrentActivation?: ActivationName;
  useBias: boolean;
  returnSequences: boolean;
  bidirectional: boolean;
  mergeMode: 'concat' | 'sum' | 'mul' | 'ave';
}

interface Cell {
  readonly op: 'RNN' | 'LSTM' | 'GRU';
  /** Output gate block j comes from Keras block order[j]. */
  readonly order: readonly number[];
  /** ONNX's per-direction activation list (f, g, h for LSTM). */
  activations(p: RnnParams): ActivationName[];
}

const gate = (p: RnnParams): ActivationName => p.recurrentActivation ?? 'sigmoid';
const CELLS: Record<RnnKind, Cell> = {
  SimpleRNN: { op: 'RNN', order: [0], activations: (p) => [p.activation] },
  LSTM: { op: 'LSTM', order: [0, 3, 1, 2], activations: (p) => [gate(p), p.activation, p.activation] },
  GRU: { op: 'GRU', order: [0, 1, 2], activations: (p) => [gate(p), p.activation] },
};

/** The activations ONNX's recurrent ops define, with default alpha/beta equal to TF.js's (hardSigmoid 0.2, 0.5; elu 1). */
const ONNX_RNN_ACTIVATIONS: Partial<Record<ActivationName, string>> = {
  sigmoid: 'Sigmoid', tanh: 'Tanh', relu: 'Relu', hardSigmoid: 'HardSigmoid', elu: 'Elu', softsign: 'Softsign', softplus: 'Softplus',
};

/** One direction's weights as ONNX wants them: W [g·u, in], R [g·u, u], B [2·g·u] (recurrent bias 0). */
function direction(ctx: EmitContext, cell: Cell, p: RnnParams) {
  const kernel = ctx.weight('kernel');
  const recurrent = ctx.weight('recurrent_kernel');
  const bias = p.useBias ? ctx.weight('bias') : null;
  const rows = (w: typeof kernel) => transposeData(reorderBlocks(w.values, w.shape, cell.order), w.shape, [1, 0]);
  const b = new Float32Array(2 * kernel.shape[1]!);
  if (bias) b.set(reorderBlocks(bias.values, bias.shape, cell.order));
  return { w: rows(kernel), r: rows(recurrent), b };
}

/** Stacks per-direction arrays into one [dirs, ...dims] initializer. */
function stacked(ctx: EmitContext, hint: string, parts: readonly Float32Array[], dims: readonly number[]): string {
  const all = new Float32Array(parts.reduce((s, a) => s + a.length, 0));
  parts.reduce((at, a) => (all.set(a, at), at + a.length), 0);
  return ctx.initializer(hint, all, [parts.length, ...dims]);
}

/** Per direction: [T, B, u] every step, or [B, u] the last, from ONNX's own op. */
function nativeDirections(ctx: EmitContext, cell: Cell, p: RnnParams, x: string, features: number): string[] {
  const dirs = p.bidirectional ? 2 : 1;
  const gates = cell.order.length * p.units;
  const ws = Array.from({ length: dirs }, () => direction(ctx, cell, p));
  const inputs = [
    ctx.op('Transpose', [x], { perm: attr.ints([1, 0, 2]) }, 'time_major'), // [T, B, F]
    stacked(ctx, 'W', ws.map((d) => d.w), [gates, features]),
    stacked(ctx, 'R', ws.map((d) => d.r), [gates, p.units]),
    ...(p.useBias ? [stacked(ctx, 'B', ws.map((d) => d.b), [2 * gates])] : []),
  ];
  const names = cell.activations(p).map((a) => ONNX_RNN_ACTIVATIONS[a]!);
  const [y, yLast] = ctx.ops(cell.op, inputs, 2, {
    hidden_size: attr.int(p.units),
    direction: attr.string(p.bidirectional ? 'bidirectional' : 'forward'),
    activations: attr.strings(p.bidirectional ? [...names, ...names] : names),
    ...(cell.op === 'GRU' ? { linear_before_reset: attr.int(0) } : {}),
  }); // Y [T, dirs, B, u], Y_h [dirs, B, u]
  // Keras aligns the backward sequence with the input's time steps, as ONNX's Y does.
  const [src, axis] = p.returnSequences ? [y!, 1] : [yLast!, 0];
  return Array.from({ length: dirs }, (_, d) => ctx.op('Gather', [src, ctx.int64s([d], [])], { axis: attr.int(axis) }, d ? 'backward' : 'forward'));
}

function merge(ctx: EmitContext, mode: RnnParams['mergeMode'], [fw, bw]: readonly [string, string]): string {
  switch (mode) {
    case 'concat': return ctx.op('Concat', [fw, bw], { axis: attr.int(-1) });
    case 'sum': return ctx.op('Add', [fw, bw]);
    case 'mul': return ctx.op('Mul', [fw, bw]);
    case 'ave': return ctx.op('Mul', [ctx.op('Add', [fw, bw]), ctx.scalar(0.5)]);
    default: {
      const never: never = mode;
      throw new Error(`unhandled merge mode ${String(never)}`);
    }
  }
}

function emitRnn(kind: RnnKind, ctx: EmitContext, n: EmitNode) {
  const cell = CELLS[kind];
  const p = paramsOf<RnnParams>(n);
  const x = n.inputs[0]!;
  const xs = ctx.last(x);
  const [steps, features] = [x.shape[1]!, x.shape[2]!];
  const native = cell.activations(p).every((a) => ONNX_RNN_ACTIVATIONS[a]);
  const unrolled = { ...p, recurrentActivation: gate(p) };
  const parts = native
    ? nativeDirections(ctx, cell, p, xs, features)
    : Array.from({ length: p.bidirectional ? 2 : 1 }, (_, d) => unrolledDirection(ctx, kind, unrolled, xs, steps, d === 1, d ? 'backward' : 'forward'));
  const merged = parts.length === 1 ? parts[0]! : merge(ctx, p.mergeMode, parts as [string, string]);
  const out = p.returnSequences ? ctx.op('Transpose', [merged], { perm: attr.ints([1, 0, 2]) }, 'batch_major') : merged; // [B, T, w] or [B, w]
  return ctx.value(out, 'channels-last', n.output.shape);
}

const recurrent = (kind: RnnKind): OnnxEmitter => ({ emit: (ctx, n) => emitRnn(kind, ctx, n) });

export const recurrentEmitters = {
  SimpleRNN: recurrent('SimpleRNN'),
  LSTM: recurrent('LSTM'),
  GRU: recurrent('GRU'),
} satisfies Record<string, OnnxEmitter>;
