// Shared by the TF.js export tests: every template and layer case as a compiled model with
// fixed sample inputs, and a fresh Node process that loads exported files with nothing of ours
// (plain '@tensorflow/tfjs' over HTTP, plus the emitted custom-layers.js when there is one).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { compileGraph } from '../../src/engine/compile/compile.js';
import type { ExportFile, ExportInput } from '../../src/engine/export/types.js';
import { analyzeGraph } from '../../src/engine/graph/analyze.js';
import type { Project } from '../../src/engine/project/types.js';
import { rng } from '../../src/engine/random.js';
import { project } from '../../src/engine/templates/builder.js';
import { TEMPLATES } from '../../src/engine/templates/index.js';
import { allLayerCases } from '../helpers/layer-cases.js';
import { singleLayerGraph } from '../helpers/oracle.js';

export const root = join(import.meta.dirname, '../..');

export interface Sample {
  readonly shape: number[];
  readonly dtype: 'float32' | 'int32';
  readonly data: number[];
}

export interface NamedProject {
  readonly name: string;
  readonly project: Project;
}

/** Every template, then every shared layer case as a one-layer project. */
export function allProjects(): NamedProject[] {
  return [
    ...TEMPLATES.map((t) => ({ name: `template ${t.id}`, project: t.project() })),
    ...allLayerCases().map((c) => ({ name: c.name, project: project(c.name, '', singleLayerGraph(c), {}) })),
  ];
}

export function compileProject(p: Project, seed = 1): ExportInput {
  const analysis = analyzeGraph(p.graph);
  return { project: p, analysis, model: compileGraph(analysis, { seed }).model };
}

/** Two samples per input: normals for float inputs, ids in [0, 10) for int32 (every vocabulary here is larger). */
export function sampleInputs(model: tf.LayersModel, seed = 7): Sample[] {
  const r = rng(seed);
  return model.inputs.map((t) => {
    const shape = [2, ...(t.shape.slice(1) as number[])];
    const n = shape.reduce((a, b) => a * b, 1);
    const int = t.dtype === 'int32';
    const data = Array.from({ length: n }, () => (int ? Math.floor(r() * 10) : Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r())));
    return { shape, dtype: int ? 'int32' : 'float32', data };
  });
}

/** The model's outputs on `samples`, flattened, one array per output. */
export function predict(model: tf.LayersModel, samples: readonly Sample[]): number[][] {
  return tf.tidy(() => {
    const xs = samples.map((s) => tf.tensor(s.data, s.shape, s.dtype));
    const ys = model.predict(xs.length === 1 ? xs[0]! : xs);
    return (Array.isArray(ys) ? ys : [ys as tf.Tensor]).map((y) => Array.from(y.dataSync()));
  });
}

export const maxAbsDiff = (a: readonly number[][], b: readonly number[][]): number =>
  Math.max(...a.map((o, i) => Math.max(...o.map((v, j) => Math.abs(v - b[i]![j]!)))));

/** A temporary folder whose node_modules is ours, so `import '@tensorflow/tfjs'` there is the package and nothing else. */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

export function writeFiles(dir: string, files: readonly ExportFile[]): void {
  mkdirSync(dir, { recursive: true });
  for (const f of files) writeFileSync(join(dir, f.path), f.bytes);
}

// Plain JavaScript, nothing of NeuralForge: serve the folder over HTTP and load each model the
// way a web page would (tf.loadLayersModel on a URL, shards fetched next to model.json).
const LOADER = `
import http from 'node:http';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
const root = process.argv[2];
const cases = JSON.parse(readFileSync(join(root, 'cases.json'), 'utf8'));
// One connection per request: a kept-alive socket that the server closes while a slow model
// predicts (keepAliveTimeout, 5 s) would otherwise be reused by fetch and fail under load.
const server = http.createServer((req, res) => {
  res.setHeader('Connection', 'close');
  try { res.end(readFileSync(join(root, decodeURIComponent(req.url.split('?')[0])))); } catch { res.statusCode = 404; res.end(); }
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = 'http://127.0.0.1:' + server.address().port;
const results = {};
for (const c of cases) {
  try {
    if (existsSync(join(root, c, 'custom-layers.js'))) await import(join(root, c, 'custom-layers.js'));
    const model = await tf.loadLayersModel(base + '/' + c + '/model.json');
    const samples = JSON.parse(readFileSync(join(root, c, 'samples.json'), 'utf8'));
    const xs = samples.map((s) => tf.tensor(s.data, s.shape, s.dtype));
    const ys = model.predict(xs.length === 1 ? xs[0] : xs);
    results[c] = { outputs: (Array.isArray(ys) ? ys : [ys]).map((y) => Array.from(y.dataSync())), classes: model.layers.map((l) => l.getClassName()) };
  } catch (e) {
    results[c] = { error: String(e && e.stack || e) };
  }
}
server.close();
writeFileSync(join(root, 'results.json'), JSON.stringify(results));
`;

export type LoadResult = { readonly outputs: number[][]; readonly classes: string[] } | { readonly error: string };

/** Loads every `dir/<case>/model.json` (with its samples.json) in one fresh Node process. */
export function loadInFreshNode(dir: string, cases: readonly string[]): Record<string, LoadResult> {
  writeFileSync(join(dir, 'cases.json'), JSON.stringify(cases));
  writeFileSync(join(dir, 'loader.mjs'), LOADER);
  const r = spawnSync(process.execPath, [join(dir, 'loader.mjs'), dir], { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`loader exited ${r.status}: ${r.stderr}`);
  return JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as Record<string, LoadResult>;
}
