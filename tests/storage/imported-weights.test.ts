// Imported weights kept as a project (fake-indexeddb + the memory BlobStore): a PyTorch ONNX
// file imported, its weights named by TF.js's compiled model, saved as a completed 'imported'
// run with a 'final' checkpoint, load back as the same arrays bit for bit — and, loaded into a
// fresh compile, give onnxruntime-web's outputs on the original file. The empty optimizer state
// is accepted by the codec, and the engine's own resume refuses it (so it is not resumable)
// except for plain SGD. A full disk undoes the whole import.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../../src/engine/compile/compile.js';
import { setNodeWeights } from '../../src/engine/export/weights.js';
import { analyzeGraph } from '../../src/engine/graph/analyze.js';
import { importOnnx } from '../../src/engine/import/onnx/index.js';
import type { Project } from '../../src/engine/project/types.js';
import { readNamed, weightKeys, writeNamed, type NamedArray } from '../../src/engine/train/checkpoint.js';
import { trainModel } from '../../src/engine/train/index.js';
import { createMemoryBlobStore } from '../../src/storage/blobs/memory.js';
import { createCheckpointStore } from '../../src/storage/checkpoints.js';
import { openStorageDb } from '../../src/storage/db/index.js';
import { importedCheckpoint, isImportedRun, isResumable, saveImportedProject } from '../../src/storage/imported-weights.js';
import { StorageError } from '../../src/storage/types.js';
import { graphHash } from '../../src/storage/versioning.js';
import { feeds, fixture, maxDiff, runOrt, toOurLayout } from '../import/helpers.js';
import { circles, config, mlp } from '../engine/train-fixtures.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const variables = (model: tf.LayersModel) => {
  const keys = weightKeys(model);
  return model.weights.map((w, i) => ({ key: keys[i]!, variable: w.read() as tf.Variable }));
};

/** cnn.onnx imported as the worker does it: project, totals, and its weights named by weightKeys. */
async function importCnn() {
  const imp = importOnnx(fixture('cnn'), { name: 'cnn' });
  const analysis = analyzeGraph(imp.project.graph);
  const { model } = compileGraph(analysis, { seed: 0 });
  setNodeWeights(tf, model, imp.weights);
  const weights = await readNamed(variables(model));
  model.dispose();
  const totals = { params: analysis.totals.params, trainableParams: analysis.totals.trainableParams, flops: analysis.totals.flops };
  return { imp, project: imp.project as Project, totals, weights };
}

const fresh = async (quotaBytes?: number) => ({ db: await openStorageDb({ indexedDB: new IDBFactory() }), blobs: createMemoryBlobStore(quotaBytes === undefined ? {} : { quotaBytes }) });

