// The overlaid curves of the compared runs: a metric picker, x as step or time, a log scale for
// loss-like metrics, the training charts' EMA smoothing, and a legend naming each run by colour.
// Curves load run by run in the background; the chart fills in as they arrive.
import { createEffect, createMemo, createSignal, For, on, onCleanup, Show } from 'solid-js';
import type { RunRecord, StorageDb } from '../../storage/types.js';
import { ema } from '../training/smoothing.js';
import { runCurves, type RunCurves, type SeriesData } from './curve-cache.js';
import { OverlayChart, type OverlaySeries } from './OverlayChart.js';
import { shortId } from './run-labels.js';

export type XAxis = 'step' | 'time';
/** A metric and the series it lives in: "step:loss", "epoch:valLoss". */
type MetricKey = `${'step' | 'epoch'}:${string}`;

const LOG_ABLE = /loss|gradnorm|learningrate/i;
/** Runs read while the current one is decoded. For 200 × 10,000 steps here: none ~24 s, one ~16 s, two no faster (and a later first curve). */
const READ_AHEAD = 1;
/** Redraw at most this often while curves are still arriving. */
const FLUSH_MS = 200;

// Kept across visits to the panel.
const [metric, setMetric] = createSignal<MetricKey>('step:loss');
const [xAxis, setXAxis] = createSignal<XAxis>('step');
const [logScale, setLogScale] = createSignal(false);
const [smoothing, setSmoothing] = createSignal(0.6);

export interface CompareCurvesProps {
  readonly runs: readonly RunRecord[];
  readonly db: StorageDb;
  readonly labels: ReadonlyMap<string, string>;
  readonly colors: ReadonlyMap<string, string>;
  /** Runs kept by the parallel-coordinates brushes. */
  readonly kept: ReadonlySet<string>;
}

type Loaded = ReadonlyMap<string, RunCurves | { readonly error: string }>;

/**
 * EMA over drawn points that stand for `ratio` stored steps each: the weight is raised to that
 * ratio, so a slider setting spans as many steps as on the training charts.
 */
function smooth(y: Float32Array | Float64Array | readonly number[], weight: number, ratio: number): number[] {
  if (weight === 0) return Array.from(y);
  return ema(Array.from(y), weight ** Math.max(1, ratio)).map((v) => v ?? Number.NaN);
}

