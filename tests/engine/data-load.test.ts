// loadDataset: project references → Datasets with injected pieces; every failure is a
// DatasetError; and Node built-ins stay in node-files.ts, out of what the browser loads.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { zipSync } from 'fflate';
import { fileFormat, loadDataset, BUILTIN_DATASETS, type DatasetDeps } from '../../src/engine/data/load.js';
import { nodeMnistBytes, readFileBytes } from '../../src/engine/data/node-files.js';
import { DatasetError } from '../../src/engine/data/types.js';
import type { DatasetRef } from '../../src/engine/project/types.js';
import { datasetRefusal } from '../helpers/refusal.js';

const fixtures = join(import.meta.dirname, '../fixtures/data');
const files: Record<string, Uint8Array> = {
  'houses.csv': readFileSync(join(fixtures, 'houses.csv')),
  'reviews.jsonl': readFileSync(join(fixtures, 'reviews.jsonl')),
  'tiny.txt': new TextEncoder().encode('to be or not to be, that is the question. '.repeat(20)),
  'notes.docx': new Uint8Array(3),
};
const readFile = async (path: string) => {
  const f = files[path];
  if (!f) throw new Error(`ENOENT: ${path}`);
  return f;
};
const deps = (extra: Partial<DatasetDeps> = {}): DatasetDeps => ({ readFile, ...extra });


describe('loadDataset: built-ins', () => {
  it('loads MNIST through the injected bytes', async () => {
    const ds = await loadDataset({ source: 'builtin', name: 'mnist' }, { mnistBytes: nodeMnistBytes });
    expect([ds.name, ds.train.count, ds.test!.count]).toEqual(['mnist', 8000, 2000]);
    expect((await datasetRefusal(loadDataset({ source: 'builtin', name: 'mnist' }, {}))).message).toMatch(/the MNIST file is not available here/);
  });

  it('loads Iris and the synthetic sets with seed and options', async () => {
    expect((await loadDataset({ source: 'builtin', name: 'iris' })).train.count).toBe(120);
    const spiral = await loadDataset({ source: 'builtin', name: 'spiral' }, { options: { seed: 4, synthetic: { n: 300, classes: 3 } } });
    expect(spiral.classes).toHaveLength(3);
    expect(spiral.train.count + spiral.test!.count).toBe(300);
    expect(BUILTIN_DATASETS).toEqual(['mnist', 'iris', 'spiral', 'circles', 'xor', 'clusters', 'plane']);
    expect((await datasetRefusal(loadDataset({ source: 'builtin', name: 'cifar10' }))).message).toBe('cifar10: unknown built-in dataset "cifar10"; the built-ins are mnist, iris, spiral, circles, xor, clusters, plane');
  });
});

