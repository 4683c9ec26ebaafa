// Losses, each the mean over samples (and over positions/elements where there are several).
// Whether the model outputs probabilities or logits is read from its last activation:
// softmax/sigmoid outputs are probabilities (clipped to [ε, 1 − ε] before the log, as Keras
// does), anything else is treated as logits and goes through log-softmax or the stable
// sigmoid form, which never takes the log of a rounded-off probability.
import * as tf from '@tensorflow/tfjs';
import type { Column } from '../data/types.js';
import type { LossName } from './config.js';

/** Keras's fuzz factor: probabilities are kept inside [EPSILON, 1 − EPSILON] before a log. */
export const EPSILON = 1e-7;
/** Huber's switch from quadratic to linear (Keras's default delta). */
export const HUBER_DELTA = 1;

/** What the model's last layer emits. 'linear' covers every non-squashing activation: logits or raw values. */
export type OutputActivation = 'softmax' | 'sigmoid' | 'linear';

/** Layers that move values without changing them, so the activation before them still decides. */
const PASS_THROUGH = new Set(['Reshape', 'Flatten', 'Permute', 'Dropout', 'SpatialDropout1D', 'NFDropout']);

/**
 * The activation that produced the model's (first) output, looking through reshapes and dropout.
 * @example outputActivation(compileGraph(analyzeGraph(lenet.graph)).model) // 'softmax'
 */
export function outputActivation(model: tf.LayersModel): OutputActivation {
  let t: tf.SymbolicTensor | undefined = model.outputs[0];
  while (t) {
    const layer = t.sourceLayer;
    const activation = (layer.getConfig() as { activation?: unknown }).activation;
    if (activation === 'softmax' || activation === 'sigmoid') return activation;
    if (!PASS_THROUGH.has(layer.getClassName()) || t.inputs.length !== 1) return 'linear';
    t = t.inputs[0];
  }
  return 'linear';
}

export type LossFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Scalar;

const meanOf = (t: tf.Tensor): tf.Scalar => tf.mean(t) as tf.Scalar;

/** Sparse losses take class ids (int32); the others take float targets. */
export const labelDtype = (loss: LossName): 'int32' | 'float32' =>
  loss === 'sparseCategoricalCrossentropy' || loss === 'nextTokenCrossentropy' ? 'int32' : 'float32';

/** log p over the last axis, [..., C]. */
function logProbabilities(yPred: tf.Tensor, output: OutputActivation): tf.Tensor {
  if (output === 'linear') return tf.logSoftmax(yPred);
  const p = tf.div(yPred, tf.sum(yPred, -1, true)); // Keras renormalises probabilities before the log
  return tf.log(tf.clipByValue(p, EPSILON, 1 - EPSILON));
}

/** Mean over positions of −log p(label); labels are ids with the prediction's shape minus its last axis. */
function sparseCrossentropy(yTrue: tf.Tensor, yPred: tf.Tensor, output: OutputActivation): tf.Scalar {
  const classes = yPred.shape.at(-1)!;
  const logp = tf.reshape(logProbabilities(yPred, output), [-1, classes]); // (positions, C)
  const ids = tf.reshape(tf.cast(yTrue, 'int32'), [-1]); // (positions)
  return tf.neg(meanOf(tf.sum(tf.mul(tf.oneHot(ids, classes), logp), -1)));
}

/**
 * The loss function for `name`, given what the output layer emits.
 * nextTokenCrossentropy: the model emits [B, T, V] scores and the labels [B, T] are already the
 * NEXT tokens (labels[b, t] = token t + 1 of the text, shifted by the dataset), so every position
 * is scored, as in nanoGPT.
 * @example const loss = makeLoss('sparseCategoricalCrossentropy', outputActivation(model)); loss(yIds, model.predict(x))
 */
