// Text classification: a text column and a label column from CSV or JSONL → int32 token ids
// [T] and class ids. Vocabulary from the TRAINING split only, capped, most frequent first
// (ties by UTF-16 code-unit order); id 0 = "<pad>", 1 = "<unk>"; padded/truncated to T.
import { DatasetError, type Dataset, type Split, type TextPreprocessing } from './types.js';
import { checkSize, DEFAULT_MAX_BYTES, parseCsvText } from './csv-parse.js';
import { intColumn, makeSplit, stratifiedIndices } from './split.js';
import { MISSING_TOKENS, sortCategories } from './table.js';
import { strFromU8 } from 'fflate';

export const PAD = '<pad>';
export const UNK = '<unk>';
export const PAD_ID = 0;
export const UNK_ID = 1;

export type Tokenizer = 'word' | 'char';

export interface TokenizeOptions {
  readonly tokenizer?: Tokenizer;
  /** Default true for words, false for characters. */
  readonly lowercase?: boolean;
}

export interface TextOptions extends TokenizeOptions {
  /** Column (CSV header name) or field (JSONL key) holding the text. */
  readonly textColumn: string;
  /** Column or field holding the class. */
  readonly label: string;
  /** Tokens per sample, T. */
  readonly length: number;
  /** Vocabulary size including the two reserved ids. Default 10,000. */
  readonly maxVocab?: number;
  /** Where padding goes. Default "post" (after the text). */
  readonly padding?: 'pre' | 'post';
  /** Which end is cut from a long text. Default "post" (keep the beginning). */
  readonly truncating?: 'pre' | 'post';
  /** Default: from the file name (".jsonl"/".ndjson" → jsonl), else csv. */
  readonly format?: 'csv' | 'jsonl';
  readonly testFraction?: number;
  readonly seed?: number;
  readonly maxBytes?: number;
  readonly fileName?: string;
}

const WORD = /[\p{L}\p{N}_']+|[^\s\p{L}\p{N}_']/gu;

/**
 * Splits text into tokens: "word" = runs of letters/digits/_/' plus single punctuation marks;
 * "char" = Unicode code points (spaces and line breaks included).
 *
 * @example
 * tokenize("Don't panic!", { tokenizer: 'word' }); // ["don't", "panic", "!"]
 */
export function tokenize(text: string, options: TokenizeOptions = {}): string[] {
  const tokenizer = options.tokenizer ?? 'word';
  switch (tokenizer) {
    case 'word': {
      const t = options.lowercase ?? true ? text.toLowerCase() : text;
      return t.match(WORD) ?? [];
    }
    case 'char':
      return Array.from(options.lowercase ?? false ? text.toLowerCase() : text);
    default: {
      const never: never = tokenizer;
      throw new Error(`internal: tokenizer ${String(never)}`);
    }
  }
}

/** Token counts, added to as training text goes by. */
export class TokenCounter {
  readonly counts = new Map<string, number>();
  add(tokens: readonly string[]): void {
    for (const t of tokens) this.counts.set(t, (this.counts.get(t) ?? 0) + 1);
  }
}

/**
 * The vocabulary: ["<pad>", "<unk>", …tokens by count descending, ties by code-unit order],
 * at most `maxVocab` entries in all.
 *
 * @example
 * buildVocab(new Map([['b', 2], ['a', 2], ['c', 5]]), 4); // ['<pad>', '<unk>', 'c', 'a']
 */
export function buildVocab(counts: ReadonlyMap<string, number>, maxVocab: number): string[] {
  if (!Number.isInteger(maxVocab) || maxVocab < 3) throw new DatasetError(`maxVocab must be an integer ≥ 3 (2 ids are reserved), got ${maxVocab}`);
  const tokens = [...counts.keys()].filter((t) => t !== PAD && t !== UNK);
  tokens.sort((a, b) => counts.get(b)! - counts.get(a)! || (a < b ? -1 : a > b ? 1 : 0));
  return [PAD, UNK, ...tokens.slice(0, maxVocab - 2)];
}

