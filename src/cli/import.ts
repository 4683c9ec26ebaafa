// `npm run cli -- import MODEL.onnx|model.json --out project.json [--name NAME]`: a model from
// elsewhere as a NeuralForge project, its weights as TF.js files in `<out>.weights/` (what
// `export --weights` takes back). Prints one JSON object with the unmapped ops and notes; exits 1
// when ops remain unmapped (or, for ONNX, when they cut the graph: then the list is on stderr).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { compileGraph } from '../engine/compile/compile.js';
import { toTfjsFiles, WEIGHTS_FILE } from '../engine/export/tfjs-format.js';
import { setNodeWeights } from '../engine/export/weights.js';
import { analyzeGraph } from '../engine/graph/analyze.js';
import type { NodeId } from '../engine/ids.js';
import { importOnnx, OnnxImportError } from '../engine/import/onnx/index.js';
import { importTfjs, listedWeightFiles, TfjsImportError } from '../engine/import/tfjs.js';
import type { Project } from '../engine/project/types.js';
import { parseFlags, UsageError, writeLine } from './io.js';

export const IMPORT_USAGE = 'usage: npm run cli -- import MODEL.onnx|model.json --out project.json [--name NAME]';

/** Refuse absurd inputs before reading them whole. */
const MAX_MODEL_BYTES = 2 * 1024 * 1024 * 1024;

interface Imported {
  readonly project: Project;
  readonly weights: Map<NodeId, Float32Array[]>;
  readonly unmapped: readonly { readonly op: string; readonly count: number; readonly nodes: readonly string[] }[];
  readonly notes: readonly string[];
}

async function read(path: string): Promise<Uint8Array> {
  try {
    const bytes = await readFile(path);
    if (bytes.byteLength > MAX_MODEL_BYTES) throw new UsageError(`${path}: larger than 2 GB`);
    return new Uint8Array(bytes);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (e as Error).message}`);
  }
}

/** model.json and the weight files it lists, read from beside it. */
async function importTfjsFile(file: string, name: string | undefined): Promise<Imported> {
  const json = new TextDecoder().decode(await read(file));
  const shards = await Promise.all(listedWeightFiles(json).map((p) => read(join(dirname(file), p))));
  return importTfjs(json, shards, name ? { name } : {});
}

/** The model is valid but ops without a mapping cut its graph: nothing to write (exit 1, the importer's list on stderr). */
class CutByUnmapped extends Error {}

async function importFile(file: string, name: string | undefined): Promise<Imported> {
  try {
    if (file.endsWith('.json')) return await importTfjsFile(file, name);
    if (file.endsWith('.onnx')) return importOnnx(await read(file), name ? { name } : {});
  } catch (e) {
    if (e instanceof OnnxImportError && e.code === 'unmapped') throw new CutByUnmapped(`${file}: ${e.message}`);
    if (e instanceof TfjsImportError || e instanceof OnnxImportError) throw new UsageError(`${file}: ${e.message}`);
    throw e;
  }
  throw new UsageError(`${file}: expected an ONNX model (.onnx) or a TF.js model.json`);
}

/** `project.json` → `project.weights/`. */
export const weightsDirFor = (out: string): string => join(dirname(out), `${basename(out).replace(/\.json$/, '')}.weights`);

/** Compiles the project and writes its weights as TF.js files, so `export --weights` can load them. */
async function writeWeights(dir: string, imported: Imported): Promise<void> {
  await tf.setBackend('cpu');
  const { model } = compileGraph(analyzeGraph(imported.project.graph), { seed: 0 });
  setNodeWeights(tf, model, imported.weights);
  const files = await toTfjsFiles(model);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'model.json'), files.modelJson);
  await writeFile(join(dir, WEIGHTS_FILE), files.weights);
}

export async function importCommand(args: readonly string[]): Promise<number> {
  const { positional, flags } = parseFlags(args, ['out', 'name']);
  const out = flags.get('out');
  if (positional.length !== 1 || !out) throw new UsageError(IMPORT_USAGE);
  if (!out.endsWith('.json')) throw new UsageError(`--out is the project file to write and must end in .json; got "${out}"`);
  const file = positional[0]!;
  let imported: Imported;
  try {
    imported = await importFile(file, flags.get('name'));
  } catch (e) {
    if (!(e instanceof CutByUnmapped)) throw e;
    process.stderr.write(`${e.message}\n`);
    return 1;
  }
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify(imported.project, null, 2)}\n`);
  const notes = [...imported.notes];
  let weights: string | null = null;
  if (analyzeGraph(imported.project.graph).valid) {
    weights = weightsDirFor(out);
    await writeWeights(weights, imported);
  } else notes.push('weights were not written: the graph does not compile until the unmapped layers are replaced');
  writeLine({ project: out, weights, nodes: imported.project.graph.nodes.length, unmapped: imported.unmapped.map(({ op, count, nodes }) => ({ op, count, nodes })), notes });
  return imported.unmapped.length ? 1 : 0;
}
