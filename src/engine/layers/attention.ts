// The attention family: Keras MultiHeadAttention, a learned PositionalEmbedding and a
// keras-hub TransformerEncoder block, all built from NeuralForge's custom TF.js layers.
import type * as tf from '@tensorflow/tfjs';
import { activationFlopsPerElement, activationParam, describeSource, invalidShape, ok, requireKnown, requireRank, tfActivation } from './common.js';
import { bool, float, int } from '../params.js';
import { formatShape, type TensorInfo } from '../tensor.js';
import { defineLayer, type InferResult, type InputInfo } from './spec.js';

const dropout = float({ default: 0, min: 0, max: 0.99, doc: 'Dropout rate on the attention weights (and sub-block outputs) while training.' });
const useCausalMask = bool({ default: false, doc: 'Let each step attend only to itself and earlier steps (a decoder / GPT-style mask).' });

/** Layer norm per element: mean 1, variance 3, normalise 2, scale and shift 2. */
const LAYER_NORM_FLOPS = 8;
/** Softmax per score: max, subtract, exp, sum, divide. */
const SOFTMAX_FLOPS = 5;

/** A [batch, steps, features] float tensor with known features, or why not. */
function requireSequence(kind: string, x: InputInfo, port?: string): InferResult | null {
  const who = port ? `${kind} (${port})` : kind;
  const err = requireRank(who, x, 3, `Feed ${who} a sequence [steps, features]; insert a Reshape to make one.`) ?? requireKnown(who, x, [2]);
  if (err) return err;
  if (x.dtype === 'float32') return null;
  return {
    ok: false,
    code: 'dtype-mismatch',
    message: `${who} needs float32 input, but ${describeSource(x)} gives ${x.dtype}`,
    suggestion: 'Insert an Embedding to turn token ids into vectors.',
  };
}

/** The sizes that fix multi-head attention's cost. */
interface AttentionDims {
  tq: number; tv: number; dq: number; dk: number; dv: number; heads: number; keyDim: number; valueDim: number; out: number; bias: boolean;
}

function attentionParams(a: AttentionDims): number {
  const hk = a.heads * a.keyDim;
  const hv = a.heads * a.valueDim;
  const b = a.bias ? 1 : 0;
  return a.dq * hk + b * hk + a.dk * hk + b * hk + a.dv * hv + b * hv + hv * a.out + b * a.out;
}

function attentionFlops(a: AttentionDims): number {
  const hk = a.heads * a.keyDim;
  const hv = a.heads * a.valueDim;
  const b = a.bias ? 1 : 0;
  const projections =
    a.tq * hk * (2 * a.dq + b) + // query projection
    a.tv * hk * (2 * a.dk + b) + // key projection
    a.tv * hv * (2 * a.dv + b) + // value projection
    a.tq * a.out * (2 * hv + b); // output projection
  const scores = 2 * a.tq * a.tv * hk; // Q·Kᵀ per head
  const softmax = SOFTMAX_FLOPS * a.heads * a.tq * a.tv;
  const weighted = 2 * a.tq * a.tv * hv; // probabilities · V per head
  return projections + scores + softmax + weighted;
}

/** Kept for backward: Q, K, V, the scores before and after softmax (and the dropout mask), the context, the output. */
function attentionActivations(a: AttentionDims, withDropout: boolean): number {
  const hk = a.heads * a.keyDim;
  const hv = a.heads * a.valueDim;
  const scores = a.heads * a.tq * a.tv;
  return a.tq * hk + a.tv * hk + a.tv * hv + (withDropout ? 3 : 2) * scores + a.tq * hv + a.tq * a.out;
}

interface MhaParams {
  numHeads: number; keyDim: number; valueDim: number | null; dropout: number; useBias: boolean; outputShape: number | null; useCausalMask: boolean;
}

function mhaDims(p: MhaParams, [q, v, k = v]: readonly TensorInfo[]): AttentionDims {
  const dq = q!.shape[2]!;
  return {
    tq: q!.shape[1] ?? 0, tv: v!.shape[1] ?? 0, dq, dk: k!.shape[2]!, dv: v!.shape[2]!,
    heads: p.numHeads, keyDim: p.keyDim, valueDim: p.valueDim ?? p.keyDim, out: p.outputShape ?? dq, bias: p.useBias,
  };
}