describe('imported weights', () => {
  it('are kept as a completed imported run whose final checkpoint loads back the same arrays, which reproduce onnxruntime on the file', async () => {
    const { imp, project, totals, weights } = await importCnn();
    const { db, blobs } = await fresh();
    const saved = await saveImportedProject(db, blobs, { project, fileName: 'cnn.onnx', totals, weights }, 5000);

    expect(saved.weightsNotKept).toBeNull();
    const stored = (await db.getProject(saved.project.id))!;
    expect(stored).toMatchObject({ name: 'cnn', headVersion: saved.version.id, ui: { selectedRunId: saved.run!.id } });
    const version = (await db.getVersion(saved.version.id))!;
    expect(version.graphHash).toBe(await graphHash(project.graph));
    expect(version.totals).toEqual(totals);
    const run = (await db.getRun(saved.run!.id))!;
    expect(run).toMatchObject({ projectId: stored.id, versionId: version.id, status: 'completed', epochs: 0, tags: ['imported'], datasetName: 'imported from cnn.onnx', startedAt: 5000, endedAt: 5000 });
    expect(isImportedRun(run) && !isResumable(run)).toBe(true);
    const manifests = await db.listCheckpoints(run.id);
    expect(manifests.map((m) => [m.kind, m.epoch, m.globalStep])).toEqual([['final', 0, 0]]);

    const loaded = await createCheckpointStore(db, blobs).load(manifests[0]!.id);
    expect(loaded.optimizer.slots).toEqual([]);
    expect(loaded.weights.map((w) => w.name)).toEqual(weights.map((w) => w.name));
    loaded.weights.forEach((w, i) => {
      expect(w.shape).toEqual(weights[i]!.shape);
      expect(Buffer.from(w.values.buffer, w.values.byteOffset, w.values.byteLength).equals(Buffer.from(weights[i]!.values.buffer, weights[i]!.values.byteOffset, weights[i]!.values.byteLength)), w.name).toBe(true);
    });

    // The oracle: the stored arrays, written by name into a fresh compile of the stored graph, give what onnxruntime gives on the original file.
    const { model } = compileGraph(analyzeGraph(version.graph), { seed: 123 });
    writeNamed(variables(model), loaded.weights, 'weights');
    const inputs = feeds(imp, 3, 7);
    const io = imp.inputs[0]!;
    const f = inputs.get(io.name)!;
    const x = tf.tensor(toOurLayout(f.data, f.dims, io.axes), [3, ...io.shape]);
    const y = Array.from((model.predict(x) as tf.Tensor).dataSync());
    const expected = await runOrt(fixture('cnn'), inputs);
    const diff = maxDiff(imp, new Map([[imp.outputs[0]!.name, y]]), expected);
    expect(diff).toBeLessThan(1e-4);
    model.dispose();
    db.close();
  });

  it('has no optimizer state, which the engine resume refuses for Adam and accepts for plain SGD', async () => {
    const model = mlp({ hidden: [4], seed: 2 });
    const weights = await readNamed(variables(model));
    const train = circles(64, 3);
    const adam = { optimizer: { name: 'adam' as const, learningRate: 0.01 }, loss: 'sparseCategoricalCrossentropy' as const, epochs: 1, batchSize: 32 };
    const resume = (t: typeof adam | { optimizer: { name: 'sgd'; learningRate: number }; loss: 'sparseCategoricalCrossentropy'; epochs: number; batchSize: number }) =>
      trainModel({ model, train, validation: null, config: config(t), onEvent: () => {}, resumeFrom: importedCheckpoint(t, weights) });
    await expect(resume(adam)).rejects.toThrow(/optimizer state: has 0 arrays, this model needs 8/); // m and v for 4 weights
    const sgd = await resume({ optimizer: { name: 'sgd', learningRate: 0.01 }, loss: 'sparseCategoricalCrossentropy', epochs: 1, batchSize: 32 });
    expect(sgd.epochs).toBe(1);
    model.dispose();
  });

  it('a full disk undoes the import; without file storage or nameable weights the project is kept alone, saying why', async () => {
    const { project, totals, weights } = await importCnn();
    const full = await fresh(1024); // far less than the CNN's weights
    const err = await saveImportedProject(full.db, full.blobs, { project, fileName: 'cnn.onnx', totals, weights }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageError);
    expect((err as StorageError).code).toBe('quota');
    expect(await full.db.listProjects()).toEqual([]);
    expect(full.blobs.usage()).toBe(0);

    const noOpfs = await fresh();
    const alone = await saveImportedProject(noOpfs.db, null, { project, fileName: 'cnn.onnx', totals, weights });
    expect(alone.run).toBeNull();
    expect(alone.weightsNotKept).toMatch(/no file storage \(OPFS\)/);
    expect((await noOpfs.db.getProject(alone.project.id))!.ui.selectedRunId).toBeNull();
    expect(await noOpfs.db.listRuns(alone.project.id)).toEqual([]);

    const unnamed = await saveImportedProject(noOpfs.db, noOpfs.blobs, { project, fileName: 'odd.onnx', totals, weights: null as readonly NamedArray[] | null });
    expect(unnamed.weightsNotKept).toMatch(/layers without a NeuralForge kind/);
    expect((await noOpfs.db.getVersion(unnamed.version.id))!.graph).toEqual(project.graph);
    full.db.close();
    noOpfs.db.close();
  });
});
