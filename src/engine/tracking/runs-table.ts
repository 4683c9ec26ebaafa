// The runs table: one row per run, fixed columns, a column per hyperparameter that varies across
// the runs and one per final metric; sorting, and the best value of each metric column.
import type { TrainingConfig } from '../project/types.js';
import { inferMonitorMode } from '../train/config.js';
import { flattenSettings, sameFlat, type FlatValue } from './flatten.js';

/** What the table needs of a run; a stored RunRecord fits as it is. */
export interface TableRun {
  readonly id: string;
  /** A person's name for the run, when it has one. */
  readonly name?: string;
  readonly notes?: string;
  readonly tags: readonly string[];
  readonly status: string;
  readonly startedAt: number;
  readonly endedAt: number | null;
  readonly activeMs?: number | null;
  readonly versionId: string;
  readonly datasetName: string;
  readonly datasetVersion: string | null;
  readonly backend: string | null;
  readonly config: TrainingConfig;
  readonly seed: number;
  readonly epochs: number;
  readonly finalMetrics: Readonly<Record<string, number>>;
}

export type FieldKey = 'name' | 'status' | 'startedAt' | 'durationMs' | 'epochs' | 'dataset' | 'datasetVersion' | 'version' | 'backend' | 'seed' | 'tags';

export type Column =
  | { readonly kind: 'field'; readonly id: string; readonly key: FieldKey; readonly label: string; readonly numeric: boolean }
  /** A flattened training setting (`optimizer.learningRate`) whose value is not the same in every run. */
  | { readonly kind: 'param'; readonly id: string; readonly path: string; readonly label: string }
  /** A final metric; `best` is min for loss-like names, max otherwise (early stopping's rule). */
  | { readonly kind: 'metric'; readonly id: string; readonly metric: string; readonly label: string; readonly best: 'min' | 'max' };

export type Cell = FlatValue;

export interface Row {
  readonly id: string;
  /** Text searched by a query: name, tags and notes. */
  readonly text: string;
  /** By column id; absent: the run has no value there. */
  readonly cells: Readonly<Record<string, Cell>>;
}

export interface RunsTable {
  readonly columns: readonly Column[];
  readonly rows: readonly Row[];
}

const FIELDS: readonly { key: FieldKey; label: string; numeric: boolean }[] = [
  { key: 'name', label: 'Run', numeric: false },
  { key: 'status', label: 'Status', numeric: false },
  { key: 'startedAt', label: 'Started', numeric: true },
  { key: 'durationMs', label: 'Duration (ms)', numeric: true },
  { key: 'epochs', label: 'Epochs', numeric: true },
  { key: 'dataset', label: 'Dataset', numeric: false },
  { key: 'datasetVersion', label: 'Dataset version', numeric: false },
  { key: 'version', label: 'Architecture version', numeric: false },
  { key: 'backend', label: 'Backend', numeric: false },
  { key: 'seed', label: 'Seed', numeric: true },
  { key: 'tags', label: 'Tags', numeric: false },
];

/** Active training time when recorded, else wall time from start to end; null while unknown. */
export function durationOf(run: TableRun): number | null {
  if (typeof run.activeMs === 'number') return run.activeMs;
  return run.endedAt === null ? null : run.endedAt - run.startedAt;
}

function fieldValue(run: TableRun, key: FieldKey): Cell {
  switch (key) {
    case 'name':
      return run.name ?? run.id;
    case 'status':
      return run.status;
    case 'startedAt':
      return run.startedAt;
    case 'durationMs':
      return durationOf(run);
    case 'epochs':
      return run.epochs;
    case 'dataset':
      return run.datasetName;
    case 'datasetVersion':
      return run.datasetVersion;
    case 'version':
      return run.versionId;
    case 'backend':
      return run.backend;
    case 'seed':
      return run.seed;
    case 'tags':
      return run.tags.join(', ');
    default: {
      const never: never = key;
      throw new Error(`unknown field ${String(never)}`);
    }
  }
}

