// TF.js import: our exports come back as the same kinds and predict the same after compile +
// setNodeWeights (every template and layer case); so do the legacy files `train --out` writes
// and models that plain TF.js builds and saves itself. TF.js itself is the oracle throughout.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { compileGraph } from '../../src/engine/compile/compile.js';
import { exportTfjs } from '../../src/engine/export/tfjs/index.js';
import { toTfjsFiles } from '../../src/engine/export/tfjs-format.js';
import { setNodeWeights } from '../../src/engine/export/weights.js';
import { analyzeGraph } from '../../src/engine/graph/analyze.js';
import { importTfjs, TfjsImportError, type TfjsImport } from '../../src/engine/import/tfjs.js';
import { parseProject } from '../../src/engine/project/parse.js';
import { findTemplate } from '../../src/engine/templates/index.js';
import { allProjects, compileProject, maxAbsDiff, predict, sampleInputs } from './tfjs-cases.js';

const text = (b: Uint8Array) => new TextDecoder().decode(b);

/** Compiles the imported project with another seed, loads the imported weights, predicts. */
function rebuild(imported: TfjsImport): tf.LayersModel {
  expect(imported.unmapped).toEqual([]);
  const parsed = parseProject(JSON.parse(JSON.stringify(imported.project)));
  expect(parsed.ok, JSON.stringify(parsed)).toBe(true);
  const analysis = analyzeGraph(imported.project.graph);
  expect(analysis.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const { model } = compileGraph(analysis, { seed: 99 });
  setNodeWeights(tf, model, imported.weights);
  return model;
}

/** What a saved TF.js model hands over: model.json text and the weight bytes. */
async function saveWithTfjs(model: tf.LayersModel): Promise<{ json: string; weights: Uint8Array }> {
  let art: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (a) => ((art = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
  const json = JSON.stringify({ format: 'layers-model', modelTopology: art!.modelTopology, weightsManifest: [{ paths: ['w.bin'], weights: art!.weightSpecs }] });
  return { json, weights: new Uint8Array(tf.io.CompositeArrayBuffer.join(art!.weightData!)) };
}

const kindsOf = (imported: TfjsImport) => imported.project.graph.nodes.map((n) => n.kind);

describe('TF.js import of our own exports', () => {
  it.each(allProjects())('$name round-trips: same predictions after import, compile and setNodeWeights', ({ project }) => {
    const input = compileProject(project);
    const files = exportTfjs(input);
    const json = text(files.find((f) => f.path === 'model.json')!.bytes);
    const imported = importTfjs(json, files.filter((f) => f.path.endsWith('.bin')).map((f) => f.bytes));
    const model = rebuild(imported);
    const samples = sampleInputs(input.model);
    expect(maxAbsDiff(predict(model, samples), predict(input.model, samples))).toBeLessThan(1e-5);
    // Every node comes back, with the same id.
    expect(imported.project.graph.nodes.map((n) => n.id).sort()).toEqual(project.graph.nodes.map((n) => n.id).sort());
    model.dispose();
    input.model.dispose();
  });

  it('folds helper layers back into the kinds that made them', () => {
    const kind = (name: string) => {
      const p = allProjects().find((c) => c.name.startsWith(name))!.project;
      const files = exportTfjs(compileProject(p));
      const imported = importTfjs(text(files[0]!.bytes), files.filter((f) => f.path.endsWith('.bin')).map((f) => f.bytes));
      return imported.project.graph.nodes.find((n) => n.id === 'L')!;
    };
    expect(kind('ELU#0')).toMatchObject({ kind: 'ELU', params: { alpha: 0.7 } });
    expect(kind('Softmax#1')).toMatchObject({ kind: 'Softmax', params: { axis: 1 } });
    expect(kind('BatchNormalization#2')).toMatchObject({ kind: 'BatchNormalization', params: { axis: 1 } });
    expect(kind('Conv1D#1')).toMatchObject({ kind: 'Conv1D', params: { padding: 'causal', dilationRate: [2] } });
    expect(kind('Subtract#0')).toMatchObject({ kind: 'Subtract' });
    expect(kind('SpatialDropout2D#0')).toMatchObject({ kind: 'SpatialDropout2D', params: { rate: 0.3 } });
    expect(kind('GRU#1')).toMatchObject({ kind: 'GRU', params: { bidirectional: true, mergeMode: 'ave', returnSequences: true } });
    expect(kind('MultiHeadAttention#1')).toMatchObject({ kind: 'MultiHeadAttention', params: { valueDim: 5, outputShape: 7, useCausalMask: true } });
    expect(kind('GELU#1')).toMatchObject({ kind: 'GELU', params: { approximate: true } });
  });
});

describe('TF.js import of other writers', () => {
  it('reads the legacy files `train --out` writes (our NF classes in model.json)', async () => {
    const input = compileProject(findTemplate('lstm-text')!.project());
    const { modelJson, weights } = await toTfjsFiles(input.model);
    const imported = importTfjs(modelJson, [weights]);
    expect(kindsOf(imported)).toEqual(input.project.graph.nodes.map((n) => n.kind));
    const samples = sampleInputs(input.model);
    expect(maxAbsDiff(predict(rebuild(imported), samples), predict(input.model, samples))).toBeLessThan(1e-5);
  });

  it('reads a Sequential model built and saved by plain TF.js', async () => {
    const m = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [8, 8, 2], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }),
        tf.layers.batchNormalization({}),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.separableConv2d({ filters: 3, kernelSize: 3, activation: 'elu' }),
        tf.layers.flatten(),
        tf.layers.dropout({ rate: 0.2 }),
        tf.layers.dense({ units: 5, activation: 'hardSigmoid' }),
        tf.layers.leakyReLU({ alpha: 0.2 }),
        tf.layers.dense({ units: 3, activation: 'softmax' }),
      ],
    });
    // Non-trivial moving statistics, so BatchNormalization's inference path is really compared.
    const bn = m.layers[1]!;
    bn.setWeights(bn.getWeights().map((w, i) => tf.randomUniform(w.shape, i === 3 ? 0.5 : -1, 2, 'float32', i)));
    const { json, weights } = await saveWithTfjs(m);
    const imported = importTfjs(json, [weights], { name: 'plain' });
    expect(kindsOf(imported)).toEqual(['Input', 'Conv2D', 'BatchNormalization', 'MaxPooling2D', 'SeparableConv2D', 'Flatten', 'Dropout', 'Dense', 'LeakyReLU', 'Dense']);
    expect(imported.project.name).toBe('plain');
    const x = [{ shape: [3, 8, 8, 2], dtype: 'float32' as const, data: Array.from({ length: 384 }, (_, i) => Math.sin(i)) }];
    expect(maxAbsDiff(predict(rebuild(imported), x), predict(m, x))).toBeLessThan(1e-5);
  });

  it('reads a functional model with two inputs, a bidirectional LSTM and a concatenation', async () => {
    const a = tf.input({ shape: [5, 3], name: 'seq' });
    const b = tf.input({ shape: [4], name: 'side' });
    const h = tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 3 }) as never, mergeMode: 'concat' }).apply(a) as tf.SymbolicTensor;
    const j = tf.layers.concatenate().apply([h, b]) as tf.SymbolicTensor;
    const y = tf.layers.dense({ units: 2 }).apply(j) as tf.SymbolicTensor;
    const m = tf.model({ inputs: [a, b], outputs: y });
    const { json, weights } = await saveWithTfjs(m);
    const imported = importTfjs(json, [weights]);
    expect(kindsOf(imported)).toEqual(['Input', 'Input', 'LSTM', 'Concatenate', 'Dense']);
    const xs = [
      { shape: [2, 5, 3], dtype: 'float32' as const, data: Array.from({ length: 30 }, (_, i) => Math.cos(i)) },
      { shape: [2, 4], dtype: 'float32' as const, data: Array.from({ length: 8 }, (_, i) => i / 8) },
    ];
    expect(maxAbsDiff(predict(rebuild(imported), xs), predict(m, xs))).toBeLessThan(1e-5);
  });

  it('lists layers it cannot express as unmapped, keeping them in the graph as unknown kinds', async () => {
    const x = tf.input({ shape: [4] });
    const d1 = tf.layers.dense({ units: 4 }).apply(x) as tf.SymbolicTensor;
    const d2 = tf.layers.dense({ units: 4, activation: 'relu' }).apply(x) as tf.SymbolicTensor;
    const mn = tf.layers.minimum({ name: 'mn' }).apply([d1, d2]) as tf.SymbolicTensor;
    const out = tf.layers.thresholdedReLU({ name: 'thr', theta: 0.5 }).apply(mn) as tf.SymbolicTensor;
    const { json, weights } = await saveWithTfjs(tf.model({ inputs: x, outputs: out }));
    const imported = importTfjs(json, [weights]);
    expect(imported.unmapped).toEqual([
      { op: 'Minimum', count: 1, nodes: ['mn (no NeuralForge layer for Minimum)'] },
      { op: 'ThresholdedReLU', count: 1, nodes: ['thr (no NeuralForge layer for ThresholdedReLU)'] },
    ]);
    expect(imported.project.graph.nodes.find((n) => n.id === 'mn')!.kind).toBe('keras:Minimum');
    expect(imported.project.graph.edges.filter((e) => e.target === 'mn')).toHaveLength(2);
    expect(parseProject(imported.project).ok).toBe(true);
  });

  it('refuses a config it cannot express exactly, saying which field', async () => {
    const m = tf.sequential({ layers: [tf.layers.gru({ inputShape: [3, 2], units: 2, goBackwards: true })] });
    const { json, weights } = await saveWithTfjs(m);
    expect(importTfjs(json, [weights]).unmapped).toEqual([{ op: 'GRU', count: 1, nodes: [expect.stringMatching(/go_backwards true is not supported/)] }]);
  });
});

