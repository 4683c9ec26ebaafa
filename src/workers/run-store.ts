// The worker's persistence of one training run: the RunRecord (created 'running' under a run
// lock, updated with the backend, each epoch and the end), the step and epoch metric series
// (appended in order, relaxed durability), and the CheckpointSink handed to trainModel
// (files in OPFS, manifest last). Storage failures never stop training: they are reported once.
import type { BackendReport } from '../engine/runtime/backend-types.js';
import type { Graph, TrainingConfig } from '../engine/project/types.js';
import type { Checkpoint, CheckpointOptions, EpochRecord } from '../engine/train/index.js';
import { checkpointSink, createCheckpointStore } from '../storage/checkpoints.js';
import { newVersionId } from '../storage/ids.js';
import { graphHash } from '../storage/versioning.js';
import type {
  BlobStore, CheckpointId, CheckpointRecord, ContentHash, MetricPoint, Millis, ProjectId, RunEnvironment, RunId, RunRecord, RunStatus, StorageDb, VersionId, VersionRecord,
} from '../storage/types.js';
import { holdRunLock } from './run-locks.js';
// Named imports of JSON: the bundler keeps only the version strings.
import { version as APP_VERSION } from '../../package.json';
import { version as TFJS_VERSION } from '@tensorflow/tfjs-core/package.json';
import type { CheckpointPolicy, StepPoint } from './trainer-api.js';

/** Where runs are kept: IndexedDB records and OPFS files (memory and fake-indexeddb in tests). */
export interface RunStorage {
  readonly db: StorageDb;
  readonly blobs: BlobStore;
}

export interface RunStart {
  readonly runId: RunId;
  readonly projectId: ProjectId;
  /** The graph being trained: its architecture version is found or saved. */
  readonly graph: Graph;
  readonly totals: VersionRecord['totals'];
  /** The training section the run uses, overrides applied. */
  readonly config: TrainingConfig;
  readonly seed: number;
  readonly datasetName: string;
  /** The stored dataset's content hash; null when the data is not stored on the device. */
  readonly datasetVersion: ContentHash | null;
  readonly resumedFrom: CheckpointId | null;
  readonly tags?: readonly string[];
  /** Where the run trains; default: this app, this browser (runEnvironment()). */
  readonly environment?: RunEnvironment;
}

/** This app's version, the browser's user agent (null in Node) and TF.js's version, recorded with every run. */
export function runEnvironment(): RunEnvironment {
  const ua = (globalThis as { navigator?: { userAgent?: unknown } }).navigator?.userAgent;
  return { app: APP_VERSION, userAgent: typeof ua === 'string' && ua !== '' ? ua.slice(0, 1024) : null, tfjs: TFJS_VERSION };
}

/** Everything a resumed run needs from storage. */
export interface ResumeSource {
  readonly checkpoint: Checkpoint;
  readonly manifest: CheckpointRecord;
  /** The run that wrote the checkpoint. */
  readonly run: RunRecord;
  /** That run's architecture version: the graph the checkpoint's weights belong to. */
  readonly version: VersionRecord;
}

/** A step point's stored values: loss, and accuracy when the run measures it. */
/** The step's stored values: a reopened run draws the same loss, accuracy, learning-rate, gradient-norm and throughput charts as a live one. */
export function stepValues(p: StepPoint): Record<string, number> {
  const v: Record<string, number> = { loss: p.loss };
  if (p.accuracy !== null) v['accuracy'] = p.accuracy;
  if (p.learningRate !== undefined) v['learningRate'] = p.learningRate;
  if (p.gradNorm !== undefined) v['gradNorm'] = p.gradNorm;
  if (p.samplesPerSec !== undefined) v['samplesPerSec'] = p.samplesPerSec;
  return v;
}

/** Per-epoch values under the names early stopping and 'best' checkpoints monitor (loss, accuracy, valLoss, valAccuracy, …). */
export function epochValues(r: EpochRecord): Record<string, number> {
  const v: Record<string, number> = { loss: r.loss, ...r.metrics };
  if (r.valLoss !== null) v['valLoss'] = r.valLoss;
  for (const [k, x] of Object.entries(r.valMetrics ?? {})) v[`val${k[0]!.toUpperCase()}${k.slice(1)}`] = x;
  return v;
}