describe('loadDataset: files', () => {
  it('reads a CSV table with the chosen label', async () => {
    const ds = await loadDataset({ source: 'file', path: 'houses.csv', label: 'price_band' }, deps());
    expect(ds.preprocessing?.kind).toBe('table');
    expect(ds.classes).toEqual(['cheap', 'dear', 'mid']);
  });

  it('asks for a label column, listing the columns', async () => {
    expect((await datasetRefusal(loadDataset({ source: 'file', path: 'houses.csv' }, deps()))).message).toBe(
      'houses.csv: no label column chosen (dataset.label); the columns are "area", "rooms", "city", "garden", "price_band"',
    );
  });

  it('reads JSONL text with the model input length, and a .txt corpus for language modeling', async () => {
    const text = await loadDataset({ source: 'file', path: 'reviews.jsonl', label: 'label' }, deps({ options: { input: { shape: [12], dtype: 'int32' } } }));
    expect(text.train.x.shape).toEqual([12]);
    const lm = await loadDataset({ source: 'file', path: 'tiny.txt' }, deps({ options: { input: { shape: [16], dtype: 'int32' }, task: 'language-modeling' } }));
    expect(lm.task).toBe('language-modeling');
    expect(lm.train.y.shape).toEqual([16]);
    expect((await datasetRefusal(loadDataset({ source: 'file', path: 'tiny.txt' }, deps()))).message).toMatch(/a language-modeling corpus needs the model's input shape \[length\], got none/);
  });

  it('reads an image zip through the injected decoder at the model input size', async () => {
    const zip = zipSync({ 'a/1.bmp': Uint8Array.of(0), 'a/2.bmp': Uint8Array.of(0), 'b/1.bmp': Uint8Array.of(255), 'b/2.bmp': Uint8Array.of(255) });
    // Test-only decoder: a 1×1 gray image whose value is the file's one byte.
    const imageDecoder = { decode: async (b: Uint8Array) => ({ width: 1, height: 1, data: new Uint8ClampedArray([b[0]!, b[0]!, b[0]!, 255]) }) };
    const ds = await loadDataset({ source: 'file', path: 'pics.zip' }, { readFile: async () => zip, imageDecoder, options: { input: { shape: [2, 2, 1] }, testFraction: 0 } });
    expect(ds.classes).toEqual(['a', 'b']);
    expect(ds.train.x.shape).toEqual([2, 2, 1]);
    expect(new Set(ds.train.x.values)).toEqual(new Set([0, 1]));
    expect((await datasetRefusal(loadDataset({ source: 'file', path: 'pics.zip' }, { readFile: async () => zip, options: { input: { shape: [2, 2, 1] } } }))).message).toMatch(/no image decoder is available here/);
    expect((await datasetRefusal(loadDataset({ source: 'file', path: 'pics.zip' }, { readFile: async () => zip, imageDecoder, options: { input: { shape: [2, 2, 4] } } }))).message).toMatch(/1 or 3 channels, got 4/);
  });

  it('refuses unknown extensions, missing readers and no dataset; wraps foreign errors', async () => {
    expect((await datasetRefusal(loadDataset({ source: 'file', path: 'notes.docx', label: 'x' }, deps()))).message).toMatch(/cannot tell how to read "notes.docx": expected .csv, .tsv, .jsonl, .txt or .zip/);
    expect((await datasetRefusal(loadDataset({ source: 'file', path: 'a.csv' }, {}))).message).toMatch(/files cannot be read here \(no readFile\)/);
    expect((await datasetRefusal(loadDataset({} as DatasetRef))).message).toBe('no dataset chosen for this project');
    expect((await datasetRefusal(loadDataset({ source: 'file', path: 'gone.csv', label: 'y' }, deps()))).message).toBe('gone.csv: could not load the dataset (ENOENT: gone.csv)');
    expect((await datasetRefusal(readFileBytes('/definitely/not/here.csv'))).message).toMatch(/^\/definitely\/not\/here.csv: cannot read the file/);
  });

  it('chooses a format from the extension and the model input', () => {
    expect(fileFormat('a.csv')).toBe('table');
    expect(fileFormat('a.csv', { input: { shape: [64], dtype: 'int32' } })).toBe('text');
    expect(fileFormat('a.TSV')).toBe('table');
    expect(fileFormat('a.ndjson')).toBe('text');
    expect(fileFormat('a.zip')).toBe('images');
    expect(fileFormat('a.txt')).toBe('corpus');
    expect(fileFormat('a.csv', { format: 'corpus' })).toBe('corpus');
  });
});

describe('data layering', () => {
  const dir = join(import.meta.dirname, '../../src/engine/data');
  const sources = readdirSync(dir).filter((f) => f.endsWith('.ts'));

  it('keeps Node built-ins in node-files.ts only, and out of the public index', () => {
    const withNode = sources.filter((f) => /['"]node:/.test(readFileSync(join(dir, f), 'utf8')));
    expect(withNode).toEqual(['node-files.ts']);
    const importers = sources.filter((f) => /from '\.\/node-files\.js'/.test(readFileSync(join(dir, f), 'utf8')));
    expect(importers).toEqual([]);
  });

  it('imports papaparse through the local declaration, never @types/papaparse (which pulls in Node types)', () => {
    const direct = sources.filter((f) => /from 'papaparse'/.test(readFileSync(join(dir, f), 'utf8')));
    expect(direct).toEqual([]);
  });
});
