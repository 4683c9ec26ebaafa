// The exporter worker's checkpoint path, called in Node (fake-indexeddb + the memory BlobStore,
// onnxruntime-web's wasm provider): a run trained by the engine's loop and checkpointed through
// the storage sink exports to ONNX with the checkpoint's weights and the run's own graph even
// after the canvas changed — onnxruntime-web on the file gives what TF.js gives with the
// checkpoint's arrays, not what the initial weights give, and a second export is byte-identical
// (why history need not keep the bytes). A checkpoint from another graph, or one that is gone,
// is refused by name. An imported ONNX file goes file → named weights → stored project →
// export, and the export reproduces onnxruntime on the original file.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../../src/engine/compile/compile.js';
import { analyzeGraph } from '../../src/engine/graph/analyze.js';
import { OnnxImportError } from '../../src/engine/import/onnx/index.js';
import { CURRENT_VERSION, type Graph, type Project } from '../../src/engine/project/types.js';
import { GraphBuilder } from '../../src/engine/templates/builder.js';
import { weightKeys, writeNamed } from '../../src/engine/train/checkpoint.js';
import { trainModel } from '../../src/engine/train/index.js';
import { createMemoryBlobStore } from '../../src/storage/blobs/memory.js';
import { checkpointSink, createCheckpointStore } from '../../src/storage/checkpoints.js';
import { openStorageDb } from '../../src/storage/db/index.js';
import { newRunId } from '../../src/storage/ids.js';
import { saveImportedProject } from '../../src/storage/imported-weights.js';
import { newProjectRecord } from '../../src/storage/session.js';
import type { CheckpointId, CheckpointRecord, ProjectRecord, RunRecord, StorageDb, VersionRecord } from '../../src/storage/types.js';
import { saveVersion } from '../../src/storage/versioning.js';
import type { WeightsPayload } from '../../src/workers/exporter-api.js';
import { exportProject, importModelFile, type ExporterEnv, type ExporterStorage } from '../../src/workers/exporter-core.js';
import { feeds, fixture, runOrt, toOurLayout } from '../import/helpers.js';
import { circles, config } from '../engine/train-fixtures.js';

ort.env.wasm.numThreads = 1;
beforeAll(async () => {
  await tf.setBackend('cpu');
});

function project(hidden: number): Project {
  const g = new GraphBuilder();
  const x = g.input('x', [2]);
  const h = g.layer('h', 'Dense', { units: hidden, activation: 'relu' }, [x]);
  g.layer('out', 'Dense', { units: 2, activation: 'softmax' }, [h]);
  const training = { optimizer: { name: 'adam' as const, learningRate: 0.05 }, loss: 'sparseCategoricalCrossentropy' as const, batchSize: 32, epochs: 2, seed: 4 };
  return { format: 'neuralforge-project', version: CURRENT_VERSION, name: 'circles', graph: g.build(), training, dataset: {} };
}

const envOf = (storage: ExporterStorage): ExporterEnv => ({ storage: async () => storage, ort: async () => ort, providers: ['wasm'] });
const checkpointPayload = (id: CheckpointId): WeightsPayload => ({ kind: 'checkpoint', checkpointId: id });

function runRecord(p: ProjectRecord, version: VersionRecord): RunRecord {
  const now = Date.now();
  return {
    id: newRunId(), projectId: p.id, versionId: version.id, datasetVersion: null, datasetName: 'circles', config: p.draft.training, seed: 4, backend: 'cpu', adapter: null,
    status: 'completed', startedAt: now, endedAt: now, epochs: 2, finalMetrics: {}, tags: [], resumedFrom: null, error: null, name: null, notes: '',
  };
}