function inferMha(p: MhaParams, inputs: readonly InputInfo[]): InferResult {
  const names = ['query', 'value', 'key'];
  for (const [i, x] of inputs.entries()) {
    const err = requireSequence('MultiHeadAttention', x, names[i]);
    if (err) return err;
  }
  const [q, v, k] = inputs as [InputInfo, InputInfo, InputInfo?];
  const tq = q.shape[1]!;
  const tv = v.shape[1]!;
  if (k && k.shape[1] !== null && tv !== null && k.shape[1] !== tv)
    return {
      ok: false,
      code: 'shape-mismatch',
      message: `MultiHeadAttention: key has ${k.shape[1]} steps but value has ${tv}`,
      suggestion: 'Key and value must have the same number of steps; connect the same tensor to both, or leave key unconnected.',
    };
  if (p.useCausalMask && tq !== null && tv !== null && tq !== tv)
    return invalidShape(
      `MultiHeadAttention: useCausalMask needs as many query steps as value steps, but query has ${tq} and value has ${tv}`,
      'Turn off useCausalMask, or attend a sequence to itself by connecting one tensor to both query and value.',
    );
  return ok([null, tq, p.outputShape ?? q.shape[2]!]);
}

/** Divisors of `d` that make sensible head counts, for the "not divisible" hint. */
function headHint(d: number): string {
  const all = Array.from({ length: d }, (_, i) => i + 1).filter((h) => d % h === 0);
  const few = all.filter((h) => h <= 64);
  const list = few.length > 1 ? `${few.slice(0, -1).join(', ')} or ${few.at(-1)}` : String(few[0]);
  return `Use a numHeads that divides ${d}${few.length === all.length ? ':' : ', e.g.'} ${list}.`;
}

interface EncoderParams {
  intermediateDim: number; numHeads: number; dropout: number; activation: Parameters<typeof activationFlopsPerElement>[0];
  layerNormEpsilon: number; normalizeFirst: boolean; useCausalMask: boolean;
}

function encoderDims(p: EncoderParams, x: TensorInfo): AttentionDims {
  const d = x.shape[2]!;
  const t = x.shape[1] ?? 0;
  const keyDim = d / p.numHeads;
  return { tq: t, tv: t, dq: d, dk: d, dv: d, heads: p.numHeads, keyDim, valueDim: keyDim, out: d, bias: true };
}

function encoderFlops(p: EncoderParams, x: TensorInfo): number {
  const d = x.shape[2]!;
  const t = x.shape[1] ?? 0;
  const i = p.intermediateDim;
  const ffn = 2 * t * (d * i + i * d) + t * (i + d); // two dense layers (multiply-add = 2) and their biases
  const act = t * i * activationFlopsPerElement(p.activation); // hidden activation
  const norms = 2 * LAYER_NORM_FLOPS * t * d; // two layer norms
  const residuals = 2 * t * d; // two residual adds
  return attentionFlops(encoderDims(p, x)) + ffn + act + norms + residuals;
}

