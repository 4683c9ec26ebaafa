// The dataset explorer's core on small kept datasets (an image zip with a corrupt file, a CSV
// table, a JSONL text set): splits checked against the engine's own loaders and carveValidation,
// class filters, search, duplicates with leakage, and errors that say what and where.
import { describe, expect, it } from 'vitest';
import { strToU8, zipSync } from 'fflate';
import { carveValidation, DatasetError, loadDataset, type Dataset, type LoadOptions, type Split } from '../../src/engine/data/index.js';
import { classLabels } from '../../src/engine/data/split.js';
import { StorageError, type DatasetId, type DatasetRecord } from '../../src/storage/types.js';
import { DatasetExplorer, ExploreError, type ExploreDeps } from '../../src/workers/explore-dataset.js';
import type { ExploreSessionId } from '../../src/workers/explorer-api.js';
import type { DatasetRequest } from '../../src/workers/trainer-api.js';
import { ppm, ppmDecoder } from '../helpers/ppm-images.js';

/** A noisy square of one colour (seeded): distinct images of one class. */
const noisy = (colour: readonly [number, number, number], seed: number) => {
  let s = seed;
  const jitter = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) % 61) - 30;
  return ppm(6, 6, () => colour.map((v) => Math.max(0, Math.min(255, v + jitter()))) as unknown as [number, number, number]);
};

const kept: Record<string, { record: DatasetRecord; bytes: Uint8Array }> = {};
function keep(id: string, name: string, format: DatasetRecord['format'], bytes: Uint8Array, extra: Partial<DatasetRecord> = {}): DatasetRequest {
  const record = { id: id as DatasetId, name, version: 'v' as DatasetRecord['version'], source: { source: 'file', path: name, ...(extra.source ?? {}) }, format, columns: [], classes: null, splits: { train: 0, validation: 0, test: 0 }, chunks: [], bytes: bytes.length, createdAt: 0, ...extra } as DatasetRecord;
  kept[id] = { record, bytes };
  return { source: 'stored', datasetId: id as DatasetId, name };
}

/** What the worker does with loadForRun, with a PPM decoder instead of the browser's. */
const load = (req: DatasetRequest, options: LoadOptions): Promise<Dataset> => {
  if (req.source !== 'stored') throw new Error('test loads kept datasets only');
  const { record, bytes } = kept[req.datasetId]!;
  const src = record.source;
  const label = src.source === 'file' ? src.label : undefined;
  return loadDataset({ source: 'file', path: record.name, ...(label ? { label } : {}) }, { readFile: async () => bytes, imageDecoder: ppmDecoder, options });
};
const deps: ExploreDeps = {
  load,
  readRecord: async (id) => {
    const k = kept[id];
    if (!k) throw new StorageError('not-found', `the dataset kept on this device (${id}) no longer exists; it was deleted — import the file again`);
    return k.record;
  },
  readBytes: async (id) => {
    if (id === 'img') throw new Error('image sets load through load(), never as raw bytes');
    return kept[id]!.bytes;
  },
};

const RED = [220, 30, 30] as const;
const BLUE = [30, 30, 220] as const;
const GREEN = [30, 200, 30] as const;
const files: Record<string, Uint8Array> = {};
for (let i = 0; i < 12; i++) files[`red/${i}.ppm`] = noisy(RED, 100 + i);
for (let i = 0; i < 6; i++) files[`blue/${i}.ppm`] = noisy(BLUE, 200 + i);
for (let i = 0; i < 3; i++) files[`green/${i}.ppm`] = noisy(GREEN, 300 + i);
files['red/copy-of-0.ppm'] = files['red/0.ppm']!;
files['blue/broken.ppm'] = strToU8('not a picture');
const imagesReq = keep('img', 'pets.zip', 'image-zip', zipSync(files));

/** Samples per class in a split, the oracle's way. */
const perClass = (split: Split, classes: number) => {
  const out = new Array<number>(classes).fill(0);
  for (const y of classLabels(split)!) out[y]!++;
  return out;
};

