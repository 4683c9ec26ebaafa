// StorageDb over fake-indexeddb (a spec-conformant IndexedDB): every store's reads and writes,
// cascades, all-or-nothing imports, metric order, and what reaches disk (read with plain IDB).
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openStorageDb } from '../../src/storage/db/index.js';
import type { ImportRecords, MetricPoint, RunId, StorageDb } from '../../src/storage/types.js';
import { dumpDb } from '../helpers/idb-fixtures.js';
import {
  DATASET_ID,
  PROJECT_ID,
  RUN_A,
  RUN_B,
  sampleCheckpoint,
  sampleDataset,
  sampleExport,
  sampleMetrics,
  sampleProject,
  sampleRecords,
  sampleRun,
  sampleVersion,
  V1,
  V2,
} from '../fixtures/storage/sample.js';

let factory: IDBFactory;
let db: StorageDb;
beforeEach(async () => {
  factory = new IDBFactory();
  db = await openStorageDb({ indexedDB: factory, name: 'nf' });
});
afterEach(() => db.close());

const none: ImportRecords = { projects: [], versions: [], datasets: [], runs: [], metrics: [], checkpoints: [], exports: [] };
const otherProject = () => sampleProject({ id: 'proj-2' as never, name: 'Other', headVersion: null, updatedAt: 1, ui: { selectedRunId: null, selectedNodeIds: [] } });
const without = <T extends object>(r: T) => {
  const { schema: _s, ...rest } = r as T & { schema?: number };
  return rest;
};

