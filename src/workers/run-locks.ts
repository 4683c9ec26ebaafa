// Which stored runs are really training: the worker holds a Web Lock per run while it trains,
// and the browser releases it when the tab (and so the worker) dies. A run stored as
// 'running' or 'paused' whose lock nobody holds was cut off: it becomes 'interrupted'.
// No TF.js here: the page imports this module too.
import type { ProjectId, RunId, RunRecord, StorageDb } from '../storage/types.js';

/** The parts of navigator.locks used here. */
interface LockManagerLike {
  request<T>(name: string, options: { ifAvailable?: boolean }, callback: (lock: unknown) => Promise<T> | T): Promise<T>;
}

function webLocks(): LockManagerLike | null {
  const locks = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks;
  return locks && typeof locks.request === 'function' ? locks : null;
}

/** Runs held in this process where there are no Web Locks (Node, tests). */
const heldHere = new Set<string>();

const lockName = (id: RunId) => `nf-run-${id}`;

/**
 * Holds the run's lock until the returned function is called (or the tab dies). Resolves once
 * the lock is granted, so a record written after it is never mistaken for an abandoned one.
 */
export async function holdRunLock(id: RunId): Promise<() => void> {
  const locks = webLocks();
  if (!locks) {
    heldHere.add(id);
    return () => void heldHere.delete(id);
  }
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  await new Promise<void>((granted) => {
    void locks.request(lockName(id), {}, () => {
      granted();
      return released;
    });
  });
  return release;
}

/** True while some tab or worker of this origin trains the run. */
export async function isRunLive(id: RunId): Promise<boolean> {
  const locks = webLocks();
  if (!locks) return heldHere.has(id);
  // Taking the lock succeeds only when nobody holds it; it is let go at once.
  return locks.request(lockName(id), { ifAvailable: true }, (lock) => lock === null);
}

/** When the run was last seen alive: its newest metric point, else its start. */
async function lastSeen(db: StorageDb, run: RunRecord): Promise<number> {
  const [steps, epochs] = await Promise.all([db.readMetrics(run.id, 'step'), db.readMetrics(run.id, 'epoch')]);
  return Math.max(run.startedAt, steps.at(-1)?.time ?? 0, epochs.at(-1)?.time ?? 0);
}

/**
 * Marks the project's runs that were left 'running' or 'paused' by a tab that is gone as
 * 'interrupted' (ended when their last metric point was written). Records from a newer app
 * (read-only) are left alone. Returns the runs it changed.
 */
export async function markInterruptedRuns(db: StorageDb, projectId: ProjectId): Promise<RunRecord[]> {
  return markInterruptedAmong(db, await db.listRuns(projectId));
}

/** {@link markInterruptedRuns} over runs the caller has already read (the Runs view lists them once). */
export async function markInterruptedAmong(db: StorageDb, runs: readonly RunRecord[]): Promise<RunRecord[]> {
  const changed: RunRecord[] = [];
  for (const run of runs) {
    if ((run.status !== 'running' && run.status !== 'paused') || run.readOnly || (await isRunLive(run.id))) continue;
    const record: RunRecord = { ...run, status: 'interrupted', endedAt: await lastSeen(db, run), error: run.error ?? 'the tab was closed or crashed while the run was training' };
    await db.putRun(record);
    changed.push(record);
  }
  return changed;
}
