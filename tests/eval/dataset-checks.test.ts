// Dataset explorer checks: class balance and split tables by hand; exact duplicates against
// numpy's np.unique and Python's text normalisation; near-duplicate search against a brute
// force over real MNIST digits; injected near-copies found.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeMnistBinary } from '../../src/engine/data/mnist.js';
import { classBalance, decodeSummary, splitDistribution } from '../../src/engine/eval/dataset-checks.js';
import { crossSplitGroups, exactDuplicates, rowDuplicates, textDuplicates } from '../../src/engine/eval/duplicates.js';
import { nearDuplicateImages } from '../../src/engine/eval/image-duplicates.js';
import { differenceHashes, hammingDistance, nearDuplicates } from '../../src/engine/eval/image-hash.js';
import { rng } from '../../src/engine/random.js';
import { PY_PRELUDE, list, sklearn } from './fixtures.js';

const groupsOf = (gs: readonly Int32Array[]) => gs.map((g) => list(g));

describe('class balance', () => {
  it('warns about an empty class and a 5× imbalance, with names', () => {
    const labels = Int32Array.from([...Array<number>(50).fill(0), ...Array<number>(10).fill(1)]);
    const b = classBalance(labels, 3, ['cat', 'dog', 'bird']);
    expect(list(b.counts)).toEqual([50, 10, 0]);
    expect(b.ratio).toBe(5);
    expect(b.warnings.map((w) => w.kind)).toEqual(['empty-class', 'imbalanced']);
    expect(b.warnings[0]!.message).toBe('"bird" has no samples');
    expect(b.warnings[1]!.message).toBe('classes are imbalanced: "cat" has 50 samples, "dog" 10 (5.0×, over 3×); consider class weights or resampling');
  });

  it('flags a class under 1 % even when the ratio rule would not apply to the rest', () => {
    const labels = Int32Array.from({ length: 1000 }, (_, i) => (i < 5 ? 2 : i % 2));
    const b = classBalance(labels, 3);
    expect(b.warnings.map((w) => w.kind)).toEqual(['rare-class', 'imbalanced']);
    expect(b.warnings[0]!.message).toBe('class 2 has 5 samples, 0.50 % of 1000 (under 1.0 %)');
  });

  it('says nothing for a 3× ratio exactly (the rule is "over 3")', () => {
    expect(classBalance(Int32Array.of(0, 0, 0, 1), 2).warnings).toEqual([]);
  });
});

describe('split distribution', () => {
  it('tabulates classes by split and names classes missing from a split', () => {
    const d = splitDistribution({ train: Int32Array.of(0, 0, 1, 2, 2, 2), test: Int32Array.of(0, 2), validation: Int32Array.of(1) }, 3);
    expect(d.splits).toEqual(['train', 'validation', 'test']);
    expect(d.counts.map(list)).toEqual([
      [2, 0, 1],
      [1, 1, 0],
      [3, 0, 1],
    ]);
    expect(list(d.totals)).toEqual([6, 1, 2]);
    expect(d.fractions[2]![2]).toBe(0.5);
    expect(d.missing).toEqual([
      { split: 'validation', classId: 0 },
      { split: 'validation', classId: 2 },
      { split: 'test', classId: 1 },
    ]);
  });

  it('refuses a label out of range, naming the split', () => {
    expect(() => splitDistribution({ train: Int32Array.of(0), test: Int32Array.of(4) }, 3)).toThrow(/labels\.test: label 4 at sample 0 is outside 0…2/);
  });
});

