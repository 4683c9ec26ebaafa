// `npm run cli -- import` as a person runs it: an ONNX file made by PyTorch comes in, goes back out
// with `export --weights`, and onnxruntime-web gives the same outputs for both files; a TF.js
// model.json comes in the same way; unmapped layers exit 1 with the list; bad input exits 2.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { exportTfjs } from '../../src/engine/export/tfjs/index.js';
import { parseProjectText } from '../../src/engine/project/parse.js';
import { findTemplate } from '../../src/engine/templates/index.js';
import { compileProject, maxAbsDiff, predict, sampleInputs, writeFiles } from '../export/tfjs-cases.js';

const root = join(import.meta.dirname, '../..');
const tsx = join(root, 'node_modules/.bin/tsx');
const cli = (...args: string[]) => spawnSync(tsx, ['src/cli/main.ts', ...args], { cwd: root, encoding: 'utf8', timeout: 300_000 });
const dir = mkdtempSync(join(tmpdir(), 'nf-cli-import-'));
const path = (name: string) => join(dir, name);
const json = (stdout: string) => JSON.parse(stdout.trim()) as Record<string, unknown>;
ort.env.wasm.numThreads = 1;

async function run(file: string, x: Float32Array, dims: number[]): Promise<number[]> {
  const session = await ort.InferenceSession.create(readFileSync(file));
  const out = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', x, dims) });
  return Array.from(out[session.outputNames[0]!]!.data as Float32Array);
}

describe('cli import', () => {
  it('ONNX from PyTorch → project + weights → export onnx --weights: onnxruntime gives the same outputs', async () => {
    const fixture = join(root, 'tests/fixtures/onnx/mlp.onnx');
    const out = path('mlp/project.json');
    const r = cli('import', fixture, '--out', out, '--name', 'torch mlp');
    expect(r.status, r.stderr).toBe(0);
    const line = json(r.stdout);
    expect(line).toMatchObject({ project: out, weights: path('mlp/project.weights'), unmapped: [] });
    expect((line['notes'] as string[]).length).toBeGreaterThan(0);
    const parsed = parseProjectText(readFileSync(out, 'utf8'));
    expect(parsed.ok && parsed.project.name).toBe('torch mlp');
    expect(existsSync(path('mlp/project.weights/model.json'))).toBe(true);

    const back = path('mlp/back.onnx');
    const e = cli('export', out, '--weights', path('mlp/project.weights'), '--format', 'onnx', '--out', back);
    expect(e.status, e.stderr).toBe(0);
    const x = Float32Array.from({ length: 5 * 8 }, (_, i) => Math.sin(i * 1.7));
    const [a, b] = [await run(fixture, x, [5, 8]), await run(back, x, [5, 8])];
    expect(a).toHaveLength(15);
    expect(maxAbsDiff([a], [b])).toBeLessThan(1e-5);
  });

  it('a TF.js model.json (with its shards beside it) → project + weights that export back to the same model', async () => {
    const input = compileProject(findTemplate('lenet5')!.project());
    writeFiles(path('lenet-in'), exportTfjs(input, { shardBytes: 100_000 }));
    const out = path('lenet/project.json');
    const r = cli('import', path('lenet-in/model.json'), '--out', out);
    expect(r.status, r.stderr).toBe(0);
    expect(json(r.stdout)).toMatchObject({ nodes: 9, unmapped: [], weights: path('lenet/project.weights') });
    const e = cli('export', out, '--weights', path('lenet/project.weights'), '--format', 'tfjs', '--out', path('lenet-out'));
    expect(e.status, e.stderr).toBe(0);
    const m = JSON.parse(readFileSync(path('lenet-out/model.json'), 'utf8'));
    const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: m.modelTopology, weightSpecs: m.weightsManifest[0].weights, weightData: new Uint8Array(readFileSync(path('lenet-out/group1-shard1of1.bin'))).buffer }));
    const samples = sampleInputs(input.model);
    expect(maxAbsDiff(predict(model, samples), predict(input.model, samples))).toBeLessThan(1e-6);
  });

  it('exits 1 listing unmapped layers; the project is written, the weights are not', async () => {
    const x = tf.input({ shape: [4] });
    const y = tf.layers.thresholdedReLU({ name: 'thr' }).apply(tf.layers.dense({ units: 3, name: 'fc' }).apply(x)) as tf.SymbolicTensor;
    let saved: tf.io.ModelArtifacts | undefined;
    await tf.model({ inputs: x, outputs: y }).save(tf.io.withSaveHandler(async (a) => ((saved = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
    writeFileSync(path('thr.json'), JSON.stringify({ modelTopology: saved!.modelTopology, weightsManifest: [{ paths: ['thr.bin'], weights: saved!.weightSpecs }] }));
    writeFileSync(path('thr.bin'), new Uint8Array(tf.io.CompositeArrayBuffer.join(saved!.weightData!)));
    const r = cli('import', path('thr.json'), '--out', path('thr-project.json'));
    expect(r.status, r.stderr).toBe(1);
    const line = json(r.stdout);
    expect(line['unmapped']).toEqual([{ op: 'ThresholdedReLU', count: 1, nodes: ['thr (no NeuralForge layer for ThresholdedReLU)'] }]);
    expect(line['weights']).toBeNull();
    expect(line['notes']).toContain('weights were not written: the graph does not compile until the unmapped layers are replaced');
    expect(existsSync(path('thr-project.json'))).toBe(true);
  });

  it('exits 1 with the importer\'s list when unmapped ONNX ops cut the graph (PyTorch GRU), writing nothing', () => {
    const out = path('gru/project.json');
    const r = cli('import', join(root, 'tests/fixtures/onnx/gru.onnx'), '--out', out);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/gru\.onnx: .*GRU ×1/);
    expect(existsSync(out)).toBe(false);
  });

  it('exits 2 with one line on stderr for usage errors and files that are not models', () => {
    writeFileSync(path('hostile.onnx'), Uint8Array.from({ length: 300 }, (_, i) => (i * 97 + 13) & 0xff));
    writeFileSync(path('graph-model.json'), JSON.stringify({ format: 'graph-model', modelTopology: { node: [] } }));
    const cases: [string[], RegExp][] = [
      [['import', path('x.onnx')], /^usage: npm run cli -- import MODEL\.onnx\|model\.json --out project\.json/],
      [['import', path('x.onnx'), '--out', path('p.txt')], /--out is the project file to write and must end in \.json/],
      [['import', path('missing.onnx'), '--out', path('p.json')], /missing\.onnx: no such file/],
      [['import', path('hostile.onnx'), '--out', path('p.json')], /hostile\.onnx: /],
      [['import', path('graph-model.json'), '--out', path('p.json')], /graph models from the TF\.js converter cannot be imported/],
      [['import', path('model.h5'), '--out', path('p.json')], /expected an ONNX model \(\.onnx\) or a TF\.js model\.json/],
    ];
    for (const [args, message] of cases) {
      const r = cli(...args);
      expect(r.status, `${args.join(' ')}\n${r.stderr}`).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
  });
});
