// Tables of strings (parsed CSV, Iris) → features and labels: column types, one-hot
// categories, standardisation fitted on the TRAINING rows only, label → class id or float.
// Incremental (add rows, then finish), so the in-memory and streaming CSV paths share it.
import { DatasetError, type FeatureEncoding, type TablePreprocessing } from './types.js';

export type ColumnType = 'numeric' | 'categorical' | 'ignore';

export interface TableOptions {
  /** The label column, by header name. */
  readonly label: string;
  /** Default: classification for a text label, regression for a numeric one. */
  readonly task?: 'classification' | 'regression';
  /** Overrides type detection per column (and "ignore" drops a column). */
  readonly columnTypes?: Readonly<Record<string, ColumnType>>;
  /** Most distinct values a one-hot column may have. Default 256. */
  readonly maxCategories?: number;
  /** Most classes a classification label may have. Default 1000. */
  readonly maxClasses?: number;
  /** Cell values read as missing (after trimming). Default MISSING_TOKENS. */
  readonly missing?: readonly string[];
}

/** Cells read as missing by default (after trimming whitespace). */
export const MISSING_TOKENS: readonly string[] = ['', 'NA', 'N/A', 'NaN', 'nan', 'null', 'NULL', '?'];

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The number a cell holds, or null for text. */
export function parseNumber(cell: string): number | null {
  const t = cell.trim();
  return NUMBER.test(t) ? Number(t) : null;
}

