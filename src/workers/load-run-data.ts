// Loads the dataset a run asked for, inside the worker: built-in MNIST from the app's origin,
// an imported file or folder from the bytes the page transferred, or a remote URL (with
// download progress and an in-memory cache). The model's Input decides image size and
// sequence length; the loss decides the task.
import { loadDataset, MemoryCache, type ByteCache, type Dataset, type DatasetDeps, type DownloadEvent, type LoadOptions } from '../engine/data/index.js';
import type { DatasetRef } from '../engine/project/types.js';
import { browserImageDecoder } from './image-decoder.js';
import { loadFolder } from './load-folder.js';
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

async function mnistBytes(): Promise<Uint8Array> {
  const res = await fetch(MNIST_URL);
  if (!res.ok) throw new DataUnavailable(`could not load ${MNIST_URL}: HTTP ${res.status} (run "npm run datasets" before building)`);
  return new Uint8Array(await res.arrayBuffer());
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
    default: {
      const never: never = req;
      throw new Error(`unknown dataset source ${JSON.stringify(never)}`);
    }
  }
}

/**
 * @param cache where downloads are kept (default: this worker's in-memory cache)
 * @throws DatasetError (or DataUnavailable) with a message for a person; never returns partial data.
 */
export async function loadRunData(req: DatasetRequest, options: LoadOptions, onProgress: (e: DownloadEvent) => void, cache: ByteCache = downloads): Promise<Dataset> {
  const deps: DatasetDeps = { mnistBytes, imageDecoder: browserImageDecoder, options, onProgress };
  switch (req.source) {
    case 'builtin':
      return loadDataset({ source: 'builtin', name: req.name }, deps);
    case 'file': {
      const bytes = new Uint8Array(req.bytes);
      // The only file this run can read is the one the page sent.
      const readFile = async (path: string) => {
        if (path !== req.name) throw new Error(`only "${req.name}" was imported, not "${path}"`);
        return bytes;
      };
      const ref: DatasetRef = { source: 'file', path: req.name, ...(req.label ? { label: req.label } : {}) };
      return loadDataset(ref, { ...deps, readFile });
    }
    case 'folder':
      return loadFolder(req.name, req.files, browserImageDecoder, options);
    case 'remote': {
      const ref: DatasetRef = { source: 'remote', url: req.url, ...(req.sha256 ? { sha256: req.sha256 } : {}), ...(req.label ? { label: req.label } : {}) };
      return loadDataset(ref, { ...deps, fetch: (url) => fetch(url), cache: urlCache(req.url, cache) });
    }
    default: {
      const never: never = req;
      throw new Error(`unknown dataset source ${JSON.stringify(never)}`);
    }
  }
}
