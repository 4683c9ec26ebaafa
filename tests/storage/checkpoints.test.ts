// The checkpoint store over the real IndexedDB layer (fake-indexeddb) and the memory BlobStore,
// with TF.js training as the oracle: a run stopped at epoch 2, saved through the sink, loaded
// back from storage and resumed, matches an uninterrupted run exactly. Also: manifest last,
// a full disk, damaged files, and the keep-last-K / best policy.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { installFastCpuKernels } from '../../src/engine/runtime/cpu-kernels.js';
import { createTrainingControl, trainModel, type Checkpoint, type EpochRecord, type TrainOptions } from '../../src/engine/train/index.js';
import type { TrainingConfig } from '../../src/engine/project/types.js';
import { openStorageDb } from '../../src/storage/db/index.js';
import { createMemoryBlobStore, type MemoryBlobStore } from '../../src/storage/blobs/memory.js';
import { checkpointSink, createCheckpointStore } from '../../src/storage/checkpoints.js';
import { encodeCheckpoint } from '../../src/storage/checkpoint-codec.js';
import { StorageError, type ProjectId, type RunId, type StorageDb } from '../../src/storage/types.js';
import { circles, config, mlp } from '../engine/train-fixtures.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  installFastCpuKernels();
});

const train = circles(400, 1);
const validation = circles(200, 2);
const training: TrainingConfig = {
  optimizer: { name: 'adam', learningRate: 0.01 },
  schedule: { name: 'cosine', warmupSteps: 4 },
  metrics: ['accuracy'],
  batchSize: 48,
  epochs: 5,
  seed: 5,
  earlyStopping: { monitor: 'valLoss', patience: 10, restoreBestWeights: true },
};
const model = (seed = 1) => mlp({ hidden: [16], dropout: 0.3, seed });
const losses = (h: readonly EpochRecord[]) => h.map((r) => [r.epoch, r.loss, r.valLoss, r.learningRate]);
const runId = 'run-1' as RunId;
const projectId = 'proj-1' as ProjectId;
const meta = { runId, projectId };

const fit = (o: Omit<TrainOptions, 'onEvent' | 'model' | 'train' | 'validation' | 'config'> & Partial<Pick<TrainOptions, 'onEvent' | 'model' | 'config'>>) =>
  trainModel({ model: model(), train, validation, config: config(training), onEvent: () => {}, ...o });

async function fresh(quotaBytes?: number): Promise<{ db: StorageDb; blobs: MemoryBlobStore }> {
  return { db: await openStorageDb({ indexedDB: new IDBFactory() }), blobs: createMemoryBlobStore(quotaBytes === undefined ? {} : { quotaBytes }) };
}

/** Every checkpoint the loop produced, kept in memory alongside the store (the oracle's copy). */
function tee(sink: { save(c: Checkpoint): Promise<void> }) {
  const seen: Checkpoint[] = [];
  return { seen, sink: { save: async (c: Checkpoint) => (seen.push(structuredClone(c)), sink.save(c)) } };
}

describe('checkpoint store with training', () => {
  it('a run stopped at epoch 2, reloaded from storage and resumed, matches an uninterrupted run exactly', async () => {
    const whole = await fit({});
    const { db, blobs } = await fresh();
    const control = createTrainingControl();
    await fit({ control, checkpoints: { sink: checkpointSink(createCheckpointStore(db, blobs), meta) }, onEvent: (e) => e.type === 'epoch' && e.epoch === 2 && control.stop() });

    // "Reload": a new store over the same database and files.
    const store = createCheckpointStore(db, blobs);
    const final = (await store.list(runId)).find((r) => r.kind === 'final')!;
    expect(final).toMatchObject({ epoch: 2, globalStep: 18, projectId });
    expect(final.files.map((f) => f.path)).toEqual(['weights.bin', 'optimizer.bin', 'best.bin', 'state.json'].map((n) => `checkpoints/run-1/${final.id}/${n}`));
    const resumed = await fit({ model: model(99), resumeFrom: await store.load(final.id) });
    expect(losses(resumed.history)).toEqual(losses(whole.history));
  });

  it('keeps the last K periodic checkpoints and the best by valLoss, whose weights are that epoch’s', async () => {
    const { db, blobs } = await fresh();
    const store = createCheckpointStore(db, blobs);
    const t = tee(checkpointSink(store, meta, { keepLast: 2, best: { monitor: 'valLoss', mode: 'min' } }));
    const result = await fit({ checkpoints: { sink: t.sink } });
    const recs = await store.list(runId);
    const kinds = (k: string) => recs.filter((r) => r.kind === k);
    expect(kinds('periodic').map((r) => r.epoch).sort()).toEqual([3, 4]);
    expect(kinds('final').map((r) => r.epoch)).toEqual([5]);
    const vals = result.history.map((r) => r.valLoss!);
    const bestEpoch = vals.indexOf(Math.min(...vals)) + 1;
    expect(kinds('best')).toHaveLength(1);
    expect(kinds('best')[0]).toMatchObject({ epoch: bestEpoch, metric: { name: 'valLoss', value: Math.min(...vals) } });
    const loaded = await store.load(kinds('best')[0]!.id);
    const atBest = t.seen.find((c) => c.position.epoch === bestEpoch)!;
    expect(loaded.weights.map((w) => Array.from(w.values))).toEqual(atBest.weights.map((w) => Array.from(w.values)));
    // Every file the store holds belongs to a manifest: nothing was left behind by deletions.
    const named = new Set(recs.flatMap((r) => r.files.map((f) => f.path)));
    expect((await blobs.list('')).map((f) => f.path).filter((p) => !named.has(p))).toEqual([]);
  });
});

