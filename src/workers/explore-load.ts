// Turns a dataset request into what the explorer works on: every sample once, with its class
// and split (train / validation / test, exactly as a training run with the same seed and
// validationSplit would see them), plus the raw form a person reads (pixels, text, table row).
import { strFromU8 } from 'fflate';
import { DatasetError, parseCsvText, stratifiedIndices, type Dataset, type LoadOptions, type Split } from '../engine/data/index.js';
import { classLabels } from '../engine/data/split.js';
import { sortCategories } from '../engine/data/table.js';
import { readTextRows } from '../engine/data/text.js';
import type { SplitName } from '../engine/eval/dataset-checks.js';
import type { DatasetId, DatasetRecord } from '../storage/types.js';
import type { ExploreKind, ExploreOptions } from './explorer-api.js';
import type { DatasetRequest } from './trainer-api.js';

export const SPLIT_NAMES: readonly SplitName[] = ['train', 'validation', 'test'];

/** What the explorer needs from its environment (the worker: loadForRun and readStoredDataset). */
export interface ExploreDeps {
  /** Loads the data as training does. */
  load(request: DatasetRequest, options: LoadOptions): Promise<Dataset>;
  /** A kept dataset's record (cheap: decides how to show it). */
  readRecord(id: DatasetId): Promise<DatasetRecord>;
  /** A kept dataset's raw bytes, every chunk hash-checked (text and tables are shown from them). */
  readBytes(id: DatasetId): Promise<Uint8Array>;
}

export type RawSamples =
  | { readonly kind: 'image'; readonly values: Float32Array; readonly height: number; readonly width: number; readonly channels: number }
  | { readonly kind: 'text'; readonly texts: readonly string[] }
  | { readonly kind: 'table'; readonly header: readonly string[]; readonly rows: readonly (readonly string[])[] };

/** Every sample of a dataset, in the explorer's order. */
export interface Explored {
  readonly name: string;
  readonly data: Dataset | null;
  readonly task: Dataset['task'];
  readonly classes: readonly string[] | null;
  /** Class id per sample; null without classes. */
  readonly labels: Int32Array | null;
  /** Index into SPLIT_NAMES per sample. */
  readonly splitOf: Uint8Array;
  readonly raw: RawSamples;
}

const TRAIN = 0;
const VALIDATION = 1;
const TEST = 2;

/** Marks the validation part of `trainIdx` (sample indices in the loader's train order), as carveValidation picks it. */
function carve(splitOf: Uint8Array, trainIdx: ArrayLike<number>, trainLabels: Int32Array | null, validationSplit: number, seed: number): void {
  if (!(validationSplit >= 0 && validationSplit < 1)) throw new DatasetError(`validationSplit must be in [0, 1), got ${validationSplit}`);
  if (validationSplit === 0 || trainIdx.length === 0) return;
  const [, validation] = stratifiedIndices(trainLabels, trainIdx.length, [1 - validationSplit, validationSplit], seed);
  for (const p of validation!) splitOf[trainIdx[p]!] = VALIDATION;
}

/** Samples of a loaded image Dataset: train then test, as loaded. */
function fromImages(name: string, data: Dataset, options: Required<Pick<ExploreOptions, 'seed' | 'validationSplit'>>): Explored {
  const test: Split | null = data.test;
  const n = data.train.count + (test?.count ?? 0);
  const [height, width, channels] = data.train.x.shape as [number, number, number];
  const values = new Float32Array(n * height * width * channels);
  values.set(data.train.x.values);
  if (test) values.set(test.x.values, data.train.x.values.length);
  const trainLabels = classLabels(data.train);
  const labels = new Int32Array(n);
  if (trainLabels) labels.set(trainLabels);
  const testLabels = test ? classLabels(test) : null;
  if (testLabels) labels.set(testLabels, data.train.count);
  const splitOf = new Uint8Array(n).fill(TRAIN, 0, data.train.count).fill(TEST, data.train.count);
  carve(splitOf, Int32Array.from({ length: data.train.count }, (_, i) => i), trainLabels, options.validationSplit, options.seed);
  return { name, data, task: data.task, classes: data.classes ?? null, labels, splitOf, raw: { kind: 'image', values, height, width, channels } };
}

/** Class ids, by first appearance (the table loader's stratification keys) or by sorted name (text). */
function splitRows(keys: Int32Array | null, n: number, testFraction: number, options: Required<Pick<ExploreOptions, 'seed' | 'validationSplit'>>, trainLabels: (trainIdx: Int32Array) => Int32Array | null): Uint8Array {
  const [trainIdx, testIdx] = stratifiedIndices(keys, n, [1 - testFraction, testFraction], options.seed);
  const splitOf = new Uint8Array(n);
  for (const i of testIdx!) splitOf[i] = TEST;
  carve(splitOf, trainIdx!, trainLabels(trainIdx!), options.validationSplit, options.seed);
  return splitOf;
}

