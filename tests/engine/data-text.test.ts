// Text: tokenizers, the training-only capped vocabulary with reserved ids, padding and
// truncation, CSV/JSONL inputs and their refusals, and language-modeling windows.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildVocab, encodeTokens, loadTextClassification, tokenize, PAD_ID, UNK_ID, type TextOptions } from '../../src/engine/data/text.js';
import { corpusDataset, lmWindows, loadCorpus, windowCount } from '../../src/engine/data/lm.js';
import { DatasetError, type Dataset, type TextPreprocessing } from '../../src/engine/data/types.js';

const enc = (s: string) => new TextEncoder().encode(s);
const reviews = readFileSync(join(import.meta.dirname, '../fixtures/data/reviews.jsonl'));
const pre = (ds: Dataset): TextPreprocessing => {
  if (ds.preprocessing?.kind !== 'text') throw new Error('expected text preprocessing');
  return ds.preprocessing;
};
const rows = (ds: Dataset['train'], T: number) => Array.from({ length: ds.count }, (_, i) => Array.from(ds.x.values.subarray(i * T, (i + 1) * T)));

function refusal(bytes: Uint8Array, options: TextOptions): DatasetError {
  try {
    loadTextClassification(bytes, options);
  } catch (e) {
    if (e instanceof DatasetError) return e;
    throw e;
  }
  throw new Error('expected a DatasetError');
}

describe('tokenizers and vocabulary', () => {
  it('splits words (lower-cased, punctuation apart) or characters (code points)', () => {
    expect(tokenize("Don't PANIC, 42 times!")).toEqual(["don't", 'panic', ',', '42', 'times', '!']);
    expect(tokenize('Héllo wörld', { lowercase: false })).toEqual(['Héllo', 'wörld']);
    expect(tokenize('a b😀', { tokenizer: 'char' })).toEqual(['a', ' ', 'b', '😀']);
  });

  it('reserves 0 = <pad> and 1 = <unk>, orders by count then code units, and caps the size', () => {
    const counts = new Map([['b', 2], ['a', 2], ['c', 5], ['d', 1], ['B', 2]]);
    expect(buildVocab(counts, 100)).toEqual(['<pad>', '<unk>', 'c', 'B', 'a', 'b', 'd']);
    expect(buildVocab(counts, 4)).toEqual(['<pad>', '<unk>', 'c', 'B']);
    expect(() => buildVocab(counts, 2)).toThrow(/maxVocab must be an integer ≥ 3/);
  });

  it('pads and truncates at either end; unknown tokens become 1', () => {
    const ids = new Map([['a', 2], ['b', 3], ['c', 4]]);
    const out = new Int32Array(4);
    encodeTokens(['a', 'zz'], ids, 4, 'post', 'post', out, 0);
    expect(Array.from(out)).toEqual([2, UNK_ID, PAD_ID, PAD_ID]);
    encodeTokens(['a', 'b'], ids, 4, 'pre', 'post', out, 0);
    expect(Array.from(out)).toEqual([0, 0, 2, 3]);
    encodeTokens(['a', 'b', 'c', 'a', 'b', 'c'], ids, 4, 'post', 'post', out, 0);
    expect(Array.from(out)).toEqual([2, 3, 4, 2]);
    encodeTokens(['a', 'b', 'c', 'a', 'b', 'c'], ids, 4, 'post', 'pre', out, 0);
    expect(Array.from(out)).toEqual([4, 2, 3, 4]);
  });
});

