// The Evaluate panel's pure helpers against hand-worked values: confusion-matrix cells, shares
// and words, sample paging under the worker's 200 limit, per-class sorting, checkpoint defaults,
// advice per error code, plot scales, ROC path thinning and the colour scales.
import { describe, expect, it } from 'vitest';
import { classRows, sortClassRows } from '../../src/editor/evaluate/class-rows.js';
import { blues, classColour, heat, heatImage, overlayHeat, ramp } from '../../src/editor/evaluate/colour-scale.js';
import { checkpointOptionLabel, defaultCheckpointId, errorAdvice, evaluateBlocker, metric, orderedCheckpoints, parseSampleCap, percent } from '../../src/editor/evaluate/eval-format.js';
import { cellAriaLabel, matrixCells, matrixTotals, samplePages } from '../../src/editor/evaluate/matrix-layout.js';
import { extent, linear, nearestPoint, niceTicks, unitCurvePath } from '../../src/editor/evaluate/plot-scale.js';
import type { CheckpointRecord, RunRecord } from '../../src/storage/types.js';
import type { EvalErrorCode } from '../../src/workers/evaluator-api.js';

describe('confusion matrix layout', () => {
  // true 0: 5 right, 1 as class 1; true 1: 2 as class 0, 2 right; true 2: nothing.
  const counts = Int32Array.of(5, 1, 0, 2, 2, 0, 0, 0, 0);
  it('gives counts, row shares and shades by count or by row', () => {
    const raw = matrixCells(counts, 3, false);
    expect(raw.map((c) => c.count)).toEqual([5, 1, 0, 2, 2, 0, 0, 0, 0]);
    expect(raw.map((c) => c.text)).toEqual(['5', '1', '0', '2', '2', '0', '0', '0', '0']);
    expect(raw.map((c) => c.shade)).toEqual([1, 0.2, 0, 0.4, 0.4, 0, 0, 0, 0]);
    const norm = matrixCells(counts, 3, true);
    expect(norm.map((c) => c.rowShare)).toEqual([5 / 6, 1 / 6, 0, 0.5, 0.5, 0, 0, 0, 0]);
    expect(norm.map((c) => c.text)).toEqual(['83%', '17%', '0', '50%', '50%', '0', '0', '0', '0']);
    expect(norm[1]).toMatchObject({ t: 0, p: 1, shade: 1 / 6 });
    expect(() => matrixCells(counts, 2, false)).toThrow(/9 counts for 2 classes \(expected 4\)/);
  });
  it('totals rows (support), columns (predicted) and all', () => {
    expect(matrixTotals(counts, 3)).toEqual({ rows: [6, 4, 0], cols: [7, 3, 0], total: 10 });
  });
  it('labels a cell the way a screen reader should say it', () => {
    expect(cellAriaLabel(['0', '1', '2', '3', '4', '5'], 3, 5, 12)).toBe('true 3, predicted 5: 12 samples');
    expect(cellAriaLabel(['cat', 'dog'], 1, 0, 1)).toBe('true dog, predicted cat: 1 sample');
    expect(cellAriaLabel([], 1, 0, 0)).toBe('true 1, predicted 0: 0 samples');
  });
});

describe('sample paging', () => {
  it('asks for the first `shown` indices in pages of at most 200, in order', () => {
    const idx = Int32Array.from({ length: 450 }, (_, i) => 1000 + i);
    const pages = samplePages(idx, 450);
    expect(pages.map((p) => p.length)).toEqual([200, 200, 50]);
    expect(pages.flat()).toEqual([...idx]);
    expect(samplePages(idx, 24).map((p) => p.length)).toEqual([24]);
    expect(samplePages(idx, 10_000).flat().length).toBe(450);
    expect(samplePages([], 24)).toEqual([]);
    expect(samplePages([7, 8, 9], 3, 2)).toEqual([[7, 8], [9]]);
    expect(() => samplePages(idx, 5, 0)).toThrow(/page size 0/);
  });
});

