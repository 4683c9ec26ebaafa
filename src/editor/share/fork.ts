// "Fork to my projects": the shared project becomes a new stored project, remembered as the one to
// open, so the workspace that opens next shows it in the editor.
import type { Project } from '../../engine/project/types.js';
import { openStorageDb } from '../../storage/db/index.js';
import { LAST_PROJECT_KEY, newProjectRecord } from '../../storage/session.js';
import type { ProjectId } from '../../storage/types.js';

/**
 * Stores a copy of `project` as a new project and marks it as the last opened one.
 * @example const id = await forkSharedProject(envelope.project); // then open the workspace
 */
export async function forkSharedProject(project: Project, env: { indexedDB?: IDBFactory; localStorage?: Pick<Storage, 'setItem'> } = {}): Promise<ProjectId> {
  const db = await openStorageDb({ indexedDB: env.indexedDB ?? globalThis.indexedDB });
  try {
    const record = newProjectRecord(project, null);
    await db.putProject(record);
    try {
      (env.localStorage ?? globalThis.localStorage)?.setItem(LAST_PROJECT_KEY, record.id);
    } catch {
      // without localStorage the most recently updated project opens, which is this one
    }
    return record.id;
  } finally {
    db.close();
  }
}
