// The OPFS BlobStore against the real thing: Chromium's Origin Private File System, on a page
// (createWritable) and in a dedicated worker (createSyncAccessHandle). The store's modules are
// served as JavaScript by a tiny loopback server (vite's esbuild transform, no bundle); each
// result is checked through the raw OPFS API as well as through the store.
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { transformWithEsbuild } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type LaunchedBrowser } from '../browser/chromium.js';

const root = join(import.meta.dirname, '../..');

// Runs in the page and in the worker: exercises one store and reports what it saw.
const SUITE = `
import { createOpfsBlobStore } from '/src/storage/blobs/opfs.js';
const same = (a, b) => a !== null && a.length === b.length && a.every((v, i) => v === b[i]);
async function rawNames(dir) { const n = []; for await (const [k] of dir.entries()) n.push(k); return n.sort(); }
export async function suite(mode, folder) {
  const root = await navigator.storage.getDirectory();
  const dir = await root.getDirectoryHandle(folder, { create: true });
  const blobs = createOpfsBlobStore(dir, { mode });
  const out = {};
  let syncWrites = 0;
  const S = globalThis.FileSystemSyncAccessHandle?.prototype;
  const origSync = S?.write;
  if (S) S.write = function (...a) { syncWrites++; return origSync.apply(this, a); };
  const bytes = new Uint8Array(3_000_001).map((_, i) => (i * 2654435761) >>> 24);
  await blobs.write('a/b/c/data.bin', bytes);
  out.roundTrip = same(await blobs.read('a/b/c/data.bin'), bytes);
  const c = await (await (await dir.getDirectoryHandle('a')).getDirectoryHandle('b')).getDirectoryHandle('c');
  out.raw = same(new Uint8Array(await (await (await c.getFileHandle('data.bin')).getFile()).arrayBuffer()), bytes);
  await blobs.write('a/b/c/data.bin', new Uint8Array([1, 2, 3]));
  out.afterOverwrite = Array.from(await blobs.read('a/b/c/data.bin'));
  out.size = await blobs.size('a/b/c/data.bin');
  out.missing = [await blobs.size('a/nope.bin'), await blobs.read('x/y.bin'), await blobs.size('a/b')];
  await blobs.write('a/b/other.bin', new Uint8Array(10));
  await blobs.write('a/z.bin', new Uint8Array(5));
  await blobs.write('top.bin', new Uint8Array(1));
  out.listAll = await blobs.list('');
  out.listAB = await blobs.list('a/b/');
  out.listPrefix = await blobs.list('a/b/o');
  out.listNone = await blobs.list('q/');
  out.namesInC = await rawNames(c);
  // What an interrupted write leaves: listed, deletable; the store never reads it as a file.
  const w = await (await dir.getFileHandle('left.bin.tmp-abc', { create: true })).createWritable();
  await w.write(new Uint8Array(7)); await w.close();
  out.tempListed = (await blobs.list('')).find((f) => f.path === 'left.bin.tmp-abc') ?? null;
  await blobs.delete('left.bin.tmp-abc');
  out.namesAfterTempDelete = await rawNames(dir);
  await blobs.delete('a/b/c/data.bin');
  await blobs.delete('never/there.bin');
  out.afterDelete = await blobs.read('a/b/c/data.bin');
  try { await blobs.write('a/../x.bin', bytes); out.badPath = 'accepted'; } catch (e) { out.badPath = e.code + ': ' + e.message; }
  out.usedSync = syncWrites > 0;
  // A full disk in the middle of writing: the old file stays, no temporary file is left.
  await blobs.write('keep.bin', new Uint8Array([9, 9]));
  const W = globalThis.FileSystemWritableFileStream?.prototype;
  const origW = W?.write;
  const full = () => { throw new DOMException('quota', 'QuotaExceededError'); };
  if (W) W.write = function () { return Promise.reject(new DOMException('quota', 'QuotaExceededError')); };
  if (S) S.write = full;
  try { await blobs.write('keep.bin', new Uint8Array(100)); out.quota = 'accepted'; } catch (e) { out.quota = e.name + ' ' + e.code; }
  if (W) W.write = origW;
  if (S) S.write = origSync;
  out.keptAfterQuota = Array.from(await blobs.read('keep.bin'));
  out.namesAfterQuota = await rawNames(dir);
  // A browser without FileSystemHandle.move(): the fallback writes the final file directly.
  const F = FileSystemFileHandle.prototype;
  const origMove = F.move;
  F.move = undefined;
  await blobs.write('keep.bin', new Uint8Array([4, 5]));
  F.move = origMove;
  out.noMove = Array.from(await blobs.read('keep.bin'));
  out.namesNoMove = await rawNames(dir);
  // Throughput of one 32 MiB file.
  const big = new Uint8Array(32 << 20).fill(7);
  let t = performance.now();
  await blobs.write('big.bin', big);
  out.writeMs = performance.now() - t;
  t = performance.now();
  out.bigOk = (await blobs.read('big.bin')).length === big.length;
  out.readMs = performance.now() - t;
  await root.removeEntry(folder, { recursive: true });
  return out;
}
`;
const WORKER = `
import { suite } from '/__suite.js';
self.onmessage = async (e) => { try { self.postMessage({ ok: true, out: await suite(e.data.mode, e.data.folder) }); } catch (err) { self.postMessage({ ok: false, error: String(err && err.stack || err) }); } };
`;

