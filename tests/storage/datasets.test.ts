// Dataset bytes ⇄ content-addressed chunks over the real IndexedDB layer (fake-indexeddb) and the
// memory BlobStore. Python's hashlib is the oracle for chunk names and the dataset version.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStorageDb } from '../../src/storage/db/index.js';
import { createMemoryBlobStore } from '../../src/storage/blobs/memory.js';
import { chunkPath, datasetVersion, readDatasetBytes, saveDatasetBytes, type DatasetMeta } from '../../src/storage/datasets.js';
import type { BlobStore, DatasetId, StorageDb } from '../../src/storage/types.js';
import { runPython } from '../helpers/python.js';

const meta = (name: string): DatasetMeta => ({
  name,
  source: { source: 'file', path: name },
  format: 'csv',
  columns: [{ name: 'x', type: 'number' }],
  classes: null,
  splits: { train: 8, validation: 1, test: 1 },
});

/** Deterministic bytes that do not repeat within `n`. */
const bytesOf = (n: number, seed = 1) => new Uint8Array(n).map((_, i) => (Math.imul(i + seed * 7919, 2654435761) >>> 13) & 255);

async function* pieces(b: Uint8Array, sizes: number[]): AsyncGenerator<Uint8Array> {
  let at = 0;
  for (let i = 0; at < b.length; i++) {
    const n = sizes[i % sizes.length]!;
    yield b.slice(at, at + n);
    at += n;
  }
}

const fresh = async () => ({ db: await openStorageDb({ indexedDB: new IDBFactory() }), blobs: createMemoryBlobStore() });

/** Counts writes, to see what deduplication skipped. */
const counting = (blobs: BlobStore) => {
  const writes: string[] = [];
  return { writes, blobs: { ...blobs, write: (p: string, b: Uint8Array) => (writes.push(p), blobs.write(p, b)) } };
};

describe('dataset chunks', () => {
  const data = bytesOf(10_000);

  it('splits into chunks named by SHA-256, versioned over the hashes — as Python computes them', async () => {
    const { db, blobs } = await fresh();
    const rec = await saveDatasetBytes(db, blobs, meta('a.csv'), data, 4096);
    expect(rec.bytes).toBe(10_000);
    expect(rec.chunks).toHaveLength(3);
    const dir = mkdtempSync(join(tmpdir(), 'nf-ds-'));
    writeFileSync(join(dir, 'data'), data);
    const r = runPython(
      `import hashlib, sys, json
b = open(sys.argv[1], 'rb').read()
hs = [hashlib.sha256(b[i:i + 4096]).hexdigest() for i in range(0, len(b), 4096)]
print(json.dumps({'chunks': hs, 'version': hashlib.sha256(''.join(h + '\\n' for h in hs).encode()).hexdigest()}))`,
      [join(dir, 'data')],
    );
    expect(r.code, r.stderr).toBe(0);
    expect({ chunks: rec.chunks, version: rec.version }).toEqual(JSON.parse(r.stdout));
    expect((await blobs.list('datasets/')).map((f) => f.path).sort()).toEqual(rec.chunks.map(chunkPath).sort());
    expect(await datasetVersion([])).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('reads back exactly what a stream of odd-sized pieces wrote, with the same chunks as one array', async () => {
    const { db, blobs } = await fresh();
    const whole = await saveDatasetBytes(db, blobs, meta('a.csv'), data, 4096);
    const streamed = await saveDatasetBytes(db, blobs, meta('b.csv'), pieces(data, [1, 4095, 3000, 7, 9000]), 4096);
    expect(streamed.chunks).toEqual(whole.chunks);
    expect(streamed.version).toBe(whole.version);
    expect(await readDatasetBytes(db, blobs, streamed.id)).toEqual(data);
    const empty = await saveDatasetBytes(db, blobs, meta('e.csv'), new Uint8Array(0));
    expect(empty).toMatchObject({ chunks: [], bytes: 0 });
    expect(await readDatasetBytes(db, blobs, empty.id)).toEqual(new Uint8Array(0));
  });

  it('stores an identical chunk once, within a dataset and across datasets', async () => {
    const { db, blobs: base } = await fresh();
    const { writes, blobs } = counting(base);
    const block = bytesOf(4096, 3);
    const repeated = new Uint8Array(4096 * 3);
    repeated.set(block, 0);
    repeated.set(block, 8192);
    repeated.set(bytesOf(4096, 4), 4096);
    const a = await saveDatasetBytes(db, blobs, meta('a.csv'), repeated, 4096);
    expect(a.chunks[0]).toBe(a.chunks[2]);
    expect(writes).toHaveLength(2);
    await saveDatasetBytes(db, blobs, meta('again.csv'), repeated, 4096);
    expect(writes).toHaveLength(2);
    expect(await readDatasetBytes(db, blobs, a.id)).toEqual(repeated);
  });

  it('writes the record last: a failing record write leaves no dataset, and earlier ones readable', async () => {
    const { db, blobs } = await fresh();
    const a = await saveDatasetBytes(db, blobs, meta('a.csv'), data, 4096);
    const failing = Object.assign(Object.create(db) as StorageDb, { putDataset: () => Promise.reject(new Error('disk on fire')) });
    await expect(saveDatasetBytes(failing, blobs, meta('b.csv'), bytesOf(9000, 2), 4096)).rejects.toMatchObject({
      code: 'unavailable',
      message: 'Could not save the dataset "b.csv": disk on fire.',
    });
    expect((await db.listDatasets()).map((d) => d.name)).toEqual(['a.csv']);
    expect(await readDatasetBytes(db, blobs, a.id)).toEqual(data);
  });

  it('turns a full disk into StorageError quota naming the dataset', async () => {
    const db = await openStorageDb({ indexedDB: new IDBFactory() });
    const blobs = createMemoryBlobStore({ quotaBytes: 5000 });
    await expect(saveDatasetBytes(db, blobs, meta('big.csv'), data, 4096)).rejects.toMatchObject({ code: 'quota', message: expect.stringMatching(/^Not enough storage to save the dataset "big.csv"/) });
    expect(await db.listDatasets()).toEqual([]);
  });

  it('refuses a damaged or missing chunk and an unknown id, naming the chunk', async () => {
    const { db, blobs } = await fresh();
    const rec = await saveDatasetBytes(db, blobs, meta('a.csv'), data, 4096);
    const second = chunkPath(rec.chunks[1]!);
    const bad = (await blobs.read(second))!;
    bad[0]! ^= 1;
    await blobs.write(second, bad);
    await expect(readDatasetBytes(db, blobs, rec.id)).rejects.toMatchObject({
      code: 'invalid-record',
      message: `dataset "a.csv" (${rec.id}): chunk 2 of 3 (${rec.chunks[1]!.slice(0, 12)}…) is damaged (its SHA-256 differs)`,
    });
    await blobs.delete(second);
    await expect(readDatasetBytes(db, blobs, rec.id)).rejects.toMatchObject({ code: 'not-found', message: expect.stringMatching(/chunk 2 of 3 .* is missing$/) });
    await expect(readDatasetBytes(db, blobs, 'nope' as DatasetId)).rejects.toMatchObject({ code: 'not-found' });
  });
});
