// The project an embed without a share link shows: the last one opened here, else the most
// recently edited. Read only: opening an embed never writes to storage.
import type { Project } from '../../engine/project/types.js';
import { openStorageDb } from '../../storage/db/index.js';
import { LAST_PROJECT_KEY } from '../../storage/session.js';
import type { ProjectId } from '../../storage/types.js';

/** The app's database (src/storage/db/index.ts opens this name by default). */
const DB_NAME = 'neuralforge';

/** The last project's draft, or null when there is none (or no storage). */
export async function loadLastProject(): Promise<Project | null> {
  // Opening a database that does not exist would create it: look first, where the browser can tell.
  const known = await globalThis.indexedDB?.databases?.().catch(() => null);
  if (known && !known.some((d) => d.name === DB_NAME)) return null;
  const db = await openStorageDb({ name: DB_NAME });
  try {
    let last: string | null = null;
    try {
      last = globalThis.localStorage?.getItem(LAST_PROJECT_KEY) ?? null;
    } catch {
      last = null;
    }
    const remembered = last ? await db.getProject(last as ProjectId).catch(() => null) : null;
    if (remembered) return remembered.draft;
    const all = await db.listProjects();
    return [...all].sort((a, b) => b.updatedAt - a.updatedAt)[0]?.draft ?? null;
  } finally {
    db.close();
  }
}
