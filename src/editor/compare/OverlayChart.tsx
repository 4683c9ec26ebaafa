// One uPlot chart with a curve per run, each with its own x values (uPlot's faceted mode 2).
// The plot is built again only when the set of curves, the axis or the scale changes; new points
// are one setData, and brushing out a run hides its curve without rebuilding anything.
import { createEffect, createSignal, on, onCleanup, onMount, Show, untrack } from 'solid-js';
import type uPlotType from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface OverlaySeries {
  readonly id: string;
  readonly label: string;
  readonly color: string;
  readonly x: readonly number[];
  readonly y: readonly number[];
}

export interface OverlayChartProps {
  /** Curves in legend order. */
  readonly series: () => readonly OverlaySeries[];
  /** Runs drawn; the others are hidden (brushed out). */
  readonly visible: () => ReadonlySet<string>;
  readonly xLabel: () => string;
  readonly yLabel: () => string;
  readonly log: () => boolean;
  readonly width: number;
  readonly height: number;
}

/** Small values such as learning rates read 1e-3. */
const tick = (v: number): string => (v === 0 ? '0' : Math.abs(v) < 0.01 || Math.abs(v) >= 1e5 ? v.toExponential(1).replace('.0e', 'e') : String(Number(v.toPrecision(3))));

const facetData = (series: readonly OverlaySeries[]): uPlotType.AlignedData =>
  [null, ...series.map((s) => [s.x, s.y])] as unknown as uPlotType.AlignedData;

export function OverlayChart(props: OverlayChartProps) {
  let host!: HTMLDivElement;
  let frame!: HTMLDivElement;
  let uPlot: typeof uPlotType | null = null;
  let plot: uPlotType | null = null;
  let shape = '';
  const [failed, setFailed] = createSignal<string | null>(null);
  const [ready, setReady] = createSignal(false);
  const [drawn, setDrawn] = createSignal('');
  const [xMax, setXMax] = createSignal('');

  onMount(async () => {
    try {
      uPlot = (await import('uplot')).default;
      setReady(true);
    } catch (e) {
      setFailed((e as Error).message);
    }
  });

  /** What forces a new plot: the curves (ids, labels, colours), the axis and the scale. */
  const shapeOf = () => JSON.stringify([props.series().map((s) => [s.id, s.label, s.color]), props.xLabel(), props.yLabel(), props.log()]);

  function build(series: readonly OverlaySeries[]): void {
    plot?.destroy();
    const opts: uPlotType.Options = {
      mode: 2 as uPlotType.Mode,
      width: props.width,
      height: props.height,
      scales: { x: { time: false }, y: { distr: props.log() ? 3 : 1 } },
      axes: [
        { label: props.xLabel(), values: (_u, ticks) => ticks.map(tick) },
        { label: props.yLabel(), size: 64, values: (_u, ticks) => ticks.map(tick) },
      ],
      series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.color, width: 1.5, points: { show: false }, show: untrack(props.visible).has(s.id) }))],
      legend: { show: false },
      cursor: { show: false },
    };
    plot = new uPlot!(opts, facetData(series), host);
  }

  createEffect(() => {
    if (!ready()) return;
    const series = props.series();
    // Nothing to scale the axes by yet: wait for the first points rather than draw an empty frame.
    if (!plot && series.every((s) => s.x.length === 0)) return;
    const next = shapeOf();
    if (next !== shape || !plot) {
      shape = next;
      build(series);
    } else {
      plot.setData(facetData(series));
    }
    setDrawn(series.map((s) => s.x.length).filter((n) => n > 0).join(','));
    // For tests and the bench: the x extent, which tells the step axis from the time axis.
    setXMax(String(Math.max(...series.map((s) => s.x.at(-1) ?? -Infinity))));
    frame.dataset['drawnAt'] = String(performance.now());
  });

  // Brushing: show or hide curves in place.
  createEffect(
    on([props.visible, ready], ([visible]) => {
      if (!plot) return;
      plot.batch(() => props.series().forEach((s, i) => {
        const show = visible.has(s.id);
        if (plot!.series[i + 1]!.show !== show) plot!.setSeries(i + 1, { show });
      }));
    }),
  );

  onCleanup(() => plot?.destroy());

  return (
    <div class="compare-chart" ref={(el) => {
      frame = el;
      // Sized before uPlot loads so nothing moves when it draws (CSSOM: the CSP refuses style attributes).
      el.style.setProperty('width', `${props.width}px`);
      el.style.setProperty('height', `${props.height}px`);
    }} data-testid="compare-chart" data-points={drawn()} data-x-max={xMax()} data-visible={props.series().filter((s) => props.visible().has(s.id)).length}>
      <div ref={host} />
      <Show when={failed()}>
        <p class="muted">The chart could not load ({failed()}).</p>
      </Show>
    </div>
  );
}
