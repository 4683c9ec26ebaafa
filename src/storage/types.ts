// The records NeuralForge keeps on the device, and the contracts of the stores that keep them.
// IndexedDB (idb) holds records; OPFS holds large bytes (dataset chunks, checkpoint files).
// Every record read back is validated (src/storage/records.ts); one written by a newer schema
// opens read-only and is never rewritten.
import type { Brand, DatasetId, ProjectId, RunId } from '../engine/ids.js';
import type { DatasetRef, Graph, Project, TrainingConfig } from '../engine/project/types.js';
import type { Checkpoint } from '../engine/train/checkpoint-format.js';

export type { DatasetId, ProjectId, RunId };
export type VersionId = Brand<string, 'VersionId'>;
export type CheckpointId = Brand<string, 'CheckpointId'>;
export type ExportId = Brand<string, 'ExportId'>;
/** Lower-case hex SHA-256 of a dataset's canonical bytes: the dataset's version. */
export type ContentHash = Brand<string, 'ContentHash'>;

/** Milliseconds since the epoch (Date.now()). */
export type Millis = number;

/**
 * Set by storage, not by callers: `schema` is the record schema a stored record was written with
 * (stamped on every write), `readOnly` marks one read back from a newer schema than this app
 * knows. Writing such a record, or over one, throws StorageError('read-only').
 */
export interface StoredRecordMeta {
  readonly schema?: number;
  readonly readOnly?: true;
}

export interface ProjectRecord extends StoredRecordMeta {
  readonly id: ProjectId;
  readonly name: string;
  readonly description: string;
  /** 'classification', 'regression', 'segmentation', 'language-modeling', or null when not chosen. */
  readonly task: string | null;
  readonly tags: readonly string[];
  readonly createdAt: Millis;
  readonly updatedAt: Millis;
  /** The document being edited, autosaved on every change (strict durability). */
  readonly draft: Project;
  /** The latest architecture version; null before the first save of a valid graph. */
  readonly headVersion: VersionId | null;
  /** What the page restores on reload. */
  readonly ui: { readonly selectedRunId: RunId | null; readonly selectedNodeIds: readonly string[] };
}

/** An immutable snapshot of a graph; created only when the graph differs from its parent's. */
export interface VersionRecord extends StoredRecordMeta {
  readonly id: VersionId;
  readonly projectId: ProjectId;
  readonly parent: VersionId | null;
  readonly message: string;
  readonly createdAt: Millis;
  /** SHA-256 of the canonical JSON of `graph` (positions and labels excluded: moving a node is not a new architecture). */
  readonly graphHash: string;
  readonly graph: Graph;
  readonly totals: { readonly params: number; readonly trainableParams: number; readonly flops: number };
}

export interface DatasetRecord extends StoredRecordMeta {
  readonly id: DatasetId;
  readonly name: string;
  /** Content hash of all chunks in order: the dataset version. */
  readonly version: ContentHash;
  /** Where it came from ('file', 'folder', 'remote', 'builtin'), and how to read it back. */
  readonly source: DatasetRef | { readonly source: 'folder'; readonly name: string };
  /** The parsed bytes' format, so a reader knows how to decode the chunks. */
  readonly format: 'csv' | 'image-zip' | 'image-folder' | 'text' | 'jsonl' | 'npy' | 'mnist-bin' | 'other';
  readonly columns: readonly { readonly name: string; readonly type: 'number' | 'category' | 'text' | 'image' }[];
  readonly classes: readonly string[] | null;
  readonly splits: { readonly train: number; readonly validation: number; readonly test: number };
  /** OPFS chunk hashes in order; the dataset's bytes are their concatenation. */
  readonly chunks: readonly ContentHash[];
  readonly bytes: number;
  readonly createdAt: Millis;
}

export type RunStatus = 'running' | 'paused' | 'completed' | 'stopped' | 'early-stopped' | 'failed' | 'interrupted';

