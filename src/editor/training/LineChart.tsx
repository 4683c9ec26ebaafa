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
  /** Which y scale: 'y' (left) by default. */
  readonly scale?: string;
}

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
  readonly testId?: string;
}

const WIDTH = 520;
const HEIGHT = 220;

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
    if (disposed) return;
    const opts: uPlotType.Options = {
      title: props.title,
      width: WIDTH,
      height: HEIGHT,
      scales: { x: { time: false }, ...(props.yRange ? { y: { range: [props.yRange[0], props.yRange[1]] } } : {}) },
      axes: [{ label: props.xLabel, ...(props.integerX ? { incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] } : {}) }, {}],
      series: [
        { label: props.xLabel },
        ...props.series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: 1.5,
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

  createEffect(() => {
    props.version();
    plot?.setData(props.data() as uPlotType.AlignedData);
  });

  onCleanup(() => {
    disposed = true;
    plot?.destroy();
  });

  return (
    <div class="chart" ref={host} data-testid={props.testId}>
      <Show when={failed()}>
        <p class="muted">{props.title}: charts could not load ({failed()}).</p>
      </Show>
    </div>
  );
}
