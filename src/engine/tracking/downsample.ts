// Fewer points for a long curve that still look like it: per bucket of consecutive points, the
// lowest and the highest (in x order), plus the first and the last point — spikes and the
// global extremes survive, and drawing 200 runs × 10,000 steps costs ~2,000 points per run.

/** A curve as parallel columns, x ascending. */
export interface Curve {
  readonly x: readonly number[];
  readonly y: readonly number[];
}

/**
 * Min/max-per-bucket downsampling. Input x must be ascending; non-finite y values are dropped
 * first (a curve without a value at a point has no point there). Returns at most `maxPoints`
 * points (≥ 4), x still ascending, including the first and last point and the global minimum and
 * maximum of y. A curve already short enough comes back with the same values.
 * @example downsampleMinMax({ x: [0, 1, 2, 3, 4, 5], y: [5, 1, 9, 2, 8, 3] }, 4) // keeps x 0, 1, 2, 5
 */
export function downsampleMinMax(curve: Curve, maxPoints: number): Curve {
  if (!(Number.isInteger(maxPoints) && maxPoints >= 4)) throw new RangeError(`maxPoints must be an integer ≥ 4; got ${maxPoints}`);
  if (curve.x.length !== curve.y.length) throw new RangeError(`x and y differ in length (${curve.x.length} vs ${curve.y.length})`);
  const { x, y } = finiteOnly(curve);
  const n = x.length;
  if (n <= maxPoints) return { x, y };
  // Inner points (all but first and last) in `buckets` runs of consecutive indices, 2 kept per run.
  const buckets = Math.floor((maxPoints - 2) / 2);
  const inner = n - 2;
  const outX: number[] = [x[0]!];
  const outY: number[] = [y[0]!];
  for (let b = 0; b < buckets; b++) {
    const start = 1 + Math.floor((b * inner) / buckets);
    const end = 1 + Math.floor(((b + 1) * inner) / buckets); // exclusive
    if (end <= start) continue;
    let lo = start;
    let hi = start;
    for (let i = start + 1; i < end; i++) {
      if (y[i]! < y[lo]!) lo = i;
      if (y[i]! > y[hi]!) hi = i;
    }
    // In x order, once each: a flat bucket gives one point.
    for (const i of lo === hi ? [lo] : lo < hi ? [lo, hi] : [hi, lo]) {
      outX.push(x[i]!);
      outY.push(y[i]!);
    }
  }
  outX.push(x[n - 1]!);
  outY.push(y[n - 1]!);
  return { x: outX, y: outY };
}

function finiteOnly(curve: Curve): { x: number[]; y: number[] } {
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < curve.y.length; i++) {
    const v = curve.y[i]!;
    if (Number.isFinite(v)) {
      x.push(curve.x[i]!);
      y.push(v);
    }
  }
  return { x, y };
}
