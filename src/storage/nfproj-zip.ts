// Reading an untrusted .nfproj zip one entry at a time (fflate's streaming Unzip), so memory
// holds one entry, not the archive: size caps checked first, then real inflated bytes counted
// as they come out (declared sizes are chosen by whoever made the file) per entry and in total,
// aborting as soon as a cap is crossed; traversal, duplicates and truncation refuse the file.
import { Unzip, UnzipInflate, type UnzipFile } from 'fflate';
import { StorageError } from './types.js';
import { concatBytes } from '../engine/bytes.js';

export interface ZipCaps {
  /** The .nfproj file itself. Default 2 GiB. */
  readonly maxFileBytes: number;
  /** Entries, folders included. Default 100,000. */
  readonly maxEntries: number;
  /** Inflated bytes of one entry. Default 1 GiB. */
  readonly maxEntryBytes: number;
  /** Inflated bytes of all entries together. Default 8 GiB. */
  readonly maxTotalBytes: number;
}

export const DEFAULT_ZIP_CAPS: ZipCaps = { maxFileBytes: 2 * 1024 ** 3, maxEntries: 100_000, maxEntryBytes: 1024 ** 3, maxTotalBytes: 8 * 1024 ** 3 };

/** Compressed bytes pushed at a time: deflate expands at most ~1032×, so one push yields ≤ ~17 MB. */
const STEP = 16 * 1024;
const EOCD = 0x06054b50;

/** A refusal of the whole file, naming the entry (empty for the file itself) and what is wrong. */
export function fileError(entry: string, message: string, field = '', cause?: unknown): StorageError {
  const where = entry ? `entry "${entry}"${field ? ` at ${field}` : ''}: ` : '';
  return new StorageError('invalid-record', `This project file cannot be imported: ${where}${message}`, cause, { store: entry, key: '', field });
}

const mb = (n: number) => (n >= 1024 ** 3 ? `${(n / 1024 ** 3).toFixed(1)} GiB` : `${(n / 1024 ** 2).toFixed(1)} MiB`);
const u16 = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8);
const u32 = (b: Uint8Array, at: number) => (u16(b, at) | (u16(b, at + 2) << 16)) >>> 0;

/** The entry count the end-of-central-directory record declares; null for zip64 (0xFFFF). Throws when there is none: the file is truncated. */
function declaredEntries(bytes: Uint8Array): number | null {
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--) {
    if (u32(bytes, at) === EOCD) {
      const n = u16(bytes, at + 10);
      return n === 0xffff ? null : n;
    }
  }
  throw fileError('', 'the file is truncated or not a zip (no end-of-central-directory record)');
}

/** Why an entry name is refused ("../", absolute, backslashes, empty segments), or null. */
export function unsafeName(name: string): string | null {
  if (/^([/\\]|[A-Za-z]:)/.test(name)) return 'has an absolute path';
  if (name.includes('\\')) return 'contains a backslash';
  const segments = name.replace(/\/$/, '').split('/');
  if (segments.includes('..')) return 'points outside the archive ("../")';
  if (segments.some((s) => s === '' || s === '.')) return 'has an empty or "." segment';
  return null;
}

/**
 * Calls `visit` with each file entry's name and inflated bytes, in archive order, awaiting each
 * before reading on. Folder entries are skipped. Throws StorageError('invalid-record') naming
 * the entry for traversal, a duplicate, corruption, truncation or any cap crossed.
 * @example await forEachEntry(bytes, DEFAULT_ZIP_CAPS, async (name, data) => { … });
 */
export async function forEachEntry(bytes: Uint8Array, caps: ZipCaps, visit: (name: string, data: Uint8Array) => Promise<void> | void): Promise<void> {
  if (bytes.length > caps.maxFileBytes) throw fileError('', `the file is ${mb(bytes.length)}; the limit is ${mb(caps.maxFileBytes)}`);
  if (bytes.length < 4 || u32(bytes, 0) !== 0x04034b50) throw fileError('', u32(bytes, 0) === EOCD ? 'the zip is empty' : 'not a zip file (no entry header at the start)');
  const declared = declaredEntries(bytes);
  if (declared !== null && declared > caps.maxEntries) throw fileError('', `the zip lists ${declared} entries; the limit is ${caps.maxEntries}`);

  const done: { name: string; data: Uint8Array }[] = [];
  const names = new Set<string>();
  const open = new Set<string>();
  let seen = 0;
  let total = 0;
  let failure: StorageError | null = null;
  const fail = (e: StorageError, file?: UnzipFile) => {
    failure ??= e;
    file?.terminate();
  };

  const unzip = new Unzip((file) => {
    if (failure) return;
    if (++seen > caps.maxEntries) return fail(fileError('', `the zip has more than ${caps.maxEntries} entries`));
    const why = unsafeName(file.name);
    if (why) return fail(fileError(file.name, `its name ${why}; refusing the whole file`));
    if (names.has(file.name)) return fail(fileError(file.name, 'appears twice in the zip'));
    names.add(file.name);
    if (file.name.endsWith('/')) return; // a folder
    if (file.compression !== 0 && file.compression !== 8) return fail(fileError(file.name, `uses compression method ${file.compression}; only stored and deflate are read`));
    const parts: Uint8Array[] = [];
    let size = 0;
    open.add(file.name);
    file.ondata = (err, chunk, final) => {
      if (failure) return;
      if (err) return fail(fileError(file.name, `is corrupt (${err.message})`, '', err), file);
      size += chunk.length;
      total += chunk.length;
      if (size > caps.maxEntryBytes) return fail(fileError(file.name, `inflates to more than ${mb(caps.maxEntryBytes)} (the per-entry limit); refusing the file`), file);
      if (total > caps.maxTotalBytes) return fail(fileError(file.name, `the zip inflates to more than ${mb(caps.maxTotalBytes)} (the limit); refusing the file`), file);
      parts.push(chunk);
      if (final) {
        open.delete(file.name);
        done.push({ name: file.name, data: concatBytes(parts) });
      }
    };
    file.start();
  });
  unzip.register(UnzipInflate);

  for (let at = 0; at < bytes.length && !failure; at += STEP) {
    try {
      unzip.push(bytes.subarray(at, Math.min(bytes.length, at + STEP)), at + STEP >= bytes.length);
    } catch (e) {
      fail(fileError('', `the zip is corrupt (${(e as Error).message})`, '', e));
    }
    // Hand finished entries over (and let their work finish) before inflating more.
    while (done.length && !failure) {
      const e = done.shift()!;
      await visit(e.name, e.data);
    }
  }
  if (failure) throw failure;
  if (open.size > 0) throw fileError([...open][0]!, 'is incomplete: the file is truncated');
  const files = seen;
  if (declared !== null && declared !== files) throw fileError('', `the zip's directory lists ${declared} entries but ${files} were found: the file is truncated or altered`);
}

