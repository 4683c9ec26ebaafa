// Initial JavaScript of the built app: the entry script and its modulepreloads from index.html,
// and the JS the page actually fetched before it was interactive, each compressed with gzip
// (level 9) and brotli; and whether any of it holds TF.js (which must load only in the worker).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/**
 * Strings only TF.js's code contains: the same test as tests/browser/bundle.test.ts, so both say
 * the same thing about a chunk (the trainer worker chunk is the positive control).
 */
const TFJS = /registerKernel|Kernel '.*' not registered|WEBGL_VERSION/;

export interface ChunkSize {
  readonly path: string;
  readonly bytes: number;
  readonly gzip: number;
  readonly brotli: number;
  readonly tfjs: boolean;
}

export interface BundleReport {
  /** index.html's module script and its modulepreload links. */
  readonly declared: readonly ChunkSize[];
  /** What the page fetched on the main thread before it was interactive (resource timing). */
  readonly loaded: readonly ChunkSize[];
  /** The trainer worker chunk, which must contain TF.js (shows the TF.js test can say yes). */
  readonly worker: ChunkSize | null;
}

/** Sizes of one built file (path relative to the build's root, with a leading slash). */
export function chunkSize(dir: string, path: string): ChunkSize {
  const data = readFileSync(join(dir, path));
  return {
    path,
    bytes: data.length,
    gzip: gzipSync(data, { level: 9 }).length,
    brotli: brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length } }).length,
    tfjs: TFJS.test(data.toString('utf8')) || /tfjs/i.test(path),
  };
}

/** The entry and modulepreload paths declared by the built index.html. */
export function declaredScripts(dir: string): string[] {
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  const entry = [...html.matchAll(/<script type="module"[^>]*src="(\/[^"]+\.js)"/g)].map((m) => m[1]!);
  if (entry.length === 0) throw new Error(`no module script in ${join(dir, 'index.html')}`);
  const preloads = [...html.matchAll(/<link rel="modulepreload"[^>]*href="(\/[^"]+)"/g)].map((m) => m[1]!);
  return [...entry, ...preloads];
}

/** Sizes of the declared set and of `loaded` (paths seen in the page's resource timing). */
export function bundleReport(dir: string, loaded: readonly string[]): BundleReport {
  const worker = readdirSync(join(dir, 'assets')).find((f) => f.startsWith('trainer.worker-') && f.endsWith('.js'));
  return {
    declared: declaredScripts(dir).map((p) => chunkSize(dir, p)),
    loaded: [...new Set(loaded)].map((p) => chunkSize(dir, p)),
    worker: worker ? chunkSize(dir, `/assets/${worker}`) : null,
  };
}

export const total = (chunks: readonly ChunkSize[], k: 'bytes' | 'gzip' | 'brotli') => chunks.reduce((s, c) => s + c[k], 0);
