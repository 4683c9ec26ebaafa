// Early stopping as a small state machine over epoch records: improve, wait, or stop. Its
// state is plain data so a checkpoint carries it across a resume.
import type { ResolvedEarlyStopping } from './config.js';
import type { EpochRecord } from './events.js';

export interface EarlyStoppingState {
  /** Best monitored value so far; null before the first epoch. */
  readonly best: number | null;
  /** 1-based epoch of `best`; 0 before the first epoch. */
  readonly bestEpoch: number;
  /** Epochs since the last improvement. */
  readonly wait: number;
}

export type EarlyStoppingDecision = 'improved' | 'waiting' | 'stop';

export const INITIAL_EARLY_STOPPING: EarlyStoppingState = { best: null, bestEpoch: 0, wait: 0 };

/**
 * The monitored number in an epoch record: "loss", "valLoss", "accuracy", "valTop5Accuracy", …; null when absent.
 * @example monitoredValue(record, 'valAccuracy') // record.valMetrics.accuracy
 */
export function monitoredValue(record: EpochRecord, monitor: string): number | null {
  if (monitor === 'loss') return record.loss;
  if (monitor === 'valLoss') return record.valLoss;
  if (/^val[A-Z]/.test(monitor)) {
    const name = monitor[3]!.toLowerCase() + monitor.slice(4);
    return record.valMetrics?.[name] ?? null;
  }
  return record.metrics[monitor] ?? null;
}

/**
 * One epoch's verdict (Keras's rule): an improvement beats the best by more than minDelta in
 * the monitor's direction and resets the wait; otherwise the wait grows, and reaching
 * `patience` stops. NaN never improves.
 * @example
 * let s = INITIAL_EARLY_STOPPING;
 * ({ state: s } = earlyStoppingStep(cfg, s, 0.9, 1)); // improved
 */
export function earlyStoppingStep(
  cfg: ResolvedEarlyStopping,
  state: EarlyStoppingState,
  value: number,
  epoch: number,
): { state: EarlyStoppingState; decision: EarlyStoppingDecision } {
  const better =
    !Number.isNaN(value) &&
    (state.best === null || (cfg.mode === 'min' ? value < state.best - cfg.minDelta : value > state.best + cfg.minDelta));
  if (better) return { state: { best: value, bestEpoch: epoch, wait: 0 }, decision: 'improved' };
  const wait = state.wait + 1;
  return { state: { ...state, wait }, decision: wait >= cfg.patience ? 'stop' : 'waiting' };
}
