// train.py in PyTorch (one Python process for every job): its readers reproduce NeuralForge's
// MNIST split and corpus windows, it trains on a CSV table, labelled texts, MNIST and a corpus,
// and with full batches its optimizers, schedules, L2, clipping and accumulation end on the same
// weights as NeuralForge's own trainer. Also: kinds PyTorch cannot express are refused.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../../src/engine/compile/compile.js';
import { loadCsv } from '../../src/engine/data/csv.js';
import { corpusDataset } from '../../src/engine/data/lm.js';
import { encodeMnistBinary, parseMnistBinary } from '../../src/engine/data/mnist.js';
import { npzBytes } from '../../src/engine/export/npz.js';
import { torchGraph } from '../../src/engine/export/pytorch/graph.js';
import { exportPytorch, pytorchSupport } from '../../src/engine/export/pytorch/index.js';
import { stateDict, stateDictNpz } from '../../src/engine/export/pytorch/state-dict.js';
import { ExportError } from '../../src/engine/export/types.js';
import { analyzeGraph } from '../../src/engine/graph/analyze.js';
import type { DatasetRef, Graph, TrainingConfig } from '../../src/engine/project/types.js';
import { GraphBuilder, project } from '../../src/engine/templates/builder.js';
import { findTemplate } from '../../src/engine/templates/index.js';
import { resolveTrainingConfig } from '../../src/engine/train/config.js';
import { trainModel } from '../../src/engine/train/trainer.js';
import { rng } from '../../src/engine/random.js';
import { runPython } from '../helpers/python.js';

const DATA = join(import.meta.dirname, '../fixtures/data');
const FIXTURES = join(import.meta.dirname, '../fixtures/export');
const RUNNER = join(FIXTURES, 'run_train.py');

interface Job {
  readonly dir: string;
  readonly args: string[];
  readonly probe?: string[];
  readonly compare?: string;
}
interface JobResult {
  readonly history?: Record<string, number>[];
  readonly stdout: string;
  readonly error?: string;
  readonly probe?: { x_shape: number[]; x_head: number[][]; y: number[]; test_y: number[] | null };
  readonly maxWeightDiff?: number;
}

/** Exports a project (weights from seed 1) into `dir`; returns the compiled model too. */
function exportInto(dir: string, graph: Graph, training: TrainingConfig, dataset: DatasetRef = {}) {
  const p = project('Train case', '', graph, training, dataset);
  const analysis = analyzeGraph(graph);
  const { model } = compileGraph(analysis, { seed: 1 });
  mkdirSync(dir, { recursive: true });
  for (const f of exportPytorch({ project: p, analysis, model })) writeFileSync(join(dir, f.path), f.bytes);
  return { analysis, model };
}

/** 300 learnable 28×28 "digits": a bright 6×6 block whose place says the digit, over noise. */
function mnistFixture(): Uint8Array {
  const count = 300;
  const r = rng(5);
  const labels = Uint8Array.from({ length: count }, (_, i) => i % 10);
  const pixels = new Uint8Array(count * 784);
  labels.forEach((d, i) => {
    for (let k = 0; k < 784; k++) pixels[i * 784 + k] = Math.floor(r() * 60);
    const [row, col] = [2 + 8 * Math.floor(d / 3), 2 + 8 * (d % 3)];
    for (let y = row; y < row + 6; y++) for (let x = col; x < col + 6; x++) pixels[i * 784 + y * 28 + x] = 255;
  });
  return encodeMnistBinary(pixels, labels);
}

const seq = (steps: number, vocab: number, build: (g: GraphBuilder, x: ReturnType<GraphBuilder['input']>) => void): Graph => {
  const g = new GraphBuilder();
  build(g, g.layer('embed', 'Embedding', { inputDim: vocab, outputDim: 8 }, [g.input('tokens', [steps], 'int32')]));
  return g.build();
};

