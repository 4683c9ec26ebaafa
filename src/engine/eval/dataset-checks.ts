// Dataset explorer checks that need no model: class balance with imbalance warnings, the class
// distribution of each split, and the report type for files an import could not decode.
// Duplicate detection lives in duplicates.ts (exact) and image-hash.ts (near, images).
import { EvalInputError, checkCount, checkLabels } from './input.js';

/** A class whose share is below this fraction of the samples is "rare". */
export const RARE_CLASS_FRACTION = 0.01;
/** Largest / smallest class count above this ratio is "imbalanced". */
export const IMBALANCE_RATIO = 3;

export type BalanceWarning =
  | { readonly kind: 'empty-class'; readonly classId: number; readonly message: string }
  | { readonly kind: 'rare-class'; readonly classId: number; readonly fraction: number; readonly message: string }
  | { readonly kind: 'imbalanced'; readonly ratio: number; readonly largest: number; readonly smallest: number; readonly message: string };

export interface ClassBalance {
  readonly total: number;
  /** Samples per class id. */
  readonly counts: Int32Array;
  readonly fractions: Float64Array;
  /** Largest count / smallest non-zero count (1 for a single populated class). */
  readonly ratio: number;
  readonly warnings: readonly BalanceWarning[];
}

const pct = (f: number) => `${(100 * f).toFixed(f < 0.01 ? 2 : 1)} %`;

/**
 * Class counts and the warnings a person should see. The rule: a class with no sample is
 * `empty-class`; a class under 1 % of the samples is `rare-class`; largest/smallest non-empty
 * count > 3 is `imbalanced`.
 * @param names class names for messages (default "class <id>")
 * @example classBalance(Int32Array.of(0, 0, 0, 0, 1), 2).warnings[0].kind // 'imbalanced' (ratio 4)
 */
export function classBalance(labels: Int32Array, classes: number, names?: readonly string[]): ClassBalance {
  checkCount(classes, 1, 'classes');
  checkLabels(labels, classes, 'labels');
  const name = (c: number) => (names?.[c] !== undefined ? `"${names[c]}"` : `class ${c}`);
  const counts = new Int32Array(classes);
  for (const y of labels) counts[y]!++;
  const total = labels.length;
  const fractions = Float64Array.from(counts, (n) => (total ? n / total : 0));
  const warnings: BalanceWarning[] = [];
  let largest = 0;
  let smallest = -1;
  counts.forEach((n, c) => {
    if (n > counts[largest]!) largest = c;
    if (n > 0 && (smallest < 0 || n < counts[smallest]!)) smallest = c;
    if (n === 0) warnings.push({ kind: 'empty-class', classId: c, message: `${name(c)} has no samples` });
    else if (fractions[c]! < RARE_CLASS_FRACTION) {
      warnings.push({ kind: 'rare-class', classId: c, fraction: fractions[c]!, message: `${name(c)} has ${n} samples, ${pct(fractions[c]!)} of ${total} (under ${pct(RARE_CLASS_FRACTION)})` });
    }
  });
  const ratio = smallest < 0 ? 1 : counts[largest]! / counts[smallest]!;
  if (ratio > IMBALANCE_RATIO) {
    warnings.push({
      kind: 'imbalanced',
      ratio,
      largest,
      smallest,
      message: `classes are imbalanced: ${name(largest)} has ${counts[largest]} samples, ${name(smallest)} ${counts[smallest]} (${ratio.toFixed(1)}×, over ${IMBALANCE_RATIO}×); consider class weights or resampling`,
    });
  }
  return { total, counts, fractions, ratio, warnings };
}

export type SplitName = 'train' | 'validation' | 'test';

export interface SplitDistribution {
  readonly splits: readonly SplitName[];
  /** rows[c][s] = samples of class c in split s; fractions are of that split's total. */
  readonly counts: readonly Int32Array[];
  readonly fractions: readonly Float64Array[];
  readonly totals: Int32Array;
  /** Classes present in train but missing from another split, by split (what a person should fix). */
  readonly missing: readonly { readonly split: SplitName; readonly classId: number }[];
}

/**
 * The per-split class table of the split view.
 * @example splitDistribution({ train: Int32Array.of(0, 1, 1), test: Int32Array.of(1) }, 2).missing // [{ split: 'test', classId: 0 }]
 */
export function splitDistribution(labels: Partial<Record<SplitName, Int32Array>>, classes: number): SplitDistribution {
  checkCount(classes, 1, 'classes');
  const splits = (['train', 'validation', 'test'] as const).filter((s) => labels[s] !== undefined);
  if (splits.length === 0) throw new EvalInputError('no split given (expected train, validation and/or test labels)', 'labels');
  const counts = Array.from({ length: classes }, () => new Int32Array(splits.length));
  const totals = new Int32Array(splits.length);
  splits.forEach((s, j) => {
    const ys = labels[s]!;
    checkLabels(ys, classes, `labels.${s}`);
    for (const y of ys) counts[y]![j]!++;
    totals[j] = ys.length;
  });
  const fractions = counts.map((row) => Float64Array.from(row, (n, j) => (totals[j] ? n / totals[j]! : 0)));
  const trainAt = splits.indexOf('train');
  const missing = trainAt < 0 ? [] : splits.flatMap((s, j) => (j === trainAt ? [] : counts.flatMap((row, c) => (row[trainAt]! > 0 && row[j] === 0 ? [{ split: s, classId: c }] : []))));
  return { splits, counts, fractions, totals, missing };
}

/**
 * Files an import could not decode: `images.ts` with `onUndecodable: 'skip'` leaves them out
 * and attaches this report to the Dataset as `decodeReport` (see docs/evaluation.md).
 */
export interface DecodeFailure {
  readonly path: string;
  readonly stage: 'decode' | 'dimensions';
  /** The decoder's message, or what was wrong with the decoded size. */
  readonly reason: string;
}

export interface DecodeReport {
  /** Image files the import tried to decode. */
  readonly attempted: number;
  readonly failures: readonly DecodeFailure[];
}

/**
 * One line for the dataset explorer: "all 120 images decoded" or how many failed and the first.
 * @example decodeSummary({ attempted: 3, failures: [{ path: 'a/x.png', stage: 'decode', reason: 'bad header' }] })
 */
export function decodeSummary(report: DecodeReport): string {
  const n = report.failures.length;
  if (n === 0) return `all ${report.attempted} images decoded`;
  const first = report.failures[0]!;
  return `${n} of ${report.attempted} images could not be read; first: "${first.path}" (${first.stage === 'decode' ? 'decode failed' : 'bad size'}: ${first.reason})`;
}
