// Keras export. TensorFlow cannot be installed here, so model.py is checked for real in what
// can be: Python compiles it, every name it uses is defined, build_model() makes one layer per
// node with the node's name, Keras class, inputs (in port order) and output shape, and
// weights.npz holds each TF.js weight in Keras's shape and layer order. train_tfjs.mjs runs in
// Node on a model saved by toTfjsFiles: the loss goes down, and with full batches it ends on the
// same weights as NeuralForge's own trainer.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../../src/engine/compile/compile.js';
import { exportKeras } from '../../src/engine/export/keras/index.js';
import { fromTfjsFiles, toTfjsFiles } from '../../src/engine/export/tfjs-format.js';
import { analyzeGraph, type Analysis } from '../../src/engine/graph/analyze.js';
import type { NodeId } from '../../src/engine/ids.js';
import type { Graph, TrainingConfig } from '../../src/engine/project/types.js';
import { formatShape } from '../../src/engine/tensor.js';
import { GraphBuilder, project } from '../../src/engine/templates/builder.js';
import { TEMPLATES } from '../../src/engine/templates/index.js';
import { resolveTrainingConfig } from '../../src/engine/train/config.js';
import { trainModel } from '../../src/engine/train/trainer.js';
import { rng } from '../../src/engine/random.js';
import { allLayerCases } from '../helpers/layer-cases.js';
import { singleLayerGraph } from '../helpers/oracle.js';
import { runPython } from '../helpers/python.js';

const INSPECT = join(import.meta.dirname, '../fixtures/export/inspect_keras.py');

interface Inspected {
  readonly layers: { var: string; constructor: string; name: string | null; inputs: string[]; comment: string | null }[];
  readonly returned: { inputs: string[]; outputs: string[] };
  readonly undefined: string[];
  readonly unused: string[];
  readonly weights: [string, number[]][];
  readonly error?: string;
}

/** The Keras class a node must be built with: its kind (NeuralForge names kinds after Keras classes) except where Keras spells it otherwise. */
function kerasClass(kind: string, params: Readonly<Record<string, unknown>>): string {
  switch (kind) {
    case 'Input': return 'keras.Input';
    case 'Sigmoid': case 'Tanh': case 'SiLU': case 'GELU': return 'layers.Activation';
    case 'UpSampling2D': return params['interpolation'] === 'bilinear' ? 'BilinearUpSampling2D' : 'layers.UpSampling2D';
    case 'PositionalEmbedding': case 'TransformerEncoder': return kind; // defined in model.py
    case 'SimpleRNN': case 'LSTM': case 'GRU': return params['bidirectional'] ? 'layers.Bidirectional' : `layers.${kind}`;
    default: return `layers.${kind}`;
  }
}

const shapeComment = (shape: readonly (number | null)[]) => formatShape(shape).replace('[null', '(B').replace(/]$/, ')').replace(/,/g, ', ');

/** The Keras shape of a TF.js weight: MultiHeadAttention's projections unflattened to (D, H, K). */
function kerasShape(analysis: Analysis, node: NodeId, path: string, shape: number[]): number[] {
  if (analysis.structure.byId.get(node)!.kind !== 'MultiHeadAttention') return shape;
  const p = analysis.nodes.get(node)!.params as { numHeads: number; keyDim: number; valueDim: number | null };
  const [projection, name] = path.split('/');
  const depth = projection === 'value' ? (p.valueDim ?? p.keyDim) : p.keyDim;
  if (projection === 'output') return name === 'kernel' ? [p.numHeads, p.valueDim ?? p.keyDim, shape[1]!] : shape;
  return name === 'kernel' ? [shape[0]!, p.numHeads, depth] : [p.numHeads, depth];
}