export interface RunRecord extends StoredRecordMeta {
  readonly id: RunId;
  readonly projectId: ProjectId;
  readonly versionId: VersionId;
  readonly datasetVersion: ContentHash | null;
  readonly datasetName: string;
  /** The full training section the run used (defaults resolved where known). */
  readonly config: TrainingConfig;
  readonly seed: number;
  readonly backend: string | null;
  readonly adapter: string | null;
  readonly status: RunStatus;
  readonly startedAt: Millis;
  readonly endedAt: Millis | null;
  /** Epochs completed so far. */
  readonly epochs: number;
  readonly finalMetrics: Readonly<Record<string, number>>;
  readonly tags: readonly string[];
  /** Checkpoint this run resumed from, if any. */
  readonly resumedFrom: CheckpointId | null;
  readonly error: string | null;
  /** Where the run trained (record schema 3). Absent or null: not recorded (older runs, imported weights). */
  readonly environment?: RunEnvironment | null;
  /** Time spent training, pauses left out, in ms (record schema 3); absent or null when not recorded. */
  readonly activeMs?: number | null;
  /** A person's name for the run, ≤ 200 characters (record schema 4); null: unnamed. */
  readonly name: string | null;
  /** A person's notes on the run, ≤ 10,000 characters (record schema 4); '' when none. */
  readonly notes: string;
}

/** The software a run trained with, recorded automatically so a result can be traced and repeated. */
export interface RunEnvironment {
  /** NeuralForge's version (package.json). */
  readonly app: string;
  /** The browser's user agent; null outside a browser (Node, the CLI). */
  readonly userAgent: string | null;
  /** TF.js core's version: kernels, and so curves, may change between versions. */
  readonly tfjs: string | null;
}

/** One point of a metric series; key [runId, scope, index]. Append-only, relaxed durability. */
export interface MetricPoint extends StoredRecordMeta {
  readonly runId: RunId;
  readonly scope: 'step' | 'epoch';
  /** Global step (scope 'step') or 1-based epoch (scope 'epoch'). */
  readonly index: number;
  readonly values: Readonly<Record<string, number>>;
  readonly time: Millis;
}

/**
 * The manifest of a checkpoint whose files are all in OPFS. Written last, with strict
 * durability: files without a manifest are garbage, a manifest names only complete files.
 */
export interface CheckpointRecord extends StoredRecordMeta {
  readonly id: CheckpointId;
  readonly runId: RunId;
  readonly projectId: ProjectId;
  readonly kind: 'best' | 'periodic' | 'final';
  readonly epoch: number;
  readonly globalStep: number;
  /** The monitored metric when kind is 'best'. */
  readonly metric: { readonly name: string; readonly value: number } | null;
  readonly createdAt: Millis;
  readonly files: readonly { readonly path: string; readonly bytes: number; readonly sha256: string }[];
  readonly bytes: number;
}

export interface ExportRecord extends StoredRecordMeta {
  readonly id: ExportId;
  readonly projectId: ProjectId;
  readonly runId: RunId | null;
  readonly versionId: VersionId | null;
  readonly format: string;
  readonly createdAt: Millis;
  readonly bytes: number;
  /**
   * `{ validation, weights }` as export-history.ts writes it: the ValidationReport
   * (src/engine/export/types.ts), when there was one, and which weights were exported.
   * Older records hold a bare ValidationReport; export-history.ts reads both.
   */
  readonly report: unknown;
  readonly fileName: string;
}

/** Bytes by path in OPFS (or memory in tests). Paths are '/'-separated, relative, no '..'. */
export interface BlobStore {
  /** Writes atomically: a crash leaves either the old file or the new one, never a torn one. */
  write(path: string, bytes: Uint8Array): Promise<void>;
  /** Null when absent. */
  read(path: string): Promise<Uint8Array | null>;
  /** The file's size in bytes without reading it; null when absent. */
  size(path: string): Promise<number | null>;
  delete(path: string): Promise<void>;
  /** Every file under `prefix` ('' for all), with its size. */
  list(prefix: string): Promise<readonly { readonly path: string; readonly bytes: number }[]>;
}

/** Writes and reads checkpoints: OPFS files first, the manifest last. Implements the engine's CheckpointSink through `sinkFor`. */
export interface CheckpointStore {
  save(meta: { runId: RunId; projectId: ProjectId; kind: CheckpointRecord['kind']; metric?: CheckpointRecord['metric'] }, checkpoint: Checkpoint): Promise<CheckpointRecord>;
  load(id: CheckpointId): Promise<Checkpoint>;
  list(runId: RunId): Promise<readonly CheckpointRecord[]>;
  delete(id: CheckpointId): Promise<void>;
}

/** What went wrong in storage, for the person: what failed and what is still safe. */
export type StorageErrorCode = 'quota' | 'read-only' | 'invalid-record' | 'newer-schema' | 'not-found' | 'conflict' | 'unavailable';

/** Where a damaged or refused record is: its store, its key, and the first field that failed. */
export interface RecordLocation {
  readonly store: string;
  readonly key: string;
  readonly field: string;
}

