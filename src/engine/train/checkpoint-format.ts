// A checkpoint as plain data, without TF.js: what storage reads and writes (the page imports
// this; checkpoint.ts adds the TF.js side). `trainModel({ resumeFrom })` continues from one exactly.
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
