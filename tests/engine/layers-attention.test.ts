// Attention layers: TF.js oracle (self-consistency), numerics against an independent
// plain-JS reference, causality, dropout, save/load, FLOPs and diagnostics.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../../src/engine/compile/compile.js';
import { analyzeGraph } from '../../src/engine/graph/analyze.js';
import { nodeId } from '../../src/engine/ids.js';
import { layerSpec } from '../../src/engine/layers/registry.js';
import { resolveParams } from '../../src/engine/params.js';
import type { Graph } from '../../src/engine/project/types.js';
import { checkAgainstTfjs, diagnosticsFor, LAYER, singleLayerGraph, type OracleCase } from '../helpers/oracle.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const cases: OracleCase[] = [
  { kind: 'MultiHeadAttention', params: { numHeads: 2, keyDim: 3 }, inputs: [{ shape: [4, 6] }, { shape: [5, 8] }] },
  { kind: 'MultiHeadAttention', params: { numHeads: 2, keyDim: 3, valueDim: 5, outputShape: 9 }, inputs: [{ shape: [3, 4] }, { shape: [5, 6] }, { shape: [5, 7] }] },
  { kind: 'MultiHeadAttention', params: { numHeads: 3, keyDim: 2, useBias: false, dropout: 0.2, useCausalMask: true }, inputs: [{ shape: [4, 4] }, { shape: [4, 5] }] },
  { kind: 'PositionalEmbedding', params: { maxLength: 8 }, inputs: [{ shape: [5, 4] }] },
  { kind: 'PositionalEmbedding', params: { maxLength: 5 }, inputs: [{ shape: [5, 3] }] },
  { kind: 'PositionalEmbedding', params: { maxLength: 16 }, inputs: [{ shape: [2, 8] }] },
  { kind: 'TransformerEncoder', params: { intermediateDim: 8, numHeads: 2 }, inputs: [{ shape: [5, 4] }] },
  { kind: 'TransformerEncoder', params: { intermediateDim: 6, numHeads: 4, normalizeFirst: true, useCausalMask: true, activation: 'gelu' }, inputs: [{ shape: [6, 8] }] },
  { kind: 'TransformerEncoder', params: { intermediateDim: 4, numHeads: 1, dropout: 0.1, activation: 'silu', layerNormEpsilon: 1e-3 }, inputs: [{ shape: [3, 6] }] },
];

describe('attention layers match TF.js', () => {
  for (const c of cases) {
    it(`${c.kind} ${JSON.stringify(c.params)} on ${JSON.stringify(c.inputs.map((i) => i.shape))}`, () => {
      checkAgainstTfjs(c);
    });
  }
});

/** One Input `x` connected to both query and value of a MultiHeadAttention `L`. */
function selfAttentionGraph(params: Record<string, unknown>, shape: number[]): Graph {
  return {
    nodes: [{ id: nodeId('x'), kind: 'Input', params: { shape } }, { id: LAYER, kind: 'MultiHeadAttention', params }],
    edges: [0, 1].map((port) => ({ source: nodeId('x'), target: LAYER, targetInput: port })),
  };
}