/** A CSV table: loaded as training loads it (task, classes), shown from its raw cells. */
async function fromTable(name: string, request: DatasetRequest, record: DatasetRecord, bytes: Uint8Array, deps: ExploreDeps, options: Required<Pick<ExploreOptions, 'seed' | 'validationSplit'>>): Promise<Explored> {
  const data = await deps.load(request, { seed: options.seed });
  const records = parseCsvText(strFromU8(bytes), name);
  const src = record.source;
  const labelName = src.source === 'file' || src.source === 'remote' ? src.label : undefined;
  const labelAt = labelName === undefined ? -1 : records.header.indexOf(labelName);
  const n = records.rows.length;
  let keys: Int32Array | null = null;
  let labels: Int32Array | null = null;
  let classes = data.classes ?? null;
  if (data.task === 'classification' && classes && labelAt >= 0) {
    const firstSeen = new Map<string, number>();
    const cells = records.rows.map((r) => (r[labelAt] ?? '').trim());
    keys = Int32Array.from(cells, (c) => firstSeen.get(c) ?? (firstSeen.set(c, firstSeen.size), firstSeen.size - 1));
    // A class only the test rows hold is not among the loader's classes: it is listed after them.
    const all = [...classes, ...[...firstSeen.keys()].filter((c) => !classes!.includes(c))];
    const id = new Map(all.map((c, i) => [c, i]));
    labels = Int32Array.from(cells, (c) => id.get(c)!);
    classes = all;
  }
  // The loader's default test fraction (0.2), stratified by first-appearance label keys.
  const splitOf = splitRows(keys, n, 0.2, options, (trainIdx) => (labels ? Int32Array.from(trainIdx, (i) => labels![i]!) : null));
  return { name, data, task: data.task, classes, labels, splitOf, raw: { kind: 'table', header: records.header, rows: records.rows } };
}

/** Labelled texts (CSV or JSONL) read from the raw file, split as the text loader splits. */
function fromText(name: string, record: DatasetRecord, bytes: Uint8Array, options: Required<Pick<ExploreOptions, 'seed' | 'validationSplit'>>): Explored {
  const src = record.source;
  const label = src.source === 'file' || src.source === 'remote' ? src.label : undefined;
  const textColumn = record.columns.find((c) => c.type === 'text')?.name ?? 'text';
  if (!label) throw new DatasetError('the kept text dataset names no label field, so its classes are unknown', name);
  const fileName = record.format === 'jsonl' && !/\.(jsonl|ndjson)$/i.test(name) ? `${name}.jsonl` : name;
  const rows = readTextRows(bytes, { label, textColumn, length: 1, fileName, format: record.format === 'jsonl' ? 'jsonl' : 'csv' });
  const classes = sortCategories(new Set(rows.map((r) => r.label)));
  const id = new Map(classes.map((c, i) => [c, i]));
  const labels = Int32Array.from(rows, (r) => id.get(r.label)!);
  const splitOf = splitRows(labels, rows.length, 0.2, options, (trainIdx) => Int32Array.from(trainIdx, (i) => labels[i]!));
  return { name, data: null, task: 'classification', classes, labels, splitOf, raw: { kind: 'text', texts: rows.map((r) => r.text) } };
}

/** A language-modeling corpus: its non-empty lines, unlabelled, all training text. */
function fromCorpus(name: string, bytes: Uint8Array): Explored {
  const texts = strFromU8(bytes).split(/\r?\n/).filter((l) => l.trim() !== '');
  if (texts.length === 0) throw new DatasetError('the corpus has no text', name);
  return { name, data: null, task: 'language-modeling', classes: null, labels: null, splitOf: new Uint8Array(texts.length), raw: { kind: 'text', texts } };
}

/** How a kept record is shown. */
export function kindOfRecord(record: DatasetRecord): ExploreKind | 'corpus' {
  switch (record.format) {
    case 'image-zip':
    case 'image-folder':
    case 'mnist-bin':
      return 'image';
    case 'jsonl':
      return 'text';
    case 'csv':
      return record.columns.some((c) => c.type === 'text') ? 'text' : 'table';
    case 'text':
      return 'corpus';
    case 'npy':
    case 'other':
      throw new DatasetError(`the explorer cannot read the "${record.format}" format`, `the kept dataset "${record.name}"`);
    default: {
      const never: never = record.format;
      throw new Error(`unknown dataset format ${String(never)}`);
    }
  }
}

/**
 * Loads every sample of `request` for the explorer. Image sets load with onUndecodable 'skip'
 * (the dataset carries its decodeReport) at `imageSize`² RGB.
 * @throws DatasetError, StorageError or DataUnavailable with a message for a person.
 */
export async function exploreLoad(request: DatasetRequest, options: ExploreOptions, deps: ExploreDeps): Promise<Explored> {
  const o = { seed: options.seed ?? 0, validationSplit: options.validationSplit ?? 0.1 };
  const side = options.imageSize ?? 32;
  const imageOptions: LoadOptions = { seed: o.seed, input: { shape: [side, side, 3] }, onUndecodable: 'skip' };
  switch (request.source) {
    case 'builtin':
      return fromImages('MNIST', await deps.load(request, imageOptions), o);
    case 'stored': {
      const record = await deps.readRecord(request.datasetId);
      const kind = kindOfRecord(record);
      switch (kind) {
        case 'image':
          return fromImages(record.name, await deps.load(request, imageOptions), o);
        case 'table':
          return fromTable(record.name, request, record, await deps.readBytes(request.datasetId), deps, o);
        case 'text':
          return fromText(record.name, record, await deps.readBytes(request.datasetId), o);
        case 'corpus':
          return fromCorpus(record.name, await deps.readBytes(request.datasetId));
        default: {
          const never: never = kind;
          throw new Error(`unknown kind ${String(never)}`);
        }
      }
    }
    case 'file':
    case 'folder':
    case 'remote':
      throw new DatasetError('the explorer opens built-in MNIST or a dataset kept on this device; import the file in a training run first', request.source);
    default: {
      const never: never = request;
      throw new Error(`unknown dataset source ${JSON.stringify(never)}`);
    }
  }
}
