// Loads the dataset a run asked for, inside the worker: built-in MNIST from the app's origin,
// an imported file or folder from the bytes the page transferred, a remote URL (with
// download progress and an in-memory cache), or a dataset kept on the device. Along with the
// data it says where the data came from: the bytes to keep (imports), the record (stored), or
// MNIST's fixed version. The model's Input decides image size and sequence length; the loss
// decides the task.
import { loadDataset, MemoryCache, type ByteCache, type Dataset, type DatasetDeps, type DownloadEvent, type LoadOptions } from '../engine/data/index.js';
import type { DatasetRef } from '../engine/project/types.js';
import { sha256Hex } from '../storage/blobs/hash.js';
import { StorageError, type ContentHash, type DatasetRecord } from '../storage/types.js';
import { canonicalOrder, contentVersion, folderFiles, folderZip, readStoredDataset, type DataOrigin, type ImportedBytes } from './dataset-library.js';
import { browserImageDecoder } from './image-decoder.js';
import { loadFolder } from './load-folder.js';
import type { RunStorage } from './run-store.js';
import type { DatasetRequest } from './trainer-api.js';

const MNIST_URL = `${import.meta.env.BASE_URL}data/mnist.bin`;

/**
 * Downloaded bytes for this worker's lifetime, so a second run on the same URL does not
 * download again. In memory only: persistent caching (across reloads) comes with the storage
 * issue, which will implement ByteCache over IndexedDB/OPFS.
 */
const downloads = new MemoryCache();

/** The download cache seen through one URL: keys are url + what download() keys by (sha256 or url). */
export function urlCache(url: string, store: ByteCache = downloads): ByteCache {
  const k = (key: string) => `${url}\n${key}`;
  return { get: (key) => store.get(k(key)), put: (key, bytes) => store.put(k(key), bytes) };
}

/** A failure a person caused (missing data file): reported without a stack. */
export class DataUnavailable extends Error {}

export interface RunData {
  readonly data: Dataset;
  readonly origin: DataOrigin;
}

export interface RunDataDeps {
  /** Where downloads are kept (default: this worker's in-memory cache). */
  readonly cache?: ByteCache;
  /** The device's storage: needed for a 'stored' request only. */
  readonly storage?: RunStorage | null;
}

let mnistVersion: Promise<ContentHash> | null = null;

