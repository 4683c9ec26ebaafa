// The exporter worker's work without comlink or the browser, so Node tests call it directly:
// export a project with the weights asked for (a stored checkpoint is read here, together with
// the architecture version its run trained), and read a model file into a project whose weights
// are named as a checkpoint names them. exporter.worker.ts wraps both.
import * as tf from '@tensorflow/tfjs';
import type * as Ort from 'onnxruntime-web';
import { compileGraph } from '../engine/compile/compile.js';
import { exportModel } from '../engine/export/index.js';
import { loadWeightsByName } from '../engine/export/load-weights.js';
import type { OnnxProvider } from '../engine/export/onnx/validate.js';
import type { ExportFormat, ExportRunInfo } from '../engine/export/types.js';
import { setNodeWeights } from '../engine/export/weights.js';
import { analyzeGraph, type Analysis } from '../engine/graph/analyze.js';
import type { NodeId } from '../engine/ids.js';
import { importOnnx } from '../engine/import/onnx/index.js';
import { importTfjs, listedWeightFiles, TfjsImportError } from '../engine/import/tfjs.js';
import { describeProjectError, parseProject } from '../engine/project/parse.js';
import type { Project } from '../engine/project/types.js';
import { readNamed, weightKeys, writeNamed, type Checkpoint, type NamedArray } from '../engine/train/checkpoint.js';
import { TRAINING_DEFAULTS } from '../engine/train/config.js';
import { createCheckpointStore } from '../storage/checkpoints.js';
import type { ExportedWeights } from '../storage/export-history.js';
import { isImportedRun } from '../storage/imported-weights.js';
import type { BlobStore, CheckpointId, CheckpointRecord, RunRecord, StorageDb, VersionRecord } from '../storage/types.js';
import type { ExportOptions, ExportReply, ImportReply, SideFile, WeightsPayload } from './exporter-api.js';

/** Where checkpoints are read from: IndexedDB manifests and OPFS files (fake-indexeddb and memory in tests). */
export interface ExporterStorage {
  readonly db: StorageDb;
  readonly blobs: BlobStore;
}

export interface ExporterEnv {
  /** The device's storage, opened on first need (only checkpoint exports need it). */
  readonly storage: () => Promise<ExporterStorage>;
  /** onnxruntime-web, for validating ONNX and bundle exports. */
  readonly ort: () => Promise<typeof Ort>;
  /** Providers validated on when the request names none. */
  readonly providers: readonly OnnxProvider[];
}

/** A stored checkpoint with the run that wrote it and the architecture that run trained. */
export interface CheckpointSource {
  readonly manifest: CheckpointRecord;
  readonly run: RunRecord;
  readonly version: VersionRecord;
  readonly checkpoint: Checkpoint;
}

/**
 * Reads checkpoint `id`, its run and the run's architecture version.
 * @throws naming what is gone: the manifest, the run, the version, or a missing or damaged file.
 */
export async function loadCheckpointSource(storage: ExporterStorage, id: CheckpointId): Promise<CheckpointSource> {
  const { db, blobs } = storage;
  const manifest = await db.getCheckpoint(id);
  if (!manifest) throw new Error(`checkpoint ${id} does not exist (it was deleted, or never finished writing)`);
  const run = await db.getRun(manifest.runId);
  if (!run) throw new Error(`checkpoint ${id} belongs to run ${manifest.runId}, which no longer exists`);
  const version = await db.getVersion(run.versionId);
  if (!version) throw new Error(`run ${run.id} trained architecture version ${run.versionId}, which no longer exists`);
  return { manifest, run, version, checkpoint: await createCheckpointStore(db, blobs).load(id) };
}

/** Named targets for `writeNamed`/`readNamed`: the model's weights under their stable names. */
function namedVariables(model: tf.LayersModel): { key: string; variable: tf.Variable }[] {
  const keys = weightKeys(model);
  return model.weights.map((w, i) => ({ key: keys[i]!, variable: w.read() as tf.Variable }));
}

/** Writes the checkpoint's weights into `model`; refuses (naming the first mismatch) when they belong to another graph. */
export function writeCheckpointWeights(model: tf.LayersModel, source: CheckpointSource): void {
  try {
    writeNamed(namedVariables(model), source.checkpoint.weights, 'weights');
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new Error(`checkpoint ${source.manifest.id} (run ${source.run.id}) does not fit architecture version ${source.version.id}, so it was not exported: ${why}`);
  }
}

/** What to export: the project (with a checkpoint's own graph), how to load its weights, and what to say about them. */
interface Plan {
  readonly project: Project;
  readonly weights: ExportedWeights;
  readonly versionId: VersionRecord['id'] | null;
  readonly run?: ExportRunInfo;
  readonly load: (model: tf.LayersModel) => void;
}

function parsedProject(doc: unknown, what: string): Project {
  const parsed = parseProject(doc);
  if (!parsed.ok) throw new Error(`${what} is not valid: ${describeProjectError(parsed.error)}`);
  return parsed.project;
}

