// Opening storage in the page: the IndexedDB records, the OPFS blobs, a garbage-collection
// pass at startup, the persistent-storage request (page only: workers cannot ask), and the
// project the person had open last time.
import type { Project } from '../engine/project/types.js';
import { openOpfsBlobStore } from './blobs/opfs.js';
import { openStorageDb } from './db/index.js';
import { newProjectId } from './ids.js';
import { requestPersistence, storageUsage } from './usage.js';
import { StorageError, type BlobStore, type ProjectId, type ProjectRecord, type StorageDb, type StorageUsage } from './types.js';

/** localStorage key of the last open project: per origin, so the next visit opens it again. */
export const LAST_PROJECT_KEY = 'neuralforge:last-project';

/** What storage the page has: the browser globals, injected so Node tests can pass fakes. */
export interface SessionEnv {
  readonly indexedDB?: IDBFactory;
  /** navigator.storage (estimate, persist, persisted; getDirectory for OPFS). */
  readonly storage?: Pick<StorageManager, 'estimate' | 'persist' | 'persisted'> & Partial<Pick<StorageManager, 'getDirectory'>>;
  readonly localStorage?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
  readonly dbName?: string;
  /** Removes OPFS files no record names (src/storage/gc.ts); skipped when absent or without OPFS. */
  readonly collectGarbage?: (db: StorageDb, blobs: BlobStore) => Promise<unknown>;
}

/** The browser's answer to "keep my data": null when it has no such API. */
export interface Persistence {
  readonly persisted: boolean | null;
  /** Set when asking failed (not when the browser said no). */
  readonly error: string | null;
}

export interface StorageSession {
  readonly db: StorageDb;
  /** Null where OPFS is missing: projects still save, large files (checkpoints, datasets) cannot. */
  readonly blobs: BlobStore | null;
  /** Why `blobs` is null, for the storage panel. */
  readonly blobsError: string | null;
  /** What the startup collection did, or why it failed (it never blocks opening). */
  readonly gc: { readonly ok: true; readonly result: unknown } | { readonly ok: false; readonly message: string } | null;
  persistence(): Persistence;
  /** Asks again (from a click: some browsers only grant it after a gesture). */
  requestPersistence(): Promise<Persistence>;
  usage(): Promise<StorageUsage>;
  lastProjectId(): ProjectId | null;
  rememberProject(id: ProjectId | null): void;
  close(): void;
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * Opens storage for the page. Rejects with StorageError('unavailable') only when IndexedDB cannot
 * be opened; a missing OPFS, a failed GC or a refused persistence request are reported, not thrown.
 * @example const session = await openSession({ indexedDB, storage: navigator.storage, localStorage, collectGarbage });
 */
export async function openSession(env: SessionEnv): Promise<StorageSession> {
  const db = await openStorageDb({ name: env.dbName, indexedDB: env.indexedDB });
  let blobs: BlobStore | null = null;
  let blobsError: string | null = null;
  try {
    if (!env.storage?.getDirectory) throw new StorageError('unavailable', 'this browser has no Origin Private File System');
    blobs = await openOpfsBlobStore();
  } catch (e) {
    blobsError = message(e);
  }

  let gc: StorageSession['gc'] = null;
  if (blobs && env.collectGarbage && !db.readOnly) {
    try {
      gc = { ok: true, result: await env.collectGarbage(db, blobs) };
    } catch (e) {
      gc = { ok: false, message: message(e) };
    }
  }

  let persistence: Persistence = { persisted: null, error: null };
  const ask = async (): Promise<Persistence> => {
    if (!env.storage) return (persistence = { persisted: null, error: null });
    try {
      persistence = { persisted: await requestPersistence(env.storage), error: null };
    } catch (e) {
      persistence = { persisted: persistence.persisted, error: message(e) };
    }
    return persistence;
  };
  await ask();

  const local = env.localStorage;
  return {
    db,
    blobs,
    blobsError,
    gc,
    persistence: () => persistence,
    requestPersistence: ask,
    usage: () => storageUsage(db, blobs ?? undefined, env.storage),
    lastProjectId() {
      try {
        return (local?.getItem(LAST_PROJECT_KEY) ?? null) as ProjectId | null;
      } catch {
        return null; // storage disabled by the browser's privacy settings
      }
    },
    rememberProject(id) {
      try {
        if (id) local?.setItem(LAST_PROJECT_KEY, id);
        else local?.removeItem(LAST_PROJECT_KEY);
      } catch {
        // not remembering is harmless: the most recently edited project opens instead
      }
    },
    close: () => db.close(),
  };
}

/** A new project record around a draft (from a template or an import), not yet saved. */
export function newProjectRecord(draft: Project, task: string | null, now: number = Date.now()): ProjectRecord {
  return {
    id: newProjectId(),
    name: draft.name,
    description: draft.description ?? '',
    task,
    tags: [],
    createdAt: now,
    updatedAt: now,
    draft,
    headVersion: null,
    ui: { selectedRunId: null, selectedNodeIds: [] },
  };
}

/**
 * The project to open: the last one if it still exists, else the most recently edited, else
 * null (the caller creates one from a template).
 */
export async function projectToOpen(session: Pick<StorageSession, 'db' | 'lastProjectId'>): Promise<ProjectRecord | null> {
  const last = session.lastProjectId();
  if (last) {
    const p = await session.db.getProject(last).catch(() => null);
    if (p) return p;
  }
  const all = await session.db.listProjects();
  return [...all].sort((a, b) => b.updatedAt - a.updatedAt)[0] ?? null;
}
