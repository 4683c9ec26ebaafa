// Remote datasets: download through an injected fetch, with progress, a size cap enforced
// while reading (not just from Content-Length), a SHA-256 check (Web Crypto) before the bytes
// are used or cached, and an injected cache (storage implements it; MemoryCache here).
import { DatasetError } from './types.js';

/** A catalog entry: what to download and what it must hash to. */
export interface RemoteEntry {
  readonly name: string;
  readonly url: string;
  /** Exact size in bytes; a longer response is refused. */
  readonly size: number;
  /** Lower-case hex SHA-256 of the file. */
  readonly sha256: string;
}

/** The part of a fetch Response the downloader reads (a real Response fits). */
export interface ResponseLike {
  readonly ok: boolean;
  readonly status: number;
  readonly statusText: string;
  readonly headers: { get(name: string): string | null };
  readonly body: { getReader(): ReaderLike } | null;
  arrayBuffer(): Promise<ArrayBuffer>;
}
export interface ReaderLike {
  read(): Promise<{ done: boolean; value?: Uint8Array }>;
  cancel(reason?: unknown): Promise<void>;
}
/** `fetch` itself fits (page, worker, Node 20). */
export type FetchLike = (url: string) => Promise<ResponseLike>;

/** Where downloaded bytes are kept between sessions (storage implements it later). */
export interface ByteCache {
  get(key: string): Promise<Uint8Array | null>;
  put(key: string, bytes: Uint8Array): Promise<void>;
}

/** A ByteCache in memory (tests, the CLI, and the page until storage lands). */
export class MemoryCache implements ByteCache {
  private readonly entries = new Map<string, Uint8Array>();
  async get(key: string): Promise<Uint8Array | null> {
    return this.entries.get(key) ?? null;
  }
  async put(key: string, bytes: Uint8Array): Promise<void> {
    this.entries.set(key, bytes);
  }
  get size(): number {
    return this.entries.size;
  }
}

export type DownloadEvent =
  | { readonly kind: 'cached'; readonly bytes: number }
  | { readonly kind: 'start'; readonly total: number | null }
  | { readonly kind: 'progress'; readonly loaded: number; readonly total: number | null }
  | { readonly kind: 'verified'; readonly sha256: string };

export interface DownloadOptions {
  readonly fetch: FetchLike;
  readonly cache?: ByteCache;
  /** Largest response accepted. Default 256 MiB; an entry's own `size` is stricter. */
  readonly maxBytes?: number;
  readonly onProgress?: (event: DownloadEvent) => void;
}

interface SubtleLike {
  digest(algorithm: 'SHA-256', data: Uint8Array): Promise<ArrayBuffer>;
}

/**
 * Lower-case hex SHA-256 through Web Crypto (`crypto.subtle`, in browsers, workers and Node 20).
 *
 * @example
 * await sha256Hex(new Uint8Array()); // 'e3b0c442…b855'
 */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const subtle = (globalThis as unknown as { crypto?: { subtle?: SubtleLike } }).crypto?.subtle;
  if (!subtle) throw new DatasetError('this environment has no Web Crypto (crypto.subtle), so downloads cannot be verified');
  const digest = new Uint8Array(await subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

const mb = (n: number) => `${(n / (1024 * 1024)).toFixed(1)} MB`;

async function readBody(res: ResponseLike, cap: number, url: string, onProgress?: (e: DownloadEvent) => void): Promise<Uint8Array> {
  const declared = Number(res.headers.get('content-length'));
  const total = Number.isFinite(declared) && declared > 0 ? declared : null;
  if (total !== null && total > cap) throw new DatasetError(`the response is ${mb(total)}, over the ${mb(cap)} limit`, url);
  onProgress?.({ kind: 'start', total });
  if (!res.body) {
    const bytes = new Uint8Array(await res.arrayBuffer());
    if (bytes.length > cap) throw new DatasetError(`the response is over the ${mb(cap)} limit`, url);
    onProgress?.({ kind: 'progress', loaded: bytes.length, total });
    return bytes;
  }
  const reader = res.body.getReader();
  const parts: Uint8Array[] = [];
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (!value) continue;
    loaded += value.length;
    if (loaded > cap) {
      await reader.cancel('over the size limit').catch(() => undefined);
      throw new DatasetError(`the response is larger than the ${mb(cap)} limit (stopped after ${loaded} bytes)`, url);
    }
    parts.push(value);
    onProgress?.({ kind: 'progress', loaded, total });
  }
  const out = new Uint8Array(loaded);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * Downloads a file, or takes it from the cache. With `sha256` the bytes must hash to it —
 * cached bytes too — or a DatasetError says so and nothing is cached or returned. HTTP errors,
 * network failures and oversize responses are DatasetErrors naming the URL.
 *
 * @example
 * const bytes = await download({ url: 'https://example.org/cifar10-small.zip', sha256: 'ab…', size: 1234 }, { fetch, cache, onProgress: console.log });
 */
export async function download(
  source: { readonly url: string; readonly sha256?: string; readonly size?: number },
  options: DownloadOptions,
): Promise<Uint8Array> {
  const { url } = source;
  const expected = source.sha256?.toLowerCase();
  if (expected !== undefined && !/^[0-9a-f]{64}$/.test(expected)) throw new DatasetError(`"${source.sha256}" is not a SHA-256 (64 hex digits)`, url);
  const key = expected ? `sha256:${expected}` : `url:${url}`;
  const cached = await options.cache?.get(key);
  if (cached && (!expected || (await sha256Hex(cached)) === expected)) {
    options.onProgress?.({ kind: 'cached', bytes: cached.length });
    return cached;
  }
  const maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
  const cap = source.size !== undefined ? Math.min(source.size, maxBytes) : maxBytes;
  let res: ResponseLike;
  try {
    res = await options.fetch(url);
  } catch (e) {
    throw new DatasetError(`could not download (${e instanceof Error ? e.message : String(e)})`, url);
  }
  if (!res.ok) throw new DatasetError(`download failed: HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`, url);
  let bytes: Uint8Array;
  try {
    bytes = await readBody(res, cap, url, options.onProgress);
  } catch (e) {
    if (e instanceof DatasetError) throw e;
    throw new DatasetError(`the download broke off (${e instanceof Error ? e.message : String(e)})`, url);
  }
  if (source.size !== undefined && bytes.length !== source.size) {
    throw new DatasetError(`expected ${source.size} bytes, received ${bytes.length}; the file was not used`, url);
  }
  if (expected) {
    const actual = await sha256Hex(bytes);
    if (actual !== expected) throw new DatasetError(`checksum mismatch: expected SHA-256 ${expected}, got ${actual}; the file was not used`, url);
    options.onProgress?.({ kind: 'verified', sha256: actual });
  }
  await options.cache?.put(key, bytes);
  return bytes;
}

/**
 * Downloads a catalog entry (size and checksum both enforced).
 *
 * @example
 * const bytes = await downloadEntry(entry, { fetch, cache: new MemoryCache() });
 */
export function downloadEntry(entry: RemoteEntry, options: DownloadOptions): Promise<Uint8Array> {
  return download(entry, options);
}
