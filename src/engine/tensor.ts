// Symbolic tensors as shape inference sees them: a shape with `null` for unknown
// dimensions (the batch dimension always comes first and is `null`), and a dtype.

export type Dim = number | null;
export type Shape = readonly Dim[];
export type Dtype = 'float32' | 'int32';

export interface TensorInfo {
  readonly shape: Shape;
  readonly dtype: Dtype;
}

export const BYTES_PER_ELEMENT: Record<Dtype, number> = { float32: 4, int32: 4 };

/** `[null, 28, 28, 1]` — the Keras way of writing a shape, as people read it. */
export function formatShape(shape: Shape): string {
  return `[${shape.map((d) => (d === null ? 'null' : String(d))).join(',')}]`;
}

/** Elements per sample (everything after the batch dimension); null if any is unknown. */
export function sampleSize(shape: Shape): number | null {
  let n = 1;
  for (let i = 1; i < shape.length; i++) {
    const d = shape[i];
    if (d === null || d === undefined) return null;
    n *= d;
  }
  return n;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Two shapes fit when ranks agree and every pair of known dims is equal. */
export function shapesCompatible(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x !== null && y !== null && x !== y) return false;
  }
  return true;
}

/** Resolve a possibly negative axis against a rank (batch included). */
export function normalizeAxis(axis: number, rank: number): number | null {
  const a = axis < 0 ? rank + axis : axis;
  return a >= 0 && a < rank ? a : null;
}

export const product = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);
