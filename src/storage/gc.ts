// Garbage collection of OPFS files, run at startup: deletes files under checkpoints/ and
// datasets/ that no checkpoint manifest or dataset record names — a checkpoint or import cut
// short before its record, orphaned chunks of deleted datasets, files of deleted checkpoints —
// and temporary files of interrupted atomic writes. Never deletes a file a record names.
import { ifNoWriters } from './blobs/locks.js';
import { isTempPath } from './blobs/paths.js';
import { chunkPath } from './datasets.js';
import type { BlobStore, StorageDb } from './types.js';

/** The folders whose files belong to records; anything else in the store is left alone. */
export const COLLECTED_PREFIXES = ['checkpoints/', 'datasets/'] as const;

export interface GcResult {
  readonly removedFiles: string[];
  readonly freedBytes: number;
  /** True when a checkpoint or import was being written (here or in another tab): nothing was examined. */
  readonly skipped: boolean;
}

/**
 * Removes unreferenced files. Runs only when no writer holds the blob lock (else returns
 * `skipped: true`), so a checkpoint or import in flight in any tab is never collected. Reading
 * the records fails loudly (a damaged record throws) rather than collecting what it may name.
 * @example const { removedFiles, freedBytes } = await collectGarbage(db, blobs);
 */
export async function collectGarbage(db: StorageDb, blobs: BlobStore): Promise<GcResult> {
  const r = await ifNoWriters(async () => {
    const [manifests, datasets] = await Promise.all([db.allCheckpoints(), db.listDatasets()]);
    const live = new Set<string>([...manifests.flatMap((m) => m.files.map((f) => f.path)), ...datasets.flatMap((d) => d.chunks.map(chunkPath))]);
    const files = (await Promise.all(COLLECTED_PREFIXES.map((p) => blobs.list(p)))).flat();
    const removedFiles: string[] = [];
    let freedBytes = 0;
    for (const f of files) {
      if (!isTempPath(f.path) && live.has(f.path)) continue;
      await blobs.delete(f.path);
      removedFiles.push(f.path);
      freedBytes += f.bytes;
    }
    return { removedFiles, freedBytes, skipped: false };
  });
  return r.ran ? r.value : { removedFiles: [], freedBytes: 0, skipped: true };
}
