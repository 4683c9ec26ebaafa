// An imported model becomes a project of its own on the device (architecture version, and the
// weights as an 'imported' run's checkpoint: src/storage/imported-weights.ts) and opens.
import { saveImportedProject, type SavedImport } from '../../storage/imported-weights.js';
import { StorageError } from '../../storage/types.js';
import type { ImportReply } from '../../workers/exporter-api.js';
import type { Workspace } from '../storage/workspace.js';

export type ImportedModelReply = Extract<ImportReply, { ok: true }>;

/**
 * Saves `imported` as a new project and opens it in this tab.
 * @throws StorageError('unavailable') when nothing can be stored here; a quota error when the weights do not fit (the import is then undone).
 */
export async function importModelAsProject(ws: Workspace, imported: ImportedModelReply): Promise<SavedImport> {
  const session = ws.session;
  if (!session) throw new StorageError('unavailable', `The model cannot be kept as a project: ${ws.unavailable ?? 'storage is unavailable'}`);
  const saved = await saveImportedProject(session.db, session.blobs, { project: imported.project, fileName: imported.fileName, totals: imported.totals, weights: imported.weights });
  await ws.adopt(saved.project.id);
  return saved;
}
