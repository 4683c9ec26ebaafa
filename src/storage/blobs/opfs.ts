// The BlobStore on the Origin Private File System: one OPFS directory per path segment, and
// atomic writes as "write `<name>.tmp-<random>`, then move() it onto `<name>`". In a dedicated
// worker the bytes go through createSyncAccessHandle() (several times faster), elsewhere
// through createWritable(). Quota errors become StorageError('quota').
import { blobPathSegments, checkListPrefix, tempName } from './paths.js';
import { StorageError, type BlobStore } from '../types.js';
import { toStorageError } from '../quota.js';

// The parts of the File System Access API used here, typed structurally: lib.dom lacks
// move() and createSyncAccessHandle() (a worker-only API).
interface SyncHandle {
  truncate(size: number): void;
  write(buffer: Uint8Array, options: { at: number }): number;
  flush(): void;
  close(): void;
}
interface Writable {
  write(data: Uint8Array): Promise<void>;
  close(): Promise<void>;
  abort(): Promise<void>;
}
interface FileHandle {
  readonly kind: 'file';
  getFile(): Promise<{ readonly size: number; arrayBuffer(): Promise<ArrayBuffer> }>;
  createWritable?(): Promise<Writable>;
  createSyncAccessHandle?(): Promise<SyncHandle>;
  move?(parent: DirHandle, name: string): Promise<void>;
}
interface DirHandle {
  readonly kind: 'directory';
  getDirectoryHandle(name: string, options?: { create?: boolean }): Promise<DirHandle>;
  getFileHandle(name: string, options?: { create?: boolean }): Promise<FileHandle>;
  removeEntry(name: string, options?: { recursive?: boolean }): Promise<void>;
  entries(): AsyncIterable<[string, DirHandle | FileHandle]>;
}

/** How file bytes are written: 'auto' uses a sync access handle where one can be had. */
export type OpfsWriteMode = 'auto' | 'sync' | 'writable';

export interface OpfsBlobOptions {
  readonly mode?: OpfsWriteMode;
}

const isNotFound = (e: unknown) => e instanceof Error && (e.name === 'NotFoundError' || e.name === 'TypeMismatchError');

/** Sync access handles exist only in dedicated workers (not pages, shared or service workers). */
function inDedicatedWorker(): boolean {
  const g = globalThis as { DedicatedWorkerGlobalScope?: abstract new () => unknown };
  return typeof g.DedicatedWorkerGlobalScope === 'function' && globalThis instanceof g.DedicatedWorkerGlobalScope;
}

async function writeSync(file: FileHandle, bytes: Uint8Array): Promise<void> {
  const h = await file.createSyncAccessHandle!();
  try {
    h.truncate(0);
    for (let at = 0; at < bytes.length; ) {
      const n = h.write(bytes.subarray(at), { at });
      if (n <= 0) throw new StorageError('unavailable', `the file system wrote 0 of ${bytes.length - at} bytes`);
      at += n;
    }
    h.flush();
  } finally {
    h.close();
  }
}

async function writeWritable(file: FileHandle, bytes: Uint8Array): Promise<void> {
  const w = await file.createWritable!();
  try {
    await w.write(bytes);
  } catch (e) {
    await w.abort().catch(() => undefined);
    throw e;
  }
  await w.close();
}

/**
 * Deletes a temporary file, retrying briefly: right after a failed write (an aborted writable),
 * Chromium may still hold the file's lock for a moment and refuse the removal. Whatever is left
 * after that is garbage the collector removes at the next start.
 */
async function removeSoon(dir: DirHandle, name: string): Promise<void> {
  for (let attempt = 0; attempt < 6; attempt++) {
    try {
      await dir.removeEntry(name);
      return;
    } catch (e) {
      if (isNotFound(e)) return;
      await new Promise((r) => setTimeout(r, 25 * 2 ** attempt));
    }
  }
}

/**
 * A BlobStore rooted at an OPFS directory.
 *
 * Atomicity: bytes go to a temporary file first; `move()` then renames it onto the final
 * name, replacing an existing file (Chromium, Firefox, Safari ≥ 17). Where `move` is missing,
 * the bytes are written a second time, straight onto the final name through createWritable()
 * (which the spec commits on close(), so a reader never sees half a file), and the temporary
 * file is deleted afterwards; a crash in that window leaves an extra temporary file for the
 * collector, never a torn final file.
 * @example const blobs = createOpfsBlobStore(await navigator.storage.getDirectory());
 */
