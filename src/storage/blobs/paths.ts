// Blob paths: the one check every BlobStore runs before touching a file, and the names of
// the temporary files an atomic write leaves behind if it is interrupted.
import { StorageError } from '../types.js';

export const MAX_PATH_LENGTH = 1024;
/** File systems refuse names over 255 bytes; this leaves room for the temporary suffix. */
export const MAX_SEGMENT_LENGTH = 200;
export const MAX_SEGMENTS = 16;
/** Marks an atomic write's temporary file: `<name>.tmp-<random>`. No stored path may contain it. */
export const TMP_MARKER = '.tmp-';

const BAD_CHAR = /[\\\u0000-\u001f\u007f:*?"<>|]/;

/**
 * Splits a blob path into its segments, or throws StorageError('invalid-record') saying what is
 * wrong: paths are relative, '/'-separated, with no empty, '.' or '..' segments, no backslashes
 * or control characters, and never contain the temporary-file marker (`allowTemp` lets the last
 * segment carry it, for deleting what an interrupted write left).
 * @example blobPathSegments('checkpoints/r1/c1/weights.bin') // ['checkpoints', 'r1', 'c1', 'weights.bin']
 */
export function blobPathSegments(path: string, allowTemp = false): string[] {
  const bad = (why: string): never => {
    throw new StorageError('invalid-record', `blob path ${JSON.stringify(path.slice(0, 120))}: ${why}`);
  };
  if (typeof path !== 'string' || path.length === 0) return bad('is empty');
  if (path.length > MAX_PATH_LENGTH) return bad(`is longer than ${MAX_PATH_LENGTH} characters`);
  if (path.startsWith('/')) return bad('must be relative (it starts with "/")');
  const m = BAD_CHAR.exec(path);
  if (m) return bad(`contains the character ${JSON.stringify(m[0])}`);
  const segments = path.split('/');
  if (segments.length > MAX_SEGMENTS) return bad(`has more than ${MAX_SEGMENTS} segments`);
  for (const [i, s] of segments.entries()) {
    if (s === '') return bad('has an empty segment ("//" or a trailing "/")');
    if (s === '.' || s === '..') return bad(`has a "${s}" segment`);
    if (s.length > MAX_SEGMENT_LENGTH) return bad(`has a segment longer than ${MAX_SEGMENT_LENGTH} characters`);
    if (s.includes(TMP_MARKER) && !(allowTemp && i === segments.length - 1)) return bad(`contains "${TMP_MARKER}", reserved for temporary files`);
  }
  return segments;
}

/** Checks a path and returns it unchanged (for use in expressions). */
export const checkBlobPath = (path: string): string => (blobPathSegments(path), path);

/** True for one segment that is safe to put in a path (an id, a file name). */
export function isSafeSegment(s: string): boolean {
  try {
    return blobPathSegments(s).length === 1;
  } catch {
    return false;
  }
}

/** A fresh temporary name next to `name`, for write-then-move. */
export function tempName(name: string): string {
  return `${name}${TMP_MARKER}${Math.random().toString(36).slice(2, 10)}`;
}

/** True for a file an interrupted atomic write left behind. */
export const isTempPath = (path: string): boolean => (path.split('/').pop() ?? '').includes(TMP_MARKER);

/**
 * The prefix as a list prefix: '' for everything, otherwise checked and ending in '/' only if
 * given so ('datasets/chunks/' lists that folder; 'datasets/chunks/ab' matches names starting with ab).
 */
export function checkListPrefix(prefix: string): string {
  if (prefix === '') return '';
  blobPathSegments(prefix.endsWith('/') ? prefix.slice(0, -1) : prefix);
  return prefix;
}
