// Chunked iteration for CSV tables and text-classification files bigger than the in-memory
// cap. Two passes over a re-openable byte source: pass 1 checks every row and fits the
// encoding (types, training statistics, categories, vocabulary) before anything is returned;
// pass 2, once per `chunks()` call, encodes `chunkRows` rows at a time.
//
// Limits, compared with the in-memory loaders:
// - the train/test assignment is per row, by a seeded hash of the row number
//   (P(test) = testFraction), so split sizes and class proportions are close to, not exactly,
//   the fractions — it is not stratified;
// - rows come in file order; the trainer should shuffle within a chunk (or keep a buffer);
// - what pass 1 fits must fit in memory: categories (capped), classes, and for text every
//   distinct training token with its count;
// - the source must give the same bytes on every read; a change is detected by row counts.
import { DatasetError, type DatasetTask, type Preprocessing, type Split, type TextPreprocessing } from './types.js';
import { streamCsvRecords } from './csv-parse.js';
import { floatColumn, intColumn, makeSplit } from './split.js';
import { hashUnit } from './random.js';
import { TableFitter, sortCategories, type TableEncoder } from './table.js';
import { checkTestFraction, type CsvOptions } from './csv.js';
import { buildVocab, checkLength, csvTextRow, encodeTextRows, jsonlRow, textColumns, textSettings, TokenCounter, tokenize, type TextOptions, type TextRow } from './text.js';
import { DecodeUTF8 } from 'fflate';

/** Opens the data afresh on every call (a File's stream(), a fetch body, a Node read stream). */
export type ByteSource = () => AsyncIterable<Uint8Array>;

export interface StreamOptions {
  /** Samples per chunk. Default 4096. */
  readonly chunkRows?: number;
  /** Characters of CSV text parsed at a time. Default 1 Mi. */
  readonly blockChars?: number;
}

/** A dataset read chunk by chunk. */
export interface SplitStream {
  readonly name: string;
  readonly task: DatasetTask;
  readonly classes?: readonly string[];
  readonly preprocessing: Preprocessing;
  readonly counts: { readonly train: number; readonly test: number };
  /** A fresh pass over one split, in file order, `chunkRows` samples per Split (the last may be shorter). */
  chunks(split: 'train' | 'test'): AsyncIterable<Split>;
}

/**
 * A ByteSource over bytes already in memory, in chunks of `size` (tests, small files).
 *
 * @example
 * const open = bytesSource(bytes, 65536);
 */
export function bytesSource(bytes: Uint8Array, size = 1 << 16): ByteSource {
  return async function* () {
    for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
  };
}

const isTestRow = (seed: number, row: number, testFraction: number) => hashUnit(seed, row) < testFraction;

function changed(where: string): DatasetError {
  return new DatasetError('the file changed between reads (row counts differ); reload it', where);
}

/** Rows of one split, grouped into arrays of at most `n`, checking the expected total. */
async function* batched<T>(rows: AsyncIterable<T>, n: number, expected: number, where: string): AsyncGenerator<T[]> {
  let batch: T[] = [];
  let seen = 0;
  for await (const r of rows) {
    batch.push(r);
    seen++;
    if (batch.length === n) {
      yield batch;
      batch = [];
    }
  }
  if (seen !== expected) throw changed(where);
  if (batch.length > 0) yield batch;
}

/**
 * Streams a CSV table: same rules and messages as loadCsv, except the split (see the header).
 *
 * @example
 * const s = await streamCsv(() => file.stream(), { label: 'price', fileName: 'houses.csv' });
 * for await (const chunk of s.chunks('train')) await trainOn(chunk);
 */
export async function streamCsv(open: ByteSource, options: CsvOptions & StreamOptions): Promise<SplitStream> {
  const where = options.fileName ?? 'data.csv';
  const testFraction = checkTestFraction(options.testFraction ?? 0.2, where);
  const seed = options.seed ?? 1;
  const chunkRows = options.chunkRows ?? 4096;
  let fitter: TableFitter | null = null;
  const counts = { train: 0, test: 0 };
  for await (const block of streamCsvRecords(open(), where, options)) {
    fitter ??= new TableFitter(block.header, options, where);
    block.rows.forEach((row, i) => {
      const rowNumber = block.rowNumbers[i]!;
      const test = isTestRow(seed, rowNumber, testFraction);
      fitter!.add(row, rowNumber, !test);
      counts[test ? 'test' : 'train']++;
    });
  }
  if (!fitter) throw new DatasetError('the file has a header but no data rows', where);
  const enc: TableEncoder = fitter.finish();

  async function* rowsOf(split: 'train' | 'test'): AsyncGenerator<[string[], number]> {
    for await (const block of streamCsvRecords(open(), where, options)) {
      for (let i = 0; i < block.rows.length; i++) {
        const rowNumber = block.rowNumbers[i]!;
        if (isTestRow(seed, rowNumber, testFraction) === (split === 'test')) yield [block.rows[i]!, rowNumber];
      }
    }
  }
  return {
    name: `file:${where}`,
    task: enc.classes ? 'classification' : 'regression',
    ...(enc.classes ? { classes: enc.classes } : {}),
    preprocessing: enc.preprocessing,
    counts,
    async *chunks(split) {
      for await (const batch of batched(rowsOf(split), chunkRows, counts[split], where)) {
        const x = new Float32Array(batch.length * enc.width); // (n, width)
        const y = enc.classes ? new Int32Array(batch.length) : new Float32Array(batch.length);
        batch.forEach(([row, rowNumber], i) => {
          fitter!.check(row, rowNumber);
          enc.encode(row, rowNumber, x, i * enc.width);
          y[i] = enc.label(row, rowNumber);
        });
        const yCol = y instanceof Int32Array ? intColumn(y, []) : floatColumn(y, [1]);
        yield makeSplit(floatColumn(x, [enc.width]), yCol, batch.length);
      }
    },
  };
}

