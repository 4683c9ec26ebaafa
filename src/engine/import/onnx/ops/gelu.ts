// Exact GELU as exporters write it before opset 20, x·0.5·(1 + erf(x / √2)): PyTorch emits
// Div(x, √2) → Erf → Add 1 → Mul x → Mul 0.5. The chain becomes one GELU layer.
import type { onnx } from 'onnx-proto';
import { mergeOps } from './merge.js';
import { outputs, type OpContext, type OpMapper, type OpResult } from './types.js';

const near = (a: number | undefined, b: number) => a !== undefined && Math.abs(a - b) < 1e-4;

/** The constant operand of a two-input node whose other operand is `name`, if it is a scalar. */
function scalarBeside(ctx: OpContext, node: onnx.INodeProto | null, op: string, name: string): number | undefined {
  if (!node || node.opType !== op || (node.domain && node.domain !== 'ai.onnx')) return undefined;
  const ins = node.input ?? [];
  const other = ins[0] === name ? ins[1] : ins[1] === name ? ins[0] : undefined;
  const v = other === undefined ? undefined : ctx.valueOf(other);
  return v?.kind === 'const' && v.tensor.data.length === 1 ? v.tensor.data[0] : undefined;
}

function gelu(ctx: OpContext): OpResult | null {
  const x = ctx.tensor(0);
  const divisor = ctx.constant(1);
  const xName = ctx.node.input?.[0] ?? '';
  if (!x || !divisor || divisor.data.length !== 1 || !near(divisor.data[0], Math.SQRT2)) return null;
  const erf = ctx.soleConsumer(0);
  if (erf?.opType !== 'Erf') return null;
  const add = ctx.soleReader(erf.output?.[0] ?? '');
  if (!near(scalarBeside(ctx, add, 'Add', erf.output?.[0] ?? ''), 1)) return null;
  const times = ctx.soleReader(add!.output?.[0] ?? '');
  const timesIns = times?.input ?? [];
  if (times?.opType !== 'Mul' || !timesIns.includes(xName) || !timesIns.includes(add!.output?.[0] ?? '')) return null;
  const half = ctx.soleReader(times.output?.[0] ?? '');
  if (!near(scalarBeside(ctx, half, 'Mul', times.output?.[0] ?? ''), 0.5)) return null;
  const base = ctx.base.replace(/Div(?=[^.]*$)/, 'Gelu');
  const node = ctx.draft.add(base === ctx.base ? `${base}.gelu` : base, 'GELU', { approximate: false }, [x], undefined, ctx.node.name || 'GELU');
  const y = { ...x, node: node.id, rnn: undefined };
  for (const absorbed of [erf, add!, times]) ctx.absorb(absorbed, [{ kind: 'missing', cause: `the GELU at ${ctx.where}` }]);
  ctx.absorb(half!, [y]);
  return outputs(y);
}

export const geluOps: Record<string, OpMapper> = {
  Div: (ctx) => gelu(ctx) ?? mergeOps['Div']!(ctx),
};
