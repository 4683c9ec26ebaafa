// "Fork to my projects": the shared project becomes a new stored project, remembered as the one to
// open, so the workspace that opens next shows it in the editor. A link's trained weights come
// along as an 'imported' run with a final checkpoint (saveImportedProject), all or nothing.
import { analyzeGraph } from '../../engine/graph/analyze.js';
import { summarize } from '../../engine/graph/summary.js';
import type { Project } from '../../engine/project/types.js';
import type { NamedArray } from '../../engine/train/checkpoint-format.js';
import { openOpfsBlobStore } from '../../storage/blobs/opfs.js';
import { openStorageDb } from '../../storage/db/index.js';
import { saveImportedProject } from '../../storage/imported-weights.js';
import { LAST_PROJECT_KEY, newProjectRecord } from '../../storage/session.js';
import type { ProjectId } from '../../storage/types.js';

/**
 * Stores a copy of `project` as a new project (with `weights`, checked by the caller, as an
 * imported run's final checkpoint) and marks it as the last opened one.
 * @example const id = await forkSharedProject(envelope.project); // then open the workspace
 */
export async function forkSharedProject(
  project: Project,
  env: { indexedDB?: IDBFactory; localStorage?: Pick<Storage, 'setItem'>; weights?: readonly NamedArray[] | null } = {},
): Promise<ProjectId> {
  const db = await openStorageDb({ indexedDB: env.indexedDB ?? globalThis.indexedDB });
  try {
    let id: ProjectId;
    if (env.weights) {
      // weights need file storage; without OPFS this throws and nothing is stored
      const blobs = await openOpfsBlobStore();
      const s = summarize(analyzeGraph(project.graph), project.training).totals;
      const saved = await saveImportedProject(db, blobs, { project, fileName: 'a share link', totals: { params: s.params, trainableParams: s.trainableParams, flops: s.flops }, weights: env.weights });
      id = saved.project.id;
    } else {
      const record = newProjectRecord(project, null);
      await db.putProject(record);
      id = record.id;
    }
    try {
      (env.localStorage ?? globalThis.localStorage)?.setItem(LAST_PROJECT_KEY, id);
    } catch {
      // without localStorage the most recently updated project opens, which is this one
    }
    return id;
  } finally {
    db.close();
  }
}
