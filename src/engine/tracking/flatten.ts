// Nested settings as flat `a.b.c` paths with leaf values: the common currency of run diffs,
// runs-table columns and MLflow params.

/** A leaf of flattened settings. Arrays are leaves, written as JSON (`["accuracy"]`). */
export type FlatValue = string | number | boolean | null;

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Every leaf of `value` under its dotted path, paths sorted; `undefined` leaves are left out.
 * @example flattenSettings({ optimizer: { name: 'adam', learningRate: 0.01 }, metrics: ['accuracy'] })
 * // { 'metrics': '["accuracy"]', 'optimizer.learningRate': 0.01, 'optimizer.name': 'adam' }
 */
export function flattenSettings(value: unknown): Record<string, FlatValue> {
  const out: [string, FlatValue][] = [];
  const walk = (v: unknown, path: string): void => {
    if (v === undefined) return;
    if (isPlainObject(v)) {
      for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}.${k}` : k);
      return;
    }
    out.push([path, leaf(v)]);
  };
  walk(value, '');
  out.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(out);
}

function leaf(v: unknown): FlatValue {
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return JSON.stringify(v) ?? String(v);
}

/** Same value for a diff or a column: NaN equals NaN (a diverged setting is still the same setting). */
export const sameFlat = (a: FlatValue | undefined, b: FlatValue | undefined): boolean => Object.is(a, b) || a === b;
