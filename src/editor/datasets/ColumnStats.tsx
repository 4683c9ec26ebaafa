// Column statistics of a CSV table as written: per raw column its type, counts, numeric summary
// or top values, and a small histogram (SVG).
import { For, Match, Switch } from 'solid-js';
import type { ColumnStats as Stats, Histogram } from '../../engine/eval/column-stats.js';

const HIST_W = 120;
const HIST_H = 28;

/** Compact number for a table cell: up to 4 significant digits, no exponent for ordinary sizes. */
export function short(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 1e7) return v.toLocaleString();
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e7) ? v.toExponential(2) : Number(v.toPrecision(4)).toString();
}

function HistogramBars(props: { histogram: Histogram; column: string }) {
  const max = () => Math.max(1, ...props.histogram.counts);
  const w = () => HIST_W / props.histogram.counts.length;
  const label = () => `histogram of ${props.column}: ${Array.from(props.histogram.counts, (n, k) => `${short(props.histogram.edges[k]!)}…${short(props.histogram.edges[k + 1]!)}: ${n}`).join('; ')}`;
  return (
    <svg class="histogram" width={HIST_W} height={HIST_H} role="img" aria-label={label()}>
      <For each={Array.from(props.histogram.counts)}>
        {(n, k) => <rect x={k() * w() + 0.5} y={HIST_H - (HIST_H * n) / max()} width={Math.max(1, w() - 1)} height={(HIST_H * n) / max()} />}
      </For>
    </svg>
  );
}

/** One row per raw column. */
export function ColumnStats(props: { columns: readonly Stats[] }) {
  return (
    <section class="explorer-card column-stats" data-testid="column-stats" aria-labelledby="column-stats-title">
      <h3 id="column-stats-title">Columns</h3>
      <p class="muted">From the file's cells as written; std is the sample standard deviation (N − 1), quartiles interpolate linearly.</p>
      <div class="table-scroll">
        <table class="storage-items">
          <thead>
            <tr>
              <th scope="col">column</th><th scope="col">type</th><th scope="col" class="num">values</th><th scope="col" class="num">missing</th><th scope="col" class="num">distinct</th><th scope="col">summary</th><th scope="col">distribution</th>
            </tr>
          </thead>
          <tbody>
            <For each={props.columns}>
              {(c) => (
                <tr data-testid="column-stat" data-column={c.name} data-kind={c.kind}>
                  <th scope="row">{c.name}</th>
                  <td>{c.kind}</td>
                  <td class="num" data-stat="count">{c.count.toLocaleString()}</td>
                  <td class="num" data-stat="missing">{c.missing.toLocaleString()}</td>
                  <td class="num" data-stat="distinct">{c.kind === 'empty' ? '–' : c.distinct.toLocaleString()}</td>
                  <Switch>
                    <Match when={c.kind === 'number' && c}>
                      {(n) => (
                        <>
                          <td class="stat-summary">
                            min <span data-stat="min">{short(n().min)}</span> · max <span data-stat="max">{short(n().max)}</span> · mean <span data-stat="mean">{short(n().mean)}</span> · std{' '}
                            <span data-stat="std">{short(n().std)}</span>
                            <br />
                            <span class="muted">quartiles {n().quartiles.map(short).join(' / ')}</span>
                          </td>
                          <td><HistogramBars histogram={n().histogram} column={c.name} /></td>
                        </>
                      )}
                    </Match>
                    <Match when={c.kind === 'category' && c}>
                      {(k) => (
                        <>
                          <td class="stat-summary" data-stat="top">
                            {k().top.map((t) => `${t.value} (${t.count.toLocaleString()})`).join(', ')}
                            {k().distinct > k().top.length ? ', …' : ''}
                          </td>
                          <td />
                        </>
                      )}
                    </Match>
                    <Match when={c.kind === 'empty'}>
                      <td class="muted">no values</td>
                      <td />
                    </Match>
                  </Switch>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
    </section>
  );
}
