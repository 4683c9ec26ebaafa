// Scoring a split: the model's outputs in batches (each batch in a tidy, read back and freed),
// then turned into the task's report — class probabilities and labels for classification,
// targets and predictions for regression — with per-sample losses for the "worst" lists.
import type * as tf from '@tensorflow/tfjs';
import type { Split } from '../engine/data/index.js';
import { classificationReport, regressionReport, type ClassificationReport } from '../engine/eval/index.js';
import type { Tfjs } from '../engine/eval/activations.js';
import type { LossName } from '../engine/train/config.js';
import { HUBER_DELTA, type OutputActivation } from '../engine/train/losses.js';
import { EvalError } from './eval-errors.js';
import type { SessionScores } from './eval-session.js';

/** Samples per forward pass: enough to keep a GPU busy, few enough for large images. */
const MAX_BATCH_ELEMENTS = 1 << 21;
const MAX_BATCH = 256;

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Samples [from, to) of a split as one input tensor [n, ...inputShape] of the model's dtype. */
export function inputBatch(tfjs: Tfjs, split: Split, from: number, to: number, inputShape: readonly number[], dtype: 'float32' | 'int32'): tf.Tensor {
  const per = size(split.x.shape);
  if (per !== size(inputShape)) throw new EvalError('failed', `the samples have ${per} values each ([${split.x.shape.join(', ')}]), the model's input takes [${inputShape.join(', ')}]`);
  const slice = split.x.values.subarray(from * per, to * per);
  const values = dtype === 'int32' ? Int32Array.from(slice) : Float32Array.from(slice);
  return tfjs.tensor(values, [to - from, ...inputShape], dtype);
}

/** The model's (single) output for every sample, N × outputSize row-major, and one sample's output shape. */
export async function predictSplit(tfjs: Tfjs, model: tf.LayersModel, split: Split, inputShape: readonly number[], dtype: 'float32' | 'int32'): Promise<{ values: Float32Array; shape: number[] }> {
  const batch = Math.max(1, Math.min(MAX_BATCH, Math.floor(MAX_BATCH_ELEMENTS / Math.max(1, size(inputShape)))));
  let values: Float32Array | null = null;
  let shape: number[] = [];
  for (let from = 0; from < split.count; from += batch) {
    const to = Math.min(split.count, from + batch);
    const out = tfjs.tidy(() => model.predict(inputBatch(tfjs, split, from, to, inputShape, dtype)) as tf.Tensor);
    try {
      const data = await out.data();
      if (!values) {
        shape = out.shape.slice(1);
        values = new Float32Array(split.count * size(shape));
      }
      values.set(data, from * size(shape));
    } finally {
      out.dispose();
    }
  }
  return { values: values ?? new Float32Array(0), shape };
}

const softmaxRows = (v: Float32Array, c: number): Float32Array => {
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i += c) {
    let max = -Infinity;
    for (let k = 0; k < c; k++) max = Math.max(max, v[i + k]!);
    let sum = 0;
    for (let k = 0; k < c; k++) sum += out[i + k] = Math.exp(v[i + k]! - max);
    for (let k = 0; k < c; k++) out[i + k]! /= sum;
  }
  return out;
};

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Argmax of each row (lowest index wins a tie). */
function argmaxRows(v: ArrayLike<number>, c: number, n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) for (let k = 1; k < c; k++) if (v[i * c + k]! > v[i * c + out[i]!]!) out[i] = k;
  return out;
}

export interface ScoreInput {
  readonly loss: LossName;
  readonly output: OutputActivation;
  readonly split: Split;
  /** The model's outputs, N × size(outShape). */
  readonly values: Float32Array;
  readonly outShape: readonly number[];
  readonly classNames: readonly string[] | null;
}

/**
 * Class probabilities (N×C; a single sigmoid unit becomes [1 − p, p]; logits go through softmax
 * or sigmoid as the loss reads them), true class ids and the report.
 */
export function scoreClassification(s: ScoreInput): Extract<SessionScores, { task: 'classification' }> {
  const n = s.split.count;
  const outSize = size(s.outShape);
  if (s.outShape.length !== 1) throw new EvalError('unsupported-task', `the model outputs [${s.outShape.join(', ')}] per sample; evaluation scores one class prediction per sample (per-position outputs such as segmentation are not supported)`);
  let probs: Float32Array;
  let labels: Int32Array;
  const y = s.split.y.values;
  if (s.loss === 'binaryCrossentropy') {
    if (outSize !== 1) throw new EvalError('unsupported-task', `the model has ${outSize} sigmoid outputs (multi-label classification), which evaluation does not support yet`);
    probs = new Float32Array(2 * n);
    labels = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const p = s.output === 'linear' ? sigmoid(s.values[i]!) : s.values[i]!;
      probs[2 * i] = 1 - p;
      probs[2 * i + 1] = p;
      labels[i] = y[i]! >= 0.5 ? 1 : 0;
    }
  } else {
    if (outSize < 2) throw new EvalError('unsupported-task', `the model outputs ${outSize} value per sample; classification needs one score per class (at least 2)`);
    probs = s.output === 'linear' ? softmaxRows(s.values, outSize) : s.values;
    labels = s.loss === 'categoricalCrossentropy' ? argmaxRows(y, outSize, n) : Int32Array.from(y.subarray(0, n));
  }
  const classes = probs.length / n;
  const report: ClassificationReport = classificationReport(labels, probs, classes);
  const classNames = s.classNames && s.classNames.length === classes ? s.classNames : Array.from({ length: classes }, (_, c) => String(c));
  return { task: 'classification', classNames, labels, probs, report };
}

/** One sample's loss under the run's regression loss, averaged over its outputs. */
function sampleLoss(loss: LossName, actual: Float32Array, predicted: Float32Array, at: number, d: number): number {
  let sum = 0;
  for (let k = at; k < at + d; k++) {
    const e = Math.abs(actual[k]! - predicted[k]!);
    sum += loss === 'meanAbsoluteError' ? e : loss === 'huber' ? (e <= HUBER_DELTA ? 0.5 * e * e : HUBER_DELTA * (e - 0.5 * HUBER_DELTA)) : e * e;
  }
  return sum / d;
}

/** Targets, predictions, per-sample losses and the report of a regression model. */
export function scoreRegression(s: ScoreInput): Extract<SessionScores, { task: 'regression' }> {
  const n = s.split.count;
  const outputs = size(s.outShape);
  const ySize = size(s.split.y.shape);
  if (ySize !== outputs) throw new EvalError('failed', `the model outputs ${outputs} values per sample, the dataset's targets have ${ySize}`);
  const actual = Float32Array.from(s.split.y.values.subarray(0, n * outputs));
  const predicted = s.values;
  const losses = Float32Array.from({ length: n }, (_, i) => sampleLoss(s.loss, actual, predicted, i * outputs, outputs));
  return { task: 'regression', actual, predicted, outputs, losses, report: regressionReport(actual, predicted, outputs) };
}