/**
 * Writes ids of `tokens` into out[offset, offset + length): unknown → 1, padded with 0 at the
 * `padding` end, cut at the `truncating` end.
 *
 * @example
 * const out = new Int32Array(4);
 * encodeTokens(['a', 'zz'], new Map([['a', 2]]), 4, 'post', 'post', out, 0); // [2, 1, 0, 0]
 */
export function encodeTokens(
  tokens: readonly string[],
  ids: ReadonlyMap<string, number>,
  length: number,
  padding: 'pre' | 'post',
  truncating: 'pre' | 'post',
  out: Int32Array,
  offset: number,
): void {
  const kept = tokens.length <= length ? tokens : truncating === 'post' ? tokens.slice(0, length) : tokens.slice(tokens.length - length);
  const start = padding === 'post' ? 0 : length - kept.length;
  out.fill(PAD_ID, offset, offset + length);
  kept.forEach((t, i) => (out[offset + start + i] = ids.get(t) ?? UNK_ID));
}

/** One labelled text with the row (CSV, header = row 1) or line (JSONL) it came from. */
export interface TextRow {
  readonly text: string;
  readonly label: string;
  readonly row: number;
}

const isMissing = (s: string) => MISSING_TOKENS.includes(s.trim());

/** The JSONL line as a TextRow, or null for a blank line. */
export function jsonlRow(line: string, lineNumber: number, options: Pick<TextOptions, 'textColumn' | 'label'>, where: string): TextRow | null {
  if (line.trim() === '') return null;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (e) {
    throw new DatasetError(`line ${lineNumber} is not valid JSON (${(e as Error).message})`, where);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new DatasetError(`line ${lineNumber} is not a JSON object`, where);
  const obj = value as Record<string, unknown>;
  const field = (name: string, what: string) => {
    if (!Object.hasOwn(obj, name)) throw new DatasetError(`line ${lineNumber} has no "${name}" field (the ${what}); its fields are ${Object.keys(obj).map((k) => `"${k}"`).join(', ')}`, where);
    const v = obj[name];
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    throw new DatasetError(`line ${lineNumber}, field "${name}": expected a string or number, got ${v === null ? 'null' : typeof v}`, where);
  };
  const text = field(options.textColumn, 'text');
  const label = field(options.label, 'label');
  if (isMissing(label)) throw new DatasetError(`line ${lineNumber} has no value in the label field "${options.label}"`, where);
  return { text, label: label.trim(), row: lineNumber };
}

/** Column indices of the text and label columns, or a DatasetError listing the header. */
export function textColumns(header: readonly string[], options: Pick<TextOptions, 'textColumn' | 'label'>, where: string): { text: number; label: number } {
  const find = (name: string, what: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new DatasetError(`${what} column "${name}" does not exist; the columns are ${header.map((h) => `"${h}"`).join(', ')}`, where);
    return i;
  };
  return { text: find(options.textColumn, 'text'), label: find(options.label, 'label') };
}

/** A CSV record as a TextRow (checks field count and the label). */
export function csvTextRow(cells: readonly string[], rowNumber: number, header: readonly string[], cols: { text: number; label: number }, where: string): TextRow {
  if (cells.length !== header.length) throw new DatasetError(`row ${rowNumber} has ${cells.length} field${cells.length === 1 ? '' : 's'}, expected ${header.length}`, where);
  const label = cells[cols.label]!;
  if (isMissing(label)) throw new DatasetError(`row ${rowNumber} has no value in the label column "${header[cols.label]}"`, where);
  return { text: cells[cols.text]!, label: label.trim(), row: rowNumber };
}

/** Reads labelled texts from CSV or JSONL bytes (in memory). */
export function readTextRows(bytes: Uint8Array, options: TextOptions): TextRow[] {
  const where = options.fileName ?? 'text';
  checkSize(bytes, options.maxBytes ?? DEFAULT_MAX_BYTES, where);
  const text = strFromU8(bytes).replace(/^\uFEFF/, '');
  const format = options.format ?? (/\.(jsonl|ndjson)$/i.test(where) ? 'jsonl' : 'csv');
  if (text.trim() === '') throw new DatasetError('the file is empty', where);
  if (format === 'jsonl') {
    const rows = text.split(/\r?\n/).flatMap((line, i) => jsonlRow(line, i + 1, options, where) ?? []);
    if (rows.length === 0) throw new DatasetError('the file has no records', where);
    return rows;
  }
  const records = parseCsvText(text, where);
  const cols = textColumns(records.header, options, where);
  return records.rows.map((cells, i) => csvTextRow(cells, records.rowNumbers[i]!, records.header, cols, where));
}

/** The settled tokenization and padding for a classification set (everything but the vocabulary). */
export function textSettings(options: TextOptions): Omit<TextPreprocessing, 'vocab'> {
  const tokenizer = options.tokenizer ?? 'word';
  return {
    kind: 'text',
    mode: 'classification',
    tokenizer,
    lowercase: options.lowercase ?? tokenizer === 'word',
    length: options.length,
    padding: options.padding ?? 'post',
    truncating: options.truncating ?? 'post',
  };
}

/** Checks the sequence length T. */
export function checkLength(length: number, where: string): void {
  if (!Number.isInteger(length) || length < 1 || length > 100_000) throw new DatasetError(`the sequence length must be an integer in [1, 100000], got ${length}`, where);
}

/** Encodes rows into a Split of [T] ids and class ids. */
export function encodeTextRows(rows: readonly TextRow[], pre: TextPreprocessing, classIds: ReadonlyMap<string, number>): Split {
  const ids = new Map(pre.vocab.map((t, i) => [t, i]));
  const T = pre.length;
  const x = new Int32Array(rows.length * T); // (n, T)
  const y = new Int32Array(rows.length);
  rows.forEach((r, i) => {
    encodeTokens(tokenize(r.text, pre), ids, T, pre.padding, pre.truncating, x, i * T);
    y[i] = classIds.get(r.label)!;
  });
  return makeSplit(intColumn(x, [T]), intColumn(y, []), rows.length);
}

/**
 * Loads a text-classification set from CSV or JSONL. Classes are sorted (numerically when
 * all are numbers); the split is seeded and stratified; the vocabulary sees training rows only.
 *
 * @example
 * const ds = loadTextClassification(bytes, { textColumn: 'review', label: 'sentiment', length: 100, fileName: 'reviews.csv' });
 * ds.train.x.shape; // [100]
 */
export function loadTextClassification(bytes: Uint8Array, options: TextOptions): Dataset {
  const where = options.fileName ?? 'text';
  checkLength(options.length, where);
  const rows = readTextRows(bytes, options);
  const classes = sortCategories(new Set(rows.map((r) => r.label)));
  if (classes.length < 2) throw new DatasetError(`the label "${options.label}" has only one class ("${classes[0]}"); a classifier needs at least two`, where);
  const classIds = new Map(classes.map((c, i) => [c, i]));
  const testFraction = options.testFraction ?? 0.2;
  if (!(testFraction >= 0 && testFraction < 1)) throw new DatasetError(`testFraction must be in [0, 1), got ${testFraction}`, where);
  const keys = Int32Array.from(rows, (r) => classIds.get(r.label)!);
  const [trainIdx, testIdx] = stratifiedIndices(keys, rows.length, [1 - testFraction, testFraction], options.seed ?? 1);
  const trainRows = Array.from(trainIdx!, (i) => rows[i]!);
  const settings = textSettings(options);
  const counter = new TokenCounter();
  for (const r of trainRows) counter.add(tokenize(r.text, settings));
  const pre: TextPreprocessing = { ...settings, vocab: buildVocab(counter.counts, options.maxVocab ?? 10_000) };
  return {
    name: `file:${where}`,
    task: 'classification',
    classes,
    train: encodeTextRows(trainRows, pre, classIds),
    test: testFraction > 0 ? encodeTextRows(Array.from(testIdx!, (i) => rows[i]!), pre, classIds) : null,
    preprocessing: pre,
  };
}
