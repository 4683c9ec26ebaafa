// The dataset library without a browser (fake-indexeddb + the memory BlobStore): an import is
// kept as hash-named chunks plus a record and reads back byte for byte; identical content is
// kept once; runs record the version (node:crypto recomputes it as the oracle); a 'stored'
// request trains exactly like the file it was imported from (same losses on cpu); a write cut
// short leaves no record and the collector removes its chunks; the page lists and deletes.
import 'fake-indexeddb/auto';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { IDBFactory } from 'fake-indexeddb';
import { unzipSync } from 'fflate';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { rng } from '../../src/engine/random.js';
import { CURRENT_VERSION, type Project } from '../../src/engine/project/types.js';
import { GraphBuilder } from '../../src/engine/templates/builder.js';
import { findTemplate } from '../../src/engine/templates/index.js';
import { TrainingControl } from '../../src/engine/train/index.js';
import { createMemoryBlobStore, type MemoryBlobStore } from '../../src/storage/blobs/memory.js';
import { chunkPath } from '../../src/storage/datasets.js';
import { openStorageDb } from '../../src/storage/db/index.js';
import { collectGarbage } from '../../src/storage/gc.js';
import { newProjectId } from '../../src/storage/ids.js';
import type { ContentHash, DatasetRecord, ProjectId, StorageDb } from '../../src/storage/types.js';
import { deleteKeptDataset, deleteWarning, listKeptDatasets, runsTrainedOn } from '../../src/editor/training/dataset-library.js';
import { contentVersion, folderFiles, folderZip, keepDataset, parsedShape, readStoredDataset, type ImportedBytes } from '../../src/workers/dataset-library.js';
import { loadForRun } from '../../src/workers/load-run-data.js';
import { runTraining } from '../../src/workers/run-training.js';
import { runId, type DatasetRequest, type StartRequest, type TrainerEvent } from '../../src/workers/trainer-api.js';

/** The oracle: node:crypto, not the WebCrypto code under test. SHA-256 over "<chunk sha256>\n" per chunk. */
function oracleVersion(bytes: Uint8Array, chunkSize = 4 * 1024 * 1024): string {
  let lines = '';
  for (let at = 0; at < bytes.length; at += chunkSize) lines += `${createHash('sha256').update(bytes.subarray(at, at + chunkSize)).digest('hex')}\n`;
  return createHash('sha256').update(lines).digest('hex');
}

function circlesCsv(count: number, seed: number): Uint8Array {
  const rand = rng(seed);
  const rows = ['a,b,label'];
  for (let i = 0; i < count; i++) {
    const a = rand() * 2 - 1;
    const b = rand() * 2 - 1;
    rows.push(`${a.toFixed(4)},${b.toFixed(4)},${a * a + b * b < 0.36 ? 'in' : 'out'}`);
  }
  return new TextEncoder().encode(rows.join('\n'));
}