function compiled(graph: Graph, seed = 1) {
  const analysis = analyzeGraph(graph);
  expect(analysis.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return { analysis, model: compileGraph(analysis, { seed }).model };
}

/** Replaces a layer's weights with seeded normal values, so zero biases and unit gains cannot hide mistakes. */
function randomizeWeights(layer: tf.layers.Layer): void {
  layer.setWeights(layer.getWeights().map((w, i) => tf.randomNormal(w.shape, 0, 0.5, 'float32', 100 + i)));
}

describe('self-attention (one tensor on query and value)', () => {
  it('infers, counts, runs and trains', () => {
    const { analysis, model } = compiled(selfAttentionGraph({ numHeads: 2, keyDim: 4, useCausalMask: true }, [5, 8]));
    const node = analysis.nodes.get(LAYER)!;
    expect(node.output!.shape).toEqual([null, 5, 8]);
    expect(model.outputs[0]!.shape).toEqual([null, 5, 8]);
    expect(node.paramCount.trainable).toBe(model.countParams());
    expect(node.paramCount.trainable).toBe(3 * (8 * 8 + 8) + 8 * 8 + 8);
    const x = tf.randomNormal([2, 5, 8], 0, 1, 'float32', 3);
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const { grads } = tf.variableGrads(() => tf.mean(tf.square(model.apply(x, { training: true }) as tf.Tensor)).asScalar(), vars);
    for (const v of vars) expect(Number.isFinite(grads[v.name]!.abs().sum().dataSync()[0]!), v.name).toBe(true);
  });
});

// ---- An independent reference, in plain JS numbers (one batch item: matrices [rows][cols]) ----
type M = number[][];
const matmul = (a: M, b: M): M => a.map((row) => b[0]!.map((_, j) => row.reduce((s, v, k) => s + v * b[k]![j]!, 0)));
const addRow = (a: M, bias: number[] | null): M => (bias ? a.map((r) => r.map((v, j) => v + bias[j]!)) : a);
const addM = (a: M, b: M): M => a.map((r, i) => r.map((v, j) => v + b[i]![j]!));
const cols = (a: M, from: number, to: number): M => a.map((r) => r.slice(from, to));
const softmaxRow = (r: number[]): number[] => {
  const m = Math.max(...r);
  const e = r.map((v) => Math.exp(v - m));
  const s = e.reduce((x, y) => x + y, 0);
  return e.map((v) => v / s);
};
const layerNormRef = (a: M, g: number[], b: number[], eps: number): M =>
  a.map((r) => {
    const mean = r.reduce((s, v) => s + v, 0) / r.length;
    const variance = r.reduce((s, v) => s + (v - mean) ** 2, 0) / r.length;
    return r.map((v, j) => ((v - mean) / Math.sqrt(variance + eps)) * g[j]! + b[j]!);
  });

/** Keras MHA for one batch item: head h uses columns h·K…(h+1)·K of each projection. */
function mhaRef(q: M, v: M, k: M, w: (M | number[] | null)[], o: { heads: number; keyDim: number; valueDim: number; causal: boolean }): M {
  const [qk, qb, kk, kb, vk, vb, ok, ob] = w as [M, number[] | null, M, number[] | null, M, number[] | null, M, number[] | null];
  const Q = addRow(matmul(q, qk), qb);
  const K = addRow(matmul(k, kk), kb);
  const V = addRow(matmul(v, vk), vb);
  const heads: M[] = [];
  for (let h = 0; h < o.heads; h++) {
    const Qh = cols(Q, h * o.keyDim, (h + 1) * o.keyDim);
    const Kh = cols(K, h * o.keyDim, (h + 1) * o.keyDim);
    const Vh = cols(V, h * o.valueDim, (h + 1) * o.valueDim);
    const probs = Qh.map((qr, t) =>
      softmaxRow(Kh.map((kr, s) => (o.causal && s > t ? -Infinity : qr.reduce((acc, x, i) => acc + x * kr[i]!, 0) / Math.sqrt(o.keyDim)))),
    );
    heads.push(matmul(probs, Vh));
  }
  const context = heads[0]!.map((_, t) => heads.flatMap((hm) => hm[t]!));
  return addRow(matmul(context, ok), ob);
}

const maxAbsDiff = (a: number[][][], b: number[][][]): number =>
  Math.max(...a.flatMap((m, i) => m.flatMap((r, j) => r.map((v, k) => Math.abs(v - b[i]![j]![k]!)))));

const weightsOf = (layer: tf.layers.Layer) => layer.getWeights().map((w) => w.arraySync() as M | number[]);

describe('MultiHeadAttention numerics against a plain-JS reference', () => {
  it('cross-attention with a separate key, valueDim ≠ keyDim and outputShape set', () => {
    const c: OracleCase = {
      kind: 'MultiHeadAttention',
      params: { numHeads: 2, keyDim: 3, valueDim: 2, outputShape: 7 },
      inputs: [{ shape: [3, 4] }, { shape: [5, 6] }, { shape: [5, 3] }],
    };
    const { model } = compiled(singleLayerGraph(c));
    const layer = model.getLayer(LAYER);
    randomizeWeights(layer);
    expect(layer.getWeights().map((w) => w.shape)).toEqual([[4, 6], [6], [3, 6], [6], [6, 4], [4], [4, 7], [7]]);
    const xs = [[2, 3, 4], [2, 5, 6], [2, 5, 3]].map((s, i) => tf.randomNormal(s, 0, 1, 'float32', 10 + i));
    const got = (model.predict(xs) as tf.Tensor).arraySync() as number[][][];
    const [q, v, k] = xs.map((x) => x.arraySync() as number[][][]);
    const want = q!.map((_, b) => mhaRef(q![b]!, v![b]!, k![b]!, weightsOf(layer), { heads: 2, keyDim: 3, valueDim: 2, causal: false }));
    expect(maxAbsDiff(got, want)).toBeLessThan(1e-5);
  });

  it('causal self-attention without biases', () => {
    const { model } = compiled(selfAttentionGraph({ numHeads: 2, keyDim: 2, useBias: false, useCausalMask: true }, [4, 3]));
    const layer = model.getLayer(LAYER);
    randomizeWeights(layer);
    const x = tf.randomNormal([2, 4, 3], 0, 1, 'float32', 20);
    const got = (model.predict(x) as tf.Tensor).arraySync() as number[][][];
    const w = weightsOf(layer);
    const withNoBias = [w[0]!, null, w[1]!, null, w[2]!, null, w[3]!, null];
    const want = (x.arraySync() as number[][][]).map((m) => mhaRef(m, m, m, withNoBias, { heads: 2, keyDim: 2, valueDim: 2, causal: true }));
    expect(maxAbsDiff(got, want)).toBeLessThan(1e-5);
  });
});

describe('TransformerEncoder numerics against a plain-JS reference', () => {
  for (const normalizeFirst of [false, true]) {
    it(normalizeFirst ? 'pre-LN: x + f(LN(x)) per sub-block' : 'post-LN: LN(x + f(x)) per sub-block', () => {
      const eps = 1e-3;
      const c: OracleCase = { kind: 'TransformerEncoder', params: { intermediateDim: 5, numHeads: 2, normalizeFirst, layerNormEpsilon: eps }, inputs: [{ shape: [3, 4] }] };
      const { model } = compiled(singleLayerGraph(c));
      const layer = model.getLayer(LAYER);
      randomizeWeights(layer);
      const x = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 30);
      const got = (model.predict(x) as tf.Tensor).arraySync() as number[][][];
      const w = weightsOf(layer);
      const [g1, b1, w1, c1, w2, c2, g2, b2] = w.slice(8) as [number[], number[], M, number[], M, number[], number[], number[]];
      const attend = (m: M) => mhaRef(m, m, m, w.slice(0, 8), { heads: 2, keyDim: 2, valueDim: 2, causal: false });
      const ffn = (m: M) => addRow(matmul(addRow(matmul(m, w1), c1).map((r) => r.map((v) => Math.max(0, v))), w2), c2);
      const want = (x.arraySync() as number[][][]).map((m) => {
        if (normalizeFirst) {
          const h = addM(m, attend(layerNormRef(m, g1, b1, eps)));
          return addM(h, ffn(layerNormRef(h, g2, b2, eps)));
        }
        const h = layerNormRef(addM(m, attend(m)), g1, b1, eps);
        return layerNormRef(addM(h, ffn(h)), g2, b2, eps);
      });
      expect(maxAbsDiff(got, want)).toBeLessThan(1e-5);
    });
  }
});

