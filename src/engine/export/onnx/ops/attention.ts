// The attention family exactly as compile/custom/attention-math.ts computes it: projections
// with kernels [Din, H·K] (column h·K + k is feature k of head h), softmax(Q/√K · Kᵀ [+ causal
// mask]) · V per head, the output projection; keras-hub's encoder block around it.
import type { ActivationName } from '../../../layers/common.js';
import { paramsOf, type EmitContext, type EmitNode, type OnnxEmitter } from '../emit-context.js';
import type { Value } from '../layout.js';
import { attr } from '../proto.js';
import { activate } from './activation-fn.js';

/** Initializer names of one dense projection. */
interface Projection {
  readonly kernel: string;
  readonly bias: string | null;
}

interface AttentionWeights {
  readonly query: Projection;
  readonly key: Projection;
  readonly value: Projection;
  readonly output: Projection;
}

/** The node's next kernel (and bias) as initializers. */
const projection = (ctx: EmitContext, useBias: boolean): Projection => ({ kernel: ctx.param('kernel'), bias: useBias ? ctx.param('bias') : null });

/** Keras order: query, key, value, output. */
const attentionWeights = (ctx: EmitContext, useBias: boolean): AttentionWeights => ({
  query: projection(ctx, useBias),
  key: projection(ctx, useBias),
  value: projection(ctx, useBias),
  output: projection(ctx, useBias),
});

/** [B, T, Din] · kernel [Din, N] (+ bias) → [B, T, N] */
function project(ctx: EmitContext, x: string, w: Projection, hint: string): string {
  const y = ctx.op('MatMul', [x, w.kernel], {}, `${hint}/MatMul`);
  return w.bias ? ctx.op('Add', [y, w.bias], {}, hint) : y;
}

/** [B, T, H·D] → [B, H, T, D], or [B, H, D, T] for keys (`perm` [0, 2, 3, 1]). */
function splitHeads(ctx: EmitContext, x: string, [steps, heads, depth]: readonly [number, number, number], perm: readonly number[], hint: string): string {
  const split = ctx.op('Reshape', [x, ctx.int64s([-1, steps, heads, depth])], {}, `${hint}/heads`);
  return ctx.op('Transpose', [split], { perm: attr.ints(perm) }, `${hint}/transpose`);
}

/** [Tq, Tv]: 0 where query t may see value s ≤ t, −1e9 above the diagonal (as causalMask). */
function causalMask(ctx: EmitContext, tq: number, tv: number): string {
  const mask = new Float32Array(tq * tv);
  for (let t = 0; t < tq; t++) for (let s = t + 1; s < tv; s++) mask[t * tv + s] = -1e9;
  return ctx.initializer('causal_mask', mask, [tq, tv]);
}

interface Heads {
  readonly heads: number;
  readonly keyDim: number;
  readonly valueDim: number;
  readonly causal: boolean;
}

/** query [B, Tq, Dq], value [B, Tv, Dv], key [B, Tv, Dk] (channels-last names) → [B, Tq, Dout] */
function multiHead(ctx: EmitContext, [query, value, key]: readonly [string, string, string], [tq, tv]: readonly [number, number], w: AttentionWeights, a: Heads): string {
  const q = splitHeads(ctx, project(ctx, query, w.query, 'query'), [tq, a.heads, a.keyDim], [0, 2, 1, 3], 'query'); // [B, H, Tq, K]
  const kT = splitHeads(ctx, project(ctx, key, w.key, 'key'), [tv, a.heads, a.keyDim], [0, 2, 3, 1], 'key'); // [B, H, K, Tv]
  const v = splitHeads(ctx, project(ctx, value, w.value, 'value'), [tv, a.heads, a.valueDim], [0, 2, 1, 3], 'value'); // [B, H, Tv, V]
  // Q is scaled before the product, as TF.js does.
  let scores = ctx.op('MatMul', [ctx.op('Mul', [q, ctx.scalar(1 / Math.sqrt(a.keyDim))]), kT], {}, 'scores'); // [B, H, Tq, Tv]
  if (a.causal) scores = ctx.op('Add', [scores, causalMask(ctx, tq, tv)], {}, 'masked');
  const probs = ctx.op('Softmax', [scores], { axis: attr.int(-1) }, 'probs');
  const heads = ctx.op('Transpose', [ctx.op('MatMul', [probs, v], {}, 'context')], { perm: attr.ints([0, 2, 1, 3]) }); // [B, Tq, H, V]
  const merged = ctx.op('Reshape', [heads, ctx.int64s([-1, tq, a.heads * a.valueDim])], {}, 'merge_heads'); // [B, Tq, H·V]
  return project(ctx, merged, w.output, 'output');
}

