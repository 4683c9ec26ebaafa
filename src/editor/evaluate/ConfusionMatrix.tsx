// The confusion matrix: rows are true classes, columns predicted ones, each cell a button with
// its count (or row share) on a blue scale; a click picks the cell, whose samples the caller
// shows. Large matrices scroll inside their box.
import { createMemo, createSignal, For, Index } from 'solid-js';
import { blues, css, inkOnBlues } from './colour-scale.js';
import { bindCss } from './css-bind.js';
import { cellAriaLabel, matrixCells, matrixTotals } from './matrix-layout.js';

export interface ConfusionMatrixProps {
  readonly counts: Int32Array;
  readonly classNames: readonly string[];
  readonly selected: { readonly t: number; readonly p: number } | null;
  readonly onSelect: (t: number, p: number) => void;
}

export function ConfusionMatrix(props: ConfusionMatrixProps) {
  const [normalised, setNormalised] = createSignal(false);
  const classes = () => props.classNames.length;
  const cells = createMemo(() => matrixCells(props.counts, classes(), normalised()));
  const totals = createMemo(() => matrixTotals(props.counts, classes()));
  const rows = createMemo(() => Array.from({ length: classes() }, (_, t) => cells().slice(t * classes(), (t + 1) * classes())));
  const name = (c: number) => props.classNames[c] ?? String(c);

  return (
    <div class="confusion">
      <div class="confusion-tools">
        <label>
          <input type="checkbox" data-testid="confusion-normalise" checked={normalised()} onChange={(e) => setNormalised(e.currentTarget.checked)} /> Row-normalised (share of each true class)
        </label>
        <span class="muted">Rows: true class · columns: predicted · click a cell to see its samples</span>
      </div>
      <div class="confusion-box" classList={{ dense: classes() > 20 }}>
        <table class="confusion-matrix" data-testid="confusion-matrix" data-classes={classes()} data-total={totals().total}>
          <thead>
            <tr>
              <th scope="col" class="corner">
                true ↓ / predicted →
              </th>
              <For each={props.classNames}>
                {(n) => (
                  <th scope="col" class="col-head" title={`predicted ${n}`}>
                    {n}
                  </th>
                )}
              </For>
              <th scope="col" class="total">
                support
              </th>
            </tr>
          </thead>
          <tbody>
            <Index each={rows()}>
              {(row, t) => (
                <tr>
                  <th scope="row" class="row-head" title={`true ${name(t)}`}>
                    {name(t)}
                  </th>
                  <Index each={row()}>
                    {(cell) => (
                      <td>
                        <button
                          type="button"
                          class="cell"
                          classList={{ diagonal: cell().t === cell().p, selected: props.selected?.t === cell().t && props.selected?.p === cell().p, empty: cell().count === 0 }}
                          data-testid="confusion-cell"
                          data-true={cell().t}
                          data-pred={cell().p}
                          data-count={cell().count}
                          aria-label={cellAriaLabel(props.classNames, cell().t, cell().p, cell().count)}
                          aria-pressed={props.selected?.t === cell().t && props.selected?.p === cell().p}
                          title={`${cellAriaLabel(props.classNames, cell().t, cell().p, cell().count)} (${Math.round(cell().rowShare * 100)}% of true ${name(cell().t)})`}
                          ref={(el) => bindCss(el, () => ({ 'background-color': css(blues(cell().shade)), color: inkOnBlues(cell().shade) }))}
                          onClick={() => props.onSelect(cell().t, cell().p)}
                        >
                          {cell().text}
                        </button>
                      </td>
                    )}
                  </Index>
                  <td class="total">{totals().rows[t]}</td>
                </tr>
              )}
            </Index>
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" class="total">
                predicted
              </th>
              <For each={totals().cols}>{(n) => <td class="total">{n}</td>}</For>
              <td class="total">{totals().total}</td>
            </tr>
          </tfoot>
        </table>
      </div>
    </div>
  );
}
