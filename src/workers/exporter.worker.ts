// The exporter worker: exposes ExporterApi over comlink. TF.js, the exporters, the importers and
// onnxruntime-web all load here, never in the page. The project and files arriving here are
// untrusted: projects go through parseProject, models through the importers' own checks.
import * as tf from '@tensorflow/tfjs';
import * as Comlink from 'comlink';
import { compileGraph } from '../engine/compile/compile.js';
import { exportModel } from '../engine/export/index.js';
import { loadWeightsByName } from '../engine/export/load-weights.js';
import { ExportError, type ExportFormat } from '../engine/export/types.js';
import { setNodeWeights } from '../engine/export/weights.js';
import { analyzeGraph } from '../engine/graph/analyze.js';
import type { NodeId } from '../engine/ids.js';
import { importOnnx, OnnxImportError } from '../engine/import/onnx/index.js';
import { importTfjs, listedWeightFiles, TfjsImportError } from '../engine/import/tfjs.js';
import { describeProjectError, parseProject } from '../engine/project/parse.js';
import { TRAINING_DEFAULTS } from '../engine/train/config.js';
import type { ExporterApi, ExportOptions, ExportReply, ImportReply, SideFile, WeightsPayload } from './exporter-api.js';
import { loadOrt, VALIDATION_PROVIDERS } from './ort-env.js';
import { toWireError } from './trainer-api.js';

/** Each distinct buffer once: comlink refuses to transfer one buffer twice. */
const buffersOf = (views: readonly ArrayBufferView[]): ArrayBuffer[] => [...new Set(views.map((v) => v.buffer as ArrayBuffer))];

/** TF.js's cpu backend: exact float32, so the ONNX comparison measures the export, not the GPU. */
let backend: Promise<unknown> | null = null;
const ready = () => (backend ??= tf.setBackend('cpu').then(() => tf.ready()));

/** Exports take turns: TF.js variables and the ORT session are per worker. */
let turn: Promise<unknown> = Promise.resolve();
function exclusive<T>(f: () => Promise<T>): Promise<T> {
  const next = turn.then(f);
  turn = next.catch(() => undefined);
  return next;
}

function applyWeights(model: tf.LayersModel, weights: WeightsPayload): void {
  switch (weights.kind) {
    case 'nodes':
      setNodeWeights(tf, model, new Map(weights.nodes.map(([id, arrays]) => [id as NodeId, arrays])));
      return;
    case 'tfjs-files':
      loadWeightsByName(tf, model, weights.modelJson, weights.shards);
      return;
    default: {
      const never: never = weights;
      throw new Error(`unknown weights payload ${JSON.stringify(never)}`);
    }
  }
}

async function runExport(doc: unknown, weights: WeightsPayload | null, format: ExportFormat, options: ExportOptions): Promise<ExportReply> {
  const t0 = performance.now();
  const parsed = parseProject(doc);
  if (!parsed.ok) throw new Error(`the project is not valid: ${describeProjectError(parsed.error)}`);
  const project = parsed.project;
  const analysis = analyzeGraph(project.graph);
  if (!analysis.valid) throw new Error(`the graph has errors; fix them before exporting (first: ${analysis.diagnostics.find((d) => d.severity === 'error')?.message})`);
  await ready();
  const { model } = compileGraph(analysis, { seed: project.training.seed ?? TRAINING_DEFAULTS.seed });
  try {
    if (weights) applyWeights(model, weights);
    const needsOrt = format === 'onnx' || format === 'bundle';
    const ort = needsOrt ? await loadOrt() : undefined;
    const result = await exportModel(format, { project, analysis, model }, { ort, providers: options.providers ?? VALIDATION_PROVIDERS, samples: options.samples });
    const reply: ExportReply = { ok: true, files: result.files, report: result.report, bytes: result.bytes, ms: performance.now() - t0 };
    return Comlink.transfer(reply, buffersOf(result.files.map((f) => f.bytes)));
  } finally {
    model.dispose();
  }
}

function runImport(bytes: ArrayBuffer, fileName: string, sideFiles: readonly SideFile[]): ImportReply {
  const data = new Uint8Array(bytes);
  const imported = /\.onnx$/i.test(fileName) ? { source: 'onnx' as const, ...importOnnx(data) } : { source: 'tfjs' as const, ...importTfjsFiles(data, sideFiles) };
  const parsed = parseProject(JSON.parse(JSON.stringify(imported.project)));
  if (!parsed.ok) throw new Error(`the imported project does not validate: ${describeProjectError(parsed.error)}`);
  const weights = [...imported.weights].map(([id, arrays]) => [id, arrays] as const);
  const reply: ImportReply = { ok: true, source: imported.source, project: parsed.project, weights, unmapped: imported.unmapped.map(({ op, count, nodes }) => ({ op, count, nodes })), notes: imported.notes };
  return Comlink.transfer(reply, buffersOf(weights.flatMap(([, arrays]) => arrays)));
}

/** model.json with the weight files picked beside it, matched by file name. */
function importTfjsFiles(json: Uint8Array, sideFiles: readonly SideFile[]) {
  const text = new TextDecoder('utf-8', { fatal: true }).decode(json);
  const byName = new Map(sideFiles.map((f) => [f.name, new Uint8Array(f.bytes)]));
  // Weight files are matched by name: the browser gives no folders.
  const paths = listedWeightFiles(text);
  const missing = paths.filter((p) => !byName.has(p.split('/').pop()!));
  if (missing.length) throw new TfjsImportError('weights-mismatch', `model.json lists weight files that were not picked with it: ${missing.join(', ')}`);
  return importTfjs(text, paths.map((p) => byName.get(p.split('/').pop()!)!));
}

const api: ExporterApi = {
  export: (project, weights, format, options = {}) =>
    exclusive(async () => {
      try {
        return await runExport(project, weights, format, options);
      } catch (e) {
        return { ok: false, error: toWireError(e), unsupported: e instanceof ExportError ? e.unsupported : [] };
      }
    }),

  importModel: async (bytes, fileName, sideFiles = []) => {
    try {
      return runImport(bytes, fileName, sideFiles);
    } catch (e) {
      const code = e instanceof OnnxImportError || e instanceof TfjsImportError ? e.code : null;
      return { ok: false, error: toWireError(e), code };
    }
  },
};

Comlink.expose(api);
