// Regression metrics against scikit-learn 1.2's mean_absolute_error, mean_squared_error and
// r2_score (raw per output and uniform average), including the constant-target conventions.
import { beforeAll, describe, expect, it } from 'vitest';
import { regressionReport, residualPoints } from '../../src/engine/eval/regression.js';
import { rng } from '../../src/engine/random.js';
import { PY_PRELUDE, gaussian, list, sklearn } from './fixtures.js';

interface RegCase {
  readonly name: string;
  readonly outputs: number;
  readonly actual: Float32Array;
  readonly predicted: Float32Array;
}

function randomCase(name: string, n: number, outputs: number, seed: number): RegCase {
  const r = rng(seed);
  const actual = Float32Array.from({ length: n * outputs }, () => 3 * gaussian(r) + 1);
  const predicted = actual.map((v) => v + 0.8 * gaussian(r));
  return { name, outputs, actual, predicted };
}

const cases: RegCase[] = [
  randomCase('100 samples, 1 output', 100, 1, 11),
  randomCase('50 samples, 3 outputs', 50, 3, 12),
  randomCase('worse than the mean (negative R²)', 30, 1, 13),
  { name: 'constant target, predicted exactly (R² = 1)', outputs: 1, actual: new Float32Array(5).fill(2), predicted: new Float32Array(5).fill(2) },
  { name: 'constant target, predicted wrongly (R² = 0)', outputs: 1, actual: new Float32Array(5).fill(2), predicted: Float32Array.of(2, 2, 3, 2, 1) },
  { name: 'two outputs, one constant', outputs: 2, actual: Float32Array.of(1, 5, 2, 5, 3, 5), predicted: Float32Array.of(1.5, 5, 2, 4, 2.5, 5) },
  { name: 'single sample (R² undefined)', outputs: 1, actual: Float32Array.of(3), predicted: Float32Array.of(2) },
];
// Make the third case worse than predicting the mean.
cases[2] = { ...cases[2]!, predicted: cases[2]!.actual.map((v) => -v) };

const SCRIPT = `${PY_PRELUDE}
from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score
res = []
for c in data:
    D = c['outputs']; y = np.array(c['actual']).reshape(-1, D); p = np.array(c['predicted']).reshape(-1, D)
    r = {}
    for avg in ('raw_values', 'uniform_average'):
        r[avg] = {'mae': mean_absolute_error(y, p, multioutput=avg), 'mse': mean_squared_error(y, p, multioutput=avg),
                  'rmse': mean_squared_error(y, p, multioutput=avg, squared=False), 'r2': r2_score(y, p, multioutput=avg)}
    res.append(r)
out(res)
`;

type Metrics = { mae: number; mse: number; rmse: number; r2: number | null };
type Sk = { raw_values: { [K in keyof Metrics]: (number | null)[] | number | null }; uniform_average: Metrics };

const near = (got: number, want: number | null) => (want === null ? expect(got).toBeNaN() : expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(want))));

describe('regression metrics vs scikit-learn', () => {
  let sk: Sk[];
  beforeAll(() => {
    sk = sklearn<Sk[]>(SCRIPT, cases.map((c) => ({ outputs: c.outputs, actual: list(c.actual), predicted: list(c.predicted) })));
  });

  it.each(cases.map((c, i) => [c.name, i] as const))('%s', (_name, i) => {
    const c = cases[i]!;
    const r = regressionReport(c.actual, c.predicted, c.outputs);
    for (const key of ['mae', 'mse', 'rmse', 'r2'] as const) {
      const raw = sk[i]!.raw_values[key];
      // sklearn returns a bare NaN (not a list) for r2 of a single sample.
      const perOutput = Array.isArray(raw) ? raw : [raw];
      r.perOutput.forEach((m, d) => near(m[key], perOutput[d] ?? null));
      near(r.mean[key], sk[i]!.uniform_average[key]);
    }
  });

  it('pins the conventions by value', () => {
    expect(regressionReport(cases[3]!.actual, cases[3]!.predicted).mean.r2).toBe(1);
    expect(regressionReport(cases[4]!.actual, cases[4]!.predicted).mean.r2).toBe(0);
    expect(regressionReport(cases[2]!.actual, cases[2]!.predicted).mean.r2).toBeLessThan(-1);
    // sklearn's docstring example: r2 ≈ 0.9486, MAE 0.5, MSE 0.375.
    const doc = regressionReport(Float32Array.of(3, -0.5, 2, 7), Float32Array.of(2.5, 0, 2, 8));
    expect(doc.mean.r2).toBeCloseTo(0.9486081370449679, 12);
    expect(doc.mean.mae).toBe(0.5);
    expect(doc.mean.mse).toBe(0.375);
  });

  it('gives residual points (actual − predicted) per output', () => {
    const pts = residualPoints(Float32Array.of(1, 10, 2, 20), Float32Array.of(1.5, 9, 2, 21), 2, 1);
    expect(pts).toEqual([
      { index: 0, predicted: 9, residual: 1 },
      { index: 1, predicted: 21, residual: -1 },
    ]);
  });

  it('refuses bad input, naming it', () => {
    expect(() => regressionReport(Float32Array.of(1, 2, 3), Float32Array.of(1, 2, 3), 2)).toThrow(/actual: has 3 values, expected a positive multiple of 2 outputs/);
    expect(() => regressionReport(Float32Array.of(1, 2), Float32Array.of(1))).toThrow(/predicted: has 1 values, expected the length of actual = 2/);
    expect(() => regressionReport(Float32Array.of(1, Infinity), Float32Array.of(1, 2))).toThrow(/actual: value Infinity at index 1/);
    expect(() => residualPoints(Float32Array.of(1, 2), Float32Array.of(1, 2), 1, 1)).toThrow(/output: is 1, but there are only 1 outputs/);
  });
});
