// A recurrent layer unrolled step by step, for activations ONNX's RNN, LSTM and GRU ops do not
// define (gelu, swish, selu, relu6, linear, …). It follows TF.js's cells exactly, gate order
// and all, on Keras-layout weights; the sequence length is known after analysis.
import type { ActivationName } from '../../../layers/common.js';
import type { EmitContext } from '../emit-context.js';
import { attr } from '../proto.js';
import type { NodeWeight } from '../../weights.js';
import { activate } from './activation-fn.js';

export type RnnKind = 'SimpleRNN' | 'LSTM' | 'GRU';

export interface UnrolledParams {
  readonly units: number;
  readonly activation: ActivationName;
  readonly recurrentActivation: ActivationName;
  readonly useBias: boolean;
  readonly returnSequences: boolean;
}

/** Columns [from, from + count) of a [rows, cols] weight. */
function columns(w: NodeWeight, from: number, count: number): Float32Array {
  const [rows, cols] = w.shape as [number, number];
  const out = new Float32Array(rows * count);
  for (let r = 0; r < rows; r++) out.set(w.values.subarray(r * cols + from, r * cols + from + count), r * count);
  return out;
}

/**
 * One direction over x [B, T, F] (channels last) with the node's next kernel, recurrent kernel
 * and bias: every step's state stacked time-major [T, B, u] when returnSequences, else the last
 * [B, u]. `reverse` runs from the last step to the first, keeping outputs at their input step.
 */
export function unrolledDirection(ctx: EmitContext, kind: RnnKind, p: UnrolledParams, x: string, steps: number, reverse: boolean, tag: string): string {
  const u = p.units;
  const kernel = ctx.weight('kernel');
  const recurrent = ctx.weight('recurrent_kernel');
  const bias = p.useBias ? ctx.weight('bias') : null;
  const act = (name: ActivationName, t: string) => activate(ctx, name, ctx.value(t, 'channels-last', [null, u])).name;
  const gate = (z: string, g: number) => ctx.op('Slice', [z, ctx.int64s([g * u]), ctx.int64s([(g + 1) * u]), ctx.int64s([-1])], {}, `${tag}/gate${g}`);
  const matmul = (a: string, w: string) => ctx.op('MatMul', [a, w], {}, `${tag}/MatMul`);

  let xw = matmul(x, ctx.initializer(`${tag}/kernel`, kernel.values, kernel.shape)); // [B, T, g·u], all steps at once
  if (bias) xw = ctx.op('Add', [xw, ctx.initializer(`${tag}/bias`, bias.values, bias.shape)]);
  // GRU multiplies the reset-gated state by the last u columns separately (reset_after = false).
  const split = kind === 'GRU';
  const r1 = ctx.initializer(`${tag}/recurrent_kernel`, split ? columns(recurrent, 0, 2 * u) : recurrent.values, [u, split ? 2 * u : recurrent.shape[1]!]);
  const r2 = split ? ctx.initializer(`${tag}/recurrent_kernel_h`, columns(recurrent, 2 * u, u), [u, u]) : '';

  let h: string | null = null; // zero initial state: the first step skips the recurrent terms
  let c: string | null = null;
  const outputs: string[] = [];
  const order = Array.from({ length: steps }, (_, i) => (reverse ? steps - 1 - i : i));
  for (const t of order) {
    const xt = ctx.op('Gather', [xw, ctx.int64s([t], [])], { axis: attr.int(1) }, `${tag}/step${t}`); // [B, g·u]
    switch (kind) {
      case 'SimpleRNN':
        h = act(p.activation, h ? ctx.op('Add', [xt, matmul(h, r1)]) : xt);
        break;
      case 'LSTM': {
        const z = h ? ctx.op('Add', [xt, matmul(h, r1)]) : xt;
        const [i, f, g, o] = [act(p.recurrentActivation, gate(z, 0)), act(p.recurrentActivation, gate(z, 1)), act(p.activation, gate(z, 2)), act(p.recurrentActivation, gate(z, 3))];
        const ig = ctx.op('Mul', [i, g]);
        c = c ? ctx.op('Add', [ctx.op('Mul', [f, c]), ig]) : ig;
        h = ctx.op('Mul', [o, act(p.activation, c)]);
        break;
      }
      case 'GRU': {
        const inner = h ? matmul(h, r1) : null; // [B, 2u]
        const withState = (g: number) => (inner ? ctx.op('Add', [gate(xt, g), gate(inner, g)]) : gate(xt, g));
        const z = act(p.recurrentActivation, withState(0));
        const r = h ? act(p.recurrentActivation, withState(1)) : null;
        const hh = act(p.activation, h && r ? ctx.op('Add', [gate(xt, 2), matmul(ctx.op('Mul', [r, h]), r2)]) : gate(xt, 2));
        const fresh = ctx.op('Mul', [ctx.op('Sub', [ctx.scalar(1), z]), hh]); // (1 − z)·hh
        h = h ? ctx.op('Add', [ctx.op('Mul', [z, h]), fresh]) : fresh;
        break;
      }
      default: {
        const never: never = kind;
        throw new Error(`unhandled recurrent kind ${String(never)}`);
      }
    }
    outputs[t] = h;
  }
  if (!p.returnSequences) return h!;
  return ctx.op('Concat', outputs.map((o) => ctx.op('Unsqueeze', [o, ctx.int64s([0])])), { axis: attr.int(0) }, `${tag}/sequence`); // [T, B, u]
}
