// The TF.js oracle: build a one-layer graph, let the engine infer it, compile it, and
// compare our shape and parameter counts with what TF.js itself builds and runs.
import { appendFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import { compileGraph, nodeOfLayer } from '../../src/engine/compile/compile.js';
import { analyzeGraph, type Analysis, type NodeAnalysis } from '../../src/engine/graph/analyze.js';
import { nodeId } from '../../src/engine/ids.js';
import type { Graph } from '../../src/engine/project/types.js';
import { product } from '../../src/engine/tensor.js';

export interface OracleInput {
  readonly shape: readonly number[];
  readonly dtype?: 'float32' | 'int32';
  /** For int32 inputs: ids are drawn from [0, maxValue). */
  readonly maxValue?: number;
}

export interface OracleCase {
  readonly kind: string;
  readonly params: Record<string, unknown>;
  readonly inputs: readonly OracleInput[];
}

export const LAYER = nodeId('L');

/** Inputs `in0…inN` feeding one node `L` on ports 0…N. */
export function singleLayerGraph(c: OracleCase): Graph {
  return {
    nodes: [
      ...c.inputs.map((x, i) => ({ id: nodeId(`in${i}`), kind: 'Input', params: { shape: [...x.shape], dtype: x.dtype ?? 'float32' } })),
      { id: LAYER, kind: c.kind, params: c.params },
    ],
    edges: c.inputs.map((_, i) => ({ source: nodeId(`in${i}`), target: LAYER, targetInput: i })),
  };
}

export function sampleInputs(c: OracleCase, batch = 2): tf.Tensor[] {
  return c.inputs.map((x) =>
    x.dtype === 'int32' ? tf.randomUniform([batch, ...x.shape], 0, x.maxValue ?? 10, 'int32') : tf.randomNormal([batch, ...x.shape], 0, 1, 'float32', 7),
  );
}

const size = (ws: readonly tf.LayerVariable[]) => ws.reduce((s, w) => s + product(w.shape as number[]), 0);

export interface OracleResult {
  readonly analysis: Analysis;
  readonly node: NodeAnalysis;
  readonly model: tf.LayersModel;
}

/**
 * Asserts: no errors; inferred output shape = TF.js's symbolic shape = the shape of a
 * real forward pass; trainable and non-trainable counts = the weights TF.js created;
 * and, with `gradients`, every trainable weight gets a finite gradient.
 */
export function checkAgainstTfjs(c: OracleCase, opts: { gradients?: boolean } = {}): OracleResult {
  // ORACLE_LOG=file records which kinds were checked, to audit coverage across test files.
  if (process.env['ORACLE_LOG']) appendFileSync(process.env['ORACLE_LOG'], `${c.kind}\t${opts.gradients !== false}\n`);
  const analysis = analyzeGraph(singleLayerGraph(c));
  expect(analysis.diagnostics.filter((d) => d.severity === 'error'), JSON.stringify(c)).toEqual([]);
  const node = analysis.nodes.get(LAYER)!;
  const { model } = compileGraph(analysis, { seed: 1 });
  const label = `${c.kind} ${JSON.stringify(c.params)} on ${JSON.stringify(c.inputs.map((i) => i.shape))}`;

  expect(model.outputs[0]!.shape, `symbolic shape of ${label}`).toEqual(node.output!.shape);

  const mine = model.layers.filter((l) => nodeOfLayer(l.name) === LAYER);
  const tfCounts = { trainable: size(mine.flatMap((l) => l.trainableWeights)), nonTrainable: size(mine.flatMap((l) => l.nonTrainableWeights)) };
  expect(node.paramCount, `param count of ${label}`).toEqual(tfCounts);

  tf.tidy(() => {
    const xs = sampleInputs(c);
    const y = model.predict(xs.length === 1 ? xs[0]! : xs) as tf.Tensor;
    expect(y.shape, `real output of ${label}`).toEqual([2, ...node.output!.shape.slice(1)]);
    expect(Number.isFinite(tf.sum(y).dataSync()[0]!), `finite output of ${label}`).toBe(true);
  });

  if (opts.gradients !== false && tfCounts.trainable > 0) {
    tf.tidy(() => {
      const xs = sampleInputs(c);
      const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
      const { grads } = tf.variableGrads(() => {
        const y = model.apply(xs.length === 1 ? xs[0]! : xs, { training: true }) as tf.Tensor;
        return tf.mean(tf.square(y)).asScalar();
      }, vars);
      let anyNonZero = false;
      for (const v of vars) {
        const g = grads[v.name];
        expect(g, `gradient for ${v.name} in ${label}`).toBeDefined();
        const a = g!.abs();
        expect(Number.isFinite(a.sum().dataSync()[0]!), `finite gradient for ${v.name} in ${label}`).toBe(true);
        if (a.max().dataSync()[0]! > 0) anyNonZero = true;
      }
      expect(anyNonZero, `some non-zero gradient in ${label}`).toBe(true);
    });
  }
  return { analysis, node, model };
}

/** Analyse a one-layer graph and return the node's diagnostics (for error-path tests). */
export function diagnosticsFor(c: OracleCase) {
  return analyzeGraph(singleLayerGraph(c)).diagnostics;
}