describe('text classification', () => {
  const options: TextOptions = { textColumn: 'text', label: 'label', length: 6, fileName: 'reviews.jsonl', seed: 2 };

  it('reads JSONL into int32 [T] samples and sorted class ids', () => {
    const ds = loadTextClassification(reviews, options);
    expect(ds.task).toBe('classification');
    expect(ds.classes).toEqual(['neg', 'pos']);
    expect(ds.train.x).toMatchObject({ shape: [6], dtype: 'int32' });
    expect(ds.train.count + ds.test!.count).toBe(20);
    expect(ds.test!.count).toBe(4);
    expect(pre(ds)).toMatchObject({ mode: 'classification', tokenizer: 'word', lowercase: true, length: 6, padding: 'post', truncating: 'post' });
  });

  it('builds the vocabulary from the TRAINING split only', () => {
    const ds = loadTextClassification(reviews, { ...options, length: 20 }); // long enough that nothing is cut
    const vocab = pre(ds).vocab;
    const trainIds = new Set(rows(ds.train, 20).flat());
    // Every id in the vocabulary beyond the reserved two occurs in training.
    for (let id = 2; id < vocab.length; id++) expect(trainIds.has(id)).toBe(true);
    // Each review has one word of its own: those of test reviews are not in the vocabulary.
    const all = new TextDecoder().decode(reviews).split('\n').filter(Boolean).map((l) => JSON.parse(l) as { text: string });
    const words = new Set(all.flatMap((r) => tokenize(r.text)));
    expect(vocab.length).toBeLessThan(words.size + 2);
    expect(rows(ds.test!, 20).filter((r) => r.includes(UNK_ID))).toHaveLength(ds.test!.count);
  });

  it('caps the vocabulary, keeping the most frequent tokens', () => {
    const ds = loadTextClassification(reviews, { ...options, maxVocab: 5 });
    const vocab = pre(ds).vocab;
    expect(vocab).toHaveLength(5);
    expect(vocab.slice(0, 3)).toEqual(['<pad>', '<unk>', 'the']);
    expect(Math.max(...ds.train.x.values)).toBeLessThan(5);
  });

  it('pads short texts and truncates long ones to T', () => {
    const csv = 'text,label\n"short",a\n"one two three four five six seven eight",b\n"one",a\n"two three",b\n';
    const ds = loadTextClassification(enc(csv), { textColumn: 'text', label: 'label', length: 4, testFraction: 0, fileName: 't.csv' });
    const v = pre(ds).vocab;
    const samples = rows(ds.train, 4).map((r) => r.map((id) => v[id]));
    expect(samples).toContainEqual(['short', '<pad>', '<pad>', '<pad>']);
    expect(samples).toContainEqual(['one', 'two', 'three', 'four']);
    const pre2 = loadTextClassification(enc(csv), { textColumn: 'text', label: 'label', length: 4, testFraction: 0, padding: 'pre', truncating: 'pre' });
    const s2 = rows(pre2.train, 4).map((r) => r.map((id) => pre(pre2).vocab[id]));
    expect(s2).toContainEqual(['<pad>', '<pad>', '<pad>', 'short']);
    expect(s2).toContainEqual(['five', 'six', 'seven', 'eight']);
  });

  it('character tokenizer keeps case by default', () => {
    const ds = loadTextClassification(enc('text,label\nAb,x\nba,y\n'), { textColumn: 'text', label: 'label', length: 3, tokenizer: 'char', testFraction: 0 });
    expect(pre(ds).lowercase).toBe(false);
    expect(new Set(pre(ds).vocab)).toEqual(new Set(['<pad>', '<unk>', 'a', 'b', 'A']));
  });

  it('refuses bad input naming the line or row', () => {
    expect(refusal(enc('{"text": "a", "label": "x"}\n{"text": "b", "label": \n'), options).message).toMatch(/reviews.jsonl: line 2 is not valid JSON/);
    expect(refusal(enc('{"text": "a", "label": "x"}\n[1, 2]\n'), options).message).toMatch(/line 2 is not a JSON object/);
    expect(refusal(enc('{"text": "a", "label": "x"}\n{"body": "b", "label": "y"}\n'), options).message).toMatch(/line 2 has no "text" field \(the text\); its fields are "body", "label"/);
    expect(refusal(enc('{"text": "a", "label": "x"}\n{"text": "b", "label": ""}\n'), options).message).toMatch(/line 2 has no value in the label field "label"/);
    expect(refusal(enc('{"text": {"a": 1}, "label": "x"}\n'), options).message).toMatch(/line 1, field "text": expected a string or number, got object/);
    const csv = { ...options, fileName: 'r.csv' };
    expect(refusal(enc('body,label\nhi,x\n'), csv).message).toMatch(/text column "text" does not exist; the columns are "body", "label"/);
    expect(refusal(enc('text,label\nhi,x\nho\n'), csv).message).toMatch(/row 3 has 1 field, expected 2/);
    expect(refusal(enc('text,label\nhi,x\nho,x\n'), csv).message).toMatch(/has only one class \("x"\)/);
    expect(refusal(enc(''), csv).message).toMatch(/the file is empty/);
    expect(refusal(enc('x'.repeat(100)), { ...csv, maxBytes: 10 }).message).toMatch(/over the 0.0 MB limit/);
  });
});