function circlesProject(): Project {
  const g = new GraphBuilder();
  const h = g.layer('h', 'Dense', { units: 8, activation: 'relu' }, [g.input('x', [2])]);
  g.layer('out', 'Dense', { units: 2, activation: 'softmax' }, [h]);
  return {
    format: 'neuralforge-project', version: CURRENT_VERSION, name: 'circles', graph: g.build(), dataset: {},
    training: { optimizer: { name: 'adam', learningRate: 0.02 }, loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'], batchSize: 32, epochs: 2, seed: 5, validationSplit: 0.2 },
  };
}

interface Env { readonly db: StorageDb; readonly blobs: MemoryBlobStore; readonly projectId: ProjectId }

async function freshEnv(): Promise<Env> {
  const db = await openStorageDb({ indexedDB: new IDBFactory() });
  const p = circlesProject();
  const id = newProjectId();
  await db.putProject({ id, name: p.name, description: '', task: 'classification', tags: [], createdAt: 1, updatedAt: 1, draft: p, headVersion: null, ui: { selectedRunId: null, selectedNodeIds: [] } });
  return { db, blobs: createMemoryBlobStore(), projectId: id };
}

let seq = 0;
async function train(env: Env, dataset: DatasetRequest, extra: Partial<StartRequest> = {}) {
  const events: TrainerEvent[] = [];
  const req: StartRequest = { runId: runId(`ds-run-${++seq}`), projectId: env.projectId, project: circlesProject(), backend: 'cpu', dataset, checkpoints: { everyEpochs: 0 }, ...extra };
  const summary = await runTraining(req, new TrainingControl(), (e) => events.push(e), { storage: async () => env, progressIntervalMs: 0 });
  const info = events.find((e): e is Extract<TrainerEvent, { type: 'dataset' }> => e.type === 'dataset')?.info;
  const losses = events.flatMap((e) => (e.type === 'epoch' ? [[e.epoch.loss, e.epoch.valLoss, e.epoch.accuracy]] : []));
  return { summary, info, losses, events, run: await env.db.getRun(req.runId) };
}

const CSV = circlesCsv(240, 3);
const csvRequest = (): DatasetRequest => ({ source: 'file', name: 'circles.csv', bytes: CSV.slice().buffer, label: 'label' });
const imported = (bytes: Uint8Array, name = 'blob.csv'): ImportedBytes => ({ name, source: { source: 'file', path: name }, format: 'csv', bytes });
const SHAPE = { columns: [], classes: null, splits: { train: 1, validation: 0, test: 0 } } satisfies Pick<DatasetRecord, 'columns' | 'classes' | 'splits'>;
const chunkFiles = (blobs: MemoryBlobStore) => [...blobs.snapshot().keys()].filter((p) => p.startsWith('datasets/'));

afterEach(() => vi.unstubAllGlobals());

describe('keeping datasets', () => {
  it('keeps bytes as chunks and a record, reads them back exactly, and dedupes identical content', async () => {
    const env = await freshEnv();
    const bytes = new Uint8Array(10_000).map((_, i) => (i * 31) % 251);
    const first = await keepDataset(env, imported(bytes), SHAPE, { chunkSize: 4096 });
    expect(first.reused).toBe(false);
    expect(first.record).toMatchObject({ name: 'blob.csv', format: 'csv', bytes: 10_000, version: oracleVersion(bytes, 4096) });
    expect(first.record.chunks).toHaveLength(3);
    expect(chunkFiles(env.blobs).sort()).toEqual(first.record.chunks.map(chunkPath).sort());
    const back = await readStoredDataset(env, first.record.id);
    expect(Buffer.from(back.bytes).equals(Buffer.from(bytes))).toBe(true);

    const before = env.blobs.snapshot();
    const write = vi.spyOn(env.blobs, 'write');
    const again = await keepDataset(env, imported(bytes.slice(), 'renamed.csv'), SHAPE, { chunkSize: 4096 });
    expect(again).toMatchObject({ reused: true, record: { id: first.record.id, name: 'blob.csv' } });
    expect(write).not.toHaveBeenCalled();
    expect(env.blobs.snapshot()).toEqual(before);
    expect(await env.db.listDatasets()).toHaveLength(1);

    // A record whose chunk went missing is written again under its own id.
    await env.blobs.delete(chunkPath(first.record.chunks[1]!));
    const repaired = await keepDataset(env, imported(bytes), SHAPE, { chunkSize: 4096 });
    expect(repaired).toMatchObject({ reused: false, record: { id: first.record.id, version: first.record.version } });
    expect(Buffer.from((await readStoredDataset(env, first.record.id)).bytes).equals(Buffer.from(bytes))).toBe(true);
  });

  it('makes a folder one canonical zip: any file order and any time zone give the same bytes', () => {
    const files = [{ path: 'pets/dogs/2.png', bytes: new Uint8Array([4, 5]).buffer }, { path: 'pets/cats/1.png', bytes: new Uint8Array([1, 2, 3]).buffer }];
    const tz = process.env['TZ'];
    try {
      process.env['TZ'] = 'UTC';
      const a = folderZip(files);
      process.env['TZ'] = 'Pacific/Kiritimati'; // UTC+14
      const b = folderZip([...files].reverse());
      expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    } finally {
      process.env['TZ'] = tz;
    }
    const zip = folderZip(files);
    expect(Object.keys(unzipSync(zip))).toEqual(['pets/cats/1.png', 'pets/dogs/2.png']);
    expect(folderFiles(zip, 'pets').map((f) => [f.path, [...new Uint8Array(f.bytes)]])).toEqual([['pets/cats/1.png', [1, 2, 3]], ['pets/dogs/2.png', [4, 5]]]);
    expect(() => folderFiles(new Uint8Array([1, 2, 3]), 'the kept dataset "x"')).toThrow(/the kept dataset "x": its folder archive cannot be read/);
  });

  it('keeps a download with its URL and SHA-256, and reads it back under the same name', async () => {
    const env = await freshEnv();
    vi.stubGlobal('fetch', async () => new Response(CSV.slice()));
    const url = 'https://example.test/data/circles.csv?v=2';
    const { data, origin } = await loadForRun({ source: 'remote', url, label: 'label' }, { seed: 1 }, () => {});
    expect(origin.kind).toBe('imported');
    if (origin.kind !== 'imported') return;
    expect(origin.imported).toMatchObject({ name: 'circles.csv', format: 'csv', source: { source: 'remote', url, label: 'label', sha256: createHash('sha256').update(CSV).digest('hex') } });
    const { record } = await keepDataset(env, origin.imported, parsedShape(data, { label: 'label' }));
    expect(record).toMatchObject({ classes: ['in', 'out'], columns: [{ name: 'a', type: 'number' }, { name: 'b', type: 'number' }, { name: 'label', type: 'category' }] });
    expect(record.splits.train + record.splits.test).toBe(240);
    const back = await loadForRun({ source: 'stored', datasetId: record.id, name: record.name }, { seed: 1 }, () => {}, { storage: env });
    expect(back.data.name).toBe(`remote:${url}`);
    expect(back.data.train.x.values).toEqual(data.train.x.values);
  });
});

describe('runs and the library', () => {
  it('records the version on the run; a stored request trains exactly like the file; deleting keeps the history', async () => {
    const env = await freshEnv();
    const fromFile = await train(env, csvRequest());
    expect(fromFile.summary.status, JSON.stringify(fromFile.summary.error)).toBe('completed');
    const [rec] = await env.db.listDatasets();
    expect(rec).toMatchObject({ name: 'circles.csv', format: 'csv', version: oracleVersion(CSV), bytes: CSV.length, source: { source: 'file', path: 'circles.csv', label: 'label' }, classes: ['in', 'out'] });
    expect(fromFile.run).toMatchObject({ datasetVersion: rec!.version, datasetName: 'file:circles.csv' });
    expect(fromFile.info).toMatchObject({ version: rec!.version, datasetId: rec!.id });

    const chunks = chunkFiles(env.blobs);
    const fromStore = await train(env, { source: 'stored', datasetId: rec!.id, name: rec!.name });
    expect(fromStore.summary.status, JSON.stringify(fromStore.summary.error)).toBe('completed');
    expect(fromStore.run).toMatchObject({ datasetVersion: rec!.version, datasetName: 'file:circles.csv' });
    expect(fromStore.losses).toEqual(fromFile.losses); // same bytes, same seed, cpu: the same run
    expect(fromStore.summary.testAccuracy).toBe(fromFile.summary.testAccuracy);
    expect(await env.db.listDatasets()).toHaveLength(1);
    expect(chunkFiles(env.blobs)).toEqual(chunks);

    // The page's view: listed with its facts; deleting warns about both runs, then frees its chunks.
    const [kept] = await listKeptDatasets(env.db);
    expect(kept).toMatchObject({ id: rec!.id, name: 'circles.csv', classes: 2, samples: 240, label: 'label', bytes: CSV.length });
    expect(await runsTrainedOn(env.db, rec!.version)).toBe(2);
    expect(deleteWarning(kept!, 2)).toMatch(/2 runs trained on it keep their history and its version, but cannot be trained again/);
    const other = await keepDataset(env, imported(CSV.subarray(0, 100)), SHAPE, { chunkSize: 64 });
    const freed = await deleteKeptDataset(env.db, env.blobs, rec!.id, collectGarbage);
    expect(freed).toEqual({ freedBytes: CSV.length, deferred: false });
    expect(chunkFiles(env.blobs).sort()).toEqual(other.record.chunks.map(chunkPath).sort());
    expect((await env.db.getRun(fromStore.run!.id))!.datasetVersion).toBe(rec!.version);

    const gone = await train(env, { source: 'stored', datasetId: rec!.id, name: rec!.name });
    expect(gone.summary).toMatchObject({ status: 'failed', error: { stack: null } });
    expect(gone.summary.error?.message).toMatch(/no longer exists; it was deleted — import the file again/);
  });

  it('records built-in MNIST under the bundled file\'s version without copying it', async () => {
    const env = await freshEnv();
    const mnist = readFileSync(new URL('../../public/data/mnist.bin', import.meta.url));
    vi.stubGlobal('fetch', async () => new Response(mnist.slice()));
    const project = findTemplate('mlp')!.project();
    const r = await train(env, { source: 'builtin', name: 'mnist' }, { project, overrides: { epochs: 1, batchSize: 32, maxTrainSamples: 64 } });
    expect(r.summary.status, JSON.stringify(r.summary.error)).toBe('completed');
    expect(r.run).toMatchObject({ datasetVersion: oracleVersion(mnist), datasetName: 'mnist' });
    expect(await env.db.listDatasets()).toEqual([]);
    expect(chunkFiles(env.blobs)).toEqual([]);
  }, 30_000);
});

describe('an import cut short', () => {
  it('leaves no record; the collector removes its chunks and keeps the earlier dataset', async () => {
    const env = await freshEnv();
    const earlier = await keepDataset(env, imported(CSV), SHAPE, { chunkSize: 1024 });
    const big = new Uint8Array(5000).map((_, i) => (i * 7) % 253);
    env.blobs.crashAfter(2); // two chunks land, the third dies between its temporary file and the rename
    await expect(keepDataset(env, imported(big, 'big.csv'), SHAPE, { chunkSize: 1024 })).rejects.toThrow(/simulated crash/);
    expect((await env.db.listDatasets()).map((d) => d.id)).toEqual([earlier.record.id]);
    const gc = await collectGarbage(env.db, env.blobs);
    expect(gc.removedFiles).toHaveLength(3); // 2 chunks + 1 temporary file
    expect(chunkFiles(env.blobs).sort()).toEqual(earlier.record.chunks.map(chunkPath).sort());
    expect(Buffer.from((await readStoredDataset(env, earlier.record.id)).bytes).equals(Buffer.from(CSV))).toBe(true);
  });

  // Last in the file: the hung import holds the in-process writers' lock for good.
  it('with the test hook, the import writes its chunks and hangs before the record; the collector waits', async () => {
    const env = await freshEnv();
    const events: TrainerEvent[] = [];
    const req: StartRequest = {
      runId: runId('hang'), projectId: env.projectId, project: circlesProject(), backend: 'cpu',
      dataset: { ...(csvRequest() as Extract<DatasetRequest, { source: 'file' }>), testHangImportAfterChunks: 1 },
    };
    void runTraining(req, new TrainingControl(), (e) => events.push(e), { storage: async () => env }); // never settles
    await vi.waitFor(() => expect(events.some((e) => e.type === 'warning' && e.message === 'test hook: the dataset import hangs after chunk 1')).toBe(true));
    expect(events.some((e) => e.type === 'phase' && e.detail === 'keeping circles.csv on this device')).toBe(true);
    expect(chunkFiles(env.blobs)).toEqual([chunkPath(createHash('sha256').update(CSV).digest('hex') as ContentHash)]); // one chunk: the whole file
    expect(await env.db.listDatasets()).toEqual([]);
    expect(await env.db.getRun(req.runId)).toBeNull(); // the run record comes after its data
    expect(await collectGarbage(env.db, env.blobs)).toMatchObject({ skipped: true, removedFiles: [] });
  });
});