describe('per-class rows', () => {
  const report = { perClass: [
    { precision: 0.5, recall: 1, f1: 2 / 3, support: 2 },
    { precision: 1, recall: 0.5, f1: 2 / 3, support: 4 },
    { precision: 0, recall: 0, f1: 0, support: 0 },
  ] };
  const roc = { perClass: [{ auc: 0.9 }, { auc: 0.75 }, { auc: null }] } as unknown as Parameters<typeof classRows>[1];
  const rows = classRows(report, roc, ['a', 'b', 'c']);
  it('joins metrics and AUC by class id', () => {
    expect(rows.map((r) => [r.id, r.name, r.support, r.auc])).toEqual([[0, 'a', 2, 0.9], [1, 'b', 4, 0.75], [2, 'c', 0, null]]);
  });
  it('sorts either way with undefined AUCs last and ties by class id', () => {
    expect(sortClassRows(rows, 'auc', 'descending').map((r) => r.id)).toEqual([0, 1, 2]);
    expect(sortClassRows(rows, 'auc', 'ascending').map((r) => r.id)).toEqual([1, 0, 2]);
    expect(sortClassRows(rows, 'f1', 'descending').map((r) => r.id)).toEqual([0, 1, 2]); // tie 2/3: id order
    expect(sortClassRows(rows, 'support', 'ascending').map((r) => r.id)).toEqual([2, 0, 1]);
    expect(sortClassRows(rows, 'name', 'descending').map((r) => r.name)).toEqual(['c', 'b', 'a']);
    const numeric = classRows({ perClass: [...report.perClass] }, roc, ['10', '9', '100']);
    expect(sortClassRows(numeric, 'name', 'ascending').map((r) => r.name)).toEqual(['9', '10', '100']);
  });
});

const ck = (id: string, kind: CheckpointRecord['kind'], epoch: number, step: number, created = step): CheckpointRecord =>
  ({ id, kind, epoch, globalStep: step, createdAt: created, metric: kind === 'best' ? { name: 'valLoss', value: 0.31024 } : null }) as unknown as CheckpointRecord;

describe('checkpoints and the Evaluate button', () => {
  const run = { id: 'r1' } as unknown as RunRecord;
  it('defaults to the best checkpoint, else the newest, and lists best first', () => {
    const cs = [ck('p1', 'periodic', 1, 10), ck('b', 'best', 2, 20), ck('f', 'final', 3, 30)];
    expect(defaultCheckpointId(cs)).toBe('b');
    expect(orderedCheckpoints(cs).map((c) => c.id)).toEqual(['b', 'f', 'p1']);
    expect(defaultCheckpointId([ck('p1', 'periodic', 1, 10), ck('p2', 'periodic', 1, 15), ck('p0', 'periodic', 1, 5)])).toBe('p2');
    expect(defaultCheckpointId([ck('x', 'periodic', 1, 10, 1), ck('y', 'periodic', 1, 10, 2)])).toBe('y');
    expect(defaultCheckpointId([])).toBeNull();
  });
  it('labels checkpoints with kind, epoch, step and metric', () => {
    expect(checkpointOptionLabel(ck('b', 'best', 2, 20))).toBe('best · epoch 2 (valLoss 0.3102)');
    expect(checkpointOptionLabel(ck('p', 'periodic', 1, 40))).toBe('periodic · epoch 1, step 40');
    expect(checkpointOptionLabel(ck('f', 'final', 5, 50))).toBe('final · epoch 5');
  });
  it('says why Evaluate is disabled', () => {
    expect(evaluateBlocker(null, [], false)).toMatch(/Pick a run/);
    expect(evaluateBlocker(run, [ck('b', 'best', 1, 1)], true)).toMatch(/A run is training/);
    expect(evaluateBlocker(run, [], false)).toMatch(/no stored checkpoint/);
    expect(evaluateBlocker(run, [ck('b', 'best', 1, 1)], false)).toBeNull();
  });
  it('parses the sample cap', () => {
    expect(parseSampleCap('')).toEqual({ ok: true, cap: undefined });
    expect(parseSampleCap(' 500 ')).toEqual({ ok: true, cap: 500 });
    for (const bad of ['0', '-3', '2.5', 'lots']) expect(parseSampleCap(bad)).toMatchObject({ ok: false, error: expect.stringContaining(`"${bad}"`) });
  });
  it('has advice for every error code', () => {
    const codes: EvalErrorCode[] = ['run-not-found', 'no-checkpoint', 'version-missing', 'dataset-missing', 'no-split', 'unsupported-task', 'session-gone', 'bad-request', 'failed'];
    for (const c of codes) expect(errorAdvice(c).length).toBeGreaterThan(20);
    expect(errorAdvice('dataset-missing')).toMatch(/import the same file again/);
    expect(() => errorAdvice('nope' as EvalErrorCode)).toThrow(/unknown evaluation error nope/);
  });
  it('formats numbers', () => {
    expect(percent(0.91234)).toBe('91.2%');
    expect(percent(Number.NaN)).toBe('—');
    expect(metric(0.123456)).toBe('0.1235');
    expect(metric(null)).toBe('—');
    expect(metric(0.00001234)).toBe('1.23e-5');
  });
});

