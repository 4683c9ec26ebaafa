// A classification evaluation: the summary (accuracy, macro and weighted P/R/F1, AUCs), the
// confusion matrix with the samples of a picked cell, the per-class table, ROC curves and the
// worst examples.
import { createMemo, createSignal, Show } from 'solid-js';
import type { ClassificationEval, EvaluatorApi } from './eval-types.js';
import { ClassMetricsTable } from './ClassMetricsTable.js';
import { ConfusionMatrix } from './ConfusionMatrix.js';
import { metric, percent } from './eval-format.js';
import { cellAriaLabel } from './matrix-layout.js';
import { RocChart } from './RocChart.js';
import { SampleGrid } from './SampleGrid.js';
import { WorstExamples } from './WorstExamples.js';

export interface PickProps {
  readonly picked: number | null;
  readonly onPick: (index: number) => void;
  /** "Explain with Grad-CAM" for a picked sample, when the model allows it. */
  readonly pickAction: { readonly label: string; readonly run: (index: number) => void } | null;
}

export function ClassificationResults(props: { result: ClassificationEval; api: EvaluatorApi } & PickProps) {
  const r = () => props.result;
  const [cell, setCell] = createSignal<{ t: number; p: number } | null>(null);
  const C = () => r().classNames.length;
  const cellIndices = createMemo(() => {
    const c = cell();
    return c ? r().report.confusion.cells[c.t * C() + c.p]! : new Int32Array(0);
  });
  return (
    <>
      <dl class="eval-summary" data-testid="eval-summary" data-accuracy={r().report.accuracy} data-samples={r().samples}>
        <div>
          <dt>accuracy</dt>
          <dd>{percent(r().report.accuracy)}</dd>
        </div>
        <div>
          <dt>macro P / R / F1</dt>
          <dd>
            {metric(r().report.macro.precision)} / {metric(r().report.macro.recall)} / {metric(r().report.macro.f1)}
          </dd>
        </div>
        <div>
          <dt>weighted P / R / F1</dt>
          <dd>
            {metric(r().report.weighted.precision)} / {metric(r().report.weighted.recall)} / {metric(r().report.weighted.f1)}
          </dd>
        </div>
        <div>
          <dt>AUC macro / weighted</dt>
          <dd>
            {metric(r().roc.macroAuc)} / {metric(r().roc.weightedAuc)}
          </dd>
        </div>
        <div>
          <dt>samples</dt>
          <dd>{r().samples}</dd>
        </div>
      </dl>
      <section class="eval-section" aria-labelledby="eval-confusion-h">
        <h3 id="eval-confusion-h">Confusion matrix</h3>
        <ConfusionMatrix counts={r().report.confusion.counts} classNames={r().classNames} selected={cell()} onSelect={(t, p) => setCell({ t, p })} />
        <div class="cell-samples" data-testid="cell-samples">
          <Show when={cell()} fallback={<p class="muted">Click a cell of the matrix to see its samples here (an off-diagonal cell lists one kind of mistake).</p>}>
            {(c) => (
              <>
                <h4 data-testid="cell-samples-title">{cellAriaLabel(r().classNames, c().t, c().p, cellIndices().length)}</h4>
                <SampleGrid
                  api={props.api}
                  session={r().session}
                  indices={cellIndices()}
                  initial={200}
                  step={200}
                  classNames={r().classNames}
                  picked={props.picked}
                  onPick={props.onPick}
                  pickAction={props.pickAction}
                  label={cellAriaLabel(r().classNames, c().t, c().p, cellIndices().length)}
                  testId="cell-grid"
                  emptyText="No sample falls in this cell."
                />
              </>
            )}
          </Show>
        </div>
      </section>
      <div class="eval-columns">
        <section class="eval-section" aria-labelledby="eval-classes-h">
          <h3 id="eval-classes-h">Per class</h3>
          <ClassMetricsTable report={r().report} roc={r().roc} classNames={r().classNames} />
        </section>
        <section class="eval-section" aria-labelledby="eval-roc-h">
          <h3 id="eval-roc-h">ROC, one class versus the rest</h3>
          <RocChart roc={r().roc} classNames={r().classNames} />
        </section>
      </div>
      <section class="eval-section" aria-labelledby="eval-worst-h">
        <h3 id="eval-worst-h">Worst examples (highest loss first)</h3>
        <WorstExamples api={props.api} session={r().session} worst={r().worst} classNames={r().classNames} picked={props.picked} onPick={props.onPick} pickAction={props.pickAction} />
      </section>
    </>
  );
}
