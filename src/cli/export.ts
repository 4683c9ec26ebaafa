// `npm run cli -- export FILE --format F --out PATH [--weights DIR]`: a project (with trained
// weights from `train --out DIR`, else its seeded initial ones) in a format people deploy.
// ONNX and the serving bundle are validated against TF.js with onnxruntime-web; the report goes
// to stdout as JSON and a failed validation exits 1.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { compileGraph } from '../engine/compile/compile.js';
import { exportModel, type ExportDeps } from '../engine/export/index.js';
import { loadWeightsByName, weightPaths } from '../engine/export/load-weights.js';
import { EXPORT_FORMATS, ExportError, isExportFormat, type ExportFormat, type ExportInput } from '../engine/export/types.js';
import { analyzeGraph } from '../engine/graph/analyze.js';
import { TRAINING_DEFAULTS } from '../engine/train/config.js';
import { parseFlags, readProject, UsageError, writeLine } from './io.js';

export const EXPORT_USAGE = `usage: npm run cli -- export FILE --format ${EXPORT_FORMATS.join('|')} --out PATH [--weights DIR]`;

/** Formats written as one file (PATH is that file); the others fill a directory. */
const SINGLE_FILE: Partial<Record<ExportFormat, string>> = { onnx: '.onnx', bundle: '.zip' };

interface ExportArgs {
  readonly file: string;
  readonly format: ExportFormat;
  readonly out: string;
  readonly weights: string | null;
}

function parseExportArgs(args: readonly string[]): ExportArgs {
  const { positional, flags } = parseFlags(args, ['format', 'out', 'weights']);
  const format = flags.get('format');
  const out = flags.get('out');
  if (positional.length !== 1 || !format || !out) throw new UsageError(EXPORT_USAGE);
  if (!isExportFormat(format)) throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')}; got "${format}"`);
  const ext = SINGLE_FILE[format];
  if (ext && !out.endsWith(ext)) throw new UsageError(`--out for ${format} is a file ending in ${ext}; got "${out}"`);
  return { file: positional[0]!, format, out, weights: flags.get('weights') ?? null };
}

async function readBytes(path: string, what: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`${what}: ${code === 'ENOENT' ? `no such file ${path}` : (e as Error).message}`);
  }
}

/** Trained weights from a `train --out` (or `import`) directory, by weight name. */
async function loadTrained(model: tf.LayersModel, dir: string): Promise<void> {
  const json = new TextDecoder().decode(await readBytes(join(dir, 'model.json'), `--weights ${dir}`));
  try {
    const shards = await Promise.all(weightPaths(json).map((p) => readBytes(join(dir, p), `--weights ${dir}`)));
    loadWeightsByName(tf, model, json, shards);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`--weights ${dir}: ${(e as Error).message}`);
  }
}

/** onnxruntime-web in Node: its wasm build, one thread (Node has no cross-origin isolation to give it more). */
async function nodeOrt(): Promise<NonNullable<ExportDeps['ort']>> {
  const ort = await import('onnxruntime-web');
  ort.env.wasm.numThreads = 1;
  return ort;
}

async function writeOutputs(a: ExportArgs, files: readonly { path: string; bytes: Uint8Array }[]): Promise<string[]> {
  if (SINGLE_FILE[a.format]) {
    await mkdir(dirname(a.out), { recursive: true });
    await writeFile(a.out, files[0]!.bytes);
    return [a.out];
  }
  const written: string[] = [];
  for (const f of files) {
    const path = join(a.out, f.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, f.bytes);
    written.push(path);
  }
  return written;
}

export async function exportCommand(args: readonly string[]): Promise<number> {
  const a = parseExportArgs(args);
  const project = await readProject(a.file);
  const analysis = analyzeGraph(project.graph);
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new UsageError(`${a.file}: the graph has ${errors.length} error${errors.length > 1 ? 's' : ''}; first: ${errors[0]!.nodeId ?? 'graph'}: ${errors[0]!.message}`);
  await tf.setBackend('cpu');
  // The seed training starts from (an imported project has no other training settings yet).
  const { model } = compileGraph(analysis, { seed: project.training.seed ?? TRAINING_DEFAULTS.seed });
  if (a.weights) await loadTrained(model, a.weights);
  const input: ExportInput = { project, analysis, model };
  const needsOrt = a.format === 'onnx' || a.format === 'bundle';
  let result;
  try {
    result = await exportModel(a.format, input, needsOrt ? { ort: await nodeOrt() } : {});
  } catch (e) {
    if (e instanceof ExportError) throw new UsageError(`${a.file}: ${e.message}`);
    throw e;
  }
  const files = await writeOutputs(a, result.files);
  writeLine({ format: a.format, out: a.out, weights: a.weights ? 'trained' : 'initial', files, bytes: result.bytes, ...(result.report ? { report: result.report } : {}) });
  return result.report && !result.report.passed ? 1 : 0;
}