/** A stored project whose run trained 2 epochs through the storage sink; its final checkpoint. */
async function trainedRun(db: StorageDb, storage: ExporterStorage) {
  const p = project(5);
  const record = newProjectRecord(p, 'classification');
  await db.putProject(record);
  const analysis = analyzeGraph(p.graph);
  const version = (await saveVersion(db, record, p.graph, analysis.totals, 'trained'))!;
  const run = runRecord(record, version);
  await db.putRun(run);
  const { model } = compileGraph(analysis, { seed: 4 });
  await trainModel({ model, train: circles(128, 1), validation: null, config: config(p.training), onEvent: () => {}, checkpoints: { sink: checkpointSink(createCheckpointStore(db, storage.blobs), { runId: run.id, projectId: record.id }, { best: null }) } });
  model.dispose();
  const final = (await db.listCheckpoints(run.id)).find((c) => c.kind === 'final')!;
  return { p, record, version, run, final };
}

/** What TF.js predicts for `graph` with the stored checkpoint's arrays written in by name. */
async function tfjsWithCheckpoint(storage: ExporterStorage, graph: Graph, id: CheckpointId, x: Float32Array, n: number): Promise<Float32Array> {
  const cp = await createCheckpointStore(storage.db, storage.blobs).load(id);
  const { model } = compileGraph(analyzeGraph(graph), { seed: 999 });
  const keys = weightKeys(model);
  writeNamed(model.weights.map((w, i) => ({ key: keys[i]!, variable: w.read() as tf.Variable })), cp.weights, 'weights');
  const y = tf.tidy(() => (model.predict(tf.tensor(x, [n, 2])) as tf.Tensor).dataSync() as Float32Array);
  model.dispose();
  return y;
}

async function ortRun(bytes: Uint8Array, x: Float32Array, dims: number[]): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
  const out = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', x, dims) });
  await session.release();
  return out[session.outputNames[0]!]!.data as Float32Array;
}

const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

describe('exporting a stored checkpoint', () => {
  it("exports the checkpoint's weights with the run's own graph: onnxruntime matches TF.js on those weights, not the initial ones; twice gives the same bytes", async () => {
    const storage = { db: await openStorageDb({ indexedDB: new IDBFactory() }), blobs: createMemoryBlobStore() };
    const { p, version, run, final } = await trainedRun(storage.db, storage);
    expect(final.epoch).toBe(2);
    // The person widened the hidden layer afterwards: the canvas no longer matches the run.
    const edited = { ...p, graph: project(9).graph };
    const reply = await exportProject(edited, checkpointPayload(final.id), 'onnx', { samples: 4 }, envOf(storage));
    expect(reply.report?.passed, JSON.stringify(reply.report)).toBe(true);
    expect(reply.versionId).toBe(version.id);
    expect(reply.weights).toEqual({ kind: 'checkpoint', checkpointId: final.id, runId: run.id, checkpointKind: 'final', epoch: 2, imported: false });

    const n = 6;
    const x = Float32Array.from({ length: n * 2 }, (_, i) => Math.sin(i * 1.7));
    const exported = await ortRun(reply.files[0]!.bytes, x, [n, 2]);
    const expected = await tfjsWithCheckpoint(storage, version.graph, final.id, x, n);
    expect(maxAbs(exported, expected)).toBeLessThan(1e-5);

    const initial = await exportProject(p, null, 'onnx', { samples: 4 }, envOf(storage));
    expect(initial.weights).toEqual({ kind: 'initial' });
    expect(initial.versionId).toBeNull();
    expect(maxAbs(await ortRun(initial.files[0]!.bytes, x, [n, 2]), exported)).toBeGreaterThan(1e-3);

    const again = await exportProject(edited, checkpointPayload(final.id), 'onnx', { samples: 4 }, envOf(storage));
    expect(Buffer.from(again.files[0]!.bytes).equals(Buffer.from(reply.files[0]!.bytes))).toBe(true);
    storage.db.close();
  });

  it('refuses a checkpoint that belongs to another graph, and one that is gone, saying which', async () => {
    const storage = { db: await openStorageDb({ indexedDB: new IDBFactory() }), blobs: createMemoryBlobStore() };
    const { p, record, final } = await trainedRun(storage.db, storage);
    // A second run on a wider graph, holding (wrongly) the first run's arrays.
    const wide = project(9).graph;
    const v2 = (await saveVersion(storage.db, (await storage.db.getProject(record.id))!, wide, analyzeGraph(wide).totals, 'wider'))!;
    const run2 = runRecord(record, v2);
    await storage.db.putRun(run2);
    const stolen: CheckpointRecord = await createCheckpointStore(storage.db, storage.blobs).save({ runId: run2.id, projectId: record.id, kind: 'final' }, await createCheckpointStore(storage.db, storage.blobs).load(final.id));
    const refused = exportProject(p, checkpointPayload(stolen.id), 'onnx', {}, envOf(storage));
    await expect(refused).rejects.toThrow(`checkpoint ${stolen.id} (run ${run2.id}) does not fit architecture version ${v2.id}, so it was not exported: checkpoint weights: "h/kernel" is [2,5], the model's is [2,9]`);
    await expect(exportProject(p, checkpointPayload('gone' as CheckpointId), 'tfjs', {}, envOf(storage))).rejects.toThrow('checkpoint gone does not exist (it was deleted, or never finished writing)');
    // A damaged file is named too.
    const path = stolen.files.find((f) => f.path.endsWith('weights.bin'))!.path;
    await storage.blobs.write(path, new Uint8Array(stolen.files.find((f) => f.path === path)!.bytes));
    await expect(exportProject(p, checkpointPayload(stolen.id), 'onnx', {}, envOf(storage))).rejects.toThrow(/weights\.bin is damaged/);
    storage.db.close();
  });
});

