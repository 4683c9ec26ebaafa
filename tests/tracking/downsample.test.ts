// Min/max downsampling against brute-force facts about the input: extremes, ends, order, size.
import { describe, expect, it } from 'vitest';
import { downsampleMinMax } from '../../src/engine/tracking/downsample.js';
import { rng } from '../../src/engine/random.js';

/** A noisy loss curve with one spike and one dip at known places. */
function noisy(n: number, seed: number): { x: number[]; y: number[] } {
  const rand = rng(seed);
  const x = Array.from({ length: n }, (_, i) => i * 3 + 7);
  const y = x.map((_, i) => 2 * Math.exp(-i / (n / 4)) + 0.1 * rand());
  y[Math.floor(n * 0.37)] = 50; // spike
  y[Math.floor(n * 0.81)] = -3; // dip
  return { x, y };
}

describe('downsampleMinMax', () => {
  it.each([
    [10_000, 2000, 1],
    [10_000, 1000, 2],
    [12_345, 999, 3],
    [2001, 2000, 4],
    [50_000, 4, 5],
  ])('keeps the ends, the global min and max, ascending x, within budget (n=%i, max=%i)', (n, max, seed) => {
    const c = noisy(n, seed);
    const d = downsampleMinMax(c, max);
    expect(d.x.length).toBe(d.y.length);
    expect(d.x.length).toBeLessThanOrEqual(max);
    expect(d.x.length).toBeGreaterThan(max / 2); // not thrown away needlessly
    expect([d.x[0], d.y[0]]).toEqual([c.x[0], c.y[0]]);
    expect([d.x.at(-1), d.y.at(-1)]).toEqual([c.x.at(-1), c.y.at(-1)]);
    expect(Math.max(...d.y)).toBe(Math.max(...c.y));
    expect(Math.min(...d.y)).toBe(Math.min(...c.y));
    for (let i = 1; i < d.x.length; i++) expect(d.x[i]!).toBeGreaterThan(d.x[i - 1]!);
    // Every kept point is a real input point.
    const at = new Map(c.x.map((x, i) => [x, c.y[i]]));
    expect(d.x.every((x, i) => at.get(x) === d.y[i])).toBe(true);
  });

  it('keeps every bucket extreme: a spike in any bucket survives', () => {
    const n = 10_000;
    for (const where of [1, 555, 4999, 9998]) {
      const y = new Array<number>(n).fill(1);
      y[where] = 7;
      const d = downsampleMinMax({ x: y.map((_, i) => i), y }, 100);
      expect(d.x).toContain(where);
    }
  });

  it('returns a short curve unchanged', () => {
    const c = { x: [0, 1, 2, 3], y: [4, 3, 2, 1] };
    expect(downsampleMinMax(c, 4)).toEqual(c);
    expect(downsampleMinMax({ x: [], y: [] }, 10)).toEqual({ x: [], y: [] });
  });

  it('drops non-finite values before counting', () => {
    const d = downsampleMinMax({ x: [0, 1, 2, 3, 4], y: [1, Number.NaN, 2, Number.POSITIVE_INFINITY, 3] }, 4);
    expect(d).toEqual({ x: [0, 2, 4], y: [1, 2, 3] });
  });

  it('refuses a budget below 4 and mismatched columns', () => {
    expect(() => downsampleMinMax({ x: [1], y: [1] }, 3)).toThrow(/maxPoints must be an integer ≥ 4; got 3/);
    expect(() => downsampleMinMax({ x: [1, 2], y: [1] }, 10)).toThrow(/differ in length \(2 vs 1\)/);
  });
});
