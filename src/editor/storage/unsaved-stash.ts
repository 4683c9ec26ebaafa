// Edits not yet on disk when the page goes away. IndexedDB writes started in `pagehide` do not
// finish before the document is torn down (a reload, a closed tab), so the last edits are also
// put, synchronously, into localStorage; the next open applies them if nobody saved since.
import { parseProject } from '../../engine/project/parse.js';
import type { ProjectId, ProjectRecord } from '../../storage/types.js';

const KEY_PREFIX = 'neuralforge:unsaved:';

/** What is kept: the edited record and the updatedAt of the stored record it was based on. */
interface Stash {
  readonly base: number;
  readonly record: ProjectRecord;
}

export interface UnsavedStash {
  put(id: ProjectId, base: number, record: ProjectRecord): void;
  /** The stashed record if it was based on `storedUpdatedAt` (nobody saved since); the stash is removed either way. */
  take(id: ProjectId, storedUpdatedAt: number): ProjectRecord | null;
  remove(id: ProjectId): void;
}

/** A stash over `storage` (localStorage); every method swallows storage errors: it is a best effort. */
export function createUnsavedStash(storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | undefined): UnsavedStash {
  const key = (id: ProjectId) => KEY_PREFIX + id;
  return {
    put(id, base, record) {
      try {
        storage?.setItem(key(id), JSON.stringify({ base, record } satisfies Stash));
      } catch {
        // full or disabled: the autosave flush still runs
      }
    },
    take(id, storedUpdatedAt) {
      try {
        const text = storage?.getItem(key(id));
        if (!text) return null;
        storage?.removeItem(key(id));
        const s = JSON.parse(text) as Partial<Stash>;
        const r = s.record;
        // Only a stash of this project, based on exactly the stored version, is safe to apply.
        if (s.base !== storedUpdatedAt || !r || r.id !== id || typeof r.name !== 'string') return null;
        const draft = parseProject(r.draft); // the same checks as a file: this text came from outside the app's memory
        return draft.ok ? { ...r, draft: draft.project } : null;
      } catch {
        return null;
      }
    },
    remove(id) {
      try {
        storage?.removeItem(key(id));
      } catch {
        // nothing to do
      }
    },
  };
}
