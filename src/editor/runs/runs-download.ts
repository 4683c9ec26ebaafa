// The runs table as a file the browser downloads: the rows and columns on screen (filtered,
// sorted) as CSV or JSON through the engine's writers, named after the project.
import { slug } from '../../engine/export/bundle-docs.js';
import { runsToCsv, runsToJson } from '../../engine/tracking/runs-export.js';
import type { Column, Row } from '../../engine/tracking/runs-table.js';
import { saveAs } from '../export/download.js';
import { exportColumns, exportRows } from './runs-table-view.js';

export type RunsFileFormat = 'csv' | 'json';

/** `<project>-runs.csv` / `.json`, the project name made file-safe. */
export const runsFileName = (projectName: string, format: RunsFileFormat): string => `${slug(projectName)}-runs.${format}`;

/** The file's text: a "Run id" column first, then the columns shown. */
export function runsFileText(columns: readonly Column[], rows: readonly Row[], format: RunsFileFormat): string {
  const cols = exportColumns(columns);
  const out = exportRows(rows);
  switch (format) {
    case 'csv':
      return runsToCsv(cols, out);
    case 'json':
      return runsToJson(cols, out);
    default: {
      const never: never = format;
      throw new Error(`unknown runs file format ${String(never)}`);
    }
  }
}

/** Starts the download of the shown runs as `format`. */
export function downloadRuns(projectName: string, columns: readonly Column[], rows: readonly Row[], format: RunsFileFormat): void {
  saveAs(new TextEncoder().encode(runsFileText(columns, rows, format)), runsFileName(projectName, format));
}
