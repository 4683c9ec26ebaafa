// A worker's own connection to the device's storage (IndexedDB records + OPFS files), opened on
// first use and shared by every request of that worker; a failed open is retried next time.
import { openOpfsBlobStore } from '../storage/blobs/opfs.js';
import { openStorageDb } from '../storage/db/index.js';
import type { BlobStore, StorageDb } from '../storage/types.js';

export interface WorkerStorage {
  readonly db: StorageDb;
  readonly blobs: BlobStore;
}

/**
 * An opener that opens once. `afterOpen` runs once on the fresh connection before anyone gets
 * it (the trainer collects garbage files there).
 * @example const storage = storageOpener(); const { db } = await storage();
 */
export function storageOpener(afterOpen?: (s: WorkerStorage) => Promise<void>): () => Promise<WorkerStorage> {
  let opened: Promise<WorkerStorage> | null = null;
  return () => {
    opened ??= (async () => {
      const s = { db: await openStorageDb(), blobs: await openOpfsBlobStore() };
      if (afterOpen) await afterOpen(s);
      return s;
    })();
    opened.catch(() => (opened = null));
    return opened;
  };
}