describe('Keras model.py and weights.npz', () => {
  const root = mkdtempSync(join(tmpdir(), 'nf-keras-'));
  const cases: { name: string; graph: Graph; training?: TrainingConfig }[] = [
    ...allLayerCases().map((c) => ({ name: c.name, graph: singleLayerGraph(c) })),
    ...TEMPLATES.map((t) => ({ name: `template ${t.id}`, graph: t.project().graph, training: t.project().training })),
  ];
  const built = new Map<string, { dir: string; analysis: Analysis; model: tf.LayersModel }>();
  let results: Record<string, Inspected> = {};

  beforeAll(() => {
    cases.forEach((c, i) => {
      const dir = join(root, `case${i}`);
      const analysis = analyzeGraph(c.graph);
      const { model } = compileGraph(analysis, { seed: 1 });
      mkdirSync(dir);
      for (const f of exportKeras({ project: project('Case', '', c.graph, c.training ?? { loss: 'meanSquaredError' }), analysis, model })) writeFileSync(join(dir, f.path), f.bytes);
      built.set(c.name, { dir, analysis, model });
    });
    const r = runPython(readFileSync(INSPECT, 'utf8'), [...built.values()].map((b) => b.dir));
    if (r.code !== 0) throw new Error(`inspect_keras.py failed: ${r.stderr}`);
    results = JSON.parse(r.stdout) as Record<string, Inspected>;
  }, 300_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it.each(cases.map((c) => c.name))('%s: one Keras layer per node, wired and shaped like the graph', (name) => {
    const { dir, analysis } = built.get(name)!;
    const r = results[dir]!;
    if (r.error) expect.fail(r.error);
    expect(r.undefined, 'names used but never defined').toEqual([]);
    const s = analysis.structure;
    expect(r.layers.map((l) => l.var)).toEqual(s.order); // node ids here are valid Python names
    for (const [i, id] of s.order.entries()) {
      const layer = r.layers[i]!;
      const node = analysis.nodes.get(id)!;
      expect(layer.name, id).toBe(id);
      expect(layer.constructor, id).toBe(kerasClass(node.kind, node.params!));
      expect(layer.inputs, id).toEqual(s.incoming.get(id)!.map((e) => e!.source));
      expect(layer.comment, id).toBe(shapeComment(node.output!.shape));
    }
    expect(r.returned).toEqual({ inputs: [...analysis.inputs], outputs: [...analysis.outputs] });
    expect(r.unused, 'helpers defined but never used').toEqual([]);
  });

  it.each(cases.map((c) => c.name))('%s: weights.npz holds every TF.js weight, in Keras shapes and order', (name) => {
    const { dir, analysis, model } = built.get(name)!;
    const expected = model.layers.flatMap((layer) =>
      layer.weights.map((w): [string, number[]] => {
        const node = layer.name.split('__')[0]! as NodeId;
        const path = w.originalName.slice(w.originalName.indexOf('/') + 1);
        return [`${node}/${path}`, kerasShape(analysis, node, path, w.shape as number[])];
      }),
    );
    expect(results[dir]!.weights).toEqual(expected);
  });
});

/** Two blobs in the plane, labelled 0 and 1. */
function blobs(n: number): { x: number[][]; y: number[] } {
  const r = rng(4);
  const x = Array.from({ length: n }, (_, i) => [(i % 2 ? 1 : -1) + r() - 0.5, (i % 2 ? -1 : 1) + r() - 0.5]);
  return { x, y: x.map((_, i) => i % 2) };
}

describe('train_tfjs.mjs', () => {
  // Under the repository so that '@tensorflow/tfjs' resolves from node_modules.
  const root = join(import.meta.dirname, '../.tmp', `keras-train-${process.pid}`);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  /** Exports the MLP with `training`, saves it with toTfjsFiles, and runs the script on the blobs. */
  async function run(name: string, training: TrainingConfig, samples: number) {
    const dir = join(root, name);
    mkdirSync(dir, { recursive: true });
    const g = new GraphBuilder();
    g.chain(g.input('point', [2]), [['hidden', 'Dense', { units: 6, activation: 'tanh' }], ['class', 'Dense', { units: 2, activation: 'softmax' }]]);
    const graph = g.build();
    const analysis = analyzeGraph(graph);
    const { model } = compileGraph(analysis, { seed: 1 });
    const files = exportKeras({ project: project('Blobs', '', graph, training), analysis, model });
    writeFileSync(join(dir, 'train_tfjs.mjs'), files.find((f) => f.path === 'train_tfjs.mjs')!.bytes);
    const saved = await toTfjsFiles(model);
    writeFileSync(join(dir, 'model.json'), saved.modelJson);
    writeFileSync(join(dir, 'weights.bin'), saved.weights);
    const data = blobs(samples);
    writeFileSync(join(dir, 'data.json'), JSON.stringify({ x_train: data.x, y_train: data.y, x_test: data.x.slice(0, 8), y_test: data.y.slice(0, 8) }));
    const r = spawnSync('node', ['train_tfjs.mjs', '--model', 'model.json', '--data', 'data.json', '--out', 'trained'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const epochs = [...r.stdout.matchAll(/^epoch (\d+)\/(\d+)  loss (\S+)(.*)$/gm)].map((m) => ({ epoch: Number(m[1]), loss: Number(m[3]), rest: m[4]! }));
    const trained = await fromTfjsFiles({ modelJson: readFileSync(join(dir, 'trained/model.json'), 'utf8'), weights: readFileSync(join(dir, 'trained/weights.bin')) });
    return { stdout: r.stdout, epochs, model, trained, data };
  }

  it('trains with validation, accumulation, momentum and a step schedule: the loss goes down and the model saves', async () => {
    const { stdout, epochs, trained } = await run('sgd', {
      optimizer: { name: 'sgd', learningRate: 0.2, momentum: 0.9, nesterov: true }, loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'],
      batchSize: 8, accumulationSteps: 2, epochs: 6, validationSplit: 0.25, schedule: { name: 'step', stepSize: 3, gamma: 0.5 },
    }, 64);
    expect(epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(epochs[0]!.rest).toMatch(/^  accuracy \d\.\d{4}  valLoss \d+\.\d{4}  valAccuracy \d\.\d{4}$/);
    expect(epochs.every((e) => Number.isFinite(e.loss))).toBe(true);
    expect(epochs.at(-1)!.loss).toBeLessThan(epochs[0]!.loss);
    expect(stdout).toMatch(/^test  loss \d+\.\d{4}  accuracy \d\.\d{4}$/m);
    expect(trained.predict(tf.zeros([1, 2])) as tf.Tensor).toBeDefined();
  });

  it('with full batches ends on the same weights as NeuralForge\'s trainer (AdamW, one cycle, L2, clipping)', async () => {
    const training: TrainingConfig = {
      optimizer: { name: 'adamw', learningRate: 0.05, weightDecay: 0.1 }, loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy', 'top1Accuracy'],
      batchSize: 32, epochs: 4, schedule: { name: 'oneCycle' }, l2: 0.001, clipNorm: 0.5, seed: 2,
    };
    const { epochs, model, trained, data } = await run('adamw', training, 32);
    const losses: number[] = [];
    await trainModel({
      model, validation: null, config: resolveTrainingConfig(training),
      train: { x: { values: Float32Array.from(data.x.flat()), shape: [2], dtype: 'float32' }, y: { values: Int32Array.from(data.y), shape: [], dtype: 'int32' }, count: 32 },
      onEvent: (e) => void (e.type === 'epoch' && losses.push(e.loss)),
    });
    losses.forEach((l, i) => expect(epochs[i]!.loss, `epoch ${i + 1}`).toBeCloseTo(l, 4));
    const diffs = model.getWeights().map((w, i) => tf.max(tf.abs(tf.sub(w, trained.getWeights()[i]!))).dataSync()[0]!);
    expect(Math.max(...diffs)).toBeLessThan(1e-5);
  });
});
