// A run's curves (loss and accuracy per step and per epoch) and its epoch table, from a RunLog:
// a live run's, a stored one's, or a resumed run's (stored points first, then the new ones).
import { For, Show } from 'solid-js';
import { LineChart } from './LineChart.js';
import type { RunLog } from './run-log.js';

const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`);
const num = (v: number | null | undefined, d = 4) => (v === null || v === undefined ? '—' : v.toFixed(d));

export function RunCharts(props: { view: () => RunLog; version: () => number }) {
  const view = props.view;
  const last = () => view().epochRows.at(-1) ?? null;
  return (
    <>
      <div class="charts">
        <LineChart title="Loss per step" xLabel="step" series={[{ label: 'loss', color: '#c0392b' }]} data={() => view().steps} version={props.version} testId="chart-step-loss" />
        <LineChart title="Accuracy per step (running mean of the epoch)" xLabel="step" series={[{ label: 'accuracy', color: '#2471a3' }]} data={() => [view().steps[0], view().steps[2]!]} version={props.version} yRange={[0, 1]} testId="chart-step-accuracy" />
        <LineChart
          title="Loss per epoch"
          xLabel="epoch"
          series={[
            { label: 'train', color: '#c0392b', points: true },
            { label: 'validation', color: '#7d3c98', points: true },
          ]}
          data={() => [view().epochs[0], view().epochs[1]!, view().epochs[2]!]}
          version={props.version}
          integerX
          testId="chart-epoch-loss"
        />
        <LineChart
          title="Accuracy per epoch"
          xLabel="epoch"
          series={[
            { label: 'train', color: '#2471a3', points: true },
            { label: 'validation', color: '#1e8449', points: true },
          ]}
          data={() => [view().epochs[0], view().epochs[3]!, view().epochs[4]!]}
          version={props.version}
          integerX
          yRange={[0, 1]}
          testId="chart-epoch-accuracy"
        />
      </div>
      <table class="epoch-log" data-testid="epoch-log">
        <thead>
          <tr><th>epoch</th><th class="num">loss</th><th class="num">accuracy</th><th class="num">val loss</th><th class="num">val accuracy</th><th class="num">time</th></tr>
        </thead>
        <tbody>
          <For each={view().epochRows.slice()}>
            {(r) => (
              <tr data-testid="epoch-row" data-epoch={r.epoch} data-loss={r.loss} data-val-accuracy={r.valAccuracy ?? ''} data-ms={r.ms}>
                <td>{r.epoch} / {r.epochs}</td>
                <td class="num">{num(r.loss)}</td>
                <td class="num">{pct(r.accuracy)}</td>
                <td class="num">{num(r.valLoss)}</td>
                <td class="num">{pct(r.valAccuracy)}</td>
                <td class="num">{(r.ms / 1000).toFixed(1)} s</td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
      <Show when={last()}>{(l) => <p class="muted">Last validation accuracy {pct(l().valAccuracy)}.</p>}</Show>
    </>
  );
}
