// The dataset library, trainer-worker side: an imported file, folder or download is kept on the
// device (OPFS chunks, then its DatasetRecord) before a run trains on it, unless a record with
// the same content version exists; a kept dataset is read back, hash-checked, for a 'stored'
// run. Built-in MNIST ships with the app and is never copied: its version is computed the same
// way from the bundled file's bytes. A tab killed mid-import leaves chunks and no record; the
// collector (src/storage/gc.ts) removes them at the next start.
import { unzipSync, zipSync, type Zippable } from 'fflate';
import type { Dataset } from '../engine/data/index.js';
import { sha256Hex } from '../storage/blobs/hash.js';
import { chunkPath, datasetVersion, DEFAULT_CHUNK_SIZE, readDatasetBytes, saveDatasetBytes } from '../storage/datasets.js';
import { StorageError, type BlobStore, type ContentHash, type DatasetId, type DatasetRecord } from '../storage/types.js';
import type { RunStorage } from './run-store.js';
import type { FolderFile } from './trainer-api.js';

/** What an import is kept as: the bytes that were parsed, and how to read them again. */
export interface ImportedBytes {
  readonly name: string;
  readonly source: DatasetRecord['source'];
  readonly format: DatasetRecord['format'];
  readonly bytes: Uint8Array;
}

/**
 * The version of some bytes, exactly as storing them would make it: SHA-256 of the hashes of
 * their 4 MiB chunks (src/storage/datasets.ts). Built-in MNIST's version is this of mnist.bin.
 * @example await contentVersion(new Uint8Array()) // SHA-256 of the empty string
 */
export async function contentVersion(bytes: Uint8Array, chunkSize = DEFAULT_CHUNK_SIZE): Promise<ContentHash> {
  const hashes: ContentHash[] = [];
  for (let at = 0; at < bytes.length; at += chunkSize) hashes.push(await sha256Hex(bytes.subarray(at, at + chunkSize)));
  return datasetVersion(hashes);
}

/**
 * The one time every zip entry gets. fflate writes DOS times from a Date's local fields, so the
 * Date is made from local fields at each call: a fixed instant would read differently in
 * another time zone (or after the zone changed), and so would the version.
 */
const zipTime = () => new Date(2000, 0, 1, 12, 0, 0);

/**
 * A folder's files in one fixed order (by path, UTF-16 code units), whatever order the browser
 * listed them in: the order decides the train/test split, so an upload and its kept copy must agree.
 */
