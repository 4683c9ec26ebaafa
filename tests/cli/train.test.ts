// `npm run cli -- train` as a person runs it: real processes, JSON lines on stdout, files in
// --out, exit 2 with one line on stderr for bad input; and the MNIST bar from the issue.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromTfjsFiles } from '../../src/engine/export/tfjs-format.js';
import { findTemplate } from '../../src/engine/templates/index.js';

const root = join(import.meta.dirname, '../..');
const tsx = join(root, 'node_modules/.bin/tsx');
const cli = (...args: string[]) => spawnSync(tsx, ['src/cli/main.ts', ...args], { cwd: root, encoding: 'utf8', timeout: 600_000 });
const dir = mkdtempSync(join(tmpdir(), 'nf-train-'));
const write = (name: string, value: unknown) => {
  const p = join(dir, name);
  writeFileSync(p, typeof value === 'string' ? value : JSON.stringify(value));
  return p;
};
const lines = (stdout: string) => stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

const circles = {
  format: 'neuralforge-project', version: 1, name: 'circles',
  graph: {
    nodes: [
      { id: 'x', kind: 'Input', params: { shape: [2] } },
      { id: 'h', kind: 'Dense', params: { units: 16, activation: 'relu' } },
      { id: 'y', kind: 'Dense', params: { units: 2, activation: 'softmax' } },
    ],
    edges: [{ source: 'x', target: 'h' }, { source: 'h', target: 'y' }],
  },
  training: { optimizer: { name: 'adam', learningRate: 0.01 }, loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'], batchSize: 32, epochs: 2, seed: 3, validationSplit: 0.2 },
  dataset: { source: 'builtin', name: 'circles' },
};

describe('cli train', () => {
  it('prints an epoch line per epoch and a done line, and writes loadable weights', async () => {
    const out = join(dir, 'run');
    const r = cli('train', write('circles.json', circles), '--epochs', '3', '--backend', 'cpu', '--out', out);
    expect(r.status, r.stderr).toBe(0);
    const ls = lines(r.stdout);
    expect(ls.map((l) => l['type'])).toEqual(['start', 'epoch', 'epoch', 'epoch', 'done']);
    const epoch = ls[1]!;
    expect(Object.keys(epoch)).toEqual(expect.arrayContaining(['type', 'epoch', 'loss', 'valLoss', 'metrics', 'valMetrics']));
    expect(epoch['epoch']).toBe(1);
    expect(typeof (epoch['valMetrics'] as Record<string, number>)['accuracy']).toBe('number');
    const done = ls.at(-1)!;
    expect(done).toMatchObject({ type: 'done', status: 'completed', epochs: 3, backend: 'cpu' });
    expect((done['testMetrics'] as Record<string, number>)['accuracy']).toBeGreaterThan(0.5);
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(run.history).toHaveLength(3);
    const model = await fromTfjsFiles({ modelJson: readFileSync(join(out, 'model.json'), 'utf8'), weights: new Uint8Array(readFileSync(join(out, 'weights.bin'))) });
    expect(model.countParams()).toBe(2 * 16 + 16 + 16 * 2 + 2);
  });

  it('is reproducible: the same seed gives the same losses', () => {
    const file = write('circles2.json', circles);
    const a = lines(cli('train', file, '--backend', 'cpu').stdout).filter((l) => l['type'] === 'epoch').map((l) => l['loss']);
    const b = lines(cli('train', file, '--backend', 'cpu').stdout).filter((l) => l['type'] === 'epoch').map((l) => l['loss']);
    expect(a).toHaveLength(2);
    expect(b).toEqual(a);
  });

  it('exits 2 with one line on stderr for input it cannot train', () => {
    const broken = { ...circles, graph: { ...circles.graph, edges: [circles.graph.edges[0]] } };
    const noData = { ...circles, dataset: {} };
    const badLoss = { ...circles, training: { ...circles.training, loss: 'hinge' } };
    for (const [args, reason] of [
      [[write('bad.json', '{"format":')], 'not valid JSON'],
      [[write('broken.json', broken), '--backend', 'cpu'], 'the graph has 1 error; first: y: Dense: input 1 is not connected'],
      [[write('nodata.json', noData), '--backend', 'cpu'], 'no dataset chosen for this project'],
      [[write('badloss.json', badLoss), '--backend', 'cpu'], 'training.loss'],
      [[write('ok.json', circles), '--epochs', '0'], '--epochs must be a whole number ≥ 1; got "0"'],
      [[write('ok2.json', circles), '--backend', 'tpu'], '--backend must be auto, cpu, wasm, webgl or webgpu; got "tpu"'],
      [[write('ok3.json', circles), '--lr', '1'], 'unknown option --lr'],
    ] as [string[], string][]) {
      const r = cli('train', ...args);
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stdout).toBe('');
      const errLines = r.stderr.split('\n').filter((l) => l && !/tfjs|TensorFlow\.js|=====|speed things up/i.test(l));
      expect(errLines, r.stderr).toHaveLength(1);
      expect(errLines[0]).toContain(reason);
    }
  });

  it('trains the MLP template on built-in MNIST to ≥ 95% test accuracy on the 2,000 held-out digits', () => {
    const r = cli('train', write('mlp.json', findTemplate('mlp')!.project()), '--backend', 'auto');
    expect(r.status, r.stderr).toBe(0);
    const ls = lines(r.stdout);
    expect(ls[0]).toMatchObject({ type: 'start', dataset: 'mnist', testSamples: 2000 });
    // auto consulted WebGPU (Dawn) first: it trains there on a hardware GPU, or says why not.
    const start = ls[0] as { backend: string; skipped: string[] };
    expect(start.backend === 'webgpu' || /webgpu|WebGPU/.test(start.skipped[0] ?? '')).toBe(true);
    const done = ls.at(-1)!;
    expect(done['status']).toBe('completed');
    expect((done['testMetrics'] as Record<string, number>)['accuracy']).toBeGreaterThanOrEqual(0.95);
  });
});