describe('language modeling', () => {
  it('targets are the inputs shifted by one', () => {
    const s = lmWindows(Int32Array.of(5, 6, 7, 8, 9, 10), 2, 2);
    expect(s.count).toBe(2);
    expect(Array.from(s.x.values)).toEqual([5, 6, 7, 8]);
    expect(Array.from(s.y.values)).toEqual([6, 7, 8, 9]);
    expect(lmWindows(Int32Array.of(1, 2, 3, 4, 5), 3, 1).count).toBe(2);
    expect(windowCount(3, 3, 1)).toBe(0);
  });

  it('cuts a character corpus into [T] windows, vocabulary from the training part only', () => {
    const text = 'abcabcabcabcabcabcabcabcabcabcabcabcabcabcabcXYZ!'; // 49 chars; the tail holds unseen ones
    const ds = corpusDataset(text, { length: 8, testFraction: 0.1 });
    expect(ds.task).toBe('language-modeling');
    expect(ds.train.x).toMatchObject({ shape: [8], dtype: 'int32' });
    expect(ds.train.y).toMatchObject({ shape: [8], dtype: 'int32' });
    const vocab = pre(ds).vocab;
    expect(vocab).toEqual(['<pad>', '<unk>', 'a', 'b', 'c']);
    expect(pre(ds)).toMatchObject({ mode: 'language-modeling', tokenizer: 'char', length: 8 });
    // 44 training characters → windows at 0, 8, 16, 24, 32 (each needs 9).
    expect(ds.train.count).toBe(5);
    const x0 = Array.from(ds.train.x.values.subarray(0, 8)).map((i) => vocab[i]).join('');
    const y0 = Array.from(ds.train.y.values.subarray(0, 8)).map((i) => vocab[i]).join('');
    expect([x0, y0]).toEqual(['abcabcab', 'bcabcabc']);
    expect(ds.test).toBeNull(); // 5 test characters: not one window of 8 + 1
    const overlap = corpusDataset(text, { length: 8, stride: 1, testFraction: 0 });
    expect(overlap.train.count).toBe(49 - 8);
    const x = overlap.train.x.values;
    expect(Array.from(x.subarray(8, 15))).toEqual(Array.from(x.subarray(1, 8)));
  });

  it('maps held-out characters unseen in training to <unk>', () => {
    const ds = corpusDataset('ab'.repeat(50) + 'Q'.repeat(30), { length: 4, testFraction: 0.25 });
    expect(Array.from(ds.test!.y.values)).toContain(UNK_ID);
    expect(pre(ds).vocab).not.toContain('Q');
  });

  it('refuses an empty or too-short corpus and oversize windows', () => {
    expect(() => loadCorpus(enc(''), { length: 8 })).toThrow(/the corpus is empty/);
    expect(() => corpusDataset('abc', { length: 8 })).toThrow(/the corpus is too short: its training part has 3 tokens, one window needs 9/);
    expect(() => corpusDataset('a'.repeat(10_000), { length: 64, stride: 1, maxOutputBytes: 1024 * 1024 })).toThrow(/use a larger stride/);
  });
});
