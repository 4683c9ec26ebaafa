// What the training loop reports, as one discriminated union. Plain data only: the worker
// posts these to the page and the CLI prints them as JSON lines.

export interface EpochRecord {
  /** 1-based. */
  readonly epoch: number;
  /** Mean data loss over the epoch's samples (without the L2 penalty, so it compares with valLoss). */
  readonly loss: number;
  readonly metrics: Readonly<Record<string, number>>;
  /** Null when there is no validation data. */
  readonly valLoss: number | null;
  readonly valMetrics: Readonly<Record<string, number>> | null;
  /** The learning rate of the epoch's last optimizer step. */
  readonly learningRate: number;
  /** Wall time of the epoch, validation included. */
  readonly durationMs: number;
}

export type TrainStatus = 'completed' | 'stopped' | 'early-stopped';

export type TrainerEvent =
  | {
      readonly type: 'progress';
      /** 1-based epoch in progress. */
      readonly epoch: number;
      /** Optimizer steps done in this epoch. */
      readonly step: number;
      readonly stepsPerEpoch: number;
      /** Running mean loss of this epoch so far. */
      readonly loss: number;
      /** Loss of the latest optimizer step alone. */
      readonly stepLoss: number;
      readonly metrics: Readonly<Record<string, number>>;
      readonly learningRate: number;
      /** Global gradient norm of the latest step, before clipping. */
      readonly gradNorm: number;
      readonly samplesPerSec: number;
      /** Seconds left, from this run's pace; null before there is one. */
      readonly etaSec: number | null;
    }
  | ({ readonly type: 'epoch' } & EpochRecord)
  | {
      readonly type: 'checkpoint';
      /** Completed epochs at the checkpoint. */
      readonly epoch: number;
      /** Optimizer steps done in the whole run. */
      readonly globalStep: number;
      readonly reason: 'interval' | 'final';
    }
  | {
      readonly type: 'early-stop';
      readonly epoch: number;
      readonly monitor: string;
      readonly best: number;
      readonly bestEpoch: number;
      readonly restoredBestWeights: boolean;
    }
  | { readonly type: 'done'; readonly status: TrainStatus; readonly epochs: number; readonly history: readonly EpochRecord[] };

export type TrainerEventType = TrainerEvent['type'];
