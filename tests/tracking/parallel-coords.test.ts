// Parallel-coordinates geometry and brushing, checked against values worked out by hand.
import { describe, expect, it } from 'vitest';
import {
  axisPosition,
  axisTicks,
  axisValueAt,
  axisXs,
  brushFromDrag,
  brushText,
  buildAxis,
  formatValue,
  keptRuns,
  nudgeBrush,
  polylinePoints,
  rampColor,
  varyingKeys,
  type AxisRun,
} from '../../src/engine/tracking/parallel-coords.js';

describe('axes', () => {
  it('keeps only the settings that vary, a missing one counting as different', () => {
    expect(varyingKeys([{ lr: 0.1, bs: 32, opt: 'adam' }, { lr: 0.01, bs: 32, opt: 'adam' }, { lr: 0.01, bs: 32 }])).toEqual(['lr', 'opt']);
    expect(varyingKeys([{ a: Number.NaN }, { a: Number.NaN }])).toEqual([]);
    expect(varyingKeys([])).toEqual([]);
  });

  it('goes log only when positive values span two decades or more', () => {
    expect(buildAxis('lr', [1e-4, 1e-3, 1e-2])).toEqual({ kind: 'log', key: 'lr', min: 1e-4, max: 1e-2 });
    expect(buildAxis('lr', [0.02, 1.99])).toMatchObject({ kind: 'linear' }); // ratio 99.5
    expect(buildAxis('x', [0, 10, 1000])).toMatchObject({ kind: 'linear', min: 0, max: 1000 });
    expect(buildAxis('x', [5, undefined, null, 7])).toEqual({ kind: 'linear', key: 'x', min: 5, max: 7 });
  });

  it('makes sorted categories of anything not all numbers, missing values as "—"', () => {
    expect(buildAxis('opt', ['sgd', 'adam', undefined, 'adam'])).toEqual({ kind: 'category', key: 'opt', categories: ['adam', 'sgd', '—'] });
    expect(buildAxis('mixed', [1, 'a'])).toEqual({ kind: 'category', key: 'mixed', categories: ['1', 'a'] });
  });

  it('places values: linear and log by hand, categories evenly, a flat axis in the middle', () => {
    const lin = buildAxis('bs', [16, 48]);
    expect(axisPosition(lin, 16)).toBe(0);
    expect(axisPosition(lin, 40)).toBe(0.75);
    expect(axisPosition(lin, undefined)).toBeNull();
    const log = buildAxis('lr', [1e-4, 1e-2]);
    expect(axisPosition(log, 1e-3)).toBeCloseTo(0.5, 12);
    expect(axisValueAt(log, 0.5)).toBeCloseTo(1e-3, 15);
    expect(axisValueAt(lin, 0.25)).toBe(24);
    const cat = buildAxis('opt', ['adam', 'rmsprop', 'sgd']);
    expect(['adam', 'rmsprop', 'sgd', 'x'].map((v) => axisPosition(cat, v))).toEqual([0, 0.5, 1, null]);
    expect(axisPosition(buildAxis('one', [3, 3]), 3)).toBe(0.5);
    expect(axisPosition(buildAxis('one', ['a']), 'a')).toBe(0.5);
  });

  it('ticks log axes at powers of ten between the ends', () => {
    const ticks = axisTicks(buildAxis('lr', [1e-4, 1e-1]));
    expect(ticks.map((t) => t.label)).toEqual(['1e-4', '1e-3', '0.01', '0.1']);
    expect(ticks.map((t) => Number(t.t.toFixed(6)))).toEqual([0, 0.333333, 0.666667, 1]);
    expect(axisTicks(buildAxis('bs', [0, 100])).map((t) => t.label)).toEqual(['0', '25', '50', '75', '100']);
  });
});

