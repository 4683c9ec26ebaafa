// The one contract between the page and the trainer worker (comlink). The worker implements
// TrainerApi; the page imports this file for its types only, so no TF.js reaches the page.
// Everything here is structured-clonable plain data; errors cross as {message, stack}.
import type { BackendName, BackendPreference, BackendReport } from '../engine/runtime/backend-types.js';
import type { DownloadEvent } from '../engine/data/remote.js';
import type { SkippedEntry } from '../engine/data/types.js';
import type { RunId } from '../engine/ids.js';
import type { CheckpointId, CheckpointRecord, ContentHash, DatasetId, ProjectId, RunRecord } from '../storage/types.js';

/** Identifies one training run (and its stored RunRecord); events and replies of any other run are stale. */
export type { RunId };
export const runId = (s: string): RunId => s as RunId;

export interface WireError {
  readonly message: string;
  readonly stack: string | null;
}

export const toWireError = (e: unknown): WireError =>
  e instanceof Error ? { message: e.message, stack: e.stack ?? null } : { message: String(e), stack: null };

/** One file of a folder upload: its path as the browser gives it ("pets/cats/1.png"). */
export interface FolderFile {
  readonly path: string;
  readonly bytes: ArrayBuffer;
}

/**
 * For the crash-safety browser test only (the page sets it from `?nf-test-hang-dataset-import=N`):
 * keeping the imported dataset on the device writes its Nth new chunk, then never finishes (no record).
 */
export interface ImportTestHooks {
  readonly testHangImportAfterChunks?: number;
}

/**
 * What to train on: built-in MNIST (fetched from the app's own origin), a file the person
 * imported (its bytes travel with the request, transferred, not copied), a folder of images
 * (one class per sub-folder; every file's bytes transferred), a URL the worker downloads
 * itself, or a dataset kept on the device by an earlier run (read back from OPFS, hash-checked).
 * Imports are kept on the device before training (dataset-library.ts). `label` is the label
 * column/field of a table or text file; a stored dataset defaults to the label it was kept with.
 */
export type DatasetRequest =
  | { readonly source: 'builtin'; readonly name: 'mnist' }
  | ({ readonly source: 'file'; readonly name: string; readonly bytes: ArrayBuffer; readonly label?: string } & ImportTestHooks)
  | ({ readonly source: 'folder'; readonly name: string; readonly files: readonly FolderFile[] } & ImportTestHooks)
  | ({ readonly source: 'remote'; readonly url: string; readonly sha256?: string; readonly label?: string } & ImportTestHooks)
  /** `name` is for the page's phase line only; the worker reads everything else from the record. */
  | { readonly source: 'stored'; readonly datasetId: DatasetId; readonly name: string; readonly label?: string };

/** What the page shows of the loaded dataset. */
export interface DatasetInfo {
  readonly name: string;
  /** Number of classes; null when the task has none (regression, language modeling). */
  readonly classes: number | null;
  readonly train: number;
  readonly validation: number;
  readonly test: number;
  readonly skipped: readonly SkippedEntry[];
  /** The data's content version (the DatasetRecord's, or built-in MNIST's fixed one); absent when unknown. */
  readonly version?: ContentHash | null;
  /** The dataset record the run trains from (imports: the one just kept or reused); null when not kept. */
  readonly datasetId?: DatasetId | null;
}

export interface StartRequest {
  readonly runId: RunId;
  /** An untrusted project document: the worker validates it with parseProject. */
  readonly project: unknown;
  readonly dataset: DatasetRequest;
  readonly backend: BackendPreference;
  /** Overrides of the project's training settings for this run (quick runs, tests). */
  readonly overrides?: {
    readonly epochs?: number;
    readonly batchSize?: number;
    /** Train on the first N training samples only. */
    readonly maxTrainSamples?: number;
  };
  /** Compile WebGPU shaders before the first step (default false: see prewarmWebGpu). */
  readonly prewarm?: boolean;
  /**
   * The stored project the run belongs to: its RunRecord, metric series and checkpoints are
   * kept on the device (IndexedDB + OPFS). Absent or null trains without keeping anything.
   */
  readonly projectId?: ProjectId | null;
  /**
   * Continue from this stored checkpoint: the worker trains the checkpoint's own graph (its
   * run's architecture version) and configuration (`overrides.epochs` may extend it), with
   * its weights, optimizer state and position; `project` is not used. The new run's metric
   * indices continue from the checkpoint's global step and epoch.
   */
  readonly resumeFrom?: CheckpointId;
  /** When to save checkpoints (only when `projectId` is set). */
  readonly checkpoints?: CheckpointPolicy;
  /** Extra tags for the stored RunRecord (e.g. `reproduces:<runId>`, see run-tags.ts). */
  readonly tags?: readonly string[];
  /**
   * For the crash-safety browser test only (the page sets it from `?nf-test-hang-checkpoint=N`):
   * the Nth checkpoint save of the run writes its files, then never writes its manifest.
   */
  readonly testHangCheckpoint?: number;
}

