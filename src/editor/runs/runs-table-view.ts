// The runs table as the page shows it, over the engine's table (src/engine/tracking/): stored
// runs as table rows, which columns are on screen, how a cell reads, and the sort a header
// click gives. Pure functions, no DOM: the panel draws what these return.
import { bestValues, buildRunsTable, sortRows, type Best, type Cell, type Column, type Row, type RunsTable, type TableRun } from '../../engine/tracking/runs-table.js';
import { filterRows, type RunsQuery } from '../../engine/tracking/runs-query.js';
import type { RunRecord } from '../../storage/types.js';

export type SortDirection = 'asc' | 'desc';
export interface SortState {
  readonly columnId: string;
  readonly direction: SortDirection;
}

/** Newest first, as runs are listed before anyone sorts. */
export const DEFAULT_SORT: SortState = { columnId: 'startedAt', direction: 'desc' };

/** A stored run as the engine's table reads it (an unnamed run's name is absent, notes '' when none). */
export function tableRunOf(run: RunRecord): TableRun {
  return { ...run, name: run.name ?? undefined, notes: run.notes ?? '' };
}

/** The fixed columns on screen, in order; the others (versions, seed) show only when they vary. */
const SHOWN_FIELDS = new Set(['name', 'status', 'startedAt', 'durationMs', 'epochs', 'dataset', 'backend', 'tags']);
const FIELD_LABELS: Readonly<Record<string, string>> = { durationMs: 'Duration', name: 'Run' };

/** True when the column holds more than one distinct value across the rows. */
function varies(rows: readonly Row[], id: string): boolean {
  const first = rows[0]?.cells[id];
  return rows.some((r) => r.cells[id] !== first);
}

/**
 * The columns on screen: name, status, started, duration, epochs, dataset, backend, tags (and
 * seed or versions when they differ between runs), then every hyperparameter that varies and
 * every final metric — the engine already keeps only varying hyperparameters.
 */
export function shownColumns(table: RunsTable): Column[] {
  return table.columns
    .filter((c) => c.kind !== 'field' || SHOWN_FIELDS.has(c.key) || varies(table.rows, c.id))
    .map((c) => (c.kind === 'field' && FIELD_LABELS[c.key] ? { ...c, label: FIELD_LABELS[c.key]! } : c));
}

/** Everything the panel draws, recomputed when the runs, the query or the sort change. */
export interface TableView {
  readonly table: RunsTable;
  readonly columns: readonly Column[];
  /** Filtered, then sorted. */
  readonly rows: readonly Row[];
  /** Best value of each metric column among the rows shown. */
  readonly best: Readonly<Record<string, Best | null>>;
}

/** Builds the engine's table once per runs change; filtering and sorting reuse it. */
export function tableOf(runs: readonly RunRecord[]): RunsTable {
  return buildRunsTable(runs.map(tableRunOf));
}

/** The rows a query keeps, in the sort's order, with the best metric values among them. O(rows × columns + rows log rows). */
export function viewOf(table: RunsTable, query: RunsQuery, sort: SortState): TableView {
  const filtered = filterRows(table, query);
  const known = table.columns.some((c) => c.id === sort.columnId);
  const rows = known ? sortRows(filtered, sort.columnId, sort.direction) : filtered;
  return { table, columns: shownColumns(table), rows, best: bestValues({ columns: table.columns, rows: filtered }) };
}

/** The sort after a click on `column`'s header: the other direction when it is already sorted, else its natural first direction. */
export function nextSort(current: SortState, column: Column): SortState {
  if (current.columnId === column.id) return { columnId: column.id, direction: current.direction === 'asc' ? 'desc' : 'asc' };
  // Metrics open best-first; times newest-first; everything else A→Z, small→large.
  const direction: SortDirection = column.kind === 'metric' ? (column.best === 'min' ? 'asc' : 'desc') : column.id === 'startedAt' ? 'desc' : 'asc';
  return { columnId: column.id, direction };
}

/** An id short enough for a table cell: without the `run-` prefix, a UUID's first block. */
export function shortId(id: string): string {
  const bare = id.replace(/^run-/, '');
  return /^[0-9a-f]{8}-/i.test(bare) ? bare.slice(0, 8) : bare.slice(0, 12);
}

/** A duration as a person reads it: 850 ms, 12.4 s, 3 min 05 s, 2 h 04 min. */
export function durationText(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(Math.round(s % 60)).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** Numbers with 4 significant digits (exponent form when very small or large), as the table shows them. */
export function numberText(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0 || Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  return a < 1e-3 || a >= 1e6 ? v.toExponential(2) : String(Number(v.toPrecision(4)));
}

// One formatter for every cell: toLocaleString builds a new one per call (16–26 ms for 200 rows).
let startedFormat: Intl.DateTimeFormat | null = null;
const when = (ms: number) => (startedFormat ??= new Intl.DateTimeFormat([], { dateStyle: 'short', timeStyle: 'short' })).format(ms);

/** What a cell shows (the name, status and tags columns are drawn by the panel itself). '—' when the run has no value. */
export function cellText(column: Column, v: Cell | undefined): string {
  if (v === undefined || v === null) return '—';
  if (column.kind === 'field') {
    if (column.key === 'startedAt' && typeof v === 'number') return when(v);
    if (column.key === 'durationMs' && typeof v === 'number') return durationText(v);
  }
  return typeof v === 'number' ? numberText(v) : String(v);
}

/** Whether a column's cells align right. */
export const isNumeric = (c: Column): boolean => c.kind !== 'field' || (c.numeric && c.key !== 'startedAt');

/** A column of the run's id for the files (the table shows a name or short id instead), followed by `columns`. */
export function exportColumns(columns: readonly Column[]): Column[] {
  return [{ kind: 'field', id: 'runId', key: 'name', label: 'Run id', numeric: false }, ...columns];
}

/** Rows with their run id as a cell, for `exportColumns`. */
export const exportRows = (rows: readonly Row[]): Row[] => rows.map((r) => ({ ...r, cells: { runId: r.id, ...r.cells } }));
