// Regression metrics on a test split: MAE, MSE, RMSE and R² per output and averaged, as
// scikit-learn's mean_absolute_error / mean_squared_error / r2_score (multioutput
// "uniform_average"), plus the residual points a plot draws.
import { EvalInputError, checkCount, checkFinite, checkLength } from './input.js';

export interface OutputMetrics {
  readonly mae: number;
  readonly mse: number;
  /** √MSE of this output (sklearn's squared=False). */
  readonly rmse: number;
  /** 1 − SS_res/SS_tot; a constant target gives 1 if predicted exactly, else 0; NaN for one sample. */
  readonly r2: number;
}

export interface RegressionReport {
  readonly samples: number;
  readonly outputs: number;
  readonly perOutput: readonly OutputMetrics[];
  /** Unweighted mean over outputs of each per-output metric (RMSE is the mean of per-output RMSEs). */
  readonly mean: OutputMetrics;
}

/** One point of a residual plot: x = prediction, y = actual − prediction. */
export interface ResidualPoint {
  readonly index: number;
  readonly predicted: number;
  readonly residual: number;
}

function checkInputs(actual: Float32Array, predicted: Float32Array, outputs: number): number {
  checkCount(outputs, 1, 'outputs');
  if (actual.length === 0 || actual.length % outputs !== 0) throw new EvalInputError(`has ${actual.length} values, expected a positive multiple of ${outputs} outputs`, 'actual');
  checkLength(predicted, actual.length, 'predicted', 'the length of actual');
  checkFinite(actual, 'actual');
  checkFinite(predicted, 'predicted');
  return actual.length / outputs;
}

/**
 * Metrics for N samples of D outputs, both arrays N×D row-major (D = 1 for a single target).
 * @example regressionReport(Float32Array.of(3, -0.5, 2, 7), Float32Array.of(2.5, 0, 2, 8)).mean.r2 // ≈ 0.9486
 */
export function regressionReport(actual: Float32Array, predicted: Float32Array, outputs = 1): RegressionReport {
  const n = checkInputs(actual, predicted, outputs);
  const perOutput = Array.from({ length: outputs }, (_, d): OutputMetrics => {
    let abs = 0;
    let sq = 0;
    let mean = 0;
    for (let i = 0; i < n; i++) mean += actual[i * outputs + d]!;
    mean /= n;
    let tot = 0;
    for (let i = 0; i < n; i++) {
      const y = actual[i * outputs + d]!;
      const e = y - predicted[i * outputs + d]!;
      abs += Math.abs(e);
      sq += e * e;
      tot += (y - mean) ** 2;
    }
    const r2 = n < 2 ? NaN : tot === 0 ? (sq === 0 ? 1 : 0) : 1 - sq / tot;
    return { mae: abs / n, mse: sq / n, rmse: Math.sqrt(sq / n), r2 };
  });
  const avg = (pick: (m: OutputMetrics) => number) => perOutput.reduce((s, m) => s + pick(m), 0) / outputs;
  return { samples: n, outputs, perOutput, mean: { mae: avg((m) => m.mae), mse: avg((m) => m.mse), rmse: avg((m) => m.rmse), r2: avg((m) => m.r2) } };
}

/**
 * The residual plot of output `output` (default 0).
 * @example residualPoints(Float32Array.of(1, 2), Float32Array.of(1.5, 2))[0] // { index: 0, predicted: 1.5, residual: -0.5 }
 */
export function residualPoints(actual: Float32Array, predicted: Float32Array, outputs = 1, output = 0): ResidualPoint[] {
  const n = checkInputs(actual, predicted, outputs);
  checkCount(output, 0, 'output');
  if (output >= outputs) throw new EvalInputError(`is ${output}, but there are only ${outputs} outputs`, 'output');
  return Array.from({ length: n }, (_, i) => ({ index: i, predicted: predicted[i * outputs + output]!, residual: actual[i * outputs + output]! - predicted[i * outputs + output]! }));
}
