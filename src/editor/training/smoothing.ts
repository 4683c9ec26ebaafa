// Exponential moving average for noisy per-step curves, debiased so the first points are not
// pulled toward zero (as TensorBoard's smoothing slider does). Gaps stay gaps.

/**
 * @param weight 0 (no smoothing) to < 1 (heavier).
 * @example ema([1, 3], 0.5) // [1, 2.333…]: (0.5·1 + 0.5·3·… ) debiased by 1 − 0.5²
 */
export function ema(values: readonly (number | null)[], weight: number): (number | null)[] {
  if (!(weight >= 0 && weight < 1)) throw new RangeError(`smoothing weight must be in [0, 1); got ${weight}`);
  const out: (number | null)[] = new Array<number | null>(values.length);
  let acc = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined || !Number.isFinite(v)) {
      out[i] = null;
      continue;
    }
    n++;
    acc = weight * acc + (1 - weight) * v;
    out[i] = weight === 0 ? v : acc / (1 - weight ** n);
  }
  return out;
}
