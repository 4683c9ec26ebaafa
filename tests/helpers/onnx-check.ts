// Outside oracles for the ONNX exporter: onnxruntime-web (wasm, one thread, in Node) and Debian's
// onnx.checker, plus models whose every weight matters (constant initial values get seeded noise).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-web';
import { compileGraph } from '../../src/engine/compile/compile.js';
import type { ExportInput } from '../../src/engine/export/types.js';
import { analyzeGraph } from '../../src/engine/graph/analyze.js';
import type { Graph, Project } from '../../src/engine/project/types.js';
import { rng } from '../../src/engine/random.js';
import type { OracleCase } from './oracle.js';
import { runPython } from './python.js';

ort.env.wasm.numThreads = 1;
export { ort };

/**
 * Weights that start constant (biases, beta, gamma, moving mean and variance, PReLU alpha) would
 * hide a missing or misplaced term; each gets c + U(−0.5, 0.5) (a variance of 1 stays positive).
 */
export function perturbConstantWeights(model: tf.LayersModel, seed = 7): void {
  const r = rng(seed);
  for (const layer of model.layers) {
    const values = layer.getWeights();
    if (!values.length) continue;
    const next = values.map((t) => {
      const data = t.dataSync();
      if (!data.every((v) => v === data[0])) return t.clone();
      return tf.tensor(Float32Array.from(data, (v) => v + r() - 0.5), t.shape);
    });
    layer.setWeights(next);
    next.forEach((t) => t.dispose());
  }
}

/** Analysed, compiled (seed 1) and perturbed: what an exporter takes. */
export function exportInputFor(graph: Graph, project?: Project): ExportInput {
  const analysis = analyzeGraph(graph);
  if (!analysis.valid) throw new Error(`test graph is invalid: ${analysis.diagnostics.map((d) => d.message).join('; ')}`);
  const { model } = compileGraph(analysis, { seed: 1 });
  perturbConstantWeights(model);
  return { project: project ?? ({ name: 'onnx-test' } as Project), analysis, model };
}

export const tempDir = (): string => mkdtempSync(join(tmpdir(), 'nf-onnx-'));

const CHECKER = `
import json, sys, onnx
for path in sys.argv[1:]:
    try:
        onnx.checker.check_model(onnx.load(path), full_check=True)
        print(json.dumps([path, "ok"]))
    except Exception as e:
        print(json.dumps([path, str(e)[:2000]]))
`;

/** onnx.checker.check_model(full_check=True) on every file in one Python process: path → "ok" or the checker's error. */
export function onnxChecker(paths: readonly string[]): Map<string, string> {
  const r = runPython(CHECKER, paths);
  if (r.code !== 0) throw new Error(`onnx checker failed to run (exit ${r.code}): ${r.stderr}`);
  return new Map(r.stdout.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as [string, string]));
}

/** Two samples per input, each input drawn with its own seed (oracle.ts's sampleInputs repeats one). */
export function distinctInputs(c: OracleCase): tf.Tensor[] {
  return c.inputs.map((x, i) =>
    x.dtype === 'int32' ? tf.randomUniform([2, ...x.shape], 0, x.maxValue ?? 10, 'int32', 20 + i) : tf.randomNormal([2, ...x.shape], 0, 1, 'float32', 20 + i),
  );
}

/** TF.js's outputs spread over a range, so agreeing with them says something. */
export function outputSpread(model: tf.LayersModel, xs: tf.Tensor[]): number {
  return tf.tidy(() => {
    const ys = model.predict(xs.length === 1 ? xs[0]! : xs);
    return Math.min(...(Array.isArray(ys) ? ys : [ys]).map((y) => tf.sub(tf.max(y), tf.min(y)).dataSync()[0]!));
  });
}
