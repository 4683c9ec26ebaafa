// Axes for the panel's canvas and SVG plots: a padded data extent, "nice" tick values and a
// linear map from data to pixels.

/** Min and max of the finite values, widened when flat so a scale never divides by zero. */
export function extent(values: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo === Infinity) return [0, 1];
  if (lo === hi) return [lo - 0.5, hi + 0.5];
  return [lo, hi];
}

/** Ticks at 1, 2 or 5 × 10^k covering [lo, hi], the step chosen to give closest to `count` intervals. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const span = hi - lo;
  const mag = 10 ** Math.floor(Math.log10(span / Math.max(1, count)));
  const step = [1, 2, 5, 10].map((m) => m * mag).reduce((best, s) => (Math.abs(span / s - count) < Math.abs(span / best - count) ? s : best));
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/** d0 ↦ r0, d1 ↦ r1, linearly (r1 < r0 gives an upward y axis). */
export function linear(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  return (v) => r0 + (v - d0) * k;
}

/** The index of the point nearest (x, y) within `radius` pixels, or -1; points are N×2 pixel coordinates. */
export function nearestPoint(px: Float32Array | readonly number[], x: number, y: number, radius: number): number {
  let best = -1;
  let bestD = radius * radius;
  for (let i = 0; i * 2 + 1 < px.length; i++) {
    const dx = px[i * 2]! - x;
    const dy = px[i * 2 + 1]! - y;
    const d = dx * dx + dy * dy;
    if (d <= bestD) {
      bestD = d;
      best = i;
    }
  }
  return best;
}

/**
 * An SVG path through (x[i], y[i]) in [0, 1]² drawn in a `size`-px square (y up), leaving out
 * points within half a pixel of the last point kept (the last point is always kept): a
 * 10,000-sample ROC curve stays a few hundred vertices. NaN points (an undefined curve) give ''.
 */
export function unitCurvePath(x: ArrayLike<number>, y: ArrayLike<number>, size: number): string {
  const parts: string[] = [];
  let px = NaN;
  let py = NaN;
  const r = (v: number) => Math.round(v * 10) / 10;
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i]!) || !Number.isFinite(y[i]!)) return '';
    const sx = x[i]! * size;
    const sy = (1 - y[i]!) * size;
    if (parts.length > 0 && i !== x.length - 1 && Math.abs(sx - px) < 0.5 && Math.abs(sy - py) < 0.5) continue;
    parts.push(`${parts.length === 0 ? 'M' : 'L'}${r(sx)} ${r(sy)}`);
    px = sx;
    py = sy;
  }
  return parts.join(' ');
}