describe('causal masks', () => {
  /** Output of a model on x and on x with every step after t replaced. */
  function beforeAndAfter(graph: Graph, t: number): { same: number; later: number } {
    const { model } = compiled(graph);
    const x = tf.randomNormal([1, 6, 4], 0, 1, 'float32', 40);
    const noise = tf.randomNormal([1, 6 - t - 1, 4], 0, 1, 'float32', 41);
    const x2 = tf.concat([tf.slice(x, [0, 0, 0], [1, t + 1, 4]), noise], 1);
    const d = tf.abs(tf.sub(model.predict(x) as tf.Tensor, model.predict(x2) as tf.Tensor));
    const same = tf.max(tf.slice(d, [0, 0, 0], [1, t + 1, -1])).dataSync()[0]!;
    const later = tf.max(tf.slice(d, [0, t + 1, 0], [1, -1, -1])).dataSync()[0]!;
    return { same, later };
  }
  const encoder = (useCausalMask: boolean): Graph =>
    singleLayerGraph({ kind: 'TransformerEncoder', params: { intermediateDim: 8, numHeads: 2, useCausalMask }, inputs: [{ shape: [6, 4] }] });

  it('MultiHeadAttention: outputs up to t ignore later inputs', () => {
    const r = beforeAndAfter(selfAttentionGraph({ numHeads: 2, keyDim: 2, useCausalMask: true }, [6, 4]), 2);
    expect(r.same).toBeLessThan(1e-6);
    expect(r.later).toBeGreaterThan(1e-3);
  });
  it('TransformerEncoder: outputs up to t ignore later inputs, and do not without the mask', () => {
    const causal = beforeAndAfter(encoder(true), 3);
    expect(causal.same).toBeLessThan(1e-6);
    expect(causal.later).toBeGreaterThan(1e-3);
    expect(beforeAndAfter(encoder(false), 3).same).toBeGreaterThan(1e-3);
  });
});