/** Full-batch configurations: the sample order cannot matter, so NeuralForge and PyTorch must agree step by step. */
const PARITY: [string, TrainingConfig][] = [
  ['sgd + nesterov, step schedule per step', { optimizer: { name: 'sgd', learningRate: 0.5, momentum: 0.9, nesterov: true }, schedule: { name: 'step', stepSize: 1, gamma: 0.5, unit: 'step' } }],
  ['adam, cosine with warm-up, clipNorm', { optimizer: { name: 'adam', learningRate: 0.05 }, schedule: { name: 'cosine', warmupSteps: 1, minLearningRate: 0.001 }, clipNorm: 0.1 }],
  ['adamw, one cycle', { optimizer: { name: 'adamw', learningRate: 0.05, weightDecay: 0.1 }, schedule: { name: 'oneCycle' } }],
  ['rmsprop centered with momentum, exponential per epoch', { optimizer: { name: 'rmsprop', learningRate: 0.01, momentum: 0.5, centered: true }, schedule: { name: 'exponential', gamma: 0.7 } }],
  ['adagrad, L2', { optimizer: { name: 'adagrad', learningRate: 0.1 }, l2: 0.01 }],
  ['sgd, two accumulated micro-batches, categorical one-hot logits', { optimizer: { name: 'sgd', learningRate: 0.3 }, batchSize: 12, accumulationSteps: 2, loss: 'categoricalCrossentropy' }],
];