describe('TF.js import errors', () => {
  const errorOf = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(TfjsImportError);
      return { code: (e as TfjsImportError).code, message: (e as Error).message };
    }
    throw new Error('did not throw');
  };

  it('says what is wrong with a file that is not a layers model', () => {
    expect(errorOf(() => importTfjs('{"nope":', []))).toMatchObject({ code: 'invalid-model', message: expect.stringMatching(/not valid JSON/) });
    expect(errorOf(() => importTfjs('{"format":"graph-model","modelTopology":{}}', []))).toMatchObject({ message: expect.stringMatching(/graph models .* cannot be imported/) });
    expect(errorOf(() => importTfjs('{"modelTopology":{"class_name":"Model","config":{"layers":[{"class_name":"Dense"}]}}}', []))).toMatchObject({
      message: 'model.json modelTopology.config.layers[0]: needs class_name and config',
    });
  });

  it('names the weight whose bytes are missing, and counts surplus bytes', async () => {
    const { json, weights } = await saveWithTfjs(tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 2, name: 'd' })] }));
    expect(errorOf(() => importTfjs(json, [weights.slice(0, 28)]))).toMatchObject({ code: 'weights-mismatch', message: expect.stringMatching(/weight "d\/bias" \[2\] needs bytes 24…32, but the shards hold only 28/) });
    expect(errorOf(() => importTfjs(json, [new Uint8Array([...weights, 0, 0, 0, 0])]))).toMatchObject({ message: expect.stringMatching(/4 bytes beyond the last weight/) });
    expect(errorOf(() => importTfjs(json, []))).toMatchObject({ message: 'the manifest lists 1 weight file(s) but 0 were given' });
  });
});
