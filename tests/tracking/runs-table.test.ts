// The runs table: columns (hyperparameters that vary, metrics), sort, the query, best values,
// and CSV/JSON export — the CSV parsed back by papaparse and by Python's csv module.
import Papa from 'papaparse/papaparse.min.js';
import { describe, expect, it } from 'vitest';
import { mlp } from '../../src/engine/templates/vision.js';
import { parseRunsQuery, filterRows } from '../../src/engine/tracking/runs-query.js';
import { runsToCsv, runsToJson, type RunsJson } from '../../src/engine/tracking/runs-export.js';
import { bestValues, buildRunsTable, sortRows, type TableRun } from '../../src/engine/tracking/runs-table.js';
import { runPython } from '../helpers/python.js';

const training = mlp.project().training;
const run = (id: string, over: Partial<TableRun> = {}): TableRun => ({
  id, tags: [], status: 'completed', startedAt: 1000, endedAt: 5000, versionId: 'v1', datasetName: 'mnist', datasetVersion: 'c'.repeat(64),
  backend: 'cpu', config: training, seed: 1, epochs: 8, finalMetrics: {}, ...over,
});

const RUNS: TableRun[] = [
  run('r1', { name: 'baseline', tags: ['adam', 'mnist'], finalMetrics: { valLoss: 0.31, valAccuracy: 0.91 }, activeMs: 3500 }),
  run('r2', { name: 'lr "hot", wide', tags: ['adam'], notes: 'tried a higher\nlearning rate', config: { ...training, optimizer: { name: 'adam', learningRate: 0.01 } }, finalMetrics: { valLoss: 0.27, valAccuracy: 0.93 } }),
  run('r3', { tags: ['sgd'], config: { ...training, optimizer: { name: 'sgd', learningRate: 0.1, momentum: 0.9 }, batchSize: 64 }, seed: 2, finalMetrics: { valLoss: Number.NaN, valAccuracy: 0.1 }, status: 'failed' }),
  run('r4', { status: 'running', endedAt: null, finalMetrics: { valLoss: 0.27 } }),
];

describe('buildRunsTable', () => {
  const table = buildRunsTable(RUNS);

  it('has a column per setting that varies (absent counts as different), none for settings all runs share', () => {
    expect(table.columns.filter((c) => c.kind === 'param').map((c) => c.id)).toEqual(['param:batchSize', 'param:optimizer.learningRate', 'param:optimizer.momentum', 'param:optimizer.name']);
    expect(table.columns.filter((c) => c.kind === 'metric').map((c) => [c.id, c.kind === 'metric' && c.best])).toEqual([['metric:valAccuracy', 'max'], ['metric:valLoss', 'min']]);
    expect(table.rows[2]!.cells).toMatchObject({ 'param:optimizer.name': 'sgd', 'param:optimizer.momentum': 0.9, 'param:batchSize': 64, seed: 2, status: 'failed' });
    expect(table.rows[0]!.cells).not.toHaveProperty('param:optimizer.momentum');
  });

  it('shows active training time when recorded, wall time otherwise, nothing while running', () => {
    expect(table.rows.map((r) => r.cells['durationMs'])).toEqual([3500, 4000, 4000, null]);
  });

  it('sorts numbers, puts missing and NaN last in both directions, keeps ties stable', () => {
    expect(sortRows(table.rows, 'metric:valLoss', 'asc').map((r) => r.id)).toEqual(['r2', 'r4', 'r1', 'r3']);
    expect(sortRows(table.rows, 'metric:valLoss', 'desc').map((r) => r.id)).toEqual(['r1', 'r2', 'r4', 'r3']);
    expect(sortRows(table.rows, 'metric:valAccuracy', 'desc').map((r) => r.id)).toEqual(['r2', 'r1', 'r3', 'r4']);
    expect(sortRows(table.rows, 'name', 'asc').map((r) => r.id)).toEqual(['r1', 'r2', 'r3', 'r4']);
  });

  it('finds the best of each metric: least loss (ties: every run), greatest accuracy; NaN never wins', () => {
    expect(bestValues(table)).toEqual({ 'metric:valLoss': { value: 0.27, rowIds: ['r2', 'r4'] }, 'metric:valAccuracy': { value: 0.93, rowIds: ['r2'] } });
  });
});