/** Lines of UTF-8 text from byte chunks, numbered from 1 ("\r\n" or "\n" endings). */
async function* streamLines(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<[string, number]> {
  let buf = '';
  let line = 0;
  const decoder = new DecodeUTF8((s) => (buf += s));
  for await (const chunk of chunks) {
    decoder.push(chunk);
    const parts = buf.split('\n');
    buf = parts.pop()!;
    for (const p of parts) yield [p.replace(/\r$/, ''), ++line];
  }
  decoder.push(new Uint8Array(0), true);
  if (buf !== '') yield [buf.replace(/\r$/, ''), ++line];
}

/** Labelled texts from a CSV or JSONL source, one pass. */
async function* textRows(open: ByteSource, options: TextOptions & StreamOptions, where: string): AsyncGenerator<TextRow> {
  const format = options.format ?? (/\.(jsonl|ndjson)$/i.test(where) ? 'jsonl' : 'csv');
  if (format === 'jsonl') {
    for await (const [line, n] of streamLines(open())) {
      const row = jsonlRow(n === 1 ? line.replace(/^\uFEFF/, '') : line, n, options, where);
      if (row) yield row;
    }
    return;
  }
  let cols: { text: number; label: number } | null = null;
  for await (const block of streamCsvRecords(open(), where, options)) {
    cols ??= textColumns(block.header, options, where);
    for (let i = 0; i < block.rows.length; i++) yield csvTextRow(block.rows[i]!, block.rowNumbers[i]!, block.header, cols, where);
  }
}

/**
 * Streams a text-classification file: same rules as loadTextClassification, except the split
 * (see the header). Classes are capped at 1,000.
 *
 * @example
 * const s = await streamTextClassification(() => file.stream(), { textColumn: 'text', label: 'label', length: 128, fileName: 'big.jsonl' });
 */
export async function streamTextClassification(open: ByteSource, options: TextOptions & StreamOptions): Promise<SplitStream> {
  const where = options.fileName ?? 'text';
  checkLength(options.length, where);
  const testFraction = checkTestFraction(options.testFraction ?? 0.2, where);
  const seed = options.seed ?? 1;
  const settings = textSettings(options);
  const counter = new TokenCounter();
  const labels = new Set<string>();
  const counts = { train: 0, test: 0 };
  for await (const row of textRows(open, options, where)) {
    const test = isTestRow(seed, row.row, testFraction);
    counts[test ? 'test' : 'train']++;
    labels.add(row.label);
    if (labels.size > 1000) throw new DatasetError(`the label "${options.label}" has more than 1000 classes`, where);
    if (!test) counter.add(tokenize(row.text, settings));
  }
  if (counts.train + counts.test === 0) throw new DatasetError('the file has no records', where);
  const classes = sortCategories(labels);
  if (classes.length < 2) throw new DatasetError(`the label "${options.label}" has only one class ("${classes[0]}"); a classifier needs at least two`, where);
  const classIds = new Map(classes.map((c, i) => [c, i]));
  const pre: TextPreprocessing = { ...settings, vocab: buildVocab(counter.counts, options.maxVocab ?? 10_000) };
  async function* rowsOf(split: 'train' | 'test'): AsyncGenerator<TextRow> {
    for await (const row of textRows(open, options, where)) if (isTestRow(seed, row.row, testFraction) === (split === 'test')) yield row;
  }
  return {
    name: `file:${where}`,
    task: 'classification',
    classes,
    preprocessing: pre,
    counts,
    async *chunks(split) {
      for await (const batch of batched(rowsOf(split), options.chunkRows ?? 4096, counts[split], where)) {
        if (batch.some((r) => !classIds.has(r.label))) throw new DatasetError('the file changed between reads (a new class appeared); reload it', where);
        yield encodeTextRows(batch, pre, classIds);
      }
    },
  };
}
