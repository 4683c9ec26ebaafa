// Crash safety end to end over the real IndexedDB layer (fake-indexeddb) and the memory
// BlobStore: a tab killed mid-checkpoint, mid-dataset-import, or mid-write leaves the previous
// state readable, and the collector removes exactly the leftovers — never a file a record names,
// never while a writer is between its first file and its record.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { openStorageDb } from '../../src/storage/db/index.js';
import { createMemoryBlobStore, SimulatedCrash } from '../../src/storage/blobs/memory.js';
import { createCheckpointStore } from '../../src/storage/checkpoints.js';
import { encodeCheckpoint } from '../../src/storage/checkpoint-codec.js';
import { chunkPath, readDatasetBytes, saveDatasetBytes, type DatasetMeta } from '../../src/storage/datasets.js';
import { collectGarbage } from '../../src/storage/gc.js';
import { resolveTrainingConfig } from '../../src/engine/train/config.js';
import type { Checkpoint } from '../../src/engine/train/checkpoint.js';
import type { ProjectId, RunId, StorageDb } from '../../src/storage/types.js';

const checkpoint = (epoch: number, fill: number): Checkpoint => ({
  format: 'neuralforge-checkpoint',
  version: 1,
  reason: 'interval',
  config: resolveTrainingConfig({ loss: 'meanSquaredError', epochs: 10 }),
  trainCount: 10,
  position: { epoch, step: 0, microBatch: 0, globalStep: epoch * 3, microStep: epoch * 3 },
  weights: [{ name: 'd/kernel', shape: [4, 4], dtype: 'float32', values: new Float32Array(16).fill(fill) }],
  optimizer: { name: 'adam', iterations: epoch * 3, slots: [{ name: 'd/kernel/m', shape: [16], dtype: 'float32', values: new Float32Array(16).fill(-fill) }] },
  partialEpoch: null,
  earlyStopping: null,
  bestWeights: null,
  history: [],
});
const meta = { runId: 'run-1' as RunId, projectId: 'p' as ProjectId, kind: 'periodic' as const };
const dsMeta = (name: string): DatasetMeta => ({ name, source: { source: 'file', path: name }, format: 'other', columns: [], classes: null, splits: { train: 1, validation: 0, test: 0 } });
const bytes = (n: number, seed: number) => new Uint8Array(n).map((_, i) => (Math.imul(i + seed * 7919, 2654435761) >>> 13) & 255);

async function fresh() {
  const db = await openStorageDb({ indexedDB: new IDBFactory() });
  const blobs = createMemoryBlobStore();
  return { db, blobs, store: createCheckpointStore(db, blobs) };
}

