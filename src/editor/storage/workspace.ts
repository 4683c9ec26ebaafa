// The page's storage state: the session, the other tabs, the project list and the project open
// in this tab. Opening, creating, renaming and deleting projects go through here, and each
// takes the project's edit lease so no change lands under another tab's feet.
import { createSignal, type Accessor } from 'solid-js';
import { findTemplate, TEMPLATES } from '../../engine/templates/index.js';
import { collectGarbage } from '../../storage/gc.js';
import { newProjectRecord, openSession, projectToOpen, type StorageSession } from '../../storage/session.js';
import { CHANNEL_NAME, createTabCoordinator, type LockManagerLike, type TabCoordinator } from '../../storage/tabs.js';
import { StorageError, type ProjectId, type ProjectRecord } from '../../storage/types.js';
import { openProjectDoc, type ProjectDoc, type ProjectStore } from './project-doc.js';
import { createUnsavedStash } from './unsaved-stash.js';
import { emptyProject, EMPTY_PROJECT_TASK, untitledName } from './empty-project.js';

export interface Workspace {
  /** Null when IndexedDB could not be opened: the page still works, nothing is saved. */
  readonly session: StorageSession | null;
  /** Why nothing is saved, when `session` is null. */
  readonly unavailable: string | null;
  readonly tabs: TabCoordinator;
  readonly projects: Accessor<readonly ProjectRecord[]>;
  readonly current: Accessor<ProjectDoc | null>;
  /** Storage changed here or in another tab: lists and the storage panel re-read. */
  readonly revision: Accessor<number>;
  refresh(): Promise<void>;
  open(id: ProjectId): Promise<void>;
  createFromTemplate(templateId: string): Promise<void>;
  /** A new project holding only an Input, named "Untitled" (or "Untitled 2", …), saved and opened. */
  createEmpty(): Promise<void>;
  /** Adds an already built record (an import) and opens it. */
  adopt(id: ProjectId): Promise<void>;
  rename(id: ProjectId, name: string): Promise<void>;
  remove(id: ProjectId): Promise<void>;
}

const DEFAULT_TEMPLATE = 'mlp';

/** Keeps projects in memory when the browser gives us no IndexedDB (private mode, disabled storage). */
function memoryStore(): ProjectStore & { list(): ProjectRecord[] } {
  const map = new Map<string, ProjectRecord>();
  return {
    getProject: async (id) => map.get(id) ?? null,
    putProject: async (p) => void map.set(p.id, p),
    list: () => [...map.values()],
  };
}

/** localStorage, or undefined where the browser forbids it (reading the property can throw). */
function localStorageOrUndefined(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}

const browserLocks = (): LockManagerLike | undefined => (globalThis.navigator as { locks?: LockManagerLike } | undefined)?.locks;

/**
 * Opens storage and the project to show: the last one opened, else the most recent, else a new
 * one from the MLP template (a first visit).
 */
