// A BlobStore in memory, for Node and tests: the same path rules and atomic-write behaviour as
// OPFS (a temporary file, then a rename), plus faults a test can inject — a crash that leaves a
// temporary file behind, and a quota.
import { blobPathSegments, checkListPrefix, tempName } from './paths.js';
import type { BlobStore } from '../types.js';
import { toStorageError } from '../quota.js';

/** Thrown by a write the test asked to "crash": the tab died between the temporary file and the rename. */
export class SimulatedCrash extends Error {
  constructor(readonly path: string) {
    super(`simulated crash while writing ${path}`);
    this.name = 'SimulatedCrash';
  }
}

export interface MemoryBlobStore extends BlobStore {
  /** A copy of every file, temporary ones included. */
  snapshot(): Map<string, Uint8Array>;
  /** The next `writes` writes succeed; the one after leaves only its temporary file and throws SimulatedCrash (once). */
  crashAfter(writes: number): void;
  /** Total bytes stored, temporary files included. */
  usage(): number;
}

export interface MemoryBlobOptions {
  /** Writes that would take the total past this fail like a full disk (StorageError 'quota'). */
  readonly quotaBytes?: number;
}

/**
 * @example
 * const blobs = createMemoryBlobStore({ quotaBytes: 1 << 20 });
 * await blobs.write('datasets/chunks/ab…', bytes);
 */
export function createMemoryBlobStore(options: MemoryBlobOptions = {}): MemoryBlobStore {
  const files = new Map<string, Uint8Array>();
  let crashIn: number | null = null;
  const usage = () => [...files.values()].reduce((n, b) => n + b.length, 0);

  return {
    async write(path, bytes) {
      blobPathSegments(path);
      const replaced = files.get(path)?.length ?? 0;
      if (options.quotaBytes !== undefined && usage() - replaced + bytes.length > options.quotaBytes) {
        throw toStorageError(new DOMException(`writing ${path} would exceed the quota`, 'QuotaExceededError'), path);
      }
      const tmp = tempName(path);
      files.set(tmp, bytes.slice());
      if (crashIn !== null && crashIn-- === 0) {
        crashIn = null;
        throw new SimulatedCrash(path);
      }
      files.set(path, files.get(tmp)!);
      files.delete(tmp);
    },
    async read(path) {
      blobPathSegments(path);
      return files.get(path)?.slice() ?? null;
    },
    async size(path) {
      blobPathSegments(path);
      return files.get(path)?.length ?? null;
    },
    async delete(path) {
      blobPathSegments(path, true); // the collector deletes temporary files too
      files.delete(path);
    },
    async list(prefix) {
      const p = checkListPrefix(prefix);
      return [...files].filter(([k]) => k.startsWith(p)).map(([path, b]) => ({ path, bytes: b.length })).sort((a, b) => (a.path < b.path ? -1 : 1));
    },
    snapshot: () => new Map([...files].map(([k, v]) => [k, v.slice()])),
    crashAfter(writes) {
      crashIn = writes;
    },
    usage,
  };
}