export function createOpfsBlobStore(root: FileSystemDirectoryHandle, options: OpfsBlobOptions = {}): BlobStore {
  const top = root as unknown as DirHandle;
  const mode = options.mode ?? 'auto';

  async function dirOf(segments: readonly string[], create: boolean): Promise<DirHandle | null> {
    let dir = top;
    for (const s of segments.slice(0, -1)) {
      try {
        dir = await dir.getDirectoryHandle(s, { create });
      } catch (e) {
        if (!create && isNotFound(e)) return null;
        throw e;
      }
    }
    return dir;
  }

  async function fileOf(path: string, allowTemp = false): Promise<{ dir: DirHandle; name: string; file: FileHandle } | null> {
    const segments = blobPathSegments(path, allowTemp);
    const dir = await dirOf(segments, false);
    if (!dir) return null;
    const name = segments[segments.length - 1]!;
    try {
      return { dir, name, file: await dir.getFileHandle(name) };
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
  }

  async function put(file: FileHandle, bytes: Uint8Array): Promise<void> {
    const sync = mode === 'sync' || (mode === 'auto' && inDedicatedWorker() && typeof file.createSyncAccessHandle === 'function');
    if (sync) return writeSync(file, bytes);
    if (typeof file.createWritable !== 'function') throw new StorageError('unavailable', 'this browser cannot write files in OPFS (no createWritable)');
    return writeWritable(file, bytes);
  }

  return {
    async write(path, bytes) {
      const segments = blobPathSegments(path);
      const name = segments[segments.length - 1]!;
      let dir: DirHandle | null = null;
      let tmp: string | null = null;
      try {
        dir = (await dirOf(segments, true))!;
        tmp = tempName(name);
        const file = await dir.getFileHandle(tmp, { create: true });
        await put(file, bytes);
        if (typeof file.move === 'function') {
          await file.move(dir, name);
          tmp = null;
        } else {
          await writeWritable(await dir.getFileHandle(name, { create: true }), bytes);
        }
      } catch (e) {
        throw toStorageError(e, path);
      } finally {
        if (dir && tmp) await removeSoon(dir, tmp);
      }
    },

    async read(path) {
      const f = await fileOf(path);
      if (!f) return null;
      try {
        return new Uint8Array(await (await f.file.getFile()).arrayBuffer());
      } catch (e) {
        if (isNotFound(e)) return null; // deleted between the lookup and the read
        throw toStorageError(e, path);
      }
    },

    async size(path) {
      const f = await fileOf(path);
      return f ? (await f.file.getFile()).size : null;
    },

    async delete(path) {
      const f = await fileOf(path, true);
      if (f) await f.dir.removeEntry(f.name).catch((e: unknown) => (isNotFound(e) ? undefined : Promise.reject(e)));
    },

    async list(prefix) {
      const p = checkListPrefix(prefix);
      // Start at the deepest folder the prefix names completely, then filter by the prefix.
      const whole = p.split('/').slice(0, -1);
      const start = whole.length ? await dirOf([...whole, ''], false) : top;
      if (!start) return [];
      const out: { path: string; bytes: number }[] = [];
      const walk = async (dir: DirHandle, at: string): Promise<void> => {
        for await (const [name, h] of dir.entries()) {
          const path = at + name;
          if (h.kind === 'directory') {
            if (p.startsWith(path + '/') || (path + '/').startsWith(p)) await walk(h, path + '/');
          } else if (path.startsWith(p)) {
            out.push({ path, bytes: (await h.getFile()).size });
          }
        }
      };
      await walk(start, whole.length ? whole.join('/') + '/' : '');
      return out.sort((a, b) => (a.path < b.path ? -1 : 1));
    },
  };
}

/** The store under `folder` of the origin's OPFS root (created if needed). */
export async function openOpfsBlobStore(folder = 'neuralforge', options: OpfsBlobOptions = {}): Promise<BlobStore> {
  const storage = (globalThis as { navigator?: { storage?: { getDirectory?: () => Promise<FileSystemDirectoryHandle> } } }).navigator?.storage;
  if (!storage?.getDirectory) throw new StorageError('unavailable', 'this browser has no Origin Private File System (navigator.storage.getDirectory)');
  const root = await storage.getDirectory();
  return createOpfsBlobStore(await root.getDirectoryHandle(folder, { create: true }), options);
}
