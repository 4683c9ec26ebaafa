// A dataset's bytes on the device: split into fixed-size chunks stored once each under
// datasets/chunks/<sha256> (identical chunks of any dataset are shared), then the DatasetRecord
// written LAST, naming the chunks in order. Its version is a hash over those chunk hashes.
import { sha256Hex } from './blobs/hash.js';
import { whileWriting } from './blobs/locks.js';
import { newDatasetId } from './ids.js';
import { isQuotaError, quotaMessage, toStorageError } from './quota.js';
import { StorageError, type BlobStore, type ContentHash, type DatasetId, type DatasetRecord, type Millis, type StorageDb } from './types.js';

/** 4 MiB: big enough that a 1 GB dataset is 256 files, small enough to hash and write in one go. */
export const DEFAULT_CHUNK_SIZE = 4 * 1024 * 1024;

/** Where a chunk lives: its content decides its name. */
export const chunkPath = (hash: ContentHash): string => `datasets/chunks/${hash}`;

/**
 * The dataset version: SHA-256 of the chunk hashes in order, each as lower-case hex followed by
 * "\n" (so `sha256sum`-style tools can reproduce it). Same bytes, same chunk size → same version;
 * a different chunk size gives a different version for the same bytes, so the size is fixed.
 * @example await datasetVersion([]) // SHA-256 of the empty string: e3b0c442…
 */
export async function datasetVersion(chunks: readonly ContentHash[]): Promise<ContentHash> {
  return sha256Hex(new TextEncoder().encode(chunks.map((h) => `${h}\n`).join('')));
}

/** What the caller knows about a dataset; storage adds its chunks, bytes and version. */
export type DatasetMeta = Omit<DatasetRecord, 'id' | 'version' | 'chunks' | 'bytes' | 'createdAt' | 'schema' | 'readOnly'> & {
  readonly id?: DatasetId;
  readonly createdAt?: Millis;
};

/** Cuts a byte stream into pieces of exactly `size` bytes (the last one may be shorter). */
async function* chunksOf(source: Uint8Array | AsyncIterable<Uint8Array>, size: number): AsyncGenerator<Uint8Array> {
  if (source instanceof Uint8Array) {
    for (let at = 0; at < source.length; at += size) yield source.subarray(at, Math.min(source.length, at + size));
    return;
  }
  let buf = new Uint8Array(size);
  let fill = 0;
  for await (const piece of source) {
    for (let at = 0; at < piece.length; ) {
      const n = Math.min(size - fill, piece.length - at);
      buf.set(piece.subarray(at, at + n), fill);
      fill += n;
      at += n;
      if (fill === size) {
        yield buf;
        buf = new Uint8Array(size); // the yielded one may still be being written
        fill = 0;
      }
    }
  }
  if (fill > 0) yield buf.subarray(0, fill);
}

/**
 * Stores a dataset's bytes and then its record. A chunk already stored (same hash, same size) is
 * not written again. If anything fails, the record is not written; chunks already written stay
 * until the collector removes them (another import may be sharing them right now).
 * @example const rec = await saveDatasetBytes(db, blobs, { name: 'iris.csv', source: { source: 'file', path: 'iris.csv' }, format: 'csv', columns, classes: null, splits }, bytes);
 */
export async function saveDatasetBytes(
  db: StorageDb,
  blobs: BlobStore,
  meta: DatasetMeta,
  bytes: Uint8Array | AsyncIterable<Uint8Array>,
  chunkSize = DEFAULT_CHUNK_SIZE,
): Promise<DatasetRecord> {
  if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new RangeError(`chunkSize must be a positive whole number; got ${chunkSize}`);
  const { id = newDatasetId(), createdAt = Date.now(), ...rest } = meta;
  return whileWriting(async () => {
    try {
      const chunks: ContentHash[] = [];
      let total = 0;
      for await (const chunk of chunksOf(bytes, chunkSize)) {
        const hash = await sha256Hex(chunk);
        const path = chunkPath(hash);
        if ((await blobs.size(path)) !== chunk.length) await blobs.write(path, chunk);
        chunks.push(hash);
        total += chunk.length;
      }
      const record: DatasetRecord = { ...rest, id, createdAt, chunks, bytes: total, version: await datasetVersion(chunks) };
      await db.putDataset(record); // the commit point
      return record;
    } catch (e) {
      const what = `the dataset "${meta.name}"`;
      throw isQuotaError(e) ? new StorageError('quota', quotaMessage(what), e) : toStorageError(e, what);
    }
  });
}

/**
 * A dataset's bytes, every chunk checked against its hash and the total against the record.
 * Throws StorageError('not-found') for an unknown id or a missing chunk, 'invalid-record' for a damaged one.
 */
export async function readDatasetBytes(db: StorageDb, blobs: BlobStore, id: DatasetId): Promise<Uint8Array> {
  const rec = await db.getDataset(id);
  if (!rec) throw new StorageError('not-found', `dataset ${id} does not exist`);
  const out = new Uint8Array(rec.bytes);
  let at = 0;
  for (const [i, hash] of rec.chunks.entries()) {
    const chunk = await blobs.read(chunkPath(hash));
    const where = `dataset "${rec.name}" (${id}): chunk ${i + 1} of ${rec.chunks.length} (${hash.slice(0, 12)}…)`;
    if (!chunk) throw new StorageError('not-found', `${where} is missing`);
    if ((await sha256Hex(chunk)) !== hash) throw new StorageError('invalid-record', `${where} is damaged (its SHA-256 differs)`);
    if (at + chunk.length > out.length) throw new StorageError('invalid-record', `${where} goes past the ${rec.bytes} bytes the record says the dataset has`);
    out.set(chunk, at);
    at += chunk.length;
  }
  if (at !== rec.bytes) throw new StorageError('invalid-record', `dataset "${rec.name}" (${id}): its chunks hold ${at} bytes; the record says ${rec.bytes}`);
  return out;
}
