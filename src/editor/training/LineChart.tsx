// A uPlot line chart as a Solid component. uPlot is loaded on first use (it is not needed
// to open the page); `version` changes once per animation frame at most, and each change
// costs one setData on columns the run log already holds.
import { createEffect, createSignal, onCleanup, onMount, Show } from 'solid-js';
import type uPlotType from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Columns } from './run-log.js';

export interface SeriesSpec {
  readonly label: string;
  readonly color: string;
  /** Draw points only (sparse series such as per-epoch validation). */
  readonly points?: boolean;
  /** Which y scale: 'y' (left) by default; any other gets its own axis on the right. */
  readonly scale?: string;
  /** Drawn thin and pale, behind the others (raw values under a smoothed line). */
  readonly faint?: boolean;
}

/** A right-hand axis's label, per scale name other than 'y'. */
export type AxisLabels = Readonly<Record<string, string>>;

export interface LineChartProps {
  readonly title: string;
  readonly xLabel: string;
  readonly series: readonly SeriesSpec[];
  readonly data: () => Columns;
  /** Bumped when `data` grew. */
  readonly version: () => number;
  /** Whole-number x ticks only (epochs). */
  readonly integerX?: boolean;
  /** Fixed y range, e.g. [0, 1] for accuracy. */
  readonly yRange?: readonly [number, number];
  /** Labels of the left axis ('y') and of each extra scale's right-hand axis. */
  readonly axisLabels?: AxisLabels;
  readonly testId?: string;
  /** Plot width in CSS pixels (the frame is drawn at this size from the start); 520 by default. */
  readonly width?: number;
  /** Shown over the empty frame until the first point arrives. */
  readonly waiting?: string;
}

/** Points drawn per series (non-null values), for the page's tests: "12,12,0". */
const pointCounts = (d: Columns): string => d.slice(1).map((c) => c.reduce((n: number, v) => (v === null ? n : n + 1), 0)).join(',');

/** Small values such as learning rates read 1e-3, not 0.001 repeated at every tick. */
const tick = (v: number): string => (v === 0 ? '0' : Math.abs(v) < 0.01 ? v.toExponential(1) : String(Number(v.toPrecision(3))));

/**
 * Charts are built one per animation frame: several appear together when a run's first points
 * arrive, and building them all in one task held the main thread for ~240 ms mid-training.
 */
let buildQueue: Promise<void> = Promise.resolve();
function nextBuildSlot(): Promise<void> {
  const slot = buildQueue.then(() => new Promise<void>((r) => requestAnimationFrame(() => r())));
  buildQueue = slot;
  return slot;
}

const WIDTH = 520;
const HEIGHT = 220;
/** Room for uPlot's title above the plot and its legend below, so the frame never grows once built. */
const CHROME = 64;

/** The frame's final size (plot plus title and legend), given before the plot exists. */
function sizeFrame(el: HTMLElement, width: number): void {
  el.style.width = `${width}px`;
  el.style.height = `${HEIGHT + CHROME}px`;
}

export function LineChart(props: LineChartProps) {
  let host!: HTMLDivElement;
  let plot: uPlotType | null = null;
  let disposed = false;
  const [failed, setFailed] = createSignal<string | null>(null);

  onMount(async () => {
    let uPlot: typeof uPlotType;
    try {
      uPlot = (await import('uplot')).default;
    } catch (e) {
      // e.g. uPlot's module-level Intl.NumberFormat(navigator.language) throws on an invalid locale tag
      setFailed((e as Error).message);
      return;
    }
    await nextBuildSlot();
    if (disposed) return;
    const extraScales = [...new Set(props.series.map((x) => x.scale ?? 'y'))].filter((x) => x !== 'y');
    const opts: uPlotType.Options = {
      title: props.title,
      width: props.width ?? WIDTH,
      height: HEIGHT,
      scales: { x: { time: false }, ...(props.yRange ? { y: { range: [props.yRange[0], props.yRange[1]] } } : {}) },
      axes: [
        { label: props.xLabel, ...(props.integerX ? { incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] } : {}) },
        { ...(props.axisLabels?.['y'] ? { label: props.axisLabels['y'] } : {}) },
        ...extraScales.map((scale) => ({ scale, side: 1, label: props.axisLabels?.[scale] ?? scale, size: 64, grid: { show: false }, values: (_u: uPlotType, ticks: number[]) => ticks.map(tick) })),
      ],
      series: [
        { label: props.xLabel },
        ...props.series.map((s) => ({
          label: s.label,
          // A faint series is the same hue at 30% opacity (#rrggbb + alpha).
          stroke: s.faint ? `${s.color}4d` : s.color,
          width: s.faint ? 1 : 1.5,
          scale: s.scale ?? 'y',
          spanGaps: true,
          points: { show: s.points ?? false, size: 6, fill: s.color },
        })),
      ],
      legend: { live: false },
      cursor: { drag: { x: false, y: false } },
    };
    plot = new uPlot(opts, props.data() as uPlotType.AlignedData, host);
  });

  const [counts, setCounts] = createSignal('');
  const [empty, setEmpty] = createSignal(true);
  createEffect(() => {
    props.version();
    const d = props.data();
    setCounts(pointCounts(d));
    setEmpty(d[0].length === 0);
    plot?.setData(d as uPlotType.AlignedData);
  });

  onCleanup(() => {
    disposed = true;
    plot?.destroy();
  });

  return (
    // Sized before uPlot loads, so the frame is there (empty) from the start and never resizes.
    // Set through the CSSOM, not a style attribute, which a strict Content-Security-Policy refuses.
    <div class="chart" data-testid={props.testId} data-points={counts()} ref={(el) => sizeFrame(el, props.width ?? WIDTH)}>
      <div ref={host} />
      {/* Over the frame (absolutely placed), so its going away moves nothing. */}
      <Show when={empty() && !failed()}>
        <p class="chart-waiting" data-testid="chart-waiting">{props.waiting ?? 'waiting for the first step…'}</p>
      </Show>
      <Show when={failed()}>
        <p class="muted">{props.title}: charts could not load ({failed()}).</p>
      </Show>
    </div>
  );
}