export function CompareCurves(props: CompareCurvesProps) {
  const [loaded, setLoaded] = createSignal<Loaded>(new Map());
  const [pending, setPending] = createSignal(0);

  // Reads the ticked runs one after another; a newer set of runs stops an older read.
  createEffect(
    on(
      () => props.runs,
      (runs) => {
        let stop = false;
        onCleanup(() => (stop = true));
        const acc = new Map<string, RunCurves | { error: string }>([...loaded()].filter(([id]) => runs.some((r) => r.id === id)));
        setLoaded(new Map(acc));
        let last = performance.now();
        const todo = runs.filter((r) => !acc.has(r.id));
        setPending(todo.length);
        void (async () => {
          // Runs read ahead: their storage reads overlap this run's decoding on the page.
          const reads = todo.slice(0, READ_AHEAD + 1).map((r) => runCurves(props.db, r));
          for (const [i, run] of todo.entries()) {
            if (stop) return;
            const ahead = todo[i + READ_AHEAD + 1];
            if (ahead) reads.push(runCurves(props.db, ahead));
            try {
              acc.set(run.id, await reads[i]!);
            } catch (e) {
              acc.set(run.id, { error: (e as Error).message });
            }
            if (stop) return;
            const now = performance.now();
            if (now - last >= FLUSH_MS || i === todo.length - 1) {
              last = now;
              setLoaded(new Map(acc));
              setPending(todo.length - i - 1);
            }
          }
        })();
      },
    ),
  );

  const curvesOf = (id: string): RunCurves | null => {
    const c = loaded().get(id);
    return c && !('error' in c) ? c : null;
  };

  /** Every metric some loaded run has, step metrics first. */
  const metrics = createMemo((): MetricKey[] => {
    const step = new Set<string>();
    const epoch = new Set<string>();
    for (const c of loaded().values()) {
      if ('error' in c) continue;
      for (const k of c.step.keys()) step.add(k);
      for (const k of c.epoch.keys()) epoch.add(k);
    }
    return [...[...step].sort().map((k): MetricKey => `step:${k}`), ...[...epoch].sort().map((k): MetricKey => `epoch:${k}`)];
  });

  // The picked metric if any run has it, else loss, else the first there is.
  const shownMetric = createMemo((): MetricKey | null => {
    const all = metrics();
    if (all.includes(metric())) return metric();
    return all.find((m) => m === 'step:loss') ?? all[0] ?? null;
  });
  const scope = () => (shownMetric()?.startsWith('epoch:') ? 'epoch' : 'step');
  const metricName = () => shownMetric()?.slice(shownMetric()!.indexOf(':') + 1) ?? '';
  const canLog = () => LOG_ABLE.test(metricName());

  const seriesOf = (c: RunCurves): SeriesData | null => (shownMetric() ? ((scope() === 'epoch' ? c.epoch : c.step).get(metricName()) ?? null) : null);

  const series = createMemo((): OverlaySeries[] => {
    const log = logScale() && canLog();
    const w = scope() === 'step' ? smoothing() : 0;
    // Every ticked run has a curve from the start (empty until read): the plot is built once, not per run read.
    return props.runs.map((run): OverlaySeries => {
      const c = curvesOf(run.id);
      const s = c ? seriesOf(c) : null;
      const label = props.labels.get(run.id) ?? shortId(run.id);
      const color = props.colors.get(run.id) ?? '#888';
      if (!s) return { id: run.id, label, color, x: [], y: [] };
      const xs = xAxis() === 'time' ? s.seconds : s.index;
      const ys = smooth(s.y, w, s.stored / s.y.length);
      const x: number[] = [];
      const y: number[] = [];
      for (let i = 0; i < ys.length; i++) {
        const v = ys[i]!;
        if (Number.isFinite(v) && (!log || v > 0)) {
          x.push(xs[i]!);
          y.push(v);
        }
      }
      return { id: run.id, label, color, x, y };
    });
  });

  const xLabel = () => (xAxis() === 'time' ? 'seconds since the start' : scope() === 'epoch' ? 'epoch' : 'step');
  const drawnIds = createMemo(() => new Set(series().filter((s) => s.x.length > 0).map((s) => s.id)));
  const withoutPoints = () => props.runs.filter((r) => loaded().has(r.id) && !drawnIds().has(r.id));

  /** A note on a run's legend entry: where its curve comes from, or why it has none. */
  const noteOf = (run: RunRecord): string => {
    const c = loaded().get(run.id);
    if (!c) return 'loading…';
    if ('error' in c) return `could not be read: ${c.error}`;
    if (!seriesOf(c)) return `no ${metricName() || 'stored'} points`;
    if (c.missingParent) return `continues run ${shortId(c.missingParent)}, which is no longer stored: its part is missing`;
    if (c.continues.length > 0) return `includes the run${c.continues.length > 1 ? 's' : ''} it continues (${c.continues.map(shortId).join(', ')})`;
    return '';
  };

  return (
    <section class="compare-curves" aria-label="Overlaid curves">
      <div class="compare-controls">
        <label>
          Metric{' '}
          <select data-testid="compare-metric" value={shownMetric() ?? ''} onChange={(e) => setMetric(e.currentTarget.value as MetricKey)} disabled={metrics().length === 0}>
            <For each={metrics()}>{(m) => <option value={m}>{`${m.slice(m.indexOf(':') + 1)} (per ${m.startsWith('epoch:') ? 'epoch' : 'step'})`}</option>}</For>
          </select>
        </label>
        <div class="compare-x" role="radiogroup" aria-label="x axis">
          <For each={['step', 'time'] as const}>
            {(x) => (
              <label>
                <input type="radio" name="compare-x" value={x} checked={xAxis() === x} onChange={() => setXAxis(x)} data-testid={`compare-x-${x}`} /> {x === 'step' ? (scope() === 'epoch' ? 'epoch' : 'step') : 'time'}
              </label>
            )}
          </For>
        </div>
        <label title={canLog() ? '' : 'Log scale is for loss-like metrics'}>
          <input type="checkbox" checked={logScale() && canLog()} disabled={!canLog()} onChange={(e) => setLogScale(e.currentTarget.checked)} data-testid="compare-log" /> log scale
        </label>
        <label class="smoothing">
          Smoothing{' '}
          <input type="range" min="0" max="0.99" step="0.01" value={smoothing()} disabled={scope() === 'epoch'} onInput={(e) => setSmoothing(Number(e.currentTarget.value))} data-testid="compare-smoothing" />{' '}
          <output>{smoothing().toFixed(2)}</output>
        </label>
        <span class="muted compare-progress" data-testid="compare-progress">{pending() > 0 ? `reading curves… ${props.runs.length - pending()} of ${props.runs.length}` : ''}</span>
      </div>
      <div class="compare-chart-row">
        <OverlayChart series={series} visible={() => props.kept} xLabel={xLabel} yLabel={metricName} log={() => logScale() && canLog()} width={720} height={300} />
        <ul class="compare-legend" data-testid="compare-legend" aria-label="Runs on the chart">
          <For each={props.runs}>
            {(run) => (
              <li data-testid="compare-legend-item" data-run-id={run.id} classList={{ dimmed: !props.kept.has(run.id) }}>
                <span class="swatch" ref={(el) => el.style.setProperty('background', props.colors.get(run.id) ?? '#888')} />
                <span class="legend-label">{props.labels.get(run.id) ?? shortId(run.id)}</span>
                <Show when={noteOf(run)}>
                  <span class="legend-note muted">{noteOf(run)}</span>
                </Show>
              </li>
            )}
          </For>
        </ul>
      </div>
      <Show when={pending() === 0 && drawnIds().size === 0 && props.runs.length > 0}>
        <p class="muted" data-testid="compare-no-points">
          None of these runs has stored {metricName() ? `${metricName()} ` : ''}points: a run records its curves while it trains, and runs imported without curves have none.
        </p>
      </Show>
      <Show when={pending() === 0 && drawnIds().size > 0 && withoutPoints().length > 0}>
        <p class="muted">{withoutPoints().length} of the ticked runs have no {metricName()} points and are not drawn.</p>
      </Show>
    </section>
  );
}
