// Checkpoints on the device: files in the BlobStore under checkpoints/<runId>/<checkpointId>/,
// each hashed, then the manifest in IndexedDB LAST (strict durability) — a checkpoint without a
// manifest does not exist. Also the engine's CheckpointSink that keeps the last K periodic
// checkpoints and the best one by a monitored metric.
import type { Checkpoint, CheckpointSink } from '../engine/train/checkpoint-format.js';
import { monitoredValue } from '../engine/train/early-stopping.js';
import { checkBlobPath } from './blobs/paths.js';
import { sha256Hex } from './blobs/hash.js';
import { whileWriting } from './blobs/locks.js';
import { decodeCheckpoint, encodeCheckpoint } from './checkpoint-codec.js';
import { newCheckpointId } from './ids.js';
import { isQuotaError, quotaMessage, toStorageError } from './quota.js';
import { StorageError, type BlobStore, type CheckpointId, type CheckpointRecord, type CheckpointStore, type Millis, type ProjectId, type RunId, type StorageDb } from './types.js';

/** Where a checkpoint's files live; the run and checkpoint ids must be safe path segments. */
export const checkpointDir = (runId: RunId, id: CheckpointId): string => checkBlobPath(`checkpoints/${runId}/${id}`);

export interface CheckpointStoreOptions {
  readonly now?: () => Millis;
  readonly newId?: () => CheckpointId;
}

/**
 * @example
 * const store = createCheckpointStore(db, blobs);
 * const rec = await store.save({ runId, projectId, kind: 'periodic' }, checkpoint);
 * const same = await store.load(rec.id);
 */
export function createCheckpointStore(db: StorageDb, blobs: BlobStore, options: CheckpointStoreOptions = {}): CheckpointStore {
  const now = options.now ?? Date.now;
  const newId = options.newId ?? newCheckpointId;

  return {
    save(meta, checkpoint) {
      return whileWriting(async () => {
        const id = newId();
        const dir = checkpointDir(meta.runId, id);
        const files = encodeCheckpoint(checkpoint);
        const written: string[] = [];
        try {
          const entries: CheckpointRecord['files'][number][] = [];
          for (const f of files) {
            const path = `${dir}/${f.name}`;
            await blobs.write(path, f.bytes);
            written.push(path);
            entries.push({ path, bytes: f.bytes.length, sha256: await sha256Hex(f.bytes) });
          }
          const record: CheckpointRecord = {
            id,
            runId: meta.runId,
            projectId: meta.projectId,
            kind: meta.kind,
            epoch: checkpoint.position.epoch,
            globalStep: checkpoint.position.globalStep,
            metric: meta.metric ?? null,
            createdAt: now(),
            files: entries,
            bytes: entries.reduce((n, f) => n + f.bytes, 0),
          };
          await db.putCheckpoint(record); // the commit point
          return record;
        } catch (e) {
          // Best effort: what is left without a manifest is garbage the collector removes.
          await Promise.all(written.map((p) => blobs.delete(p).catch(() => undefined)));
          const what = `the checkpoint of run ${meta.runId} (epoch ${checkpoint.position.epoch})`;
          throw isQuotaError(e) ? new StorageError('quota', quotaMessage(what), e) : toStorageError(e, what);
        }
      });
    },

    async load(id) {
      const rec = await db.getCheckpoint(id);
      if (!rec) throw new StorageError('not-found', `checkpoint ${id} does not exist (it has no manifest)`);
      const files = new Map<string, Uint8Array>();
      for (const f of rec.files) {
        const bytes = await blobs.read(f.path);
        if (!bytes) throw new StorageError('not-found', `checkpoint ${id}: its file ${f.path} is missing`);
        if (bytes.length !== f.bytes) throw new StorageError('invalid-record', `checkpoint ${id}: ${f.path} is ${bytes.length} bytes; its manifest says ${f.bytes}`);
        if ((await sha256Hex(bytes)) !== f.sha256) throw new StorageError('invalid-record', `checkpoint ${id}: ${f.path} is damaged (its SHA-256 differs from the manifest's)`);
        files.set(f.path.slice(f.path.lastIndexOf('/') + 1), bytes);
      }
      return decodeCheckpoint(files, id);
    },

    list: (runId) => db.listCheckpoints(runId),

    async delete(id) {
      const rec = await db.getCheckpoint(id);
      if (!rec) return;
      // Manifest first: at no moment does a manifest name a deleted file.
      await db.deleteCheckpoint(id);
      await Promise.all(rec.files.map((f) => blobs.delete(f.path).catch(() => undefined)));
    },
  };
}

