// The model an evaluation scores: a stored run's checkpoint (the one asked for, else the run's
// 'best', else its newest) read from storage, the run's own architecture version compiled, and
// the checkpoint's weights written in by name.
import type * as tf from '@tensorflow/tfjs';
import { compileGraph } from '../engine/compile/compile.js';
import { analyzeGraph, type Analysis } from '../engine/graph/analyze.js';
import { writeNamed, weightKeys, type Checkpoint } from '../engine/train/checkpoint.js';
import { createCheckpointStore } from '../storage/checkpoints.js';
import { StorageError, type CheckpointId, type CheckpointRecord, type RunId, type RunRecord, type VersionRecord } from '../storage/types.js';
import { EvalError } from './eval-errors.js';
import type { RunStorage } from './run-store.js';

/** A run's checkpoint with everything needed to rebuild its model. */
export interface EvalSource {
  readonly run: RunRecord;
  readonly manifest: CheckpointRecord;
  readonly checkpoint: Checkpoint;
  readonly version: VersionRecord;
  readonly analysis: Analysis;
}

/** The checkpoint to evaluate when none is named: the newest 'best', else the newest of any kind. */
export function defaultCheckpoint(list: readonly CheckpointRecord[]): CheckpointRecord | null {
  const newest = (xs: readonly CheckpointRecord[]) => [...xs].sort((a, b) => b.globalStep - a.globalStep || b.createdAt - a.createdAt)[0] ?? null;
  return newest(list.filter((c) => c.kind === 'best')) ?? newest(list);
}

/**
 * Reads run `runId`, its checkpoint and its architecture version.
 * @throws EvalError 'run-not-found' | 'no-checkpoint' | 'version-missing' | 'bad-request' naming what is gone.
 */
export async function loadEvalSource(storage: RunStorage, runId: RunId, checkpointId: CheckpointId | null): Promise<EvalSource> {
  const { db, blobs } = storage;
  const run = await db.getRun(runId);
  if (!run) throw new EvalError('run-not-found', `run ${runId} is not stored on this device (was it deleted?)`);
  let manifest: CheckpointRecord | null;
  if (checkpointId) {
    manifest = await db.getCheckpoint(checkpointId);
    if (!manifest) throw new EvalError('no-checkpoint', `checkpoint ${checkpointId} of run ${runId} does not exist (it was deleted, or never finished writing)`);
    if (manifest.runId !== runId) throw new EvalError('bad-request', `checkpoint ${checkpointId} belongs to run ${manifest.runId}, not to run ${runId}`);
  } else {
    manifest = defaultCheckpoint(await db.listCheckpoints(runId));
    if (!manifest) throw new EvalError('no-checkpoint', `run ${runId} has no checkpoint to evaluate: it kept no weights (checkpoints off, or every one deleted)`);
  }
  const version = await db.getVersion(run.versionId);
  if (!version) throw new EvalError('version-missing', `run ${runId} trained architecture version ${run.versionId}, which is no longer stored`);
  const checkpoint = await createCheckpointStore(db, blobs)
    .load(manifest.id)
    .catch((e: unknown) => {
      throw e instanceof StorageError ? new EvalError('no-checkpoint', `the weights of checkpoint ${manifest.id} cannot be read: ${e.message}`) : e;
    });
  const analysis = analyzeGraph(version.graph);
  if (!analysis.valid) throw new EvalError('version-missing', `architecture version ${version.id} of run ${runId} no longer compiles: ${analysis.diagnostics.find((d) => d.severity === 'error')?.message ?? 'unknown error'}`);
  return { run, manifest, checkpoint, version, analysis };
}

/** Compiles the source's graph (the run's seed: the same layer names the run had) with the checkpoint's weights. */
export function buildModel(source: EvalSource): tf.LayersModel {
  const { model } = compileGraph(source.analysis, { seed: source.checkpoint.config.seed });
  try {
    const keys = weightKeys(model);
    writeNamed(model.weights.map((w, i) => ({ key: keys[i]!, variable: w.read() as tf.Variable })), source.checkpoint.weights, 'weights');
    return model;
  } catch (e) {
    model.dispose();
    const why = e instanceof Error ? e.message : String(e);
    throw new EvalError('version-missing', `checkpoint ${source.manifest.id} does not fit architecture version ${source.version.id} of run ${source.run.id}: ${why}`);
  }
}
