// Remote datasets against a loopback HTTP server started here (no other network): progress,
// checksum, HTTP errors, size caps (declared and undeclared), the cache, and loadDataset.
import { createServer, type Server } from 'node:http';
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { download, downloadEntry, MemoryCache, sha256Hex, type DownloadEvent } from '../../src/engine/data/remote.js';
import { loadDataset } from '../../src/engine/data/load.js';
import { DatasetError } from '../../src/engine/data/types.js';
import { datasetRefusal } from '../helpers/refusal.js';

// 300 KB of CSV, generated: big enough to arrive in several chunks.
const csv = new TextEncoder().encode('x,y,label\n' + Array.from({ length: 20_000 }, (_, i) => `${i % 97},${(i * 7) % 13},${i % 3 ? 'a' : 'b'}`).join('\n') + '\n');
const sha = createHash('sha256').update(csv).digest('hex');
let server: Server;
let base = '';
const hits = new Map<string, number>();

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url!.split('?')[0]!;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    if (path === '/data.csv') {
      res.writeHead(200, { 'content-type': 'text/csv', 'content-length': csv.length });
      // Several writes, so the client sees several chunks.
      for (let at = 0; at < csv.length; at += 64 * 1024) res.write(csv.subarray(at, at + 64 * 1024));
      res.end();
    } else if (path === '/big-declared') {
      res.writeHead(200, { 'content-length': 2 * 1024 * 1024 });
      res.end(new Uint8Array(2 * 1024 * 1024));
    } else if (path === '/big-chunked') {
      res.writeHead(200); // no content-length: the cap must hold while reading
      for (let i = 0; i < 32; i++) res.write(new Uint8Array(64 * 1024));
      res.end();
    } else {
      res.writeHead(404, 'Not Found');
      res.end('nope');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));


describe('download', () => {
  it('computes SHA-256 with Web Crypto', async () => {
    expect(await sha256Hex(new Uint8Array())).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(await sha256Hex(csv)).toBe(sha);
  });

  it('downloads with progress events, verifies the checksum, then serves from the cache', async () => {
    const events: DownloadEvent[] = [];
    const cache = new MemoryCache();
    const entry = { name: 'fixture', url: `${base}/data.csv`, size: csv.length, sha256: sha };
    const bytes = await downloadEntry(entry, { fetch, cache, onProgress: (e) => events.push(e) });
    expect(Buffer.compare(bytes, csv)).toBe(0);
    expect(events[0]).toEqual({ kind: 'start', total: csv.length });
    const progress = events.filter((e) => e.kind === 'progress');
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toEqual({ kind: 'progress', loaded: csv.length, total: csv.length });
    expect(progress.every((e, i) => i === 0 || e.loaded > progress[i - 1]!.loaded)).toBe(true);
    expect(events.at(-1)).toEqual({ kind: 'verified', sha256: sha });
    expect(cache.size).toBe(1);

    const before = hits.get('/data.csv');
    const again: DownloadEvent[] = [];
    expect(Buffer.compare(await downloadEntry(entry, { fetch, cache, onProgress: (e) => again.push(e) }), csv)).toBe(0);
    expect(again).toEqual([{ kind: 'cached', bytes: csv.length }]);
    expect(hits.get('/data.csv')).toBe(before);
  });

  it('refuses a checksum mismatch and caches nothing', async () => {
    const cache = new MemoryCache();
    const wrong = 'ab'.repeat(32);
    const e = await datasetRefusal(download({ url: `${base}/data.csv`, sha256: wrong }, { fetch, cache }));
    expect(e.message).toBe(`${base}/data.csv: checksum mismatch: expected SHA-256 ${wrong}, got ${sha}; the file was not used`);
    expect(cache.size).toBe(0);
  });

  it('does not trust a cached copy that no longer matches', async () => {
    const cache = new MemoryCache();
    await cache.put(`sha256:${sha}`, new Uint8Array([1, 2, 3]));
    const bytes = await download({ url: `${base}/data.csv`, sha256: sha }, { fetch, cache });
    expect(bytes.length).toBe(csv.length);
  });

  it('reports HTTP errors with the status', async () => {
    expect((await datasetRefusal(download({ url: `${base}/nothing-here.zip` }, { fetch }))).message).toBe(`${base}/nothing-here.zip: download failed: HTTP 404 Not Found`);
  });

  it('refuses oversize responses: by Content-Length before reading, and while reading without one', async () => {
    const declared = await datasetRefusal(download({ url: `${base}/big-declared` }, { fetch, maxBytes: 1024 * 1024 }));
    expect(declared.message).toMatch(/the response is 2.0 MB, over the 1.0 MB limit/);
    const chunked = await datasetRefusal(download({ url: `${base}/big-chunked` }, { fetch, maxBytes: 1024 * 1024 }));
    expect(chunked.message).toMatch(/the response is larger than the 1.0 MB limit \(stopped after \d+ bytes\)/);
    const entry = await datasetRefusal(downloadEntry({ name: 'x', url: `${base}/data.csv`, size: 1000, sha256: sha }, { fetch }));
    expect(entry.message).toMatch(/over the 0.0 MB limit/);
  });

  it('turns network failures and malformed checksums into DatasetErrors', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    expect((await datasetRefusal(download({ url: `http://127.0.0.1:${port}/x` }, { fetch }))).message).toMatch(/could not download \(fetch failed\)/);
    expect((await datasetRefusal(download({ url: `${base}/data.csv`, sha256: 'xyz' }, { fetch }))).message).toMatch(/"xyz" is not a SHA-256/);
  });
});

describe('loadDataset with a remote reference', () => {
  it('downloads, verifies and parses by the URL’s extension', async () => {
    const events: DownloadEvent[] = [];
    const ds = await loadDataset({ source: 'remote', url: `${base}/data.csv?v=1`, sha256: sha, label: 'label' }, { fetch, cache: new MemoryCache(), onProgress: (e) => events.push(e) });
    expect(ds.name).toBe(`remote:${base}/data.csv?v=1`);
    expect(ds.classes).toEqual(['a', 'b']);
    expect(ds.train.count + ds.test!.count).toBe(20_000);
    expect(events.some((e) => e.kind === 'verified')).toBe(true);
    expect((await datasetRefusal(loadDataset({ source: 'remote', url: `${base}/data.csv`, sha256: 'cd'.repeat(32), label: 'label' }, { fetch }))).message).toMatch(/checksum mismatch/);
  });
});