export async function openWorkspace(): Promise<Workspace> {
  let session: StorageSession | null = null;
  let unavailable: string | null = null;
  try {
    session = await openSession({ indexedDB: globalThis.indexedDB, storage: navigator.storage, localStorage: localStorageOrUndefined(), collectGarbage });
  } catch (e) {
    unavailable = e instanceof Error ? e.message : String(e);
  }
  const memory = memoryStore();
  const stash = createUnsavedStash(session ? localStorageOrUndefined() : undefined);
  const store: ProjectStore = session?.db ?? memory;
  const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(CHANNEL_NAME) : undefined;
  const tabs = createTabCoordinator({ locks: session ? browserLocks() : undefined, channel: session ? channel : undefined, tabId: crypto.randomUUID() });

  const [projects, setProjects] = createSignal<readonly ProjectRecord[]>([]);
  const [current, setCurrent] = createSignal<ProjectDoc | null>(null);
  const [revision, setRevision] = createSignal(0);

  async function refresh(): Promise<void> {
    const all = session ? await session.db.listProjects() : memory.list();
    setProjects([...all].sort((a, b) => b.updatedAt - a.updatedAt));
    setRevision((r) => r + 1);
  }

  async function show(record: ProjectRecord): Promise<void> {
    // Swap without a moment of "no project", so panels bound to the project (training) stay mounted.
    const previous = current();
    const doc = await openProjectDoc({ store, tabs, record, stash, onDeleted: () => void afterDelete(record.id) });
    setCurrent(doc);
    session?.rememberProject(record.id);
    await previous?.close(); // flushes its pending edits to its own record
  }

  async function create(templateId: string): Promise<void> {
    const t = findTemplate(templateId) ?? TEMPLATES[0]!;
    await startWith(newProjectRecord(t.project(), t.task));
  }

  async function createEmpty(): Promise<void> {
    const names = (session ? await session.db.listProjects() : memory.list()).map((p) => p.name);
    await startWith(newProjectRecord(emptyProject(untitledName(names)), EMPTY_PROJECT_TASK));
  }

  /** Saves a new project's record, then opens it. */
  async function startWith(record: ProjectRecord): Promise<void> {
    await store.putProject(record);
    await show(record);
    await refresh();
  }

  /** After this project disappeared (deleted here or elsewhere): open the next one, or a fresh one. */
  async function afterDelete(id: ProjectId): Promise<void> {
    if (current()?.id === id) {
      const next = session ? await projectToOpen({ db: session.db, lastProjectId: () => null }) : null;
      if (next && next.id !== id) await show(next);
      else await create(DEFAULT_TEMPLATE);
    }
    await refresh();
  }

  /** Runs `f` holding `id`'s edit lease (this tab's own when it is the open project); refuses if another tab edits it. */
  async function withLease(id: ProjectId, what: string, f: () => Promise<void>): Promise<void> {
    const doc = current();
    if (doc?.id === id) {
      if (!doc.canEdit()) throw new StorageError('conflict', `Cannot ${what}: another tab is editing this project. Take over editing first.`);
      await doc.flush();
      return f();
    }
    const lease = await tabs.open(id);
    try {
      if (lease.mode().kind !== 'editing') throw new StorageError('conflict', `Cannot ${what}: it is open for editing in another tab. Close it there first.`);
      await f();
    } finally {
      await lease.close();
    }
  }

  channel?.addEventListener('message', () => void refresh().catch(() => undefined));

  const initial = session ? await projectToOpen(session) : null;
  if (initial) await show(initial);
  else await create(DEFAULT_TEMPLATE);
  await refresh();

  return {
    session,
    unavailable,
    tabs,
    projects,
    current,
    revision,
    refresh,
    async open(id) {
      if (current()?.id === id) return;
      const record = await store.getProject(id);
      if (!record) throw new StorageError('not-found', 'That project no longer exists (deleted in another tab?).');
      await show(record);
    },
    createFromTemplate: create,
    createEmpty,
    async adopt(id) {
      await refresh();
      const record = await store.getProject(id);
      if (record) await show(record);
    },
    async rename(id, name) {
      const doc = current();
      if (doc?.id === id) {
        if (!doc.rename(name)) throw new StorageError('conflict', 'Cannot rename: another tab is editing this project. Take over editing first.');
        await doc.flush();
      } else {
        await withLease(id, 'rename this project', async () => {
          const r = await store.getProject(id);
          if (r) await store.putProject({ ...r, name, draft: { ...r.draft, name }, updatedAt: Math.max(Date.now(), r.updatedAt + 1) });
        });
      }
      await refresh();
    },
    async remove(id) {
      if (!session) throw new StorageError('unavailable', unavailable ?? 'storage is unavailable');
      await withLease(id, 'delete this project', async () => {
        await session.db.deleteProject(id);
        tabs.announceDeleted(id);
      });
      // The project's checkpoint manifests are gone; their files go now rather than at the next start.
      if (session.blobs) await collectGarbage(session.db, session.blobs).catch(() => undefined);
      await afterDelete(id);
    },
  };
}
