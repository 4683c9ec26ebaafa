// Gemm, and MatMul with a constant right-hand side (plus the bias Add that follows it) → Dense.
// TF.js's kernel is [in, units]: PyTorch's Linear exports its [units, in] weight with transB = 1.
import type { onnx } from 'onnx-proto';
import { permute } from '../arrays.js';
import { refuse } from '../errors.js';
import type { ConstTensor } from '../tensor.js';
import { identityAxes, type GraphTensor, type Value } from '../values.js';
import { outputs, unmapped, type OpContext, type OpResult } from './types.js';

/** A bias of `units` values from a constant broadcast along the last axis ([units], [1, units], a scalar). */
function biasOf(c: ConstTensor, units: number, scale: number): Float32Array | null {
  const size = c.data.length;
  if (size !== 1 && (size !== units || c.dims.at(-1) !== units)) return null;
  return Float32Array.from({ length: units }, (_, i) => scale * c.data[size === 1 ? 0 : i]!);
}

function dense(ctx: OpContext, x: GraphTensor, kernel: Float32Array, units: number, bias: Float32Array | null): GraphTensor {
  const node = ctx.emit('Dense', { units, useBias: bias !== null }, [x], bias ? [kernel, bias] : [kernel]);
  return { ...x, node: node.id, shape: [...x.shape.slice(0, -1), units], rnn: undefined };
}

function gemm(ctx: OpContext): OpResult {
  const a = ctx.tensor(0);
  const b = ctx.constant(1);
  if (!a) return unmapped('Gemm whose first input is not a tensor of the graph');
  if (!b) return unmapped('Gemm with weights computed from data');
  if (ctx.attrs.int('transA', 0)) return unmapped('Gemm with transA = 1 (it would mix samples of the batch)');
  if (a.shape.length !== 2 || b.dims.length !== 2) refuse('invalid', `Gemm needs 2-D inputs; got [${a.shape.join(', ')}] and [${b.dims.join(', ')}]`, ctx.where);
  const transB = ctx.attrs.int('transB', 0) !== 0;
  const [k, units] = (transB ? [b.dims[1], b.dims[0]] : b.dims) as [number, number];
  if (a.shape[1] !== k) refuse('invalid', `Gemm: input has ${a.shape[1]} features but the weight expects ${k}`, ctx.where);
  const alpha = ctx.attrs.float('alpha', 1);
  const kernel = Float32Array.from(transB ? permute(b.data, b.dims, [1, 0]) : b.data, (v) => alpha * v);
  let bias: Float32Array | null = null;
  if (ctx.input(2)) {
    const c = ctx.constant(2);
    bias = c ? biasOf(c, units, ctx.attrs.float('beta', 1)) : null;
    if (!bias) return unmapped(c ? `Gemm with a bias of shape [${c.dims.join(', ')}]` : 'Gemm with a bias computed from data');
  }
  return outputs(dense(ctx, ctx.draft.toLayout(a, [0, 1], ctx.base, ctx.where), kernel, units, bias));
}

/** The Add after a MatMul, when it adds a constant bias and nothing else reads the product. */
function biasAdd(ctx: OpContext, units: number): { node: onnx.INodeProto; bias: Float32Array } | null {
  const next = ctx.soleConsumer(0);
  if (!next || next.opType !== 'Add' || (next.domain && next.domain !== 'ai.onnx')) return null;
  const other = next.input?.[0] === ctx.node.output?.[0] ? 1 : 0;
  const c = ctx.valueOf(next.input?.[other] ?? '');
  if (c?.kind !== 'const') return null;
  const bias = biasOf(c.tensor, units, 1);
  return bias && c.tensor.dims.every((d, i) => i === c.tensor.dims.length - 1 || d === 1) ? { node: next, bias } : null;
}

function matmul(ctx: OpContext): OpResult {
  const a = ctx.tensor(0);
  const b = ctx.constant(1);
  if (!a || !b) return unmapped(a ? 'MatMul of two tensors (attention-style products have no layer)' : 'MatMul whose first input is not a tensor of the graph');
  if (b.dims.length !== 2) return unmapped(`MatMul by a rank-${b.dims.length} constant`);
  const rank = a.shape.length;
  if (rank < 2) return unmapped('MatMul of a vector');
  const [k, units] = b.dims as [number, number];
  if (a.shape[rank - 1] !== k) refuse('invalid', `MatMul: input has ${a.shape[rank - 1]} features but the weight expects ${k}`, ctx.where);
  // Dense works on our last axis: it must hold the ONNX last axis.
  const x = a.axes.at(-1) === rank - 1 ? a : ctx.draft.toLayout(a, identityAxes(rank), ctx.base, ctx.where);
  const add = biasAdd(ctx, units);
  const out = dense(ctx, x, Float32Array.from(b.data), units, add?.bias ?? null);
  if (add) ctx.absorb(add.node, [out as Value]);
  return outputs(out);
}

export const denseOps = { Gemm: gemm, MatMul: matmul };