describe('StorageDb CRUD', () => {
  it('projects: put, get, list (most recent first), overwrite, missing → null', async () => {
    await db.putProject(sampleProject());
    await db.putProject(otherProject());
    expect(without((await db.getProject(PROJECT_ID))!)).toEqual(sampleProject());
    expect((await db.listProjects()).map((p) => p.name)).toEqual(['Iris classifier', 'Other']);
    await db.putProject(sampleProject({ name: 'Renamed' }));
    expect((await db.getProject(PROJECT_ID))?.name).toBe('Renamed');
    expect(await db.getProject('nope' as never)).toBeNull();
  });

  it('versions: put, get, list oldest first; immutable (same record again is fine, a different one is a conflict)', async () => {
    await db.putVersion(sampleVersion(V2, V1, 32));
    await db.putVersion(sampleVersion(V1, null, 16));
    expect((await db.listVersions(PROJECT_ID)).map((v) => v.id)).toEqual([V1, V2]);
    expect(without((await db.getVersion(V1))!)).toEqual(sampleVersion(V1, null, 16));
    await db.putVersion(sampleVersion(V1, null, 16));
    await expect(db.putVersion({ ...sampleVersion(V1, null, 16), message: 'rewritten' })).rejects.toMatchObject({ code: 'conflict' });
    expect((await db.getVersion(V1))?.message).toBe('first version');
  });

  it('datasets: put, get, list, delete', async () => {
    await db.putDataset(sampleDataset());
    await db.putDataset(sampleDataset({ id: 'ds-2' as never, name: 'folder', source: { source: 'folder', name: 'pets' }, classes: null }));
    expect(without((await db.getDataset(DATASET_ID))!)).toEqual(sampleDataset());
    expect((await db.listDatasets()).map((d) => d.name).sort()).toEqual(['folder', 'iris.csv']);
    await db.deleteDataset(DATASET_ID);
    expect(await db.getDataset(DATASET_ID)).toBeNull();
    expect(await db.listDatasets()).toHaveLength(1);
  });

  it('runs: put, get, list by project (oldest first), status updates', async () => {
    await db.putRun(sampleRun(RUN_B));
    await db.putRun(sampleRun(RUN_A));
    await db.putRun({ ...sampleRun('run-x' as RunId), projectId: 'proj-2' as never });
    expect((await db.listRuns(PROJECT_ID)).map((r) => r.id)).toEqual([RUN_A, RUN_B]);
    await db.putRun(sampleRun(RUN_A, { status: 'failed', error: 'device lost' }));
    expect(await db.getRun(RUN_A)).toMatchObject({ status: 'failed', error: 'device lost', tags: ['baseline'] });
  });

  it('metrics: appended in any order and batch, read back per series in index order', async () => {
    const steps = sampleMetrics(RUN_A, 'step', 12);
    await db.appendMetrics([steps[7]!, steps[2]!, steps[10]!]);
    await db.appendMetrics(steps.filter((_, i) => ![2, 7, 10].includes(i)));
    await db.appendMetrics(sampleMetrics(RUN_A, 'epoch', 3));
    await db.appendMetrics(sampleMetrics(RUN_B, 'step', 5));
    await db.appendMetrics([]);
    const read = await db.readMetrics(RUN_A, 'step');
    expect(read.map((p) => p.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]); // numeric, not string, order
    expect(read.map(without)).toEqual(steps);
    expect((await db.readMetrics(RUN_A, 'epoch')).map((p) => p.index)).toEqual([1, 2, 3]);
    expect(await db.readMetrics('run-none' as RunId, 'step')).toEqual([]);
    // A resumed run writing the same step again replaces it.
    await db.appendMetrics([{ ...steps[3]!, values: { loss: 9 } }]);
    expect((await db.readMetrics(RUN_A, 'step'))[3]!.values).toEqual({ loss: 9 });
  });

  it('metrics: a bad point refuses the whole batch', async () => {
    const bad = { ...sampleMetrics(RUN_A, 'step', 1)[0]!, index: -1 } as MetricPoint;
    await expect(db.appendMetrics([...sampleMetrics(RUN_A, 'step', 3), bad])).rejects.toMatchObject({ code: 'invalid-record', where: { store: 'metrics', field: 'index' } });
    expect(await db.readMetrics(RUN_A, 'step')).toEqual([]);
  });

  it('checkpoints: put, get, list by run (by step), all, delete', async () => {
    const { checkpoints } = sampleRecords();
    for (const c of [...checkpoints].reverse()) await db.putCheckpoint(c);
    expect((await db.listCheckpoints(RUN_B)).map((c) => c.id)).toEqual(['ckpt-b1', 'ckpt-b2']);
    expect(without((await db.getCheckpoint('ckpt-b1' as never))!)).toEqual(checkpoints[1]);
    expect(await db.allCheckpoints()).toHaveLength(3);
    // Several runs in one read: the same lists, and an empty one for a run without checkpoints.
    const many = await db.listCheckpointsOfRuns([RUN_B, RUN_A, 'no-such-run' as never]);
    expect([...many.keys()]).toEqual([RUN_B, RUN_A, 'no-such-run']);
    expect(many.get(RUN_B)!.map((c) => c.id)).toEqual(['ckpt-b1', 'ckpt-b2']);
    expect(many.get(RUN_A)).toEqual(await db.listCheckpoints(RUN_A));
    expect(many.get('no-such-run' as never)).toEqual([]);
    await db.deleteCheckpoint('ckpt-b1' as never);
    expect((await db.listCheckpoints(RUN_B)).map((c) => c.id)).toEqual(['ckpt-b2']);
  });

  it('exports: put, list by project (newest first), delete', async () => {
    await db.putExport(sampleExport());
    await db.putExport(sampleExport({ id: 'exp-2' as never, createdAt: 2e12, fileName: 'b.zip', format: 'tfjs' }));
    expect((await db.listExports(PROJECT_ID)).map((e) => e.fileName)).toEqual(['b.zip', 'iris.onnx']);
    await db.deleteExport('exp-2' as never);
    expect((await db.listExports(PROJECT_ID)).map((e) => without(e))).toEqual([sampleExport()]);
  });

  it('refuses an invalid record on write, naming store, key and field, and stores nothing', async () => {
    await expect(db.putProject(sampleProject({ tags: 'oops' as never }))).rejects.toMatchObject({ code: 'invalid-record', where: { store: 'projects', key: PROJECT_ID, field: 'tags' } });
    await expect(db.putCheckpoint(sampleCheckpoint('c', RUN_A, { files: [{ path: 'x', bytes: 1, sha256: 'nothex' }] }))).rejects.toMatchObject({
      where: { store: 'checkpoints', key: 'c', field: 'files[0].sha256' },
    });
    expect((await dumpDb(factory, 'nf')).stores['projects']).toEqual([]);
  });
});

