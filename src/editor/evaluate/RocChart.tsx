// One-vs-rest ROC curves as SVG: every class (coloured, AUC in the legend) or one picked class,
// the chance diagonal, and the macro / weighted AUC. A legend entry is a button that shows that
// class alone.
import { createMemo, createSignal, For, Show } from 'solid-js';
import type { RocReport } from '../../engine/eval/index.js';
import { classColour, css } from './colour-scale.js';
import { metric } from './eval-format.js';
import { niceTicks, unitCurvePath } from './plot-scale.js';

const SIZE = 300;
const PAD = { left: 44, top: 10, right: 10, bottom: 38 };

export function RocChart(props: { roc: RocReport; classNames: readonly string[] }) {
  /** -1: all classes. */
  const [only, setOnly] = createSignal(-1);
  const paths = createMemo(() => props.roc.perClass.map((c) => unitCurvePath(c.curve.fpr, c.curve.tpr, SIZE)));
  const shown = () => props.roc.perClass.map((_, c) => c).filter((c) => only() < 0 || c === only());
  const ticks = niceTicks(0, 1, 5);
  const name = (c: number) => props.classNames[c] ?? String(c);

  return (
    <div class="roc" data-testid="roc-chart" data-classes={props.roc.perClass.length} data-shown={shown().length}>
      <div class="roc-tools">
        <label>
          Show{' '}
          <select data-testid="roc-class" value={only()} onChange={(e) => setOnly(Number(e.currentTarget.value))}>
            <option value={-1}>all classes</option>
            <For each={props.classNames}>{(n, c) => <option value={c()}>class {n}</option>}</For>
          </select>
        </label>
        <span class="roc-averages" data-testid="roc-averages">
          macro AUC <b>{metric(props.roc.macroAuc)}</b> · weighted AUC <b>{metric(props.roc.weightedAuc)}</b>
        </span>
      </div>
      <div class="roc-body">
        <svg
          class="roc-plot"
          viewBox={`0 0 ${SIZE + PAD.left + PAD.right} ${SIZE + PAD.top + PAD.bottom}`}
          width={SIZE + PAD.left + PAD.right}
          height={SIZE + PAD.top + PAD.bottom}
          role="img"
          aria-label={`ROC curves, one versus rest: ${shown()
            .map((c) => `class ${name(c)} AUC ${metric(props.roc.perClass[c]!.auc)}`)
            .join('; ')}`}
        >
          <g transform={`translate(${PAD.left} ${PAD.top})`}>
            <rect class="roc-frame" x={0} y={0} width={SIZE} height={SIZE} />
            <For each={ticks}>
              {(t) => (
                <>
                  <line class="grid" x1={t * SIZE} x2={t * SIZE} y1={0} y2={SIZE} />
                  <line class="grid" x1={0} x2={SIZE} y1={(1 - t) * SIZE} y2={(1 - t) * SIZE} />
                  <text class="tick" x={t * SIZE} y={SIZE + 14} text-anchor="middle">
                    {t}
                  </text>
                  <text class="tick" x={-6} y={(1 - t) * SIZE + 4} text-anchor="end">
                    {t}
                  </text>
                </>
              )}
            </For>
            <line class="chance" x1={0} y1={SIZE} x2={SIZE} y2={0} />
            <For each={shown()}>{(c) => <path class="roc-curve" data-testid="roc-curve" data-class={c} d={paths()[c]} stroke={css(classColour(c))} />}</For>
            <text class="axis-label" x={SIZE / 2} y={SIZE + 32} text-anchor="middle">
              false-positive rate
            </text>
            <text class="axis-label" transform={`translate(-32 ${SIZE / 2}) rotate(-90)`} text-anchor="middle">
              true-positive rate
            </text>
          </g>
        </svg>
        <ul class="roc-legend" aria-label="ROC legend: pick a class to show it alone">
          <For each={props.roc.perClass}>
            {(c, i) => (
              <li>
                <button type="button" class="legend-entry" aria-pressed={only() === i()} classList={{ dim: only() >= 0 && only() !== i() }} onClick={() => setOnly(only() === i() ? -1 : i())}>
                  <span class="swatch" ref={(el) => el.style.setProperty('background-color', css(classColour(i())))} />
                  {name(i())}
                  <span class="auc">AUC {c.auc === null ? 'undefined' : metric(c.auc)}</span>
                </button>
              </li>
            )}
          </For>
        </ul>
      </div>
      <Show when={props.roc.perClass.some((c) => c.auc === null)}>
        <p class="muted">An undefined AUC means the split has no samples of that class (or nothing else); the averages leave it out.</p>
      </Show>
    </div>
  );
}