/** Deterministic category order: numerically when every value is a number, else by UTF-16 code units. */
export function sortCategories(values: Iterable<string>): string[] {
  const all = [...values];
  if (all.every((v) => parseNumber(v) !== null)) return all.sort((a, b) => parseNumber(a)! - parseNumber(b)! || (a < b ? -1 : a > b ? 1 : 0));
  return all.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** What a label column becomes: class ids when classification, else a float. */
export function labelKind(task: TableOptions['task'], labelIsNumeric: boolean): 'class' | 'float' {
  switch (task) {
    case 'classification':
      return 'class';
    case 'regression':
      return 'float';
    case undefined:
      return labelIsNumeric ? 'float' : 'class';
    default: {
      const never: never = task;
      throw new Error(`internal: task ${String(never)}`);
    }
  }
}

/** Per-column accumulator: type evidence over all rows, statistics over training rows. */
class ColumnStats {
  numbers = 0;
  texts = 0;
  firstText: { row: number; value: string } | null = null;
  firstNumber: { row: number; value: string } | null = null;
  // Welford's running mean and sum of squared deviations, training rows only.
  n = 0;
  mean = 0;
  m2 = 0;
  readonly categories = new Set<string>();
  overflow = false;

  constructor(
    readonly name: string,
    private readonly cap: number,
  ) {}

  add(cell: string, row: number, isTrain: boolean, trackAllCategories: boolean): void {
    const v = parseNumber(cell);
    if (v === null) {
      this.texts++;
      this.firstText ??= { row, value: cell };
    } else {
      this.numbers++;
      this.firstNumber ??= { row, value: cell };
      if (isTrain) {
        this.n++;
        const d = v - this.mean;
        this.mean += d / this.n;
        this.m2 += d * (v - this.mean);
      }
    }
    if ((isTrain || trackAllCategories) && !this.overflow) {
      this.categories.add(cell.trim());
      if (this.categories.size > this.cap) this.overflow = true;
    }
  }
}

/** Turns rows into feature vectors and labels with statistics fixed by {@link TableFitter.finish}. */
export interface TableEncoder {
  /** Features per row. */
  readonly width: number;
  readonly preprocessing: TablePreprocessing;
  /** Class names (index = id) when the label is a class; null for a float target. */
  readonly classes: readonly string[] | null;
  /** Writes row's features into x[offset, offset + width). */
  encode(row: readonly string[], rowNumber: number, x: Float32Array, offset: number): void;
  /** The row's class id or float target. */
  label(row: readonly string[], rowNumber: number): number;
}

/**
 * Learns a table's encoding from its rows: call {@link add} for every row (training and test,
 * each flagged), then {@link finish}. Checks each row as it comes: field count, missing label.
 *
 * @example
 * const f = new TableFitter(['x', 'y', 'kind'], { label: 'kind' }, 'data.csv');
 * f.add(['1', '2', 'a'], 2, true); f.add(['3', '4', 'b'], 3, false);
 * const enc = f.finish(); enc.width; // 2
 */
export class TableFitter {
  private readonly stats: ColumnStats[];
  private readonly labelIndex: number;
  private readonly missing: Set<string>;
  private trainRows = 0;

  constructor(
    readonly header: readonly string[],
    private readonly options: TableOptions,
    private readonly where: string,
  ) {
    this.labelIndex = header.indexOf(options.label);
    if (this.labelIndex < 0) {
      throw new DatasetError(`label column "${options.label}" does not exist; the columns are ${header.map((h) => `"${h}"`).join(', ')}`, where);
    }
    const dup = header.find((h, i) => header.indexOf(h) !== i);
    if (dup !== undefined) throw new DatasetError(`column name "${dup}" appears twice in the header`, where);
    for (const name of Object.keys(options.columnTypes ?? {})) {
      if (!header.includes(name)) throw new DatasetError(`columnTypes names "${name}", which is not a column`, where);
    }
    this.missing = new Set(options.missing ?? MISSING_TOKENS);
    const cap = Math.max(options.maxCategories ?? 256, options.maxClasses ?? 1000);
    this.stats = header.map((h) => new ColumnStats(h, cap));
  }

  /** Throws for a row with the wrong number of fields or without a label; returns the label cell. */
  check(row: readonly string[], rowNumber: number): string {
    if (row.length !== this.header.length) {
      throw new DatasetError(`row ${rowNumber} has ${row.length} field${row.length === 1 ? '' : 's'}, expected ${this.header.length}`, this.where);
    }
    const label = row[this.labelIndex]!;
    if (this.isMissing(label)) throw new DatasetError(`row ${rowNumber} has no value in the label column "${this.options.label}"`, this.where);
    return label.trim();
  }

  /** Checks and accounts for one row; `rowNumber` is what messages call it (the header is row 1). */
  add(row: readonly string[], rowNumber: number, isTrain: boolean): void {
    this.check(row, rowNumber);
    if (isTrain) this.trainRows++;
    row.forEach((cell, c) => {
      if (!this.isMissing(cell)) this.stats[c]!.add(cell, rowNumber, isTrain, c === this.labelIndex);
    });
  }

  private isMissing(cell: string): boolean {
    return this.missing.has(cell.trim());
  }

  private columnType(s: ColumnStats): ColumnType | 'empty' {
    const explicit = this.options.columnTypes?.[s.name];
    if (explicit === 'numeric' && s.firstText) {
      throw new DatasetError(`row ${s.firstText.row}, column "${s.name}": "${s.firstText.value}" is not a number (the column is set to numeric)`, this.where);
    }
    if (explicit) return explicit;
    if (s.numbers + s.texts === 0) return 'empty';
    if (s.texts === 0) return 'numeric';
    if (s.numbers > s.texts) {
      throw new DatasetError(
        `row ${s.firstText!.row}, column "${s.name}": "${s.firstText!.value}" is not a number, but ${s.numbers} of the column's ${s.numbers + s.texts} values are; ` +
          'fix the value, leave the cell empty for a missing value, or set the column type to categorical',
        this.where,
      );
    }
    return 'categorical';
  }

  /** Fixes types, statistics and categories; throws a DatasetError for any column it cannot encode. */
  finish(): TableEncoder {
    const { where, options } = this;
    if (this.trainRows === 0) throw new DatasetError('no training rows: the file has a header but no data', where);
    const labelStats = this.stats[this.labelIndex]!;
    const kind = labelKind(options.task, labelStats.texts === 0);
    let classes: string[] | null = null;
    if (kind === 'float' && labelStats.firstText) {
      throw new DatasetError(`row ${labelStats.firstText.row}, column "${options.label}": "${labelStats.firstText.value}" is not a number, but the task is regression`, where);
    }
    if (kind === 'class') {
      const maxClasses = options.maxClasses ?? 1000;
      if (labelStats.overflow || labelStats.categories.size > maxClasses) throw new DatasetError(`label column "${options.label}" has more than ${maxClasses} classes`, where);
      classes = sortCategories(labelStats.categories);
      if (classes.length < 2) throw new DatasetError(`label column "${options.label}" has only one class ("${classes[0]}"); a classifier needs at least two`, where);
    }
    const features: FeatureEncoding[] = [];
    const dropped: string[] = [];
    this.stats.forEach((s, c) => {
      if (c === this.labelIndex) return;
      const type = this.columnType(s);
      switch (type) {
        case 'ignore':
        case 'empty':
          dropped.push(s.name);
          return;
        case 'numeric': {
          const std = s.n > 0 ? Math.sqrt(s.m2 / s.n) : 0;
          features.push({ kind: 'numeric', column: s.name, mean: s.n > 0 ? s.mean : 0, std: std > 0 && Number.isFinite(std) ? std : 1 });
          return;
        }
        case 'categorical': {
          const max = options.maxCategories ?? 256;
          if (s.overflow || s.categories.size > max) {
            throw new DatasetError(
              `column "${s.name}" has more than ${max} distinct values; one-hot encoding it would add that many features — set its type to "ignore" or raise maxCategories`,
              where,
            );
          }
          features.push({ kind: 'one-hot', column: s.name, categories: sortCategories(s.categories) });
          return;
        }
        default: {
          const never: never = type;
          throw new Error(`internal: column type ${String(never)}`);
        }
      }
    });
    if (features.length === 0) throw new DatasetError('no feature columns left besides the label', where);
    return this.encoder(features, dropped, kind, classes);
  }

  private encoder(features: FeatureEncoding[], dropped: string[], kind: 'class' | 'float', classes: string[] | null): TableEncoder {
    const { header, where, labelIndex } = this;
    const columns = features.map((f) => header.indexOf(f.column));
    const maps = features.map((f) => (f.kind === 'one-hot' ? new Map(f.categories.map((c, i) => [c, i])) : null));
    const classIds = new Map((classes ?? []).map((c, i) => [c, i]));
    const width = features.reduce((w, f) => w + (f.kind === 'numeric' ? 1 : f.categories.length), 0);
    const isMissing = (cell: string) => this.isMissing(cell);
    return {
      width,
      classes,
      preprocessing: { kind: 'table', features, label: { column: this.options.label, kind }, dropped },
      encode(row, rowNumber, x, offset) {
        let o = offset;
        features.forEach((f, k) => {
          const cell = row[columns[k]!]!;
          if (f.kind === 'numeric') {
            const v = isMissing(cell) ? null : parseNumber(cell);
            if (v === null && !isMissing(cell)) throw new DatasetError(`row ${rowNumber}, column "${f.column}": "${cell}" is not a number`, where);
            x[o++] = v === null ? 0 : (v - f.mean) / f.std; // missing → the mean → 0
          } else {
            const n = f.categories.length;
            x.fill(0, o, o + n);
            const i = maps[k]!.get(cell.trim()); // missing or unseen in training → all zeros
            if (i !== undefined) x[o + i] = 1;
            o += n;
          }
        });
      },
      label(row, rowNumber) {
        const cell = row[labelIndex]!;
        const v = kind === 'class' ? classIds.get(cell.trim()) : parseNumber(cell);
        if (v === undefined || v === null) throw new DatasetError(`row ${rowNumber}, column "${header[labelIndex]}": unexpected label "${cell}"`, where);
        return v;
      },
    };
  }
}
