// A regression evaluation: MAE, RMSE and R² (averaged, and per output when there are several),
// the residual plot and the samples with the largest |residual|.
import { For, Show } from 'solid-js';
import type { EvaluatorApi, RegressionEval } from './eval-types.js';
import type { PickProps } from './ClassificationResults.js';
import { metric } from './eval-format.js';
import { ResidualPlot } from './ResidualPlot.js';
import { WorstExamples } from './WorstExamples.js';

export function RegressionResults(props: { result: RegressionEval; api: EvaluatorApi } & PickProps) {
  const r = () => props.result;
  return (
    <>
      <dl class="eval-summary" data-testid="eval-summary" data-samples={r().samples} data-mae={r().report.mean.mae} data-rmse={r().report.mean.rmse} data-r2={r().report.mean.r2}>
        <div>
          <dt>MAE</dt>
          <dd>{metric(r().report.mean.mae)}</dd>
        </div>
        <div>
          <dt>RMSE</dt>
          <dd>{metric(r().report.mean.rmse)}</dd>
        </div>
        <div>
          <dt>R²</dt>
          <dd>{metric(r().report.mean.r2)}</dd>
        </div>
        <div>
          <dt>samples</dt>
          <dd>{r().samples}</dd>
        </div>
      </dl>
      <Show when={r().report.outputs > 1}>
        <table class="class-metrics" data-testid="output-metrics">
          <thead>
            <tr>
              <th scope="col">output</th>
              <th scope="col" class="num">MAE</th>
              <th scope="col" class="num">RMSE</th>
              <th scope="col" class="num">R²</th>
            </tr>
          </thead>
          <tbody>
            <For each={r().report.perOutput}>
              {(m, i) => (
                <tr>
                  <th scope="row">{i()}</th>
                  <td class="num">{metric(m.mae)}</td>
                  <td class="num">{metric(m.rmse)}</td>
                  <td class="num">{metric(m.r2)}</td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </Show>
      <section class="eval-section" aria-labelledby="eval-residual-h">
        <h3 id="eval-residual-h">Residuals{r().report.outputs > 1 ? ' (output 0)' : ''}</h3>
        <ResidualPlot residuals={r().residuals} picked={props.picked} onPick={props.onPick} />
      </section>
      <section class="eval-section" aria-labelledby="eval-worst-h">
        <h3 id="eval-worst-h">Worst examples (largest |residual| first)</h3>
        <WorstExamples api={props.api} session={r().session} worst={r().worst} classNames={null} picked={props.picked} onPick={props.onPick} pickAction={props.pickAction} />
      </section>
    </>
  );
}
