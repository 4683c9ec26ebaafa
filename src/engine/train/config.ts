// The project's `training` section with every default filled in, as discriminated unions the
// loop can switch on exhaustively. Problems a person can fix come back as named issues.
import type { EarlyStoppingConfig, OptimizerConfig, ScheduleConfig, ScheduleUnit, TrainingConfig } from '../project/types.js';

export const LOSS_NAMES = [
  'sparseCategoricalCrossentropy',
  'categoricalCrossentropy',
  'binaryCrossentropy',
  'meanSquaredError',
  'meanAbsoluteError',
  'huber',
  'nextTokenCrossentropy',
] as const;
export type LossName = (typeof LOSS_NAMES)[number];

export type ResolvedOptimizer =
  | { readonly name: 'sgd'; readonly learningRate: number; readonly momentum: number; readonly nesterov: boolean }
  | { readonly name: 'adam'; readonly learningRate: number; readonly beta1: number; readonly beta2: number; readonly epsilon: number }
  | { readonly name: 'adamw'; readonly learningRate: number; readonly beta1: number; readonly beta2: number; readonly epsilon: number; readonly weightDecay: number }
  | { readonly name: 'rmsprop'; readonly learningRate: number; readonly rho: number; readonly momentum: number; readonly epsilon: number; readonly centered: boolean }
  | { readonly name: 'adagrad'; readonly learningRate: number; readonly epsilon: number };

/** `totalSteps: null` means "the whole run": epochs × optimizer steps per epoch, known once data is. */
export type ResolvedSchedule =
  | { readonly name: 'constant' }
  | { readonly name: 'step'; readonly stepSize: number; readonly gamma: number; readonly unit: ScheduleUnit }
  | { readonly name: 'exponential'; readonly gamma: number; readonly unit: ScheduleUnit }
  | { readonly name: 'cosine'; readonly warmupSteps: number; readonly minLearningRate: number; readonly totalSteps: number | null }
  | { readonly name: 'oneCycle'; readonly pctStart: number; readonly divFactor: number; readonly finalDivFactor: number; readonly totalSteps: number | null };

export type MetricSpec =
  | { readonly kind: 'accuracy'; readonly name: string }
  | { readonly kind: 'topKAccuracy'; readonly name: string; readonly k: number }
  | { readonly kind: 'meanAbsoluteError'; readonly name: string };

export interface ResolvedEarlyStopping {
  readonly monitor: string;
  readonly mode: 'min' | 'max';
  readonly patience: number;
  readonly minDelta: number;
  readonly restoreBestWeights: boolean;
}

export interface ResolvedTrainingConfig {
  readonly optimizer: ResolvedOptimizer;
  readonly schedule: ResolvedSchedule;
  readonly loss: LossName;
  readonly metrics: readonly MetricSpec[];
  /** Samples per forward/backward pass (a micro-batch when accumulationSteps > 1). */
  readonly batchSize: number;
  readonly epochs: number;
  readonly seed: number;
  readonly validationSplit: number;
  /** Clip the global gradient norm to this; null = no clipping. */
  readonly clipNorm: number | null;
  /** Micro-batches whose gradients are averaged into one optimizer step. */
  readonly accumulationSteps: number;
  /** Coefficient of the L2 penalty l2 · Σ w² on decayed weights (0 = none). */
  readonly l2: number;
  readonly earlyStopping: ResolvedEarlyStopping | null;
}

export interface TrainingConfigIssue {
  /** Where in the project, e.g. `training.loss`. */
  readonly path: string;
  readonly message: string;
}

export class TrainingConfigError extends Error {
  constructor(readonly issues: readonly TrainingConfigIssue[]) {
    super(issues.map((i) => `${i.path}: ${i.message}`).join('; '));
    this.name = 'TrainingConfigError';
  }
}

/** Defaults that say why. */
export const TRAINING_DEFAULTS = {
  batchSize: 32,
  epochs: 10,
  seed: 0,
  optimizer: { name: 'adam', learningRate: 0.001 },
  /** Keras's default learning rates, per optimizer. */
  learningRate: { sgd: 0.01, adam: 0.001, adamw: 0.001, rmsprop: 0.001, adagrad: 0.01 },
  /** PyTorch's AdamW default. */
  weightDecay: 0.01,
  /** Keras's epsilon; PyTorch uses 1e-8 (Adam) and 1e-10 (Adagrad). */
  epsilon: 1e-7,
  patience: 3,
} as const;