/** Defaults: every epoch, none mid-epoch, the last 3 periodic kept, a 'best' one by valLoss (when there is validation data). */
export interface CheckpointPolicy {
  /** After every N completed epochs (0 = never at epoch ends). */
  readonly everyEpochs?: number;
  /** After every N optimizer steps, mid-epoch included (0 = never). */
  readonly everySteps?: number;
  /** Periodic checkpoints kept per run. */
  readonly keepLast?: number;
  /** Keep one 'best' checkpoint by this epoch metric; null keeps none. */
  readonly best?: { readonly monitor: string; readonly mode: 'min' | 'max' } | null;
}

export type RunPhase = 'loading-data' | 'choosing-backend' | 'prewarming' | 'training' | 'evaluating';

export type TrainerEvent =
  | { readonly type: 'phase'; readonly runId: RunId; readonly phase: RunPhase; readonly detail: string }
  | { readonly type: 'backend'; readonly runId: RunId; readonly report: BackendReport; readonly prewarmMs: number | null }
  | { readonly type: 'dataset'; readonly runId: RunId; readonly info: DatasetInfo }
  /** Progress of a remote dataset's download (source 'remote'). */
  | { readonly type: 'download'; readonly runId: RunId; readonly event: DownloadEvent }
  /** Per-step metrics, batched: the worker sends at most a few of these per second. */
  | { readonly type: 'steps'; readonly runId: RunId; readonly points: readonly StepPoint[] }
  | { readonly type: 'epoch'; readonly runId: RunId; readonly epoch: EpochPoint }
  /** The run's record as just stored (created, backend chosen, ended). */
  | { readonly type: 'stored'; readonly runId: RunId; readonly record: RunRecord }
  /** A checkpoint's manifest was written: it exists. */
  | { readonly type: 'checkpoint'; readonly runId: RunId; readonly checkpoint: CheckpointRecord }
  /** The run continues a stored checkpoint: its first new step is `globalStep + 1`, its first new epoch `epoch + 1`. */
  | { readonly type: 'resumed'; readonly runId: RunId; readonly from: ResumePoint }
  | { readonly type: 'warning'; readonly runId: RunId; readonly message: string };

export interface ResumePoint {
  readonly checkpointId: CheckpointId;
  /** The run that wrote the checkpoint. */
  readonly runId: RunId;
  /** Completed epochs at the checkpoint. */
  readonly epoch: number;
  readonly globalStep: number;
}

export interface StepPoint {
  /** Global step, counted from 1 across epochs. */
  readonly step: number;
  readonly epoch: number;
  readonly loss: number;
  readonly accuracy: number | null;
  /** The optimizer step's learning rate (after the schedule). Optional: points stored before it existed lack it. */
  readonly learningRate?: number;
  /** Global gradient norm of the step, before clipping. */
  readonly gradNorm?: number;
  /** Training throughput at this step. */
  readonly samplesPerSec?: number;
}

export interface EpochPoint {
  /** 1-based. */
  readonly epoch: number;
  readonly epochs: number;
  readonly loss: number;
  readonly accuracy: number | null;
  readonly valLoss: number | null;
  readonly valAccuracy: number | null;
  readonly ms: number;
}

export type RunStatus = 'completed' | 'stopped' | 'failed';

export interface RunSummary {
  readonly runId: RunId;
  readonly status: RunStatus;
  readonly backend: BackendName | null;
  readonly epochsCompleted: number;
  readonly finalValAccuracy: number | null;
  readonly testAccuracy: number | null;
  /** From start() to the first step's progress report (data, backend choice, pre-warm included). */
  readonly timeToFirstStepMs: number | null;
  /** Where the time before the first step went; null for phases not reached. */
  readonly timings: {
    readonly loadDataMs: number | null;
    readonly chooseBackendMs: number | null;
    readonly prewarmMs: number | null;
    /** From the loop's start to its first progress report: the first step, shader compilation included. */
    readonly firstStepMs: number | null;
  };
  readonly totalMs: number;
  readonly error: WireError | null;
}

export type InitResult = { readonly ok: true; readonly report: BackendReport } | { readonly ok: false; readonly error: WireError };

export interface TrainerApi {
  /** Picks and starts a backend without a model (no dry run), to show the GPU before training. */
  init(preference: BackendPreference): Promise<InitResult>;
  /** Trains until done, stopped or failed; never rejects (failures come back in the summary). */
  start(request: StartRequest, onEvent: (e: TrainerEvent) => void): Promise<RunSummary>;
  /** Each returns false when `runId` is not the run in progress (a stale click). */
  pause(runId: RunId): Promise<boolean>;
  resume(runId: RunId): Promise<boolean>;
  stop(runId: RunId): Promise<boolean>;
}
