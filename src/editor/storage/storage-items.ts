// Deleting what the storage panel lists: the record (and what belongs to it), then the files no
// record names any more, so the space is free at once rather than at the next start.
import { collectGarbage } from '../../storage/gc.js';
import type { CheckpointId, DatasetId, ExportId, RunId, StorageUsage } from '../../storage/types.js';
import type { StorageSession } from '../../storage/session.js';

export type StorageItem = StorageUsage['items'][number];

/** Deletes one item; resolves the bytes of files removed from OPFS. */
export async function deleteStorageItem(session: Pick<StorageSession, 'db' | 'blobs'>, item: StorageItem): Promise<number> {
  const { db, blobs } = session;
  switch (item.kind) {
    case 'run':
      await db.deleteRun(item.id as RunId); // with its metric series and checkpoint manifests
      break;
    case 'checkpoint':
      await db.deleteCheckpoint(item.id as CheckpointId);
      break;
    case 'dataset':
      await db.deleteDataset(item.id as DatasetId);
      break;
    case 'export':
      await db.deleteExport(item.id as ExportId);
      break;
    default: {
      const never: never = item.kind;
      throw new Error(`unhandled storage item kind ${String(never)}`);
    }
  }
  if (!blobs) return 0;
  const gc = await collectGarbage(db, blobs);
  return gc.freedBytes;
}