describe('attention training behaviour and serialisation', () => {
  it('dropout acts only while training', () => {
    const { model } = compiled(selfAttentionGraph({ numHeads: 2, keyDim: 2, dropout: 0.5 }, [4, 4]));
    const x = tf.randomNormal([2, 4, 4], 0, 1, 'float32', 50);
    const a = model.predict(x) as tf.Tensor;
    expect(tf.max(tf.abs(tf.sub(a, model.predict(x) as tf.Tensor))).dataSync()[0]).toBe(0);
    const trained = model.apply(x, { training: true }) as tf.Tensor;
    expect(tf.max(tf.abs(tf.sub(a, trained))).dataSync()[0]).toBeGreaterThan(1e-3);
  });

  it('a model with all three layers survives save and tf.loadLayersModel', async () => {
    const graph: Graph = {
      nodes: [
        { id: nodeId('x'), kind: 'Input', params: { shape: [4, 8] } },
        { id: nodeId('pos'), kind: 'PositionalEmbedding', params: { maxLength: 6 } },
        { id: nodeId('enc'), kind: 'TransformerEncoder', params: { intermediateDim: 8, numHeads: 2, normalizeFirst: true } },
        { id: nodeId('mha'), kind: 'MultiHeadAttention', params: { numHeads: 2, keyDim: 3, outputShape: 5, useCausalMask: true } },
      ],
      edges: [
        { source: nodeId('x'), target: nodeId('pos'), targetInput: 0 },
        { source: nodeId('pos'), target: nodeId('enc'), targetInput: 0 },
        { source: nodeId('enc'), target: nodeId('mha'), targetInput: 0 },
        { source: nodeId('x'), target: nodeId('mha'), targetInput: 1 },
      ],
    };
    const { model } = compiled(graph);
    let saved: tf.io.ModelArtifacts | null = null;
    await model.save(tf.io.withSaveHandler(async (a) => {
      saved = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved!));
    const x = tf.randomNormal([2, 4, 8], 0, 1, 'float32', 60);
    const diff = tf.max(tf.abs(tf.sub(model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor))).dataSync()[0]!;
    expect(diff).toBeLessThan(1e-6);
    expect(loaded.getLayer('mha').getConfig()).toMatchObject({ numHeads: 2, keyDim: 3, valueDim: null, outputDim: 5, useCausalMask: true });
  });
});

describe('attention FLOPs', () => {
  const flops = (c: OracleCase) => analyzeGraph(singleLayerGraph(c)).nodes.get(LAYER)!.flops;
  it('MultiHeadAttention: projections 108 + 198 + 198 + 104, scores 72, softmax 60, weighted sum 72 = 812', () => {
    expect(flops({ kind: 'MultiHeadAttention', params: { numHeads: 2, keyDim: 3 }, inputs: [{ shape: [2, 4] }, { shape: [3, 5] }] })).toBe(812);
  });
  it('TransformerEncoder: attention 666, FFN 267, relu 15, norms 192, residuals 24 = 1164', () => {
    expect(flops({ kind: 'TransformerEncoder', params: { intermediateDim: 5, numHeads: 2 }, inputs: [{ shape: [3, 4] }] })).toBe(1164);
  });
});

describe('attention diagnostics', () => {
  it('TransformerEncoder width not divisible by numHeads lists valid head counts', () => {
    const [d] = diagnosticsFor({ kind: 'TransformerEncoder', params: { numHeads: 4 }, inputs: [{ shape: [3, 10] }] });
    expect(d).toMatchObject({
      code: 'invalid-shape',
      severity: 'error',
      nodeId: 'L',
      message: 'TransformerEncoder: feature size 10 from the Input "in0" is not divisible by numHeads 4',
      suggestion: 'Use a numHeads that divides 10: 1, 2, 5 or 10.',
    });
  });
  it('PositionalEmbedding longer than maxLength', () => {
    const [d] = diagnosticsFor({ kind: 'PositionalEmbedding', params: { maxLength: 4 }, inputs: [{ shape: [8, 3] }] });
    expect(d).toMatchObject({
      code: 'invalid-shape',
      message: 'PositionalEmbedding: the Input "in0" gives 8 steps ([null,8,3]), more than maxLength 4',
      suggestion: 'Set maxLength to at least 8, or shorten the sequence.',
    });
  });
  it('PositionalEmbedding with an unknown length', () => {
    const spec = layerSpec('PositionalEmbedding')!;
    const r = resolveParams(spec.params, {});
    if (!r.ok) throw new Error('defaults must resolve');
    const source = { id: nodeId('r'), kind: 'LSTM', params: {} };
    expect(spec.infer(r.params, [{ shape: [null, null, 4], dtype: 'float32', source }])).toMatchObject({ ok: false, code: 'unknown-dim' });
  });
  it('causal attention between sequences of different lengths', () => {
    const [d] = diagnosticsFor({ kind: 'MultiHeadAttention', params: { useCausalMask: true }, inputs: [{ shape: [4, 8] }, { shape: [6, 8] }] });
    expect(d).toMatchObject({
      code: 'invalid-shape',
      message: 'MultiHeadAttention: useCausalMask needs as many query steps as value steps, but query has 4 and value has 6',
    });
  });
  it('key and value of different lengths', () => {
    const [d] = diagnosticsFor({ kind: 'MultiHeadAttention', params: {}, inputs: [{ shape: [4, 8] }, { shape: [6, 8] }, { shape: [5, 8] }] });
    expect(d).toMatchObject({ code: 'shape-mismatch', message: 'MultiHeadAttention: key has 5 steps but value has 6' });
  });
  it('token ids straight into attention ask for an Embedding', () => {
    const [d] = diagnosticsFor({ kind: 'TransformerEncoder', params: {}, inputs: [{ shape: [4, 8], dtype: 'int32' }] });
    expect(d).toMatchObject({ code: 'dtype-mismatch', message: 'TransformerEncoder needs float32 input, but the Input "in0" gives int32', suggestion: 'Insert an Embedding to turn token ids into vectors.' });
  });
  it('a query without a value names the missing port', () => {
    const [d] = diagnosticsFor({ kind: 'MultiHeadAttention', params: {}, inputs: [{ shape: [4, 8] }] });
    expect(d).toMatchObject({ code: 'missing-input', message: 'MultiHeadAttention: input 2 (value) is not connected' });
  });
  it('a flat query names the port', () => {
    const [d] = diagnosticsFor({ kind: 'MultiHeadAttention', params: {}, inputs: [{ shape: [8] }, { shape: [4, 8] }] });
    expect(d).toMatchObject({ code: 'rank-mismatch', message: 'MultiHeadAttention (query) needs input of shape [batch, steps, channels], but the Input "in0" gives [null,8]' });
  });
});
