// A run's curves (loss, smoothed by a slider, with the learning rate on its own axis; accuracy;
// per-epoch loss and metrics; gradient norm; samples/s) and its epoch table, from a RunLog: a
// live run's, a stored one's, or a resumed run's (stored points first, then the new ones).
import { createSignal, For, Show, type Accessor, type JSX, type Setter } from 'solid-js';
import { LineChart } from './LineChart.js';
import type { Columns, RunLog } from './run-log.js';
import { ema } from './smoothing.js';

const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`);
const num = (v: number | null | undefined, d = 4) => (v === null || v === undefined ? '—' : v.toFixed(d));

export interface RunChartsProps {
  readonly view: () => RunLog;
  readonly version: () => number;
  /** The smoothing slider's value, when it should outlive this component (shared by views). */
  readonly smoothing?: readonly [Accessor<number>, Setter<number>];
  /** Each chart's plot width in CSS pixels (520 by default). */
  readonly chartWidth?: number;
  /** Drawn between the charts and the epoch table (the Training tab's log). */
  readonly children?: JSX.Element;
}

const EPOCH_WAIT = 'waiting for the first epoch…';

export function RunCharts(props: RunChartsProps) {
  const view = props.view;
  const last = () => view().epochRows.at(-1) ?? null;
  // Chosen once: the caller's signal, or a local one.
  const [smoothing, setSmoothing] = props.smoothing ?? createSignal(0.6);
  // [step, raw loss, smoothed loss, learning rate]
  const lossColumns = (): Columns => [view().steps[0], view().steps[1]!, ema(view().steps[1]!, smoothing()), view().stepStats[1]!];
  return (
    <>
      <label class="smoothing">
        Smoothing <input type="range" min="0" max="0.99" step="0.01" value={smoothing()} onInput={(e) => setSmoothing(Number(e.currentTarget.value))} data-testid="smoothing" />{' '}
        <output>{smoothing().toFixed(2)}</output>
      </label>
      <div class="charts">
        <LineChart
          title="Loss per step, learning rate (right axis)"
          xLabel="step"
          series={[
            { label: 'loss', color: '#c0392b', faint: true },
            { label: 'loss (smoothed)', color: '#c0392b' },
            { label: 'learning rate', color: '#d68910', scale: 'lr' },
          ]}
          axisLabels={{ y: 'loss', lr: 'learning rate' }}
          data={lossColumns}
          version={props.version}
          width={props.chartWidth}
          testId="chart-step-loss"
        />
        <LineChart title="Accuracy per step (running mean of the epoch)" xLabel="step" series={[{ label: 'accuracy', color: '#2471a3' }]} data={() => [view().steps[0], view().steps[2]!]} version={props.version} yRange={[0, 1]} width={props.chartWidth} testId="chart-step-accuracy" />
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
          width={props.chartWidth}
          waiting={EPOCH_WAIT}
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
          width={props.chartWidth}
          waiting={EPOCH_WAIT}
          testId="chart-epoch-accuracy"
        />
        <LineChart
          title="Gradient norm per step (before clipping)"
          xLabel="step"
          series={[
            { label: 'norm', color: '#117a65', faint: true },
            { label: 'norm (smoothed)', color: '#117a65' },
          ]}
          data={() => [view().stepStats[0], view().stepStats[2]!, ema(view().stepStats[2]!, smoothing())]}
          version={props.version}
          width={props.chartWidth}
          testId="chart-grad-norm"
        />
        <LineChart
          title="Samples per second"
          xLabel="step"
          series={[{ label: 'samples/s', color: '#5d6d7e' }]}
          data={() => [view().stepStats[0], view().stepStats[3]!]}
          version={props.version}
          width={props.chartWidth}
          testId="chart-samples-per-sec"
        />
      </div>
      {props.children}
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
