// CSV tables: type detection, one-hot order, standardisation from the training split only,
// labels, and every refusal with the words a person reads (row, column, what is wrong).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCsv, loadCsvText, type CsvOptions } from '../../src/engine/data/csv.js';
import { DatasetError, type Dataset, type FeatureEncoding } from '../../src/engine/data/types.js';

const enc = (s: string) => new TextEncoder().encode(s);
const fixture = readFileSync(join(import.meta.dirname, '../fixtures/data/houses.csv'));

function refusal(text: string | Uint8Array, options: CsvOptions): DatasetError {
  try {
    loadCsv(typeof text === 'string' ? enc(text) : text, options);
  } catch (e) {
    if (e instanceof DatasetError) return e;
    throw e;
  }
  throw new Error('expected a DatasetError');
}

function table(ds: Dataset) {
  if (ds.preprocessing?.kind !== 'table') throw new Error('expected table preprocessing');
  return ds.preprocessing;
}
const feature = (ds: Dataset, column: string): FeatureEncoding => table(ds).features.find((f) => f.column === column)!;
const stats = (xs: number[]) => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return { mean, std: Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length) };
};

describe('CSV tables', () => {
  // houses.csv: area (numeric, one missing), rooms (numeric), city (categorical, one missing),
  // garden (yes/no), price_band (label: cheap/mid/dear), 24 rows.
  const rows = readFileSync(join(import.meta.dirname, '../fixtures/data/houses.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));

  it('detects numeric and categorical columns and one-hot encodes in sorted order', () => {
    const ds = loadCsv(fixture, { label: 'price_band', testFraction: 0, fileName: 'houses.csv' });
    expect(ds.name).toBe('file:houses.csv');
    expect(ds.task).toBe('classification');
    expect(ds.classes).toEqual(['cheap', 'dear', 'mid']);
    expect(table(ds).features.map((f) => [f.column, f.kind])).toEqual([
      ['area', 'numeric'],
      ['rooms', 'numeric'],
      ['city', 'one-hot'],
      ['garden', 'one-hot'],
    ]);
    expect(feature(ds, 'city')).toMatchObject({ categories: ['Lyon', 'Nantes', 'Paris'] });
    expect(ds.train.x.shape).toEqual([2 + 3 + 2]);
    expect(ds.train.count).toBe(rows.length);
    expect(ds.test).toBeNull();
  });

  it('standardises numeric columns with the mean/std of the non-missing values (all rows train here)', () => {
    const ds = loadCsv(fixture, { label: 'price_band', testFraction: 0 });
    const area = stats(rows.map((r) => r[0]!).filter((v) => v !== '').map(Number));
    expect(feature(ds, 'area')).toMatchObject({ kind: 'numeric' });
    const f = feature(ds, 'area') as Extract<FeatureEncoding, { kind: 'numeric' }>;
    expect(f.mean).toBeCloseTo(area.mean, 9);
    expect(f.std).toBeCloseTo(area.std, 9);
  });

  it('fits statistics on the TRAINING split only (test features are not centred)', () => {
    const ds = loadCsv(fixture, { label: 'price_band', testFraction: 0.25, seed: 3 });
    const all = stats(rows.map((r) => Number(r[1])));
    const rooms = feature(ds, 'rooms') as Extract<FeatureEncoding, { kind: 'numeric' }>;
    expect(rooms.mean).not.toBeCloseTo(all.mean, 6);
    const z = (split: Dataset['train']) => Array.from({ length: split.count }, (_, i) => split.x.values[i * 7 + 1]!);
    const train = stats(z(ds.train));
    expect(train.mean).toBeCloseTo(0, 5);
    expect(train.std).toBeCloseTo(1, 5);
    expect(Math.abs(stats(z(ds.test!)).mean)).toBeGreaterThan(1e-3);
    expect(ds.train.count + ds.test!.count).toBe(24);
  });

  it('encodes a missing number as the mean (0) and a missing or unseen category as all zeros', () => {
    const text = 'x,color,y\n1,red,a\n3,blue,b\n,red,a\n5,,b\n7,green,a\n';
    const ds = loadCsvText(text, { label: 'y', testFraction: 0 });
    const byX = new Map<number, number[]>();
    for (let i = 0; i < ds.train.count; i++) byX.set(i, Array.from(ds.train.x.values.subarray(i * 4, i * 4 + 4)));
    const vectors = [...byX.values()];
    expect(vectors.some((v) => v[0] === 0 && v[3] === 1)).toBe(true); // x missing, red
    expect(vectors.some((v) => v.slice(1).every((c) => c === 0))).toBe(true); // colour missing
    // A category only in the test split encodes as zeros there.
    const big = 'x,color,y\n' + Array.from({ length: 40 }, (_, i) => `${i},${i === 39 ? 'violet' : i % 2 ? 'red' : 'blue'},${i % 2 ? 'a' : 'b'}`).join('\n');
    let violetInTest = 0;
    for (let seed = 1; seed <= 10; seed++) {
      const split = loadCsvText(big, { label: 'y', testFraction: 0.5, seed });
      const color = feature(split, 'color');
      if (color.kind !== 'one-hot' || color.categories.includes('violet')) continue;
      violetInTest++;
      expect(color.categories).toEqual(['blue', 'red']);
      const zeros = Array.from({ length: split.test!.count }, (_, i) => split.test!.x.values.subarray(i * 3 + 1, i * 3 + 3)).filter((v) => v[0] === 0 && v[1] === 0);
      expect(zeros).toHaveLength(1);
    }
    expect(violetInTest).toBeGreaterThan(0);
  });

  it('reads a numeric label as regression (float [1]), or as classes when asked, sorted numerically', () => {
    const text = 'a,b,target\n' + Array.from({ length: 30 }, (_, i) => `${i},${i % 3},${i % 2 ? 10 : 2}`).join('\n');
    const reg = loadCsvText(text, { label: 'target' });
    expect(reg.task).toBe('regression');
    expect(reg.train.y).toMatchObject({ shape: [1], dtype: 'float32' });
    expect(new Set(reg.train.y.values)).toEqual(new Set([2, 10]));
    const cls = loadCsvText(text, { label: 'target', task: 'classification' });
    expect(cls.classes).toEqual(['2', '10']);
    expect(cls.train.y).toMatchObject({ shape: [], dtype: 'int32' });
  });

  it('handles quotes, a byte-order mark, CRLF, blank lines and other delimiters', () => {
    const text = '\uFEFFname;score;kind\r\n"Smith; J.";1.5;"a\r\nb"\r\n\r\n"O""Neil";2.5;c\r\nLee;3;c\r\nKim;4;"a\r\nb"\r\n';
    const ds = loadCsvText(text, { label: 'kind', testFraction: 0, columnTypes: { name: 'ignore' } });
    expect(ds.classes).toEqual(['a\nb', 'c']);
    expect(table(ds).dropped).toEqual(['name']);
    expect(ds.train.count).toBe(4);
  });

  it('stratifies the split by class and is deterministic per seed', () => {
    const text = 'v,y\n' + Array.from({ length: 100 }, (_, i) => `${i},${i < 80 ? 'common' : 'rare'}`).join('\n');
    const a = loadCsvText(text, { label: 'y', seed: 5 });
    expect(Array.from(a.test!.y.values).filter((v) => v === 1).length).toBe(4);
    expect(loadCsvText(text, { label: 'y', seed: 5 }).train.x.values).toEqual(a.train.x.values);
  });
});

describe('CSV refusals name the row and column', () => {
  const header = 'a,b,c,d,label\n';
  const good = (i: number) => `${i},${i * 2},x${i % 3},${i % 5},${i % 2 ? 'odd' : 'even'}\n`;
  const lines = (n: number, bad: Record<number, string>) => header + Array.from({ length: n }, (_, i) => bad[i + 2] ?? good(i)).join('');

  it('ragged rows: "row 17 has 3 fields, expected 5"', () => {
    const e = refusal(lines(30, { 17: '1,2,3\n' }), { label: 'label', fileName: 'r.csv' });
    expect(e.message).toBe('r.csv: row 17 has 3 fields, expected 5');
    expect(e.where).toBe('r.csv');
  });

  it('a missing label value', () => {
    expect(refusal(lines(10, { 4: '1,2,x,3,\n' }), { label: 'label' }).message).toMatch(/row 4 has no value in the label column "label"/);
  });

  it('a label column that does not exist, with the available names', () => {
    expect(refusal(lines(5, {}), { label: 'lable' }).message).toMatch(/label column "lable" does not exist; the columns are "a", "b", "c", "d", "label"/);
  });

  it('text in a numeric column', () => {
    expect(refusal(lines(20, { 9: '1,abc,x1,3,odd\n' }), { label: 'label' }).message).toMatch(
      /row 9, column "b": "abc" is not a number, but 19 of the column's 20 values are; fix the value, leave the cell empty for a missing value, or set the column type to categorical/,
    );
    expect(refusal(lines(20, { 5: '1,2,x1,oops,odd\n' }), { label: 'label', columnTypes: { d: 'numeric' } }).message).toMatch(/row 5, column "d": "oops" is not a number \(the column is set to numeric\)/);
  });

  it('an empty file, a blank file and a header without rows', () => {
    expect(refusal('', { label: 'label' }).message).toMatch(/the file is empty/);
    expect(refusal(' \n\n', { label: 'label' }).message).toMatch(/the file is empty/);
    expect(refusal(header, { label: 'label' }).message).toMatch(/the file has a header but no data rows/);
    expect(refusal(header + '\n\n', { label: 'label' }).message).toMatch(/the file has a header but no data rows/);
  });

  it('a file over the size cap, checked before parsing', () => {
    const notEvenCsv = new Uint8Array(2000).fill(0x22); // 2,000 quote marks: would fail to parse
    expect(refusal(notEvenCsv, { label: 'label', maxBytes: 1000, fileName: 'big.csv' }).message).toMatch(
      /big.csv: the file is 0.0 MB, over the 0.0 MB limit for reading into memory; stream it in chunks instead, or raise maxBytes/,
    );
    expect(refusal(new Uint8Array(3 * 1024 * 1024), { label: 'label', maxBytes: 2 * 1024 * 1024 }).message).toMatch(/the file is 3.0 MB, over the 2.0 MB limit/);
  });

  it('an unclosed quote, a single class, a text label for regression, too many categories', () => {
    expect(refusal('a,label\n1,x\n"2,y\n', { label: 'label' }).message).toMatch(/row 3: a quoted field is never closed/);
    expect(refusal('a,label\n1,x\n2,x\n', { label: 'label' }).message).toMatch(/label column "label" has only one class \("x"\)/);
    expect(refusal('a,label\n1,x\n2,y\n', { label: 'label', task: 'regression' }).message).toMatch(/row 2, column "label": "x" is not a number, but the task is regression/);
    const ids = 'id,v,label\n' + Array.from({ length: 50 }, (_, i) => `u${i},${i},${i % 2}`).join('\n');
    expect(refusal(ids, { label: 'label', maxCategories: 10, testFraction: 0 }).message).toMatch(/column "id" has more than 10 distinct values; one-hot encoding it would add that many features — set its type to "ignore"/);
  });

  it('a duplicate header name and a columnTypes entry for a missing column', () => {
    expect(refusal('a,a,label\n1,2,x\n', { label: 'label' }).message).toMatch(/column name "a" appears twice in the header/);
    expect(refusal('a,label\n1,x\n2,y\n', { label: 'label', columnTypes: { b: 'ignore' } }).message).toMatch(/columnTypes names "b", which is not a column/);
  });
});
