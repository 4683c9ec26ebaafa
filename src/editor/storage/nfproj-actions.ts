// .nfproj from the page: export downloads a file (and flushes pending edits first, so the file
// has them); import reads the chosen file, adds its records and opens the imported project.
// The .nfproj code (zip, schemas) loads on first use: it is not needed to open the page.
import { createMemoryBlobStore } from '../../storage/blobs/memory.js';
import { saveAs } from '../export/download.js';
import { StorageError, type ProjectId } from '../../storage/types.js';
import type { ExportChoice } from './ProjectList.js';
import type { Workspace } from './workspace.js';

/** A file name from a project name: letters, digits, dashes and underscores survive. */
export function fileNameFor(name: string): string {
  const base = name.trim().replace(/[^\p{L}\p{N}_-]+/gu, '-').replace(/^-+|-+$/g, '').slice(0, 80);
  return `${base || 'project'}.nfproj`;
}

function need(ws: Workspace) {
  if (!ws.session) throw new StorageError('unavailable', ws.unavailable ?? 'storage is unavailable');
  return ws.session;
}

export async function exportProject(ws: Workspace, id: ProjectId, choice: ExportChoice): Promise<void> {
  const session = need(ws);
  if (ws.current()?.id === id) await ws.current()!.flush();
  const record = await session.db.getProject(id);
  if (!record) throw new StorageError('not-found', 'That project no longer exists.');
  const wantsFiles = choice.checkpoints !== 'none' || choice.datasets;
  if (wantsFiles && !session.blobs) throw new StorageError('unavailable', `Checkpoints and datasets cannot be exported here: ${session.blobsError ?? 'no file storage'}.`);
  // Without OPFS there are no files to read: an empty store stands in for the records-only export.
  const blobs = session.blobs ?? createMemoryBlobStore();
  const { exportProjectFile } = await import('../../storage/nfproj.js');
  const bytes = await exportProjectFile(session.db, blobs, id, { checkpoints: choice.checkpoints, datasets: choice.datasets });
  saveAs(bytes, fileNameFor(record.name));
}

export async function importProject(ws: Workspace, file: File): Promise<void> {
  const session = need(ws);
  if (!session.blobs) throw new StorageError('unavailable', `Project files cannot be imported here: ${session.blobsError ?? 'no file storage'}.`);
  const bytes = new Uint8Array(await file.arrayBuffer());
  const { importProjectFile } = await import('../../storage/nfproj.js');
  const result = await importProjectFile(session.db, session.blobs, bytes);
  await ws.adopt(result.projectId);
}