/**
 * The run's architecture version: an existing version of the project with the same graph hash,
 * else a new one whose parent is the project's head. The project record itself is never written
 * here: the page autosaves it (with a conflict check on updatedAt), and a write from the worker
 * would make the page's next save fail as "changed in another tab" — so the head is not moved
 * (saveVersion would move it).
 */
export async function versionFor(db: StorageDb, projectId: ProjectId, graph: Graph, totals: VersionRecord['totals']): Promise<VersionId> {
  const hash = await graphHash(graph);
  const same = (await db.listVersions(projectId)).find((v) => v.graphHash === hash);
  if (same) return same.id;
  const head = (await db.getProject(projectId))?.headVersion ?? null;
  const version: VersionRecord = { id: newVersionId(), projectId, parent: head, message: 'trained', createdAt: Date.now(), graphHash: hash, graph, totals };
  await db.putVersion(version);
  return version.id;
}

/**
 * Reads a checkpoint to resume from, with its run and architecture version.
 * @throws StorageError('not-found') when the checkpoint, its run or its version is gone, or a file is missing or damaged.
 */
export async function loadResumeSource(storage: RunStorage, id: CheckpointId): Promise<ResumeSource> {
  const { db, blobs } = storage;
  const manifest = await db.getCheckpoint(id);
  if (!manifest) throw new Error(`checkpoint ${id} does not exist (no manifest: it was deleted or never finished)`);
  const run = await db.getRun(manifest.runId);
  if (!run) throw new Error(`checkpoint ${id} belongs to run ${manifest.runId}, which no longer exists`);
  const version = await db.getVersion(run.versionId);
  if (!version) throw new Error(`run ${run.id} was trained on architecture version ${run.versionId}, which no longer exists`);
  const checkpoint = await createCheckpointStore(db, blobs).load(id);
  return { checkpoint, manifest, run, version };
}

