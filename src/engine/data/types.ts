// In-memory datasets as the training loop consumes them: flat typed arrays plus per-sample
// shapes. Parsers (MNIST, CSV, images, text, synthetic) all produce this; storage persists
// it; the trainer slices batches from it without copying the whole thing.
import type { DecodeReport } from '../eval/dataset-checks.js';

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
  /** How raw values became `x`/`y` (statistics, categories, vocabulary), for export and inference. */
  readonly preprocessing?: Preprocessing;
  /** Entries an import left out on purpose, by name (training also lists images it could not decode here, see load-run-data.ts). */
  readonly skipped?: readonly SkippedEntry[];
  /** Images only, when loaded with `onUndecodable: 'skip'`: the files that could not be decoded and were left out. */
  readonly decodeReport?: DecodeReport;
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

/** A file that an import left out on purpose (not an image, a dotfile, …), reported by name. */
export interface SkippedEntry {
  readonly path: string;
  readonly reason: string;
}

/**
 * How one table column became features. Numeric columns are standardised with the TRAINING
 * split's statistics, `(v − mean) / std` (population std; 1 when a column is constant), and a
 * missing value becomes the mean (so 0). One-hot columns emit `categories.length` features in
 * that order; a value not seen in training encodes as all zeros.
 */
export type FeatureEncoding =
  | { readonly kind: 'numeric'; readonly column: string; readonly mean: number; readonly std: number }
  | { readonly kind: 'one-hot'; readonly column: string; readonly categories: readonly string[] };

/** What turned a CSV table into `x` and `y`; export reuses it to preprocess new rows. */
export interface TablePreprocessing {
  readonly kind: 'table';
  /** In feature order; the feature vector is these encodings concatenated. */
  readonly features: readonly FeatureEncoding[];
  /** The label column: class ids (index into `Dataset.classes`) or a float target. */
  readonly label: { readonly column: string; readonly kind: 'class' | 'float' };
  /** Columns that produced no feature (entirely empty), by name. */
  readonly dropped: readonly string[];
}

/** Images: resized to [height, width] with `resize`, `channels` 1 = luminance, 3 = RGB, values v/255. */
export interface ImagePreprocessing {
  readonly kind: 'image';
  readonly height: number;
  readonly width: number;
  readonly channels: 1 | 3;
  readonly resize: 'area-or-bilinear';
}

/**
 * Text: tokens → ids through `vocab` (index = id; 0 = padding "<pad>", 1 = unknown "<unk>"),
 * padded/truncated to `length` (classification) or cut into windows of `length` (language modeling).
 */
export interface TextPreprocessing {
  readonly kind: 'text';
  readonly mode: 'classification' | 'language-modeling';
  readonly tokenizer: 'word' | 'char';
  readonly lowercase: boolean;
  readonly vocab: readonly string[];
  readonly length: number;
  readonly padding: 'pre' | 'post';
  readonly truncating: 'pre' | 'post';
}

export type Preprocessing = TablePreprocessing | ImagePreprocessing | TextPreprocessing;