describe('train.py', () => {
  const root = mkdtempSync(join(tmpdir(), 'nf-torch-train-'));
  const jobs = new Map<string, Job>();
  const engine = new Map<string, number[]>();
  const expected: { mnist?: ReturnType<typeof parseMnistBinary>; corpus?: ReturnType<typeof corpusDataset>; tableWidth?: number } = {};
  let results = new Map<string, JobResult>();
  const save = (dir: string) => ['--save', join(dir, 'trained.npz')];

  beforeAll(async () => {
    // MNIST: LeNet-5 as the template has it, on a small learnable mnist.bin.
    const mnistDir = join(root, 'mnist');
    const lenet = findTemplate('lenet5')!.project();
    exportInto(mnistDir, lenet.graph, lenet.training, lenet.dataset);
    const bin = mnistFixture();
    writeFileSync(join(mnistDir, 'mnist.bin'), bin);
    expected.mnist = parseMnistBinary(bin);
    jobs.set('mnist', { dir: mnistDir, args: ['--data', join(mnistDir, 'mnist.bin'), '--epochs', '3', ...save(mnistDir)], probe: ['load_mnist', join(mnistDir, 'mnist.bin')] });

    // A CSV table: the model's input width is what NeuralForge's encoder makes of the file.
    const tableDir = join(root, 'table');
    const houses = readFileSync(join(DATA, 'houses.csv'));
    expected.tableWidth = loadCsv(houses, { label: 'price_band' }).train.x.shape[0]!;
    const tg = new GraphBuilder();
    tg.chain(tg.input('features', [expected.tableWidth]), [['hidden', 'Dense', { units: 8, activation: 'relu' }], ['band', 'Dense', { units: 3, activation: 'softmax' }]]);
    exportInto(tableDir, tg.build(), {
      optimizer: { name: 'adam', learningRate: 0.01 }, loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy', 'top2Accuracy'],
      batchSize: 8, epochs: 2, validationSplit: 0.2, earlyStopping: { monitor: 'valLoss', patience: 5, restoreBestWeights: true },
    }, { source: 'file', path: 'houses.csv', label: 'price_band' });
    jobs.set('table', { dir: tableDir, args: ['--data', join(DATA, 'houses.csv'), ...save(tableDir)], probe: ['load_table', join(DATA, 'houses.csv'), 'price_band'] });

    // Labelled texts: an LSTM sentiment classifier on reviews.jsonl.
    const textDir = join(root, 'text');
    exportInto(textDir, seq(12, 60, (g, x) => g.chain(x, [['lstm', 'LSTM', { units: 6 }], ['positive', 'Dense', { units: 1, activation: 'sigmoid' }]])), {
      loss: 'binaryCrossentropy', metrics: ['accuracy'], batchSize: 4, epochs: 2,
    }, { source: 'file', path: 'reviews.jsonl', label: 'label' });
    jobs.set('text', { dir: textDir, args: ['--data', join(DATA, 'reviews.jsonl'), ...save(textDir)] });

    // A character corpus: a one-block causal transformer predicting the next character.
    const corpusDir = join(root, 'corpus');
    const text = readFileSync(join(FIXTURES, 'corpus.txt'), 'utf8');
    exportInto(corpusDir, seq(16, 64, (g, x) => g.chain(x, [
      ['positions', 'PositionalEmbedding', { maxLength: 16 }],
      ['block', 'TransformerEncoder', { intermediateDim: 16, numHeads: 2, normalizeFirst: true, useCausalMask: true }],
      ['logits', 'Dense', { units: 64 }],
    ])), { optimizer: { name: 'adamw', learningRate: 0.003 }, loss: 'nextTokenCrossentropy', metrics: ['accuracy'], batchSize: 4, epochs: 2, schedule: { name: 'cosine', warmupSteps: 2 } }, { source: 'file', path: 'corpus.txt' });
    expected.corpus = corpusDataset(text, { length: 16, maxVocab: 64 });
    jobs.set('corpus', { dir: corpusDir, args: ['--data', join(FIXTURES, 'corpus.txt'), ...save(corpusDir)], probe: ['load_corpus', join(FIXTURES, 'corpus.txt')] });

    // Parity with NeuralForge's trainer: 24 samples, one step per epoch, 3 epochs.
    const r = rng(9);
    const x = Float32Array.from({ length: 24 * 4 }, () => r() * 2 - 1);
    const ids = Int32Array.from({ length: 24 }, (_, i) => i % 3);
    for (const [i, [name, cfg]] of PARITY.entries()) {
      const dir = join(root, `parity${i}`);
      const categorical = cfg.loss === 'categoricalCrossentropy';
      const g = new GraphBuilder();
      g.chain(g.input('x', [4]), [['hidden', 'Dense', { units: 5, activation: 'tanh' }], ['out', 'Dense', { units: 3, activation: categorical ? 'linear' : 'softmax' }]]);
      const training: TrainingConfig = { loss: 'sparseCategoricalCrossentropy', batchSize: 24, epochs: 3, seed: 3, ...cfg };
      const { analysis, model } = exportInto(dir, g.build(), training);
      const y = categorical ? Float32Array.from({ length: 72 }, (_, k) => (k % 3 === ids[Math.floor(k / 3)]! ? 1 : 0)) : ids;
      writeFileSync(join(dir, 'data.npz'), npzBytes([['x_train', { shape: [24, 4], data: x }], ['y_train', { shape: categorical ? [24, 3] : [24], data: y }]]));
      const losses: number[] = [];
      await trainModel({
        model, validation: null, config: resolveTrainingConfig(training),
        train: { x: { values: x, shape: [4], dtype: 'float32' }, y: categorical ? { values: y as Float32Array, shape: [3], dtype: 'float32' } : { values: ids, shape: [], dtype: 'int32' }, count: 24 },
        onEvent: (e) => void (e.type === 'epoch' && losses.push(e.loss)),
      });
      engine.set(name, losses);
      writeFileSync(join(dir, 'engine.npz'), stateDictNpz(stateDict(torchGraph(analysis, 'Train case'), model)));
      jobs.set(name, { dir, args: ['--data', join(dir, 'data.npz'), ...save(dir)], compare: join(dir, 'engine.npz') });
    }

    writeFileSync(join(root, 'jobs.json'), JSON.stringify([...jobs.values()]));
    const run = runPython(`import runpy, sys; sys.argv = [${JSON.stringify(RUNNER)}] + sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')`, [join(root, 'jobs.json')]);
    if (run.code !== 0) throw new Error(`run_train.py failed: ${run.stderr}`);
    const out = JSON.parse(run.stdout) as JobResult[];
    results = new Map([...jobs.keys()].map((k, i) => [k, out[i]!]));
  }, 300_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const ok = (name: string): JobResult => {
    const r = results.get(name)!;
    if (r.error) expect.fail(`${name}: ${r.error}\n${r.stdout}`);
    return r;
  };

  it('reads mnist.bin with NeuralForge\'s own train/test split, digit for digit', () => {
    const p = ok('mnist').probe!;
    expect(p.y).toEqual([...expected.mnist!.train.y.values]);
    expect(p.test_y).toEqual([...expected.mnist!.test!.y.values]);
    expect(p.x_shape).toEqual([expected.mnist!.train.count, 28, 28, 1]);
  });

  it('trains LeNet-5 on MNIST: three epochs printed, the loss goes down, weights saved', () => {
    const r = ok('mnist');
    expect(r.stdout).toMatch(/^epoch 1\/3  loss \d+\.\d{4}  accuracy \d\.\d{4}  valLoss \d+\.\d{4}  valAccuracy \d\.\d{4}$/m);
    expect(r.stdout).toMatch(/^test  loss \d+\.\d{4}  accuracy \d\.\d{4}$/m);
    expect(r.stdout).toContain('saved the trained weights to');
    const losses = r.history!.map((h) => h['loss']!);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[2]).toBeLessThan(losses[0]!);
  });

  it('encodes a CSV table to the width NeuralForge gives it and trains on it with validation and top-k', () => {
    const r = ok('table');
    expect(r.probe!.x_shape[1]).toBe(expected.tableWidth);
    expect(r.probe!.x_shape[0]! + r.probe!.test_y!.length).toBe(24);
    expect(r.history).toHaveLength(2);
    expect(Object.keys(r.history![0]!)).toEqual(['loss', 'accuracy', 'top2Accuracy', 'valLoss', 'valAccuracy', 'valTop2Accuracy']);
    expect(r.history!.every((h) => Number.isFinite(h['loss']))).toBe(true);
  });

  it('trains an LSTM on labelled texts (.jsonl) with binary cross-entropy', () => {
    const r = ok('text');
    expect(r.history).toHaveLength(2);
    expect(r.history!.every((h) => Number.isFinite(h['loss']) && h['accuracy']! >= 0 && h['accuracy']! <= 1)).toBe(true);
  });

  it('cuts a corpus into the same windows and ids as NeuralForge and trains a causal transformer on it', () => {
    const r = ok('corpus');
    const c = expected.corpus!;
    expect(r.probe!.x_shape).toEqual([c.train.count, 16]);
    expect(r.probe!.x_head.flat()).toEqual([...c.train.x.values.subarray(0, 3 * 16)]);
    expect(r.probe!.y).toEqual(chunk([...c.train.y.values], 16));
    expect(r.history!.every((h) => Number.isFinite(h['loss']))).toBe(true);
  });

  it.each(PARITY.map(([name]) => name))('%s: same losses and final weights as NeuralForge', (name) => {
    const r = ok(name);
    const losses = r.history!.map((h) => h['loss']!);
    engine.get(name)!.forEach((l, i) => expect(losses[i], `epoch ${i + 1} loss`).toBeCloseTo(l, 4));
    expect(r.maxWeightDiff).toBeLessThan(1e-4);
  });
});

