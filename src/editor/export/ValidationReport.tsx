// How an ONNX export compared with TF.js, one row per onnxruntime-web provider: max and mean
// |Δ|, median latency, and pass/fail against the tolerance, or the reason a provider did not run.
import { For } from 'solid-js';
import type { RuntimeComparison, ValidationReport as Report } from '../../engine/export/types.js';

export type RowStatus = 'pass' | 'fail' | 'error';

export function rowStatus(r: RuntimeComparison, tolerance: number): RowStatus {
  if (r.error !== undefined) return 'error';
  return r.maxAbsDiff <= tolerance ? 'pass' : 'fail';
}

const sci = (x: number) => (Number.isFinite(x) ? x.toExponential(2) : '—');

export function ValidationReport(props: { report: Report }) {
  return (
    <div class="validation" data-testid="validation-report" data-passed={String(props.report.passed)}>
      <p>
        Compared with the model in TF.js on {props.report.samples} random samples, tolerance max |Δ| ≤ {props.report.tolerance}:{' '}
        <strong classList={{ ok: props.report.passed, error: !props.report.passed }}>{props.report.passed ? 'passed' : 'failed'}</strong>
      </p>
      <table class="validation-table">
        <thead>
          <tr><th>runtime</th><th class="num">max |Δ|</th><th class="num">mean |Δ|</th><th class="num">latency</th><th>result</th></tr>
        </thead>
        <tbody>
          <For each={props.report.runtimes}>
            {(r) => {
              const status = rowStatus(r, props.report.tolerance);
              return (
                <tr data-testid="validation-row" data-runtime={r.runtime} data-status={status}>
                  <td>{r.runtime}</td>
                  <td class="num">{sci(r.maxAbsDiff)}</td>
                  <td class="num">{sci(r.meanAbsDiff)}</td>
                  <td class="num">{Number.isFinite(r.latencyMs) ? `${r.latencyMs.toFixed(1)} ms` : '—'}</td>
                  <td class={status === 'pass' ? 'ok' : status === 'fail' ? 'error' : 'muted'} data-testid="validation-result">
                    {status === 'error' ? `did not run: ${r.error}` : status}
                  </td>
                </tr>
              );
            }}
          </For>
        </tbody>
      </table>
    </div>
  );
}
