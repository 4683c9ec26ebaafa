// Parallel coordinates of the compared runs, drawn as SVG: an axis per setting that varies and a
// final-metric axis, a line per run coloured by that metric. Dragging along an axis brushes a
// range (axes combine with AND; arrow keys on a focused axis do the same), a click on an axis or
// Escape on it clears its brush.
import { createMemo, createSignal, For, Show } from 'solid-js';
import {
  axisPosition,
  axisTicks,
  axisXs,
  brushFromDrag,
  brushText,
  buildAxis,
  CLICK_SPAN,
  nudgeBrush,
  polylinePoints,
  rampColor,
  type Axis,
  type AxisRun,
  type Brush,
} from '../../engine/tracking/parallel-coords.js';
import type { RunRecord } from '../../storage/types.js';
import { leafName, settingsOf, shortId, varyingSettings } from './run-labels.js';

/** The final-metric axis's key: kept apart from settings paths, which never start with '@'. */
export const METRIC_KEY_PREFIX = '@';

const WIDTH = 720;
const HEIGHT = 280;
const TOP = 36;
const BOTTOM = 16;
const PAD = 56;
const PLOT_H = HEIGHT - TOP - BOTTOM;

export interface ParallelCoordsProps {
  readonly runs: readonly RunRecord[];
  readonly labels: ReadonlyMap<string, string>;
  readonly brushes: readonly Brush[];
  readonly onBrushes: (b: readonly Brush[]) => void;
  readonly kept: ReadonlySet<string>;
  /** Final metric picked for the last axis and the colours. */
  readonly metric: string | null;
  readonly onMetric: (m: string) => void;
  readonly metrics: readonly string[];
  /** Narrows the table's ticked runs to the kept ones. */
  readonly onPick?: (ids: readonly string[]) => void;
}

/** The runs as the axes see them: flat settings plus the picked final metric. */
export function axisRuns(runs: readonly RunRecord[], metric: string | null): AxisRun[] {
  return runs.map((r) => ({ id: r.id, values: { ...settingsOf(r), ...(metric ? { [METRIC_KEY_PREFIX + metric]: r.finalMetrics[metric] } : {}) } }));
}

/** Axes for the settings that vary among `runs` and, last, the final metric. */
export function axesOf(runs: readonly RunRecord[], metric: string | null): Axis[] {
  const rows = axisRuns(runs, metric);
  const keys = [...varyingSettings(runs), ...(metric ? [METRIC_KEY_PREFIX + metric] : [])];
  return keys.map((k) => buildAxis(k, rows.map((r) => r.values[k])));
}

const axisName = (key: string) => (key.startsWith(METRIC_KEY_PREFIX) ? key.slice(1) : leafName(key));