/** The seed has its own column; the config's copy of it is not a hyperparameter column. */
const settingsOf = (run: TableRun) => {
  const { seed: _seed, ...rest } = run.config;
  return flattenSettings(rest);
};

/** Paths whose value (or absence) is not the same in every run. */
function varyingPaths(flat: readonly Readonly<Record<string, FlatValue>>[]): string[] {
  const all = [...new Set(flat.flatMap((f) => Object.keys(f)))].sort();
  return all.filter((p) => {
    const first = flat[0]?.[p];
    return flat.some((f) => !sameFlat(f[p], first));
  });
}

/**
 * Rows and columns for `runs` (in the given order).
 * @example buildRunsTable(runs).columns.filter((c) => c.kind === 'param').map((c) => c.path) // ['optimizer.learningRate']
 */
export function buildRunsTable(runs: readonly TableRun[]): RunsTable {
  const flat = runs.map(settingsOf);
  const metricNames = [...new Set(runs.flatMap((r) => Object.keys(r.finalMetrics)))].sort();
  const columns: Column[] = [
    ...FIELDS.map((f): Column => ({ kind: 'field', id: f.key, ...f })),
    ...varyingPaths(flat).map((path): Column => ({ kind: 'param', id: `param:${path}`, path, label: path })),
    ...metricNames.map((metric): Column => ({ kind: 'metric', id: `metric:${metric}`, metric, label: metric, best: inferMonitorMode(metric) })),
  ];
  const rows = runs.map((run, i): Row => {
    const cells: Record<string, Cell> = {};
    for (const c of columns) {
      const v = c.kind === 'field' ? fieldValue(run, c.key) : c.kind === 'param' ? flat[i]![c.path] : run.finalMetrics[c.metric];
      if (v !== undefined) cells[c.id] = v;
    }
    return { id: run.id, text: [run.name ?? '', ...run.tags, run.notes ?? ''].join('\n').toLowerCase(), cells };
  });
  return { columns, rows };
}

/** Numbers before text; missing and NaN always last, whichever the direction. */
function compareCells(a: Cell | undefined, b: Cell | undefined): number | null {
  const missing = (v: Cell | undefined) => v === undefined || v === null || (typeof v === 'number' && Number.isNaN(v));
  if (missing(a) || missing(b)) return null;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Rows sorted by one column (stable: ties keep their order); rows without a value come last.
 * @example sortRows(table.rows, 'metric:valLoss', 'asc')
 */
export function sortRows(rows: readonly Row[], columnId: string, direction: 'asc' | 'desc'): Row[] {
  const sign = direction === 'asc' ? 1 : -1;
  const has = (r: Row) => compareCells(r.cells[columnId], r.cells[columnId]) !== null;
  const withValue = rows.filter(has);
  const without = rows.filter((r) => !has(r));
  return [...withValue.sort((a, b) => sign * compareCells(a.cells[columnId], b.cells[columnId])!), ...without];
}

/** The best value of a metric column and the rows holding it; null when no row has a number there. */
export interface Best {
  readonly value: number;
  readonly rowIds: readonly string[];
}

/**
 * The best value of every metric column: the least for loss-like metrics, the greatest otherwise.
 * NaN never wins.
 */
export function bestValues(table: RunsTable): Readonly<Record<string, Best | null>> {
  const out: Record<string, Best | null> = {};
  for (const c of table.columns) {
    if (c.kind !== 'metric') continue;
    const values = table.rows.flatMap((r) => {
      const v = r.cells[c.id];
      return typeof v === 'number' && !Number.isNaN(v) ? [{ id: r.id, v }] : [];
    });
    if (values.length === 0) {
      out[c.id] = null;
      continue;
    }
    const value = c.best === 'min' ? Math.min(...values.map((x) => x.v)) : Math.max(...values.map((x) => x.v));
    out[c.id] = { value, rowIds: values.filter((x) => x.v === value).map((x) => x.id) };
  }
  return out;
}
