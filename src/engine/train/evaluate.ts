// Loss and metrics over a whole split, batch by batch, in inference mode (no dropout). Sums
// stay on the device; one readback at the end.
import * as tf from '@tensorflow/tfjs';
import type { Split } from '../data/types.js';
import type { ResolvedTrainingConfig } from './config.js';
import { batchTensors, prepareTask, type Task } from './task.js';

export interface Evaluation {
  readonly loss: number;
  readonly metrics: Readonly<Record<string, number>>;
}

/** Adds `t` into the running sum and disposes both the old sum and `t`. */
export function addInto(sum: tf.Scalar | null, t: tf.Scalar): tf.Scalar {
  if (!sum) return t;
  const next = tf.add(sum, t) as tf.Scalar;
  sum.dispose();
  t.dispose();
  return next;
}

/** evaluate with a task already prepared (the loop's validation pass). */
export async function evaluateTask(model: tf.LayersModel, split: Split, task: Task, batchSize: number): Promise<Evaluation> {
  let lossSum: tf.Scalar | null = null;
  const sums: (tf.Scalar | null)[] = task.metrics.map(() => null);
  const counts = task.metrics.map(() => 0);
  for (let from = 0; from < split.count; from += batchSize) {
    const to = Math.min(split.count, from + batchSize);
    const { loss, metrics } = tf.tidy(() => {
      const { x, y } = batchTensors(task, split, null, from, to);
      const pred = model.apply(x, { training: false }) as tf.Tensor;
      return { loss: tf.mul(task.loss(y, pred), to - from) as tf.Scalar, metrics: task.metrics.map((m) => m.measure(y, pred)) };
    });
    lossSum = addInto(lossSum, loss);
    metrics.forEach((m, i) => {
      sums[i] = addInto(sums[i] ?? null, m.sum);
      counts[i]! += m.count;
    });
  }
  const tensors = [lossSum!, ...sums.map((s) => s!)];
  const values = await Promise.all(tensors.map((t) => t.data()));
  tf.dispose(tensors);
  return {
    loss: values[0]![0]! / split.count,
    metrics: Object.fromEntries(task.metrics.map((m, i) => [m.name, values[i + 1]![0]! / counts[i]!])),
  };
}

/**
 * Mean loss and metrics of `model` on `split`, in batches of config.batchSize, without dropout.
 * @example const { loss, metrics } = await evaluate(model, dataset.test, resolveTrainingConfig(project.training));
 * @throws TrainingConfigError when the split does not fit the model or the loss.
 */
export function evaluate(model: tf.LayersModel, split: Split, config: ResolvedTrainingConfig): Promise<Evaluation> {
  return evaluateTask(model, split, prepareTask(model, config, [split]), config.batchSize);
}