export class StorageError extends Error {
  constructor(
    readonly code: StorageErrorCode,
    message: string,
    override readonly cause?: unknown,
    readonly where?: RecordLocation,
  ) {
    super(message);
    this.name = 'StorageError';
  }
}

/** Usage against the browser's estimate, and what can be freed. */
export interface StorageUsage {
  readonly usage: number | null;
  readonly quota: number | null;
  readonly persisted: boolean | null;
  readonly items: readonly { readonly kind: 'run' | 'checkpoint' | 'dataset' | 'export'; readonly id: string; readonly label: string; readonly bytes: number }[];
}

export type Durability = 'strict' | 'relaxed';

/**
 * The IndexedDB side, one typed method per operation (src/storage/db/ implements it).
 * Reads validate; a record from a newer schema comes back with `readOnly: true` and writes
 * to it throw StorageError('read-only'). Quota errors of every browser become StorageError('quota').
 */
export interface StorageDb {
  readonly schemaVersion: number;
  /** True when the database was written by a newer app: everything opens read-only. */
  readonly readOnly: boolean;
  close(): void;

  getProject(id: ProjectId): Promise<ProjectRecord | null>;
  listProjects(): Promise<readonly ProjectRecord[]>;
  /** Strict durability: resolves once the record is on disk. */
  putProject(p: ProjectRecord): Promise<void>;
  /** Deletes the project and everything that belongs to it (versions, runs, metrics, checkpoint manifests, exports). */
  deleteProject(id: ProjectId): Promise<void>;

  getVersion(id: VersionId): Promise<VersionRecord | null>;
  listVersions(projectId: ProjectId): Promise<readonly VersionRecord[]>;
  putVersion(v: VersionRecord): Promise<void>;

  getDataset(id: DatasetId): Promise<DatasetRecord | null>;
  listDatasets(): Promise<readonly DatasetRecord[]>;
  putDataset(d: DatasetRecord): Promise<void>;
  deleteDataset(id: DatasetId): Promise<void>;

  getRun(id: RunId): Promise<RunRecord | null>;
  listRuns(projectId: ProjectId): Promise<readonly RunRecord[]>;
  putRun(r: RunRecord): Promise<void>;
  /** Deletes the run, its metric series and its checkpoint manifests (files are the caller's). */
  deleteRun(id: RunId): Promise<void>;

  /** Append-only, relaxed durability: a crash may lose the last points, never earlier ones. */
  appendMetrics(points: readonly MetricPoint[]): Promise<void>;
  readMetrics(runId: RunId, scope: MetricPoint['scope']): Promise<readonly MetricPoint[]>;
  /**
   * At most `limit` points of one series with index ≥ `fromIndex`, in index order: a long series
   * read page by page, so a reader can yield to the page between pages.
   */
  readMetricsPage(runId: RunId, scope: MetricPoint['scope'], fromIndex: number, limit: number): Promise<readonly MetricPoint[]>;

  getCheckpoint(id: CheckpointId): Promise<CheckpointRecord | null>;
  listCheckpoints(runId: RunId): Promise<readonly CheckpointRecord[]>;
  /** The checkpoints of each of `runIds` (oldest step first), read in one transaction. */
  listCheckpointsOfRuns(runIds: readonly RunId[]): Promise<ReadonlyMap<RunId, readonly CheckpointRecord[]>>;
  /** Strict durability: the manifest is what makes a checkpoint exist. */
  putCheckpoint(c: CheckpointRecord): Promise<void>;
  deleteCheckpoint(id: CheckpointId): Promise<void>;
  /** Every manifest, for garbage-collecting OPFS files no manifest names. */
  allCheckpoints(): Promise<readonly CheckpointRecord[]>;

  listExports(projectId: ProjectId): Promise<readonly ExportRecord[]>;
  putExport(e: ExportRecord): Promise<void>;
  deleteExport(id: ExportId): Promise<void>;

  /**
   * Writes several records in one transaction (all or nothing): .nfproj import uses it.
   * Strict durability.
   */
  importAll(records: ImportRecords): Promise<void>;
}

export interface ImportRecords {
  readonly projects: readonly ProjectRecord[];
  readonly versions: readonly VersionRecord[];
  readonly datasets: readonly DatasetRecord[];
  readonly runs: readonly RunRecord[];
  readonly metrics: readonly MetricPoint[];
  readonly checkpoints: readonly CheckpointRecord[];
  readonly exports: readonly ExportRecord[];
}
