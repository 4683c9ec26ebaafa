// The page's runs table over the engine's: which columns show, how cells read, the sort a header
// click gives, filter + sort + best together, and the CSV/JSON files (parsed back with papaparse
// and JSON.parse, checked against the runs they came from).
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { parseRunsQuery } from '../../src/engine/tracking/runs-query.js';
import { runsFileName, runsFileText } from '../../src/editor/runs/runs-download.js';
import { cellText, DEFAULT_SORT, durationText, nextSort, numberText, shortId, shownColumns, tableOf, viewOf } from '../../src/editor/runs/runs-table-view.js';
import type { RunId, RunRecord } from '../../src/storage/types.js';
import { sampleRun } from '../fixtures/storage/sample.js';

const run = (id: string, lr: number, loss: number, accuracy: number, over: Partial<RunRecord> = {}): RunRecord =>
  sampleRun(id as RunId, { config: { optimizer: { name: 'adam', learningRate: lr }, batchSize: 16, epochs: 3 }, finalMetrics: { loss, accuracy }, startedAt: 1000 + lr * 1e6, ...over });

const RUNS = [
  run('run-a', 0.001, 0.9, 0.7, { name: 'slow', notes: 'too timid', tags: ['train-samples:256', 'baseline'] }),
  run('run-b', 0.01, 0.3, 0.92),
  run('run-c', 0.1, 0.3, 0.95, { name: 'fast, "hot"' }),
  run('run-d', 0.05, Number.NaN, 0.1, { status: 'failed' }),
];

describe('runs table view', () => {
  it('shows the fixed columns, only the settings that vary, and every final metric', () => {
    const ids = shownColumns(tableOf(RUNS.slice(1))).map((c) => c.id);
    expect(ids).toEqual(['name', 'status', 'startedAt', 'durationMs', 'epochs', 'dataset', 'backend', 'tags', 'param:optimizer.learningRate', 'metric:accuracy', 'metric:loss']);
    // A seed or architecture version that differs between runs earns a column of its own (sampleRun gives run-a version 1, the others 2).
    const mixed = shownColumns(tableOf([...RUNS, run('run-e', 0.2, 0.5, 0.5, { seed: 7 })])).map((c) => c.id);
    expect(mixed.slice(0, 11)).toEqual(['name', 'status', 'startedAt', 'durationMs', 'epochs', 'dataset', 'version', 'backend', 'seed', 'tags', 'param:optimizer.learningRate']);
    expect(shownColumns(tableOf(RUNS)).find((c) => c.id === 'durationMs')?.label).toBe('Duration');
  });

  it('filters, then sorts (missing values last), with the best among the rows shown', () => {
    const table = tableOf(RUNS);
    const q = parseRunsQuery('optimizer.learningRate:0.005..1', table.columns);
    if (!q.ok) throw new Error(q.message);
    const v = viewOf(table, q.query, { columnId: 'metric:loss', direction: 'asc' });
    expect(v.rows.map((r) => r.id)).toEqual(['run-b', 'run-c', 'run-d']); // tie kept in table order, NaN last
    expect(v.best['metric:loss']).toEqual({ value: 0.3, rowIds: ['run-b', 'run-c'] });
    expect(v.best['metric:accuracy']).toEqual({ value: 0.95, rowIds: ['run-c'] });
    const words = parseRunsQuery('TIMID', table.columns);
    expect(words.ok && viewOf(table, words.query, DEFAULT_SORT).rows.map((r) => r.id)).toEqual(['run-a']);
    // Newest first by default.
    expect(viewOf(table, { words: [], ranges: [] }, DEFAULT_SORT).rows.map((r) => r.id)).toEqual(['run-c', 'run-d', 'run-b', 'run-a']);
  });

  it('opens a metric best-first, times newest-first, the rest ascending; a second click reverses', () => {
    const cols = tableOf(RUNS).columns;
    const col = (id: string) => cols.find((c) => c.id === id)!;
    expect(nextSort(DEFAULT_SORT, col('metric:loss'))).toEqual({ columnId: 'metric:loss', direction: 'asc' });
    expect(nextSort(DEFAULT_SORT, col('metric:accuracy'))).toEqual({ columnId: 'metric:accuracy', direction: 'desc' });
    expect(nextSort(DEFAULT_SORT, col('startedAt'))).toEqual({ columnId: 'startedAt', direction: 'asc' });
    expect(nextSort({ columnId: 'epochs', direction: 'desc' }, col('name'))).toEqual({ columnId: 'name', direction: 'asc' });
  });

  it('writes cells for people', () => {
    const cols = tableOf(RUNS).columns;
    const col = (id: string) => cols.find((c) => c.id === id)!;
    expect(cellText(col('durationMs'), 50)).toBe('50 ms');
    expect(cellText(col('metric:loss'), undefined)).toBe('—');
    expect(cellText(col('param:optimizer.learningRate'), 0.0001)).toBe('1.00e-4');
    expect([numberText(0.123456), numberText(12), numberText(Number.NaN), numberText(25_000_000.5), numberText(2.5e7)]).toEqual(['0.1235', '12', 'NaN', '2.50e+7', '25000000']);
    expect([durationText(12_400), durationText(185_000), durationText(7_440_000)]).toEqual(['12.4 s', '3 min 05 s', '2 h 04 min']);
    expect([shortId('run-mwshppzo-1'), shortId('0f8fad5b-d9cb-469f-a165-70867728950e'), shortId('run-a')]).toEqual(['mwshppzo-1', '0f8fad5b', 'a']);
  });

  it('writes the shown rows and columns as CSV and JSON that parse back to the runs', () => {
    const table = tableOf(RUNS);
    const v = viewOf(table, { words: [], ranges: [] }, { columnId: 'metric:accuracy', direction: 'desc' });
    const csv = runsFileText(v.columns, v.rows, 'csv');
    const parsed = Papa.parse<Record<string, string>>(csv.trimEnd(), { header: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.meta.fields).toEqual(['Run id', ...v.columns.map((c) => c.label)]);
    const order = ['run-c', 'run-b', 'run-a', 'run-d'];
    const byId = new Map(RUNS.map((r) => [r.id as string, r]));
    expect(parsed.data.map((r) => r['Run id'])).toEqual(order);
    expect(parsed.data.map((r) => r['Run'])).toEqual(order.map((id) => byId.get(id)!.name ?? id));
    expect(parsed.data.map((r) => Number(r['optimizer.learningRate']))).toEqual(order.map((id) => byId.get(id)!.config.optimizer!.learningRate));
    expect(parsed.data.map((r) => r['loss'])).toEqual(order.map((id) => String(byId.get(id)!.finalMetrics['loss'])));
    expect(parsed.data[2]!['Tags']).toBe('train-samples:256, baseline');
    const json = JSON.parse(runsFileText(v.columns, v.rows, 'json')) as { rows: { id: string; values: Record<string, unknown> }[] };
    expect(json.rows.map((r) => [r.id, r.values['runId'], r.values['metric:loss']])).toEqual(order.map((id) => [id, id, id === 'run-d' ? 'NaN' : byId.get(id)!.finalMetrics['loss']]));
    expect([runsFileName('MLP on MNIST', 'csv'), runsFileName('Über/Net', 'json')]).toEqual(['mlp-on-mnist-runs.csv', 'ber-net-runs.json']);
  });
});
