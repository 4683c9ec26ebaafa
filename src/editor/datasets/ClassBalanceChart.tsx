// The class-balance chart: one bar per class with its count and share, and the imbalance
// warnings (empty, rare, imbalanced) in words. Bars are SVG (sizes as attributes: the CSP forbids inline styles).
import { For, Show } from 'solid-js';
import type { BalanceWarning, ClassBalance } from '../../engine/eval/dataset-checks.js';

const BAR_WIDTH = 240;

const WARNING_TITLE: Record<BalanceWarning['kind'], string> = { 'empty-class': 'Empty class', 'rare-class': 'Rare class', imbalanced: 'Imbalanced' };

export const percent = (f: number): string => `${(100 * f).toFixed(f > 0 && f < 0.01 ? 2 : 1)} %`;

/** Counts per class (all splits together) as horizontal bars, warnings underneath. */
export function ClassBalanceChart(props: { classes: readonly string[]; balance: ClassBalance }) {
  const max = () => Math.max(1, ...props.balance.counts);
  return (
    <section class="explorer-card class-balance" data-testid="class-balance" aria-labelledby="class-balance-title">
      <h3 id="class-balance-title">Class balance</h3>
      <p class="muted">{props.balance.total.toLocaleString()} samples in {props.classes.length} classes; largest / smallest {props.balance.ratio.toFixed(1)}×.</p>
      <table class="bar-table">
        <thead>
          <tr><th scope="col">class</th><th scope="col"><span class="visually-hidden">bar</span></th><th scope="col" class="num">samples</th><th scope="col" class="num">share</th></tr>
        </thead>
        <tbody>
          <For each={props.classes}>
            {(name, c) => {
              const n = () => props.balance.counts[c()] ?? 0;
              return (
                <tr data-testid="balance-row" data-class={name} data-count={n()}>
                  <th scope="row" class="class-name" title={name}>{name}</th>
                  <td>
                    <svg class="bar" width={BAR_WIDTH} height="12" role="img" aria-label={`${name}: ${n()} samples`}>
                      <rect class="bar-bg" width={BAR_WIDTH} height="12" />
                      <rect class="bar-fill" classList={{ empty: n() === 0 }} width={(BAR_WIDTH * n()) / max()} height="12" />
                    </svg>
                  </td>
                  <td class="num">{n().toLocaleString()}</td>
                  <td class="num">{percent(props.balance.fractions[c()] ?? 0)}</td>
                </tr>
              );
            }}
          </For>
        </tbody>
      </table>
      <Show when={props.balance.warnings.length > 0} fallback={<p class="ok-note">No imbalance: every class has at least 1 % of the samples and the largest is at most 3× the smallest.</p>}>
        <ul class="explorer-warnings" aria-label="Class balance warnings">
          <For each={props.balance.warnings}>
            {(w) => (
              <li data-testid="balance-warning" data-kind={w.kind}>
                <strong>{WARNING_TITLE[w.kind]}:</strong> {w.message}
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  );
}