export const attentionLayers = {
  MultiHeadAttention: defineLayer({
    kind: 'MultiHeadAttention',
    category: 'attention',
    summary: 'Keras multi-head attention of a query sequence over value (and key) sequences; connect one tensor to both for self-attention.',
    params: {
      numHeads: int({ default: 4, min: 1, max: 1024, doc: 'Number of attention heads.' }),
      keyDim: int({ default: 16, min: 1, max: 1 << 14, doc: 'Size of each head for query and key.' }),
      valueDim: int({ default: null, nullable: true, min: 1, max: 1 << 14, doc: 'Size of each head for value; empty means keyDim.' }),
      dropout,
      useBias: bool({ default: true, doc: 'Add a learned bias to the four projections.' }),
      outputShape: int({ default: null, nullable: true, min: 1, max: 1 << 16, doc: "Size of the output's last axis; empty means the query's." }),
      useCausalMask,
    },
    inputs: { min: 2, max: 3, names: ['query', 'value', 'key'] },
    infer: inferMha,
    countParams: (p, inputs) => ({ trainable: attentionParams(mhaDims(p, inputs)), nonTrainable: 0 }),
    flops: (p, inputs) => attentionFlops(mhaDims(p, inputs)),
    activationElements: (p, inputs) => attentionActivations(mhaDims(p, inputs), p.dropout > 0),
    build: (ctx, p, inputs) =>
      new ctx.custom.MultiHeadAttention({
        name: ctx.name(),
        numHeads: p.numHeads,
        keyDim: p.keyDim,
        valueDim: p.valueDim,
        dropout: p.dropout,
        useBias: p.useBias,
        outputDim: p.outputShape,
        useCausalMask: p.useCausalMask,
        seed: ctx.seed('attention'),
      }).apply(inputs) as tf.SymbolicTensor,
  }),

  PositionalEmbedding: defineLayer({
    kind: 'PositionalEmbedding',
    category: 'attention',
    summary: 'Adds a learned vector per position to a sequence [steps, features].',
    params: { maxLength: int({ default: 512, min: 1, max: 1 << 16, doc: 'Longest sequence the table covers.' }) },
    inputs: { min: 1, max: 1 },
    infer(p, [x]) {
      const err = requireSequence('PositionalEmbedding', x!) ?? requireKnown('PositionalEmbedding', x!, [1]);
      if (err) return err;
      const steps = x!.shape[1]!;
      if (steps > p.maxLength)
        return invalidShape(
          `PositionalEmbedding: ${describeSource(x!)} gives ${steps} steps (${formatShape(x!.shape)}), more than maxLength ${p.maxLength}`,
          `Set maxLength to at least ${steps}, or shorten the sequence.`,
        );
      return ok(x!.shape);
    },
    countParams: (p, [x]) => ({ trainable: p.maxLength * x!.shape[2]!, nonTrainable: 0 }),
    flops: (_p, [x]) => x!.shape[1]! * x!.shape[2]!, // one add per element
    build: (ctx, p, [x]) =>
      new ctx.custom.PositionalEmbedding({ name: ctx.name(), maxLength: p.maxLength, seed: ctx.seed('embeddings') }).apply(x!) as tf.SymbolicTensor,
  }),

  TransformerEncoder: defineLayer({
    kind: 'TransformerEncoder',
    category: 'attention',
    summary: 'A transformer block: self-attention and a feed-forward network, each with a residual and a layer norm.',
    params: {
      intermediateDim: int({ default: 128, min: 1, max: 1 << 16, doc: 'Hidden size of the feed-forward network.' }),
      numHeads: int({ default: 4, min: 1, max: 1024, doc: 'Number of attention heads; must divide the feature size.' }),
      dropout,
      activation: activationParam('relu'),
      layerNormEpsilon: float({ default: 1e-5, min: 0, minExclusive: true, max: 1, doc: 'Added to the variance in the layer norms.' }),
      normalizeFirst: bool({ default: false, doc: 'Layer norm before each sub-block (pre-LN, GPT-2) instead of after (post-LN, BERT).' }),
      useCausalMask,
    },
    inputs: { min: 1, max: 1 },
    infer(p, [x]) {
      const err = requireSequence('TransformerEncoder', x!);
      if (err) return err;
      const d = x!.shape[2]!;
      if (d % p.numHeads !== 0)
        return invalidShape(`TransformerEncoder: feature size ${d} from ${describeSource(x!)} is not divisible by numHeads ${p.numHeads}`, headHint(d));
      return ok(x!.shape);
    },
    countParams(p, [x]) {
      const d = x!.shape[2]!;
      const i = p.intermediateDim;
      return { trainable: 4 * (d * d + d) + 2 * 2 * d + d * i + i + i * d + d, nonTrainable: 0 };
    },
    flops: (p, [x]) => encoderFlops(p, x!),
    // Attention as above, the FFN hidden layer before and after its activation, and 4 [T, D] norm/residual results.
    activationElements: (p, [x]) =>
      attentionActivations(encoderDims(p, x!), p.dropout > 0) + (x!.shape[1] ?? 0) * (2 * p.intermediateDim + 4 * x!.shape[2]!),
    build: (ctx, p, [x]) =>
      new ctx.custom.TransformerEncoder({
        name: ctx.name(),
        intermediateDim: p.intermediateDim,
        numHeads: p.numHeads,
        dropout: p.dropout,
        activation: tfActivation(p.activation),
        layerNormEpsilon: p.layerNormEpsilon,
        normalizeFirst: p.normalizeFirst,
        useCausalMask: p.useCausalMask,
        seed: ctx.seed('encoder'),
      }).apply(x!) as tf.SymbolicTensor,
  }),
};