export const canonicalOrder = <F extends { readonly path: string }>(files: readonly F[]): F[] => [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

/**
 * A folder upload as one canonical zip: entries in canonical order, stored (not deflated: images
 * are compressed already), one fixed timestamp — the same files always give the same bytes, so
 * the same version.
 */
export function folderZip(files: readonly FolderFile[]): Uint8Array {
  const entries: Zippable = {};
  const mtime = zipTime();
  for (const f of canonicalOrder(files)) {
    entries[f.path] = [new Uint8Array(f.bytes), { level: 0, mtime }];
  }
  return zipSync(entries);
}

/**
 * The files of a canonical folder zip, in its order. Only stored (uncompressed) entries are
 * accepted, so a damaged or foreign record cannot inflate into more bytes than it holds.
 * @throws StorageError('invalid-record') naming the dataset when the zip is not one folderZip wrote.
 */
export function folderFiles(zip: Uint8Array, where: string): FolderFile[] {
  let foreign: string | null = null;
  let files: ReturnType<typeof unzipSync>;
  try {
    files = unzipSync(zip, {
      filter: (f) => {
        if (f.compression !== 0 || f.originalSize !== f.size) foreign ??= f.name;
        return foreign === null;
      },
    });
  } catch (e) {
    throw new StorageError('invalid-record', `${where}: its folder archive cannot be read (${e instanceof Error ? e.message : String(e)})`, e);
  }
  if (foreign !== null) throw new StorageError('invalid-record', `${where}: "${foreign}" is compressed; a kept folder stores its files as they are`);
  // Object keys that look like integers would come first: restore the canonical order.
  return canonicalOrder(Object.entries(files).map(([path, bytes]) => ({ path, bytes: bytes.slice().buffer })));
}

/** Where a run's data came from, for its record: what to keep, what is kept, or a built-in's version. */
export type DataOrigin =
  | { readonly kind: 'builtin'; readonly version: ContentHash }
  | { readonly kind: 'imported'; readonly imported: ImportedBytes }
  | { readonly kind: 'stored'; readonly record: DatasetRecord };

/** The record's fields that describe what the loader parsed: columns, classes, split sizes. */
export type ParsedShape = Pick<DatasetRecord, 'columns' | 'classes' | 'splits'>;

/**
 * Columns, classes and split sizes of a parsed dataset. Validation is carved from train by each
 * run's own validationSplit, so the dataset's splits are train and test (validation 0).
 */
export function parsedShape(data: Dataset, names: { readonly label?: string; readonly textColumn?: string } = {}): ParsedShape {
  const p = data.preprocessing;
  const label = names.label ?? 'label';
  let columns: DatasetRecord['columns'] = [];
  switch (p?.kind) {
    case 'table':
      columns = [
        ...p.features.map((f) => ({ name: f.column, type: f.kind === 'numeric' ? ('number' as const) : ('category' as const) })),
        { name: p.label.column, type: p.label.kind === 'class' ? 'category' : 'number' },
      ];
      break;
    case 'image':
      columns = [{ name: 'image', type: 'image' }, { name: label, type: 'category' }];
      break;
    case 'text':
      columns = p.mode === 'classification' ? [{ name: names.textColumn ?? 'text', type: 'text' }, { name: label, type: 'category' }] : [{ name: 'text', type: 'text' }];
      break;
    case undefined:
      break;
    default: {
      const never: never = p;
      throw new Error(`unknown preprocessing ${JSON.stringify(never)}`);
    }
  }
  return { columns, classes: data.classes ? [...data.classes] : null, splits: { train: data.train.count, validation: 0, test: data.test?.count ?? 0 } };
}

/** Test hook (see ImportTestHooks): the `at`-th chunk written is followed by a hang, never by the record. */
function hangingAfterChunks(blobs: BlobStore, at: number, onHang: () => void): BlobStore {
  let written = 0;
  return {
    read: (p) => blobs.read(p),
    size: (p) => blobs.size(p),
    delete: (p) => blobs.delete(p),
    list: (p) => blobs.list(p),
    async write(path, bytes) {
      await blobs.write(path, bytes);
      if (path.startsWith('datasets/chunks/') && ++written === at) {
        onHang();
        await new Promise<never>(() => {});
      }
    },
  };
}

export interface KeepOptions {
  /** Bytes per chunk; tests use small ones. Default 4 MiB (the version depends on it). */
  readonly chunkSize?: number;
  readonly hangAfterChunks?: number;
  readonly onHang?: () => void;
}

/** True when every chunk the record names is in the store with some size (a cheap presence check; reads verify hashes). */
async function chunksPresent(blobs: BlobStore, rec: DatasetRecord): Promise<boolean> {
  for (const h of rec.chunks) if ((await blobs.size(chunkPath(h))) === null) return false;
  return true;
}

/**
 * Keeps an import on the device and returns its record. A record with the same version is
 * reused as it is (no chunk written, no new record); one whose chunks went missing is written
 * again under its own id. Otherwise the chunks are written, then the record (the commit point).
 * @throws StorageError ('quota', 'unavailable', …) when the bytes cannot be kept: the run may still train.
 * @example const { record, reused } = await keepDataset(storage, imported, parsedShape(data, { label: 'price' }));
 */
export async function keepDataset(storage: RunStorage, imported: ImportedBytes, shape: ParsedShape, options: KeepOptions = {}): Promise<{ record: DatasetRecord; reused: boolean }> {
  const { db } = storage;
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const version = await contentVersion(imported.bytes, chunkSize);
  const same = (await db.listDatasets()).filter((d) => d.version === version && !d.readOnly);
  for (const rec of same) if (await chunksPresent(storage.blobs, rec)) return { record: rec, reused: true };
  const blobs = options.hangAfterChunks ? hangingAfterChunks(storage.blobs, options.hangAfterChunks, options.onHang ?? (() => {})) : storage.blobs;
  const repair = same[0];
  const meta = { name: imported.name.slice(0, 200), source: imported.source, format: imported.format, ...shape, ...(repair ? { id: repair.id, createdAt: repair.createdAt } : {}) };
  const record = await saveDatasetBytes(db, blobs, meta, imported.bytes, chunkSize);
  return { record, reused: false };
}

/**
 * A kept dataset's record and bytes, every chunk checked against its hash.
 * @throws StorageError('not-found') when it was deleted or a chunk is missing, 'invalid-record' when damaged.
 */
export async function readStoredDataset(storage: RunStorage, id: DatasetId): Promise<{ record: DatasetRecord; bytes: Uint8Array }> {
  const record = await storage.db.getDataset(id);
  if (!record) throw new StorageError('not-found', `the dataset kept on this device (${id}) no longer exists; it was deleted — import the file again`);
  return { record, bytes: await readDatasetBytes(storage.db, storage.blobs, id) };
}

/** The dataset a run trains on, as its run record names it. */
export interface RunDataset {
  readonly version: ContentHash;
  /** The record the data is kept in; null for built-ins and imports that could not be kept. */
  readonly id: DatasetId | null;
}

export interface RunKeepOptions extends KeepOptions {
  /** Keeping starts (the page's phase line says so). */
  readonly onKeep?: (name: string) => void;
  /** Keeping failed: the run trains anyway, and says why the data is not kept. */
  readonly warn: (message: string) => void;
}

/**
 * The version (and record) of a run's data; an import is kept on the device first when there
 * is storage. Never throws: a failure to keep is a warning, and the version is still the content's.
 */
export async function datasetForRun(storage: RunStorage | null, origin: DataOrigin, data: Dataset, options: RunKeepOptions): Promise<RunDataset> {
  switch (origin.kind) {
    case 'builtin':
      return { version: origin.version, id: null };
    case 'stored':
      return { version: origin.record.version, id: origin.record.id };
    case 'imported': {
      const { imported } = origin;
      const src = imported.source;
      if (storage && !storage.db.readOnly) {
        try {
          options.onKeep?.(imported.name);
          const label = src.source === 'file' || src.source === 'remote' ? src.label : undefined;
          const { record } = await keepDataset(storage, imported, parsedShape(data, label ? { label } : {}), options);
          return { version: record.version, id: record.id };
        } catch (e) {
          options.warn(`"${imported.name}" is not kept on this device (the run trains on it anyway): ${e instanceof Error ? e.message : String(e)}`);
        }
      }
      return { version: await contentVersion(imported.bytes, options.chunkSize), id: null };
    }
    default: {
      const never: never = origin;
      throw new Error(`unknown data origin ${JSON.stringify(never)}`);
    }
  }
}
