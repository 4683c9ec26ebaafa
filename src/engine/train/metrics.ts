// Metrics as device-side sums over a batch plus a count known on the CPU, so an epoch's
// value is Σ sums / Σ counts with a single readback at the end.
import * as tf from '@tensorflow/tfjs';
import type { LossName, MetricSpec } from './config.js';
import type { OutputActivation } from './losses.js';

/** Σ of per-item scores in a batch (a scalar on the device) and how many items were scored. */
export type Measure = (yTrue: tf.Tensor, yPred: tf.Tensor) => { readonly sum: tf.Scalar; readonly count: number };

export interface Metric {
  readonly name: string;
  readonly measure: Measure;
}

/** How labels compare with predictions for accuracy. */
export type AccuracyKind = 'sparse' | 'categorical' | 'binary';

/**
 * Keras's choice: class ids for sparse losses, one-hot for categorical, thresholded for binary;
 * regression losses use binary for a single output unit and argmax otherwise.
 */
export function accuracyKind(loss: LossName, lastDim: number): AccuracyKind {
  switch (loss) {
    case 'sparseCategoricalCrossentropy':
    case 'nextTokenCrossentropy':
      return 'sparse';
    case 'categoricalCrossentropy':
      return 'categorical';
    case 'binaryCrossentropy':
      return 'binary';
    case 'meanSquaredError':
    case 'meanAbsoluteError':
    case 'huber':
      return lastDim === 1 ? 'binary' : 'categorical';
    default: {
      const never: never = loss;
      throw new Error(`unknown loss ${String(never)}`);
    }
  }
}

const items = (t: tf.Tensor, dropLast: boolean): number => (dropLast ? t.size / t.shape.at(-1)! : t.size);

/** Class ids [positions] from sparse labels or one-hot rows. */
function classIds(yTrue: tf.Tensor, yPred: tf.Tensor, kind: 'sparse' | 'categorical'): tf.Tensor {
  if (kind === 'sparse') return tf.reshape(tf.cast(yTrue, 'int32'), [-1]);
  return tf.argMax(tf.reshape(yTrue, [-1, yPred.shape.at(-1)!]), -1);
}

function accuracy(kind: AccuracyKind, output: OutputActivation): Measure {
  // A logit of 0 is probability 0.5.
  const threshold = output === 'linear' ? 0 : 0.5;
  return (yTrue, yPred) => {
    if (kind === 'binary') {
      const predicted = tf.greater(yPred, threshold);
      const actual = tf.greater(tf.reshape(yTrue, yPred.shape), 0.5);
      return { sum: tf.sum(tf.cast(tf.equal(predicted, actual), 'float32')), count: items(yPred, false) };
    }
    const predicted = tf.argMax(tf.reshape(yPred, [-1, yPred.shape.at(-1)!]), -1);
    return { sum: tf.sum(tf.cast(tf.equal(predicted, classIds(yTrue, yPred, kind)), 'float32')), count: items(yPred, true) };
  };
}

/** Correct when fewer than k classes score strictly higher than the true one (ties favour the label). */
function topK(k: number, kind: 'sparse' | 'categorical'): Measure {
  return (yTrue, yPred) => {
    const classes = yPred.shape.at(-1)!;
    const scores = tf.reshape(yPred, [-1, classes]); // (positions, C)
    const trueScore = tf.sum(tf.mul(scores, tf.oneHot(classIds(yTrue, yPred, kind), classes)), -1, true); // (positions, 1)
    const higher = tf.sum(tf.cast(tf.greater(scores, trueScore), 'float32'), -1);
    return { sum: tf.sum(tf.cast(tf.less(higher, k), 'float32')), count: items(yPred, true) };
  };
}

const meanAbsoluteError: Measure = (yTrue, yPred) => ({ sum: tf.sum(tf.abs(tf.sub(tf.reshape(yTrue, yPred.shape), yPred))), count: yPred.size });

/**
 * The metric for a spec; a sentence for a person when the metric cannot apply to this loss.
 * @example const acc = makeMetric({ kind: 'accuracy', name: 'accuracy' }, 'sparseCategoricalCrossentropy', 'softmax', 10); typeof acc !== 'string' && acc.measure(yIds, probs).sum
 */
export function makeMetric(spec: MetricSpec, loss: LossName, output: OutputActivation, lastDim: number): Metric | string {
  const { name } = spec;
  switch (spec.kind) {
    case 'accuracy':
      return { name, measure: accuracy(accuracyKind(loss, lastDim), output) };
    case 'topKAccuracy': {
      const kind = accuracyKind(loss, lastDim);
      if (kind === 'binary') return `${spec.name} needs several classes and a categorical loss; this run uses ${loss} with ${lastDim} output${lastDim === 1 ? '' : 's'}`;
      return { name, measure: topK(spec.k, kind) };
    }
    case 'meanAbsoluteError':
      if (loss === 'sparseCategoricalCrossentropy' || loss === 'nextTokenCrossentropy')
        return `meanAbsoluteError compares values, but ${loss} labels are class ids`;
      return { name, measure: meanAbsoluteError };
    default: {
      const never: never = spec;
      throw new Error(`unknown metric ${JSON.stringify(never)}`);
    }
  }
}