export const isLossName = (s: string): s is LossName => (LOSS_NAMES as readonly string[]).includes(s);

/**
 * "accuracy" | "top5Accuracy" | "topKAccuracy" (k = 5) | "meanAbsoluteError"; null if unknown.
 * @example parseMetric('top3Accuracy') // { kind: 'topKAccuracy', name: 'top3Accuracy', k: 3 }
 */
export function parseMetric(name: string): MetricSpec | null {
  if (name === 'accuracy') return { kind: 'accuracy', name };
  if (name === 'meanAbsoluteError') return { kind: 'meanAbsoluteError', name };
  if (name === 'topKAccuracy') return { kind: 'topKAccuracy', name, k: 5 };
  const m = /^top([1-9]\d{0,3})Accuracy$/.exec(name);
  return m ? { kind: 'topKAccuracy', name, k: Number(m[1]) } : null;
}

/** "valLoss" → min, "valAccuracy" → max: losses and errors go down, everything else up. */
export const inferMonitorMode = (monitor: string): 'min' | 'max' => (/loss|error/i.test(monitor) ? 'min' : 'max');

function resolveOptimizer(o: OptimizerConfig | undefined): ResolvedOptimizer {
  const opt: OptimizerConfig = o ?? TRAINING_DEFAULTS.optimizer;
  const learningRate = opt.learningRate ?? TRAINING_DEFAULTS.learningRate[opt.name];
  const epsilon = TRAINING_DEFAULTS.epsilon;
  switch (opt.name) {
    case 'sgd':
      return { name: 'sgd', learningRate, momentum: opt.momentum ?? 0, nesterov: opt.nesterov ?? false };
    case 'adam':
      return { name: 'adam', learningRate, beta1: opt.beta1 ?? 0.9, beta2: opt.beta2 ?? 0.999, epsilon: opt.epsilon ?? epsilon };
    case 'adamw':
      return {
        name: 'adamw', learningRate, beta1: opt.beta1 ?? 0.9, beta2: opt.beta2 ?? 0.999, epsilon: opt.epsilon ?? epsilon,
        weightDecay: opt.weightDecay ?? TRAINING_DEFAULTS.weightDecay,
      };
    case 'rmsprop':
      return { name: 'rmsprop', learningRate, rho: opt.rho ?? 0.9, momentum: opt.momentum ?? 0, epsilon: opt.epsilon ?? epsilon, centered: opt.centered ?? false };
    case 'adagrad':
      return { name: 'adagrad', learningRate, epsilon: opt.epsilon ?? epsilon };
    default: {
      const never: never = opt;
      throw new Error(`unknown optimizer ${JSON.stringify(never)}`);
    }
  }
}

function resolveSchedule(s: ScheduleConfig | undefined): ResolvedSchedule {
  const sched: ScheduleConfig = s ?? { name: 'constant' };
  switch (sched.name) {
    case 'constant':
      return { name: 'constant' };
    case 'step':
      return { name: 'step', stepSize: sched.stepSize ?? 10, gamma: sched.gamma ?? 0.1, unit: sched.unit ?? 'epoch' };
    case 'exponential':
      return { name: 'exponential', gamma: sched.gamma ?? 0.9, unit: sched.unit ?? 'epoch' };
    case 'cosine':
      return { name: 'cosine', warmupSteps: sched.warmupSteps ?? 0, minLearningRate: sched.minLearningRate ?? 0, totalSteps: sched.totalSteps ?? null };
    case 'oneCycle':
      // PyTorch's OneCycleLR defaults.
      return {
        name: 'oneCycle', pctStart: sched.pctStart ?? 0.3, divFactor: sched.divFactor ?? 25, finalDivFactor: sched.finalDivFactor ?? 1e4,
        totalSteps: sched.totalSteps ?? null,
      };
    default: {
      const never: never = sched;
      throw new Error(`unknown schedule ${JSON.stringify(never)}`);
    }
  }
}

