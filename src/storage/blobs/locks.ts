// Writers and the garbage collector take turns: every multi-file write (checkpoint, dataset
// import, .nfproj import) holds a shared lock from its first file to its record, and GC runs
// only when it can take the lock exclusively, so it never deletes files whose record is about
// to be written. Web Locks span every tab and worker of the origin; where they are missing
// (Node, tests) an in-process lock stands in.

/** The Web Locks name all NeuralForge blob writers and the collector share. */
export const BLOB_LOCK = 'neuralforge-blobs';

interface LockManagerLike {
  request<T>(name: string, options: { mode: 'shared' | 'exclusive'; ifAvailable?: boolean }, cb: (lock: unknown) => Promise<T>): Promise<T>;
}

function webLocks(): LockManagerLike | null {
  const nav = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator;
  return nav?.locks && typeof nav.locks.request === 'function' ? nav.locks : null;
}

// In-process fallback: a count of writers and whether the collector runs.
let writers = 0;
let collecting = false;
const waiting: (() => void)[] = [];

/** Runs `fn` while holding the shared writer lock (waits while a collection is running). */
export async function whileWriting<T>(fn: () => Promise<T>): Promise<T> {
  const locks = webLocks();
  if (locks) return locks.request(BLOB_LOCK, { mode: 'shared' }, () => fn());
  while (collecting) await new Promise<void>((r) => waiting.push(r));
  writers++;
  try {
    return await fn();
  } finally {
    writers--;
  }
}

/**
 * Runs `fn` with the lock held exclusively if no writer holds it now; otherwise does not run
 * it and returns `{ ran: false }` (a collection can always wait for the next start).
 */
export async function ifNoWriters<T>(fn: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }> {
  const locks = webLocks();
  if (locks) {
    return locks.request(BLOB_LOCK, { mode: 'exclusive', ifAvailable: true }, async (lock) =>
      lock === null ? { ran: false as const } : { ran: true as const, value: await fn() },
    );
  }
  if (writers > 0 || collecting) return { ran: false };
  collecting = true;
  try {
    return { ran: true, value: await fn() };
  } finally {
    collecting = false;
    waiting.splice(0).forEach((r) => r());
  }
}