async function planExport(doc: unknown, payload: WeightsPayload | null, env: ExporterEnv): Promise<Plan> {
  const project = parsedProject(doc, 'the project');
  if (!payload) return { project, weights: { kind: 'initial' }, versionId: null, load: () => {} };
  switch (payload.kind) {
    case 'nodes':
      return { project, weights: { kind: 'supplied' }, versionId: null, load: (m) => setNodeWeights(tf, m, new Map(payload.nodes.map(([id, arrays]) => [id as NodeId, arrays]))) };
    case 'tfjs-files':
      return { project, weights: { kind: 'supplied' }, versionId: null, load: (m) => loadWeightsByName(tf, m, payload.modelJson, payload.shards) };
    case 'checkpoint': {
      const source = await loadCheckpointSource(await env.storage(), payload.checkpointId);
      const { manifest, run, version, checkpoint } = source;
      // The run's own architecture, whatever the canvas holds now; the project's other fields stay.
      const own = parsedProject({ ...project, graph: version.graph }, `architecture version ${version.id}`);
      return {
        project: own,
        weights: { kind: 'checkpoint', checkpointId: manifest.id, runId: run.id, checkpointKind: manifest.kind, epoch: manifest.epoch, imported: isImportedRun(run) },
        versionId: version.id,
        run: { id: run.id, epochs: checkpoint.history.map((h) => ({ epoch: h.epoch, loss: h.loss, valLoss: h.valLoss, metrics: { ...h.metrics } })) },
        load: (m) => writeCheckpointWeights(m, source),
      };
    }
    default: {
      const never: never = payload;
      throw new Error(`unknown weights payload ${JSON.stringify(never)}`);
    }
  }
}

function validAnalysis(project: Project): Analysis {
  const analysis = analyzeGraph(project.graph);
  if (!analysis.valid) throw new Error(`the graph has errors; fix them before exporting (first: ${analysis.diagnostics.find((d) => d.severity === 'error')?.message})`);
  return analysis;
}

/**
 * Exports `doc` (untrusted) with `payload`'s weights, or the seeded initial ones when null. A
 * checkpoint payload exports the architecture its run trained. TF.js's current backend computes
 * the reference outputs of the ONNX validation.
 * @throws on an invalid project or graph, a checkpoint that is gone or belongs to another graph, or an ExportError.
 */
export async function exportProject(doc: unknown, payload: WeightsPayload | null, format: ExportFormat, options: ExportOptions, env: ExporterEnv): Promise<Extract<ExportReply, { ok: true }>> {
  const t0 = performance.now();
  const plan = await planExport(doc, payload, env);
  const analysis = validAnalysis(plan.project);
  const { model } = compileGraph(analysis, { seed: plan.project.training.seed ?? TRAINING_DEFAULTS.seed });
  try {
    plan.load(model);
    const ort = format === 'onnx' || format === 'bundle' ? await env.ort() : undefined;
    const input = { project: plan.project, analysis, model, ...(plan.run ? { run: plan.run } : {}) };
    const result = await exportModel(format, input, { ort, providers: options.providers ?? env.providers, samples: options.samples });
    return { ok: true, files: result.files, report: result.report, bytes: result.bytes, ms: performance.now() - t0, weights: plan.weights, versionId: plan.versionId };
  } finally {
    model.dispose();
  }
}

/** A project name from a file name: "cnn.onnx" → "cnn". */
const nameFrom = (fileName: string): string | undefined => fileName.replace(/\.(onnx|json)$/i, '').trim().slice(0, 200) || undefined;

/** model.json with the weight files picked beside it, matched by file name (the browser gives no folders). */
function importTfjsFiles(json: Uint8Array, sideFiles: readonly SideFile[], name: string | undefined) {
  const text = new TextDecoder('utf-8', { fatal: true }).decode(json);
  const byName = new Map(sideFiles.map((f) => [f.name, new Uint8Array(f.bytes)]));
  const paths = listedWeightFiles(text);
  const missing = paths.filter((p) => !byName.has(p.split('/').pop()!));
  if (missing.length) throw new TfjsImportError('weights-mismatch', `model.json lists weight files that were not picked with it: ${missing.join(', ')}`);
  return importTfjs(text, paths.map((p) => byName.get(p.split('/').pop()!)!), name ? { name } : {});
}

/**
 * Reads an ONNX file or a TF.js model.json (with its weight files) into a project named after
 * the file, and names its weights as a checkpoint would (compile, load, read back by `weightKeys`).
 * @throws OnnxImportError / TfjsImportError with the importer's message for a file it refuses.
 */
export async function importModelFile(bytes: Uint8Array, fileName: string, sideFiles: readonly SideFile[]): Promise<Extract<ImportReply, { ok: true }>> {
  const name = nameFrom(fileName);
  const imported = /\.onnx$/i.test(fileName)
    ? { source: 'onnx' as const, ...importOnnx(bytes, name ? { name } : {}) }
    : { source: 'tfjs' as const, ...importTfjsFiles(bytes, sideFiles, name) };
  const project = parsedProject(JSON.parse(JSON.stringify(imported.project)), 'the imported project');
  const analysis = analyzeGraph(project.graph);
  const totals = { params: analysis.totals.params, trainableParams: analysis.totals.trainableParams, flops: analysis.totals.flops };
  let weights: NamedArray[] | null = null;
  let weightsError: string | null = null;
  if (analysis.valid) {
    const { model } = compileGraph(analysis, { seed: project.training.seed ?? TRAINING_DEFAULTS.seed });
    try {
      setNodeWeights(tf, model, imported.weights);
      weights = await readNamed(namedVariables(model));
    } finally {
      model.dispose();
    }
  } else {
    weightsError = `the graph has errors (first: ${analysis.diagnostics.find((d) => d.severity === 'error')?.message}), so its weights cannot be loaded into a model`;
  }
  const unmapped = imported.unmapped.map(({ op, count, nodes }) => ({ op, count, nodes }));
  return { ok: true, source: imported.source, fileName, project, totals, weights, weightsError, unmapped, notes: imported.notes };
}