export interface SinkPolicy {
  /** Periodic checkpoints kept per run; older ones are deleted. Default 3. */
  readonly keepLast?: number;
  /**
   * Keep one 'best' checkpoint by this metric of the epoch records ('valLoss', 'valAccuracy',
   * 'loss', …). Default `{ monitor: 'valLoss', mode: 'min' }`, which keeps none when there is no
   * validation data; null keeps none.
   */
  readonly best?: { readonly monitor: string; readonly mode: 'min' | 'max' } | null;
}

/** The sink plus what it wrote, for the caller to report. */
export interface StoreSink extends CheckpointSink {
  /** Records written by this sink, oldest first (deleted ones included). */
  readonly written: readonly CheckpointRecord[];
}

const byStep = (a: CheckpointRecord, b: CheckpointRecord) => a.globalStep - b.globalStep || a.createdAt - b.createdAt;

/**
 * The engine's CheckpointSink over a CheckpointStore: every save is a 'periodic' checkpoint
 * (reason 'interval') or a 'final' one (reason 'final'); the last `keepLast` periodic ones are
 * kept. At an epoch boundary whose record improves the monitored metric (strictly, NaN never),
 * the checkpoint is also saved as 'best', and the previous best is deleted only after the new
 * one's manifest is written. A resumed run picks up its earlier best from the stored manifests.
 * @example await trainModel({ …, checkpoints: { sink: checkpointSink(store, { runId, projectId }) } })
 */
export function checkpointSink(store: CheckpointStore, meta: { readonly runId: RunId; readonly projectId: ProjectId }, policy: SinkPolicy = {}): StoreSink {
  const keepLast = Math.max(1, policy.keepLast ?? 3);
  const best = policy.best === undefined ? { monitor: 'valLoss', mode: 'min' as const } : policy.best;
  const written: CheckpointRecord[] = [];
  let bestValue: number | null | undefined; // undefined: not looked up yet

  const better = (v: number, than: number | null) => than === null || (best?.mode === 'max' ? v > than : v < than);

  async function saveBest(c: Checkpoint): Promise<void> {
    if (!best) return;
    const last = c.history.at(-1);
    // Only at an epoch boundary do the weights belong to the last epoch record.
    if (!last || last.epoch !== c.position.epoch || c.position.step !== 0 || c.partialEpoch !== null) return;
    const value = monitoredValue(last, best.monitor);
    if (value === null || Number.isNaN(value)) return;
    if (bestValue === undefined) {
      const olds = (await store.list(meta.runId)).filter((r) => r.kind === 'best' && r.metric?.name === best.monitor);
      bestValue = olds.reduce<number | null>((b, r) => (better(r.metric!.value, b) ? r.metric!.value : b), null);
    }
    if (!better(value, bestValue)) return;
    const rec = await store.save({ ...meta, kind: 'best', metric: { name: best.monitor, value } }, c);
    written.push(rec);
    bestValue = value;
    for (const old of await store.list(meta.runId)) if (old.kind === 'best' && old.id !== rec.id) await store.delete(old.id);
  }

  return {
    written,
    async save(c) {
      const kind = c.reason === 'final' ? 'final' : 'periodic';
      const rec = await store.save({ ...meta, kind, metric: null }, c);
      written.push(rec);
      const all = await store.list(meta.runId);
      // Older periodic checkpoints beyond keepLast, and an earlier final one (a resumed run's).
      const periodic = all.filter((r) => r.kind === 'periodic').sort(byStep);
      const stale = [...periodic.slice(0, Math.max(0, periodic.length - keepLast)), ...(kind === 'final' ? all.filter((r) => r.kind === 'final' && r.id !== rec.id) : [])];
      for (const r of stale) await store.delete(r.id);
      await saveBest(c);
    },
  };
}