describe('DatasetExplorer: an image zip with a corrupt file', () => {
  const explorer = new DatasetExplorer(deps);
  const options = { seed: 3, validationSplit: 0.25, imageSize: 6 };

  it('summarises classes, balance, splits as training carves them, and the decode report', async () => {
    const s = await explorer.open(imagesReq, options);
    expect(s).toMatchObject({ name: 'pets.zip', kind: 'image', task: 'classification', classes: ['blue', 'green', 'red'], image: { height: 6, width: 6, channels: 3 } });
    expect(Array.from(s.balance!.counts)).toEqual([6, 3, 13]);
    expect(s.balance!.warnings.map((w) => w.kind)).toEqual(['imbalanced']);
    expect(s.decode).toEqual({ attempted: 23, failures: [{ path: 'blue/broken.ppm', stage: 'decode', reason: 'blue/broken.ppm is not a P6 PPM' }] });
    // Oracle: the engine's loader and carveValidation with the same seed, as a training run does.
    const ds = await load(imagesReq, { seed: 3, input: { shape: [6, 6, 3] }, onUndecodable: 'skip' });
    const { train, validation } = carveValidation(ds.train, 0.25, 3);
    expect(s.counts).toEqual({ train: train.count, validation: validation!.count, test: ds.test!.count });
    expect(s.splits!.splits).toEqual(['train', 'validation', 'test']);
    const want = [perClass(train, 3), perClass(validation!, 3), perClass(ds.test!, 3)];
    expect(s.splits!.counts.map((row) => Array.from(row))).toEqual([0, 1, 2].map((c) => want.map((w) => w[c])));
  });

  it('filters the grid by class and split, pages, and previews pixels as RGBA', async () => {
    const s = await explorer.open(imagesReq, options);
    const reds = explorer.samples(s.session, { split: 'all', classes: [2], offset: 0, limit: 5 });
    expect(reds.total).toBe(13);
    expect(reds.items).toHaveLength(5);
    for (const item of reds.items) {
      if (item.kind !== 'image') throw new Error('expected images');
      expect(item.label).toBe(2);
      expect(item.rgba.length).toBe(6 * 6 * 4);
      expect(Math.abs(item.rgba[0]! - RED[0])).toBeLessThanOrEqual(31); // within the noise of the class colour
      expect(item.rgba[3]).toBe(255);
    }
    const rest = explorer.samples(s.session, { split: 'all', classes: [2], offset: 10, limit: 5 });
    expect(rest.items.map((i) => i.index)).not.toContain(reds.items[0]!.index);
    expect(rest.items).toHaveLength(3);
    const test = explorer.samples(s.session, { split: 'test', classes: [0, 1], offset: 0, limit: 200 });
    expect(test.total).toBe(s.splits!.counts[0]![2]! + s.splits!.counts[1]![2]!);
    expect(test.items.every((i) => i.split === 'test' && (i.label === 0 || i.label === 1))).toBe(true);
  });

  it('finds the copied image as an exact duplicate and flags it when it crosses splits', async () => {
    const s = await explorer.open(imagesReq, options);
    const phases: string[] = [];
    const q = explorer.quality(s.session, (p) => phases.push(p.phase));
    expect(phases).toEqual(['exact', 'near']);
    expect(q.exact.groupCount).toBe(1);
    const [group] = q.exact.groups;
    expect(group!.members).toHaveLength(2);
    expect(group!.crossesSplits).toBe(new Set(group!.splits).size > 1);
    // The near-duplicate search finds at least the exact copy (and never loses it).
    expect(q.near!.groups.some((g) => group!.members.every((m) => g.members.includes(m)))).toBe(true);
    const pixels = explorer.pick(s.session, group!.members).map((p) => (p.kind === 'image' ? Array.from(p.rgba) : null));
    expect(pixels[0]).not.toBeNull();
    expect(pixels[0]).toEqual(pixels[1]);
  });

  it('refuses bad queries and closed sessions with what went wrong', async () => {
    const s = await explorer.open(imagesReq, options);
    expect(() => explorer.samples(s.session, { split: 'all', classes: [], offset: 0, limit: 0 })).toThrow('limit must be an integer in 1…200, got 0');
    expect(() => explorer.pick(s.session, [999])).toThrow('sample 999 does not exist (the dataset has 22 samples)');
    explorer.close(s.session);
    expect(() => explorer.samples(s.session, { split: 'all', classes: [], offset: 0, limit: 1 })).toThrow(ExploreError);
    expect(() => explorer.quality('nope' as ExploreSessionId)).toThrow(/no longer open in the explorer/);
  });
});

