// columnStats against numpy and Python's statistics/collections on a table with numbers,
// missing cells, a constant column, categories with ties, an empty column and a short row.
import { describe, expect, it } from 'vitest';
import { columnStats, type ColumnStats } from '../../src/engine/eval/column-stats.js';
import { EvalInputError } from '../../src/engine/eval/input.js';
import { pythonHas, runPython } from '../helpers/python.js';

/** Seeded table: 'height' (floats, some missing), 'count' (ints), 'flat' (constant), 'colour' (categories), 'blank' (empty). */
function table(): { header: string[]; rows: string[][] } {
  let s = 12345;
  const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const colours = ['red', 'green', 'blue', 'teal'];
  const rows: string[][] = [];
  for (let i = 0; i < 257; i++) {
    const h = i % 17 === 0 ? (i % 2 ? 'NA' : '') : (150 + 40 * rand() - 20 * rand()).toFixed(3);
    rows.push([h, String(Math.floor(rand() * 9) - 3), '7.5', i % 31 === 0 ? '?' : colours[Math.floor(rand() * rand() * 4)]!, ' ']);
  }
  rows.push(['1e2']); // a short row: the other columns are missing there
  return { header: ['height', 'count', 'flat', 'colour', 'blank'], rows };
}

const ORACLE = `
import json, sys, statistics, collections
import numpy as np
t = json.load(sys.stdin)
MISSING = {'', 'NA', 'N/A', 'NaN', 'nan', 'null', 'NULL', '?'}
out = []
for j, name in enumerate(t['header']):
    cells = [r[j].strip() for r in t['rows'] if j < len(r) and r[j].strip() not in MISSING]
    missing = len(t['rows']) - len(cells)
    if not cells:
        out.append({'kind': 'empty', 'name': name, 'missing': missing}); continue
    try:
        v = np.array([float(c) for c in cells])
    except ValueError:
        c = collections.Counter(cells)
        top = sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
        out.append({'kind': 'category', 'name': name, 'count': len(cells), 'missing': missing, 'distinct': len(c), 'top': [{'value': k, 'count': n} for k, n in top]}); continue
    counts, edges = np.histogram(v, bins=10)
    out.append({'kind': 'number', 'name': name, 'count': len(v), 'missing': missing, 'distinct': int(len(np.unique(v))),
      'min': float(v.min()), 'max': float(v.max()), 'mean': float(np.mean(v)), 'std': float(np.std(v, ddof=1)),
      'stdev': statistics.stdev(v.tolist()), 'quartiles': [float(x) for x in np.percentile(v, [25, 50, 75])],
      'edges': edges.tolist(), 'counts': counts.tolist()})
print(json.dumps(out))
`;

describe('columnStats', () => {
  it('matches numpy (mean, std ddof=1, percentiles, histogram) and Counter (top values)', () => {
    expect(pythonHas('numpy'), 'Debian python3-numpy is the oracle').toBe(true);
    const t = table();
    const r = runPython(ORACLE, [], { input: JSON.stringify(t) });
    expect(r.code, r.stderr).toBe(0);
    const want = JSON.parse(r.stdout) as Record<string, unknown>[];
    const got = columnStats(t.header, t.rows);
    expect(got.map((c) => c.kind)).toEqual(['number', 'number', 'number', 'category', 'empty']);
    got.forEach((c: ColumnStats, j) => {
      const w = want[j]!;
      expect(c.kind).toBe(w.kind);
      expect(c.missing).toBe(w.missing);
      switch (c.kind) {
        case 'number': {
          expect([c.count, c.distinct]).toEqual([w.count, w.distinct]);
          expect(c.min).toBe(w.min);
          expect(c.max).toBe(w.max);
          expect(c.mean).toBeCloseTo(w.mean as number, 10);
          expect(c.std).toBeCloseTo(w.std as number, 10);
          expect(c.std).toBeCloseTo(w.stdev as number, 10);
          (w.quartiles as number[]).forEach((q, k) => expect(c.quartiles[k]).toBeCloseTo(q, 10));
          expect(Array.from(c.histogram.counts)).toEqual(w.counts);
          (w.edges as number[]).forEach((e, k) => expect(c.histogram.edges[k]).toBeCloseTo(e, 10));
          break;
        }
        case 'category':
          expect({ count: c.count, distinct: c.distinct, top: c.top }).toEqual({ count: w.count, distinct: w.distinct, top: w.top });
          break;
        case 'empty':
          expect(c.count).toBe(0);
          break;
        default: {
          const never: never = c;
          throw new Error(String(never));
        }
      }
    });
  });

  it('counts the short row as missing and reads "1e2" as a number', () => {
    const [height] = columnStats(['height'], [['1e2'], ['3']]);
    expect(height).toMatchObject({ kind: 'number', count: 2, max: 100, min: 3 });
  });

  it('refuses a header with a repeated column, naming both positions', () => {
    expect(() => columnStats(['a', 'b', 'a'], [])).toThrow(EvalInputError);
    expect(() => columnStats(['a', 'b', 'a'], [])).toThrow('header: column "a" appears twice (columns 1 and 3)');
  });
});
