// The one entry the trainer worker and the CLI call: a project's dataset reference → a
// complete Dataset, with the environment's pieces (file bytes, fetch, cache, image decoder,
// the MNIST binary) injected. Either a whole Dataset or a DatasetError, never partial data.
import type { DatasetRef } from '../project/types.js';
import { DatasetError, type Dataset } from './types.js';
import { parseMnistBinary } from './mnist.js';
import { loadIris } from './iris.js';
import { isSyntheticKind, makeSynthetic, SYNTHETIC_KINDS, type SyntheticOptions } from './synthetic.js';
import { loadCsv, type CsvOptions } from './csv.js';
import { readCsvHeader } from './csv-parse.js';
import { loadImageZip, type ImageDecoder } from './images.js';
import { loadTextClassification, type Tokenizer } from './text.js';
import { loadCorpus } from './lm.js';
import { download, type ByteCache, type DownloadEvent, type FetchLike } from './remote.js';
import { strFromU8 } from 'fflate';

/** How a file is read. Default: from its extension and the model input (see {@link fileFormat}). */
export type FileFormat = 'table' | 'text' | 'corpus' | 'images';

export const BUILTIN_DATASETS: readonly string[] = ['mnist', 'iris', ...SYNTHETIC_KINDS];

export interface LoadOptions {
  /** The model's first input, one sample: [h, w, c] for images, [T] (int32) for text. */
  readonly input?: { readonly shape: readonly (number | null)[]; readonly dtype?: 'float32' | 'int32' };
  /** From the loss: regression reads a numeric label as a float; language-modeling reads a corpus. */
  readonly task?: 'classification' | 'regression' | 'language-modeling';
  readonly format?: FileFormat;
  /** Seeds every split. Default 1. */
  readonly seed?: number;
  readonly testFraction?: number;
  /** Text files: the column/field with the text. Default "text". */
  readonly textColumn?: string;
  readonly tokenizer?: Tokenizer;
  readonly maxVocab?: number;
  readonly columnTypes?: CsvOptions['columnTypes'];
  /** In-memory cap on a file's size. Default 64 MiB. */
  readonly maxBytes?: number;
  /** Synthetic sets: n, noise, classes. */
  readonly synthetic?: SyntheticOptions;
  /** Image sets: 'skip' leaves undecodable files out and reports them (`Dataset.decodeReport`); default 'throw'. */
  readonly onUndecodable?: 'throw' | 'skip';
}

export interface DatasetDeps {
  /** Bytes of an imported file by its project path (storage, a File, the CLI's fs). */
  readonly readFile?: (path: string) => Promise<Uint8Array>;
  /** Bytes of the MNIST binary (the page fetches /data/mnist.bin; Node: nodeMnistBytes). */
  readonly mnistBytes?: () => Promise<Uint8Array>;
  readonly fetch?: FetchLike;
  readonly cache?: ByteCache;
  readonly imageDecoder?: ImageDecoder;
  readonly onProgress?: (event: DownloadEvent) => void;
  readonly options?: LoadOptions;
}

const extension = (name: string) => (/\.([^./]+)$/.exec(name)?.[1] ?? '').toLowerCase();

/**
 * How a file will be read: .zip → images; .txt → corpus; .jsonl/.ndjson → text; .csv/.tsv →
 * text when the model input is int32 token ids, else a table. `options.format` overrides it,
 * and task "language-modeling" means a corpus.
 *
 * @example
 * fileFormat('reviews.csv', { input: { shape: [100], dtype: 'int32' } }); // 'text'
 */
export function fileFormat(name: string, options: LoadOptions = {}): FileFormat {
  if (options.format) return options.format;
  if (options.task === 'language-modeling') return 'corpus';
  switch (extension(name)) {
    case 'zip':
      return 'images';
    case 'txt':
      return 'corpus';
    case 'jsonl':
    case 'ndjson':
      return 'text';
    case 'csv':
    case 'tsv':
      return options.input?.dtype === 'int32' ? 'text' : 'table';
    default:
      throw new DatasetError(`cannot tell how to read "${name}": expected .csv, .tsv, .jsonl, .txt or .zip (or set the format)`, name);
  }
}

function modelDims(options: LoadOptions, rank: number, what: string, where: string): number[] {
  const shape = options.input?.shape;
  if (!shape || shape.length !== rank || shape.some((d) => d === null || !(d > 0))) {
    throw new DatasetError(`${what} needs the model's input shape ${rank === 3 ? '[height, width, channels]' : '[length]'}, got ${shape ? JSON.stringify(shape) : 'none'}`, where);
  }
  return shape as number[];
}