describe('brushing', () => {
  it('turns a drag into a clamped range of positions, either direction', () => {
    expect(brushFromDrag('lr', 150, 50, 0, 200)).toEqual({ key: 'lr', lo: 0.25, hi: 0.75 });
    expect(brushFromDrag('lr', 50, 150, 0, 200)).toEqual({ key: 'lr', lo: 0.25, hi: 0.75 });
    expect(brushFromDrag('lr', -40, 900, 20, 100)).toEqual({ key: 'lr', lo: 0, hi: 1 });
    expect(() => brushFromDrag('lr', 0, 1, 0, 0)).toThrow(/axis height must be positive; got 0/);
  });

  const runs: AxisRun[] = [
    { id: 'a', values: { lr: 1e-4, opt: 'adam', loss: 0.5 } },
    { id: 'b', values: { lr: 1e-3, opt: 'sgd', loss: 0.3 } },
    { id: 'c', values: { lr: 1e-2, opt: 'adam', loss: 0.9 } },
    { id: 'd', values: { opt: 'adam', loss: 0.1 } },
  ];
  const axes = [buildAxis('lr', runs.map((r) => r.values['lr'])), buildAxis('opt', runs.map((r) => r.values['opt'])), buildAxis('loss', runs.map((r) => r.values['loss']))];

  it('keeps everything without brushes and ANDs several', () => {
    expect(keptRuns(runs, axes, [])).toEqual(new Set(['a', 'b', 'c', 'd']));
    // lr in the upper half of a log axis 1e-4…1e-2: 1e-3 (t 0.5) and 1e-2; d has no lr and is out.
    const lr = { key: 'lr', lo: 0.5, hi: 1 };
    expect(keptRuns(runs, axes, [lr])).toEqual(new Set(['b', 'c']));
    const adam = { key: 'opt', lo: 0, hi: 0.2 };
    expect(keptRuns(runs, axes, [lr, adam])).toEqual(new Set(['c']));
    expect(keptRuns(runs, axes, [{ key: 'gone', lo: 0, hi: 0 }])).toEqual(new Set(['a', 'b', 'c', 'd']));
  });

  it('moves and resizes a brush with arrow keys, inside the axis', () => {
    const first = nudgeBrush(undefined, 'lr', 'up', false);
    expect(first).toEqual({ key: 'lr', lo: 0, hi: 0.25 });
    const up = nudgeBrush(first, 'lr', 'up', false);
    expect([up.lo, up.hi].map((v) => Number(v.toFixed(6)))).toEqual([0.05, 0.3]);
    expect(nudgeBrush(first, 'lr', 'down', false)).toEqual(first); // already at the bottom
    expect(nudgeBrush({ key: 'lr', lo: 0.8, hi: 1 }, 'lr', 'up', false)).toEqual({ key: 'lr', lo: 0.8, hi: 1 });
    expect(nudgeBrush({ key: 'lr', lo: 0.2, hi: 0.22 }, 'lr', 'down', true).hi).toBeCloseTo(0.25, 12); // never thinner than a step
    expect(nudgeBrush({ key: 'lr', lo: 0.2, hi: 0.98 }, 'lr', 'up', true).hi).toBe(1);
  });

  it('says what a brush selects', () => {
    expect(brushText(axes[0]!, { key: 'lr', lo: 0.5, hi: 1 })).toBe('1e-3 … 0.01');
    expect(brushText(axes[1]!, { key: 'opt', lo: 0, hi: 0.2 })).toBe('adam');
    expect(brushText(axes[1]!, { key: 'opt', lo: 0.2, hi: 0.3 })).toBe('none');
  });

  it('draws a run as a polyline skipping axes it has no value on', () => {
    const xs = axisXs(3, 300, 50);
    expect(xs).toEqual([50, 150, 250]);
    expect(polylinePoints(runs[1]!, axes, xs, 10, 100)).toBe('50,60 150,10 250,85');
    expect(polylinePoints(runs[3]!, axes, xs, 10, 100)).toBe('150,110 250,110');
  });
});

describe('colour and numbers', () => {
  it('ramps from viridis dark blue to yellow', () => {
    expect(rampColor(0)).toBe('#440154');
    expect(rampColor(1)).toBe('#fde725');
    expect(rampColor(0.5)).toBe('#21918c');
    expect(rampColor(Number.NaN)).toBe('#440154');
  });
  it('formats small and large numbers compactly', () => {
    expect([0, 0.001, 0.0025, 0.25, 128, 3e6, -0.5].map(formatValue)).toEqual(['0', '1e-3', '2.5e-3', '0.25', '128', '3e+6', '-0.5']);
  });
});