/** The names an epoch reports, which early stopping may watch. */
export function monitorableNames(metrics: readonly MetricSpec[]): string[] {
  const names = ['loss', ...metrics.map((m) => m.name)];
  return [...names, ...names.map((n) => `val${n[0]!.toUpperCase()}${n.slice(1)}`)];
}

function resolveEarlyStopping(e: EarlyStoppingConfig | undefined, metrics: readonly MetricSpec[], issues: TrainingConfigIssue[]): ResolvedEarlyStopping | null {
  if (!e) return null;
  const monitor = e.monitor ?? 'valLoss';
  const known = monitorableNames(metrics);
  if (!known.includes(monitor))
    issues.push({ path: 'training.earlyStopping.monitor', message: `"${monitor}" is not reported by this run; choose one of ${known.map((k) => `"${k}"`).join(', ')}` });
  return {
    monitor,
    mode: e.mode ?? inferMonitorMode(monitor),
    patience: e.patience ?? TRAINING_DEFAULTS.patience,
    minDelta: e.minDelta ?? 0,
    restoreBestWeights: e.restoreBestWeights ?? false,
  };
}

/**
 * Every problem at once, for the editor; empty when `resolveTrainingConfig` would succeed.
 * @example trainingConfigIssues({ loss: 'mse' }) // [{ path: 'training.loss', message: 'unknown loss "mse"; use one of …' }]
 */
export function trainingConfigIssues(training: TrainingConfig): TrainingConfigIssue[] {
  const issues: TrainingConfigIssue[] = [];
  tryResolve(training, issues);
  return issues;
}

function tryResolve(t: TrainingConfig, issues: TrainingConfigIssue[]): ResolvedTrainingConfig | null {
  let loss: LossName | null = null;
  if (t.loss === undefined) issues.push({ path: 'training.loss', message: `no loss chosen; use one of ${LOSS_NAMES.join(', ')}` });
  else if (!isLossName(t.loss)) issues.push({ path: 'training.loss', message: `unknown loss "${t.loss}"; use one of ${LOSS_NAMES.join(', ')}` });
  else loss = t.loss;
  const metrics: MetricSpec[] = [];
  (t.metrics ?? []).forEach((name, i) => {
    const m = parseMetric(name);
    if (!m) issues.push({ path: `training.metrics[${i}]`, message: `unknown metric "${name}"; use accuracy, top5Accuracy (any k) or meanAbsoluteError` });
    else if (metrics.some((x) => x.name === name)) issues.push({ path: `training.metrics[${i}]`, message: `"${name}" is listed twice` });
    else metrics.push(m);
  });
  const earlyStopping = resolveEarlyStopping(t.earlyStopping, metrics, issues);
  if (issues.length > 0 || loss === null) return null;
  return {
    optimizer: resolveOptimizer(t.optimizer),
    schedule: resolveSchedule(t.schedule),
    loss,
    metrics,
    batchSize: t.batchSize ?? TRAINING_DEFAULTS.batchSize,
    epochs: t.epochs ?? TRAINING_DEFAULTS.epochs,
    seed: t.seed ?? TRAINING_DEFAULTS.seed,
    validationSplit: t.validationSplit ?? 0,
    clipNorm: t.clipNorm ?? null,
    accumulationSteps: t.accumulationSteps ?? 1,
    l2: t.l2 ?? 0,
    earlyStopping,
  };
}

/**
 * Fills every default of a parsed `training` section.
 * @example
 * const config = resolveTrainingConfig({ optimizer: { name: 'adam', learningRate: 0.001 }, loss: 'sparseCategoricalCrossentropy' });
 * config.optimizer.name === 'adam' && config.optimizer.beta2 === 0.999 // true
 * @throws TrainingConfigError listing every issue (unknown loss or metric, an unmonitorable early-stopping target).
 */
export function resolveTrainingConfig(training: TrainingConfig): ResolvedTrainingConfig {
  const issues: TrainingConfigIssue[] = [];
  const config = tryResolve(training, issues);
  if (!config) throw new TrainingConfigError(issues);
  return config;
}