describe('exact duplicates vs numpy / Python', () => {
  const r = rng(21);
  // 400 rows of 6 values drawn from a small set so some rows repeat by chance; plus planted copies.
  const rows = Float32Array.from({ length: 400 * 6 }, () => Math.floor(r() * 3) / 2);
  for (const [from, to] of [[3, 100], [3, 250], [7, 399]] as const) rows.copyWithin(to * 6, from * 6, from * 6 + 6);
  const texts = ['Hello  world', 'hello world', ' HELLO\tworld\n', 'Héllo world', 'He\u0301llo world', 'ﬁne', 'fine', 'other', 'Other ', 'x'];
  const SCRIPT = `${PY_PRELUDE}
import unicodedata
rows = np.array(data['rows'], dtype=np.float32).reshape(-1, 6)
_, inv = np.unique(rows, axis=0, return_inverse=True)
groups = {}
for i, k in enumerate(inv.ravel().tolist()): groups.setdefault(k, []).append(i)
rg = sorted([g for g in groups.values() if len(g) > 1])
tg = {}
for i, t in enumerate(data['texts']): tg.setdefault(' '.join(unicodedata.normalize('NFKC', t).lower().split()), []).append(i)
out({'rows': rg, 'texts': sorted([g for g in tg.values() if len(g) > 1])})
`;
  let sk: { rows: number[][]; texts: number[][] };
  beforeAll(() => {
    sk = sklearn(SCRIPT, { rows: list(rows), texts });
  });

  it('finds the same row groups as np.unique(axis=0)', () => {
    const got = groupsOf(exactDuplicates(rows, 400));
    expect(got).toEqual(sk.rows);
    expect(got).toContainEqual(expect.arrayContaining([3, 100, 250]));
    expect(got.length).toBeGreaterThan(3); // chance repeats too, not only the planted ones
  });

  it('finds the same text groups as Python NFKC + lower + whitespace split', () => {
    expect(groupsOf(textDuplicates(texts))).toEqual(sk.texts);
    expect(sk.texts).toContainEqual([0, 1, 2]);
    expect(sk.texts).toContainEqual([3, 4]); // é precomposed vs e + combining accent
  });

  it('compares table cells after trimming, and flags groups that cross splits', () => {
    const g = rowDuplicates([['1', 'a'], [' 1', 'a '], ['1', 'b'], ['1', 'a']]);
    expect(groupsOf(g)).toEqual([[0, 1, 3]]);
    expect(groupsOf(crossSplitGroups(g, [0, 0, 1, 0]))).toEqual([]);
    expect(groupsOf(crossSplitGroups(g, [0, 0, 0, 1]))).toEqual([[0, 1, 3]]);
  });

  it('refuses values that do not divide into samples', () => {
    expect(() => exactDuplicates(new Float32Array(7), 2)).toThrow(/values: has 7 values, not a multiple of 2 samples/);
  });
});

