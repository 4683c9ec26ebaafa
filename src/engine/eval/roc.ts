// One-vs-rest ROC curves and areas under them, defined as scikit-learn's roc_curve and
// roc_auc_score(multi_class="ovr"): one threshold per distinct score (tied scores move the
// curve diagonally in one step), area by the trapezoid rule, macro and support-weighted means.
import { checkCount, checkFinite, checkLabels, checkLength } from './input.js';

export interface RocCurve {
  /** False- and true-positive rates, from (0, 0) to (1, 1); NaN when a class has no negatives / no positives. */
  readonly fpr: Float64Array;
  readonly tpr: Float64Array;
  /** thresholds[k]: a sample counts as positive when score ≥ it; thresholds[0] = +Infinity (the (0, 0) point). */
  readonly thresholds: Float64Array;
}

export interface ClassRoc {
  readonly curve: RocCurve;
  /** Area under the curve; null when the class has no positives or no negatives (undefined). */
  readonly auc: number | null;
  readonly positives: number;
}

export interface RocReport {
  readonly perClass: readonly ClassRoc[];
  /** Mean of the defined per-class AUCs (null if none is defined). */
  readonly macroAuc: number | null;
  /** Mean of the defined per-class AUCs weighted by positives (null if none is defined). */
  readonly weightedAuc: number | null;
}

export interface RocOptions {
  /**
   * Drop points that lie on a straight line between their neighbours (sklearn's default,
   * drop_intermediate=True). Default false: keep one point per distinct score.
   */
  readonly dropIntermediate?: boolean;
}

/**
 * ROC curve of a binary problem: `positive[i]` says whether sample i is positive, `scores[i]` how
 * strongly it is predicted positive.
 * @example rocCurve(Uint8Array.of(0, 0, 1, 1), Float64Array.of(0.1, 0.4, 0.35, 0.8)).tpr // [0, 0.5, 0.5, 1, 1]
 */
export function rocCurve(positive: ArrayLike<number>, scores: ArrayLike<number>, options: RocOptions = {}): RocCurve {
  checkLength(scores, positive.length, 'scores', 'the number of samples');
  checkFinite(scores, 'scores');
  const n = scores.length;
  // Descending score; equal scores form one step, so their order does not matter.
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  let tps = [0];
  let fps = [0];
  let thr = [Infinity];
  let tp = 0;
  for (let k = 0; k < n; k++) {
    if (positive[order[k]!]) tp++;
    if (k === n - 1 || scores[order[k + 1]!]! !== scores[order[k]!]!) {
      tps.push(tp);
      fps.push(k + 1 - tp);
      thr.push(scores[order[k]!]!);
    }
  }
  if (options.dropIntermediate && tps.length > 3) {
    // sklearn keeps the first and last score points and every point where the second difference
    // of fps or tps is non-zero (a turn); the (0, 0) point is added after, so it is not a neighbour.
    const keep = tps.map((_, i) => i <= 1 || i === tps.length - 1 || fps[i + 1]! - 2 * fps[i]! + fps[i - 1]! !== 0 || tps[i + 1]! - 2 * tps[i]! + tps[i - 1]! !== 0);
    tps = tps.filter((_, i) => keep[i]);
    fps = fps.filter((_, i) => keep[i]);
    thr = thr.filter((_, i) => keep[i]);
  }
  const P = tps[tps.length - 1]!;
  const N = fps[fps.length - 1]!;
  return {
    fpr: Float64Array.from(fps, (f) => (N > 0 ? f / N : NaN)),
    tpr: Float64Array.from(tps, (t) => (P > 0 ? t / P : NaN)),
    thresholds: Float64Array.from(thr),
  };
}

/** Area under a curve by the trapezoid rule (x must be non-decreasing, as an ROC's fpr is). */
export function trapezoid(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let area = 0;
  for (let i = 1; i < x.length; i++) area += ((x[i]! - x[i - 1]!) * (y[i]! + y[i - 1]!)) / 2;
  return area;
}

/**
 * One-vs-rest ROC of every class: class c's scores are column c of `probs` (N×C row-major).
 * For C = 2, class 1's AUC is sklearn's binary roc_auc_score(labels, probs[:, 1]).
 * @example rocReport(Int32Array.of(0, 1, 2, 2), probs, 3).macroAuc
 */
export function rocReport(labels: Int32Array, probs: Float32Array, classes: number, options: RocOptions = {}): RocReport {
  checkCount(classes, 2, 'classes');
  checkCount(labels.length, 1, 'labels (sample count)');
  checkLength(probs, labels.length * classes, 'probs', `samples × classes (${labels.length} × ${classes})`);
  checkLabels(labels, classes, 'labels');
  checkFinite(probs, 'probs');
  const n = labels.length;
  const perClass = Array.from({ length: classes }, (_, c): ClassRoc => {
    const positive = Uint8Array.from(labels, (y) => (y === c ? 1 : 0));
    const scores = Float64Array.from({ length: n }, (_, i) => probs[i * classes + c]!);
    const curve = rocCurve(positive, scores, options);
    const positives = positive.reduce((a, b) => a + b, 0);
    const defined = positives > 0 && positives < n;
    return { curve, auc: defined ? trapezoid(curve.fpr, curve.tpr) : null, positives };
  });
  const defined = perClass.filter((r) => r.auc !== null);
  if (defined.length === 0) return { perClass, macroAuc: null, weightedAuc: null };
  const total = defined.reduce((s, r) => s + r.positives, 0);
  return {
    perClass,
    macroAuc: defined.reduce((s, r) => s + r.auc!, 0) / defined.length,
    weightedAuc: defined.reduce((s, r) => s + r.auc! * r.positives, 0) / total,
  };
}