describe('plot scales', () => {
  it('ticks at 1-2-5 steps', () => {
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(-3.2, 7.9, 5)).toEqual([-2, 0, 2, 4, 6]);
    expect(niceTicks(0, 95, 4)).toEqual([0, 20, 40, 60, 80]);
    expect(niceTicks(0, 100, 2)).toEqual([0, 50, 100]);
    expect(niceTicks(2, 2)).toEqual([2]);
  });
  it('extents, linear maps and the nearest point', () => {
    expect(extent([3, Number.NaN, -1, 2])).toEqual([-1, 3]);
    expect(extent([2, 2])).toEqual([1.5, 2.5]);
    expect(extent([])).toEqual([0, 1]);
    const f = linear(0, 10, 100, 0);
    expect([f(0), f(5), f(10)]).toEqual([100, 50, 0]);
    const px = Float32Array.of(0, 0, 10, 10, 20, 20);
    expect(nearestPoint(px, 9, 11, 5)).toBe(1);
    expect(nearestPoint(px, 50, 50, 5)).toBe(-1);
  });
  it('thins a ROC curve to one vertex per half pixel, keeping both ends', () => {
    const n = 10_001;
    const x = Float64Array.from({ length: n }, (_, i) => i / (n - 1));
    const path = unitCurvePath(x, x, 100);
    const vertices = path.split(/[ML]/).filter(Boolean);
    expect(vertices.length).toBeLessThanOrEqual(202);
    expect(path.startsWith('M0 100')).toBe(true);
    expect(path.endsWith('L100 0')).toBe(true);
    expect(unitCurvePath([0, Number.NaN], [0, Number.NaN], 100)).toBe('');
  });
});

describe('colour scales', () => {
  it('interpolates through stops and clamps', () => {
    expect(ramp([[0, 0, 0], [200, 100, 50]], 0.5)).toEqual([100, 50, 25]);
    expect(blues(0)).toEqual([255, 255, 255]);
    expect(blues(1)).toEqual([8, 48, 107]);
    expect(blues(7)).toEqual(blues(1));
    expect(heat(Number.NaN)).toEqual(heat(0));
  });
  it('gives 100 classes distinct valid colours', () => {
    const cs = Array.from({ length: 100 }, (_, c) => classColour(c));
    expect(new Set(cs.map((c) => c.join(','))).size).toBe(100);
    for (const c of cs) for (const v of c) expect(v >= 0 && v <= 255 && Number.isInteger(v)).toBe(true);
  });
  it('blends the heat map over the image by its value', () => {
    const image = Uint8ClampedArray.of(100, 100, 100, 255, 100, 100, 100, 255);
    const map = Float32Array.of(0, 1);
    const out = overlayHeat(image, map, 0.6);
    // value 0: alpha 0.6·0.35 = 0.21 of heat(0) = (0, 0, 131); value 1: alpha 0.6 of heat(1) = (200, 0, 0).
    expect([...out.slice(0, 4)]).toEqual([79, 79, Math.round(100 * 0.79 + 131 * 0.21), 255]);
    expect([...out.slice(4, 8)]).toEqual([160, 40, 40, 255]);
    expect([...heatImage(map).slice(4, 8)]).toEqual([200, 0, 0, 255]);
    expect(() => overlayHeat(image, Float32Array.of(1), 0.5)).toThrow(/2 pixels, map 1/);
  });
});
