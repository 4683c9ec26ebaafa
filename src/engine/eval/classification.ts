// Classification metrics on a test split, from class ids and predicted probabilities: the
// confusion matrix (with the samples behind each cell), per-class precision/recall/F1, their
// macro and weighted averages, and per-sample losses to list the worst examples. Definitions
// follow scikit-learn's classification_report with labels=0…C−1 and zero_division="warn" (→ 0).
import { EvalInputError, checkCount, checkFinite, checkLabels, checkLength } from './input.js';

/** Counts by (true class, predicted class), row-major C×C, plus the samples behind each cell. */
export interface ConfusionMatrix {
  readonly classes: number;
  /** counts[t·C + p] = samples of true class t predicted as p. */
  readonly counts: Int32Array;
  /** cells[t·C + p] = those samples' indices, ascending (what a click on the cell shows). */
  readonly cells: readonly Int32Array[];
}

export interface ClassMetrics {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Samples whose true class is this one. */
  readonly support: number;
}

export interface AveragedMetrics {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

export interface ClassificationReport {
  readonly classes: number;
  readonly samples: number;
  readonly accuracy: number;
  /** Indexed by class id; classes absent from the labels are included (support 0). */
  readonly perClass: readonly ClassMetrics[];
  /** Unweighted mean over all C classes. */
  readonly macro: AveragedMetrics;
  /** Mean weighted by support. */
  readonly weighted: AveragedMetrics;
  readonly confusion: ConfusionMatrix;
  /** Argmax of each row of probs (the lowest class id wins a tie, as numpy's argmax). */
  readonly predicted: Int32Array;
  /** Cross-entropy of each sample, see {@link sampleLosses}. */
  readonly losses: Float32Array;
}

/** Probabilities are clamped to [LOSS_EPSILON, 1] before the log, as Keras does, so a loss is at most ≈ 16.1. */
export const LOSS_EPSILON = 1e-7;

function checkInputs(labels: Int32Array, probs: Float32Array, classes: number): void {
  checkCount(classes, 2, 'classes');
  checkCount(labels.length, 1, 'labels (sample count)');
  checkLength(probs, labels.length * classes, 'probs', `samples × classes (${labels.length} × ${classes})`);
  checkLabels(labels, classes, 'labels');
  checkFinite(probs, 'probs');
}

/**
 * Argmax per row of an N×C row-major matrix; ties go to the lowest class id.
 * @example predictedClasses(Float32Array.of(0.2, 0.8, 0.5, 0.5), 2) // Int32Array [1, 0]
 */
export function predictedClasses(probs: Float32Array, classes: number): Int32Array {
  checkCount(classes, 1, 'classes');
  if (probs.length % classes !== 0) throw new EvalInputError(`length ${probs.length} is not a multiple of ${classes} classes`, 'probs');
  const n = probs.length / classes;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (probs[i * classes + c]! > probs[i * classes + best]!) best = c;
    out[i] = best;
  }
  return out;
}

/**
 * Confusion matrix with rows = true class, columns = predicted class (sklearn's layout).
 * @example confusionMatrix(Int32Array.of(0, 1, 1), Int32Array.of(0, 0, 1), 2).counts // [1, 0, 1, 1]
 */
export function confusionMatrix(labels: Int32Array, predicted: Int32Array, classes: number): ConfusionMatrix {
  checkCount(classes, 1, 'classes');
  checkLength(predicted, labels.length, 'predicted', 'the number of labels');
  checkLabels(labels, classes, 'labels');
  checkLabels(predicted, classes, 'predicted');
  const counts = new Int32Array(classes * classes);
  for (let i = 0; i < labels.length; i++) counts[labels[i]! * classes + predicted[i]!]!++;
  const cells = Array.from(counts, (n) => new Int32Array(n));
  const filled = new Int32Array(classes * classes);
  for (let i = 0; i < labels.length; i++) {
    const k = labels[i]! * classes + predicted[i]!;
    cells[k]![filled[k]!++] = i;
  }
  return { classes, counts, cells };
}

const ratio = (num: number, den: number) => (den === 0 ? 0 : num / den); // sklearn zero_division="warn" → 0

/** Precision, recall, F1 and support per class from a confusion matrix. */
export function perClassMetrics(cm: ConfusionMatrix): ClassMetrics[] {
  const C = cm.classes;
  return Array.from({ length: C }, (_, c) => {
    let predictedAs = 0;
    let support = 0;
    for (let k = 0; k < C; k++) {
      predictedAs += cm.counts[k * C + c]!;
      support += cm.counts[c * C + k]!;
    }
    const tp = cm.counts[c * C + c]!;
    const precision = ratio(tp, predictedAs);
    const recall = ratio(tp, support);
    // sklearn computes F1 from the (zero-substituted) precision and recall.
    const f1 = ratio(2 * precision * recall, precision + recall);
    return { precision, recall, f1, support };
  });
}

function average(rows: readonly ClassMetrics[], weights: readonly number[]): AveragedMetrics {
  const total = weights.reduce((a, b) => a + b, 0);
  const mean = (pick: (m: ClassMetrics) => number) => ratio(rows.reduce((s, m, i) => s + weights[i]! * pick(m), 0), total);
  return { precision: mean((m) => m.precision), recall: mean((m) => m.recall), f1: mean((m) => m.f1) };
}

/**
 * Cross-entropy per sample: −log(clamp(p[label], 1e-7, 1)). Rows are used as given (not renormalised).
 * @example sampleLosses(Int32Array.of(1), Float32Array.of(0.5, 0.5), 2)[0] // ≈ 0.693
 */
export function sampleLosses(labels: Int32Array, probs: Float32Array, classes: number): Float32Array {
  checkInputs(labels, probs, classes);
  return Float32Array.from(labels, (y, i) => -Math.log(Math.min(1, Math.max(LOSS_EPSILON, probs[i * classes + y]!))));
}

/**
 * Indices of the k largest losses, largest first; equal losses keep the lower index first.
 * @example worstK(Float32Array.of(0.1, 2, 0.5), 2) // Int32Array [1, 2]
 */
export function worstK(losses: Float32Array, k: number): Int32Array {
  checkCount(k, 0, 'k');
  checkFinite(losses, 'losses');
  const order = Array.from(losses.keys()).sort((a, b) => losses[b]! - losses[a]! || a - b);
  return Int32Array.from(order.slice(0, k));
}

/**
 * The full report for N samples of C classes.
 * @param labels true class ids, length N
 * @param probs predicted probabilities (or any scores: only their argmax and the label's entry are used), N×C row-major
 * @example
 * const r = classificationReport(Int32Array.of(0, 1, 1), Float32Array.of(0.9, 0.1, 0.6, 0.4, 0.2, 0.8), 2);
 * r.accuracy // 2/3; r.perClass[1].recall // 0.5; r.confusion.cells[1 * 2 + 0] // [1]
 */
export function classificationReport(labels: Int32Array, probs: Float32Array, classes: number): ClassificationReport {
  checkInputs(labels, probs, classes);
  const predicted = predictedClasses(probs, classes);
  const confusion = confusionMatrix(labels, predicted, classes);
  const perClass = perClassMetrics(confusion);
  let correct = 0;
  for (let c = 0; c < classes; c++) correct += confusion.counts[c * classes + c]!;
  return {
    classes,
    samples: labels.length,
    accuracy: correct / labels.length,
    perClass,
    macro: average(perClass, perClass.map(() => 1)),
    weighted: average(perClass, perClass.map((m) => m.support)),
    confusion,
    predicted,
    losses: sampleLosses(labels, probs, classes),
  };
}
