// A folder upload in the worker, without a browser: the top folder is dropped so classes are
// the sub-folders, a non-image file is skipped, and a non-image model input is refused; a
// remote URL is downloaded once and then served from the worker's cache.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DatasetError, MemoryCache, type DownloadEvent, type ImageDecoder } from '../../src/engine/data/index.js';
import { loadFolder, stripTopFolder } from '../../src/workers/load-folder.js';
import { describeRequest, loadRunData } from '../../src/workers/load-run-data.js';

/** "Decodes" a 2×2 image whose brightness is the file's first byte. */
const decoder: ImageDecoder = {
  async decode(bytes) {
    return { width: 2, height: 2, data: new Uint8ClampedArray(16).fill(bytes[0]!) };
  },
};
const file = (path: string, v: number) => ({ path, bytes: new Uint8Array([v]).buffer });
const files = [...Array.from({ length: 10 }, (_, i) => file(`pets/cats/${i}.png`, 200)), ...Array.from({ length: 10 }, (_, i) => file(`pets/dogs/${i}.png`, 20)), file('pets/dogs/notes.txt', 0)];

afterEach(() => vi.unstubAllGlobals());

describe('loadFolder', () => {
  it('strips the top folder: classes are the sub-folders', async () => {
    expect(stripTopFolder('pets/cats/1.png')).toBe('cats/1.png');
    const ds = await loadFolder('pets', files, decoder, { input: { shape: [2, 2, 1] }, seed: 1 });
    expect(ds.classes).toEqual(['cats', 'dogs']);
    expect(ds.train.count + (ds.test?.count ?? 0)).toBe(20);
    expect(ds.skipped).toEqual([{ path: 'dogs/notes.txt', reason: expect.stringContaining('not an image') }]);
    expect(describeRequest({ source: 'folder', name: 'pets', files: [] })).toBe('pets/ (0 files)');
  });

  it('refuses a model whose input is not an image', async () => {
    await expect(loadFolder('pets', files, decoder, { input: { shape: [784] } })).rejects.toBeInstanceOf(DatasetError);
  });
});

describe('remote downloads', () => {
  const csv = new TextEncoder().encode(['x,label', ...Array.from({ length: 20 }, (_, i) => `${i},${i % 2 ? 'a' : 'b'}`)].join('\n'));

  it('downloads a URL once and serves the second run from the cache', async () => {
    const fetch = vi.fn(async () => new Response(csv.slice()));
    vi.stubGlobal('fetch', fetch);
    const cache = new MemoryCache();
    const req = { source: 'remote', url: 'https://example.test/t.csv', label: 'label' } as const;
    await loadRunData(req, { seed: 1 }, () => {}, cache);
    const events: DownloadEvent[] = [];
    const ds = await loadRunData(req, { seed: 1 }, (e) => events.push(e), cache);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(events).toEqual([{ kind: 'cached', bytes: csv.length }]);
    expect(ds.classes).toEqual(['a', 'b']);
    // Another URL with the same bytes is a different entry (keys are url + sha256).
    await loadRunData({ ...req, url: 'https://example.test/u.csv' }, { seed: 1 }, () => {}, cache);
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('caches nothing when the checksum does not match', async () => {
    const fetch = vi.fn(async () => new Response(csv.slice()));
    vi.stubGlobal('fetch', fetch);
    const cache = new MemoryCache();
    const req = { source: 'remote', url: 'https://example.test/t.csv', label: 'label', sha256: '0'.repeat(64) } as const;
    await expect(loadRunData(req, {}, () => {}, cache)).rejects.toThrow(/checksum mismatch/);
    expect(cache.size).toBe(0);
  });
});