describe('checkpoint store guarantees', () => {
  let cp: Checkpoint;
  beforeAll(async () => {
    const seen: Checkpoint[] = [];
    await fit({ config: config({ ...training, epochs: 1 }), checkpoints: { sink: { save: async (c) => void seen.push(c) } } });
    cp = seen[0]!;
  });

  it('writes every file before the manifest', async () => {
    const { db, blobs } = await fresh();
    const log: string[] = [];
    const spyBlobs = { ...blobs, write: async (p: string, b: Uint8Array) => (log.push(`file ${p.split('/').pop()}`), blobs.write(p, b)) };
    const spyDb = Object.assign(Object.create(db) as StorageDb, { putCheckpoint: async (r: Parameters<StorageDb['putCheckpoint']>[0]) => (log.push('manifest'), db.putCheckpoint(r)) });
    await createCheckpointStore(spyDb, spyBlobs).save({ ...meta, kind: 'periodic' }, cp);
    expect(log).toEqual(['file weights.bin', 'file optimizer.bin', 'file best.bin', 'file state.json', 'manifest']);
  });

  it('on a full disk: StorageError quota, the previous checkpoint still loads, no files of the failed one remain', async () => {
    const size = encodeCheckpoint(cp).reduce((n, f) => n + f.bytes.length, 0);
    const { db, blobs } = await fresh(Math.round(size * 1.5)); // room for one checkpoint, not two
    const store = createCheckpointStore(db, blobs);
    const first = await store.save({ ...meta, kind: 'periodic' }, cp);
    const before = blobs.snapshot();
    const err = await store.save({ ...meta, kind: 'periodic' }, cp).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageError);
    expect((err as StorageError).code).toBe('quota');
    expect((err as StorageError).message).toMatch(/^Not enough storage to save the checkpoint of run run-1 \(epoch 1\)/);
    expect((await store.list(runId)).map((r) => r.id)).toEqual([first.id]);
    expect([...blobs.snapshot().keys()]).toEqual([...before.keys()]);
    expect((await store.load(first.id)).weights.map((w) => Array.from(w.values))).toEqual(cp.weights.map((w) => Array.from(w.values)));
  });

  it('refuses a damaged, resized or missing file, and an unknown id, naming them', async () => {
    const { db, blobs } = await fresh();
    const store = createCheckpointStore(db, blobs);
    const rec = await store.save({ ...meta, kind: 'periodic' }, cp);
    const w = rec.files[0]!.path;
    const good = (await blobs.read(w))!;
    const flipped = good.slice();
    flipped[5]! ^= 1;
    await blobs.write(w, flipped);
    await expect(store.load(rec.id)).rejects.toThrow(`checkpoint ${rec.id}: ${w} is damaged (its SHA-256 differs from the manifest's)`);
    await blobs.write(w, good.subarray(4));
    await expect(store.load(rec.id)).rejects.toThrow(`checkpoint ${rec.id}: ${w} is ${good.length - 4} bytes; its manifest says ${good.length}`);
    await blobs.delete(w);
    await expect(store.load(rec.id)).rejects.toMatchObject({ code: 'not-found', message: `checkpoint ${rec.id}: its file ${w} is missing` });
    await expect(store.load('nope' as never)).rejects.toMatchObject({ code: 'not-found' });
  });

  it('delete removes the manifest, then the files', async () => {
    const { db, blobs } = await fresh();
    const store = createCheckpointStore(db, blobs);
    const rec = await store.save({ ...meta, kind: 'periodic' }, cp);
    await store.delete(rec.id);
    expect(await db.getCheckpoint(rec.id)).toBeNull();
    expect(await blobs.list('')).toEqual([]);
  });

  it('refuses a run id that is not a safe path segment', async () => {
    const { db, blobs } = await fresh();
    await expect(createCheckpointStore(db, blobs).save({ runId: '../x' as RunId, projectId, kind: 'periodic' }, cp)).rejects.toThrow('has a ".." segment');
  });
});