describe('the runs query', () => {
  const table = buildRunsTable(RUNS);
  const ids = (q: string) => {
    const r = parseRunsQuery(q, table.columns);
    if (!r.ok) throw new Error(r.message);
    return filterRows(table, r.query).map((row) => row.id);
  };

  it('searches words in name, tags and notes (all words, any case)', () => {
    expect(ids('adam')).toEqual(['r1', 'r2']);
    expect(ids('ADAM higher')).toEqual(['r2']);
    expect(ids('sgd')).toEqual(['r3']);
    expect(ids('')).toEqual(['r1', 'r2', 'r3', 'r4']);
  });

  it('keeps rows in numeric ranges on metrics, hyperparameters and fields; rows without a value fail', () => {
    expect(ids('valLoss<0.3')).toEqual(['r2', 'r4']);
    expect(ids('valLoss<=0.31')).toEqual(['r1', 'r2', 'r4']);
    expect(ids('valAccuracy>0.91')).toEqual(['r2']);
    expect(ids('valAccuracy>=0.91')).toEqual(['r1', 'r2']);
    expect(ids('optimizer.learningRate:1e-3..1e-2')).toEqual(['r1', 'r2', 'r4']);
    expect(ids('optimizer.learningRate:0.05..')).toEqual(['r3']);
    expect(ids('optimizer.momentum=0.9')).toEqual(['r3']);
    expect(ids('adam valLoss<0.3 seed=1')).toEqual(['r2']);
  });

  it('names the bad token and where it is', () => {
    expect(parseRunsQuery('adam valLos<0.3', table.columns)).toEqual({
      ok: false, token: 'valLos<0.3', at: 5,
      message: expect.stringMatching(/^"valLos" \(at 6\) is not a column of these runs; numeric columns: .*valLoss/),
    });
    expect(parseRunsQuery('valLoss<abc', table.columns)).toMatchObject({ ok: false, message: expect.stringMatching(/"valLoss<abc" \(at 1\) is not a filter/) });
    expect(parseRunsQuery('status>1', table.columns)).toMatchObject({ ok: false, message: '"status" (at 1) is not a numeric column' });
    expect(parseRunsQuery('valLoss:0.5..0.1', table.columns)).toMatchObject({ ok: false, message: expect.stringMatching(/minimum 0.5 is above the maximum 0.1/) });
  });
});

describe('export', () => {
  const table = buildRunsTable(RUNS);
  const csv = runsToCsv(table.columns, table.rows);
  const expected = [table.columns.map((c) => c.label), ...table.rows.map((r) => table.columns.map((c) => {
    const v = r.cells[c.id];
    return v === undefined || v === null ? '' : String(v);
  }))];

  it('writes RFC 4180 CSV: CRLF line ends, quoted fields with comma, quote or newline', () => {
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv).toContain('"lr ""hot"", wide"');
    expect(csv.split('\r\n')).toHaveLength(RUNS.length + 2); // header, rows, and the empty string after the last CRLF
  });

  it('parses back to the same cells with papaparse and with Python’s csv module', () => {
    const papa = Papa.parse(csv, { newline: '\r\n', skipEmptyLines: true });
    expect(papa.errors).toEqual([]);
    expect(papa.data).toEqual(expected);
    // Python: newline='' is how the csv docs say to read a file so quoted newlines survive.
    const py = runPython('import csv, io, json, sys\nprint(json.dumps(list(csv.reader(io.StringIO(sys.stdin.read(), newline="")))))', [], { input: csv });
    expect(py.code, py.stderr).toBe(0);
    expect(JSON.parse(py.stdout)).toEqual(expected);
  });

  it('quotes a newline inside a cell', () => {
    const t = buildRunsTable([run('x', { name: 'two\nlines' })]);
    expect(runsToCsv(t.columns, t.rows)).toContain('"two\nlines"');
  });

  it('writes JSON with every column and value; NaN as "NaN", missing values absent', () => {
    const doc = JSON.parse(runsToJson(table.columns, table.rows)) as RunsJson;
    expect(doc.format).toBe('neuralforge-runs');
    expect(doc.columns.map((c) => c.id)).toEqual(table.columns.map((c) => c.id));
    expect(doc.columns.find((c) => c.id === 'metric:valLoss')).toEqual({ id: 'metric:valLoss', kind: 'metric', label: 'valLoss', best: 'min' });
    expect(doc.rows[2]!.values['metric:valLoss']).toBe('NaN');
    expect(doc.rows[1]!.values).toMatchObject({ name: 'lr "hot", wide', 'param:optimizer.learningRate': 0.01 });
    expect(doc.rows[0]!.values).not.toHaveProperty('param:optimizer.momentum');
    expect(doc.rows[3]!.values['durationMs']).toBeNull();
  });
});
