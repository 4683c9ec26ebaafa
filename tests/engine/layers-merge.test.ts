// Merge layers against the TF.js oracle, Subtract's numerics and serialisation, and the
// mismatch diagnostics that name the producing node and what to change on it.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../../src/engine/compile/compile.js';
import { registerCustomLayers } from '../../src/engine/compile/custom/index.js';
import { analyzeGraph } from '../../src/engine/graph/analyze.js';
import { nodeId } from '../../src/engine/ids.js';
import { mergeLayers } from '../../src/engine/layers/merge.js';
import type { InferResult, InputInfo } from '../../src/engine/layers/spec.js';
import type { Graph } from '../../src/engine/project/types.js';
import type { Shape } from '../../src/engine/tensor.js';
import { checkAgainstTfjs, diagnosticsFor, LAYER, singleLayerGraph, type OracleCase } from '../helpers/oracle.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const same = (shape: number[], n: number) => Array.from({ length: n }, () => ({ shape }));

const cases: OracleCase[] = [
  ...(['Add', 'Multiply', 'Average', 'Maximum'] as const).flatMap((kind) => [
    { kind, params: {}, inputs: same([4], 2) },
    { kind, params: {}, inputs: same([3, 4], 3) },
    { kind, params: {}, inputs: same([5, 5, 2], 4) },
  ]),
  { kind: 'Subtract', params: {}, inputs: same([5], 2) },
  { kind: 'Subtract', params: {}, inputs: same([2, 3, 4], 2) },
  { kind: 'Subtract', params: {}, inputs: same([6, 6, 3], 2) },
  { kind: 'Concatenate', params: {}, inputs: [{ shape: [3] }, { shape: [5] }] },
  { kind: 'Concatenate', params: { axis: 1 }, inputs: [{ shape: [2, 4] }, { shape: [3, 4] }, { shape: [1, 4] }] },
  { kind: 'Concatenate', params: { axis: -2 }, inputs: [{ shape: [2, 3, 4] }, { shape: [2, 5, 4] }] },
  { kind: 'Concatenate', params: { axis: -1 }, inputs: [{ shape: [4, 4, 8] }, { shape: [4, 4, 2] }] },
];

describe('merge layers match TF.js', () => {
  for (const c of cases) it(`${c.kind} ${JSON.stringify(c.params)} on ${JSON.stringify(c.inputs.map((i) => i.shape))}`, () => void checkAgainstTfjs(c));
});

function compiled(c: OracleCase): tf.LayersModel {
  return compileGraph(analyzeGraph(singleLayerGraph(c)), { seed: 1 }).model;
}

