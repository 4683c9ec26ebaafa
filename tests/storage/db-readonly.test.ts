// Data from a newer app opens read-only and its bytes are never touched: a whole newer database,
// single newer records, and an older tab left open while a newer one upgrades.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { encodeRecord } from '../../src/storage/db/codec.js';
import { openStorageDb, SCHEMA_VERSION } from '../../src/storage/db/index.js';
import { upgradeSchema } from '../../src/storage/db/schema.js';
import type { RecordStore } from '../../src/storage/records.js';
import type { RunId, StorageDb } from '../../src/storage/types.js';
import { dumpDb } from '../helpers/idb-fixtures.js';
import { PROJECT_ID, RUN_A, RUN_B, sampleDataset, sampleExport, sampleMetrics, sampleProject, sampleRecords, sampleRun } from '../fixtures/storage/sample.js';

function done<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

/** Writes the sample records (runs RUN_B raised to record schema `runBSchema`) with plain IndexedDB at `version`. */
async function rawDatabase(factory: IDBFactory, name: string, version: number, runBSchema: number): Promise<void> {
  const req = factory.open(name, version);
  req.onupgradeneeded = (ev) => {
    upgradeSchema(req.result, req.transaction!, ev.oldVersion, SCHEMA_VERSION);
    // What a newer app might add: a store this one has never heard of.
    if (version > SCHEMA_VERSION) req.result.createObjectStore('future', { keyPath: 'id' });
  };
  const db = await done(req);
  const all = sampleRecords();
  const stores = Object.keys(all) as RecordStore[];
  const tx = db.transaction(stores, 'readwrite');
  for (const s of stores)
    for (const r of all[s]) {
      const value = encodeRecord(s, r as never, SCHEMA_VERSION);
      tx.objectStore(s).put(s === 'runs' && value['id'] === RUN_B ? { ...value, schema: runBSchema, newField: { x: 1 } } : value);
    }
  await new Promise((resolve) => (tx.oncomplete = resolve));
  db.close();
}

async function everyWriteRefused(db: StorageDb): Promise<void> {
  const r = sampleRecords();
  const writes: [string, () => Promise<unknown>][] = [
    ['putProject', () => db.putProject(sampleProject({ name: 'changed' }))],
    ['deleteProject', () => db.deleteProject(PROJECT_ID)],
    ['putVersion', () => db.putVersion({ ...r.versions[0]!, id: 'v-new' as never })],
    ['putDataset', () => db.putDataset(sampleDataset({ name: 'changed' }))],
    ['deleteDataset', () => db.deleteDataset(r.datasets[0]!.id)],
    ['putRun', () => db.putRun(sampleRun(RUN_A, { status: 'failed' }))],
    ['deleteRun', () => db.deleteRun(RUN_A)],
    ['appendMetrics', () => db.appendMetrics(sampleMetrics(RUN_A, 'step', 1))],
    ['putCheckpoint', () => db.putCheckpoint(r.checkpoints[0]!)],
    ['deleteCheckpoint', () => db.deleteCheckpoint(r.checkpoints[0]!.id)],
    ['putExport', () => db.putExport(sampleExport())],
    ['deleteExport', () => db.deleteExport(r.exports[0]!.id)],
    ['importAll', () => db.importAll(r)],
  ];
  for (const [name, write] of writes) await expect(write(), name).rejects.toMatchObject({ code: 'read-only' });
}

describe('a database written by a newer app', () => {
  it('opens without upgrading, reads, refuses every write, and leaves every byte as it was', async () => {
    const factory = new IDBFactory();
    await rawDatabase(factory, 'nf', SCHEMA_VERSION + 1, SCHEMA_VERSION + 1);
    const before = await dumpDb(factory, 'nf');

    const db = await openStorageDb({ indexedDB: factory, name: 'nf' });
    expect(db.readOnly).toBe(true);
    expect(db.schemaVersion).toBe(SCHEMA_VERSION + 1);
    expect((await db.getProject(PROJECT_ID))?.name).toBe('Iris classifier');
    const runs = await db.listRuns(PROJECT_ID);
    expect(runs.map((x) => [x.id, x.readOnly ?? false])).toEqual([
      [RUN_A, false],
      [RUN_B, true],
    ]);
    await everyWriteRefused(db);
    await expect(db.putProject(sampleProject())).rejects.toThrow(new RegExp(`written by a newer NeuralForge \\(database version ${SCHEMA_VERSION + 1}\\).*read-only; update NeuralForge`));
    db.close();

    const after = await dumpDb(factory, 'nf');
    expect(after).toEqual(before);
    expect(after.version).toBe(SCHEMA_VERSION + 1);
  });
});

describe('a newer record in a current database', () => {
  it('reads back flagged read-only; writing, deleting or cascading over it throws and changes nothing', async () => {
    const factory = new IDBFactory();
    await rawDatabase(factory, 'nf', SCHEMA_VERSION, 7);
    const before = await dumpDb(factory, 'nf');
    const db = await openStorageDb({ indexedDB: factory, name: 'nf' });
    expect(db.readOnly).toBe(false);

    const run = (await db.getRun(RUN_B))!;
    expect(run).toMatchObject({ readOnly: true, schema: 7, status: 'early-stopped' });
    await expect(db.putRun(run)).rejects.toMatchObject({ code: 'read-only' });
    await expect(db.putRun(sampleRun(RUN_B))).rejects.toMatchObject({ code: 'read-only', message: expect.stringMatching(/run "run-b".*newer NeuralForge/) });
    await expect(db.deleteRun(RUN_B)).rejects.toMatchObject({ code: 'read-only' });
    await expect(db.deleteProject(PROJECT_ID)).rejects.toMatchObject({ code: 'read-only' });
    await expect(db.importAll({ ...sampleRecords(), runs: [sampleRun(RUN_A, { epochs: 9 }), sampleRun(RUN_B)] })).rejects.toMatchObject({ code: 'read-only' });
    expect(await dumpDb(factory, 'nf')).toEqual(before);

    // Everything else stays writable.
    await db.putRun(sampleRun(RUN_A, { epochs: 9 }));
    expect((await db.getRun(RUN_A))?.epochs).toBe(9);
    db.close();
  });
});

describe('two tabs across an app update', () => {
  it('an old tab steps aside for the upgrade, then reopens read-only instead of writing an old layout', async () => {
    const factory = new IDBFactory();
    const oldTab = await openStorageDb({ indexedDB: factory, name: 'nf', upTo: 1 });
    await oldTab.putRun(sampleRun(RUN_A));
    expect(oldTab.readOnly).toBe(false);

    // The new tab's upgrade is not blocked: the old tab closes its connection when asked.
    const newTab = await openStorageDb({ indexedDB: factory, name: 'nf' });
    expect(newTab.schemaVersion).toBe(SCHEMA_VERSION);
    expect((await newTab.getRun(RUN_A))?.tags).toEqual([]);

    // The old tab's next operation reopens the database and finds it newer than it knows.
    expect((await oldTab.getRun(RUN_A))?.id).toBe(RUN_A);
    expect(oldTab.readOnly).toBe(true);
    await expect(oldTab.putRun(sampleRun('run-c' as RunId))).rejects.toMatchObject({ code: 'read-only' });
    expect(await newTab.getRun('run-c' as RunId)).toBeNull();
    oldTab.close();
    newTab.close();
  });
});
