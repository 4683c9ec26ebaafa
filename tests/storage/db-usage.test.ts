// What takes space, largest first, with a size for each thing a person can delete.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it, vi } from 'vitest';
import { openStorageDb } from '../../src/storage/db/index.js';
import { requestPersistence, storageUsage } from '../../src/storage/usage.js';
import { DATASET_ID, RUN_A, RUN_B, sampleDataset, sampleRecords } from '../fixtures/storage/sample.js';

async function filled() {
  const db = await openStorageDb({ indexedDB: new IDBFactory(), name: 'nf' });
  const r = sampleRecords();
  await db.importAll({ ...r, datasets: [sampleDataset({ bytes: 50_000 })] });
  return db;
}

describe('storageUsage', () => {
  it('lists runs, checkpoints, datasets and exports with sizes, largest first, and the browser estimate', async () => {
    const db = await filled();
    const nav = { estimate: vi.fn(async () => ({ usage: 123_456, quota: 1e9 })), persisted: vi.fn(async () => false) };
    const u = await storageUsage(db, undefined, nav);
    expect(u).toMatchObject({ usage: 123_456, quota: 1e9, persisted: false });
    const sizes = Object.fromEntries(u.items.map((i) => [`${i.kind}:${i.id}`, i.bytes]));
    expect(Object.keys(sizes).sort()).toEqual(['checkpoint:ckpt-a1', 'checkpoint:ckpt-b1', 'checkpoint:ckpt-b2', 'dataset:ds-1', 'export:exp-1', `run:${RUN_A}`, `run:${RUN_B}`]);
    expect(sizes).toMatchObject({ 'dataset:ds-1': 50_000, 'export:exp-1': 2345, 'checkpoint:ckpt-a1': 1000, 'checkpoint:ckpt-b1': 1000, 'checkpoint:ckpt-b2': 1000 });
    expect(sizes[`run:${RUN_A}`]).toBeGreaterThan(sizes[`run:${RUN_B}`]!); // six metric points against three
    const bytes = u.items.map((i) => i.bytes);
    expect(bytes).toEqual([...bytes].sort((a, b) => b - a));
    // A run's size grows with its metric series (JSON size of what is stored).
    const runA = u.items.find((i) => i.id === RUN_A)!;
    await db.appendMetrics(Array.from({ length: 100 }, (_, i) => ({ runId: RUN_A, scope: 'step' as const, index: 100 + i, values: { loss: 0.5 }, time: 1 })));
    const grown = (await storageUsage(db)).items.find((i) => i.id === RUN_A)!;
    expect(grown.bytes - runA.bytes).toBeGreaterThan(100 * 60);
    expect(runA.label).toMatch(/^Run of "Iris classifier" on iris\.csv, 2023-11-14 22:13 \(completed\)$/);
    db.close();
  });

  it('uses the files actually present for checkpoint sizes when a blob listing is given', async () => {
    const db = await filled();
    const blobs = { list: vi.fn(async () => [{ path: `checkpoints/${RUN_B}/ckpt-b2/weights.bin`, bytes: 777 }, { path: 'datasets/x', bytes: 5 }]) };
    const u = await storageUsage(db, blobs);
    expect(blobs.list).toHaveBeenCalledWith('');
    expect(u).toMatchObject({ usage: null, quota: null, persisted: null });
    const ckpt = Object.fromEntries(u.items.filter((i) => i.kind === 'checkpoint').map((i) => [i.id, i.bytes]));
    expect(ckpt).toEqual({ 'ckpt-a1': 0, 'ckpt-b1': 0, 'ckpt-b2': 777 });
    db.close();
  });

  it('reports unknown usage rather than failing when the browser will not estimate', async () => {
    const db = await filled();
    const u = await storageUsage(db, undefined, { estimate: async () => Promise.reject(new Error('no')), persisted: async () => true });
    expect(u).toMatchObject({ usage: null, quota: null, persisted: true });
    db.close();
  });
});

describe('requestPersistence', () => {
  it('asks only when not yet persisted', async () => {
    const already = { persisted: vi.fn(async () => true), persist: vi.fn(async () => true) };
    expect(await requestPersistence(already)).toBe(true);
    expect(already.persist).not.toHaveBeenCalled();
    const refused = { persisted: vi.fn(async () => false), persist: vi.fn(async () => false) };
    expect(await requestPersistence(refused)).toBe(false);
    expect(refused.persist).toHaveBeenCalledOnce();
  });
});
