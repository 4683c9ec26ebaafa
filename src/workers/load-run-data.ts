// Loads the dataset a run asked for, inside the worker: built-in MNIST from the app's origin,
// an imported file from the bytes the page transferred, or a remote URL (with download
// progress). The model's Input decides image size and sequence length; the loss decides the task.
import { loadDataset, type Dataset, type DatasetDeps, type DownloadEvent, type LoadOptions } from '../engine/data/index.js';
import type { DatasetRef } from '../engine/project/types.js';
import { browserImageDecoder } from './image-decoder.js';
import type { DatasetRequest } from './trainer-api.js';

const MNIST_URL = `${import.meta.env.BASE_URL}data/mnist.bin`;

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
    case 'remote':
      return req.url;
    default: {
      const never: never = req;
      throw new Error(`unknown dataset source ${JSON.stringify(never)}`);
    }
  }
}

/** @throws DatasetError (or DataUnavailable) with a message for a person; never returns partial data. */
export async function loadRunData(req: DatasetRequest, options: LoadOptions, onProgress: (e: DownloadEvent) => void): Promise<Dataset> {
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
    case 'remote': {
      const ref: DatasetRef = { source: 'remote', url: req.url, ...(req.sha256 ? { sha256: req.sha256 } : {}), ...(req.label ? { label: req.label } : {}) };
      return loadDataset(ref, { ...deps, fetch: (url) => fetch(url) });
    }
    default: {
      const never: never = req;
      throw new Error(`unknown dataset source ${JSON.stringify(never)}`);
    }
  }
}