export function makeLoss(name: LossName, output: OutputActivation): LossFn {
  switch (name) {
    case 'sparseCategoricalCrossentropy':
    case 'nextTokenCrossentropy':
      return (y, p) => sparseCrossentropy(y, p, output);
    case 'categoricalCrossentropy':
      return (y, p) => {
        const logp = logProbabilities(p, output);
        return tf.neg(meanOf(tf.sum(tf.mul(tf.reshape(y, p.shape), logp), -1)));
      };
    case 'binaryCrossentropy':
      return (y, p) => {
        const t = tf.reshape(y, p.shape);
        if (output === 'linear') {
          // max(z, 0) − z·y + log(1 + e^−|z|): exact for any logit z, no overflow.
          return meanOf(tf.add(tf.sub(tf.relu(p), tf.mul(p, t)), tf.log1p(tf.exp(tf.neg(tf.abs(p))))));
        }
        const q = tf.clipByValue(p, EPSILON, 1 - EPSILON);
        return tf.neg(meanOf(tf.add(tf.mul(t, tf.log(q)), tf.mul(tf.sub(1, t), tf.log(tf.sub(1, q))))));
      };
    case 'meanSquaredError':
      return (y, p) => meanOf(tf.square(tf.sub(tf.reshape(y, p.shape), p)));
    case 'meanAbsoluteError':
      return (y, p) => meanOf(tf.abs(tf.sub(tf.reshape(y, p.shape), p)));
    case 'huber':
      return (y, p) => {
        const a = tf.abs(tf.sub(tf.reshape(y, p.shape), p));
        const quadratic = tf.minimum(a, HUBER_DELTA);
        return meanOf(tf.add(tf.mul(0.5, tf.square(quadratic)), tf.mul(HUBER_DELTA, tf.sub(a, quadratic))));
      };
    default: {
      const never: never = name;
      throw new Error(`unknown loss ${String(never)}`);
    }
  }
}

const size = (shape: readonly number[]): number => shape.reduce((p, d) => p * d, 1);
const fmt = (s: readonly (number | null)[]): string => `[${s.map((d) => (d === null ? 'null' : d)).join(',')}]`;
const sameDims = (a: readonly (number | null)[], b: readonly number[]): boolean => a.length === b.length && a.every((d, i) => d === null || d === b[i]);

/**
 * Whether labels of this shape fit the loss and the model's output shape ([null, …]); a
 * sentence for a person, or null. Class ids are also checked against the number of classes.
 */
export function labelProblem(loss: LossName, outputShape: readonly (number | null)[], y: Column): string | null {
  const out = outputShape.slice(1);
  const lastDim = out.at(-1) ?? null;
  switch (loss) {
    case 'sparseCategoricalCrossentropy':
    case 'nextTokenCrossentropy': {
      const positions = out.slice(0, -1);
      if (loss === 'nextTokenCrossentropy' && out.length !== 2)
        return `nextTokenCrossentropy needs a model output of [batch, steps, vocabulary]; this model outputs ${fmt(outputShape)}`;
      const ok = sameDims(positions, y.shape) || (y.shape.at(-1) === 1 && sameDims(positions, y.shape.slice(0, -1)));
      if (out.length === 0 || !ok)
        return `${loss} needs one class id per position, labels of shape ${fmt([null, ...positions])}; the dataset's labels are ${fmt([null, ...y.shape])}`;
      if (lastDim !== null) {
        for (let i = 0; i < y.values.length; i++) {
          const v = y.values[i]!;
          if (!Number.isInteger(v) || v < 0 || v >= lastDim)
            return `label ${v} (sample ${Math.floor(i / Math.max(1, size(y.shape)))}) is not a class id in 0…${lastDim - 1}: the output has ${lastDim} classes`;
        }
      }
      return null;
    }
    case 'categoricalCrossentropy':
      return sameDims(out, y.shape) ? null : `categoricalCrossentropy needs one-hot labels shaped like the output, ${fmt(outputShape)}; the dataset's labels are ${fmt([null, ...y.shape])} (use sparseCategoricalCrossentropy for class ids)`;
    case 'binaryCrossentropy':
    case 'meanSquaredError':
    case 'meanAbsoluteError':
    case 'huber':
      if (out.some((d) => d === null)) return null;
      return size(out as number[]) === size(y.shape) ? null : `${loss} needs labels with as many values as the output ${fmt(outputShape)}; the dataset's labels are ${fmt([null, ...y.shape])}`;
    default: {
      const never: never = loss;
      throw new Error(`unknown loss ${String(never)}`);
    }
  }
}
