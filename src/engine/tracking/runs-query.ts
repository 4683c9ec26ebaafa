// A small query over the runs table: words search name, tags and notes; `column<op>number` and
// `column:min..max` keep rows whose value is in range. Bad input is an error naming the token.
import type { Column, Row, RunsTable } from './runs-table.js';

export interface RangeFilter {
  /** A column id (`metric:valLoss`, `param:optimizer.learningRate`, `epochs`). */
  readonly columnId: string;
  readonly min?: number;
  readonly max?: number;
  /** Whether `min`/`max` themselves pass (true for `>=`, `<=`, `=` and `a..b`). */
  readonly inclusive: boolean;
}

export interface RunsQuery {
  /** Lower-case words; each must appear in the row's name, tags or notes. */
  readonly words: readonly string[];
  readonly ranges: readonly RangeFilter[];
}

export type QueryResult = { readonly ok: true; readonly query: RunsQuery } | { readonly ok: false; readonly message: string; readonly token: string; readonly at: number };

const NUMBER = String.raw`[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?`;
const COMPARE = new RegExp(`^([\\w./-]+)(<=|>=|<|>|=)(${NUMBER})$`);
const RANGE = new RegExp(`^([\\w./-]+):(${NUMBER})?\\.\\.(${NUMBER})?$`);

/**
 * A column named in a query: its id, a metric name, a hyperparameter path or a field key.
 * Metrics win over hyperparameters and fields of the same name.
 */
export function findColumn(columns: readonly Column[], name: string): Column | null {
  return (
    columns.find((c) => c.id === name) ??
    columns.find((c) => c.kind === 'metric' && c.metric === name) ??
    columns.find((c) => c.kind === 'param' && c.path === name) ??
    columns.find((c) => c.kind === 'field' && c.key === name) ??
    null
  );
}

const numericColumn = (c: Column) => c.kind !== 'field' || c.numeric;

/**
 * Parses a query against the table's columns.
 * @example parseRunsQuery('baseline valLoss<0.3 optimizer.learningRate:1e-4..1e-2', table.columns)
 */
export function parseRunsQuery(text: string, columns: readonly Column[]): QueryResult {
  const words: string[] = [];
  const ranges: RangeFilter[] = [];
  for (const m of text.matchAll(/\S+/g)) {
    const token = m[0];
    const at = m.index;
    const cmp = COMPARE.exec(token);
    const rng = cmp ? null : RANGE.exec(token);
    if (!cmp && !rng) {
      if (/[<>]/.test(token) || /^[\w./-]+:.*\.\./.test(token))
        return { ok: false, token, at, message: `"${token}" (at ${at + 1}) is not a filter: write name<number, name>=number, name=number or name:min..max` };
      words.push(token.toLowerCase());
      continue;
    }
    const name = (cmp ?? rng)![1]!;
    const column = findColumn(columns, name);
    if (!column) {
      const known = columns.filter(numericColumn).map((c) => (c.kind === 'metric' ? c.metric : c.kind === 'param' ? c.path : c.key));
      return { ok: false, token, at, message: `"${name}" (at ${at + 1}) is not a column of these runs; numeric columns: ${known.join(', ')}` };
    }
    if (!numericColumn(column)) return { ok: false, token, at, message: `"${name}" (at ${at + 1}) is not a numeric column` };
    if (cmp) {
      const op = cmp[2]!;
      const v = Number(cmp[3]);
      ranges.push(
        op === '=' ? { columnId: column.id, min: v, max: v, inclusive: true }
        : op.startsWith('<') ? { columnId: column.id, max: v, inclusive: op === '<=' }
        : { columnId: column.id, min: v, inclusive: op === '>=' },
      );
    } else {
      const [lo, hi] = [rng![2], rng![3]];
      if (lo === undefined && hi === undefined) return { ok: false, token, at, message: `"${token}" (at ${at + 1}) gives neither a minimum nor a maximum` };
      const min = lo === undefined ? undefined : Number(lo);
      const max = hi === undefined ? undefined : Number(hi);
      if (min !== undefined && max !== undefined && min > max) return { ok: false, token, at, message: `"${token}" (at ${at + 1}): the minimum ${min} is above the maximum ${max}` };
      ranges.push({ columnId: column.id, ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }), inclusive: true });
    }
  }
  return { ok: true, query: { words, ranges } };
}

function inRange(v: unknown, r: RangeFilter): boolean {
  if (typeof v !== 'number' || Number.isNaN(v)) return false;
  if (r.min !== undefined && (r.inclusive ? v < r.min : v <= r.min)) return false;
  if (r.max !== undefined && (r.inclusive ? v > r.max : v >= r.max)) return false;
  return true;
}

/** The rows that match every word and every range (a row without a value fails its range). */
export function filterRows(table: RunsTable, query: RunsQuery): Row[] {
  return table.rows.filter((row) => query.words.every((w) => row.text.includes(w)) && query.ranges.every((r) => inRange(row.cells[r.columnId], r)));
}
