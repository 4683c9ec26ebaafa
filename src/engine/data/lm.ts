// Language modeling (the GPT-mini template): a character corpus → windows of T input ids and
// T next-token targets. Convention: targets are the inputs shifted by one,
//   x = ids[s, s + T),  y = ids[s + 1, s + T + 1),
// so y[t] is the token that follows x[t]. Windows start every `stride` tokens (default T).
// The corpus is split by position — the first (1 − testFraction) of it trains, the rest
// tests — so no window of one split overlaps the other.
import { DatasetError, type Dataset, type Split } from './types.js';
import { checkSize, DEFAULT_MAX_BYTES } from './csv-parse.js';
import { intColumn, makeSplit } from './split.js';
import { buildVocab, checkLength, TokenCounter, tokenize, UNK_ID, type Tokenizer } from './text.js';
import { strFromU8 } from 'fflate';

export interface CorpusOptions {
  /** Window length T (the model's sequence length). */
  readonly length: number;
  /** Tokens between window starts. Default T (windows do not overlap; targets reach one past). */
  readonly stride?: number;
  /** Default "char". */
  readonly tokenizer?: Tokenizer;
  /** Default false. */
  readonly lowercase?: boolean;
  /** Vocabulary size including "<pad>" and "<unk>". Default 256 (GPT-mini's embedding). */
  readonly maxVocab?: number;
  /** Tail of the corpus held out. Default 0.1. */
  readonly testFraction?: number;
  readonly maxBytes?: number;
  /** Largest x + y in bytes (a small stride multiplies it). Default 1 GiB. */
  readonly maxOutputBytes?: number;
  readonly fileName?: string;
}

/** Number of windows of length T (plus one target) with the given stride in n tokens. */
export const windowCount = (n: number, length: number, stride: number): number => (n < length + 1 ? 0 : Math.floor((n - length - 1) / stride) + 1);

/**
 * Cuts ids into input windows and next-token targets.
 *
 * @example
 * const s = lmWindows(Int32Array.of(5, 6, 7, 8, 9), 2, 2); // x [[5,6],[7,8]], y [[6,7],[8,9]]
 */
export function lmWindows(ids: Int32Array, length: number, stride: number): Split {
  const n = windowCount(ids.length, length, stride);
  const x = new Int32Array(n * length); // (n, T)
  const y = new Int32Array(n * length); // (n, T): x shifted left by one
  for (let w = 0; w < n; w++) {
    const s = w * stride;
    x.set(ids.subarray(s, s + length), w * length);
    y.set(ids.subarray(s + 1, s + length + 1), w * length);
  }
  return makeSplit(intColumn(x, [length]), intColumn(y, [length]), n);
}

/**
 * Loads a language-modeling corpus from UTF-8 text bytes. Vocabulary from the training part
 * only (id 0 "<pad>", 1 "<unk>", then by frequency); task "language-modeling", x and y int32 [T].
 *
 * @example
 * const ds = loadCorpus(bytes, { length: 64, fileName: 'shakespeare.txt' });
 * ds.preprocessing; // { kind: 'text', mode: 'language-modeling', tokenizer: 'char', vocab: ['<pad>', '<unk>', ' ', 'e', …], … }
 */
export function loadCorpus(bytes: Uint8Array, options: CorpusOptions): Dataset {
  const where = options.fileName ?? 'corpus.txt';
  checkSize(bytes, options.maxBytes ?? DEFAULT_MAX_BYTES, where);
  return corpusDataset(strFromU8(bytes).replace(/^\uFEFF/, ''), options);
}

/** {@link loadCorpus} for text already in memory. */
export function corpusDataset(text: string, options: CorpusOptions): Dataset {
  const where = options.fileName ?? 'corpus.txt';
  const T = options.length;
  checkLength(T, where);
  const stride = options.stride ?? T;
  if (!Number.isInteger(stride) || stride < 1) throw new DatasetError(`stride must be a positive integer, got ${stride}`, where);
  const testFraction = options.testFraction ?? 0.1;
  if (!(testFraction >= 0 && testFraction < 1)) throw new DatasetError(`testFraction must be in [0, 1), got ${testFraction}`, where);
  const tok = { tokenizer: options.tokenizer ?? 'char', lowercase: options.lowercase ?? false } as const;
  const tokens = tokenize(text, tok);
  if (tokens.length === 0) throw new DatasetError('the corpus is empty', where);
  const cut = Math.round(tokens.length * (1 - testFraction));
  const counter = new TokenCounter();
  counter.add(tokens.slice(0, cut));
  const vocab = buildVocab(counter.counts, options.maxVocab ?? 256);
  const index = new Map(vocab.map((t, i) => [t, i]));
  const ids = Int32Array.from(tokens, (t) => index.get(t) ?? UNK_ID);
  const trainWindows = windowCount(cut, T, stride);
  if (trainWindows === 0) throw new DatasetError(`the corpus is too short: its training part has ${cut} tokens, one window needs ${T + 1}`, where);
  const testWindows = windowCount(tokens.length - cut, T, stride);
  const bytes = (trainWindows + testWindows) * T * 8;
  const maxOut = options.maxOutputBytes ?? 1024 ** 3;
  if (bytes > maxOut) throw new DatasetError(`${trainWindows + testWindows} windows of ${T} would take ${(bytes / 1024 ** 2).toFixed(0)} MB, over the ${(maxOut / 1024 ** 2).toFixed(0)} MB limit; use a larger stride`, where);
  return {
    name: `file:${where}`,
    task: 'language-modeling',
    train: lmWindows(ids.subarray(0, cut), T, stride),
    test: testFraction > 0 && testWindows > 0 ? lmWindows(ids.subarray(cut), T, stride) : null,
    preprocessing: { kind: 'text', mode: 'language-modeling', tokenizer: tok.tokenizer, lowercase: tok.lowercase, vocab, length: T, padding: 'post', truncating: 'post' },
  };
}
