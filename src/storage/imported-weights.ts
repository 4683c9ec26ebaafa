// A model imported from a file (ONNX, TF.js) kept as a project of its own: the project record,
// its architecture version, and the imported weights as a completed run tagged 'imported' with
// one 'final' checkpoint, so they survive a reload and the export studio can pick them like
// trained weights. The checkpoint has no optimizer state (nothing was trained): the engine's
// resume refuses it unless the optimizer has no slots (plain SGD), so the page shows it as
// not resumable (`isResumable`).
import type { Project, TrainingConfig } from '../engine/project/types.js';
import { resolveTrainingConfig, TRAINING_DEFAULTS, type ResolvedTrainingConfig } from '../engine/train/config.js';
import { CHECKPOINT_FORMAT, CHECKPOINT_VERSION, type Checkpoint, type NamedArray } from '../engine/train/checkpoint-format.js';
import { createCheckpointStore } from './checkpoints.js';
import { newRunId, newVersionId } from './ids.js';
import { newProjectRecord } from './session.js';
import { graphHash } from './versioning.js';
import {
  StorageError, type BlobStore, type CheckpointRecord, type Millis, type ProjectId, type ProjectRecord, type RunRecord, type StorageDb, type VersionId, type VersionRecord,
} from './types.js';

/** The tag on a run that holds imported weights. */
export const IMPORTED_TAG = 'imported';

export const isImportedRun = (run: Pick<RunRecord, 'tags'>): boolean => run.tags.includes(IMPORTED_TAG);

/**
 * Whether the trainer can continue from a checkpoint of `run`: an imported one has no optimizer
 * state, which the engine's resume requires for every optimizer with slots.
 */
export const isResumable = (run: Pick<RunRecord, 'tags'>): boolean => !isImportedRun(run);

/** A model read from a file, as the exporter worker gives it back. */
export interface ImportedModel {
  /** Parsed and validated (parseProject). */
  readonly project: Project;
  /** The file it came from, e.g. "cnn.onnx". */
  readonly fileName: string;
  readonly totals: VersionRecord['totals'];
  /**
   * Every weight of the compiled model, named by the engine's `weightKeys`; null when the graph
   * does not compile (unmapped ops left unknown layers), so there is nothing to name them by.
   */
  readonly weights: readonly NamedArray[] | null;
}

export interface SavedImport {
  readonly project: ProjectRecord;
  readonly version: VersionRecord;
  /** Null when the weights were not kept (see `weightsNotKept`). */
  readonly run: RunRecord | null;
  readonly checkpoint: CheckpointRecord | null;
  /** Why the weights were not kept, for the person; null when they were. */
  readonly weightsNotKept: string | null;
}

/**
 * The training configuration a checkpoint of imported weights records. An imported project has
 * usually chosen no loss; a checkpoint needs a resolved config, so a missing or unresolvable
 * section falls back to mean squared error. It is never trained from (not resumable): the value
 * only has to be a valid configuration.
 */
export function configForImported(training: TrainingConfig): ResolvedTrainingConfig {
  const attempts: TrainingConfig[] = [training, { ...training, loss: training.loss ?? 'meanSquaredError' }, { loss: 'meanSquaredError', seed: training.seed ?? TRAINING_DEFAULTS.seed }];
  for (const t of attempts) {
    try {
      return resolveTrainingConfig(t);
    } catch {
      // the next, plainer attempt
    }
  }
  throw new Error('unreachable: the plain configuration always resolves');
}

/** A 'final' checkpoint at step 0 holding `weights`, with empty optimizer state and no history. */
export function importedCheckpoint(training: TrainingConfig, weights: readonly NamedArray[]): Checkpoint {
  const config = configForImported(training);
  return {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    reason: 'final',
    config,
    trainCount: 0,
    position: { epoch: 0, step: 0, microBatch: 0, globalStep: 0, microStep: 0 },
    weights,
    optimizer: { name: config.optimizer.name, iterations: 0, slots: [] },
    partialEpoch: null,
    earlyStopping: null,
    bestWeights: null,
    history: [],
  };
}

/** The completed, zero-epoch run that owns imported weights. */
export function importedRunRecord(o: { projectId: ProjectId; versionId: VersionId; training: TrainingConfig; fileName: string; now: Millis }): RunRecord {
  return {
    id: newRunId(),
    projectId: o.projectId,
    versionId: o.versionId,
    datasetVersion: null,
    datasetName: `imported from ${o.fileName}`.slice(0, 200),
    config: o.training,
    seed: o.training.seed ?? TRAINING_DEFAULTS.seed,
    backend: null,
    adapter: null,
    status: 'completed',
    startedAt: o.now,
    endedAt: o.now,
    epochs: 0,
    finalMetrics: {},
    tags: [IMPORTED_TAG],
    resumedFrom: null,
    error: null,
    name: null,
    notes: '',
  };
}

/**
 * Saves an imported model as a new project: the project record (opening on the imported run),
 * its first architecture version and the run, in one transaction; then the weights as the run's
 * 'final' checkpoint (files in the BlobStore, manifest last). If the checkpoint cannot be
 * written, the project is deleted again and the error (a quota error names the Storage panel)
 * is thrown: an import either arrives whole or not at all. Without a BlobStore (no OPFS) or
 * without weights, the project is saved alone and `weightsNotKept` says why.
 * @example
 * const saved = await saveImportedProject(db, blobs, { project, fileName: 'cnn.onnx', totals, weights });
 * await createCheckpointStore(db, blobs).load(saved.checkpoint!.id); // the imported arrays
 */
export async function saveImportedProject(db: StorageDb, blobs: BlobStore | null, model: ImportedModel, now: Millis = Date.now()): Promise<SavedImport> {
  const base = newProjectRecord(model.project, null, now);
  const version: VersionRecord = {
    id: newVersionId(),
    projectId: base.id,
    parent: null,
    message: `imported from ${model.fileName}`.slice(0, 10000),
    createdAt: now,
    graphHash: await graphHash(model.project.graph),
    graph: model.project.graph,
    totals: model.totals,
  };
  const weightsNotKept = !model.weights
    ? 'the graph has layers without a NeuralForge kind, so its weights cannot be matched to a model; they were not kept'
    : !blobs
      ? 'this browser offers no file storage (OPFS) for weights; the architecture was kept without them'
      : null;
  const run = weightsNotKept ? null : importedRunRecord({ projectId: base.id, versionId: version.id, training: model.project.training, fileName: model.fileName, now });
  const project: ProjectRecord = { ...base, headVersion: version.id, ui: { selectedRunId: run?.id ?? null, selectedNodeIds: [] } };
  await db.importAll({ projects: [project], versions: [version], datasets: [], runs: run ? [run] : [], metrics: [], checkpoints: [], exports: [] });
  if (!run || !blobs || !model.weights) return { project, version, run: null, checkpoint: null, weightsNotKept };
  try {
    const checkpoint = await createCheckpointStore(db, blobs, { now: () => now }).save({ runId: run.id, projectId: project.id, kind: 'final' }, importedCheckpoint(model.project.training, model.weights));
    return { project, version, run, checkpoint, weightsNotKept: null };
  } catch (e) {
    await db.deleteProject(project.id).catch(() => undefined);
    if (e instanceof StorageError) throw e;
    throw new StorageError('unavailable', `The imported weights of ${model.fileName} could not be saved, so the import was undone: ${e instanceof Error ? e.message : String(e)}`, e);
  }
}
