// Exact-duplicate detection for the dataset explorer: samples (image pixels, table rows, token
// ids) with identical values, and texts equal after normalisation. Hash into buckets, then
// compare values inside a bucket, so a hash collision never reports a false duplicate.
import { EvalInputError, checkCount } from './input.js';

/** Groups of sample indices that are duplicates of each other (each group ascending, ≥ 2, groups by first index). */
export type DuplicateGroups = readonly Int32Array[];

/** 32-bit FNV-1a over the bytes of a range of a typed array. */
function fnv1a(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 0;
}

function sameBytes(bytes: Uint8Array, a: number, b: number, size: number): boolean {
  for (let k = 0; k < size; k++) if (bytes[a + k] !== bytes[b + k]) return false;
  return true;
}

function finish(groups: number[][]): DuplicateGroups {
  return groups.filter((g) => g.length > 1).map((g) => Int32Array.from(g)).sort((a, b) => a[0]! - b[0]!);
}

/**
 * Samples whose values are bit-for-bit equal. `values` holds `count` samples of equal size,
 * sample i at [i·size, (i+1)·size) — a Dataset split's `x.values`, or a table's rows.
 * (Bitwise: −0 and 0 differ, and a NaN equals the same NaN.)
 * @example exactDuplicates(Float32Array.of(1, 2, 3, 4, 1, 2), 3) // [Int32Array [0, 2]]
 */
export function exactDuplicates(values: Float32Array | Int32Array | Uint8Array, count: number): DuplicateGroups {
  checkCount(count, 1, 'count');
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  if (values.length % count !== 0) throw new EvalInputError(`has ${values.length} values, not a multiple of ${count} samples`, 'values');
  const size = bytes.length / count;
  const buckets = new Map<number, number[][]>(); // hash → groups of equal samples
  for (let i = 0; i < count; i++) {
    const h = fnv1a(bytes, i * size, (i + 1) * size);
    const groups = buckets.get(h);
    if (!groups) {
      buckets.set(h, [[i]]);
      continue;
    }
    const same = groups.find((g) => sameBytes(bytes, g[0]! * size, i * size, size));
    if (same) same.push(i);
    else groups.push([i]);
  }
  return finish([...buckets.values()].flat());
}

/** Text as compared for duplicates: Unicode NFKC, lower case, runs of whitespace → one space, trimmed. */
export function normaliseText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim();
}

/**
 * Texts that are equal after {@link normaliseText}.
 * @example textDuplicates(['Hello  world', 'hello world', 'other']) // [Int32Array [0, 1]]
 */
export function textDuplicates(texts: readonly string[]): DuplicateGroups {
  const groups = new Map<string, number[]>();
  texts.forEach((t, i) => {
    const key = normaliseText(t);
    const g = groups.get(key);
    if (g) g.push(i);
    else groups.set(key, [i]);
  });
  return finish([...groups.values()]);
}

/**
 * Table rows (arrays of cell strings, as parsed from a CSV) that are equal cell by cell after
 * trimming each cell. Use `exactDuplicates` on the encoded features to compare encoded rows instead.
 * @example rowDuplicates([['1', 'a'], [' 1', 'a'], ['2', 'a']]) // [Int32Array [0, 1]]
 */
export function rowDuplicates(rows: readonly (readonly string[])[]): DuplicateGroups {
  const groups = new Map<string, number[]>();
  rows.forEach((row, i) => {
    const key = JSON.stringify(row.map((cell) => cell.trim()));
    const g = groups.get(key);
    if (g) g.push(i);
    else groups.set(key, [i]);
  });
  return finish([...groups.values()]);
}

/**
 * Duplicate groups that span more than one split (leakage: a test sample also trained on).
 * @param splitOf split id of each sample index used in `groups` (e.g. 0 = train, 1 = test)
 */
export function crossSplitGroups(groups: DuplicateGroups, splitOf: ArrayLike<number>): DuplicateGroups {
  return groups.filter((g) => g.some((i) => splitOf[i] !== splitOf[g[0]!]));
}