describe('near-duplicate images (dHash + multi-index hashing)', () => {
  const raw = decodeMnistBinary(new Uint8Array(readFileSync(join(import.meta.dirname, '../../public/data/mnist.bin'))));
  const N = 3000;
  const pixels = raw.pixels.subarray(0, N * 784);
  const batch = { values: pixels, count: N, height: 28, width: 28, channels: 1 };

  it('hashes a left-to-right ramp to all zeros and its mirror to all ones; brightness does not matter', () => {
    const ramp = Float32Array.from({ length: 32 * 32 }, (_, k) => k % 32);
    const mirror = ramp.map((v) => 31 - v);
    const h = differenceHashes({ values: Float32Array.from([...ramp, ...mirror]), count: 2, height: 32, width: 32, channels: 1 });
    expect(list(h)).toEqual([0, 0, 0xffffffff, 0xffffffff]);
    // The vertical hash compares with the cell below: a left-right ramp has no vertical edges,
    // a top-to-bottom darkening ramp sets every bit.
    const down = Float32Array.from({ length: 32 * 32 }, (_, k) => 31 - Math.floor(k / 32));
    expect(list(differenceHashes({ values: Float32Array.from([...ramp, ...down]), count: 2, height: 32, width: 32, channels: 1 }, 'vertical'))).toEqual([0, 0, 0xffffffff, 0xffffffff]);
    const dim = differenceHashes({ values: Float32Array.from(pixels.subarray(0, 784 * 5), (v) => v / 255), count: 5, height: 28, width: 28, channels: 1 });
    expect(list(dim)).toEqual(list(differenceHashes({ ...batch, values: pixels.subarray(0, 784 * 5), count: 5 })));
  });

  it('finds exactly the groups a brute force over all pairs finds, on 3,000 real MNIST digits', () => {
    const hashes = differenceHashes(batch);
    for (const d of [0, 3, 6]) {
      const fast = nearDuplicates(hashes, d);
      const parent = Int32Array.from({ length: N }, (_, i) => i);
      const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i]!)));
      for (let i = 0; i < N; i++) for (let j = i + 1; j < N; j++) if (hammingDistance(hashes, i, j) <= d) parent[root(i)] = root(j);
      const brute = new Map<number, number[]>();
      for (let i = 0; i < N; i++) brute.set(root(i), [...(brute.get(root(i)) ?? []), i]);
      const want = [...brute.values()].filter((g) => g.length > 1).sort((a, b) => a[0]! - b[0]!);
      expect(groupsOf(fast.groups)).toEqual(want);
      expect(fast.compared).toBeLessThan((N * (N - 1)) / 2 / 10);
      if (d === 3) expect(want.length).toBeGreaterThan(10);
    }
  });

  it('groups brightened and noisy copies with their originals, and leaves most real digits alone', () => {
    const n = 1000;
    const r = rng(5);
    const copies = 200;
    const values = new Uint8Array((n + copies) * 784);
    // Every 10th digit of the file (which is sorted by class), so all ten classes are mixed.
    for (let i = 0; i < n; i++) values.set(raw.pixels.subarray(i * 7840, i * 7840 + 784), i * 784);
    for (let c = 0; c < copies; c++) {
      for (let k = 0; k < 784; k++) {
        const v = values[c * 784 + k]!;
        values[(n + c) * 784 + k] = c % 2 ? Math.round(v * 0.8) : Math.max(0, Math.min(255, v + Math.round((r() - 0.5) * 16)));
      }
    }
    const res = nearDuplicateImages({ values, count: n + copies, height: 28, width: 28, channels: 1 });
    const groupOf = new Int32Array(n + copies).fill(-1);
    res.groups.forEach((g, k) => g.forEach((i) => (groupOf[i] = k)));
    for (let c = 0; c < copies; c++) expect(groupOf[c], `copy of ${c}`).not.toBe(-1);
    for (let c = 0; c < copies; c++) expect(groupOf[n + c]).toBe(groupOf[c]);
    const flaggedReal = [...groupOf.subarray(copies, n)].filter((g) => g >= 0).length;
    console.log(`near duplicates: ${flaggedReal} of ${n - copies} untouched real digits flagged; ${res.compared} pairs checked`);
    expect(flaggedReal).toBeLessThan(0.1 * (n - copies)); // similar digits ("1"s) can pass; not most
  });

  it('refuses a batch whose size does not match its shape', () => {
    expect(() => differenceHashes({ values: new Uint8Array(10), count: 1, height: 3, width: 3, channels: 1 })).toThrow(/values: has 10 values, expected count × height × width × channels = 9/);
    expect(() => nearDuplicates(new Uint32Array(2), 64)).toThrow(/maxDistance: must be ≤ 63 bits, got 64/);
  });
});

describe('decode-failure report', () => {
  it('summarises in one line', () => {
    expect(decodeSummary({ attempted: 12, failures: [] })).toBe('all 12 images decoded');
    expect(decodeSummary({ attempted: 12, failures: [{ path: 'cats/x.png', stage: 'decode', reason: 'bad PNG signature' }, { path: 'dogs/y.jpg', stage: 'dimensions', reason: '0×0' }] })).toBe(
      '2 of 12 images could not be read; first: "cats/x.png" (decode failed: bad PNG signature)',
    );
  });
});