interface EncoderParams {
  intermediateDim: number;
  numHeads: number;
  activation: ActivationName;
  layerNormEpsilon: number;
  normalizeFirst: boolean;
  useCausalMask: boolean;
}

/** [B, T, D] → [B, T, D]: attention and feed-forward sub-blocks, each with a residual and a layer norm. */
function encoder(ctx: EmitContext, n: EmitNode): Value {
  const p = paramsOf<EncoderParams>(n);
  const x = n.inputs[0]!;
  const [steps, width] = [x.shape[1]!, x.shape[2]!];
  // Weights in TF.js order; read up front because pre-LN uses a norm before the weights listed ahead of it.
  const attention = attentionWeights(ctx, true);
  const attentionNorm = [ctx.param('gamma'), ctx.param('beta')] as const;
  const intermediate = projection(ctx, true);
  const output = projection(ctx, true);
  const feedforwardNorm = [ctx.param('gamma'), ctx.param('beta')] as const;

  const norm = (h: string, [gamma, beta]: readonly [string, string], hint: string) =>
    ctx.op('LayerNormalization', [h, gamma, beta], { axis: attr.int(-1), epsilon: attr.float(p.layerNormEpsilon) }, hint);
  /** Post-LN: LN(x + body(x)); pre-LN: x + body(LN(x)). */
  const block = (h: string, weights: readonly [string, string], body: (t: string) => string, hint: string): string =>
    p.normalizeFirst
      ? ctx.op('Add', [body(norm(h, weights, `${hint}_norm`)), h], {}, `${hint}_residual`)
      : norm(ctx.op('Add', [body(h), h], {}, `${hint}_residual`), weights, `${hint}_norm`);

  const selfAttention = (h: string) =>
    multiHead(ctx, [h, h, h], [steps, steps], attention, { heads: p.numHeads, keyDim: width / p.numHeads, valueDim: width / p.numHeads, causal: p.useCausalMask });
  const feedForward = (h: string) => {
    const hidden = ctx.value(project(ctx, h, intermediate, 'ffn_intermediate'), 'channels-last', [null, steps, p.intermediateDim]);
    return project(ctx, activate(ctx, p.activation, hidden).name, output, 'ffn_output');
  };
  const attended = block(ctx.last(x), attentionNorm, selfAttention, 'attention');
  return ctx.value(block(attended, feedforwardNorm, feedForward, 'feedforward'), 'channels-last', n.output.shape);
}

export const attentionEmitters = {
  MultiHeadAttention: {
    emit(ctx, n) {
      const p = paramsOf<{ numHeads: number; keyDim: number; valueDim: number | null; useBias: boolean; useCausalMask: boolean }>(n);
      const [query, value, key = value] = n.inputs as [Value, Value, Value?];
      const names = [ctx.last(query), ctx.last(value!), ctx.last(key!)] as const;
      const heads = { heads: p.numHeads, keyDim: p.keyDim, valueDim: p.valueDim ?? p.keyDim, causal: p.useCausalMask };
      const y = multiHead(ctx, names, [query.shape[1]!, value!.shape[1]!], attentionWeights(ctx, p.useBias), heads);
      return ctx.value(y, 'channels-last', n.output.shape);
    },
  },

  // x + embeddings[0:T]: the whole table is kept, sliced in the graph.
  PositionalEmbedding: {
    emit(ctx, n) {
      const x = n.inputs[0]!;
      const rows = ctx.op('Slice', [ctx.param('embeddings'), ctx.int64s([0]), ctx.int64s([x.shape[1]!]), ctx.int64s([0])]); // [T, D]
      return ctx.value(ctx.op('Add', [ctx.last(x), rows]), 'channels-last', n.output.shape);
    },
  },

  TransformerEncoder: { emit: encoder },
} satisfies Record<string, OnnxEmitter>;