async function serve(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const send = (type: string, body: string) => res.writeHead(200, { 'Content-Type': type }).end(body);
    if (path === '/') return send('text/html', '<!doctype html><title>opfs</title>');
    if (path === '/__suite.js') return send('text/javascript', SUITE);
    if (path === '/__worker.js') return send('text/javascript', WORKER);
    const ts = join(root, path.replace(/\.js$/, '.ts'));
    if (!path.startsWith('/src/storage/') || !existsSync(ts)) return res.writeHead(404).end();
    transformWithEsbuild(readFileSync(ts, 'utf8'), ts, { loader: 'ts', format: 'esm', target: 'es2022' }).then(
      (r) => send('text/javascript', r.code),
      (e: unknown) => res.writeHead(500).end(String(e)),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://localhost:${(server.address() as AddressInfo).port}/`, server };
}

interface SuiteOut {
  roundTrip: boolean;
  raw: boolean;
  afterOverwrite: number[];
  size: number;
  missing: unknown[];
  listAll: { path: string; bytes: number }[];
  listAB: { path: string; bytes: number }[];
  listPrefix: { path: string; bytes: number }[];
  listNone: unknown[];
  namesInC: string[];
  tempListed: { path: string; bytes: number } | null;
  namesAfterTempDelete: string[];
  afterDelete: unknown;
  badPath: string;
  usedSync: boolean;
  quota: string;
  keptAfterQuota: number[];
  namesAfterQuota: string[];
  noMove: number[];
  namesNoMove: string[];
  writeMs: number;
  readMs: number;
  bigOk: boolean;
}

describe('OPFS BlobStore in Chromium', () => {
  let browser: LaunchedBrowser;
  let server: Server;
  const results: Record<string, SuiteOut> = {};
  let locks: { webLocks: boolean; during: unknown; after: unknown };

  beforeAll(async () => {
    const s = await serve();
    server = s.server;
    browser = await launchChromium();
    const page = await browser.browser.newPage();
    await page.goto(s.url);
    // A string, so vitest's transform does not rewrite the page's dynamic import.
    results['page'] = (await page.evaluate(`import('/__suite.js').then((m) => m.suite('auto', 'page-test'))`)) as SuiteOut;
    locks = (await page.evaluate(`import('/src/storage/blobs/locks.js').then(async (L) => {
      let release;
      const gate = new Promise((r) => (release = r));
      const writing = L.whileWriting(() => gate);
      const during = await L.ifNoWriters(async () => 1);
      release();
      await writing;
      return { webLocks: typeof navigator.locks?.request === 'function', during, after: await L.ifNoWriters(async () => 2) };
    })`)) as typeof locks;
    results['worker'] = await page.evaluate(
      () =>
        new Promise<SuiteOut>((resolve, reject) => {
          const w = new Worker('/__worker.js', { type: 'module' });
          w.onmessage = (e: MessageEvent<{ ok: boolean; out: SuiteOut; error: string }>) => (e.data.ok ? resolve(e.data.out) : reject(new Error(e.data.error)));
          w.onerror = (e) => reject(new Error(e.message));
          w.postMessage({ mode: 'auto', folder: 'worker-test' });
        }),
    );
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => server?.close(r));
  });

  it('the collector does not run while a writer holds the Web Lock', () => {
    expect(locks).toEqual({ webLocks: true, during: { ran: false }, after: { ran: true, value: 2 } });
  });

  for (const where of ['page', 'worker'] as const) {
    describe(where, () => {
      const r = () => results[where]!;
      it(where === 'page' ? 'writes through createWritable on a page' : 'writes through a sync access handle in a dedicated worker', () => {
        expect(r().usedSync).toBe(where === 'worker');
      });
      it('round-trips 3 MB bit-exactly, readable through the raw OPFS API in nested folders', () => {
        expect(r().roundTrip).toBe(true);
        expect(r().raw).toBe(true);
        expect(r().bigOk).toBe(true);
      });
      it('replaces a file atomically and leaves no temporary file', () => {
        expect(r().afterOverwrite).toEqual([1, 2, 3]);
        expect(r().size).toBe(3);
        expect(r().namesInC).toEqual(['data.bin']);
      });
      it('answers null for missing files and folders', () => expect(r().missing).toEqual([null, null, null]));
      it('lists by folder and by name prefix, with sizes', () => {
        expect(r().listAll).toEqual([
          { path: 'a/b/c/data.bin', bytes: 3 },
          { path: 'a/b/other.bin', bytes: 10 },
          { path: 'a/z.bin', bytes: 5 },
          { path: 'top.bin', bytes: 1 },
        ]);
        expect(r().listAB.map((f) => f.path)).toEqual(['a/b/c/data.bin', 'a/b/other.bin']);
        expect(r().listPrefix.map((f) => f.path)).toEqual(['a/b/other.bin']);
        expect(r().listNone).toEqual([]);
      });
      it("lists and deletes what an interrupted write left, and deletes idempotently", () => {
        expect(r().tempListed).toEqual({ path: 'left.bin.tmp-abc', bytes: 7 });
        expect(r().namesAfterTempDelete).toEqual(['a', 'top.bin']);
        expect(r().afterDelete).toBeNull();
      });
      it('refuses a path with ".."', () => expect(r().badPath).toMatch(/^invalid-record: blob path "a\/\.\.\/x\.bin": has a "\.\." segment/));
      it("turns a full disk into StorageError('quota'), keeping the old file and no temporary file", () => {
        expect(r().quota).toBe('StorageError quota');
        expect(r().keptAfterQuota).toEqual([9, 9]);
        expect(r().namesAfterQuota.filter((n) => n.includes('.tmp-'))).toEqual([]);
      });
      it('falls back to writing the final file when move() is missing, leaving no temporary file', () => {
        expect(r().noMove).toEqual([4, 5]);
        expect(r().namesNoMove).toEqual(['a', 'keep.bin', 'top.bin']);
      });
      it('reports throughput', () => {
        console.log(`OPFS ${where}: 32 MiB write ${r().writeMs.toFixed(0)} ms, read ${r().readMs.toFixed(0)} ms`);
        expect(r().writeMs).toBeGreaterThan(0);
      });
    });
  }
});