describe('DatasetExplorer: tables and texts', () => {
  const explorer = new DatasetExplorer(deps);
  const csvRows = ['size,colour,species', ...Array.from({ length: 40 }, (_, i) => `${(i * 0.37).toFixed(2)},${['red', 'blue', ''][i % 3]},${i % 4 === 0 ? 'b' : 'a'}`), '0.00,red,b'];
  const tableReq = keep('csv', 'flowers.csv', 'csv', strToU8(csvRows.join('\n')), { source: { source: 'file', path: 'flowers.csv', label: 'species' } });

  it('gives column statistics of the raw cells and the splits of the table loader', async () => {
    const s = await explorer.open(tableReq, { seed: 5, validationSplit: 0.2 });
    expect(s.kind).toBe('table');
    expect(s.header).toEqual(['size', 'colour', 'species']);
    expect(s.columns!.map((c) => [c.name, c.kind, c.count, c.missing])).toEqual([['size', 'number', 41, 0], ['colour', 'category', 28, 13], ['species', 'category', 41, 0]]);
    const size = s.columns![0]!;
    if (size.kind !== 'number') throw new Error('size is a number column');
    expect([size.min, size.max]).toEqual([0, 14.43]);
    const ds = await load(tableReq, { seed: 5 });
    const { train, validation } = carveValidation(ds.train, 0.2, 5);
    expect(s.counts).toEqual({ train: train.count, validation: validation!.count, test: ds.test!.count });
    const want = [perClass(train, 2), perClass(validation!, 2), perClass(ds.test!, 2)];
    expect(s.splits!.counts.map((row) => Array.from(row))).toEqual([0, 1].map((c) => want.map((w) => w[c])));
    const q = explorer.quality(s.session);
    expect(q.near).toBeNull();
    expect(q.exact.groups.map((g) => g.members)).toEqual([[0, 40]]); // "0.00,red,b" twice
  });

  it('browses texts by class and search word, and finds normalised duplicates', async () => {
    const lines = [
      { review: 'Great phone, love it', stars: 'good' },
      { review: 'great  phone, LOVE it', stars: 'good' },
      { review: 'Battery died in a day', stars: 'bad' },
      { review: 'Screen cracked', stars: 'bad' },
      ...Array.from({ length: 12 }, (_, i) => ({ review: `Okay product number ${i}`, stars: i % 2 ? 'good' : 'bad' })),
    ];
    const req = keep('txt', 'reviews.jsonl', 'jsonl', strToU8(lines.map((l) => JSON.stringify(l)).join('\n')), {
      source: { source: 'file', path: 'reviews.jsonl', label: 'stars' },
      columns: [{ name: 'review', type: 'text' }, { name: 'stars', type: 'category' }],
    });
    const s = await explorer.open(req, { seed: 1, validationSplit: 0 });
    expect(s).toMatchObject({ kind: 'text', classes: ['bad', 'good'], counts: { validation: 0 } });
    expect(s.counts.train + s.counts.test).toBe(16);
    const found = explorer.samples(s.session, { split: 'all', classes: [], search: 'PHONE', offset: 0, limit: 10 });
    expect(found.items.map((i) => i.kind === 'text' && i.text)).toEqual(['Great phone, love it', 'great  phone, LOVE it']);
    expect(explorer.samples(s.session, { split: 'all', classes: [0], search: 'phone', offset: 0, limit: 10 }).total).toBe(0);
    expect(explorer.quality(s.session).exact.groups.map((g) => g.members)).toEqual([[0, 1]]);
  });

  it('says what and where when a kept dataset is gone or no longer parses', async () => {
    await expect(explorer.open({ source: 'stored', datasetId: 'gone' as DatasetId, name: 'gone.csv' })).rejects.toThrow(/no longer exists; it was deleted/);
    const broken = keep('bad', 'broken.csv', 'csv', strToU8('a,b\n1,2\n3'), { source: { source: 'file', path: 'broken.csv', label: 'b' } });
    const err = await explorer.open(broken).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatasetError);
    expect((err as Error).message).toMatch(/^broken\.csv: .*row 3 has 1 field, expected 2/);
    await expect(explorer.open({ source: 'builtin', name: 'mnist' }, {})).rejects.toThrow(/test loads kept datasets only/);
  });
});
