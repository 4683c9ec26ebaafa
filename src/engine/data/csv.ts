// Tabular CSV → Dataset, in memory: parse, check, split (seeded, stratified by class), fit
// the encoding on the training rows, encode both splits. Bigger files: streamCsv (stream.ts).
import { DatasetError, type Dataset, type Split } from './types.js';
import { checkSize, DEFAULT_MAX_BYTES, parseCsvText, type Records } from './csv-parse.js';
import { floatColumn, intColumn, makeSplit, stratifiedIndices } from './split.js';
import { labelKind, parseNumber, TableFitter, type TableEncoder, type TableOptions } from './table.js';
import { strFromU8 } from 'fflate';

export interface CsvOptions extends TableOptions {
  /** Held-out test fraction, stratified by class for classification. Default 0.2; 0 → no test split. */
  readonly testFraction?: number;
  /** Seeds the split. Default 1. */
  readonly seed?: number;
  /** Refuse files bigger than this before parsing. Default 64 MiB. */
  readonly maxBytes?: number;
  /** Field delimiter; detected from the header line when omitted. */
  readonly delimiter?: string;
  /** Name used in messages and as Dataset.name ("file:<name>"). Default "data.csv". */
  readonly fileName?: string;
}

/** Checks a test fraction option. */
export function checkTestFraction(f: number, where: string): number {
  if (!(f >= 0 && f < 1)) throw new DatasetError(`testFraction must be in [0, 1), got ${f}`, where);
  return f;
}

/** Encodes the rows at `indices` into a Split. */
export function encodeRows(records: Records, indices: ArrayLike<number>, enc: TableEncoder): Split {
  const n = indices.length;
  const x = new Float32Array(n * enc.width); // (n, width)
  const classes = enc.classes !== null;
  const yi = new Int32Array(classes ? n : 0);
  const yf = new Float32Array(classes ? 0 : n);
  for (let i = 0; i < n; i++) {
    const r = indices[i]!;
    const row = records.rows[r]!;
    const rowNumber = records.rowNumbers[r]!;
    enc.encode(row, rowNumber, x, i * enc.width);
    if (classes) yi[i] = enc.label(row, rowNumber);
    else yf[i] = enc.label(row, rowNumber);
  }
  return makeSplit(floatColumn(x, [enc.width]), classes ? intColumn(yi, []) : floatColumn(yf, [1]), n);
}

/**
 * Builds a Dataset from parsed records (used by {@link loadCsv} and Iris).
 *
 * @example
 * const ds = tableDataset(parseCsvText(text, 'a.csv'), { label: 'y' }, 'a.csv');
 */
export function tableDataset(records: Records, options: CsvOptions, where: string): Dataset {
  const fitter = new TableFitter(records.header, options, where);
  const n = records.rows.length;
  // Label cells first: they decide the task and stratify the split.
  const labels = records.rows.map((row, i) => fitter.check(row, records.rowNumbers[i]!));
  const kind = labelKind(options.task, labels.every((l) => parseNumber(l) !== null));
  let keys: Int32Array | null = null;
  if (kind === 'class') {
    const ids = new Map<string, number>();
    keys = Int32Array.from(labels, (l) => ids.get(l) ?? (ids.set(l, ids.size), ids.size - 1));
  }
  const testFraction = checkTestFraction(options.testFraction ?? 0.2, where);
  const [trainIdx, testIdx] = stratifiedIndices(keys, n, [1 - testFraction, testFraction], options.seed ?? 1);
  const isTrain = new Uint8Array(n);
  trainIdx!.forEach((i) => (isTrain[i] = 1));
  records.rows.forEach((row, i) => fitter.add(row, records.rowNumbers[i]!, isTrain[i] === 1));
  const enc = fitter.finish();
  return {
    name: `file:${where}`,
    task: enc.classes ? 'classification' : 'regression',
    ...(enc.classes ? { classes: enc.classes } : {}),
    train: encodeRows(records, trainIdx!, enc),
    test: testFraction > 0 ? encodeRows(records, testIdx!, enc) : null,
    preprocessing: enc.preprocessing,
  };
}

/**
 * Loads a CSV table. The size cap is checked before anything is decoded; every problem is a
 * DatasetError naming the row and column, and nothing partial is ever returned.
 *
 * Conventions: features are the non-label columns in header order; numeric ones are
 * standardised with the training split's mean/std (returned in `preprocessing`), categorical
 * ones one-hot encoded (categories of the training split, sorted); the label becomes a class
 * id (classes sorted, numerically when all are numbers) or a float [1] for regression.
 *
 * @example
 * const ds = loadCsv(bytes, { label: 'species', fileName: 'iris.csv' });
 * ds.preprocessing; // { kind: 'table', features: [{ kind: 'numeric', column: 'sepal_length', mean, std }, …] }
 */
export function loadCsv(bytes: Uint8Array, options: CsvOptions): Dataset {
  const where = options.fileName ?? 'data.csv';
  checkSize(bytes, options.maxBytes ?? DEFAULT_MAX_BYTES, where);
  return tableDataset(parseCsvText(strFromU8(bytes), where, options.delimiter), options, where);
}

/** {@link loadCsv} for text already in memory (the size cap counts UTF-16 code units × 1). */
export function loadCsvText(text: string, options: CsvOptions): Dataset {
  const where = options.fileName ?? 'data.csv';
  if (text.length > (options.maxBytes ?? DEFAULT_MAX_BYTES)) throw new DatasetError(`the text is over the ${options.maxBytes ?? DEFAULT_MAX_BYTES}-character limit`, where);
  return tableDataset(parseCsvText(text, where, options.delimiter), options, where);
}
