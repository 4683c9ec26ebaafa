// Checkpoints as plain data: named typed arrays for weights and optimizer state, JSON for
// everything else (position, schedule inputs, early stopping, history). Storage persists
// them; `trainModel({ resumeFrom })` continues from one exactly.
import * as tf from '@tensorflow/tfjs';
import type { OptimizerName } from '../project/types.js';
import type { ResolvedTrainingConfig } from './config.js';
import type { EarlyStoppingState } from './early-stopping.js';
import type { EpochRecord } from './events.js';

export const CHECKPOINT_FORMAT = 'neuralforge-checkpoint';
export const CHECKPOINT_VERSION = 1;

export interface NamedArray {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: 'float32' | 'int32';
  readonly values: Float32Array | Int32Array;
}

/** Where the run is. The schedule and the shuffle order are pure functions of these and the seed. */
export interface TrainingPosition {
  /** Completed epochs. */
  readonly epoch: number;
  /** Optimizer steps done in the current epoch. */
  readonly step: number;
  /** Micro-batches consumed in the current epoch (step × accumulationSteps, except in a last short group). */
  readonly microBatch: number;
  /** Optimizer steps in the whole run (the schedule's clock). */
  readonly globalStep: number;
  /** Micro-batches in the whole run (the dropout masks' clock). */
  readonly microStep: number;
}

/** Running sums of an epoch cut short by a mid-epoch checkpoint. */
export interface PartialEpoch {
  readonly lossSum: number;
  readonly samples: number;
  readonly metricSums: Readonly<Record<string, number>>;
  readonly metricCounts: Readonly<Record<string, number>>;
  readonly elapsedMs: number;
}

export interface Checkpoint {
  readonly format: typeof CHECKPOINT_FORMAT;
  readonly version: typeof CHECKPOINT_VERSION;
  readonly reason: 'interval' | 'final';
  /** The configuration the run used (a resumed run may extend `epochs`). */
  readonly config: ResolvedTrainingConfig;
  /** Training samples per epoch, to refuse resuming mid-epoch on different data. */
  readonly trainCount: number;
  readonly position: TrainingPosition;
  /** Every model weight (trainable or not, e.g. batch-norm statistics), by its layer-scoped name. */
  readonly weights: readonly NamedArray[];
  readonly optimizer: { readonly name: OptimizerName; readonly iterations: number; readonly slots: readonly NamedArray[] };
  readonly partialEpoch: PartialEpoch | null;
  readonly earlyStopping: EarlyStoppingState | null;
  /** The weights of the best epoch so far, kept when earlyStopping.restoreBestWeights. */
  readonly bestWeights: readonly NamedArray[] | null;
  readonly history: readonly EpochRecord[];
}

/** Where checkpoints go; storage implements it. The loop awaits each save before going on. */
export interface CheckpointSink {
  save(checkpoint: Checkpoint): Promise<void>;
}

export interface CheckpointOptions {
  readonly sink: CheckpointSink;
  /** Save after every N completed epochs (default 1; 0 = never at epoch ends). */
  readonly everyEpochs?: number;
  /** Save after every N optimizer steps, mid-epoch included (default 0 = never). */
  readonly everySteps?: number;
}

/** A tensor with a name, on the device. */
export interface NamedVariable {
  readonly key: string;
  readonly variable: tf.Tensor;
}

/**
 * Stable names for a model's weights: TF.js's layer-scoped name (`dense1/kernel`) without the
 * `_1` suffix TF.js adds when another model already used it, so a fresh compile matches.
 */
export function weightKeys(model: tf.LayersModel): string[] {
  const seen = new Map<string, number>();
  return model.weights.map((w) => {
    const n = seen.get(w.originalName) ?? 0;
    seen.set(w.originalName, n + 1);
    return n === 0 ? w.originalName : `${w.originalName}#${n}`;
  });
}

/** Reads named tensors back to the CPU, asynchronously and all at once. */
export async function readNamed(items: readonly NamedVariable[]): Promise<NamedArray[]> {
  const values = await Promise.all(items.map((i) => i.variable.data()));
  return items.map((i, k) => ({
    name: i.key,
    shape: [...i.variable.shape],
    dtype: i.variable.dtype === 'int32' ? 'int32' : 'float32',
    // A copy: the CPU backend hands out its own buffer, which must not alias a saved checkpoint.
    values: (values[k] as Float32Array | Int32Array).slice(),
  }));
}

/**
 * Copies saved arrays into variables with the same names and shapes; throws naming the first
 * mismatch (a checkpoint from another graph).
 */
export function writeNamed(targets: readonly { readonly key: string; readonly variable: tf.Variable }[], arrays: readonly NamedArray[], what: string): void {
  const byName = new Map(arrays.map((a) => [a.name, a]));
  if (byName.size !== targets.length || arrays.length !== targets.length)
    throw new Error(`checkpoint ${what}: has ${arrays.length} arrays, this model needs ${targets.length}`);
  for (const t of targets) {
    const a = byName.get(t.key);
    if (!a) throw new Error(`checkpoint ${what}: no "${t.key}" (it was made from another graph)`);
    if (a.shape.length !== t.variable.shape.length || a.shape.some((d, i) => d !== t.variable.shape[i]))
      throw new Error(`checkpoint ${what}: "${t.key}" is [${a.shape.join(',')}], the model's is [${t.variable.shape.join(',')}]`);
  }
  for (const t of targets) {
    const a = byName.get(t.key)!;
    tf.tidy(() => t.variable.assign(tf.tensor(a.values.slice(), [...a.shape], t.variable.dtype)));
  }
}

/** A checkpoint's identity and shape, checked before anything is restored. */
export function checkCheckpoint(c: Checkpoint): void {
  if (c.format !== CHECKPOINT_FORMAT) throw new Error(`not a NeuralForge checkpoint (format ${JSON.stringify(c.format)})`);
  if (c.version !== CHECKPOINT_VERSION) throw new Error(`checkpoint version ${c.version} is not readable here (expected ${CHECKPOINT_VERSION})`);
}