async function mnistBytes(): Promise<Uint8Array> {
  const res = await fetch(MNIST_URL);
  if (!res.ok) throw new DataUnavailable(`could not load ${MNIST_URL}: HTTP ${res.status} (run "npm run datasets" before building)`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  mnistVersion ??= contentVersion(bytes); // once per worker: the bundled file does not change under it
  return bytes;
}

/** A short name for the page's phase line: "MNIST", "shapes.zip", the URL. */
export function describeRequest(req: DatasetRequest): string {
  switch (req.source) {
    case 'builtin':
      return 'MNIST';
    case 'file':
      return req.name;
    case 'folder':
      return `${req.name}/ (${req.files.length} files)`;
    case 'remote':
      return req.url;
    case 'stored':
      return `${req.name} (kept on this device)`;
    default: {
      const never: never = req;
      throw new Error(`unknown dataset source ${JSON.stringify(never)}`);
    }
  }
}

/** The last path segment of a URL, without query or fragment (as the engine names a download). */
export const urlFileName = (url: string): string => url.split(/[?#]/)[0]!.split('/').filter(Boolean).pop() ?? url;

/** How the bytes of a file are stored, from its name: what the record's `format` says. */
export function formatOfName(name: string): DatasetRecord['format'] {
  const ext = (/\.([^./]+)$/.exec(name)?.[1] ?? '').toLowerCase();
  switch (ext) {
    case 'csv':
    case 'tsv':
      return 'csv';
    case 'jsonl':
    case 'ndjson':
      return 'jsonl';
    case 'txt':
      return 'text';
    case 'zip':
      return 'image-zip';
    default:
      return 'other';
  }
}

/** Reads `bytes` as the file `name` (an import the page sent, or a kept one read back). */
function fromFileBytes(name: string, bytes: Uint8Array, label: string | undefined, deps: DatasetDeps): Promise<Dataset> {
  // The only file this run can read is the one it was given.
  const readFile = async (path: string) => {
    if (path !== name) throw new Error(`only "${name}" was imported, not "${path}"`);
    return bytes;
  };
  const ref: DatasetRef = { source: 'file', path: name, ...(label ? { label } : {}) };
  return loadDataset(ref, { ...deps, readFile });
}

const FORMAT_EXTENSION: Partial<Record<DatasetRecord['format'], string>> = { csv: 'csv', jsonl: 'jsonl', text: 'txt', 'image-zip': 'zip' };

/** Loads a kept dataset the way it was first imported, in the format its record names. */
async function fromRecord(record: DatasetRecord, bytes: Uint8Array, label: string | undefined, deps: DatasetDeps, options: LoadOptions): Promise<Dataset> {
  const where = `the kept dataset "${record.name}"`;
  const src = record.source;
  const keptLabel = src.source === 'file' || src.source === 'remote' ? src.label : undefined;
  if (record.format === 'image-folder') return loadFolder(src.source === 'folder' ? src.name : record.name, folderFiles(bytes, where), browserImageDecoder, options);
  if (record.format === 'mnist-bin') return loadDataset({ source: 'builtin', name: 'mnist' }, { ...deps, mnistBytes: async () => bytes });
  const ext = FORMAT_EXTENSION[record.format];
  if (!ext) throw new DataUnavailable(`${where} is in the "${record.format}" format, which this app cannot train on`);
  let name = src.source === 'file' ? src.path.split(/[/\\]/).pop()! : src.source === 'remote' ? urlFileName(src.url) : record.name;
  if (formatOfName(name) !== record.format) name = `${name}.${ext}`; // the record, not the name, says how to read it
  const data = await fromFileBytes(name, bytes, label ?? keptLabel, deps);
  // Named as the original import was, so runs on the kept copy read like runs on the original.
  return src.source === 'remote' ? { ...data, name: `remote:${src.url}` } : data;
}

/** Remembers the bytes a download produced (from the cache or the network): the last ones are what was parsed. */
function capturing(cache: ByteCache): { cache: ByteCache; bytes: () => Uint8Array | null } {
  let seen: Uint8Array | null = null;
  return {
    cache: {
      get: async (key) => (seen = (await cache.get(key)) ?? seen),
      put: async (key, bytes) => {
        seen = bytes;
        await cache.put(key, bytes);
      },
    },
    bytes: () => seen,
  };
}

/** Images that could not be decoded, as training lists them: with the skipped files (the run's dataset summary shows them). */
function listDecodeFailures(data: Dataset): Dataset {
  const failures = data.decodeReport?.failures ?? [];
  if (failures.length === 0) return data;
  const why = (f: (typeof failures)[number]) => `could not be read and was left out (${f.stage === 'decode' ? 'decode failed' : 'bad size'}: ${f.reason})`;
  return { ...data, skipped: [...(data.skipped ?? []), ...failures.map((f) => ({ path: f.path, reason: why(f) }))] };
}

/**
 * Loads a run's data and says where it came from. An image that cannot be decoded is left out
 * and listed in `skipped` (the rest trains; fewer than two classes left still throws), unless
 * `options.onUndecodable` is set: then the Dataset is as loaded (the explorer reads `decodeReport`).
 * @throws DatasetError, DataUnavailable or StorageError with a message for a person; never returns partial data.
 */
export async function loadForRun(req: DatasetRequest, options: LoadOptions, onProgress: (e: DownloadEvent) => void, deps: RunDataDeps = {}): Promise<RunData> {
  if (options.onUndecodable !== undefined) return loadRequest(req, options, onProgress, deps);
  const got = await loadRequest(req, { ...options, onUndecodable: 'skip' }, onProgress, deps);
  return { ...got, data: listDecodeFailures(got.data) };
}

async function loadRequest(req: DatasetRequest, options: LoadOptions, onProgress: (e: DownloadEvent) => void, deps: RunDataDeps): Promise<RunData> {
  const base: DatasetDeps = { mnistBytes, imageDecoder: browserImageDecoder, options, onProgress };
  switch (req.source) {
    case 'builtin': {
      const data = await loadDataset({ source: 'builtin', name: req.name }, base);
      if (!mnistVersion) throw new Error('internal: MNIST was loaded without its bytes');
      return { data, origin: { kind: 'builtin', version: await mnistVersion } };
    }
    case 'file': {
      const bytes = new Uint8Array(req.bytes);
      const data = await fromFileBytes(req.name, bytes, req.label, base);
      const source: DatasetRef = { source: 'file', path: req.name, ...(req.label ? { label: req.label } : {}) };
      return { data, origin: { kind: 'imported', imported: { name: req.name, source, format: formatOfName(req.name), bytes } } };
    }
    case 'folder': {
      // In canonical order, as the kept copy will be read back: the same split either way.
      const data = await loadFolder(req.name, canonicalOrder(req.files), browserImageDecoder, options);
      const imported: ImportedBytes = { name: req.name, source: { source: 'folder', name: req.name }, format: 'image-folder', bytes: folderZip(req.files) };
      return { data, origin: { kind: 'imported', imported } };
    }
    case 'remote': {
      const ref: DatasetRef = { source: 'remote', url: req.url, ...(req.sha256 ? { sha256: req.sha256 } : {}), ...(req.label ? { label: req.label } : {}) };
      const got = capturing(urlCache(req.url, deps.cache ?? downloads));
      const data = await loadDataset(ref, { ...base, fetch: (url) => fetch(url), cache: got.cache });
      const bytes = got.bytes();
      if (!bytes) throw new Error('internal: a download produced no bytes');
      const name = urlFileName(req.url);
      // The file's own SHA-256 (what a person checks a download against), whether or not one was asked for.
      const source: DatasetRef = { ...ref, sha256: await sha256Hex(bytes) };
      return { data, origin: { kind: 'imported', imported: { name, source, format: formatOfName(name), bytes } } };
    }
    case 'stored': {
      if (!deps.storage) throw new DataUnavailable('datasets kept on the device cannot be read: this browser offers no storage here');
      const { record, bytes } = await readStoredDataset(deps.storage, req.datasetId).catch((e: unknown) => {
        throw e instanceof StorageError ? new DataUnavailable(e.message) : e;
      });
      return { data: await fromRecord(record, bytes, req.label, base, options), origin: { kind: 'stored', record } };
    }
    default: {
      const never: never = req;
      throw new Error(`unknown dataset source ${JSON.stringify(never)}`);
    }
  }
}

/**
 * The data alone (see {@link loadForRun}).
 * @param cache where downloads are kept (default: this worker's in-memory cache)
 * @throws DatasetError (or DataUnavailable) with a message for a person; never returns partial data.
 */
export async function loadRunData(req: DatasetRequest, options: LoadOptions, onProgress: (e: DownloadEvent) => void, cache: ByteCache = downloads): Promise<Dataset> {
  return (await loadForRun(req, options, onProgress, { cache })).data;
}
