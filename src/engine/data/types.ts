// In-memory datasets as the training loop consumes them: flat typed arrays plus per-sample
// shapes. Parsers (MNIST, CSV, images, text, synthetic) all produce this; storage persists
// it; the trainer slices batches from it without copying the whole thing.

/** N samples of one tensor, stored flat: sample i occupies [i·size, (i+1)·size). */
export interface Column {
  readonly values: Float32Array | Int32Array;
  /** Shape of one sample (no batch dimension); [] for a scalar label. */
  readonly shape: readonly number[];
  readonly dtype: 'float32' | 'int32';
}

export interface Split {
  readonly x: Column;
  readonly y: Column;
  readonly count: number;
}

export type DatasetTask = 'classification' | 'regression' | 'language-modeling' | 'segmentation';

export interface Dataset {
  /** Stable name, e.g. "mnist" or "file:data.csv". */
  readonly name: string;
  readonly task: DatasetTask;
  /** Class names, index = label id (classification only). */
  readonly classes?: readonly string[];
  /** Training data; validation is carved from it by the trainer's validationSplit. */
  readonly train: Split;
  /** Held-out test data, never trained on; null when the source has none. */
  readonly test: Split | null;
}

/** A dataset problem a person can fix: what is wrong and where (row, column, file). */
export class DatasetError extends Error {
  constructor(
    message: string,
    readonly where: string | null = null,
  ) {
    super(where ? `${where}: ${message}` : message);
    this.name = 'DatasetError';
  }
}
