// Shared by the ONNX import tests: fixtures, seeded inputs, onnxruntime-web (the oracle), and
// running an imported project in TF.js with its weights, each output brought to our layout.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-web';
import { expect } from 'vitest';
import { compileGraph } from '../../src/engine/compile/compile.js';
import { setNodeWeights } from '../../src/engine/export/weights.js';
import { analyzeGraph } from '../../src/engine/graph/analyze.js';
import type { ImportedTensor, OnnxImport } from '../../src/engine/import/onnx/index.js';
import { parseProject } from '../../src/engine/project/parse.js';
import { rng } from '../../src/engine/random.js';

ort.env.wasm.numThreads = 1;

export const FIXTURES = join(import.meta.dirname, '../fixtures/onnx');
export const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(join(FIXTURES, `${name}.onnx`)));

/** One input in the file's layout: float data, or token ids for an int64 input. */
export interface Feed {
  readonly dims: number[];
  readonly data: Float32Array | Int32Array;
}

/** Seeded data for every input, the batch set to `batch`; ids for int inputs are drawn from [0, maxId). */
export function feeds(imp: OnnxImport, batch: number, seed: number, maxId = 50): Map<string, Feed> {
  const r = rng(seed);
  const out = new Map<string, Feed>();
  for (const io of imp.inputs) {
    const dims = io.onnxShape.map((d) => d ?? batch);
    const n = dims.reduce((a, b) => a * b, 1);
    const int = imp.project.graph.nodes.find((x) => x.id === io.nodeId)!.params['dtype'] === 'int32';
    // Box–Muller: normals make ReLUs, pools and maxima see both signs.
    const data = int ? Int32Array.from({ length: n }, () => Math.floor(r() * maxId)) : Float32Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r()));
    out.set(io.name, { dims, data });
  }
  return out;
}

/** Runs the file in onnxruntime-web (wasm); int inputs are given as int64 (PyTorch's token type). */
export async function runOrt(bytes: Uint8Array, inputs: ReadonlyMap<string, Feed>): Promise<Map<string, { dims: number[]; data: Float32Array }>> {
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
  const ortFeeds: Record<string, ort.Tensor> = {};
  for (const [name, f] of inputs)
    ortFeeds[name] = f.data instanceof Int32Array ? new ort.Tensor('int64', BigInt64Array.from(f.data, (v) => BigInt(v)), f.dims) : new ort.Tensor('float32', f.data, f.dims);
  const result = await session.run(ortFeeds);
  await session.release();
  return new Map(Object.entries(result).map(([k, v]) => [k, { dims: [...v.dims].map(Number), data: v.data as Float32Array }]));
}

/**
 * Our layout of a tensor given in the file's layout, written independently of the importer:
 * our axis k holds the file's axis axes[k] (−1: an added size-1 axis); other file axes are size 1.
 */
export function toOurLayout(data: ArrayLike<number>, dims: readonly number[], axes: readonly number[]): number[] {
  const ours = axes.map((a) => (a === -1 ? 1 : dims[a]!));
  const stride = dims.map((_, i) => dims.slice(i + 1).reduce((a, b) => a * b, 1));
  const out: number[] = [];
  const total = ours.reduce((a, b) => a * b, 1);
  for (let o = 0; o < total; o++) {
    let rest = o;
    let src = 0;
    for (let k = ours.length - 1; k >= 0; k--) {
      const i = rest % ours[k]!;
      rest = Math.floor(rest / ours[k]!);
      if (axes[k]! >= 0) src += i * stride[axes[k]!]!;
    }
    out.push(data[src]!);
  }
  return out;
}

/** Compiles the imported project (after a JSON round trip through parseProject), loads its weights and runs it. */
export function runImported(imp: OnnxImport, inputs: ReadonlyMap<string, Feed>, batch: number): Map<string, number[]> {
  const parsed = parseProject(JSON.parse(JSON.stringify(imp.project)));
  expect(parsed.ok, parsed.ok ? '' : JSON.stringify(parsed.error)).toBe(true);
  if (!parsed.ok) throw new Error('unreachable');
  const analysis = analyzeGraph(parsed.project.graph);
  expect(analysis.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const { model, inputs: order, outputs } = compileGraph(analysis, { seed: 3 });
  setNodeWeights(tf, model, imp.weights);
  const byNode = new Map(imp.inputs.map((io) => [io.nodeId, io]));
  const xs = order.map((id) => {
    const io = byNode.get(id)!;
    const f = inputs.get(io.name)!;
    const values = toOurLayout(f.data, f.dims, io.axes);
    return tf.tensor(values, [batch, ...io.shape], f.data instanceof Int32Array ? 'int32' : 'float32');
  });
  const ys = model.predict(xs.length === 1 ? xs[0]! : xs) as tf.Tensor | tf.Tensor[];
  const list = Array.isArray(ys) ? ys : [ys];
  const out = new Map(outputs.map((id, i) => [imp.outputs.find((o) => o.nodeId === id)?.name ?? id, [...list[i]!.dataSync()]]));
  tf.dispose([...xs, ...list]);
  model.dispose();
  return out;
}

/** Largest |TF.js − onnxruntime| over every output, each ORT output brought to our layout. */
export function maxDiff(imp: OnnxImport, ours: ReadonlyMap<string, number[]>, theirs: ReadonlyMap<string, { dims: number[]; data: Float32Array }>): number {
  let worst = 0;
  for (const o of imp.outputs) {
    const t = theirs.get(o.name)!;
    const expected = toOurLayout(t.data, t.dims, o.axes);
    const got = ours.get(o.name)!;
    expect(got.length, `output ${o.name}`).toBe(expected.length);
    got.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - expected[i]!))));
  }
  return worst;
}

/** Range of values in an ORT output: a comparison means little if everything is ~0. */
export const spread = (t: { data: Float32Array }): number => Math.max(...t.data) - Math.min(...t.data);

export type { ImportedTensor };
