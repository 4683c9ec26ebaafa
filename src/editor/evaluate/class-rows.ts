// The per-class table's rows (precision, recall, F1, support, one-vs-rest AUC) and their sorting.
import type { ClassificationReport, RocReport } from '../../engine/eval/index.js';

export interface ClassRow {
  readonly id: number;
  readonly name: string;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly support: number;
  /** Null when the class has no positives or no negatives in the split. */
  readonly auc: number | null;
}

export type ClassRowKey = keyof ClassRow;
export type SortDirection = 'ascending' | 'descending';

/** One row per class, in class-id order. */
export function classRows(report: Pick<ClassificationReport, 'perClass'>, roc: Pick<RocReport, 'perClass'>, names: readonly string[]): ClassRow[] {
  return report.perClass.map((m, id) => ({ id, name: names[id] ?? String(id), ...m, auc: roc.perClass[id]?.auc ?? null }));
}

/** Sorted copy; null AUCs go last either way, ties keep class-id order. */
export function sortClassRows(rows: readonly ClassRow[], key: ClassRowKey, dir: SortDirection): ClassRow[] {
  const sign = dir === 'ascending' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = a[key];
    const y = b[key];
    if (x === null || y === null) return x === y ? a.id - b.id : x === null ? 1 : -1;
    const c = typeof x === 'string' && typeof y === 'string' ? x.localeCompare(y, undefined, { numeric: true }) : (x as number) - (y as number);
    return c !== 0 ? sign * c : a.id - b.id;
  });
}
