// `npm run cli -- export` as a person runs it: real processes and files. Trained weights from
// `train --out` reach every format (checked against the trained files with TF.js and
// onnxruntime-web); ONNX prints its validation report and a failed one exits 1; usage errors exit 2.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-web';
import { unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { fromTfjsFiles, toTfjsFiles } from '../../src/engine/export/tfjs-format.js';
import { compileProject } from '../export/tfjs-cases.js';
import { parseProject } from '../../src/engine/project/parse.js';
import type { Project } from '../../src/engine/project/types.js';

const root = join(import.meta.dirname, '../..');
const tsx = join(root, 'node_modules/.bin/tsx');
const cli = (...args: string[]) => spawnSync(tsx, ['src/cli/main.ts', ...args], { cwd: root, encoding: 'utf8', timeout: 300_000 });
const dir = mkdtempSync(join(tmpdir(), 'nf-cli-export-'));
const path = (name: string) => join(dir, name);
const json = (stdout: string) => JSON.parse(stdout.trim()) as Record<string, unknown>;
ort.env.wasm.numThreads = 1;

const circles = {
  format: 'neuralforge-project', version: 1, name: 'circles',
  graph: {
    nodes: [
      { id: 'x', kind: 'Input', params: { shape: [2] } },
      { id: 'h', kind: 'Dense', params: { units: 16, activation: 'relu' } },
      { id: 'd', kind: 'Dropout', params: { rate: 0.1 } },
      { id: 'y', kind: 'Dense', params: { units: 2, activation: 'softmax' } },
    ],
    edges: [{ source: 'x', target: 'h' }, { source: 'h', target: 'd' }, { source: 'd', target: 'y' }],
  },
  training: { optimizer: { name: 'adam', learningRate: 0.05 }, loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'], batchSize: 32, epochs: 2, seed: 3, validationSplit: 0.2 },
  dataset: { source: 'builtin', name: 'circles' },
};
const project = path('circles.json');
const run = path('run');
const X = [[0.1, -0.4], [1.5, 0.2], [-0.7, 0.9]];
let trained: number[];

beforeAll(async () => {
  writeFileSync(project, JSON.stringify(circles));
  const r = cli('train', project, '--epochs', '2', '--backend', 'cpu', '--out', run);
  expect(r.status, r.stderr).toBe(0);
  const model = await fromTfjsFiles({ modelJson: readFileSync(join(run, 'model.json'), 'utf8'), weights: new Uint8Array(readFileSync(join(run, 'weights.bin'))) });
  trained = Array.from((model.predict(tf.tensor(X)) as tf.Tensor).dataSync());
}, 120_000);

async function onnxOutputs(file: string, x: number[][]): Promise<number[]> {
  const session = await ort.InferenceSession.create(readFileSync(file));
  const out = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', Float32Array.from(x.flat()), [x.length, x[0]!.length]) });
  return Array.from(out[session.outputNames[0]!]!.data as Float32Array);
}

function projectOf(doc: unknown): Project {
  const r = parseProject(doc);
  if (!r.ok) throw new Error(r.error.message);
  return r.project;
}

const close = (a: readonly number[], b: readonly number[], tol: number) => a.every((v, i) => Math.abs(v - b[i]!) < tol) && a.length === b.length;

describe('cli export', () => {
  it('onnx with trained weights: prints the passing validation report, and the file gives the trained outputs', async () => {
    const out = path('model.onnx');
    const r = cli('export', project, '--weights', run, '--format', 'onnx', '--out', out);
    expect(r.status, r.stderr).toBe(0);
    const line = json(r.stdout);
    expect(line).toMatchObject({ format: 'onnx', out, weights: 'trained', files: [out] });
    const report = line['report'] as { passed: boolean; runtimes: { runtime: string; maxAbsDiff: number }[]; tolerance: number };
    expect(report.passed).toBe(true);
    expect(report.runtimes.map((x) => x.runtime)).toEqual(['onnxruntime-web/wasm']);
    expect(report.runtimes[0]!.maxAbsDiff).toBeLessThan(1e-4);
    expect(close(await onnxOutputs(out, X), trained, 1e-5)).toBe(true);
  });

  it('without --weights exports the seeded initial weights (not the trained ones)', async () => {
    const out = path('initial.onnx');
    const r = cli('export', project, '--format', 'onnx', '--out', out);
    expect(r.status, r.stderr).toBe(0);
    expect(json(r.stdout)['weights']).toBe('initial');
    const { model } = compileProject(projectOf(circles), 3);
    const initial = Array.from((model.predict(tf.tensor(X)) as tf.Tensor).dataSync());
    expect(close(await onnxOutputs(out, X), initial, 1e-5)).toBe(true);
    expect(close(initial, trained, 1e-3)).toBe(false);
  });

  it('tfjs: a directory plain TF.js loads, predicting what the trained model does', async () => {
    const out = path('tfjs');
    const r = cli('export', project, '--weights', run, '--format', 'tfjs', '--out', out);
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['README.md', 'group1-shard1of1.bin', 'model.json']);
    const m = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
    const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: m.modelTopology, weightSpecs: m.weightsManifest[0].weights, weightData: new Uint8Array(readFileSync(join(out, 'group1-shard1of1.bin'))).buffer }));
    expect(model.layers.map((l) => l.getClassName())).toEqual(['InputLayer', 'Dense', 'Dropout', 'Dense']);
    expect(close(Array.from((model.predict(tf.tensor(X)) as tf.Tensor).dataSync()), trained, 1e-6)).toBe(true);
  });

  it('bundle: a zip with the serving files', () => {
    const out = path('serving.zip');
    const r = cli('export', project, '--weights', run, '--format', 'bundle', '--out', out);
    expect(r.status, r.stderr).toBe(0);
    expect(Object.keys(unzipSync(readFileSync(out))).sort()).toEqual(['Dockerfile', 'README.md', 'app.py', 'example-request.json', 'model.onnx', 'requirements.txt']);
    expect((json(r.stdout)['report'] as { passed: boolean }).passed).toBe(true);
  });

  it.each(['pytorch', 'keras', 'notebook'])('%s: writes its files into the --out directory', (format) => {
    const out = path(format);
    const r = cli('export', project, '--weights', run, '--format', format, '--out', out);
    expect(r.status, r.stderr).toBe(0);
    const files = json(r.stdout)['files'] as string[];
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(existsSync(f), f).toBe(true);
  });

  it('exits 1 with the report when onnxruntime disagrees with TF.js beyond 1e-4', async () => {
    // Weights of a few hundred make outputs of ~1e9: float32 rounding alone then differs by far more than 1e-4.
    const widths: Record<string, object> = { h: { units: 32, activation: 'relu' }, y: { units: 2 } };
    const big = { ...circles, graph: { ...circles.graph, nodes: circles.graph.nodes.map((n) => ({ ...n, params: widths[n.id] ?? n.params })) } };
    const p = path('big.json');
    writeFileSync(p, JSON.stringify(big));
    const { model } = compileProject(projectOf(big), 3);
    for (const l of model.layers) if (l.weights.length) l.setWeights(l.getWeights().map((w, i) => tf.randomUniform(w.shape, 100, 900, 'float32', i)));
    const files = await toTfjsFiles(model);
    const weights = path('big-weights');
    mkdirSync(weights, { recursive: true });
    writeFileSync(join(weights, 'model.json'), files.modelJson);
    writeFileSync(join(weights, 'weights.bin'), files.weights);
    const r = cli('export', p, '--weights', weights, '--format', 'onnx', '--out', path('big.onnx'));
    expect(r.status, r.stderr).toBe(1);
    const report = json(r.stdout)['report'] as { passed: boolean; runtimes: { maxAbsDiff: number }[] };
    expect(report.passed).toBe(false);
    expect(report.runtimes[0]!.maxAbsDiff).toBeGreaterThan(1e-4);
  });

  it('exits 2 with one line on stderr for usage errors and weights of another graph', () => {
    const cases: [string[], RegExp][] = [
      [['export', project, '--out', path('x.onnx')], /^usage: npm run cli -- export FILE --format onnx\|tfjs\|pytorch\|keras\|notebook\|bundle --out PATH/],
      [['export', project, '--format', 'caffe', '--out', path('x')], /--format must be one of onnx, tfjs, pytorch, keras, notebook, bundle; got "caffe"/],
      [['export', project, '--format', 'onnx', '--out', path('x.bin')], /--out for onnx is a file ending in \.onnx/],
      [['export', path('missing.json'), '--format', 'tfjs', '--out', path('x')], /missing\.json: no such file/],
      [['export', project, '--format', 'tfjs', '--weights', path('nowhere'), '--out', path('x')], /--weights .*nowhere: no such file/],
      [['export', project, '--format', 'tfjs', '--weights', path('big-weights'), '--out', path('x')], /the weights do not fit this graph .*different shape: h\/kernel is \[2,16\] in the model but \[2,32\] in the files/],
    ];
    for (const [args, message] of cases) {
      const r = cli(...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
    }
  });
});