/** A StorageDb whose `at`-th checkpoint manifest is never written (the save hangs): the crash test's window. */
function hangingManifests(db: StorageDb, at: number, onHang: () => void): StorageDb {
  let manifests = 0;
  const putCheckpoint = (c: CheckpointRecord): Promise<void> => {
    if (++manifests !== at) return db.putCheckpoint(c);
    onHang();
    return new Promise<void>(() => {});
  };
  return new Proxy(db, {
    get(target, key) {
      if (key === 'putCheckpoint') return putCheckpoint;
      const v: unknown = Reflect.get(target, key, target);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

export interface CheckpointHooks {
  /** Each checkpoint whose manifest was written. */
  readonly onSaved: (record: CheckpointRecord) => void;
  /** Test hook: the `hangAt`-th manifest is never written (see StartRequest.testHangCheckpoint). */
  readonly hangAt?: number;
  readonly onHang?: () => void;
}

type Patch = Partial<Pick<RunRecord, 'backend' | 'adapter' | 'status' | 'epochs' | 'finalMetrics' | 'endedAt' | 'error'>>;

/** One run's records. Writes are queued in order; a failed one is reported through `onError` and later ones still run. */
export class RunStore {
  private chain: Promise<void> = Promise.resolve();
  /** Training time before the latest resume; `runningSince` is null while paused or ended. */
  private activeBefore = 0;
  private runningSince: Millis | null;

  private constructor(
    private readonly storage: RunStorage,
    private current: RunRecord,
    private readonly release: () => void,
    private readonly onError: (message: string) => void,
    private readonly now: () => Millis,
  ) {
    this.runningSince = current.startedAt;
  }

  /**
   * Takes the run's lock, finds or saves its architecture version, and stores the RunRecord
   * with status 'running'.
   * @throws when the version or the record cannot be written (the caller trains unsaved).
   */
  static async begin(storage: RunStorage, start: RunStart, onError: (message: string) => void, now: () => Millis = Date.now): Promise<RunStore> {
    const versionId = await versionFor(storage.db, start.projectId, start.graph, start.totals);
    const release = await holdRunLock(start.runId); // before the record: a live run is never marked interrupted
    const record: RunRecord = {
      id: start.runId,
      projectId: start.projectId,
      versionId,
      datasetVersion: start.datasetVersion,
      datasetName: start.datasetName,
      config: start.config,
      seed: start.seed,
      backend: null,
      adapter: null,
      status: 'running',
      startedAt: now(),
      endedAt: null,
      epochs: 0,
      finalMetrics: {},
      tags: [...(start.tags ?? [])],
      resumedFrom: start.resumedFrom,
      error: null,
      environment: start.environment ?? runEnvironment(),
      activeMs: 0,
      name: null,
      notes: '',
    };
    try {
      await storage.db.putRun(record);
    } catch (e) {
      release();
      throw e;
    }
    return new RunStore(storage, record, release, onError, now);
  }

  get record(): RunRecord {
    return this.current;
  }

  private enqueue(what: string, write: () => Promise<void>): Promise<void> {
    this.chain = this.chain.then(write).catch((e: unknown) => this.onError(`could not save ${what}: ${e instanceof Error ? e.message : String(e)}`));
    return this.chain;
  }

  /** Changes the record (in memory at once, on disk in turn); resolves once written or reported. */
  update(patch: Patch): Promise<void> {
    this.current = { ...this.current, ...patch, activeMs: this.activeTime(patch.status, patch.endedAt ?? undefined) };
    const snapshot = this.current;
    return this.enqueue('the run record', () => this.storage.db.putRun(snapshot));
  }

  /** Active training time up to now; a status other than 'running' stops the clock, 'running' restarts it. */
  private activeTime(status: RunStatus | undefined, at?: Millis): number {
    // The clock stops at the run's own end time, so active time never exceeds endedAt − startedAt.
    const t = at ?? this.now();
    const total = this.activeBefore + (this.runningSince === null ? 0 : Math.max(0, t - this.runningSince));
    if (status === 'running') this.runningSince ??= t;
    else if (status !== undefined) {
      this.activeBefore = total;
      this.runningSince = null;
    }
    return total;
  }

  /** The backend and adapter the run trains on. */
  setBackend(report: BackendReport): Promise<void> {
    const a = report.adapter;
    return this.update({ backend: report.backend, adapter: a ? [a.vendor, a.architecture, a.description].filter(Boolean).join(' ') || null : null });
  }

  appendSteps(points: readonly StepPoint[]): Promise<void> {
    const time = this.now();
    const rows: MetricPoint[] = points.map((p) => ({
      runId: this.current.id,
      scope: 'step',
      index: p.step,
      values: stepValues(p),
      time,
    }));
    return this.enqueue('step metrics', () => this.storage.db.appendMetrics(rows));
  }

  /** The epoch's point, then the record's epoch count and latest metrics. */
  appendEpoch(r: EpochRecord): Promise<void> {
    const values = epochValues(r);
    const row: MetricPoint = { runId: this.current.id, scope: 'epoch', index: r.epoch, values: { ...values, learningRate: r.learningRate, ms: r.durationMs }, time: this.now() };
    void this.enqueue('epoch metrics', () => this.storage.db.appendMetrics([row]));
    return this.update({ epochs: r.epoch, finalMetrics: values });
  }

  /** The checkpoint options for trainModel: the policy's cadence, a sink writing into this run. */
  checkpoints(policy: CheckpointPolicy, hooks: CheckpointHooks): CheckpointOptions {
    const db = hooks.hangAt ? hangingManifests(this.storage.db, hooks.hangAt, hooks.onHang ?? (() => {})) : this.storage.db;
    const store = createCheckpointStore(db, this.storage.blobs);
    const inner = checkpointSink(store, { runId: this.current.id, projectId: this.current.projectId }, {
      ...(policy.keepLast !== undefined ? { keepLast: policy.keepLast } : {}),
      ...(policy.best !== undefined ? { best: policy.best } : {}),
    });
    let reported = 0;
    return {
      everyEpochs: policy.everyEpochs ?? 1,
      everySteps: policy.everySteps ?? 0,
      sink: {
        save: async (c) => {
          try {
            await inner.save(c);
          } catch (e) {
            // Training goes on: the checkpoint does not exist (no manifest), earlier ones still do.
            this.onError(`could not save the checkpoint at epoch ${c.position.epoch}, step ${c.position.globalStep}: ${e instanceof Error ? e.message : String(e)}`);
          } finally {
            for (const rec of inner.written.slice(reported)) hooks.onSaved(rec);
            reported = inner.written.length;
          }
        },
      },
    };
  }

  /** The run's end: status, time, metrics (test metrics added), error; then the lock is let go. */
  async finish(status: Exclude<RunStatus, 'running' | 'paused' | 'interrupted'>, extraMetrics: Readonly<Record<string, number>>, error: string | null): Promise<RunRecord> {
    try {
      await this.update({ status, endedAt: this.now(), finalMetrics: { ...this.current.finalMetrics, ...extraMetrics }, error });
      return this.current;
    } finally {
      this.release();
    }
  }
}
