// Per-column statistics of a raw table (CSV cells as strings) for the dataset explorer: a type
// per column, missing and distinct counts, numeric summaries with a histogram, top categories.
// Computed from the cells as written, before any encoding the loader applies.
import { MISSING_TOKENS, parseNumber } from '../data/table.js';
import { EvalInputError, checkCount } from './input.js';

export interface Histogram {
  /** bins + 1 ascending edges from min to max; every bin is [lo, hi) except the last, [lo, hi] (numpy.histogram). */
  readonly edges: Float64Array;
  readonly counts: Int32Array;
}

interface ColumnBase {
  readonly name: string;
  /** Rows with a value in this column (missing ones excluded). */
  readonly count: number;
  /** Empty or a missing token ("", NA, N/A, NaN, nan, null, NULL, ?) after trimming, or no cell at all. */
  readonly missing: number;
}

export type ColumnStats =
  | (ColumnBase & {
      readonly kind: 'number';
      readonly distinct: number;
      readonly min: number;
      readonly max: number;
      readonly mean: number;
      /** Sample standard deviation (N − 1; pandas' describe, `statistics.stdev`); 0 for one value. */
      readonly std: number;
      /** 25th, 50th and 75th percentiles, linear interpolation between order statistics (numpy's default). */
      readonly quartiles: readonly [number, number, number];
      readonly histogram: Histogram;
    })
  | (ColumnBase & {
      readonly kind: 'category';
      readonly distinct: number;
      /** Most frequent values (trimmed), by count descending, then value ascending. */
      readonly top: readonly { readonly value: string; readonly count: number }[];
    })
  | (ColumnBase & { readonly kind: 'empty' });

export interface ColumnStatsOptions {
  /** Histogram bins for number columns. Default 10. */
  readonly bins?: number;
  /** How many top values a category column lists. Default 5. */
  readonly top?: number;
}

const isMissing = (cell: string | undefined) => cell === undefined || MISSING_TOKENS.includes(cell.trim());

/** Percentile q ∈ [0, 1] of ascending values, numpy's "linear" method. */
export function quantileSorted(sorted: Float64Array, q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** numpy.histogram(values, bins) over [min, max]; a constant column puts everything in one bin around the value (±0.5, as numpy does). */
export function histogram(sorted: Float64Array, bins: number): Histogram {
  let lo = sorted[0]!;
  let hi = sorted[sorted.length - 1]!;
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  const edges = Float64Array.from({ length: bins + 1 }, (_, k) => lo + ((hi - lo) * k) / bins);
  const counts = new Int32Array(bins);
  for (const v of sorted) {
    let b = Math.floor(((v - lo) / (hi - lo)) * bins);
    if (b >= bins) b = bins - 1;
    // Floating-point edges: move to the bin whose [edge, next edge) really holds v.
    while (b > 0 && v < edges[b]!) b--;
    while (b < bins - 1 && v >= edges[b + 1]!) b++;
    counts[b]!++;
  }
  return { edges, counts };
}

function numberStats(name: string, values: Float64Array, missing: number, bins: number): ColumnStats {
  const sorted = values.slice().sort();
  const n = sorted.length;
  let sum = 0;
  for (const v of sorted) sum += v;
  const mean = sum / n;
  let ss = 0;
  for (const v of sorted) ss += (v - mean) ** 2;
  let distinct = 0;
  for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct++;
  return {
    kind: 'number',
    name,
    count: n,
    missing,
    distinct,
    min: sorted[0]!,
    max: sorted[n - 1]!,
    mean,
    std: n > 1 ? Math.sqrt(ss / (n - 1)) : 0,
    quartiles: [quantileSorted(sorted, 0.25), quantileSorted(sorted, 0.5), quantileSorted(sorted, 0.75)],
    histogram: histogram(sorted, bins),
  };
}

function categoryStats(name: string, cells: readonly string[], missing: number, top: number): ColumnStats {
  const counts = new Map<string, number>();
  for (const c of cells) counts.set(c, (counts.get(c) ?? 0) + 1);
  const ranked = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return { kind: 'category', name, count: cells.length, missing, distinct: counts.size, top: ranked.slice(0, top).map(([value, count]) => ({ value, count })) };
}

/**
 * Statistics of every column of a raw table. A column is a number column when every present
 * cell parses as a plain decimal number (the loader's rule), a category column otherwise, and
 * empty when no row has a value. A row shorter than the header counts as missing there.
 * @example
 * columnStats(['x', 'y'], [['1', 'a'], ['3', 'b'], ['', 'a']])
 * // [{ kind: 'number', name: 'x', count: 2, missing: 1, mean: 2, … }, { kind: 'category', name: 'y', top: [{ value: 'a', count: 2 }, …] }]
 */
export function columnStats(header: readonly string[], rows: readonly (readonly string[])[], options: ColumnStatsOptions = {}): ColumnStats[] {
  const bins = options.bins ?? 10;
  const top = options.top ?? 5;
  checkCount(bins, 1, 'bins');
  checkCount(top, 0, 'top');
  const seen = new Set<string>();
  header.forEach((h, j) => {
    if (seen.has(h)) throw new EvalInputError(`column "${h}" appears twice (columns ${header.indexOf(h) + 1} and ${j + 1})`, 'header');
    seen.add(h);
  });
  return header.map((name, j) => {
    const present: string[] = [];
    for (const row of rows) {
      const cell = row[j];
      if (!isMissing(cell)) present.push(cell!.trim());
    }
    const missing = rows.length - present.length;
    if (present.length === 0) return { kind: 'empty', name, count: 0, missing };
    const numbers = new Float64Array(present.length);
    for (let i = 0; i < present.length; i++) {
      const v = parseNumber(present[i]!);
      if (v === null || !Number.isFinite(v)) return categoryStats(name, present, missing, top);
      numbers[i] = v;
    }
    return numberStats(name, numbers, missing, bins);
  });
}