describe('cascades and imports', () => {
  beforeEach(async () => {
    await db.importAll(sampleRecords());
    await db.importAll({ ...none, projects: [otherProject()], runs: [{ ...sampleRun('run-x' as RunId), projectId: 'proj-2' as never }], metrics: sampleMetrics('run-x' as RunId, 'step', 2) });
  });

  it('deleteRun removes the run, both its series and its checkpoint manifests, nothing else', async () => {
    await db.deleteRun(RUN_B);
    const d = await dumpDb(factory, 'nf');
    expect((d.stores['runs'] as { id: string }[]).map((r) => r.id).sort()).toEqual([RUN_A, 'run-x']);
    expect((d.stores['checkpoints'] as { id: string }[]).map((c) => c.id)).toEqual(['ckpt-a1']);
    expect((d.stores['metrics'] as MetricPoint[]).map((m) => m.runId)).not.toContain(RUN_B);
    expect(d.stores['metrics']).toHaveLength(8);
  });

  it('deleteProject removes everything the project owns in one transaction and leaves other projects', async () => {
    const spy = vi.spyOn(IDBDatabase.prototype, 'transaction');
    await db.deleteProject(PROJECT_ID);
    const writes = spy.mock.calls.filter((c) => c[1] === 'readwrite');
    spy.mockRestore();
    expect(writes).toHaveLength(1);
    expect(writes[0]![2]).toEqual({ durability: 'strict' });
    const d = await dumpDb(factory, 'nf');
    expect((d.stores['projects'] as { id: string }[]).map((p) => p.id)).toEqual(['proj-2']);
    expect(d.stores['versions']).toEqual([]);
    expect((d.stores['runs'] as { id: string }[]).map((r) => r.id)).toEqual(['run-x']);
    expect((d.stores['metrics'] as MetricPoint[]).map((m) => m.runId)).toEqual(['run-x', 'run-x']);
    expect(d.stores['checkpoints']).toEqual([]);
    expect(d.stores['exports']).toEqual([]);
    expect(d.stores['datasets']).toHaveLength(1); // datasets are shared, not owned
  });

  it('importAll is all or nothing: a bad record in the middle leaves the database exactly as before', async () => {
    const before = await dumpDb(factory, 'nf');
    const fresh = sampleRecords();
    const batch: ImportRecords = {
      ...fresh,
      projects: [sampleProject({ id: 'proj-3' as never, name: 'New' })],
      runs: [sampleRun('run-new' as RunId, { projectId: 'proj-3' as never }), sampleRun('run-bad' as RunId, { status: 'exploded' as never })],
      metrics: sampleMetrics('run-new' as RunId, 'step', 50),
    };
    await expect(db.importAll(batch)).rejects.toMatchObject({ code: 'invalid-record', where: { store: 'runs', key: 'run-bad', field: 'status' } });
    expect(await dumpDb(factory, 'nf')).toEqual(before);
  });

  it('uses strict durability for what a person made and relaxed for metric streams', async () => {
    const spy = vi.spyOn(IDBDatabase.prototype, 'transaction');
    await db.putProject(sampleProject());
    await db.putVersion(sampleVersion('ver-9' as never, V2, 64));
    await db.putDataset(sampleDataset());
    await db.putCheckpoint(sampleRecords().checkpoints[0]!);
    await db.importAll({ ...none, exports: [sampleExport()] });
    await db.appendMetrics(sampleMetrics(RUN_A, 'step', 2));
    const writes = spy.mock.calls.filter((c) => c[1] === 'readwrite').map((c) => [c[0], (c[2] as { durability: string }).durability]);
    spy.mockRestore();
    expect(writes).toEqual([
      [['projects'], 'strict'],
      [['versions'], 'strict'],
      [['datasets'], 'strict'],
      [['checkpoints'], 'strict'],
      [['exports'], 'strict'],
      [['metrics'], 'relaxed'],
    ]);
  });
});