/** Reads bytes as the given format. `label` is the label column/field (not used by corpora). */
async function fromBytes(bytes: Uint8Array, name: string, label: string | undefined, deps: DatasetDeps): Promise<Dataset> {
  const o = deps.options ?? {};
  const base = { seed: o.seed ?? 1, fileName: name, maxBytes: o.maxBytes, ...(o.testFraction !== undefined ? { testFraction: o.testFraction } : {}) };
  const format = fileFormat(name, o);
  const needLabel = (): string => {
    if (label) return label;
    const columns = format === 'table' ? ` the columns are ${readCsvHeader(strFromU8(bytes.subarray(0, 1 << 16))).map((h) => `"${h}"`).join(', ')}` : '';
    throw new DatasetError(`no label column chosen (dataset.label);${columns}`, name);
  };
  switch (format) {
    case 'table': {
      const task = o.task === 'classification' || o.task === 'regression' ? o.task : undefined;
      return loadCsv(bytes, { ...base, label: needLabel(), ...(task ? { task } : {}), ...(o.columnTypes ? { columnTypes: o.columnTypes } : {}) });
    }
    case 'text': {
      const [length] = modelDims(o, 1, 'a text dataset', name);
      return loadTextClassification(bytes, { ...base, label: needLabel(), textColumn: o.textColumn ?? 'text', length: length!, ...(o.tokenizer ? { tokenizer: o.tokenizer } : {}), ...(o.maxVocab ? { maxVocab: o.maxVocab } : {}) });
    }
    case 'corpus': {
      const [length] = modelDims(o, 1, 'a language-modeling corpus', name);
      return loadCorpus(bytes, { ...base, length: length!, ...(o.tokenizer ? { tokenizer: o.tokenizer } : {}), ...(o.maxVocab ? { maxVocab: o.maxVocab } : {}) });
    }
    case 'images': {
      const [height, width, channels] = modelDims(o, 3, 'an image dataset', name);
      if (channels !== 1 && channels !== 3) throw new DatasetError(`images need a model input with 1 or 3 channels, got ${channels}`, name);
      if (!deps.imageDecoder) throw new DatasetError('no image decoder is available here', name);
      return loadImageZip(bytes, deps.imageDecoder, { ...base, height: height!, width: width!, channels, ...(o.onUndecodable ? { onUndecodable: o.onUndecodable } : {}) });
    }
    default: {
      const never: never = format;
      throw new Error(`internal: format ${String(never)}`);
    }
  }
}

async function builtin(name: string, deps: DatasetDeps): Promise<Dataset> {
  const o = deps.options ?? {};
  if (name === 'mnist') {
    if (!deps.mnistBytes) throw new DatasetError('the MNIST file is not available here (no mnistBytes)', 'mnist');
    return parseMnistBinary(await deps.mnistBytes());
  }
  if (name === 'iris') return loadIris({ seed: o.seed ?? 1, ...(o.testFraction !== undefined ? { testFraction: o.testFraction } : {}) });
  if (isSyntheticKind(name)) return makeSynthetic(name, { seed: o.seed ?? 1, ...o.synthetic, ...(o.testFraction !== undefined ? { testFraction: o.testFraction } : {}) });
  throw new DatasetError(`unknown built-in dataset "${name}"; the built-ins are ${BUILTIN_DATASETS.join(', ')}`, name);
}

/** The last path segment of a URL, without query or fragment. */
const urlFileName = (url: string) => url.split(/[?#]/)[0]!.split('/').filter(Boolean).pop() ?? url;

/**
 * Loads the dataset a project refers to. Environment-specific pieces come in `deps`; the model
 * input in `deps.options.input` decides image size and sequence length.
 *
 * @example
 * const ds = await loadDataset({ source: 'builtin', name: 'mnist' }, { mnistBytes: nodeMnistBytes });
 * const csv = await loadDataset({ source: 'file', path: 'iris.csv', label: 'species' }, { readFile: readFileBytes });
 */
export async function loadDataset(ref: DatasetRef, deps: DatasetDeps = {}): Promise<Dataset> {
  const where = ref.source === 'builtin' ? ref.name : ref.source === 'file' ? ref.path : ref.source === 'remote' ? ref.url : 'dataset';
  try {
    switch (ref.source) {
      case 'builtin':
        return await builtin(ref.name, deps);
      case 'file': {
        if (!deps.readFile) throw new DatasetError('files cannot be read here (no readFile)', ref.path);
        const bytes = await deps.readFile(ref.path);
        return await fromBytes(bytes, ref.path.split(/[/\\]/).pop()!, ref.label, deps);
      }
      case 'remote': {
        if (!deps.fetch) throw new DatasetError('downloads are not available here (no fetch)', ref.url);
        const bytes = await download({ url: ref.url, ...(ref.sha256 ? { sha256: ref.sha256 } : {}) }, {
          fetch: deps.fetch,
          ...(deps.cache ? { cache: deps.cache } : {}),
          ...(deps.onProgress ? { onProgress: deps.onProgress } : {}),
          ...(deps.options?.maxBytes ? { maxBytes: deps.options.maxBytes } : {}),
        });
        return { ...(await fromBytes(bytes, urlFileName(ref.url), ref.label, deps)), name: `remote:${ref.url}` };
      }
      case undefined:
        throw new DatasetError('no dataset chosen for this project');
      default: {
        const never: never = ref;
        throw new Error(`internal: dataset source ${JSON.stringify(never)}`);
      }
    }
  } catch (e) {
    if (e instanceof DatasetError) throw e;
    throw new DatasetError(`could not load the dataset (${e instanceof Error ? e.message : String(e)})`, where);
  }
}
