// The datasets kept on the device, as the page's Dataset picker shows them: the IndexedDB
// records (name, format, size, classes, samples, version), how many runs trained on each, and
// deleting one — its record, then the OPFS chunks no other dataset shares. Runs keep the version
// string, so their history stays readable but they cannot be re-run from this data.
import { openOpfsBlobStore } from '../../storage/blobs/opfs.js';
import { collectGarbage } from '../../storage/gc.js';
import type { BlobStore, ContentHash, DatasetId, DatasetRecord, StorageDb } from '../../storage/types.js';

/** One kept dataset, as the picker lists it. */
export interface KeptDataset {
  readonly id: DatasetId;
  readonly name: string;
  readonly format: DatasetRecord['format'];
  readonly bytes: number;
  /** Number of classes; null when the data has none (regression, a corpus). */
  readonly classes: number | null;
  /** Samples in all splits. */
  readonly samples: number;
  readonly version: ContentHash;
  /** The label column/field it was kept with ('' when none). */
  readonly label: string;
  readonly createdAt: number;
  readonly readOnly: boolean;
}

/** The first 8 hex digits of a version: enough to tell datasets apart at a glance. */
export const shortVersion = (v: string): string => v.slice(0, 8);

/** Bytes for people: B, KiB or MiB. */
export function formatBytes(b: number): string {
  if (b < 1024) return `${b} B`;
  return b < 1 << 20 ? `${(b / 1024).toFixed(1)} KiB` : `${(b / (1 << 20)).toFixed(1)} MiB`;
}

/** A record as the picker shows it. */
export function keptDataset(r: DatasetRecord): KeptDataset {
  const s = r.source;
  return {
    id: r.id,
    name: r.name,
    format: r.format,
    bytes: r.bytes,
    classes: r.classes?.length ?? null,
    samples: r.splits.train + r.splits.validation + r.splits.test,
    version: r.version,
    label: (s.source === 'file' || s.source === 'remote' ? s.label : undefined) ?? '',
    createdAt: r.createdAt,
    readOnly: r.readOnly === true,
  };
}

/** Every kept dataset, newest first. */
export async function listKeptDatasets(db: StorageDb): Promise<KeptDataset[]> {
  return (await db.listDatasets()).map(keptDataset).sort((a, b) => b.createdAt - a.createdAt);
}

/** How many runs, in any project, trained on this version. */
export async function runsTrainedOn(db: StorageDb, version: ContentHash): Promise<number> {
  let n = 0;
  for (const p of await db.listProjects()) n += (await db.listRuns(p.id)).filter((r) => r.datasetVersion === version).length;
  return n;
}

/** What deleting will do, for the confirmation. */
export function deleteWarning(d: KeptDataset, runs: number): string {
  const what = `Delete "${d.name}" (${formatBytes(d.bytes)}, version ${shortVersion(d.version)}) from this device?`;
  if (runs === 0) return `${what} No run trained on it.`;
  return `${what} ${runs} run${runs === 1 ? '' : 's'} trained on it keep their history and its version, but cannot be trained again from it without importing the file again.`;
}

/**
 * Deletes the record, then collects the chunks no record names any more (chunks shared with
 * another dataset stay). The collection waits for no one: while any tab is writing a checkpoint
 * or an import it is skipped (`deferred`), and the next start frees the space.
 * @throws StorageError when the record cannot be deleted (read-only database, …).
 */
export async function deleteKeptDataset(
  db: StorageDb,
  blobs: BlobStore | null,
  id: DatasetId,
  collect: (db: StorageDb, blobs: BlobStore) => Promise<{ freedBytes: number; skipped: boolean }>,
): Promise<{ freedBytes: number; deferred: boolean }> {
  await db.deleteDataset(id);
  if (!blobs) return { freedBytes: 0, deferred: true };
  const gc = await collect(db, blobs);
  return { freedBytes: gc.freedBytes, deferred: gc.skipped };
}

/** The page's OPFS store and collector, for a delete. */
export async function pageBlobs(): Promise<{ blobs: BlobStore; collect: (db: StorageDb, blobs: BlobStore) => Promise<{ freedBytes: number; skipped: boolean }> }> {
  return { blobs: await openOpfsBlobStore(), collect: collectGarbage };
}