describe('crash safety and garbage collection', () => {
  it('killed mid-checkpoint (files written, no manifest): the previous checkpoint loads; GC removes exactly the partial files', async () => {
    const { db, blobs, store } = await fresh();
    const a = await store.save(meta, checkpoint(1, 0.5));
    // What a tab killed before the manifest leaves: some complete files and a temporary one.
    const [w, o] = encodeCheckpoint(checkpoint(2, 0.75));
    await blobs.write('checkpoints/run-1/dead/weights.bin', w!.bytes);
    blobs.crashAfter(0);
    await expect(blobs.write('checkpoints/run-1/dead/optimizer.bin', o!.bytes)).rejects.toBeInstanceOf(SimulatedCrash);
    const leftovers = (await blobs.list('')).map((f) => f.path).filter((p) => p.includes('/dead/'));
    expect(leftovers).toEqual(['checkpoints/run-1/dead/optimizer.bin.tmp-' + leftovers[0]!.split('.tmp-')[1], 'checkpoints/run-1/dead/weights.bin']);

    expect((await store.list(meta.runId)).map((r) => r.id)).toEqual([a.id]);
    expect(Array.from((await store.load(a.id)).weights[0]!.values)).toEqual(new Array(16).fill(0.5));
    const gc = await collectGarbage(db, blobs);
    expect(gc).toEqual({ removedFiles: leftovers, freedBytes: w!.bytes.length + o!.bytes.length, skipped: false });
    expect((await blobs.list('')).map((f) => f.path)).toEqual(a.files.map((f) => f.path).sort());
    expect(Array.from((await store.load(a.id)).weights[0]!.values)).toEqual(new Array(16).fill(0.5));
    expect(await collectGarbage(db, blobs)).toEqual({ removedFiles: [], freedBytes: 0, skipped: false });
  });

  it('killed mid-dataset-import (some chunks, no record): earlier datasets read; orphans go, shared chunks stay', async () => {
    const { db, blobs } = await fresh();
    const first = bytes(3000, 1);
    const a = await saveDatasetBytes(db, blobs, dsMeta('a'), first, 1000);
    // B starts with A's first chunk (deduplicated), then new ones; the tab dies on B's third chunk.
    const b = new Uint8Array(5000);
    b.set(first.subarray(0, 1000));
    b.set(bytes(4000, 2), 1000);
    blobs.crashAfter(1);
    await expect(saveDatasetBytes(db, blobs, dsMeta('b'), b, 1000)).rejects.toMatchObject({ code: 'unavailable' });
    expect((await db.listDatasets()).map((d) => d.name)).toEqual(['a']);
    expect(await readDatasetBytes(db, blobs, a.id)).toEqual(first);

    const gc = await collectGarbage(db, blobs);
    expect(gc.removedFiles).toHaveLength(2); // B's one new complete chunk and the temporary file
    expect(gc.removedFiles.filter((p) => p.includes('.tmp-'))).toHaveLength(1);
    expect((await blobs.list('')).map((f) => f.path).sort()).toEqual(a.chunks.map(chunkPath).sort());
    expect(await readDatasetBytes(db, blobs, a.id)).toEqual(first);
  });

  it('a temporary file from an interrupted overwrite is removed; the original is intact', async () => {
    const { db, blobs } = await fresh();
    const a = await saveDatasetBytes(db, blobs, dsMeta('a'), bytes(500, 1), 1000);
    const path = chunkPath(a.chunks[0]!);
    blobs.crashAfter(0);
    await expect(blobs.write(path, bytes(500, 9))).rejects.toBeInstanceOf(SimulatedCrash);
    expect(await blobs.list('')).toHaveLength(2);
    const gc = await collectGarbage(db, blobs);
    expect(gc.removedFiles).toEqual([expect.stringMatching(new RegExp(`^${path}\\.tmp-`))]);
    expect(await readDatasetBytes(db, blobs, a.id)).toEqual(bytes(500, 1));
  });

  it('collects files of deleted checkpoints and datasets, and leaves other folders alone', async () => {
    const { db, blobs, store } = await fresh();
    const keep = await store.save(meta, checkpoint(1, 1));
    const gone = await store.save(meta, checkpoint(2, 2));
    await db.deleteCheckpoint(gone.id); // e.g. db.deleteRun, which leaves files to the caller
    const ds = await saveDatasetBytes(db, blobs, dsMeta('d'), bytes(100, 5));
    await db.deleteDataset(ds.id);
    await blobs.write('exports/model.onnx', new Uint8Array(3));
    const gc = await collectGarbage(db, blobs);
    expect(gc.removedFiles.sort()).toEqual([...gone.files.map((f) => f.path), chunkPath(ds.chunks[0]!)].sort());
    expect(gc.freedBytes).toBe(gone.bytes + 100);
    expect((await blobs.list('')).map((f) => f.path).sort()).toEqual([...keep.files.map((f) => f.path), 'exports/model.onnx'].sort());
  });

  it('does not run while a checkpoint is between its first file and its manifest', async () => {
    const { db, blobs } = await fresh();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slowDb = Object.assign(Object.create(db) as StorageDb, { putCheckpoint: async (r: Parameters<StorageDb['putCheckpoint']>[0]) => (await gate, db.putCheckpoint(r)) });
    const saving = createCheckpointStore(slowDb, blobs).save(meta, checkpoint(1, 3));
    await new Promise((r) => setTimeout(r, 10)); // the files are written; the manifest waits
    expect((await blobs.list('checkpoints/')).length).toBe(3);
    expect(await collectGarbage(db, blobs)).toEqual({ removedFiles: [], freedBytes: 0, skipped: true });
    release();
    const rec = await saving;
    expect(await collectGarbage(db, blobs)).toEqual({ removedFiles: [], freedBytes: 0, skipped: false });
    expect(Array.from((await createCheckpointStore(db, blobs).load(rec.id)).weights[0]!.values)).toEqual(new Array(16).fill(3));
  });
});
