// Multi-node graphs for what single layers cannot show: channels-first values flowing between
// convs and meeting channels-last ones, several inputs and outputs, an output that is an input,
// a fixed batch, and a normalisation axis where TF.js's cpu kernel is not the oracle.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeWeights } from '../../src/engine/export/weights.js';
import { exportOnnx, validateOnnx, type OnnxExport } from '../../src/engine/export/onnx/index.js';
import type { ExportInput } from '../../src/engine/export/types.js';
import { nodeId } from '../../src/engine/ids.js';
import type { Graph } from '../../src/engine/project/types.js';
import { GraphBuilder } from '../../src/engine/templates/builder.js';
import { exportInputFor, onnxChecker, ort, tempDir } from '../helpers/onnx-check.js';

/** Convs leave values channels first; PReLU, Dense and mixed merges want them channels last. */
function mixedLayouts(): Graph {
  const g = new GraphBuilder();
  const img = g.input('image', [8, 8, 3]);
  const c1 = g.layer('c1', 'Conv2D', { filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }, [img]);
  const pr = g.layer('pr', 'PReLU', { sharedAxes: [1, 2] }, [c1]);
  const sum = g.layer('sum', 'Add', {}, [c1, pr]);
  const c2 = g.layer('c2', 'Conv2D', { filters: 4, kernelSize: 3, padding: 'same' }, [sum]);
  const bn = g.layer('bn', 'BatchNormalization', {}, [c2]);
  const act = g.layer('act', 'Activation', { activation: 'softmax' }, [bn]);
  const cropped = g.chain(act, [
    ['pad', 'ZeroPadding2D', { padding: [[1, 0], [2, 1]] }],
    ['crop', 'Cropping2D', { cropping: [[1, 0], [1, 2]] }],
    ['soft_rows', 'Softmax', { axis: 1 }],
  ]);
  const joined = g.layer('joined', 'Concatenate', {}, [cropped, sum]);
  g.chain(joined, [
    ['gmax', 'GlobalMaxPooling2D', {}],
    ['head', 'Dense', { units: 3, activation: 'tanh' }],
  ]);
  g.chain(bn, [
    ['up', 'UpSampling2D', { size: 2, interpolation: 'bilinear' }],
    ['avg', 'AveragePooling2D', { poolSize: 3, strides: 2, padding: 'same' }],
    ['flat', 'Flatten', {}],
  ]);
  return g.build();
}

/** Sequences kept channels first through 1-D convs, pools, a norm, a step-axis join and global pools. */
function sequenceConvs(): Graph {
  const g = new GraphBuilder();
  const x = g.input('signal', [9, 3]);
  const a = g.chain(x, [
    ['conv_a', 'Conv1D', { filters: 4, kernelSize: 3, padding: 'same', activation: 'elu' }],
    ['pool_a', 'MaxPooling1D', { poolSize: 2, padding: 'same' }],
    ['conv_b', 'Conv1D', { filters: 4, kernelSize: 2, padding: 'causal' }],
    ['norm_b', 'BatchNormalization', {}],
  ]);
  const b = g.layer('conv_c', 'Conv1D', { filters: 4, kernelSize: 4, strides: 2 }, [x]);
  const steps = g.layer('steps', 'Concatenate', { axis: 1 }, [a, b]);
  g.layer('mean', 'GlobalAveragePooling1D', {}, [steps]);
  g.layer('peak', 'GlobalMaxPooling1D', {}, [a]);
  return g.build();
}

/** Token ids and a float sequence in; a sequence and a vector out. */
function twoInputs(): Graph {
  const g = new GraphBuilder();
  const ids = g.input('tokens', [6], 'int32');
  const feats = g.input('features', [6, 4]);
  const emb = g.layer('embed', 'Embedding', { inputDim: 17, outputDim: 4 }, [ids]);
  const conv = g.layer('conv', 'Conv1D', { filters: 4, kernelSize: 3, padding: 'causal', activation: 'gelu' }, [emb]);
  const both = g.layer('both', 'Concatenate', {}, [conv, feats]);
  const att = g.layer('att', 'MultiHeadAttention', { numHeads: 2, keyDim: 3, useCausalMask: true }, [conv, both]);
  g.chain(att, [
    ['pool', 'MaxPooling1D', { poolSize: 2 }],
    ['gru', 'GRU', { units: 3, returnSequences: true }],
  ]);
  g.layer('last', 'LSTM', { units: 2 }, [both]);
  return g.build();
}

/** An output that is an Input seen through a Dropout: no op of its own, still named by its node. */
function passThrough(): Graph {
  const g = new GraphBuilder();
  const x = g.input('x', [5]);
  g.layer('same_x', 'Dropout', { rate: 0.5 }, [x]);
  g.layer('doubled', 'Dense', { units: 2 }, [x]);
  return g.build();
}