async function roundTrip(model: tf.LayersModel): Promise<tf.LayersModel> {
  registerCustomLayers();
  let saved: tf.io.ModelArtifacts | null = null;
  await model.save(tf.io.withSaveHandler(async (a) => ((saved = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
  return tf.loadLayersModel(tf.io.fromMemory(saved!));
}

describe('Subtract and Concatenate numerics', () => {
  const a = () => tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
  const b = () => tf.tensor2d([[10, 20, 30], [0.5, 0.25, -1]]);

  it('Subtract is input 1 minus input 2 (port order)', () => {
    const y = compiled({ kind: 'Subtract', params: {}, inputs: same([3], 2) }).predict([a(), b()]) as tf.Tensor;
    const want = tf.sub(a(), b());
    expect(tf.max(tf.abs(tf.sub(y, want))).dataSync()[0]).toBeLessThan(1e-6);
    expect([...y.dataSync()]).toEqual([-9, -18, -27, 3.5, 4.75, 7]);
  });

  it('Subtract passes a gradient of +1 to input 1 and −1 to input 2', () => {
    const model = compiled({ kind: 'Subtract', params: {}, inputs: same([3], 2) });
    const [ga, gb] = tf.grads((x: tf.Tensor, z: tf.Tensor) => tf.sum(model.apply([x, z]) as tf.Tensor))([a(), b()]);
    expect([...ga!.dataSync()]).toEqual([1, 1, 1, 1, 1, 1]);
    expect([...gb!.dataSync()]).toEqual([-1, -1, -1, -1, -1, -1]);
  });

  it('Subtract survives save and tf.loadLayersModel', async () => {
    const model = compiled({ kind: 'Subtract', params: {}, inputs: same([3], 2) });
    const loaded = await roundTrip(model);
    expect(loaded.layers.map((l) => l.getClassName())).toContain('NFSubtract');
    expect([...(loaded.predict([a(), b()]) as tf.Tensor).dataSync()]).toEqual([-9, -18, -27, 3.5, 4.75, 7]);
  });

  it('Concatenate keeps port order', () => {
    const y = compiled({ kind: 'Concatenate', params: {}, inputs: [{ shape: [3] }, { shape: [3] }] }).predict([a(), b()]) as tf.Tensor;
    expect(y.arraySync()).toEqual([[1, 2, 3, 10, 20, 30], [4, 5, 6, 0.5, 0.25, -1]]);
  });

  it('Concatenate on a negative axis other than -1 joins where tf.concat does', () => {
    const x1 = tf.randomNormal([2, 2, 3, 4], 0, 1, 'float32', 1);
    const x2 = tf.randomNormal([2, 2, 5, 4], 0, 1, 'float32', 2);
    const y = compiled({ kind: 'Concatenate', params: { axis: -2 }, inputs: [{ shape: [2, 3, 4] }, { shape: [2, 5, 4] }] }).predict([x1, x2]) as tf.Tensor;
    expect(y.arraySync()).toEqual(tf.concat([x1, x2], 2).arraySync());
  });
});

/** An InputInfo as the analysis builds it, from a producer we describe by hand. */
const from = (shape: Shape, kind: string, id: string, params: Record<string, unknown> = {}): InputInfo => ({
  shape,
  dtype: 'float32',
  source: { id: nodeId(id), kind, params },
});
const failure = (r: InferResult) => {
  if (r.ok) throw new Error(`expected a diagnostic, got ${JSON.stringify(r.out)}`);
  return r;
};

describe('merge diagnostics name the producer and the fix', () => {
  const c1 = from([null, 28, 28, 10], 'Conv2D', 'c1', { filters: 10, kernelSize: [3, 3], padding: 'same' });
  const c2 = from([null, 26, 26, 8], 'Conv2D', 'c2', { filters: 8, kernelSize: [3, 3], padding: 'valid' });

  it('the golden Add example, from the spec', () => {
    const r = failure(mergeLayers.Add.infer({}, [c1, c2]));
    expect(r).toEqual({
      ok: false,
      code: 'shape-mismatch',
      message: 'Add: input 2 is [null,26,26,8] but input 1 is [null,28,28,10]',
      suggestion: `Give the Conv2D "c2" 10 filters and padding 'same', or insert a Reshape.`,
    });
  });

  it('the golden Add example, through a real Conv2D graph', () => {
    const graph: Graph = {
      nodes: [
        { id: nodeId('in'), kind: 'Input', params: { shape: [28, 28, 1] } },
        { id: nodeId('c1'), kind: 'Conv2D', params: { filters: 10, kernelSize: 3, padding: 'same' } },
        { id: nodeId('c2'), kind: 'Conv2D', params: { filters: 8, kernelSize: 3, padding: 'valid' } },
        { id: nodeId('sum'), kind: 'Add', params: {} },
      ],
      edges: [
        { source: nodeId('in'), target: nodeId('c1'), targetInput: 0 },
        { source: nodeId('in'), target: nodeId('c2'), targetInput: 0 },
        { source: nodeId('c1'), target: nodeId('sum'), targetInput: 0 },
        { source: nodeId('c2'), target: nodeId('sum'), targetInput: 1 },
      ],
    };
    expect(analyzeGraph(graph).diagnostics).toEqual([
      {
        code: 'shape-mismatch',
        severity: 'error',
        nodeId: 'sum',
        message: 'Add: input 2 is [null,26,26,8] but input 1 is [null,28,28,10]',
        suggestion: `Give the Conv2D "c2" 10 filters and padding 'same', or insert a Reshape.`,
      },
    ]);
  });

  it('only the channels differ: filters alone', () => {
    const c3 = from([null, 28, 28, 4], 'Conv2D', 'c3', { filters: 4, padding: 'same' });
    expect(failure(mergeLayers.Maximum.infer({}, [c1, c3])).suggestion).toBe(`Give the Conv2D "c3" 10 filters, or insert a Reshape.`);
  });

  it('only the spatial size differs: padding alone', () => {
    const c4 = from([null, 26, 26, 10], 'Conv2D', 'c4', { filters: 10, padding: 'valid' });
    expect(failure(mergeLayers.Multiply.infer({}, [c1, c4])).suggestion).toBe(`Give the Conv2D "c4" padding 'same', or insert a Reshape.`);
  });

  it('a Dense producer is told its units, through the analysis', () => {
    const graph: Graph = {
      nodes: [
        { id: nodeId('x'), kind: 'Input', params: { shape: [4] } },
        { id: nodeId('d1'), kind: 'Dense', params: { units: 10 } },
        { id: nodeId('d2'), kind: 'Dense', params: { units: 8 } },
        { id: nodeId('avg'), kind: 'Average', params: {} },
      ],
      edges: [
        { source: nodeId('x'), target: nodeId('d1'), targetInput: 0 },
        { source: nodeId('x'), target: nodeId('d2'), targetInput: 0 },
        { source: nodeId('d1'), target: nodeId('avg'), targetInput: 0 },
        { source: nodeId('d2'), target: nodeId('avg'), targetInput: 1 },
      ],
    };
    expect(analyzeGraph(graph).diagnostics).toEqual([
      { code: 'shape-mismatch', severity: 'error', nodeId: 'avg', message: 'Average: input 2 is [null,8] but input 1 is [null,10]', suggestion: 'Give the Dense "d2" 10 units, or insert a Reshape.' },
    ]);
  });

  it('a producer with no param to change is asked for the shape', () => {
    const [d] = diagnosticsFor({ kind: 'Subtract', params: {}, inputs: [{ shape: [4, 4] }, { shape: [4, 5] }] });
    expect(d).toMatchObject({ code: 'shape-mismatch', message: 'Subtract: input 2 is [null,4,5] but input 1 is [null,4,4]', suggestion: 'Make the Input "in1" give [null,4,4], or insert a Reshape.' });
  });

  it('a rank mismatch into a flat merge suggests Flatten', () => {
    const [d] = diagnosticsFor({ kind: 'Add', params: {}, inputs: [{ shape: [16] }, { shape: [4, 4] }] });
    expect(d).toMatchObject({ code: 'rank-mismatch', message: 'Add: input 2 is [null,4,4] but input 1 is [null,16]', suggestion: 'Insert a Flatten or a Reshape after the Input "in1" so that it gives [null,16].' });
  });

  it('Concatenate names the axis that may differ and ignores it in the fix', () => {
    const r = failure(mergeLayers.Concatenate.infer({ axis: -1 }, [c1, c2]));
    expect(r.message).toBe('Concatenate: input 2 is [null,26,26,8] but input 1 is [null,28,28,10]; only axis -1 may differ');
    expect(r.suggestion).toBe(`Give the Conv2D "c2" padding 'same', or insert a Reshape.`);
  });

  it('Concatenate along the batch axis is refused', () => {
    const [d] = diagnosticsFor({ kind: 'Concatenate', params: { axis: 0 }, inputs: same([3], 2) });
    expect(d).toMatchObject({ code: 'invalid-shape', message: 'Concatenate: cannot join along the batch axis', suggestion: 'Use an axis from 1 to 1, or -1 for the last.' });
  });

  it('Subtract takes exactly two inputs', () => {
    const [d] = diagnosticsFor({ kind: 'Subtract', params: {}, inputs: same([3], 3) });
    expect(d).toMatchObject({ code: 'surplus-input', message: 'Subtract takes at most 2 inputs, but input 3 is connected to "in2"' });
  });

  it('int32 and float32 cannot be merged', () => {
    const [d] = diagnosticsFor({ kind: 'Concatenate', params: {}, inputs: [{ shape: [3] }, { shape: [3], dtype: 'int32' }] });
    expect(d).toMatchObject({ code: 'dtype-mismatch', message: 'Concatenate: input 2 is int32 but input 1 is float32' });
  });

  it('unknown dims are compatible for element-wise merges, and stay unknown as in TF.js', () => {
    const r = mergeLayers.Add.infer({}, [from([null, 5, 3], 'Input', 'a'), from([null, null, 3], 'Input', 'b')]);
    expect(r).toEqual({ ok: true, out: { shape: [null, null, 3], dtype: 'float32' } });
  });

  it('FLOPs: (inputs − 1) per output element, +1 for Average, 0 for Concatenate', () => {
    const flops = (kind: string, n: number) => analyzeGraph(singleLayerGraph({ kind, params: {}, inputs: same([4, 5], n) })).nodes.get(LAYER)!.flops;
    expect([flops('Add', 2), flops('Add', 3), flops('Maximum', 4), flops('Subtract', 2), flops('Average', 3), flops('Concatenate', 3)]).toEqual([20, 40, 60, 20, 60, 0]);
  });
});
