// The split view: per class, how its samples fall into train / validation / test (stacked bar
// and counts), with the classes missing from a split called out. Validation is carved from
// train with the project's validationSplit and seed, as training carves it.
import { For, Show } from 'solid-js';
import type { SplitDistribution } from '../../engine/eval/dataset-checks.js';

const BAR_WIDTH = 200;

/** Stacked per-class bars: each bar is the class's samples, coloured by split. */
export function SplitView(props: { classes: readonly string[]; splits: SplitDistribution; validationSplit: number; seed: number }) {
  const col = (name: string) => props.splits.splits.indexOf(name as never);
  const classTotal = (c: number) => props.splits.counts[c]!.reduce((a, b) => a + b, 0);
  /** x offsets of each split's segment in class c's bar. */
  const segments = (c: number) => {
    const row = props.splits.counts[c]!;
    const total = Math.max(1, classTotal(c));
    let x = 0;
    return props.splits.splits.map((s, j) => {
      const w = (BAR_WIDTH * row[j]!) / total;
      const seg = { split: s, x, w };
      x += w;
      return seg;
    });
  };
  return (
    <section class="explorer-card split-view" data-testid="split-view" aria-labelledby="split-view-title">
      <h3 id="split-view-title">Splits</h3>
      <p class="muted">
        Validation is {Math.round(props.validationSplit * 100)} % of train (seed {props.seed}), carved as training carves it.{' '}
        <span class="legend">
          <For each={props.splits.splits}>{(s) => <span class={`swatch split-${s}`}>{s}</span>}</For>
        </span>
      </p>
      <table class="bar-table">
        <thead>
          <tr>
            <th scope="col">class</th>
            <th scope="col"><span class="visually-hidden">bar</span></th>
            <For each={props.splits.splits}>{(s, j) => <th scope="col" class="num">{s} <span class="muted">({props.splits.totals[j()]!.toLocaleString()})</span></th>}</For>
          </tr>
        </thead>
        <tbody>
          <For each={props.classes}>
            {(name, c) => (
              <tr data-testid="split-row" data-class={name}>
                <th scope="row" class="class-name" title={name}>{name}</th>
                <td>
                  <svg class="bar" width={BAR_WIDTH} height="12" role="img" aria-label={`${name}: ${props.splits.splits.map((s, j) => `${props.splits.counts[c()]![j]} ${s}`).join(', ')}`}>
                    <rect class="bar-bg" width={BAR_WIDTH} height="12" />
                    <For each={segments(c())}>{(seg) => <rect class={`split-${seg.split}`} x={seg.x} width={seg.w} height="12" />}</For>
                  </svg>
                </td>
                <For each={props.splits.splits}>{(s) => <td class="num" data-split={s}>{props.splits.counts[c()]![col(s)]!.toLocaleString()}</td>}</For>
              </tr>
            )}
          </For>
        </tbody>
      </table>
      <Show when={props.splits.missing.length > 0}>
        <ul class="explorer-warnings" aria-label="Classes missing from a split">
          <For each={props.splits.missing}>
            {(m) => (
              <li data-testid="split-missing">
                <strong>Missing:</strong> "{props.classes[m.classId]}" has training samples but none in {m.split}, so it is never {m.split === 'test' ? 'tested' : 'validated'}.
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  );
}
