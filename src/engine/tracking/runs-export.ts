// The runs table as files: CSV (RFC 4180, CRLF line ends) and JSON.
import type { Cell, Column, Row } from './runs-table.js';

/** CSV text of one cell: numbers as JavaScript writes them (NaN, Infinity included), a missing value empty. */
function cellText(v: Cell | undefined): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? v : String(v);
}

/** RFC 4180: a field holding a comma, a double quote, CR or LF is quoted, its quotes doubled. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * The rows as CSV: a header of column labels, then one record per row; every line ends in CRLF
 * (RFC 4180 §2), the last one too. Cells are written as they are (no spreadsheet-formula escaping).
 * @example runsToCsv(table.columns, sortRows(table.rows, 'metric:valLoss', 'asc'))
 */
export function runsToCsv(columns: readonly Column[], rows: readonly Row[]): string {
  const line = (fields: readonly string[]) => `${fields.map(csvField).join(',')}\r\n`;
  return line(columns.map((c) => c.label)) + rows.map((r) => line(columns.map((c) => cellText(r.cells[c.id])))).join('');
}

export interface RunsJson {
  readonly format: 'neuralforge-runs';
  readonly version: 1;
  readonly columns: readonly { readonly id: string; readonly kind: Column['kind']; readonly label: string; readonly best?: 'min' | 'max' }[];
  /** Values by column id; a missing value is absent; NaN and ±Infinity are the strings "NaN", "Infinity", "-Infinity" (JSON has no such numbers). */
  readonly rows: readonly { readonly id: string; readonly values: Readonly<Record<string, string | number | boolean | null>> }[];
}

const jsonCell = (v: Cell): string | number | boolean | null => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v);

/** The rows as a JSON document (2-space indented). */
export function runsToJson(columns: readonly Column[], rows: readonly Row[]): string {
  const doc: RunsJson = {
    format: 'neuralforge-runs',
    version: 1,
    columns: columns.map((c) => ({ id: c.id, kind: c.kind, label: c.label, ...(c.kind === 'metric' ? { best: c.best } : {}) })),
    rows: rows.map((r) => ({
      id: r.id,
      values: Object.fromEntries(columns.flatMap((c) => (Object.hasOwn(r.cells, c.id) ? [[c.id, jsonCell(r.cells[c.id]!)]] : []))),
    })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
