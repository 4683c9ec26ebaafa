// The confusion matrix as the panel draws it: each cell's count, its row-normalised share, the
// shade that encodes it and the words a screen reader says; plus paging of a cell's samples.

export interface MatrixCell {
  readonly t: number;
  readonly p: number;
  readonly count: number;
  /** count / (samples of true class t); 0 for an empty row. */
  readonly rowShare: number;
  /** What the shade encodes, in [0, 1]: rowShare when normalised, else count / the largest count. */
  readonly shade: number;
  /** What the cell reads: the count, or the row share as a percentage. */
  readonly text: string;
}

/** The C×C cells, row-major (rows = true class, columns = predicted), from sklearn-layout counts. */
export function matrixCells(counts: Int32Array, classes: number, normalised: boolean): MatrixCell[] {
  if (counts.length !== classes * classes) throw new Error(`matrixCells: ${counts.length} counts for ${classes} classes (expected ${classes * classes})`);
  let max = 0;
  for (const c of counts) max = Math.max(max, c);
  const cells: MatrixCell[] = [];
  for (let t = 0; t < classes; t++) {
    let row = 0;
    for (let p = 0; p < classes; p++) row += counts[t * classes + p]!;
    for (let p = 0; p < classes; p++) {
      const count = counts[t * classes + p]!;
      const rowShare = row > 0 ? count / row : 0;
      cells.push({
        t,
        p,
        count,
        rowShare,
        shade: normalised ? rowShare : max > 0 ? count / max : 0,
        text: normalised ? (count === 0 ? '0' : `${Math.round(rowShare * 100)}%`) : String(count),
      });
    }
  }
  return cells;
}

/** "true 3, predicted 5: 12 samples" (class names, not ids, when the dataset has them). */
export function cellAriaLabel(names: readonly string[], t: number, p: number, count: number): string {
  return `true ${names[t] ?? t}, predicted ${names[p] ?? p}: ${count} sample${count === 1 ? '' : 's'}`;
}

/** Row and column totals (true-class support, predicted counts). */
export function matrixTotals(counts: Int32Array, classes: number): { rows: number[]; cols: number[]; total: number } {
  const rows = new Array<number>(classes).fill(0);
  const cols = new Array<number>(classes).fill(0);
  let total = 0;
  for (let t = 0; t < classes; t++)
    for (let p = 0; p < classes; p++) {
      const c = counts[t * classes + p]!;
      rows[t]! += c;
      cols[p]! += c;
      total += c;
    }
  return { rows, cols, total };
}

/** The samples() requests for the first `shown` indices: consecutive pages of at most `size` (the worker's limit is 200). */
export function samplePages(indices: ArrayLike<number>, shown: number, size = 200): number[][] {
  if (size < 1) throw new Error(`samplePages: page size ${size} < 1`);
  const n = Math.min(shown, indices.length);
  const pages: number[][] = [];
  for (let i = 0; i < n; i += size) pages.push(Array.from({ length: Math.min(size, n - i) }, (_, k) => indices[i + k]!));
  return pages;
}
