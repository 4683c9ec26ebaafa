// Reading an untrusted zip safely (fflate's streaming Unzip): real decompressed bytes are
// counted as they come out (declared sizes are chosen by whoever made the file), with caps on
// total bytes, bytes per entry and entry count; "../" and absolute paths refuse the whole zip;
// __MACOSX/ and dotfiles are skipped and reported.
import { Unzip, UnzipInflate, type UnzipFile } from 'fflate';
import { DatasetError, type SkippedEntry } from './types.js';
import { concatBytes } from '../bytes.js';

export interface ZipLimits {
  /** Decompressed bytes of all accepted entries together. Default 512 MiB. */
  readonly maxTotalBytes?: number;
  /** Decompressed bytes of one entry. Default 64 MiB. */
  readonly maxEntryBytes?: number;
  /** Entries of any kind, folders included. Default 100,000. */
  readonly maxEntries?: number;
}

export interface ZipEntry {
  /** Normalised path inside the zip: "/"-separated, no leading "./". */
  readonly path: string;
  readonly bytes: Uint8Array;
}

export interface ZipContents {
  readonly entries: readonly ZipEntry[];
  readonly skipped: readonly SkippedEntry[];
}

/** Compressed bytes pushed at a time: deflate expands at most ~1032×, so one step yields ≤ ~17 MB. */
const STEP = 16 * 1024;

/**
 * Splits a path into segments and refuses traversal ("..") and absolute paths (leading "/",
 * "\", or a drive letter). Backslashes count as separators.
 */
export function safeSegments(name: string, where: string): string[] {
  if (/^([/\\]|[A-Za-z]:)/.test(name)) throw new DatasetError(`entry "${name}" has an absolute path; refusing the whole archive`, where);
  const segments = name.split(/[/\\]+/).filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) throw new DatasetError(`entry "${name}" points outside the archive ("../"); refusing the whole archive`, where);
  return segments;
}

/** Why a path is skipped without being read (macOS metadata, hidden files), or null. */
export function hiddenReason(segments: readonly string[]): string | null {
  if (segments[0] === '__MACOSX') return 'macOS metadata (__MACOSX/)';
  if (segments.some((s) => s.startsWith('.'))) return 'hidden file or folder (name starts with ".")';
  return null;
}

const mb = (n: number) => `${(n / (1024 * 1024)).toFixed(1)} MB`;

/**
 * Unpacks the entries `accept` wants (`accept` returns null to take an entry, or the reason
 * to skip it). Everything else is listed in `skipped`. Throws a DatasetError for a file that is
 * not a zip, a corrupt or truncated entry, traversal, or any cap exceeded — never a partial result.
 *
 * @example
 * const { entries, skipped } = readZip(bytes, (path) => (path.endsWith('.png') ? null : 'not a PNG'), 'pets.zip');
 */
export function readZip(bytes: Uint8Array, accept: (path: string) => string | null, where: string, limits: ZipLimits = {}): ZipContents {
  const maxTotal = limits.maxTotalBytes ?? 512 * 1024 * 1024;
  const maxEntry = limits.maxEntryBytes ?? 64 * 1024 * 1024;
  const maxEntries = limits.maxEntries ?? 100_000;
  const sig = bytes.length >= 4 ? (bytes[0]! | (bytes[1]! << 8) | (bytes[2]! << 16) | (bytes[3]! << 24)) >>> 0 : 0;
  if (sig === 0x06054b50) throw new DatasetError('the zip archive is empty', where);
  if (sig !== 0x04034b50) throw new DatasetError('not a zip file (it does not start with a zip entry header)', where);

  const entries: ZipEntry[] = [];
  const skipped: SkippedEntry[] = [];
  let seen = 0;
  let total = 0;
  let failure: DatasetError | null = null;
  const open = new Set<string>();

  const fail = (e: DatasetError, file?: UnzipFile) => {
    failure ??= e;
    file?.terminate();
  };

  const unzip = new Unzip((file) => {
    if (failure) return;
    if (++seen > maxEntries) return fail(new DatasetError(`the archive has more than ${maxEntries} entries`, where));
    let segments: string[];
    try {
      segments = safeSegments(file.name, where);
    } catch (e) {
      return fail(e as DatasetError);
    }
    if (file.name.endsWith('/') || file.name.endsWith('\\') || segments.length === 0) return; // a folder
    const path = segments.join('/');
    const reason = hiddenReason(segments) ?? accept(path);
    if (reason !== null) {
      skipped.push({ path, reason });
      return;
    }
    if (file.compression !== 0 && file.compression !== 8) {
      return fail(new DatasetError(`entry "${path}" uses compression method ${file.compression}; only stored and deflate are supported`, where));
    }
    const parts: Uint8Array[] = [];
    let size = 0;
    open.add(path);
    file.ondata = (err, chunk, final) => {
      if (failure) return;
      if (err) return fail(new DatasetError(`entry "${path}" is corrupt (${err.message})`, where), file);
      size += chunk.length;
      total += chunk.length;
      if (size > maxEntry) return fail(new DatasetError(`entry "${path}" decompresses to more than ${mb(maxEntry)} (per-file limit); refusing the archive`, where), file);
      if (total > maxTotal) return fail(new DatasetError(`the archive decompresses to more than ${mb(maxTotal)} (limit); refusing it`, where), file);
      parts.push(chunk);
      if (final) {
        open.delete(path);
        entries.push({ path, bytes: concatBytes(parts) });
      }
    };
    file.start();
  });
  unzip.register(UnzipInflate);

  try {
    for (let at = 0; at < bytes.length && !failure; at += STEP) {
      unzip.push(bytes.subarray(at, Math.min(bytes.length, at + STEP)), at + STEP >= bytes.length);
    }
  } catch (e) {
    fail(new DatasetError(`the zip file is corrupt (${(e as Error).message})`, where));
  }
  if (failure) throw failure;
  if (open.size > 0) throw new DatasetError(`the zip file is truncated: entry "${[...open][0]}" is incomplete`, where);
  return { entries, skipped };
}

