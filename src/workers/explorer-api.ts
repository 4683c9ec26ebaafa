// The one contract between the page and the dataset-explorer worker (comlink). The worker
// implements ExplorerApi; the page imports this file for its types only. Everything is
// structured-clonable plain data; replies never reject: failures are {ok: false, error}.
import type { ColumnStats } from '../engine/eval/column-stats.js';
import type { ClassBalance, DecodeReport, SplitDistribution, SplitName } from '../engine/eval/dataset-checks.js';
import type { DatasetTask, SkippedEntry } from '../engine/data/types.js';
import type { DatasetRequest, WireError } from './trainer-api.js';

export type { SplitName, WireError };

/** Identifies one opened dataset in the worker; requests naming a closed one fail. */
export type ExploreSessionId = string & { readonly __brand: 'ExploreSessionId' };

export interface ExploreOptions {
  /** The project's training seed: the loader's train/test split and the validation carve use it (default 0). */
  readonly seed?: number;
  /** The project's validationSplit, carved from train as training does (default 0.1). */
  readonly validationSplit?: number;
  /** Side of the square previews kept images are loaded at (default 32; MNIST keeps 28×28). */
  readonly imageSize?: number;
}

/** How the samples can be shown: pixels, text snippets or raw table rows. */
export type ExploreKind = 'image' | 'text' | 'table';

export interface ExploreSummary {
  readonly session: ExploreSessionId;
  readonly name: string;
  readonly kind: ExploreKind;
  readonly task: DatasetTask;
  /** Class names by id; null without classes (regression, a corpus). */
  readonly classes: readonly string[] | null;
  readonly counts: Readonly<Record<SplitName, number>>;
  /** Over all splits; null without classes. */
  readonly balance: ClassBalance | null;
  readonly splits: SplitDistribution | null;
  /** Image sets: the files that failed to decode (loaded with onUndecodable 'skip'); null otherwise. */
  readonly decode: DecodeReport | null;
  /** Files the import left out on purpose (not images, dotfiles). */
  readonly skipped: readonly SkippedEntry[];
  /** Tables: statistics of every raw column; null otherwise. */
  readonly columns: readonly ColumnStats[] | null;
  /** Images: the preview size. */
  readonly image: { readonly height: number; readonly width: number; readonly channels: number } | null;
  /** Tables: the raw header (row previews are in this order). */
  readonly header: readonly string[] | null;
}

/** One sample as the page shows it; `index` is the sample's place in the explorer (stable per session). */
export type SamplePreview =
  | { readonly kind: 'image'; readonly index: number; readonly split: SplitName; readonly label: number | null; readonly width: number; readonly height: number; readonly rgba: Uint8ClampedArray }
  | { readonly kind: 'text'; readonly index: number; readonly split: SplitName; readonly label: number | null; readonly text: string }
  | { readonly kind: 'row'; readonly index: number; readonly split: SplitName; readonly label: number | null; readonly cells: readonly string[] };

export interface SampleQuery {
  /** 'all' or one split. */
  readonly split: SplitName | 'all';
  /** Class ids to keep; empty keeps every class. */
  readonly classes: readonly number[];
  /** Text and rows: keep samples containing this word (case-insensitive); empty keeps all. */
  readonly search?: string;
  readonly offset: number;
  /** At most 200. */
  readonly limit: number;
}

export interface SamplePage {
  /** Samples matching the query (all pages). */
  readonly total: number;
  readonly items: readonly SamplePreview[];
}

export interface DuplicateGroupView {
  readonly members: readonly number[];
  /** The split of each member, in the same order. */
  readonly splits: readonly SplitName[];
  /** Members in more than one split: leakage (a test or validation sample also trained on). */
  readonly crossesSplits: boolean;
}

export interface DuplicateFinding {
  /** Groups found (all), and samples in them. */
  readonly groupCount: number;
  readonly sampleCount: number;
  /** Groups that cross splits. */
  readonly crossSplitCount: number;
  /** Cross-split groups first, then the largest; at most 40. */
  readonly groups: readonly DuplicateGroupView[];
}

export interface QualityReport {
  /** Identical pixels, texts equal after normalisation, or raw rows equal cell by cell. */
  readonly exact: DuplicateFinding;
  /** Images only (dHash + thumbnail correlation); null for text and tables. */
  readonly near: DuplicateFinding | null;
  readonly ms: number;
}

export type QualityProgress = { readonly phase: 'exact' | 'near'; readonly samples: number };

export type Reply<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: WireError };

export interface ExplorerApi {
  /** Loads a dataset (built-in MNIST or a kept one) and summarises it. */
  open(request: DatasetRequest, options: ExploreOptions): Promise<Reply<ExploreSummary>>;
  /** One page of samples matching `query`. */
  samples(session: ExploreSessionId, query: SampleQuery): Promise<Reply<SamplePage>>;
  /** The samples at these indices (duplicate groups' thumbnails), at most 200. */
  pick(session: ExploreSessionId, indices: readonly number[]): Promise<Reply<readonly SamplePreview[]>>;
  /** Exact and near duplicates, with leakage across splits; `onProgress` is a comlink proxy. */
  quality(session: ExploreSessionId, onProgress?: (p: QualityProgress) => void): Promise<Reply<QualityReport>>;
  /** Frees a session's data. */
  close(session: ExploreSessionId): Promise<void>;
}