export function ParallelCoords(props: ParallelCoordsProps) {
  const axes = createMemo(() => axesOf(props.runs, props.metric));
  const rows = createMemo(() => axisRuns(props.runs, props.metric));
  const xs = createMemo(() => axisXs(axes().length, WIDTH, PAD));
  const metricAxis = () => axes().find((a) => a.key.startsWith(METRIC_KEY_PREFIX)) ?? null;
  const colorOf = (r: AxisRun) => {
    const m = metricAxis();
    const t = m ? axisPosition(m, r.values[m.key]) : null;
    return t === null ? '#999999' : rampColor(t);
  };
  // A drag in progress: the axis and the two y's.
  const [drag, setDrag] = createSignal<{ key: string; y0: number; y1: number } | null>(null);
  const live = (): readonly Brush[] => {
    const d = drag();
    if (!d) return props.brushes;
    return [...props.brushes.filter((b) => b.key !== d.key), brushFromDrag(d.key, d.y0, d.y1, TOP, PLOT_H)];
  };
  let svg: SVGSVGElement | undefined;
  const yIn = (e: PointerEvent) => e.clientY - (svg?.getBoundingClientRect().top ?? 0);

  const finish = (e: PointerEvent) => {
    const d = drag();
    if (!d) return;
    setDrag(null);
    const b = brushFromDrag(d.key, d.y0, yIn(e), TOP, PLOT_H);
    const rest = props.brushes.filter((x) => x.key !== d.key);
    props.onBrushes(b.hi - b.lo < CLICK_SPAN ? rest : [...rest, b]);
  };
  // Kept lines last, so they are drawn over the dimmed ones.
  const ordered = createMemo(() => [...rows()].sort((a, b) => Number(props.kept.has(a.id)) - Number(props.kept.has(b.id))));

  return (
    <section class="compare-pc" aria-label="Parallel coordinates">
      <h3>Settings against the final metric</h3>
      <div class="compare-controls">
        <label>
          Final metric{' '}
          <select data-testid="pc-metric" value={props.metric ?? ''} onChange={(e) => props.onMetric(e.currentTarget.value)} disabled={props.metrics.length === 0}>
            <For each={props.metrics}>{(m) => <option value={m}>{m}</option>}</For>
          </select>
        </label>
        <span class="muted">Drag along an axis to keep a range (focused: ↑/↓, Shift resizes); click it or Esc clears.</span>
        <button type="button" data-testid="pc-clear" disabled={props.brushes.length === 0} onClick={() => props.onBrushes([])}>Clear brushes</button>
        <Show when={props.onPick}>
          <button type="button" data-testid="pc-tick-only" disabled={props.brushes.length === 0 || props.kept.size === 0} onClick={() => props.onPick!(props.runs.filter((r) => props.kept.has(r.id)).map((r) => r.id))}>
            Tick only these {props.brushes.length > 0 ? `(${props.kept.size})` : ''}
          </button>
        </Show>
      </div>
      <Show when={axes().length > 0} fallback={<p class="muted" data-testid="pc-empty">These runs share every setting and have no final metric to plot.</p>}>
        <div class="pc-frame">
          <svg ref={svg} class="pc-svg" width={WIDTH} height={HEIGHT} role="group" aria-label="One line per run across its settings" data-testid="pc-svg">
            <For each={ordered()}>
              {(r) => (
                <polyline
                  class="pc-line"
                  classList={{ dimmed: !props.kept.has(r.id) }}
                  data-testid="pc-line"
                  data-run-id={r.id}
                  data-kept={props.kept.has(r.id) ? 'true' : 'false'}
                  points={polylinePoints(r, axes(), xs(), TOP, PLOT_H)}
                  stroke={colorOf(r)}
                >
                  <title>{props.labels.get(r.id) ?? shortId(r.id)}</title>
                </polyline>
              )}
            </For>
            <For each={axes()}>
              {(axis, i) => {
                const brush = () => live().find((b) => b.key === axis.key);
                return (
                  <g class="pc-axis" data-testid="pc-axis" data-key={axis.key}>
                    <line x1={xs()[i()]} x2={xs()[i()]} y1={TOP} y2={TOP + PLOT_H} />
                    <text class="pc-axis-name" x={xs()[i()]} y={TOP - 20} text-anchor="middle">
                      {axisName(axis.key)}
                      <title>{axis.key.startsWith(METRIC_KEY_PREFIX) ? `final ${axisName(axis.key)}` : axis.key}</title>
                    </text>
                    <text class="pc-axis-kind" x={xs()[i()]} y={TOP - 8} text-anchor="middle">{axis.kind}</text>
                    <For each={axisTicks(axis)}>
                      {(t) => (
                        <text class="pc-tick" x={xs()[i()]! + 6} y={TOP + (1 - t.t) * PLOT_H + 3}>{t.label}</text>
                      )}
                    </For>
                    <Show when={brush()}>
                      {(b) => <rect class="pc-brush" data-testid="pc-brush" x={xs()[i()]! - 8} width={16} y={TOP + (1 - b().hi) * PLOT_H} height={Math.max(1, (b().hi - b().lo) * PLOT_H)} />}
                    </Show>
                    <rect
                      class="pc-hit"
                      data-testid="pc-hit"
                      data-key={axis.key}
                      x={xs()[i()]! - 14}
                      width={28}
                      y={TOP - 4}
                      height={PLOT_H + 8}
                      tabindex="0"
                      role="slider"
                      aria-label={`${axisName(axis.key)}: ${brush() ? `kept ${brushText(axis, brush()!)}` : 'no range kept'}`}
                      aria-valuetext={brush() ? brushText(axis, brush()!) : 'all'}
                      onPointerDown={(e) => {
                        (e.target as Element).setPointerCapture(e.pointerId);
                        const y = yIn(e);
                        setDrag({ key: axis.key, y0: y, y1: y });
                      }}
                      onPointerMove={(e) => {
                        const d = drag();
                        if (d && d.key === axis.key) setDrag({ ...d, y1: yIn(e) });
                      }}
                      onPointerUp={finish}
                      onPointerCancel={() => setDrag(null)}
                      onKeyDown={(e) => {
                        const rest = props.brushes.filter((b) => b.key !== axis.key);
                        if (e.key === 'Escape' || e.key === 'Delete' || e.key === 'Backspace') props.onBrushes(rest);
                        else if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
                          e.preventDefault(); // not the page's scroll
                          props.onBrushes([...rest, nudgeBrush(brush(), axis.key, e.key === 'ArrowUp' ? 'up' : 'down', e.shiftKey)]);
                        }
                      }}
                    />
                  </g>
                );
              }}
            </For>
          </svg>
        </div>
        <p class="muted pc-summary" data-testid="pc-summary">
          {props.brushes.length === 0
            ? `${props.runs.length} runs; colour: final ${props.metric ?? 'metric'} (dark low, yellow high).`
            : `${props.kept.size} of ${props.runs.length} runs kept: ${props.brushes.map((b) => {
                const a = axes().find((x) => x.key === b.key);
                return a ? `${axisName(b.key)} ${brushText(a, b)}` : '';
              }).filter(Boolean).join(' and ')}.`}
        </p>
      </Show>
    </section>
  );
}