describe('an imported model kept as a project', () => {
  it('exports with its stored imported weights and reproduces onnxruntime on the original file', async () => {
    const storage = { db: await openStorageDb({ indexedDB: new IDBFactory() }), blobs: createMemoryBlobStore() };
    const bytes = fixture('cnn');
    const imported = await importModelFile(bytes, 'cnn.onnx', []);
    expect(imported.project.name).toBe('cnn');
    expect(imported.weightsError).toBeNull();
    expect(imported.weights!.map((w) => w.name)).toContain('conv1/kernel');
    const saved = await saveImportedProject(storage.db, storage.blobs, imported);

    const reply = await exportProject(imported.project, checkpointPayload(saved.checkpoint!.id), 'onnx', { samples: 4 }, envOf(storage));
    expect(reply.report?.passed).toBe(true);
    expect(reply.weights).toMatchObject({ kind: 'checkpoint', imported: true, checkpointKind: 'final', epoch: 0 });
    expect(reply.versionId).toBe(saved.version.id);

    // The same inputs: NCHW for the original file, NHWC (our layout) for the export.
    const { importOnnx } = await import('../../src/engine/import/onnx/index.js');
    const imp = importOnnx(bytes);
    const inputs = feeds(imp, 2, 11);
    const io = imp.inputs[0]!;
    const f = inputs.get(io.name)!;
    const original = (await runOrt(bytes, inputs)).get(imp.outputs[0]!.name)!;
    const ours = await ortRun(reply.files[0]!.bytes, Float32Array.from(toOurLayout(f.data, f.dims, io.axes)), [2, ...io.shape]);
    expect(Math.max(...original.data) - Math.min(...original.data)).toBeGreaterThan(0.1); // not a comparison of near-zeros
    expect(maxAbs(ours, original.data)).toBeLessThan(1e-4);
    storage.db.close();
  });

  it("refuses a hostile file with the importer's own error", async () => {
    const hostile = Uint8Array.from({ length: 4096 }, (_, i) => (i * 131 + 7) & 0xff);
    const err = await importModelFile(hostile, 'hostile.onnx', []).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OnnxImportError);
    expect((err as Error).message.length).toBeGreaterThan(10);
  });
});