const GRAPHS = [
  { name: 'mixed layouts', graph: mixedLayouts, batch: 'dynamic' as const },
  { name: 'two inputs, two outputs', graph: twoInputs, batch: 'dynamic' as const },
  { name: 'sequence convs channels first', graph: sequenceConvs, batch: 'dynamic' as const },
  { name: 'output straight from an input', graph: passThrough, batch: 'dynamic' as const },
  { name: 'mixed layouts with a fixed batch of 3', graph: mixedLayouts, batch: 3 },
];

describe('ONNX export of multi-node graphs', () => {
  const built = new Map<string, { input: ExportInput; exported: OnnxExport; path: string }>();
  let checker = new Map<string, string>();

  beforeAll(() => {
    const dir = tempDir();
    GRAPHS.forEach((c, i) => {
      const input = exportInputFor(c.graph());
      const exported = exportOnnx(input, { batch: c.batch });
      const path = join(dir, `graph${i}.onnx`);
      writeFileSync(path, exported.bytes);
      built.set(c.name, { input, exported, path });
    });
    checker = onnxChecker([...built.values()].map((b) => b.path));
  });

  it.each(GRAPHS)('$name: onnxruntime-web matches TF.js within 1e-4 and onnx.checker accepts it', async (c) => {
    const { input, exported, path } = built.get(c.name)!;
    const report = await validateOnnx(input, exported, { ort, samples: 4, repeats: 0, seed: 5 });
    expect(report.runtimes[0]!.error).toBeUndefined();
    expect(report.runtimes[0]!.maxAbsDiff).toBeLessThanOrEqual(1e-4);
    expect(report.passed).toBe(true);
    expect(checker.get(path)).toBe('ok');
  });

  it('names inputs and outputs by node id, in the model order, with TF.js dtypes and a symbolic batch', () => {
    const { exported } = built.get('two inputs, two outputs')!;
    expect(exported.inputs).toEqual([
      { name: 'tokens', nodeId: 'tokens', shape: ['N', 6], dtype: 'int32' },
      { name: 'features', nodeId: 'features', shape: ['N', 6, 4], dtype: 'float32' },
    ]);
    expect(exported.outputs).toEqual([
      { name: 'gru', nodeId: 'gru', shape: ['N', 3, 3], dtype: 'float32' },
      { name: 'last', nodeId: 'last', shape: ['N', 2], dtype: 'float32' },
    ]);
    expect(exported.opset).toBe(17);
  });

  it('a fixed batch is baked into every input and output, and validation rounds samples up to whole batches', async () => {
    const { input, exported } = built.get('mixed layouts with a fixed batch of 3')!;
    expect(exported.inputs.map((io) => io.shape)).toEqual([[3, 8, 8, 3]]);
    expect(exported.outputs.map((io) => io.shape[0])).toEqual([3, 3]);
    const report = await validateOnnx(input, exported, { ort, samples: 4, repeats: 0 });
    expect(report.samples).toBe(6);
    const session = await ort.InferenceSession.create(exported.bytes);
    await expect(session.run({ image: new ort.Tensor('float32', new Float32Array(2 * 192), [2, 8, 8, 3]) })).rejects.toThrow(/dim|shape|dimension/i);
    await session.release();
  });

  it('an output that is an input passes its values through unchanged', async () => {
    const { exported } = built.get('output straight from an input')!;
    const session = await ort.InferenceSession.create(exported.bytes);
    const x = Float32Array.from({ length: 10 }, (_, i) => i - 4.5);
    const out = await session.run({ x: new ort.Tensor('float32', x, [2, 5]) });
    expect([...(out['same_x']!.data as Float32Array)]).toEqual([...x]);
    await session.release();
  });
});

describe('BatchNormalization on a non-last axis', () => {
  // TF.js's own batchNorm kernel gets a non-last axis wrong (the engine moves the axis last to
  // avoid it), so this checks the export against Keras's formula in broadcasting tf ops too.
  it('matches (x − mean) / √(var + ε) · γ + β per step', async () => {
    const g = new GraphBuilder();
    g.layer('bn', 'BatchNormalization', { axis: 1, epsilon: 0.01 }, [g.input('x', [5, 4])]);
    const input = exportInputFor(g.build());
    const [gamma, beta, mean, variance] = nodeWeights(input.model).get(nodeId('bn'))!.map((w) => tf.tensor(w.values, [1, 5, 1]));
    const x = tf.randomNormal([3, 5, 4], 0, 1, 'float32', 9);
    const expected = tf.add(tf.mul(tf.div(tf.sub(x, mean!), tf.sqrt(tf.add(variance!, 0.01))), gamma!), beta!);
    const session = await ort.InferenceSession.create(exportOnnx(input).bytes);
    const out = await session.run({ x: new ort.Tensor('float32', x.dataSync() as Float32Array, [3, 5, 4]) });
    const diff = tf.max(tf.abs(tf.sub(expected, tf.tensor(out['bn']!.data as Float32Array, [3, 5, 4])))).dataSync()[0]!;
    expect(diff).toBeLessThanOrEqual(1e-5);
    await session.release();
  });
});
