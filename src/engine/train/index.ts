// The training engine's public surface: configuration, the loop, evaluation, checkpoints.
export {
  resolveTrainingConfig, trainingConfigIssues, parseMetric, inferMonitorMode, monitorableNames, isLossName,
  TrainingConfigError, TRAINING_DEFAULTS, LOSS_NAMES,
  type LossName, type MetricSpec, type ResolvedEarlyStopping, type ResolvedOptimizer, type ResolvedSchedule,
  type ResolvedTrainingConfig, type TrainingConfigIssue,
} from './config.js';
export { trainModel, type TrainOptions, type TrainResult } from './trainer.js';
export { evaluate, type Evaluation } from './evaluate.js';
export { createTrainingControl, TrainingControl, type ControlState } from './control.js';
export type { EpochRecord, TrainerEvent, TrainerEventType, TrainStatus } from './events.js';
export {
  CHECKPOINT_FORMAT, CHECKPOINT_VERSION,
  type Checkpoint, type CheckpointOptions, type CheckpointSink, type NamedArray, type PartialEpoch, type TrainingPosition,
} from './checkpoint.js';
export { seededPermutation, epochOrder } from './batches.js';
export { learningRateAt, type SchedulePosition } from './schedules.js';
export { makeLoss, outputActivation, EPSILON, type LossFn, type OutputActivation } from './losses.js';
export { makeMetric, type Metric } from './metrics.js';
export { createOptimizer, type Optimizer, type TrainableParam } from './optimizers.js';
export { clipByGlobalNorm, globalNorm } from './gradients.js';
export { earlyStoppingStep, monitoredValue, INITIAL_EARLY_STOPPING, type EarlyStoppingState } from './early-stopping.js';