const chunk = <T>(xs: T[], n: number): T[][] => Array.from({ length: xs.length / n }, (_, i) => xs.slice(i * n, i * n + n));

describe('PyTorch export refusals', () => {
  const graphWith = (kind: string, params: Record<string, unknown>) => {
    const g = new GraphBuilder();
    g.chain(g.input('steps', [5, 3]), [['rnn', kind, params], ['head', 'Dense', { units: 1 }]]);
    return g.build();
  };

  it('refuses an LSTM whose gates are not sigmoid, and a SimpleRNN with sigmoid, naming node and reason', () => {
    const lstm = analyzeGraph(graphWith('LSTM', { units: 4, recurrentActivation: 'hardSigmoid' }));
    expect(pytorchSupport(lstm)).toEqual([{ nodeId: 'rnn', kind: 'LSTM', reason: expect.stringMatching(/nn\.LSTM fixes .* recurrentActivation 'hardSigmoid'/) }]);
    const rnn = analyzeGraph(graphWith('SimpleRNN', { units: 4, activation: 'sigmoid' }));
    expect(pytorchSupport(rnn)[0]!.reason).toBe("nn.RNN computes only tanh or relu, not activation 'sigmoid'");
  });

  it('throws an ExportError before writing anything, and accepts the same graph with standard activations', () => {
    const graph = graphWith('LSTM', { units: 4, activation: 'relu' });
    const analysis = analyzeGraph(graph);
    const { model } = compileGraph(analysis);
    const input = { project: project('Refused', '', graph, { loss: 'meanSquaredError' }), analysis, model };
    expect(() => exportPytorch(input)).toThrow(ExportError);
    expect(() => exportPytorch(input)).toThrow(/cannot export to pytorch: rnn \(LSTM\): nn\.LSTM fixes its activations/);
    const fine = analyzeGraph(graphWith('GRU', { units: 4, activation: 'relu', recurrentActivation: 'hardSigmoid' }));
    expect(pytorchSupport(fine)).toEqual([]);
  });
});
